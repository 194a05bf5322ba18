package io.multikube.kubeconfig;

import java.security.GeneralSecurityException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

import io.multikube.spi.credentials.UpstreamCredentials;

/**
 * TLS toward one cluster, built from its kubeconfig entry.
 *
 * <p>Host name checks with {@code tls-server-name}: the JDK's trust manager, when endpoint identification is
 * {@code HTTPS}, checks the server certificate against the SNI host name the client sent, and only when that
 * fails against the host the connection was opened to ({@code X509TrustManagerImpl.checkIdentity}). So sending
 * {@code tls-server-name} as SNI is all it takes to verify it instead of the URL's host. One difference from
 * kubectl (Go checks only the server name): a certificate valid for the URL's host alone is accepted too.
 *
 * <p>Client certificates come with the credentials of each request ({@link #presenting}), not from here: the
 * credential lookup decides, and an exec plugin's certificate may change while multikube runs.
 *
 * @param sslContext     trusts the cluster's CA (or everything with {@code insecure-skip-tls-verify}); presents a
 *                       client certificate only when made by {@link #presenting}
 * @param verifyHostname false only with {@code insecure-skip-tls-verify}
 * @param serverName     {@code tls-server-name}: the name sent as SNI and verified instead of the URL's host
 * @param trustManagers  what {@code sslContext} trusts, to build contexts that present a client certificate;
 *                       empty when unknown (then {@link #presenting} refuses certificates)
 */
public record UpstreamTls(SSLContext sslContext, boolean verifyHostname, Optional<String> serverName,
                          List<TrustManager> trustManagers) {
    /** The protocols offered to clusters, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** Per base context, the last certificate presented and its context: rebuilt only when the certificate changes. */
    private static final Map<UpstreamTls, Presented> PRESENTED = Collections.synchronizedMap(new WeakHashMap<>());

    public UpstreamTls {
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(serverName, "serverName");
        trustManagers = List.copyOf(trustManagers);
    }

    /** TLS from a ready-made context, which may already present a client certificate (tests). */
    public UpstreamTls(SSLContext sslContext, boolean verifyHostname, Optional<String> serverName) {
        this(sslContext, verifyHostname, serverName, List.of());
    }

    /**
     * This TLS presenting the client certificate of {@code credentials}, if they have one (else this). The same
     * certificate gives the same object, so pooled connections are reused until the certificate changes.
     *
     * @throws IllegalArgumentException when the certificate or key does not parse or the key does not belong to the
     *                                  certificate; the message never holds the key
     */
    public UpstreamTls presenting(Optional<UpstreamCredentials> credentials) {
        Objects.requireNonNull(credentials, "credentials");
        if (credentials.isEmpty() || credentials.get().clientCertificatePem().isEmpty()) {
            return this;
        }
        String chain = credentials.get().clientCertificatePem().get();
        String key = credentials.get().clientKeyPem().orElseThrow();
        Presented last = PRESENTED.get(this);
        if (last != null && last.presents(chain, key)) {
            return last.tls();
        }
        // Requests arriving together with a new certificate must get one context, not one each: the contexts key
        // the connection pools, and every extra one opened connections of its own.
        synchronized (PRESENTED) {
            last = PRESENTED.get(this);
            if (last != null && last.presents(chain, key)) {
                return last.tls();
            }
            UpstreamTls tls = withClientCertificate(chain, key);
            PRESENTED.put(this, new Presented(chain, key, tls));
            return tls;
        }
    }

    private UpstreamTls withClientCertificate(String chain, String key) {
        if (trustManagers.isEmpty()) {
            throw new IllegalArgumentException("a client certificate cannot be added to this TLS context (expected: "
                    + "one loaded from a kubeconfig)");
        }
        try {
            ClientIdentity identity = ClientIdentity.of("client certificate",
                    new PemSource.Inline("clientCertificateData", chain), new PemSource.Inline("clientKeyData", key));
            return new UpstreamTls(TlsContexts.create(trustManagers, Optional.of(identity)), verifyHostname,
                    serverName, trustManagers);
        } catch (EntryProblem | GeneralSecurityException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
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

    private record Presented(String chain, String key, UpstreamTls tls) {
        boolean presents(String otherChain, String otherKey) {
            return chain.equals(otherChain) && key.equals(otherKey);
        }

        @Override
        public String toString() {
            return "Presented[***]";
        }
    }
}
