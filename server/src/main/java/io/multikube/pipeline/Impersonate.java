package io.multikube.pipeline;

import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.multikube.auth.Identity;

/**
 * Step 3: build the outbound headers. Client fields pass the allow-list, the WebSocket bearer subprotocol is
 * removed, and our own identity fields are added last: {@code Impersonate-User}, one {@code Impersonate-Group}
 * per group, {@code Audit-ID} and {@code X-Forwarded-For} from the real peer.
 */
final class Impersonate {
    static final String AUDIT_ID = "Audit-ID";

    private final Supplier<String> auditIds;

    Impersonate(Supplier<String> auditIds) {
        this.auditIds = Objects.requireNonNull(auditIds, "auditIds");
    }

    OutboundRequest apply(RoutedRequest request) {
        InboundRequest inbound = request.inbound();
        Identity identity = request.authenticated().identity();
        String auditId = auditIds.get();
        Headers headers = withoutBearerSubprotocol(HeaderAllowList.apply(inbound.headers(), inbound.upgrade()))
                .plus("Impersonate-User", identity.subject());
        for (String group : identity.groups()) {
            headers = headers.plus("Impersonate-Group", group);
        }
        if (identity.uid().isPresent()) {
            headers = headers.plus("Impersonate-Uid", identity.uid().get());
        }
        headers = headers.plus(AUDIT_ID, auditId)
                .plus("X-Forwarded-For", inbound.peer().getAddress().getHostAddress());
        return new OutboundRequest(auditId, identity, request.context(), inbound.method(), request.clusterPath(),
                inbound.rawQuery(), headers);
    }

    /** The token subprotocol authenticated us; the cluster must not see it (nor would it accept it as ours). */
    private static Headers withoutBearerSubprotocol(Headers headers) {
        if (!headers.contains("Sec-WebSocket-Protocol")) {
            return headers;
        }
        String kept = BearerTokens.webSocketProtocols(headers).stream()
                .filter(protocol -> !protocol.startsWith(BearerTokens.WEBSOCKET_TOKEN_PREFIX))
                .collect(Collectors.joining(", "));
        Headers without = headers.without("Sec-WebSocket-Protocol");
        return kept.isEmpty() ? without : without.plus("Sec-WebSocket-Protocol", kept);
    }
}
