package io.multikube.kubeconfig;

import java.util.Optional;

import io.multikube.spi.credentials.CredentialRequest;
import io.multikube.spi.credentials.UpstreamCredentials;

/** What the upstream layer gets for a context: its kubeconfig credentials, and TLS presenting them. */
final class Lookups {
    private Lookups() {
    }

    static Optional<UpstreamCredentials> credentials(ClusterContext context) {
        return context.credentials().lookup(context.credentialRequest(CredentialRequest.Reason.REQUEST));
    }

    static Optional<String> bearerToken(ClusterContext context) {
        return credentials(context).flatMap(UpstreamCredentials::bearerToken);
    }

    /** The context's TLS presenting its client certificate, as a request would. */
    static UpstreamTls tls(ClusterContext context) {
        return context.tls().orElseThrow().presenting(credentials(context));
    }
}
