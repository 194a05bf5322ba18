package io.multikube.upstream;

import java.io.InputStream;
import java.util.Objects;

import io.multikube.pipeline.Headers;

/**
 * A cluster's response, head read and body open. Closing it releases the connection (or aborts the stream).
 *
 * @param status  the cluster's HTTP status code
 * @param headers the cluster's header fields, hop-by-hop ones removed
 * @param hasBody false for HEAD, 1xx, 204 and 304, whose body must not be read
 * @param body    the body as it arrives
 */
public record UpstreamResponse(int status, Headers headers, boolean hasBody, InputStream body, AutoCloseable resource)
        implements AutoCloseable {
    public UpstreamResponse {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(resource, "resource");
    }

    @Override
    public void close() {
        try {
            resource.close();
        } catch (Exception e) {
            System.getLogger(UpstreamResponse.class.getName())
                    .log(System.Logger.Level.DEBUG, "closing an upstream response failed", e);
        }
    }
}
