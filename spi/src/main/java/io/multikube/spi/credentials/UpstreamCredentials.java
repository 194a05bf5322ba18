package io.multikube.spi.credentials;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials multikube presents to a cluster for its own identity (the one that impersonates users).
 * {@link #toString()} never shows them.
 *
 * @param bearerToken          a bearer token
 * @param clientCertificatePem a client certificate chain (PEM), with {@code clientKeyPem}
 * @param clientKeyPem         the client certificate's private key (PEM)
 * @param expiresAt            when the provider wants to be asked again; empty for "until rejected"
 */
public record UpstreamCredentials(Optional<String> bearerToken, Optional<String> clientCertificatePem,
                                  Optional<String> clientKeyPem, Optional<Instant> expiresAt) {
    public UpstreamCredentials {
        Objects.requireNonNull(bearerToken, "bearerToken");
        Objects.requireNonNull(clientCertificatePem, "clientCertificatePem");
        Objects.requireNonNull(clientKeyPem, "clientKeyPem");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (clientCertificatePem.isPresent() != clientKeyPem.isPresent()) {
            throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
        }
        if (bearerToken.isEmpty() && clientCertificatePem.isEmpty()) {
            throw new IllegalArgumentException("credentials need a bearer token or a client certificate");
        }
    }

    /** A bearer token valid until {@code expiresAt} (empty: until rejected). */
    public static UpstreamCredentials bearer(String token, Optional<Instant> expiresAt) {
        return new UpstreamCredentials(Optional.of(token), Optional.empty(), Optional.empty(), expiresAt);
    }

    @Override
    public String toString() {
        return "UpstreamCredentials[" + (bearerToken.isPresent() ? "bearer token" : "")
                + (clientCertificatePem.isPresent() ? (bearerToken.isPresent() ? ", " : "") + "client certificate" : "")
                + expiresAt.map(at -> ", expires " + at).orElse("") + "]";
    }
}
