package io.multikube.spi.cache;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A complete cluster response held in a cache. Immutable: the body is copied in and out.
 *
 * @param status  the HTTP status code (200 for everything the server stores)
 * @param headers the response header fields as the cluster sent them, minus hop-by-hop and per-request fields
 * @param body    the whole body
 * @param fetched when the cluster's answer arrived; a cache's time-to-live runs from here
 */
public record CachedResponse(int status, List<Header> headers, byte[] body, Instant fetched) {
    public CachedResponse {
        headers = List.copyOf(headers);
        body = body.clone();
        Objects.requireNonNull(fetched, "fetched");
    }

    /** A copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body's length in bytes, without copying it. */
    public int bodyLength() {
        return body.length;
    }

    /** The approximate memory this entry holds, for size-bounded caches. */
    public long weight() {
        long headerBytes = headers.stream().mapToLong(h -> h.name().length() + h.value().length() + 32L).sum();
        return body.length + headerBytes + 128;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CachedResponse that && status == that.status && headers.equals(that.headers)
                && Arrays.equals(body, that.body) && fetched.equals(that.fetched);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, Arrays.hashCode(body), fetched);
    }

    @Override
    public String toString() {
        return "CachedResponse[status=" + status + ", " + body.length + " bytes, fetched=" + fetched + "]";
    }

    /** One response header field. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }
}
