package io.multikube.kubeconfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A cluster's {@code proxy-url}: an HTTP proxy that multikube asks to {@code CONNECT} to the cluster. Only
 * {@code http://} proxies: {@code https://} (TLS to the proxy itself) and {@code socks5://} are refused at load
 * time. {@link #toString()} never shows the password.
 *
 * @param uri      the URL as written
 * @param host     the proxy's host
 * @param port     its port (80 when the URL has none)
 * @param username user name for {@code Proxy-Authorization: Basic}, from the URL's user info
 * @param password its password
 */
public record ProxyUrl(URI uri, String host, int port, Optional<String> username, Optional<String> password) {
    public ProxyUrl {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    static ProxyUrl of(String what, String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new EntryProblem(what + ": proxy-url is not a URL: " + e.getReason() + " (expected: "
                    + "http://host:port)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.startsWith("socks")) {
            throw new EntryProblem(what + ": proxy-url with scheme " + scheme + " is not supported (expected: an "
                    + "http:// proxy that accepts CONNECT)");
        }
        if (scheme.equals("https")) {
            throw new EntryProblem(what + ": proxy-url with scheme https (TLS to the proxy) is not supported "
                    + "(expected: an http:// proxy that accepts CONNECT; the cluster connection is TLS inside it)");
        }
        if (!scheme.equals("http") || uri.getHost() == null) {
            throw new EntryProblem(what + ": proxy-url has no http scheme and host (expected: http://host:port)");
        }
        Optional<String> username = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            username = Optional.of(URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
            password = Optional.of(parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        return new ProxyUrl(uri, uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80, username, password);
    }

    /** The host without the brackets of an IPv6 literal. */
    public String bareHost() {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The URL without its user info, for messages and logs. */
    public String display() {
        return "http://" + host + ":" + port;
    }

    @Override
    public String toString() {
        return "ProxyUrl[" + display() + (username.isPresent() ? ", with credentials" : "") + "]";
    }
}
