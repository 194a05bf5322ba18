package io.multikube.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import io.multikube.pipeline.Headers;

/**
 * A stand-in cluster on a real socket (plain or TLS) that records each request exactly as it arrives on the
 * wire — request line, header fields in order, body — and answers with what the test scripted. HTTP/1.1 only, so
 * the recorded target is byte-exact.
 */
public final class RecordingUpstream implements AutoCloseable {
    /** A request as the cluster saw it. */
    public record Recorded(String method, String target, Headers headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Writes the response to one request. */
    @FunctionalInterface
    public interface Responder {
        void respond(Recorded request, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new ArrayList<>();
    private volatile Responder responder = json(200, "{\"kind\":\"Status\",\"status\":\"Success\"}");

    private RecordingUpstream(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().name("recording-upstream").start(this::acceptLoop);
    }

    public static RecordingUpstream plain() throws IOException {
        return new RecordingUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    public static RecordingUpstream tls(SSLContext context) throws IOException {
        return new RecordingUpstream(context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    public int port() {
        return server.getLocalPort();
    }

    public RecordingUpstream respondWith(Responder responder) {
        this.responder = responder;
        return this;
    }

    /** The next recorded request, waiting up to 10 s. */
    public Recorded take() throws InterruptedException {
        Recorded request = requests.poll(10, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("the upstream received no request within 10 s");
        }
        return request;
    }

    /** Requests received so far and not yet taken. */
    public int pending() {
        return requests.size();
    }

    public int connectionsAccepted() {
        return connections.get();
    }

    /** A fixed JSON response with Content-Length. */
    public static Responder json(int status, String body) {
        return (request, out) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
        };
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                // A response's head and body are written apart; with Nagle the body waited for multikube's delayed
                // ACK (40 ms a request), which measured this fake, not multikube. Real API servers (Go) send at once.
                socket.setTcpNoDelay(true);
                connections.incrementAndGet();
                synchronized (open) {
                    open.add(socket);
                }
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                Recorded request = read(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                responder.respond(request, out);
            }
        } catch (SocketException e) {
            // the proxy closed the connection
        } catch (IOException | InterruptedException e) {
            // test ended
        }
    }

    private static Recorded read(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        String[] parts = requestLine.split(" ", 3);
        List<Headers.Header> fields = new ArrayList<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            fields.add(new Headers.Header(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        Headers headers = new Headers(fields);
        byte[] body = body(in, headers);
        return new Recorded(parts[0], parts[1], headers, body);
    }

    private static byte[] body(InputStream in, Headers headers) throws IOException {
        if (headers.first("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false)) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).strip(), 16); size > 0;
                 size = Integer.parseInt(line(in).strip(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
            return body.toByteArray();
        }
        int length = headers.first("Content-Length").map(String::strip).map(Integer::parseInt).orElse(0);
        return in.readNBytes(length);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }
}
