package com.example.multikube.audit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import io.multikube.spi.audit.AuditEvent;
import io.multikube.spi.audit.AuditException;
import io.multikube.spi.audit.AuditSink;

/**
 * Sends each event synchronously, so an accepted event has reached the collector. A failed send throws
 * {@link AuditException} (multikube then logs the event as lost) and is reported by {@link #failure()}, so with
 * {@code --audit-on-failure=refuse} multikube stops forwarding until the collector answers again.
 */
final class WebhookAuditSink implements AuditSink {
    private final URI url;
    private final Duration timeout;
    private final HttpClient client;
    private volatile Optional<String> failure = Optional.empty();

    WebhookAuditSink(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public void record(AuditEvent event) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event.toJson()))
                .build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw fail("the collector answered " + response.statusCode(), null);
            }
            failure = Optional.empty();
        } catch (IOException e) {
            throw fail("the collector cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("interrupted while sending", e);
        }
    }

    private AuditException fail(String reason, Throwable cause) {
        failure = Optional.of(reason);
        return new AuditException(url + ": " + reason, cause);
    }

    @Override
    public Optional<String> failure() {
        return failure;
    }

    @Override
    public void close() {
        client.close();
    }
}
