package io.multikube.kubeconfig;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

import io.multikube.spi.credentials.CredentialLookup;
import io.multikube.spi.credentials.CredentialRequest;

/**
 * One kubeconfig context resolved to what multikube needs to reach its cluster as itself.
 *
 * @param name        the context name (what a token's {@code ctx} claim names)
 * @param server      the cluster's base URL ({@code https://host:port[/prefix]}; {@code http} only for tests)
 * @param tls         how to speak TLS to it; empty for an {@code http} server
 * @param credentials the kubeconfig user's own credentials ({@code token}, {@code tokenFile}, client certificate,
 *                    {@code exec}): the built-in lookup, asked after a configured one
 * @param proxy       {@code proxy-url}: the HTTP proxy to CONNECT through
 * @param user        the name of the context's user entry (for {@link CredentialRequest#user()})
 */
public record ClusterContext(String name, URI server, Optional<UpstreamTls> tls, CredentialLookup credentials,
                             Optional<ProxyUrl> proxy, String user) {
    public ClusterContext {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(user, "user");
    }

    /** A directly reachable context whose credentials are at most a bearer token (tests, embedded uses). */
    public ClusterContext(String name, URI server, Optional<UpstreamTls> tls, Optional<BearerToken> bearerToken) {
        this(name, server, tls, KubeconfigCredentials.of(name, bearerToken), Optional.empty(), "");
    }

    /** What to ask a credential lookup for this context. */
    public CredentialRequest credentialRequest(CredentialRequest.Reason reason) {
        return new CredentialRequest(name, server.toString(), user, reason);
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
