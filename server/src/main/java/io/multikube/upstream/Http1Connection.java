package io.multikube.upstream;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;

/**
 * One HTTP/1.1 connection to a cluster, carrying one request at a time: it writes a request head and reads the
 * response head; the body is read through {@link #input()}.
 */
final class Http1Connection implements Closeable {
    private final Socket socket;
    private final Http1Input in;
    private final OutputStream out;
    /** The TCP socket's stream under any TLS layer: only asked what has arrived, never read. */
    private final InputStream transport;

    Http1Connection(Socket socket) throws IOException {
        this(socket, socket);
    }

    /** @param transport the TCP socket under {@code socket}'s TLS layer, or {@code socket} itself */
    Http1Connection(Socket socket, Socket transport) throws IOException {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.in = new Http1Input(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.transport = transport.getInputStream();
    }

    /** A connection over a socket just opened, which is closed when its streams cannot be had. */
    static Http1Connection over(UpstreamSockets.Connected connected) throws IOException {
        try {
            return new Http1Connection(connected.socket(), connected.transport());
        } catch (IOException | RuntimeException e) {
            connected.socket().close();
            throw e;
        }
    }

    /** Sends a whole request head (a request without a body) in one write. */
    void send(byte[] head, Duration readTimeout) throws IOException {
        in.widen();
        socket.setSoTimeout(Math.toIntExact(Math.min(readTimeout.toMillis(), Integer.MAX_VALUE)));
        out.write(head);
        out.flush();
    }

    /**
     * Reads the response head, passing over interim ({@code 1xx}) answers: a request without a body expects none,
     * but a cluster may still send {@code 103 Early Hints}.
     *
     * @throws java.io.EOFException when the connection ends before a head does
     * @throws ProtocolException    when the head is malformed, or the cluster switched protocols unasked
     */
    HttpHead readHead() throws IOException {
        HttpHead head = HeadReader.read(in, HeadReader.DEFAULT_MAX_HEAD_BYTES);
        while (head.code() < 200) {
            if (head.switchingProtocols()) {
                throw new ProtocolException("the cluster switched protocols for a request that asked for none");
            }
            head = HeadReader.read(in, HeadReader.DEFAULT_MAX_HEAD_BYTES);
        }
        return head;
    }

    /**
     * Waits for the first byte of an answer. On a connection taken from the pool, an end here means the cluster had
     * closed it while idle — the request never reached it and can go on a new connection.
     *
     * @return false when the connection ended before any byte of an answer
     */
    boolean answerStarts() throws IOException {
        return in.awaitByte();
    }

    Http1Input input() {
        return in;
    }

    /**
     * Ends the current request, whose answer was read to its end. A connection with bytes waiting (nothing was
     * asked) or closed cannot carry another request.
     *
     * @return whether it can carry another request
     */
    boolean finishRequest() {
        return !socket.isClosed() && !in.hasBuffered();
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    /**
     * Whether anything arrived while no request was out: an answer nobody asked for (a server's 408 for its idle
     * timeout, sent before it closes) or TLS's {@code close_notify}. A request sent on such a connection would have
     * those bytes read as its answer. Asks the TCP socket (one {@code FIONREAD}), where bytes under TLS wait
     * undecrypted. A peer's plain close shows as nothing arrived; the resend of {@link Http1Upstream} covers it.
     */
    boolean receivedWhileIdle() {
        try {
            return in.hasBuffered() || transport.available() > 0;
        } catch (IOException e) {
            return true; // a socket that cannot say is not one to send on
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the connection is gone either way
        }
    }
}
