package io.multikube.upstream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.multikube.auth.Identity;
import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.UpstreamTls;
import io.multikube.pipeline.Headers;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.testing.KeepAliveUpstream;
import io.multikube.testing.KeepAliveUpstream.Reply;
import io.multikube.testing.UpgradeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.multikube.testing.KeepAliveUpstream.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class Http1UpstreamTest {
    private static final Identity ALICE = new Identity("alice", List.of(), List.of("dev"), Optional.empty(),
            Optional.empty(), Optional.empty());
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final String CHUNKED_HEAD = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

    private final Http1Pool pool = new Http1Pool();
    private final Http1Upstream upstream = new Http1Upstream(new UpstreamSockets(Duration.ofSeconds(2)), pool);
    private KeepAliveUpstream cluster;
    private ClusterContext context;

    @AfterEach
    void stop() throws IOException {
        upstream.close();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void sendsHostTheRoutedFieldsOneByOneAndTheClusterTokenButNoBodyOrHopFields() throws Exception {
        cluster = KeepAliveUpstream.plain(KeepAliveUpstream.always(ok("{}")));
        Headers routed = Headers.of("Accept", "application/json", "Connection", "keep-alive, X-Gone",
                "Authorization", "Bearer client", "Host", "elsewhere", "Content-Length", "7",
                "Transfer-Encoding", "chunked", "Impersonate-User", "alice", "Impersonate-Group", "dev",
                "Impersonate-Group", "ops");

        readAll(send("GET", "/api/v1/namespaces?limit=5", routed, Optional.of("Bearer cluster-token")));

        KeepAliveUpstream.Received received = cluster.requests().getFirst();
        assertThat(received.requestLine()).isEqualTo("GET /api/v1/namespaces?limit=5 HTTP/1.1");
        assertThat(received.headers().fields()).extracting(Headers.Header::name).containsExactly("Host", "Accept",
                "Impersonate-User", "Impersonate-Group", "Impersonate-Group", "Authorization");
        assertThat(received.headers().first("Host")).contains("127.0.0.1:" + cluster.port());
        assertThat(received.headers().all("Impersonate-Group")).containsExactly("dev", "ops");
        assertThat(received.headers().first("Authorization")).contains("Bearer cluster-token");
    }

    @Test
    void aValueWithALineBreakIsRefusedBeforeAnythingIsSent() throws Exception {
        cluster = KeepAliveUpstream.plain(KeepAliveUpstream.always(ok("{}")));

        assertThatThrownBy(() -> send("GET", "/api", Headers.EMPTY, Optional.of("Bearer x\r\nX-Injected: 1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
        assertThat(cluster.connectionCount()).isZero();
    }

    @Test
    void requestsShareOneConnectionOnceEachBodyWasRead() throws Exception {
        cluster = KeepAliveUpstream.plain(KeepAliveUpstream.always(ok("{\"kind\":\"Pod\"}")));

        for (int i = 0; i < 3; i++) {
            assertThat(readAll(send("GET", "/api/v1/pods/web-" + i))).isEqualTo("{\"kind\":\"Pod\"}");
        }

        assertThat(cluster.connectionCount()).isEqualTo(1);
        assertThat(cluster.requests()).extracting(KeepAliveUpstream.Received::connection).containsExactly(0, 0, 0);
    }

    @Test
    void aBodyOfKnownLengthReturnsItsConnectionAtItsLastByteWithoutReadingOn() throws Exception {
        cluster = KeepAliveUpstream.plain(KeepAliveUpstream.always(ok("abcdef")));

        UpstreamResponse response = send("GET", "/api");
        byte[] six = response.body().readNBytes(6);

        assertThat(new String(six, StandardCharsets.UTF_8)).isEqualTo("abcdef");
        assertThat(pool.size()).isEqualTo(1);
    }

    @Test
    void aChunkedBodyArrivesDecodedAndItsConnectionIsReused() throws Exception {
        cluster = KeepAliveUpstream.plain(KeepAliveUpstream.always(
                CHUNKED_HEAD + "5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"));

        assertThat(readAll(send("GET", "/a"))).isEqualTo("hello, world");
        assertThat(readAll(send("GET", "/b"))).isEqualTo("hello, world");

        assertThat(cluster.connectionCount()).isEqualTo(1);
    }

    @Test
    void nothingIsAvailableBetweenChunksSoARelayFlushesEachEvent() throws Exception {
        cluster = KeepAliveUpstream.plain(KeepAliveUpstream.always(CHUNKED_HEAD + "3\r\none\r\n3\r\ntwo\r\n0\r\n\r\n"));
        UpstreamResponse response = send("GET", "/api/v1/pods?watch=true");
        InputStream body = response.body();

        byte[] first = new byte[16];
        int read = body.read(first);

        assertThat(new String(first, 0, read, StandardCharsets.UTF_8)).isEqualTo("one");
        assertThat(body.available()).isZero();
        assertThat(readAll(response)).isEqualTo("two");
    }

    @Test
    void aStreamsEventsLongerThanItsSmallBufferArriveWholeAndTheNextHeadIsReadInFull() throws Exception {
        String event = "{\"type\":\"ADDED\",\"object\":{\"data\":\"" + "e".repeat(1500) + "\"}}\n";
        String longField = "X-Long: " + "v".repeat(3000) + "\r\n";
        String watch = CHUNKED_HEAD + Integer.toHexString(event.length()) + "\r\n" + event + "\r\n3\r\nend\r\n0\r\n\r\n";
        String get = "HTTP/1.1 200 OK\r\n" + longField + "Content-Length: 2\r\n\r\nok";
        cluster = KeepAliveUpstream.plain((request, index) ->
                KeepAliveUpstream.Reply.keep(index == 0 ? watch : get));

        assertThat(readAll(send("GET", "/api/v1/pods?watch=true"))).isEqualTo(event + "end");
        UpstreamResponse next = send("GET", "/api/v1/pods/web");

        assertThat(next.headers().first("X-Long")).contains("v".repeat(3000));
        assertThat(readAll(next)).isEqualTo("ok");
        assertThat(cluster.connectionCount()).isEqualTo(1);
    }

    @Test
    void aBodyClosedBeforeItsEndClosesItsConnection() throws Exception {
        cluster = KeepAliveUpstream.plain(KeepAliveUpstream.always(ok("x".repeat(10_000))));

        UpstreamResponse abandoned = send("GET", "/big");
        abandoned.body().readNBytes(10);
        abandoned.close();
        readAll(send("GET", "/big"));

        assertThat(cluster.connectionCount()).isEqualTo(2);
    }

    @Test
    void aPooledConnectionTheClusterClosedWhileIdleIsReplacedWithoutAnError() throws Exception {
        cluster = KeepAliveUpstream.plain((request, index) -> Reply.close(ok("answer " + index)));

        assertThat(readAll(send("GET", "/first"))).isEqualTo("answer 0");
        assertThat(cluster.awaitClosed(1, READ_TIMEOUT)).isTrue();
        assertThat(readAll(send("GET", "/second"))).isEqualTo("answer 1");

        assertThat(cluster.connectionCount()).isEqualTo(2);
        assertThat(cluster.requests()).extracting(KeepAliveUpstream.Received::requestLine)
                .containsExactly("GET /first HTTP/1.1", "GET /second HTTP/1.1");
    }

    /**
     * A cluster that answers an idle connection unasked (a 408 for its idle timeout) before closing it: that answer
     * must not be read as the next request's. The connection is dropped when taken from the pool, since bytes arrived
     * on it while nothing was asked, and the request goes on a new one.
     */
    @Test
    void aConnectionThatReceivedAnUnaskedAnswerWhileIdleIsNotReused() throws Exception {
        cluster = KeepAliveUpstream.plain((request, index) -> Reply.thenUnasked(ok("answer " + index),
                "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));

        assertThat(readAll(send("GET", "/first"))).isEqualTo("answer 0");
        assertThat(cluster.awaitClosed(1, READ_TIMEOUT)).isTrue();
        UpstreamResponse second = send("GET", "/second");

        assertThat(second.status()).isEqualTo(200);
        assertThat(readAll(second)).isEqualTo("answer 1");
        assertThat(cluster.connectionCount()).isEqualTo(2);
    }

    /** The same over TLS: the unasked answer waits undecrypted under the TLS layer, where only the socket sees it. */
    @Test
    void anUnaskedAnswerUnderTlsIsSeenToo() throws Exception {
        UpgradeUpstream.Pki pki = UpgradeUpstream.Pki.create();
        cluster = KeepAliveUpstream.tls(pki.serverContext(), (request, index) -> Reply.thenUnasked(
                ok("answer " + index),
                "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
        UpstreamTls tls = new UpstreamTls(pki.clientContext(), true, Optional.empty());
        ClusterContext secure = new ClusterContext("secure", URI.create("https://127.0.0.1:" + cluster.port()),
                Optional.of(tls), Optional.empty());

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            UpstreamResponse response = upstream.send(new OutboundRequest("audit-1", ALICE, secure, "GET", "/api",
                    "", Headers.EMPTY), secure.tls(), Optional.empty(), READ_TIMEOUT);
            answers.add(response.status() + " " + readAll(response));
            if (i == 0) {
                assertThat(cluster.awaitClosed(1, READ_TIMEOUT)).as("the 408, then closed").isTrue();
            }
        }

        assertThat(answers).containsExactly("200 answer 0", "200 answer 1");
        assertThat(cluster.connectionCount()).isEqualTo(2);
    }

    @Test
    void connectionCloseFromTheClusterIsHonoured() throws Exception {
        cluster = KeepAliveUpstream.plain((request, index) -> Reply.keep(
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"));

        readAll(send("GET", "/a"));
        readAll(send("GET", "/b"));

        assertThat(cluster.connectionCount()).isEqualTo(2);
        assertThat(pool.size()).isZero();
    }

    @Test
    void aBodyWithoutLengthOrChunksEndsWithTheConnection() throws Exception {
        cluster = KeepAliveUpstream.plain((request, index) -> Reply.close("HTTP/1.1 200 OK\r\n\r\nuntil the end"));

        assertThat(readAll(send("GET", "/a"))).isEqualTo("until the end");
        assertThat(pool.size()).isZero();
    }

    @Test
    void aBodyCutShortIsAnErrorNotAShortAnswer() throws Exception {
        cluster = KeepAliveUpstream.plain((request, index) -> Reply.close(
                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345"));

        UpstreamResponse response = send("GET", "/a");

        assertThatThrownBy(() -> readAll(response)).isInstanceOf(EOFException.class)
                .hasMessageContaining("5 bytes before the body's end");
    }

    @Test
    void aChunksDataEndsWithItsLineBreakOrTheBodyIsRefused() throws Exception {
        cluster = KeepAliveUpstream.plain((request, index) -> Reply.close(CHUNKED_HEAD + switch (request.requestLine().split(" ")[1]) {
            case "/bare-lf" -> "3\none\n3\r\ntwo\r\n0\r\n\r\n";
            case "/too-long" -> "3\r\none!\r\n0\r\n\r\n";
            default -> "3\r\none";
        }));

        assertThat(readAll(send("GET", "/bare-lf"))).isEqualTo("onetwo");
        UpstreamResponse tooLong = send("GET", "/too-long");
        assertThatThrownBy(() -> readAll(tooLong)).isInstanceOf(ProtocolException.class)
                .hasMessage("chunked body: data longer than its chunk size");
        UpstreamResponse cut = send("GET", "/cut");
        assertThatThrownBy(() -> readAll(cut)).isInstanceOf(EOFException.class)
                .hasMessageContaining("after a chunk's data");
    }

    @Test
    void bothFramingFieldsEndTheConnectionAfterTheChunkedBody() throws Exception {
        cluster = KeepAliveUpstream.plain(KeepAliveUpstream.always(
                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"));

        assertThat(readAll(send("GET", "/a"))).isEqualTo("ok");

        assertThat(pool.size()).isZero();
    }

    @Test
    void interimAnswersArePassedOver() throws Exception {
        cluster = KeepAliveUpstream.plain(KeepAliveUpstream.always(
                "HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n" + ok("final")));

        UpstreamResponse response = send("GET", "/a");

        assertThat(response.status()).isEqualTo(200);
        assertThat(readAll(response)).isEqualTo("final");
    }

    @Test
    void answersWithoutABodyLeaveTheConnectionReadyAtOnce() throws Exception {
        cluster = KeepAliveUpstream.plain((request, index) -> Reply.keep(switch (index) {
            case 0 -> "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"; // HEAD: the length of the GET's body
            case 1 -> "HTTP/1.1 304 Not Modified\r\nETag: \"1\"\r\n\r\n";
            default -> "HTTP/1.1 204 No Content\r\n\r\n";
        }));

        UpstreamResponse head = send("HEAD", "/a");
        UpstreamResponse notModified = send("GET", "/a");
        UpstreamResponse noContent = send("GET", "/a");

        assertThat(List.of(head, notModified, noContent)).allSatisfy(response -> {
            assertThat(response.hasBody()).isFalse();
            assertThat(response.body().read()).isEqualTo(-1);
        });
        assertThat(head.headers().first("Content-Length")).contains("1234");
        assertThat(cluster.connectionCount()).isEqualTo(1);
    }

    @Test
    void hopByHopFieldsOfTheAnswerAreRemoved() throws Exception {
        cluster = KeepAliveUpstream.plain(KeepAliveUpstream.always("HTTP/1.1 200 OK\r\nConnection: X-Private\r\n"
                + "X-Private: 1\r\nKeep-Alive: timeout=5\r\nAudit-Id: a-1\r\nContent-Length: 0\r\n\r\n"));

        UpstreamResponse response = send("GET", "/a");

        assertThat(response.headers().fields()).extracting(Headers.Header::name)
                .containsExactly("Audit-Id", "Content-Length");
    }

    @Test
    void aMalformedHeadIsAProtocolErrorAndItsConnectionIsDropped() throws Exception {
        cluster = KeepAliveUpstream.plain(KeepAliveUpstream.always("SSH-2.0-OpenSSH_9.6\r\n\r\n"));

        assertThatThrownBy(() -> send("GET", "/a")).isInstanceOf(ProtocolException.class);
        assertThat(pool.size()).isZero();
    }

    @Test
    void aLateAnswerOnAPooledConnectionIsATimeoutAndIsNotSentAgain() throws Exception {
        cluster = KeepAliveUpstream.plain((request, index) -> index == 0 ? Reply.keep(ok("first"))
                : Reply.silent());
        readAll(send("GET", "/first"));

        assertThatThrownBy(() -> upstream.send(request("GET", "/slow", Headers.EMPTY), Optional.empty(),
                Optional.empty(), Duration.ofMillis(300))).isInstanceOf(SocketTimeoutException.class);

        assertThat(cluster.requests()).hasSize(2);
        assertThat(cluster.connectionCount()).isEqualTo(1);
    }

    @Test
    void overTlsItOffersOnlyHttp11AndKeepsTheConnection() throws Exception {
        UpgradeUpstream.Pki pki = UpgradeUpstream.Pki.create();
        cluster = KeepAliveUpstream.tls(pki.serverContext(), KeepAliveUpstream.always(ok("secure")));
        UpstreamTls tls = new UpstreamTls(pki.clientContext(), true, Optional.empty());
        ClusterContext context = new ClusterContext("secure", URI.create("https://127.0.0.1:" + cluster.port()),
                Optional.of(tls), Optional.empty());

        for (int i = 0; i < 2; i++) {
            UpstreamResponse response = upstream.send(new OutboundRequest("audit-1", ALICE, context, "GET", "/api",
                    "", Headers.EMPTY), context.tls(), Optional.empty(), READ_TIMEOUT);
            assertThat(readAll(response)).isEqualTo("secure");
        }

        assertThat(cluster.connectionCount()).isEqualTo(1);
    }

    @Test
    void onlyRequestsWithoutABodyGoThisWay() {
        assertThat(Http1Upstream.carries(request("GET", "/a", Headers.EMPTY), false)).isTrue();
        assertThat(Http1Upstream.carries(request("HEAD", "/a", Headers.EMPTY), false)).isTrue();
        assertThat(Http1Upstream.carries(request("GET", "/a", Headers.EMPTY), true)).isFalse();
        assertThat(Http1Upstream.carries(request("DELETE", "/a", Headers.EMPTY), false)).isFalse();
        assertThat(Http1Upstream.carries(request("POST", "/a", Headers.EMPTY), false)).isFalse();
    }

    private UpstreamResponse send(String method, String target) throws IOException {
        return send(method, target, Headers.EMPTY, Optional.empty());
    }

    private UpstreamResponse send(String method, String target, Headers headers, Optional<String> authorization)
            throws IOException {
        return upstream.send(request(method, target, headers), Optional.empty(), authorization, READ_TIMEOUT);
    }

    private OutboundRequest request(String method, String target, Headers headers) {
        int query = target.indexOf('?');
        if (context == null) {
            // One value for all requests, as a loaded kubeconfig gives: the pool is keyed by it.
            int port = cluster == null ? 1 : cluster.port();
            context = new ClusterContext("dev", URI.create("http://127.0.0.1:" + port), Optional.empty(),
                    Optional.empty());
        }
        return new OutboundRequest("audit-1", ALICE, context, method, query < 0 ? target : target.substring(0, query),
                query < 0 ? "" : target.substring(query + 1), headers);
    }

    private static String readAll(UpstreamResponse response) throws IOException {
        try (response) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
