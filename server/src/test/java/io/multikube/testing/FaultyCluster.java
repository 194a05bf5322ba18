package io.multikube.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster that breaks the network the way real ones do and no well-behaved server library would: it accepts a
 * connection, reads the request head, optionally writes some bytes, then resets the connection (RST, by closing
 * with {@code SO_LINGER 0}). A fake only because a reset is a network shape, not a server behaviour.
 */
public final class FaultyCluster implements AutoCloseable {
    private final ServerSocket server;
    private final byte[] before;
    private final boolean readHead;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private FaultyCluster(byte[] before, boolean readHead) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.before = before;
        this.readHead = readHead;
        Thread.ofVirtual().name("faulty-cluster").start(this::acceptLoop);
    }

    /** Resets every connection as soon as it is accepted. */
    public static FaultyCluster resetOnAccept() throws IOException {
        return new FaultyCluster(new byte[0], false);
    }

    /** Reads the request head, sends a 200 head and the first chunk of a streamed body, then resets. */
    public static FaultyCluster resetMidBody() throws IOException {
        String partial = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "1b\r\n{\"kind\":\"PodList\",\"items\":[\r\n";
        return new FaultyCluster(partial.getBytes(StandardCharsets.US_ASCII), true);
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connectionsAccepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                sockets.add(socket);
                Thread.ofVirtual().start(() -> fail(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void fail(Socket socket) {
        try (socket) {
            if (readHead) {
                readHead(socket.getInputStream());
            }
            socket.getOutputStream().write(before);
            socket.getOutputStream().flush();
            Thread.sleep(50);
            socket.setSoLinger(true, 0);
        } catch (IOException | InterruptedException e) {
            // the proxy went away first
        }
    }

    private static void readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
