package io.multikube.kubeconfig;

import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

import io.multikube.spi.PluginException;
import io.multikube.spi.credentials.CredentialLookup;
import io.multikube.spi.credentials.CredentialRequest;
import io.multikube.spi.credentials.CredentialRequest.Reason;
import io.multikube.spi.credentials.UpstreamCredentials;

/**
 * The built-in credential lookup of one kubeconfig context: its user's {@code token}, {@code tokenFile} (re-read
 * when the file changes, and after the cluster rejected it), client certificate and {@code exec} plugin (cached
 * until shortly before expiry, run again after a rejection). An exec plugin's client certificate replaces the
 * kubeconfig's; without one the kubeconfig's is presented with the plugin's token. Answers only for its own
 * context. Thread-safe.
 */
public final class KubeconfigCredentials implements CredentialLookup {
    private final String context;
    private final Optional<BearerToken> token;
    private final Optional<CertificatePem> certificate;
    private final Optional<ExecCredentials> exec;

    KubeconfigCredentials(String context, Optional<BearerToken> token, Optional<CertificatePem> certificate,
                          Optional<ExecCredentials> exec) {
        this.context = Objects.requireNonNull(context, "context");
        this.token = Objects.requireNonNull(token, "token");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.exec = Objects.requireNonNull(exec, "exec");
    }

    /** A context whose only credential is this bearer token, or none. */
    public static KubeconfigCredentials of(String context, Optional<BearerToken> token) {
        return new KubeconfigCredentials(context, token, Optional.empty(), Optional.empty());
    }

    /**
     * @throws PluginException when an exec plugin fails or a token file cannot be read; the message names the
     *                         context and never holds a credential
     */
    @Override
    public Optional<UpstreamCredentials> lookup(CredentialRequest request) {
        Objects.requireNonNull(request, "request");
        if (!request.context().equals(context)) {
            return Optional.empty();
        }
        if (exec.isPresent()) {
            UpstreamCredentials answer = exec.get().current(request.reason());
            if (answer.clientCertificatePem().isPresent() || certificate.isEmpty()) {
                return Optional.of(answer);
            }
            return Optional.of(new UpstreamCredentials(answer.bearerToken(), certificate.map(CertificatePem::chain),
                    certificate.map(CertificatePem::key), answer.expiresAt()));
        }
        Optional<String> bearer = token.map(source -> value(source, request.reason()));
        if (bearer.isEmpty() && certificate.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new UpstreamCredentials(bearer, certificate.map(CertificatePem::chain),
                certificate.map(CertificatePem::key), Optional.empty()));
    }

    private String value(BearerToken source, Reason reason) {
        if (reason == Reason.REJECTED && source instanceof FileBearerToken file) {
            file.forget(); // a rotated file may have the same size and time stamp: read it again
        }
        try {
            return source.value();
        } catch (UncheckedIOException e) {
            throw new PluginException("credentials for context \"" + context + "\": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "KubeconfigCredentials[" + context + "]";
    }

    /** A client certificate chain and its key, as PEM. */
    record CertificatePem(String chain, String key) {
        CertificatePem {
            Objects.requireNonNull(chain, "chain");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String toString() {
            return "CertificatePem[***]";
        }
    }
}
