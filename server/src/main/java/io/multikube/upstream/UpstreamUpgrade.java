package io.multikube.upstream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Objects;
import java.util.Set;

import io.multikube.pipeline.Headers;

/**
 * A cluster's answer to an upgrade request, with the connection it came on. After a 101 the streams carry the
 * upgraded protocol; otherwise they carry the refusal's body. Closing it closes the connection.
 */
public final class UpstreamUpgrade implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "upgrade");

    private final Socket socket;
    private final HttpHead head;
    private final BufferedInputStream in;
    private final OutputStream out;

    UpstreamUpgrade(Socket socket, HttpHead head, BufferedInputStream in, OutputStream out) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.head = Objects.requireNonNull(head, "head");
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** The response head exactly as the cluster sent it. */
    public HttpHead head() {
        return head;
    }

    /** Whether the cluster answered {@code 101 Switching Protocols}. */
    public boolean switched() {
        return head.switchingProtocols();
    }

    /**
     * The head to give the client: after a 101 exactly the cluster's; otherwise without hop-by-hop fields
     * (and those {@code Connection} names) and with {@code Connection: close}, since the connection ends with it.
     */
    public HttpHead headForClient() {
        if (switched()) {
            return head;
        }
        Set<String> nominated = head.headers().nominatedByConnection();
        Headers kept = head.headers().filter(h -> !HOP_BY_HOP.contains(h.lowerCaseName())
                && !nominated.contains(h.lowerCaseName()));
        return head.withHeaders(kept.plus("Connection", "close"));
    }

    /** Bytes from the cluster: whatever followed the head, then the rest of the connection. */
    public InputStream input() {
        return in;
    }

    /** Bytes to the cluster; each write goes out at once (nothing is buffered here). */
    public OutputStream output() {
        return out;
    }

    /**
     * Copies the body of a refusal (no 101) to {@code target} in the cluster's framing.
     *
     * @return the number of bytes copied
     * @throws IllegalStateException after a 101, where there is no body
     */
    public long copyBodyTo(OutputStream target) throws IOException {
        if (switched()) {
            throw new IllegalStateException("a 101 response has no body; relay the upgraded streams instead");
        }
        return ResponseBody.copy(head, in, target);
    }

    /**
     * Tells the cluster no more bytes come (TCP FIN; under TLS a {@code close_notify} first) while its answer can
     * still be read.
     */
    public void shutdownOutput() throws IOException {
        if (!socket.isOutputShutdown() && !socket.isClosed()) {
            socket.shutdownOutput();
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
