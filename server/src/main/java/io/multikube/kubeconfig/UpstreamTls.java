package io.multikube.kubeconfig;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * TLS toward one cluster, built from its kubeconfig entry.
 *
 * <p>Host name checks with {@code tls-server-name}: the JDK's trust manager, when endpoint identification is
 * {@code HTTPS}, checks the server certificate against the SNI host name the client sent, and only when that
 * fails against the host the connection was opened to ({@code X509TrustManagerImpl.checkIdentity}). So sending
 * {@code tls-server-name} as SNI is all it takes to verify it instead of the URL's host. One difference from
 * kubectl (Go checks only the server name): a certificate valid for the URL's host alone is accepted too.
 *
 * @param sslContext     trusts the cluster's CA (or everything with {@code insecure-skip-tls-verify}) and presents
 *                       the client certificate when the user has one
 * @param verifyHostname false only with {@code insecure-skip-tls-verify}
 * @param serverName     {@code tls-server-name}: the name sent as SNI and verified instead of the URL's host
 */
public record UpstreamTls(SSLContext sslContext, boolean verifyHostname, Optional<String> serverName) {
    /** The protocols offered to clusters, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public UpstreamTls {
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(serverName, "serverName");
    }

    /**
     * What to apply to every {@code SSLEngine} or {@code SSLSocket} made from {@link #sslContext()} for this
     * cluster: {@link #PROTOCOLS}; endpoint identification {@code HTTPS} unless {@link #verifyHostname()} is off;
     * SNI set to {@link #serverName()}, else to {@code host} when it is a DNS name, else none (IP literals get no
     * SNI, RFC 6066). Set the SNI explicitly so it does not depend on whether the engine was created with a
     * peer host. A fresh object per call; safe to modify.
     *
     * @param host the host of the cluster's URL, as {@code URI.getHost()} gives it ({@code [::1]} is fine)
     */
    public SSLParameters parameters(String host) {
        Objects.requireNonNull(host, "host");
        SSLParameters parameters = sslContext.getDefaultSSLParameters();
        parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
        parameters.setEndpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        List<SNIServerName> names = serverName.or(() -> Optional.of(host))
                .flatMap(UpstreamTls::sniName)
                .<List<SNIServerName>>map(List::of)
                .orElse(List.of());
        parameters.setServerNames(names);
        return parameters;
    }

    /** The host as an SNI host name, without a trailing dot; empty for IP literals and invalid names. */
    static Optional<SNIHostName> sniName(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || name.startsWith("[") || name.contains(":") || name.matches("[0-9.]+")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SNIHostName(name.toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
