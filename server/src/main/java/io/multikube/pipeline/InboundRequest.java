package io.multikube.pipeline;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A client request as received, before anything is decided about it.
 *
 * @param method   the HTTP method, as sent
 * @param rawPath  the path exactly as on the request line (percent-encoding kept)
 * @param rawQuery the query exactly as sent, without {@code ?}; empty when there is none
 * @param headers  every header field the client sent
 * @param peer     the client's socket address (the source of {@code X-Forwarded-For})
 * @param upgrade  whether the client asks to upgrade the connection (exec, attach, port-forward)
 */
public record InboundRequest(String method, String rawPath, String rawQuery, Headers headers,
                             InetSocketAddress peer, boolean upgrade) {
    public InboundRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(rawQuery, "rawQuery");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(peer, "peer");
    }

    /** The request target as sent: path, and {@code ?query} when there is one. */
    public String target() {
        return rawQuery.isEmpty() ? rawPath : rawPath + "?" + rawQuery;
    }
}
