package io.multikube.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The read side of one cluster connection: a small buffer over the socket, used by one thread at a time (the
 * request on the connection), so unlike {@link java.io.BufferedInputStream} it takes no lock per byte — a response
 * head is read a byte at a time. Reads larger than the buffer go straight to the socket when nothing is buffered.
 */
final class Http1Input extends InputStream {
    /** Response heads fit; a larger body is read past the buffer. */
    static final int BUFFER_BYTES = 4 * 1024;
    /**
     * While a body of unknown length is read: a watch or a follow holds its connection for minutes, thousands at
     * once, and the chunk-size lines between its events need little. Longer reads still go past it.
     */
    static final int STREAM_BUFFER_BYTES = 512;

    private final InputStream socket;
    private byte[] buffer = new byte[BUFFER_BYTES];
    /** The buffer's size from its next fill on (it is replaced only when empty). */
    private int capacity = BUFFER_BYTES;
    private int position;
    private int limit;

    Http1Input(InputStream socket) {
        this.socket = Objects.requireNonNull(socket, "socket");
    }

    @Override
    public int read() throws IOException {
        if (position == limit && fill() < 0) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, target.length);
        if (length == 0) {
            return 0;
        }
        if (position == limit) {
            if (length >= buffer.length) {
                return socket.read(target, offset, length);
            }
            if (fill() < 0) {
                return -1;
            }
        }
        int copied = Math.min(length, limit - position);
        System.arraycopy(buffer, position, target, offset, copied);
        position += copied;
        return copied;
    }

    /** Bytes readable without blocking: those buffered, else what the socket (TLS: a decrypted record) holds. */
    @Override
    public int available() throws IOException {
        return position < limit ? limit - position : socket.available();
    }

    /**
     * Waits until at least one byte is buffered, without consuming it.
     *
     * @return false when the connection ended first
     */
    boolean awaitByte() throws IOException {
        return position < limit || fill() >= 0;
    }

    /** Whether bytes arrived that nobody asked for (an idle connection must have none). */
    boolean hasBuffered() {
        return position < limit;
    }

    /** A body of unknown length follows: from the next fill on, the buffer is small. */
    void narrow() {
        capacity = STREAM_BUFFER_BYTES;
    }

    /** A request went out and its answer's head follows: from the next fill on, the buffer is full-sized again. */
    void widen() {
        capacity = BUFFER_BYTES;
    }

    /** The size of the buffer held now (for tests). */
    int bufferBytes() {
        return buffer.length;
    }

    private int fill() throws IOException {
        if (buffer.length != capacity) {
            buffer = new byte[capacity];
        }
        int read = socket.read(buffer, 0, buffer.length);
        position = 0;
        limit = Math.max(read, 0);
        return read;
    }
}
