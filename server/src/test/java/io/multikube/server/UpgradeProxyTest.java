package io.multikube.server;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.helidon.webserver.WebServer;
import io.multikube.auth.Identity;
import io.multikube.kubeconfig.ClusterContext;
import io.multikube.pipeline.InboundRequest;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.pipeline.RequestRouter;
import io.multikube.status.RouterException;
import io.multikube.testing.UpgradeUpstream;
import io.multikube.upstream.HttpHead;
import io.multikube.upstream.UpgradeRelay;
import io.multikube.upstream.UpstreamSockets;
import io.multikube.testing.ClosedPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Upgrades through a real Helidon server on plain sockets, against a fake cluster. */
final class UpgradeProxyTest {
    static final String EXEC = "/api/v1/namespaces/default/pods/web-0/exec"
            + "?command=sh&command=-c&command=echo%20hi&container=app&stdin=true&stdout=true&tty=false";
    static final Identity ALICE = new Identity("alice", List.of("devs"), List.of("test"), Optional.empty(),
            Optional.empty(), Optional.empty());
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<InboundRequest> routed = new CopyOnWriteArrayList<>();
    private volatile RequestRouter router;
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
    void relaysBytesBothWaysAfter101() throws Exception {
        start(UpgradeUpstream.switching());
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.spdyExec(EXEC, server.port()));
            HttpHead head = client.readHead();

