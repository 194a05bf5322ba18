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
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.multikube.pipeline.Headers;
import io.multikube.pki.Certificates;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;

/**
 * A fake cluster for upgrade requests on a raw (optionally TLS) server socket. It records every request head and how
 * each connection was made (SNI, ALPN), then answers as told: by default {@code 101 Switching Protocols} with the
 * headers a kube-apiserver sends, then it echoes what it reads and, at the client's EOF, writes {@link #FAREWELL} and
 * closes.
 */
public final class UpgradeUpstream implements AutoCloseable {
    /** What the default answer writes after the client half-closed, before closing. */
    public static final String FAREWELL = "bye from upstream\n";
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** A request head as the upstream received it. */
    public record Received(String requestLine, Headers headers) {
        public String target() {
            return requestLine.split(" ")[1];
        }
    }

    /** How one connection was made. */
    public record Connection(Optional<String> alpn, List<String> sniNames, String tlsProtocol) {
    }

    /** How the upstream answers a request; runs on the connection's own thread. */
    @FunctionalInterface
    public interface Answer {
        void answer(Received request, UpgradeUpstream upstream, InputStream in, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final Answer answer;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Connection> handshaken = new LinkedBlockingQueue<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final CountDownLatch clientEof = new CountDownLatch(1);
    private final ByteArrayOutputStream echoed = new ByteArrayOutputStream();

    private UpgradeUpstream(ServerSocket server, Answer answer) {
        this.server = server;
        this.answer = answer;
        Thread.ofVirtual().name("upgrade-upstream-accept").start(this::acceptLoop);
    }

    /** A plain TCP upstream on a free loopback port. */
    public static UpgradeUpstream plain(Answer answer) throws IOException {
        return new UpgradeUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), answer);
    }

    /** A TLS upstream; ALPN prefers {@code h2}, so a client offering it would get it. */
    public static UpgradeUpstream tls(SSLContext context, Answer answer, String... protocols) throws IOException {
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SSLParameters parameters = server.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        if (protocols.length > 0) {
            parameters.setProtocols(protocols);
        }
        server.setSSLParameters(parameters);
        return new UpgradeUpstream(server, answer);
    }

    /** Answers 101 like a kube-apiserver, echoes, and says {@link #FAREWELL} at the client's EOF. */
    public static Answer switching() {
        return switching(new byte[0]);
    }

    /** As {@link #switching()}, sending {@code greeting} in the same write as the 101 head. */
    public static Answer switching(byte[] greeting) {
        return (request, upstream, in, out) -> {
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            response.writeBytes(switchingHead(request).getBytes(StandardCharsets.ISO_8859_1));
            response.writeBytes(greeting);
            out.write(response.toByteArray());
            out.flush();
            upstream.echoUntilEof(in, out);
        };
    }

    /** Answers with exactly these bytes, then waits for the client to close (so framing, not EOF, ends the body). */
    public static Answer responding(String rawResponse) {
        return (request, upstream, in, out) -> {
            out.write(rawResponse.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            in.transferTo(OutputStream.nullOutputStream());
        };
    }

    /** Reads the request and never answers. */
    public static Answer silent() {
        return (request, upstream, in, out) -> in.transferTo(OutputStream.nullOutputStream());
    }

    /** The 101 head a kube-apiserver sends for this request (WebSocket or SPDY). */
    public static String switchingHead(Received request) {
        String upgrade = request.headers().first("Upgrade").orElse("SPDY/3.1");
        StringBuilder head = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Upgrade: ").append(upgrade).append("\r\n");
        request.headers().first("Sec-WebSocket-Key").ifPresent(key ->
                head.append("Sec-WebSocket-Accept: ").append(websocketAccept(key)).append("\r\n"));
        request.headers().first("Sec-WebSocket-Protocol").ifPresent(offered ->
                head.append("Sec-WebSocket-Protocol: ").append(offered.split(",")[0].strip()).append("\r\n"));
        if (!request.headers().contains("Sec-WebSocket-Key")) {
            request.headers().first("X-Stream-Protocol-Version").ifPresent(version ->
                    head.append("X-Stream-Protocol-Version: ").append(version).append("\r\n"));
        }
        return head.append("\r\n").toString();
    }

    /** RFC 6455: base64(SHA-1(key + GUID)). */
    public static String websocketAccept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Echoes until the client's EOF, then writes {@link #FAREWELL} and closes the connection. */
    public void echoUntilEof(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            synchronized (echoed) {
                echoed.write(buffer, 0, read);
            }
            out.write(buffer, 0, read);
            out.flush();
        }
        clientEof.countDown();
        out.write(FAREWELL.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The next request head received, waiting up to {@code timeout}. */
    public Received awaitRequest(Duration timeout) throws InterruptedException {
        Received next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("no request reached the upstream within " + timeout);
        }
        return next;
    }

    public List<Received> requests() {
        return List.copyOf(requests);
    }

    /** Connections accepted (TCP), whether or not a request followed. */
    public int connectionCount() {
        return accepted.get();
    }

    /** TLS details of the handshaken connections, in order. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** The next TLS connection handshaken, waiting up to {@code timeout}. */
    public Connection awaitConnection(Duration timeout) throws InterruptedException {
        Connection next = handshaken.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("no TLS connection completed its handshake within " + timeout);
        }
        return next;
    }

