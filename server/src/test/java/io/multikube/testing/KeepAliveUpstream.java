package io.multikube.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import io.multikube.pipeline.Headers;

/**
 * A raw HTTP/1.1 upstream that reads request after request on each connection and answers each with scripted bytes,
 * recording which connection carried which request — to test connection reuse byte for byte, including answers a
 * well-behaved server would not send.
 */
public final class KeepAliveUpstream implements AutoCloseable {
    /** A request as received, with the number of the connection that carried it (from 0). */
    public record Received(int connection, String requestLine, Headers headers) {
    }

    /**
     * What to do after a request: the bytes to send, then keep reading, close the connection, or go silent; with
     * {@code unasked}, those bytes follow a moment later, unasked, before the connection closes.
     */
    public record Reply(String bytes, After after, String unasked) {
        public Reply(String bytes, After after) {
            this(bytes, after, "");
        }

        public static Reply keep(String bytes) {
            return new Reply(bytes, After.KEEP);
        }

        public static Reply close(String bytes) {
            return new Reply(bytes, After.CLOSE);
        }

        public static Reply silent() {
            return new Reply("", After.SILENT);
        }

        /**
         * Sends these bytes, then, once the client has had time to take the answer in and put the connection back,
         * an answer nobody asked for (an idle timeout's 408, as some servers send), and closes.
         */
        public static Reply thenUnasked(String bytes, String unasked) {
            return new Reply(bytes, After.CLOSE, unasked);
        }
    }

    public enum After { KEEP, CLOSE, SILENT }

    private static final long UNASKED_DELAY_MILLIS = 300;

    /** Chooses the reply to the {@code index}-th request (from 0, over all connections). */
    @FunctionalInterface
    public interface Script {
        Reply reply(Received request, int index);
    }

    private final ServerSocket server;
    private final Script script;
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final Semaphore closed = new Semaphore(0);

    private KeepAliveUpstream(ServerSocket server, Script script) {
        this.server = server;
        this.script = script;
        Thread.ofVirtual().name("keep-alive-upstream-accept").start(this::acceptLoop);
    }

    public static KeepAliveUpstream plain(Script script) throws IOException {
        return new KeepAliveUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
    }

    /** Over TLS, offering {@code h2} and {@code http/1.1} by ALPN (a client offering only HTTP/1.1 gets it). */
    public static KeepAliveUpstream tls(SSLContext context, Script script) throws IOException {
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SSLParameters parameters = server.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        server.setSSLParameters(parameters);
        return new KeepAliveUpstream(server, script);
    }

    /** The same reply, with the connection kept, to every request. */
    public static Script always(String bytes) {
        return (request, index) -> Reply.keep(bytes);
    }

    /** A 200 response with this body and its {@code Content-Length}. */
    public static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Received> requests() {
        return List.copyOf(requests);
    }

    public int connectionCount() {
        return connections.get();
    }

    /** Waits until this many connections were closed on this side. */
    public boolean awaitClosed(int count, Duration timeout) throws InterruptedException {
        return closed.tryAcquire(count, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                int number = connections.getAndIncrement();
                sockets.add(socket);
                Thread.ofVirtual().name("keep-alive-upstream-connection").start(() -> serve(socket, number));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int number) {
        try (socket) {
            if (socket instanceof SSLSocket ssl) {
                ssl.startHandshake();
            }
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                Received request = readRequest(in, number);
                if (request == null) {
                    return;
                }
                requests.add(request);
                Reply reply = script.reply(request, answered.getAndIncrement());
                out.write(reply.bytes().getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!reply.unasked().isEmpty()) {
                    Thread.sleep(UNASKED_DELAY_MILLIS);
                    out.write(reply.unasked().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                if (reply.after() == After.CLOSE) {
                    return;
                }
                if (reply.after() == After.SILENT) {
                    in.transferTo(OutputStream.nullOutputStream());
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away; tests assert on what was recorded
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed.release();
        }
    }

    /** The next request's head, or null when the client closed the connection between requests. */
    private static Received readRequest(InputStream in, int connection) throws IOException {
        String requestLine = line(in);
        if (requestLine == null) {
            return null;
        }
        List<Headers.Header> fields = new ArrayList<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            fields.add(new Headers.Header(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        return new Received(connection, requestLine, new Headers(fields));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return null;
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
