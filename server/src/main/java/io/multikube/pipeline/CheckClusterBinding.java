package io.multikube.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import javax.net.ssl.X509TrustManager;

import io.multikube.kubeconfig.ClusterContext;
import io.multikube.pki.Certificates;
import io.multikube.status.RouterException;

/**
 * Step 2a: a token bound to a cluster (its {@code cfp} claim, the SHA-256 fingerprint of the cluster's CA) reaches
 * a context only while that context's kubeconfig still trusts that CA. It stops the threat of a context being
 * re-pointed — by mistake or by whoever edits the kubeconfig — to another cluster where the same name means other
 * rights: old tokens do not follow the name there.
 */
final class CheckClusterBinding {
    RoutedRequest apply(RoutedRequest request) {
        Optional<String> bound = request.authenticated().identity().boundTo();
        if (bound.isEmpty()) {
            return request;
        }
        ClusterContext context = request.context();
        String wanted = bound.get().toLowerCase(Locale.ROOT).replace(":", "");
        if (fingerprints(context).noneMatch(wanted::equals)) {
            throw new RouterException.Forbidden("the token is bound to the cluster with CA fingerprint "
                    + bound.get() + ", and context \"" + context.name() + "\" does not trust that CA (expected: a "
                    + "token minted for the cluster this context now points to)");
        }
        return request;
    }

    /** The SHA-256 fingerprints of the CA certificates the context trusts for its cluster. */
    static Stream<String> fingerprints(ClusterContext context) {
        return context.tls().stream()
                .flatMap(tls -> tls.trustManagers().stream())
                .filter(X509TrustManager.class::isInstance)
                .flatMap(manager -> List.of(((X509TrustManager) manager).getAcceptedIssuers()).stream())
                .map(Certificates::sha256Fingerprint);
    }
}
