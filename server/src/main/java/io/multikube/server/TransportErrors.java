package io.multikube.server;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.multikube.status.KubeStatus;

/**
 * Errors Helidon answers before routing (malformed requests, oversized headers or bodies) are written as
 * Kubernetes {@code Status} too, so every error a client sees from multikube has the same shape. Helidon's own
 * message is kept: it names the protocol problem and never holds request data beyond it.
 */
final class TransportErrors implements DirectHandler {
    private TransportErrors() {
    }

    static DirectHandlers handlers() {
        TransportErrors handler = new TransportErrors();
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        String text = message == null || message.isBlank() ? status.reasonPhrase() : message;
        KubeStatus body = new KubeStatus(status.code(), reason(status), text);
        headers.set(HeaderNames.CONTENT_TYPE, "application/json");
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(body.toJsonBytes())
                .keepAlive(eventType.keepAlive())
                .build();
    }

    private static String reason(Status status) {
        return switch (status.code()) {
            case 400 -> "BadRequest";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 413 -> "RequestEntityTooLarge";
            case 431 -> "BadRequest";
            case 505 -> "BadRequest";
            // 414 and any other refusal of a malformed request is the client's error, not ours
            default -> status.code() < 500 ? "BadRequest" : "InternalError";
        };
    }
}