            assertThat(head.code()).isEqualTo(101);
            assertThat(head.headers().all("Upgrade")).containsExactly("SPDY/3.1");
            assertThat(head.headers().all("X-Stream-Protocol-Version")).containsExactly("v4.channel.k8s.io");
            assertThat(head.headers().contains("Content-Length")).isFalse();
            client.send("stdin frame 1");
            assertThat(client.readExactly(13)).isEqualTo("stdin frame 1");
            client.send("and frame 2");
            assertThat(client.readExactly(11)).isEqualTo("and frame 2");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "websocket | v5.channel.k8s.io, v4.channel.k8s.io",
            "websocket | v4.channel.k8s.io",
            "websocket | SPDY/3.1+portforward.k8s.io",
            "WebSocket | v5.channel.k8s.io"})
    void websocketUpgradeRelays(String upgrade, String subprotocols) throws Exception {
        start(UpgradeUpstream.switching());
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.websocket(EXEC, server.port(), upgrade, subprotocols));
            HttpHead head = client.readHead();

            assertThat(head.code()).isEqualTo(101);
            // RFC 6455's example key and accept value: the cluster's answer passes untouched
            assertThat(head.headers().all("Sec-WebSocket-Accept")).containsExactly("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(head.headers().all("Sec-WebSocket-Protocol"))
                    .containsExactly(subprotocols.split(",")[0].strip());
            UpgradeUpstream.Received request = upstream.awaitRequest(WAIT);
            assertThat(request.headers().all("Upgrade")).containsExactly(upgrade);
            assertThat(request.headers().all("Sec-WebSocket-Protocol")).containsExactly(subprotocols);
            assertThat(request.headers().all("Sec-WebSocket-Key")).containsExactly("dGhlIHNhbXBsZSBub25jZQ==");
            assertThat(request.headers().all("Sec-WebSocket-Version")).containsExactly("13");
            byte[] frame = new byte[256];
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (byte) i;
            }
            client.send(frame);
            assertThat(client.readExactly(256).getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(frame);
        }
    }

    @Test
    void halfCloseFromClientReachesUpstreamAndReplyStillArrives() throws Exception {
        start(UpgradeUpstream.switching());
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.spdyExec(EXEC, server.port()));
            assertThat(client.readHead().code()).isEqualTo(101);
            client.send("tar stream");
            client.shutdownOutput();

            assertThat(upstream.awaitClientEof(WAIT)).isTrue();
            assertThat(client.readToEnd()).isEqualTo("tar stream" + UpgradeUpstream.FAREWELL);
        }
    }

    @Test
    void bytesSentRightAfterHeadersAreNotLost() throws Exception {
        start(UpgradeUpstream.switching());
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.spdyExec(EXEC, server.port()) + "early bytes");
            assertThat(client.readHead().code()).isEqualTo(101);

            assertThat(client.readExactly(11)).isEqualTo("early bytes");
        }
    }

    @Test
    void bytesTheClusterSendsWithThe101AreNotLost() throws Exception {
        start(UpgradeUpstream.switching("first frame".getBytes(StandardCharsets.US_ASCII)));
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.spdyExec(EXEC, server.port()));
            assertThat(client.readHead().code()).isEqualTo(101);

            assertThat(client.readExactly(11)).isEqualTo("first frame");
        }
    }

    @Test
    void clusterClosingEndsTheClientConnection() throws Exception {
        start((request, fake, in, out) -> out.write((UpgradeUpstream.switchingHead(request) + "exit 0")
                .getBytes(StandardCharsets.US_ASCII)));
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.spdyExec(EXEC, server.port()));
            assertThat(client.readHead().code()).isEqualTo(101);

            assertThat(client.readToEnd()).isEqualTo("exit 0");
        }
    }

    @Test
    void refusedUpgradePassesStatusAndBodyThrough() throws Exception {
        String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"message\":\"pods \\\"web-0\\\" is forbidden\",\"reason\":\"Forbidden\",\"code\":403}";
        start(UpgradeUpstream.responding("HTTP/1.1 403 Forbidden\r\n"
                + "Audit-Id: from-cluster\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "\r\n" + body));
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.websocket(EXEC, server.port(), "websocket", "v5.channel.k8s.io"));
            HttpHead head = client.readHead();

            assertThat(head.code()).isEqualTo(403);
            assertThat(head.reason()).isEqualTo("Forbidden");
            assertThat(head.headers().all("Audit-Id")).containsExactly("from-cluster");
            assertThat(head.headers().all("Content-Length")).containsExactly(String.valueOf(body.length()));
            assertThat(head.headers().all("Connection")).containsExactly("close");
            assertThat(head.headers().contains("Keep-Alive")).isFalse();
            // the cluster keeps its connection open: the body ends by its length, then we close
            assertThat(client.readToEnd()).isEqualTo(body);
        }
    }

    @Test
    void refusedUpgradeWithChunkedBodyPassesThrough() throws Exception {
        String chunked = "7\r\n{\"a\":1}\r\n3;ext=1\r\n\r\n \r\n0\r\nX-Trailer: t\r\n\r\n";
        start(UpgradeUpstream.responding("HTTP/1.1 400 Bad Request\r\n"
                + "Content-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "\r\n" + chunked));
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.websocket(EXEC, server.port(), "websocket", "v5.channel.k8s.io"));
            HttpHead head = client.readHead();

            assertThat(head.code()).isEqualTo(400);
            assertThat(head.headers().all("Transfer-Encoding")).containsExactly("chunked");
            assertThat(client.readToEnd()).isEqualTo(chunked);
        }
    }

    @Test
    void routerRefusalIsStatusJsonNot101() throws Exception {
        start(UpgradeUpstream.switching());
        router = request -> {
            throw new RouterException.Unauthorized("token has expired");
        };
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.spdyExec(EXEC, server.port()));
            HttpHead head = client.readHead();
            String body = client.readToEnd();

            assertThat(head.code()).isEqualTo(401);
            assertThat(head.headers().all("Content-Type")).containsExactly("application/json");
            assertThat(head.headers().all("Content-Length"))
                    .containsExactly(String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));
            assertThat(head.headers().all("Connection")).containsExactly("close");
            assertThat(body).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                    + "\"status\":\"Failure\",\"message\":\"token has expired\",\"reason\":\"Unauthorized\","
                    + "\"code\":401}");
        }
        assertThat(upstream.connectionCount()).isZero();
    }

    @Test
    void unexpectedRouterFailureIs500WithAGenericMessage() throws Exception {
        start(UpgradeUpstream.switching());
        router = request -> {
            throw new IllegalStateException("internal detail");
        };
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.spdyExec(EXEC, server.port()));
            HttpHead head = client.readHead();
            String body = client.readToEnd();

            assertThat(head.code()).isEqualTo(500);
            assertThat(body).contains("\"reason\":\"InternalError\"").doesNotContain("internal detail");
        }
        assertThat(upstream.connectionCount()).isZero();
    }

    @Test
    void clusterDownIs503Status() throws Exception {
        ClosedPort closedPort = ClosedPort.reserve();
        startServer(cluster(URI.create("http://127.0.0.1:" + closedPort.port())), Duration.ofSeconds(5));
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.spdyExec(EXEC, server.port()));
            HttpHead head = client.readHead();
            String body = client.readToEnd();

            assertThat(head.code()).isEqualTo(503);
            assertThat(head.headers().all("Audit-ID")).containsExactly("audit-1");
            assertThat(body).contains("\"reason\":\"ServiceUnavailable\"", "\\\"test\\\"", "\"code\":503")
                    .doesNotContain("cluster-token", UpgradeClient.CLIENT_TOKEN);
        }
    }

    @Test
    void silentClusterIs504Status() throws Exception {
        upstream = UpgradeUpstream.plain(UpgradeUpstream.silent());
        startServer(cluster(URI.create("http://127.0.0.1:" + upstream.port())), Duration.ofMillis(500));
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.spdyExec(EXEC, server.port()));
            HttpHead head = client.readHead();

            assertThat(head.code()).isEqualTo(504);
            assertThat(client.readToEnd()).contains("\"reason\":\"Timeout\"", "\"code\":504");
        }
    }

    @Test
    void queryWithRepeatedCommandParametersIsExact() throws Exception {
        upstream = UpgradeUpstream.plain(UpgradeUpstream.switching());
        startServer(cluster(URI.create("http://127.0.0.1:" + upstream.port() + "/k8s/")), Duration.ofSeconds(5));
        String path = "/api/v1/namespaces/default/pods/web%2F0/exec";
        String query = "command=sh&command=-c&command=echo%20a%2Fb%3Bls%20-l&container=app&stdin=true&stdout=true";
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.spdyExec(path + "?" + query, server.port()));
            assertThat(client.readHead().code()).isEqualTo(101);
        }

        assertThat(upstream.awaitRequest(WAIT).requestLine())
                .isEqualTo("POST /k8s" + path + "?" + query + " HTTP/1.1");
        assertThat(routed).singleElement().satisfies(inbound -> {
            assertThat(inbound.rawPath()).isEqualTo(path);
            assertThat(inbound.rawQuery()).isEqualTo(query);
            assertThat(inbound.upgrade()).isTrue();
            assertThat(inbound.peer().getAddress().isLoopbackAddress()).isTrue();
        });
    }

    @Test
    void upstreamReceivesOurAuthorizationNotTheClients() throws Exception {
        start(UpgradeUpstream.switching());
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.spdyExec(EXEC, server.port()));
            assertThat(client.readHead().code()).isEqualTo(101);
        }

        UpgradeUpstream.Received request = upstream.awaitRequest(WAIT);
        assertThat(request.headers().all("Authorization")).containsExactly("Bearer cluster-token");
        assertThat(request.headers().all("Impersonate-User")).containsExactly("alice");
        assertThat(request.headers().all("Connection")).containsExactly("Upgrade");
        assertThat(request.headers().all("Upgrade")).containsExactly("SPDY/3.1");
        assertThat(request.headers().all("Host")).containsExactly("127.0.0.1:" + upstream.port());
        assertThat(request.headers().all("X-Stream-Protocol-Version"))
                .containsExactly("v4.channel.k8s.io", "v3.channel.k8s.io");
        assertThat(routed.getFirst().headers().all("Authorization"))
                .containsExactly("Bearer " + UpgradeClient.CLIENT_TOKEN);
    }

    @Test
    void idleUpgradedConnectionOutlivesIdleTimeout() throws Exception {
        start(UpgradeUpstream.switching());
        try (UpgradeClient exec = UpgradeClient.connect(server.port());
             UpgradeClient ordinary = UpgradeClient.connect(server.port())) {
            exec.send(UpgradeClient.spdyExec(EXEC, server.port()));
            assertThat(exec.readHead().code()).isEqualTo(101);
            exec.send("before");
            assertThat(exec.readExactly(6)).isEqualTo("before");
            ordinary.send("GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(ordinary.readHead().code()).isEqualTo(200);

            Thread.sleep(4_000); // twice the server's idle-connection-timeout

            exec.send("after");
            assertThat(exec.readExactly(5)).isEqualTo("after");
            // the control: Helidon's reaper did run, and closed the idle ordinary connection
            assertThat(ordinary.readToEnd()).isEqualTo("{\"major\":\"1\"}");
        }
    }

    @Test
    void ordinaryRequestsStillRoute() throws Exception {
        start(UpgradeUpstream.switching());
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send("GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            HttpHead head = client.readHead();
            assertThat(head.code()).isEqualTo(200);
            assertThat(client.readExactly(13)).isEqualTo("{\"major\":\"1\"}");

            // an upgrade nobody takes over is an ordinary request too, on the same connection
            client.send("GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
            assertThat(client.readHead().code()).isEqualTo(200);
        }
        assertThat(routed).isEmpty();
        assertThat(upstream.connectionCount()).isZero();
    }

    @Test
    void largeTokenFitsInTheRequestHead() throws Exception {
        start(UpgradeUpstream.switching());
        String bigToken = "e".repeat(40 * 1024);
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.spdyExec(EXEC, server.port(), "X-Big-Jwt: " + bigToken + "\r\n"));

            assertThat(client.readHead().code()).isEqualTo(101);
        }
    }

    @Test
    void serverShutdownEndsUpgradedSessions() throws Exception {
        start(UpgradeUpstream.switching());
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.spdyExec(EXEC, server.port()));
            assertThat(client.readHead().code()).isEqualTo(101);
            client.send("x");
            assertThat(client.readExactly(1)).isEqualTo("x");

            server.stop();
            server = null;

            assertThat(client.readToEnd()).isEmpty();
            assertThat(upstream.awaitClientEof(WAIT)).isTrue();
        }
    }

    @Test
    void logsOneDetailLinePerUpgradeWithoutQueryOrTokens() throws Exception {
        start(UpgradeUpstream.switching());
        Logger logger = Logger.getLogger(UpgradedConnection.class.getName());
        java.util.logging.Level before = logger.getLevel();
        logger.setLevel(java.util.logging.Level.INFO);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try (UpgradeClient client = UpgradeClient.connect(server.port())) {
            client.send(UpgradeClient.spdyExec(EXEC, server.port()));
            assertThat(client.readHead().code()).isEqualTo(101);
            client.send("12345");
            assertThat(client.readExactly(5)).isEqualTo("12345");
            client.shutdownOutput();
            client.readToEnd();

            String line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(line).startsWith("INFO upgrade SPDY/3.1 POST /api/v1/namespaces/default/pods/web-0/exec "
                            + "context=test user=alice -> 101, 5 bytes to cluster, ")
                    .endsWith(", audit audit-1")
                    .doesNotContain("command=", "cluster-token", UpgradeClient.CLIENT_TOKEN);
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(before);
        }
    }

    private void start(UpgradeUpstream.Answer answer) throws IOException {
        upstream = UpgradeUpstream.plain(answer);
        startServer(cluster(URI.create("http://127.0.0.1:" + upstream.port())), Duration.ofSeconds(5));
    }

    private void startServer(ClusterContext cluster, Duration headTimeout) {
        router = routingTo(cluster);
        RequestRouter recording = request -> {
            routed.add(request);
            return router.route(request);
        };
        UpgradeRelay relay = new UpgradeRelay(new UpstreamSockets(Duration.ofSeconds(2)), headTimeout);
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .idleConnectionTimeout(Duration.ofSeconds(2))
                .idleConnectionPeriod(Duration.ofMillis(250))
                .addConnectionSelector(UpgradeProxy.connectionSelector(recording, relay))
                .routing(routing -> routing.get("/version", (req, res) -> res.send("{\"major\":\"1\"}")))
                .build()
                .start();
    }

    static ClusterContext cluster(URI server) {
        return new ClusterContext("test", server, Optional.empty(), Optional.of(() -> "cluster-token"));
    }

    /** Stands in for the real router: drops credentials, hop-by-hop and impersonation fields, adds ours. */
    static RequestRouter routingTo(ClusterContext cluster) {
        return request -> new OutboundRequest("audit-1", ALICE, cluster, request.method(), request.rawPath(),
                request.rawQuery(), request.headers()
                .filter(h -> !h.named("Authorization") && !h.named("Host") && !h.named("Connection")
                        && !h.lowerCaseName().startsWith("impersonate-"))
                .plus("Impersonate-User", ALICE.subject())
                .plus("Audit-ID", "audit-1"));
    }
}
