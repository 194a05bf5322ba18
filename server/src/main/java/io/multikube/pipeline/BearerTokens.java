package io.multikube.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.multikube.status.RouterException;

/**
 * Finds the client's bearer token: the {@code Authorization} header, or for browsers' WebSockets the
 * {@code base64url.bearer.authorization.k8s.io.<token>} subprotocol the kube-apiserver also accepts.
 */
final class BearerTokens {
    static final String WEBSOCKET_TOKEN_PREFIX = "base64url.bearer.authorization.k8s.io.";
    private static final String BEARER = "bearer ";

    private BearerTokens() {
    }

    /** The one token the request carries; refuses none, several, or a non-Bearer scheme. */
    static String from(Headers headers) {
        List<String> found = new ArrayList<>();
        for (String authorization : headers.all("Authorization")) {
            found.add(fromAuthorization(authorization));
        }
        fromWebSocketProtocols(headers).ifPresent(found::add);
        if (found.isEmpty()) {
            throw new RouterException.Unauthorized("no bearer token (expected: Authorization: Bearer <JWT>)");
        }
        if (found.size() > 1) {
            throw new RouterException.Unauthorized(found.size() + " credentials sent (expected: exactly one token)");
        }
        return found.getFirst();
    }

    private static String fromAuthorization(String value) {
        String trimmed = value.strip();
        if (trimmed.equalsIgnoreCase(BEARER.strip())) {
            throw new RouterException.Unauthorized("empty bearer token (expected: a JWT)");
        }
        // Compared in place: lower-casing the whole field would copy the token on every request.
        if (!trimmed.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            int space = trimmed.indexOf(' ');
            String scheme = space < 0 ? "(none)" : trimmed.substring(0, Math.min(space, 20));
            throw new RouterException.Unauthorized(
                    "authorization scheme " + scheme + " is not accepted (expected: Bearer)");
        }
        String token = trimmed.substring(BEARER.length()).strip();
        if (token.isEmpty()) {
            throw new RouterException.Unauthorized("empty bearer token (expected: a JWT)");
        }
        return token;
    }

    private static Optional<String> fromWebSocketProtocols(Headers headers) {
        List<String> tokens = new ArrayList<>();
        for (String protocol : webSocketProtocols(headers)) {
            if (protocol.startsWith(WEBSOCKET_TOKEN_PREFIX)) {
                tokens.add(decode(protocol.substring(WEBSOCKET_TOKEN_PREFIX.length())));
            }
        }
        if (tokens.size() > 1) {
            throw new RouterException.Unauthorized(
                    tokens.size() + " WebSocket bearer subprotocols sent (expected: at most one)");
        }
        return tokens.stream().findFirst();
    }

    /** Every subprotocol offered, across repeated headers and comma-separated lists. */
    static List<String> webSocketProtocols(Headers headers) {
        List<String> result = new ArrayList<>();
        for (String value : headers.all("Sec-WebSocket-Protocol")) {
            for (String protocol : value.split(",")) {
                if (!protocol.isBlank()) {
                    result.add(protocol.strip());
                }
            }
        }
        return result;
    }

    private static String decode(String encoded) {
        try {
            return new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RouterException.Unauthorized("WebSocket bearer subprotocol is not base64url");
        }
    }
}
