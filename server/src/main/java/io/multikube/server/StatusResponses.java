package io.multikube.server;

import java.lang.System.Logger.Level;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.multikube.status.KubeStatus;
import io.multikube.status.RouterException;

/** The one place that writes multikube's own errors: a Kubernetes {@code Status} as JSON. */
final class StatusResponses {
    private static final System.Logger LOG = System.getLogger(StatusResponses.class.getName());

    private StatusResponses() {
    }

    static void send(ServerResponse response, RouterException error) {
        logIfOurs(error);
        if (response.isSent()) {
            // Mid-stream: the status line is gone; the connection is closed instead (never throw from here).
            LOG.log(Level.DEBUG, "cannot send a Status after the response started: " + error.getMessage());
            return;
        }
        KubeStatus status = error.toStatus();
        byte[] body = status.toJsonBytes();
        response.status(Status.create(status.code()));
        response.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/json"));
        response.header(HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-cache, private"));
        status.retryAfterSeconds().ifPresent(seconds ->
                response.header(HeaderValues.create(HeaderNames.RETRY_AFTER, Integer.toString(seconds))));
        response.send(body);
    }

    private static void logIfOurs(RouterException error) {
        if (error instanceof RouterException.InternalError) {
            LOG.log(Level.ERROR, error.getMessage(), error.getCause());
        } else if (error.getCause() != null) {
            LOG.log(Level.WARNING, error.getMessage() + ": " + error.getCause());
        }
    }
}
