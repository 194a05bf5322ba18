package io.multikube.upstream;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.UpstreamTls;
import io.multikube.testing.UpgradeUpstream;
import io.multikube.testing.ClosedPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class UpstreamSocketsTest {
    private static final UpgradeUpstream.Pki PKI = UpgradeUpstream.Pki.create();
    private static final UpgradeUpstream.Pki ONLY_INTERNAL_NAME = UpgradeUpstream.Pki.onlyNames("kubernetes.internal");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final UpstreamSockets sockets = new UpstreamSockets(Duration.ofSeconds(2));
    private UpgradeUpstream upstream;

    @AfterEach
    void stop() throws IOException {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void tlsOffersOnlyHttp11AndSendsTheDnsHostAsSni() throws Exception {
        upstream = UpgradeUpstream.tls(PKI.serverContext(), UpgradeUpstream.silent());

        try (Socket socket = sockets.open(context("https://localhost:" + upstream.port(), PKI, true, null))) {
            assertThat(socket).isInstanceOf(SSLSocket.class);
            assertThat(((SSLSocket) socket).getApplicationProtocol()).isEqualTo("http/1.1");
            assertThat(socket.getTcpNoDelay()).isTrue();
        }
        UpgradeUpstream.Connection connection = upstream.awaitConnection(WAIT);
        assertThat(connection.alpn()).contains("http/1.1");
        assertThat(connection.sniNames()).containsExactly("localhost");
    }

    @Test
    void tlsServerNameIsSentAndVerifiedInsteadOfTheUrlHost() throws Exception {
        upstream = UpgradeUpstream.tls(ONLY_INTERNAL_NAME.serverContext(), UpgradeUpstream.silent());

        try (Socket socket = sockets.open(context("https://127.0.0.1:" + upstream.port(), ONLY_INTERNAL_NAME, true,
                "kubernetes.internal"))) {
            assertThat(socket.isConnected()).isTrue();
        }
        assertThat(upstream.awaitConnection(WAIT).sniNames()).containsExactly("kubernetes.internal");
    }

    @Test
    void aCertificateNotNamingTheHostIsRefused() throws Exception {
        upstream = UpgradeUpstream.tls(ONLY_INTERNAL_NAME.serverContext(), UpgradeUpstream.silent());

        assertThatThrownBy(() -> sockets.open(context("https://127.0.0.1:" + upstream.port(), ONLY_INTERNAL_NAME,
                true, null))).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theServerNameReplacesTheUrlHostInVerification() throws Exception {
        // the certificate names the URL host, but not the configured server name
        upstream = UpgradeUpstream.tls(PKI.serverContext(), UpgradeUpstream.silent());

        assertThatThrownBy(() -> sockets.open(context("https://localhost:" + upstream.port(), PKI, true,
                "other.internal"))).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void hostnamesAreNotVerifiedWhenVerificationIsOff() throws Exception {
        upstream = UpgradeUpstream.tls(ONLY_INTERNAL_NAME.serverContext(), UpgradeUpstream.silent());

        try (Socket socket = sockets.open(context("https://127.0.0.1:" + upstream.port(), ONLY_INTERNAL_NAME, false,
                null))) {
            assertThat(socket.isConnected()).isTrue();
        }
    }

    @Test
    void ipLiteralHostsSendNoSni() throws Exception {
        upstream = UpgradeUpstream.tls(PKI.serverContext(), UpgradeUpstream.silent());

        try (Socket socket = sockets.open(context("https://127.0.0.1:" + upstream.port(), PKI, true, null))) {
            assertThat(socket.isConnected()).isTrue();
        }
        assertThat(upstream.awaitConnection(WAIT).sniNames()).isEmpty();
    }

    @Test
    void withoutTlsSettingsTheSocketIsPlain() throws Exception {
        upstream = UpgradeUpstream.plain(UpgradeUpstream.silent());

        try (Socket socket = sockets.open(new ClusterContext("dev", URI.create("http://127.0.0.1:" + upstream.port()),
                Optional.empty(), Optional.empty()))) {
            assertThat(socket).isNotInstanceOf(SSLSocket.class);
            assertThat(socket.isConnected()).isTrue();
        }
    }

    @Test
    void aRefusedConnectionIsAConnectException() throws Exception {
        int closedPort = ClosedPort.reserve().port();

        assertThatThrownBy(() -> sockets.open(new ClusterContext("dev",
                URI.create("http://127.0.0.1:" + closedPort), Optional.empty(), Optional.empty())))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aHandshakeThatNeverCompletesTimesOut() throws Exception {
        // the backlog accepts the TCP connection; nobody ever answers the ClientHello
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            UpstreamSockets quick = new UpstreamSockets(Duration.ofMillis(300));

            assertThatThrownBy(() -> quick.open(context("https://localhost:" + silent.getLocalPort(), PKI, true,
                    null))).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void sslParametersAllowTls13And12HttpsIdentificationAndOnlyHttp11() throws Exception {
        SSLSocket socket = (SSLSocket) PKI.clientContext().getSocketFactory().createSocket();
        UpstreamTls tls = new UpstreamTls(PKI.clientContext(), true, Optional.empty());

        SSLParameters parameters = UpstreamSockets.sslParameters(socket, tls, "api.example.com");

        assertThat(parameters.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(parameters.getApplicationProtocols()).containsExactly("http/1.1");
        assertThat(parameters.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(parameters.getServerNames()).containsExactly(new SNIHostName("api.example.com"));
        assertThat(UpstreamSockets.sslParameters(socket, new UpstreamTls(PKI.clientContext(), false,
                Optional.empty()), "::1").getEndpointIdentificationAlgorithm()).isNull();
        assertThat(UpstreamSockets.sslParameters(socket, tls, "::1").getServerNames()).isEmpty();
    }

    @Test
    void ipv6HostsLoseTheirBracketsForConnectingButKeepThemInHost() {
        URI server = URI.create("https://[::1]:6443");

        assertThat(UpstreamSockets.bareHost(server)).isEqualTo("::1");
        assertThat(UpgradeRelay.hostField(server)).isEqualTo("[::1]:6443");
        assertThat(UpgradeRelay.hostField(URI.create("https://api.example.com/prefix"))).isEqualTo("api.example.com");
    }

    private static ClusterContext context(String url, UpgradeUpstream.Pki trusted, boolean verifyHostname,
                                          String serverName) {
        UpstreamTls tls = new UpstreamTls(trusted.clientContext(), verifyHostname, Optional.ofNullable(serverName));
        return new ClusterContext("dev", URI.create(url), Optional.of(tls), Optional.empty());
    }
}
