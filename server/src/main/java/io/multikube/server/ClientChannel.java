package io.multikube.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.ConnectionContext;

/**
 * The client's side of a connection Helidon has handed over: raw reads that start with whatever Helidon already
 * buffered after the request head, immediate writes, and close. Helidon's socket offers no half-close.
 */
final class ClientChannel {
    private final ConnectionContext ctx;

    ClientChannel(ConnectionContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
    }

    /** The client's address, the source of {@code X-Forwarded-For}. */
    InetSocketAddress peer() {
        if (ctx.remotePeer().address() instanceof InetSocketAddress address) {
            return address;
        }
        return InetSocketAddress.createUnresolved(ctx.remotePeer().host(), ctx.remotePeer().port());
    }

    /**
     * The next bytes from the client, blocking until some arrive.
     *
     * @return the bytes, or {@code null} when the client has closed its side
     * @throws IOException when the connection fails or is closed here
     */
    byte[] read() throws IOException {
        DataReader reader = ctx.dataReader();
        try {
            reader.ensureAvailable();
            return reader.readBytes(reader.available());
        } catch (DataReader.InsufficientDataAvailableException e) {
            return null;
        } catch (RuntimeException e) {
            throw new IOException("reading from the client failed", e);
        }
    }

    void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    /** Writes at once; the bytes are copied, so the caller may reuse its buffer. */
    void write(byte[] bytes, int offset, int length) throws IOException {
        try {
            ctx.dataWriter().writeNow(BufferData.create(Arrays.copyOfRange(bytes, offset, offset + length)));
        } catch (RuntimeException e) {
            throw new IOException("writing to the client failed", e);
        }
    }

    OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                ClientChannel.this.write(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ClientChannel.this.write(bytes, offset, length);
            }
        };
    }

    /** Closes the connection (FIN, after {@code close_notify} under TLS); a blocked {@link #read()} then fails. */
    void close() {
        try {
            ctx.serverSocket().close();
        } catch (RuntimeException ignored) {
            // already closed, or a transport without a socket: Helidon closes it when the connection ends
        }
    }
}
