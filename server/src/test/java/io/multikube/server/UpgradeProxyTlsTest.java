package io.multikube.server;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.UpstreamTls;
import io.multikube.testing.UpgradeUpstream;
import io.multikube.upstream.HttpHead;
import io.multikube.upstream.UpgradeRelay;
import io.multikube.upstream.UpstreamSockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Upgrades with TLS on both sides: client to multikube's TLS listener, multikube to a TLS cluster. */
final class UpgradeProxyTlsTest {
    private static final UpgradeUpstream.Pki PKI = UpgradeUpstream.Pki.create();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private UpgradeUpstream upstream;
    private WebServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.stop();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void relaysAndHalfClosesWithTls13OnBothSides() throws Exception {
        start(PKI.clientContext(), false);
        try (UpgradeClient client = UpgradeClient.connectTls(server.port(), PKI.clientContext())) {
            client.send(UpgradeClient.spdyExec(UpgradeProxyTest.EXEC, server.port()));
            assertThat(client.readHead().code()).isEqualTo(101);
            client.send("over tls");
            assertThat(client.readExactly(8)).isEqualTo("over tls");
            client.send("stdin closes now");
            client.shutdownOutput();

            assertThat(upstream.awaitClientEof(WAIT)).isTrue();
            assertThat(client.readToEnd()).isEqualTo("stdin closes now" + UpgradeUpstream.FAREWELL);
        }
        assertThat(upstream.connections()).singleElement().satisfies(connection -> {
            assertThat(connection.tlsProtocol()).isEqualTo("TLSv1.3");
            assertThat(connection.alpn()).contains("http/1.1");
            assertThat(connection.sniNames()).containsExactly("localhost");
        });
        assertThat(upstream.awaitRequest(WAIT).headers().all("Authorization"))
                .containsExactly("Bearer cluster-token");
    }

    /**
     * Pins a Helidon limit: its NIO TLS socket (the listener default) treats the client's {@code close_notify} as the
     * end of the connection, so nothing can be written after a client's TLS half-close. The half-close still reaches
     * the cluster and the session ends instead of hanging. A listener with {@code use-nio: false} relays the reply.
     */
    @Test
    void nioTlsListenerEndsTheSessionAtAClientHalfClose() throws Exception {
        start(PKI.clientContext(), true);
        try (UpgradeClient client = UpgradeClient.connectTls(server.port(), PKI.clientContext())) {
            client.send(UpgradeClient.spdyExec(UpgradeProxyTest.EXEC, server.port()));
            assertThat(client.readHead().code()).isEqualTo(101);
            client.send("stdin closes now");
            assertThat(client.readExactly(16)).isEqualTo("stdin closes now");
            client.shutdownOutput();

            assertThat(upstream.awaitClientEof(WAIT)).isTrue();
            assertThat(client.readToEnd()).isEmpty();
        }
    }

    /**
     * TLS 1.2 has no half-close in the JDK: a JDK peer answers our {@code close_notify} with its own and stops
     * writing, so the session ends at the half-close. (Go's crypto/tls, as in a kube-apiserver, keeps writing.)
     */
    @Test
    void halfCloseTowardAJdkTls12ClusterEndsTheSession() throws Exception {
        start(PKI.clientContext(), false, "TLSv1.2");
        try (UpgradeClient client = UpgradeClient.connectTls(server.port(), PKI.clientContext())) {
            client.send(UpgradeClient.spdyExec(UpgradeProxyTest.EXEC, server.port()));
            assertThat(client.readHead().code()).isEqualTo(101);
            client.send("stdin closes now");
            assertThat(client.readExactly(16)).isEqualTo("stdin closes now");
            client.shutdownOutput();

            assertThat(upstream.awaitClientEof(WAIT)).isTrue();
            assertThat(client.readToEnd()).isEmpty();
        }
        assertThat(upstream.connections()).singleElement()
                .satisfies(connection -> assertThat(connection.tlsProtocol()).isEqualTo("TLSv1.2"));
    }

    @Test
    void untrustedClusterCertificateIs503() throws Exception {
        start(UpgradeUpstream.Pki.create().clientContext(), true);
        try (UpgradeClient client = UpgradeClient.connectTls(server.port(), PKI.clientContext())) {
            client.send(UpgradeClient.spdyExec(UpgradeProxyTest.EXEC, server.port()));
            HttpHead head = client.readHead();

            assertThat(head.code()).isEqualTo(503);
            assertThat(client.readToEnd()).contains("\"reason\":\"ServiceUnavailable\"", "\\\"secure\\\"");
        }
        assertThat(upstream.requests()).isEmpty();
    }

    private void start(SSLContext trustingTheCluster, boolean useNio, String... clusterProtocols) throws IOException {
        upstream = UpgradeUpstream.tls(PKI.serverContext(), UpgradeUpstream.switching(), clusterProtocols);
        ClusterContext cluster = new ClusterContext("secure", URI.create("https://localhost:" + upstream.port()),
                Optional.of(new UpstreamTls(trustingTheCluster, true, Optional.empty())),
                Optional.of(() -> "cluster-token"));
        UpgradeRelay relay = new UpgradeRelay(new UpstreamSockets(Duration.ofSeconds(2)), Duration.ofSeconds(5));
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .useNio(useNio)
                .tls(Tls.builder()
                        .privateKey(PKI.server().key())
                        .privateKeyCertChain(List.of(PKI.server().certificate(), PKI.ca().certificate()))
                        .build())
                .addConnectionSelector(UpgradeProxy.connectionSelector(UpgradeProxyTest.routingTo(cluster), relay))
                .build()
                .start();
    }
}
