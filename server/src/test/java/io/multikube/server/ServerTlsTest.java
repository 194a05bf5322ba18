package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.helidon.webserver.WebServer;
import io.multikube.config.TlsPolicy;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.testing.TestPki;

/** The listener's TLS as MultikubeServer builds it, on a real Helidon listener, under a non-default policy. */
class ServerTlsTest {
    @TempDir
    Path folder;

    private final TestPki pki = TestPki.create("serving CA");
    private WebServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void minVersionTls13RefusesTls12Clients() throws IOException {
        start(TlsPolicy.parse("VersionTLS13", null));

        assertThat(handshake("TLSv1.2", null)).startsWith("refused");
        assertThat(handshake("TLSv1.3", null)).startsWith("TLSv1.3 TLS_");
    }

    @Test
    void onlyTheConfiguredTls12SuitesAreServed() throws IOException {
        start(TlsPolicy.parse(null, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));

        assertThat(handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).startsWith("refused");
        assertThat(handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"))
                .isEqualTo("TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    }

    @Test
    void withoutTlsCaNoClientCertificateIsAskedFor() throws IOException {
        start(TlsPolicy.DEFAULT);

        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            // A client holding a certificate from the serving CA would present it if asked.
            try (SSLSocket socket = (SSLSocket) pki.sslContext(pki.client("someone")).getSocketFactory()
                    .createSocket("127.0.0.1", server.port())) {
                socket.setEnabledProtocols(new String[] {protocol});
                socket.startHandshake();

                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                assertThat(socket.getSession().getLocalCertificates()).as(protocol).isNull();
            }
        }
    }

    private void start(TlsPolicy policy) {
        KeyAndCertificate serving = pki.server("127.0.0.1");
        Path certificate = TestPki.write(folder.resolve("serving.pem"), serving.certificatePem());
        Path key = TestPki.write(folder.resolve("serving-key.pem"), serving.keyPem());
        server = WebServer.builder().host("127.0.0.1").port(0)
                .tls(ServerTls.create(certificate, key, Optional.empty(), policy))
                .routing(routing -> routing.any((request, response) -> response.send("ok")))
                .build().start();
    }

    private String handshake(String protocol, String suite) throws IOException {
        try (SSLSocket socket = (SSLSocket) pki.sslContext(null).getSocketFactory()
                .createSocket("127.0.0.1", server.port())) {
            socket.setEnabledProtocols(new String[] {protocol});
            if (suite != null) {
                socket.setEnabledCipherSuites(new String[] {suite});
            }
            socket.startHandshake();
            return socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite();
        } catch (javax.net.ssl.SSLException e) {
            return "refused: " + e.getMessage();
        }
    }
}
