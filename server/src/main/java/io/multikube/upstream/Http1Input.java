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
    /** Response heads and watch events fit; a larger body is read past the buffer. */
    static final int BUFFER_BYTES = 4 * 1024;

    private final InputStream socket;
    private final byte[] buffer = new byte[BUFFER_BYTES];
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

    private int fill() throws IOException {
        int read = socket.read(buffer, 0, buffer.length);
        position = 0;
        limit = Math.max(read, 0);
        return read;
    }
}
