package io.multikube.kubeconfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.multikube.pki.KeyAndCertificate;

/**
 * A JDK {@link SSLServerSocket} on 127.0.0.1 standing in for a kube-apiserver: it presents a certificate,
 * optionally requires a client certificate from a given CA, answers "ok" after the handshake and records what
 * it saw. Built with plain JSSE so it does not share code with what it tests.
 */
final class TlsTestServer implements AutoCloseable {
    private static final char[] PASSWORD = "test".toCharArray();

    /** What the server saw of one connection. */
    record Seen(Optional<String> clientSubject, List<String> serverNames) {
    }

    private final SSLServerSocket socket;
    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    private TlsTestServer(SSLServerSocket socket) {
        this.socket = socket;
        this.acceptor = Thread.ofPlatform().daemon().name("tls-test-server").start(this::serve);
    }

    /** @param clientCa when not null, a client certificate issued by it is required */
    static TlsTestServer start(KeyAndCertificate server, X509Certificate clientCa)
            throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", server.key(), PASSWORD, new Certificate[] {server.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
        keyManagers.init(keys, PASSWORD);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        if (clientCa != null) {
            trusted.setCertificateEntry("client-ca", clientCa);
        }
        trustManagers.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        socket.setNeedClientAuth(clientCa != null);
        return new TlsTestServer(socket);
    }

    int port() {
        return socket.getLocalPort();
    }

    /**
     * Connects to 127.0.0.1 as the upstream layer would for a URL whose host is {@code urlHost}: a socket for
     * that host, with {@link UpstreamTls#parameters(String)} applied. Returns what the server saw.
     *
     * @throws IOException when the handshake fails on either side
     */
    Seen connect(UpstreamTls tls, String urlHost) throws IOException, InterruptedException {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port());
        try (SSLSocket client = (SSLSocket) tls.sslContext().getSocketFactory()
                .createSocket(plain, urlHost, port(), true)) {
            client.setSoTimeout(5_000);
            client.setSSLParameters(tls.parameters(urlHost));
            client.startHandshake();
            // With TLS 1.3 the server judges the client certificate after the client's handshake is done: only
            // the server's answer proves both sides agreed.
            String answer = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            if (!"ok".equals(answer)) {
                throw new IOException("server answered " + answer + " (expected: ok)");
            }
        }
        Seen result = seen.poll(5, TimeUnit.SECONDS);
        if (result == null) {
            throw new IOException("server recorded nothing");
        }
        return result;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.close();
        acceptor.join(5_000);
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (SSLSocket connection = (SSLSocket) socket.accept()) {
                connection.setSoTimeout(5_000);
                connection.startHandshake();
                Seen result = new Seen(clientSubject(connection), serverNames(connection));
                OutputStream out = connection.getOutputStream();
                out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                seen.add(result);
            } catch (IOException e) {
                // A failed handshake, or the socket closed by close(): the client side reports it.
            }
        }
    }

    private static Optional<String> clientSubject(SSLSocket connection) {
        try {
            return Optional.of(connection.getSession().getPeerPrincipal().getName());
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    private static List<String> serverNames(SSLSocket connection) {
        return ((ExtendedSSLSession) connection.getSession()).getRequestedServerNames().stream()
                .map(name -> ((SNIHostName) name).getAsciiName())
                .toList();
    }
}