    /** Whether the client's end of stream (a half-close) reached the upstream within {@code timeout}. */
    public boolean awaitClientEof(Duration timeout) throws InterruptedException {
        return clientEof.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Everything the default answer echoed, across connections. */
    public byte[] echoed() {
        synchronized (echoed) {
            return echoed.toByteArray();
        }
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
                accepted.incrementAndGet();
                sockets.add(socket);
                Thread.ofVirtual().name("upgrade-upstream-connection").start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            if (socket instanceof SSLSocket ssl) {
                ssl.startHandshake();
                Connection connection = describe(ssl);
                connections.add(connection);
                handshaken.add(connection);
            }
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Received request = readRequest(in);
            requests.add(request);
            received.add(request);
            answer.answer(request, this, in, socket.getOutputStream());
        } catch (IOException e) {
            // the peer went away; tests assert on what was recorded
        }
    }

    private static Connection describe(SSLSocket ssl) {
        List<String> names = new ArrayList<>();
        if (ssl.getSession() instanceof ExtendedSSLSession session) {
            session.getRequestedServerNames().forEach(name ->
                    names.add(name instanceof SNIHostName host ? host.getAsciiName() : name.toString()));
        }
        String alpn = ssl.getApplicationProtocol();
        return new Connection(alpn == null || alpn.isEmpty() ? Optional.empty() : Optional.of(alpn), names,
                ssl.getSession().getProtocol());
    }

    private static Received readRequest(InputStream in) throws IOException {
        String requestLine = line(in);
        List<Headers.Header> fields = new ArrayList<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            fields.add(new Headers.Header(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        return new Received(requestLine, new Headers(fields));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("request head ended early");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** A CA and a server certificate for {@code localhost}, {@code 127.0.0.1} and any further names. */
    public record Pki(KeyAndCertificate ca, KeyAndCertificate server) {
        public static Pki create(String... extraNames) {
            KeyAndCertificate ca = Certificates.selfSignedCa("upgrade-test-ca", KeyType.EC_P256, Duration.ofHours(1));
            List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1"));
            names.addAll(List.of(extraNames));
            return new Pki(ca, Certificates.issue(ca, "upgrade-test-server", Certificates.Usage.SERVER, names,
                    KeyType.EC_P256, Duration.ofHours(1)));
        }

        /** Only the given names (no localhost), to test hostname verification. */
        public static Pki onlyNames(String... names) {
            KeyAndCertificate ca = Certificates.selfSignedCa("upgrade-test-ca", KeyType.EC_P256, Duration.ofHours(1));
            return new Pki(ca, Certificates.issue(ca, "upgrade-test-server", Certificates.Usage.SERVER,
                    List.of(names), KeyType.EC_P256, Duration.ofHours(1)));
        }

        /** Presents the server certificate (with the CA in the chain). */
        public SSLContext serverContext() {
            try {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                char[] password = "test".toCharArray();
                keys.setKeyEntry("server", server.key(), password,
                        new Certificate[] {server.certificate(), ca.certificate()});
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(keys, password);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(factory.getKeyManagers(), null, null);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Trusts only the CA. */
        public SSLContext clientContext() {
            try {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("ca", ca.certificate());
                TrustManagerFactory factory = TrustManagerFactory.getInstance(
                        TrustManagerFactory.getDefaultAlgorithm());
                factory.init(trust);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, factory.getTrustManagers(), null);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
