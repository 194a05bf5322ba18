package io.multikube.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the server needs to start, validated. Built in one place from flags and the config file.
 *
 * @param schemes                  which listeners to open
 * @param host                     the address to bind
 * @param port                     the plain HTTP port
 * @param tlsPort                  the HTTPS port
 * @param tlsCertificate           the serving certificate (PEM), required with HTTPS
 * @param tlsKey                   the serving key (PEM), required with HTTPS
 * @param tlsCa                    when present, clients must present a certificate signed by this CA
 * @param signerCertificates       PEM certificates or public keys whose keys verify client JWTs
 * @param kubeconfig               the kubeconfig with the upstream contexts
 * @param clockSkew                tolerance for {@code exp} and {@code nbf}
 * @param allowTokensWithoutExpiry accept tokens without {@code exp}
 * @param upstreamConnectTimeout   bound on connecting to a cluster
 * @param upstreamReadTimeout      bound on waiting for a cluster's response headers and ordinary bodies
 * @param shutdownGrace            how long in-flight requests may finish on SIGTERM
 * @param observe                  metrics, health and log settings
 * @param streamExpiryGrace        how long a stream may outlive the expiry of the token that opened it
 * @param reloadInterval           how often the kubeconfig and certificate files are checked for changes; zero never
 * @param groups                   which of a token's groups are impersonated, and how many at most
 * @param oidc                     an OpenID Connect issuer whose tokens are accepted too
 */
public record ServerSettings(Set<Scheme> schemes, String host, int port, int tlsPort, Optional<Path> tlsCertificate,
                             Optional<Path> tlsKey, Optional<Path> tlsCa, List<Path> signerCertificates,
                             Path kubeconfig, Duration clockSkew, boolean allowTokensWithoutExpiry,
                             Duration upstreamConnectTimeout, Duration upstreamReadTimeout,
                             Duration shutdownGrace, ObserveSettings observe, Duration streamExpiryGrace,
                             Duration reloadInterval, GroupPolicy groups, Optional<OidcSettings> oidc,
                             TlsPolicy tlsPolicy, int maxConnections) {
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_TLS_PORT = 8443;
    public static final String DEFAULT_HOST = "localhost";
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

    public ServerSettings {
        schemes = Set.copyOf(schemes);
        signerCertificates = List.copyOf(signerCertificates);
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tlsCertificate, "tlsCertificate");
        Objects.requireNonNull(tlsKey, "tlsKey");
        Objects.requireNonNull(tlsCa, "tlsCa");
        Objects.requireNonNull(kubeconfig, "kubeconfig");
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(upstreamConnectTimeout, "upstreamConnectTimeout");
        Objects.requireNonNull(upstreamReadTimeout, "upstreamReadTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(observe, "observe");
        Objects.requireNonNull(streamExpiryGrace, "streamExpiryGrace");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(oidc, "oidc");
        Objects.requireNonNull(tlsPolicy, "tlsPolicy");
        if (maxConnections < -1) {
            throw new IllegalArgumentException("--max-connections: " + maxConnections
                    + " (expected: a number of connections, 0 for automatic or -1 for no limit)");
        }
        if (reloadInterval.isNegative()) {
            throw new IllegalArgumentException("--reload-interval: " + reloadInterval + " (expected: >= 0s)");
        }
        if (streamExpiryGrace.isNegative()) {
            throw new IllegalArgumentException("--stream-expiry-grace: " + streamExpiryGrace + " (expected: >= 0s)");
        }
        if (schemes.isEmpty()) {
            throw new IllegalArgumentException("--scheme: none (expected: http, https or both)");
        }
        requirePort("--port", port);
        requirePort("--tls-port", tlsPort);
        if (schemes.contains(Scheme.HTTPS) && (tlsCertificate.isEmpty() || tlsKey.isEmpty())) {
            throw new IllegalArgumentException(
                    "--scheme=https needs --tls-certificate and --tls-key (or run without flags for a generated pair)");
        }
        if (signerCertificates.isEmpty()) {
            throw new IllegalArgumentException("--tls-signer-certificate: none (expected: the PEM certificate "
                    + "or public key that verifies client tokens)");
        }
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("--token-clock-skew: " + clockSkew + " (expected: >= 0)");
        }
    }

    private static void requirePort(String flag, int value) {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException(flag + ": " + value + " (expected: 0..65535, 0 picks a free port)");
        }
    }
}
