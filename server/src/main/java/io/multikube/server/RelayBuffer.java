package io.multikube.server;

/**
 * The buffer a response body is relayed through. A streamed body (watch, follow) gets one that follows the stream:
 * Helidon's client allocates a buffer of the length asked for on every read and holds it until the next read, so
 * every open watch keeps one alive between its events. At 10,000 watches with events of ~200 bytes every 2 s, 2 KiB
 * reads had ~20 MB promoted per young collection, 512-byte reads ~13 MB. A burst (a watch's initial list, a log
 * backlog) fills the buffer and doubles it up to the maximum within a few reads; small reads halve it again.
 */
final class RelayBuffer {
    private final int min;
    private final int max;
    private byte[] bytes;

    private RelayBuffer(int min, int max) {
        if (min <= 0 || max < min) {
            throw new IllegalArgumentException("buffer bounds " + min + ".." + max);
        }
        this.min = min;
        this.max = max;
        this.bytes = new byte[min];
    }

    /** A buffer that keeps its size: for bodies read through whole, where the size is chosen up front. */
    static RelayBuffer fixed(int size) {
        return new RelayBuffer(size, size);
    }

    /** A buffer that starts at {@code min} and follows what the stream sends, up to {@code max}. */
    static RelayBuffer adaptive(int min, int max) {
        return new RelayBuffer(min, max);
    }

    /** The array to read into next. */
    byte[] bytes() {
        return bytes;
    }

    /**
     * Takes note of how much the last read returned, once its bytes were passed on (a resize drops them): a full
     * read doubles the buffer, one that used less than a quarter halves it.
     */
    void filled(int read) {
        int size = bytes.length;
        if (read >= size && size < max) {
            bytes = new byte[Math.min(max, size * 2)];
        } else if (read < size / 4 && size > min) {
            bytes = new byte[Math.max(min, size / 2)];
        }
    }
}
