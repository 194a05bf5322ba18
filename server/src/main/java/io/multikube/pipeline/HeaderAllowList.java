package io.multikube.pipeline;

import java.util.Set;

/**
 * The client header fields a cluster may see. Everything else is dropped: credentials, cookies, every
 * {@code Impersonate-*} and {@code X-Remote-*} field, forwarding headers and anything unknown. Hop-by-hop
 * fields ({@code Connection}, {@code Upgrade}, {@code Transfer-Encoding}, ...) are the transport's business;
 * only an upgrade request keeps {@code Upgrade}, and its transport writes {@code Connection} itself.
 */
final class HeaderAllowList {
    private static final Set<String> ORDINARY = Set.of(
            // content negotiation (Table, protobuf, CBOR, compression pass untouched)
            "accept", "accept-encoding", "accept-language", "accept-charset",
            // the request body
            "content-type", "content-length", "content-encoding",
            // conditional requests and caching directives
            "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range",
            "cache-control", "pragma",
            // who is calling (kubectl's own telemetry headers included)
            "user-agent", "kubectl-command", "kubectl-session",
            // streaming protocol negotiation for exec/attach/port-forward (SPDY)
            "x-stream-protocol-version");

    private static final Set<String> UPGRADE_ONLY = Set.of(
            "upgrade", "sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol",
            "sec-websocket-extensions", "origin");

    private HeaderAllowList() {
    }

    /** The allowed fields of the request, minus any that {@code Connection} nominates as hop-by-hop. */
    static Headers apply(Headers client, boolean upgrade) {
        Set<String> nominated = client.nominatedByConnection();
        return client.filter(header -> {
            String name = header.lowerCaseName();
            boolean allowed = ORDINARY.contains(name) || (upgrade && UPGRADE_ONLY.contains(name));
            // An upgrade must keep Upgrade even though Connection names it.
            boolean hopByHop = nominated.contains(name) && !(upgrade && name.equals("upgrade"));
            return allowed && !hopByHop;
        });
    }

}
