package io.multikube.upstream;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import io.multikube.pipeline.Headers;

/** Removes hop-by-hop header fields (RFC 9110 7.6.1), including those a {@code Connection} field nominates. */
final class HopByHop {
    private static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "proxy-authenticate", "proxy-authorization");

    private HopByHop() {
    }

    static Headers strip(Headers headers) {
        Set<String> nominated = new HashSet<>(ALWAYS);
        for (String value : headers.all("Connection")) {
            for (String token : value.split(",")) {
                nominated.add(token.strip().toLowerCase(Locale.ROOT));
            }
        }
        return headers.filter(header -> !nominated.contains(header.lowerCaseName()));
    }
}
