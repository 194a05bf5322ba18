package io.multikube.upstream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An HTTP/1.1 body of known length that reads its own end as soon as its last byte was delivered.
 *
 * <p>Helidon returns an HTTP/1.1 connection to its pool only when the body was read to its end (-1); closed one byte
 * earlier, the connection is closed and the next request pays for a new TCP and TLS handshake. The relay stops at the
 * declared length (reading on could only meet a reset), so the end is read here: on a length-delimited HTTP/1.1 body
 * it never waits for the network.
 */
final class PoolReturningBody extends FilterInputStream {
    private long remaining;

    PoolReturningBody(InputStream body, long length) {
        super(body);
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int read = read(one, 0, 1);
        return read < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        if (read > 0) {
            remaining -= read;
            if (remaining <= 0) {
                readEnd();
            }
        }
        return read;
    }

    @Override
    public long skip(long count) throws IOException {
        long skipped = super.skip(count);
        remaining -= skipped;
        if (skipped > 0 && remaining <= 0) {
            readEnd();
        }
        return skipped;
    }

    private void readEnd() throws IOException {
        remaining = Long.MAX_VALUE;
        in.read();
    }
}
