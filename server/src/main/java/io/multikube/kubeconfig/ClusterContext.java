package io.multikube.kubeconfig;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One kubeconfig context resolved to what multikube needs to reach its cluster as itself.
 *
 * @param name        the context name (what a token's {@code ctx} claim names)
 * @param server      the cluster's base URL ({@code https://host:port[/prefix]}; {@code http} only for tests)
 * @param tls         how to speak TLS to it; empty for an {@code http} server
 * @param bearerToken the bearer token to present, when the kubeconfig user has {@code token} or {@code tokenFile}
 */
public record ClusterContext(String name, URI server, Optional<UpstreamTls> tls, Optional<BearerToken> bearerToken) {
    public ClusterContext {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(bearerToken, "bearerToken");
    }

    /** Host and port of the server, with the scheme's default port when the URL has none. */
    public int port() {
        if (server.getPort() > 0) {
            return server.getPort();
        }
        return "https".equalsIgnoreCase(server.getScheme()) ? 443 : 80;
    }

    /** The path prefix of the server URL without a trailing slash ({@code ""} for none). */
    public String pathPrefix() {
        String path = server.getRawPath() == null ? "" : server.getRawPath();
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    @Override
    public String toString() {
        // Never print credentials.
        return "ClusterContext[name=" + name + ", server=" + server + "]";
    }
}
