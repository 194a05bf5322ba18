package io.multikube.upstream;

import java.util.Set;

import io.multikube.pipeline.Headers;

/** Removes hop-by-hop header fields (RFC 9110 7.6.1), including those a {@code Connection} field nominates. */
final class HopByHop {
    private static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "proxy-authenticate", "proxy-authorization");

    private HopByHop() {
    }

    static Headers strip(Headers headers) {
        Set<String> nominated = headers.nominatedByConnection();
        return headers.filter(header -> !ALWAYS.contains(header.lowerCaseName())
                && !nominated.contains(header.lowerCaseName()));
    }
}
