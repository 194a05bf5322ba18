package io.multikube.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import io.helidon.common.concurrency.limits.Limit;
import io.helidon.http.Status;
import io.helidon.webserver.spi.ServerConnection;
import io.multikube.status.KubeStatus;

/**
 * An upgrade refused before any cluster was asked: answers with a Kubernetes {@code Status} (never a 101) and ends
 * the connection.
 */
final class RefusedUpgrade implements ServerConnection {
    private static final System.Logger LOGGER = System.getLogger(RefusedUpgrade.class.getName());

    private final ClientChannel client;
    private final KubeStatus status;
    private final Optional<String> auditId;

    RefusedUpgrade(ClientChannel client, KubeStatus status, Optional<String> auditId) {
        this.client = Objects.requireNonNull(client, "client");
        this.status = Objects.requireNonNull(status, "status");
        this.auditId = Objects.requireNonNull(auditId, "auditId");
    }

    /** A complete HTTP/1.1 response carrying the status as JSON, closing the connection. */
    static byte[] response(KubeStatus status, Optional<String> auditId) {
        byte[] body = status.toJsonBytes();
        StringBuilder head = new StringBuilder(200)
                .append("HTTP/1.1 ").append(status.code()).append(' ')
                .append(Status.create(status.code()).reasonPhrase()).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        auditId.ifPresent(id -> head.append("Audit-ID: ").append(id).append("\r\n"));
        head.append("Connection: close\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] response = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, response, 0, headBytes.length);
        System.arraycopy(body, 0, response, headBytes.length, body.length);
        return response;
    }

    /** Writes the status; returning lets Helidon close the connection. */
    @Override
    public void handle(Limit limit) {
        try {
            client.write(response(status, auditId));
        } catch (IOException e) {
            LOGGER.log(System.Logger.Level.DEBUG, "upgrade refusal " + status.code() + " not delivered: " + e);
        }
    }

    @Override
    public Duration idleTime() {
        return Duration.ZERO;
    }

    @Override
    public void close(boolean interrupt) {
        client.close();
    }
}
