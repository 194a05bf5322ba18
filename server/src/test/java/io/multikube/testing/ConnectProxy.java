package io.multikube.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small real HTTP proxy that accepts only {@code CONNECT host:port}, connects, answers 200 and relays bytes both
 * ways. It records each CONNECT target and counts the bytes it relayed, so a test can prove traffic went through.
 */
public final class ConnectProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicLong relayed = new AtomicLong();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    private ConnectProxy(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().name("connect-proxy").start(this::acceptLoop);
    }

    public static ConnectProxy start() throws IOException {
        return new ConnectProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The {@code host:port} of every CONNECT so far. */
    public List<String> targets() {
        return List.copyOf(targets);
    }

    /** The {@code Proxy-Authorization} values received (empty strings for none). */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /** Bytes relayed through tunnels, both directions. */
    public long bytesRelayed() {
        return relayed.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            String[] requestLine = head.split("\r\n")[0].split(" ");
            authorizations.add(head.lines().filter(line -> line.regionMatches(true, 0, "Proxy-Authorization:", 0, 20))
                    .map(line -> line.substring(20).strip()).findFirst().orElse(""));
            OutputStream out = client.getOutputStream();
            if (!requestLine[0].equals("CONNECT")) {
                out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                client.close();
                return;
            }
            targets.add(requestLine[1]);
            int colon = requestLine[1].lastIndexOf(':');
            String host = requestLine[1].substring(0, colon).replace("[", "").replace("]", "");
            Socket upstream = new Socket(host, Integer.parseInt(requestLine[1].substring(colon + 1)));
            open.add(upstream);
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.ofVirtual().start(() -> pump(upstream, client));
            pump(client, upstream);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
                relayed.addAndGet(n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed before the end of its head");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // gone either way
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(ConnectProxy::closeQuietly);
    }
}
