package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RawClient;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;
import io.multikube.testing.TestPki;

/** With {@code --tls-ca}, only clients holding a certificate from that CA get past the handshake. */
class MutualTlsTest {
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

    @Test
    void clientCertificateFromTheCaIsAccepted() throws Exception {
        String response = RawClient.exchange(clientTls(clientCa), proxy.tlsPort(), request());

        assertThat(response).startsWith("HTTP/1.1 200");
    }

    @Test
    void noClientCertificateIsRefusedAndNothingIsForwarded() {
        assertThat(attempt(proxy.clientTls())).startsWith("refused");
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    @Test
    void clientCertificateFromAnotherCaIsRefused() throws Exception {
        TestPki stranger = TestPki.create("another CA");

        assertThat(attempt(clientTls(stranger))).startsWith("refused");
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    /** Trusts multikube's serving CA and presents a certificate issued by {@code issuer}. */
    private SSLContext clientTls(TestPki issuer) {
        return issuer.sslContext(issuer.client("kubectl-user"), proxy.pki());
    }

    /** The response, or "refused" when the handshake or the first read failed (TLS 1.3 reports it late). */
    private String attempt(SSLContext tls) {
        try {
            String response = RawClient.exchange(tls, proxy.tlsPort(), request());
            return response.isEmpty() ? "refused: connection closed without a response" : response;
        } catch (IOException e) {
            return "refused: " + e;
        }
    }

    private String request() {
        return "GET /version HTTP/1.1\r\nHost: m\r\nAuthorization: Bearer " + proxy.token("alice", "dev")
                + "\r\nConnection: close\r\n\r\n";
    }
}
