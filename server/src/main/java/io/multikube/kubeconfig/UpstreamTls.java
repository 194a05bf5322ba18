package io.multikube.kubeconfig;

import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;

/**
 * TLS toward one cluster, built from its kubeconfig entry.
 *
 * @param sslContext     trusts the cluster's CA (or everything with {@code insecure-skip-tls-verify}) and presents
 *                       the client certificate when the user has one
 * @param verifyHostname false only with {@code insecure-skip-tls-verify}
 * @param serverName     {@code tls-server-name}: the name sent as SNI and verified instead of the URL's host
 */
public record UpstreamTls(SSLContext sslContext, boolean verifyHostname, Optional<String> serverName) {
    public UpstreamTls {
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(serverName, "serverName");
    }
}
