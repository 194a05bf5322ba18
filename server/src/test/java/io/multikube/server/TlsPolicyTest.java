package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.multikube.pki.Certificates;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RawClient;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;
import io.multikube.testing.TestPki;

/**
 * The TLS listener speaks TLS 1.2 and 1.3 only, with ECDHE and AEAD suites by default, and with {@code --tls-ca}
 * refuses client certificates that are expired or not meant for client authentication (MutualTlsTest covers a
 * missing one and one from another CA). ServerTlsTest covers {@code --tls-min-version=VersionTLS13}.
 */
class TlsPolicyTest {
    @TempDir
    Path folder;

    private final TestPki clientCa = TestPki.create("client CA");
    private RecordingUpstream upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws IOException {
        upstream = RecordingUpstream.plain();
        proxy = ProxyFixture.start(folder, new TestKubeconfig().add(TestKubeconfig.Cluster.plain("dev",
                upstream.port())), ProxyFixture.Options.defaults().withClientCa(clientCa));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        upstream.close();
    }

    /**
     * A hand-written TLS 1.1 ClientHello (the JDK client refuses to send one): the server answers with an alert or
     * closes, never with a ServerHello.
     */
    @Test
    void tls11ClientHelloGetsNoServerHello() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.tlsPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(clientHello(0x0302));
            socket.getOutputStream().flush();
            byte[] answer = readSome(socket.getInputStream());

            assertThat(answer.length == 0 || answer[0] == 0x15).as("an alert record or a close").isTrue();
            if (answer.length >= 7) {
                assertThat(answer[6]).as("alert description protocol_version").isEqualTo((byte) 70);
            }
        }
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void tls12And13AreServed(String protocol) throws IOException {
        SSLContext tls = clientCa.sslContext(clientCa.client("kubectl"), proxy.pki());
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", proxy.tlsPort())) {
            socket.setEnabledProtocols(new String[] {protocol});
            socket.startHandshake();

            assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
        }
    }

    /** The default suites: a TLS 1.2 client offering only CBC or RSA-key-exchange suites finds no common one. */
    @Test
    void tls12ClientWithOnlyCbcOrRsaKeyExchangeSuitesIsRefused() {
        SSLContext tls = clientCa.sslContext(clientCa.client("kubectl"), proxy.pki());
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", proxy.tlsPort())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_RSA_WITH_AES_256_CBC_SHA256"});

            assertThat(handshake(socket)).startsWith("refused");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    private static String handshake(SSLSocket socket) {
        try {
            socket.startHandshake();
            return "accepted: " + socket.getSession().getCipherSuite();
        } catch (IOException e) {
            return "refused: " + e;
        }
    }

    @Test
    void expiredClientCertificateIsRefused() {
        KeyAndCertificate expired = Certificates.issue(clientCa.ca(), "CN=kubectl", Certificates.Usage.CLIENT,
                List.of(), KeyType.EC_P256, Duration.ofHours(1), Instant.now().minus(Duration.ofDays(2)));

        assertThat(attempt(clientCa.sslContext(expired, proxy.pki()))).startsWith("refused");
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    @Test
    void serverAuthOnlyCertificateIsRefusedAsAClientCertificate() {
        KeyAndCertificate serverOnly = clientCa.server("kubectl");

        assertThat(attempt(clientCa.sslContext(serverOnly, proxy.pki()))).startsWith("refused");
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    @Test
    void validClientCertificateFromTheSameCaIsAccepted() {
        assertThat(attempt(clientCa.sslContext(clientCa.client("kubectl"), proxy.pki()))).startsWith("HTTP/1.1 200");
    }

    private String attempt(SSLContext tls) {
        try {
            String response = RawClient.exchange(tls, proxy.tlsPort(), "GET /version HTTP/1.1\r\nHost: m\r\n"
                    + "Authorization: Bearer " + proxy.token("alice", "dev") + "\r\nConnection: close\r\n\r\n");
            return response.isEmpty() ? "refused: connection closed without a response" : response;
        } catch (IOException e) {
            return "refused: " + e;
        }
    }

    /** A minimal ClientHello record offering only {@code version} and three CBC suites every TLS 1.1 peer has. */
    static byte[] clientHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version & 0xff);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        body.writeBytes(new byte[] {0, 6, (byte) 0xc0, 0x13, (byte) 0xc0, 0x09, 0x00, 0x2f});
        body.writeBytes(new byte[] {1, 0}); // null compression
        body.writeBytes(new byte[] {0, 14, 0, 0x0a, 0, 4, 0, 2, 0, 0x17, 0, 0x0b, 0, 2, 1, 0});
        byte[] hello = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {0x16, 0x03, 0x01, (byte) ((hello.length + 4) >> 8), (byte) (hello.length + 4)});
        record.writeBytes(new byte[] {0x01, 0, (byte) (hello.length >> 8), (byte) hello.length});
        record.writeBytes(hello);
        return record.toByteArray();
    }

    private static byte[] readSome(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[512];
        try {
            for (int read = in.read(buffer); read >= 0 && out.size() < 4096; read = in.read(buffer)) {
                out.write(buffer, 0, read);
            }
        } catch (IOException e) {
            // reset or timeout: what arrived is the answer
        }
        return out.toByteArray();
    }
}
