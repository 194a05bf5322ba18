package io.multikube.kubeconfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code cluster} part of a kubeconfig entry, checked but not yet turned into TLS material.
 *
 * @param server        the base URL, {@code https} or (for tests) {@code http}
 * @param authority     {@code certificate-authority} or {@code certificate-authority-data}
 * @param insecure      {@code insecure-skip-tls-verify}
 * @param tlsServerName {@code tls-server-name}
 * @param proxy         {@code proxy-url}
 */
record ClusterEntry(URI server, Optional<PemSource> authority, boolean insecure, Optional<String> tlsServerName,
                    Optional<ProxyUrl> proxy) {
    ClusterEntry {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(tlsServerName, "tlsServerName");
        Objects.requireNonNull(proxy, "proxy");
    }

    static ClusterEntry of(Fields fields, Path folder) {
        Optional<ProxyUrl> proxy = fields.string("proxy-url").map(url -> ProxyUrl.of(fields.what(), url));
        URI server = server(fields);
        Optional<PemSource> authority = PemSource.of(fields, "certificate-authority", folder);
        boolean insecure = fields.bool("insecure-skip-tls-verify");
        if (insecure && authority.isPresent()) {
            // kubectl refuses this combination too: it is unclear whether the CA was meant to be checked.
            throw new EntryProblem(fields.what() + ": insecure-skip-tls-verify is true and a certificate "
                    + "authority is set (expected: one of them)");
        }
        Optional<String> serverName = fields.string("tls-server-name");
        if (serverName.isPresent() && UpstreamTls.sniName(serverName.get()).isEmpty()) {
            // Sent as SNI, which carries DNS names only (RFC 6066).
            throw new EntryProblem(fields.what() + ": tls-server-name \"" + serverName.get() + "\" is not a DNS "
                    + "name (expected: a host name such as kubernetes.default.svc)");
        }
        return new ClusterEntry(server, authority, insecure, serverName, proxy);
    }

    boolean https() {
        return "https".equalsIgnoreCase(server.getScheme());
    }

    private static URI server(Fields fields) {
        String text = fields.string("server").orElseThrow(() -> new EntryProblem(fields.what()
                + ": server is missing (expected: a URL like https://host:6443)")).strip();
        if (text.contains("@")) {
            // Not echoed: user info in a URL is a credential.
            throw new EntryProblem(fields.what() + ": server has user info (expected: scheme://host[:port][/path]; "
                    + "credentials belong in the user entry)");
        }
        // Like kubectl, "host:6443" without a scheme means https.
        String url = text.contains("://") ? text : "https://" + text;
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new EntryProblem(fields.what() + ": server \"" + text + "\" is not a URL: " + e.getReason()
                    + " (expected: https://host:port)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new EntryProblem(fields.what() + ": server \"" + text + "\" has scheme " + uri.getScheme()
                    + " (expected: https, or http for tests)");
        }
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new EntryProblem(fields.what() + ": server \"" + text + "\" is not a plain base URL "
                    + "(expected: scheme://host[:port][/path], no query or fragment)");
        }
        return uri;
    }
}
