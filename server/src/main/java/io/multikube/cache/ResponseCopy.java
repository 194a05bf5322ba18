package io.multikube.cache;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import io.multikube.pipeline.Headers;
import io.multikube.spi.cache.CachedResponse;

/**
 * A bounded copy of one cluster answer, taken while it streams to its client (a tee): the client gets every byte
 * as it arrives, and the copy becomes a {@link CachedResponse} only when the whole body went through within the
 * bound. Past the bound the copy is dropped and the stream goes on untouched. One per request; not thread-safe.
 */
public final class ResponseCopy {
    private final long maxBytes;
    private final Clock clock;
    private ByteArrayOutputStream copy;
    private int status;
    private Headers headers = Headers.EMPTY;
    private Instant fetched;
    private long expectedLength = -1;
    private boolean complete;

    public ResponseCopy(long maxBytes, Clock clock) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
        this.maxBytes = maxBytes;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The body stream to relay: {@code body} itself when this answer cannot be kept, else one that copies it. */
    public InputStream tee(int status, Headers headers, InputStream body) {
        this.fetched = clock.instant();
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.expectedLength = contentLength(headers);
        if (!CacheableResponses.storable(status, headers) || expectedLength > maxBytes) {
            return body;
        }
        copy = new ByteArrayOutputStream(expectedLength >= 0 ? (int) expectedLength : 8192);
        complete = expectedLength == 0;
        return new Tee(body);
    }

    /** The answer to keep: present only when the whole body was copied within the bound. */
    public Optional<CachedResponse> result() {
        if (copy == null || !complete) {
            return Optional.empty();
        }
        return Optional.of(new CachedResponse(status, CacheableResponses.stored(headers), copy.toByteArray(),
                fetched));
    }

    private void copied(byte[] bytes, int offset, int length) {
        if (copy == null) {
            return;
        }
        if (length < 0) {
            complete = expectedLength < 0 || copy.size() == expectedLength;
            return;
        }
        if (copy.size() + (long) length > maxBytes) {
            copy = null;
            return;
        }
        copy.write(bytes, offset, length);
        // The relay stops reading once Content-Length bytes arrived; it never sees the end of the stream then.
        complete = copy.size() == expectedLength;
    }

    private static long contentLength(Headers headers) {
        try {
            return headers.first("Content-Length").map(String::strip).map(Long::parseLong).orElse(-1L);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Copies what the relay reads. */
    private final class Tee extends FilterInputStream {
        Tee(InputStream body) {
            super(body);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                copied(null, 0, -1);
            } else {
                copied(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            copied(buffer, offset, read);
            return read;
        }
    }
}
