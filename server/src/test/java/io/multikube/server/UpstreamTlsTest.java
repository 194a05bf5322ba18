package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.TestKubeconfig;
import io.multikube.testing.TestPki;

/**
 * Toward a cluster that speaks TLS with ALPN: the kubeconfig's CA, client certificate and bearer token are used,
 * HTTP/2 is negotiated, and one pooled connection carries many requests.
 */
class UpstreamTlsTest {
    @TempDir
    Path folder;

    private final TestPki clusterCa = TestPki.create("cluster CA");
    private final KeyAndCertificate multikubeIdentity = clusterCa.client("multikube");
    private final Set<Integer> clientPorts = new HashSet<>();
    private static final int WATCH_KIB = 512;
    private final java.util.concurrent.CountDownLatch newerStreamOpen = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch testDone = new java.util.concurrent.CountDownLatch(1);
    private WebServer cluster;
    private ProxyFixture proxy;

    @BeforeEach
    void start() {
        KeyAndCertificate serving = clusterCa.server("127.0.0.1");
        cluster = WebServer.builder()
                .host("127.0.0.1").port(0)
                .tls(Tls.builder().privateKey(serving.key())
                        .privateKeyCertChain(List.of(serving.certificate()))
                        .trust(List.of(clusterCa.ca().certificate()))
                        .clientAuth(TlsClientAuth.REQUIRED).build())
                .routing(routing -> routing
                        .get("/big/older", (request, response) -> sendAfterNewer(response))
                        .get("/slow/newer", (request, response) -> holdOpen(response))
                        .get("/watch/older", (request, response) -> sendAfterNewer(response))
                        .get("/watch/newer", (request, response) -> holdOpen(response))
                        .get("/groups", (request, response) -> response.send(request.prologue().protocolVersion()
                                + " " + request.headers().get(HeaderNames.create("Impersonate-Group")).allValues()))
                        .any((request, response) -> response.send(describe(request))))
                .build().start();
        proxy = ProxyFixture.start(folder, new TestKubeconfig().add(TestKubeconfig.Cluster.tls("secure",
                cluster.port(), clusterCa.ca(), multikubeIdentity, "cluster-token")));
    }

    @AfterEach
    void stop() {
        testDone.countDown();
        proxy.close();
        cluster.stop();
    }

    /**
     * Credentials the cluster has not accepted yet go over HTTP/1.1 (a kube-apiserver's 401 over HTTP/2 comes with a
     * GOAWAY that Helidon's HTTP/2 client loses the answer to); once accepted, one pooled HTTP/2 connection.
     */
    @Test
    void usesTheKubeconfigCredentialsOverPooledHttp2OnceAccepted() throws Exception {
        String token = proxy.token("alice", "secure");
        HttpClient client = proxy.client(HttpClient.Version.HTTP_1_1);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = client.send(proxy.request("/api/v1/namespaces/default/pods/web-0", token).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.body()).isEqualTo("protocol=" + (i == 0 ? "1.1" : "2.0") + " client=CN=multikube "
                    + "authorization=Bearer cluster-token impersonate=alice");
        }
        synchronized (clientPorts) {
            assertThat(clientPorts).as("upstream connections used: the first HTTP/1.1, then one HTTP/2")
                    .hasSize(2);
        }
    }

    /**
     * Requests arriving together before the cluster has accepted the credentials (say 1,000 watches right after
     * start-up) wait for the one that confirms them, then share one HTTP/2 connection: not one TLS connection each.
     */
    @Test
    void aBurstBeforeTheCredentialsAreConfirmedSharesOneHttp2Connection() throws Exception {
        String token = proxy.token("alice", "secure");
        HttpClient client = proxy.client(HttpClient.Version.HTTP_2);
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            burst.add(client.sendAsync(proxy.request("/api/v1/namespaces/default/pods/web-0", token).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        java.util.Map<String, Integer> protocols = new java.util.TreeMap<>();
        for (var response : burst) {
            HttpResponse<String> answer = response.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            protocols.merge(answer.body().substring(0, answer.body().indexOf(' ')), 1, Integer::sum);
        }
        assertThat(protocols).containsEntry("protocol=1.1", 1).containsEntry("protocol=2.0", 39);
        synchronized (clientPorts) {
            assertThat(clientPorts).as("upstream connections for 40 requests at once: one HTTP/1.1 confirming "
                    + "the credentials, one HTTP/2").hasSizeLessThanOrEqualTo(2);
        }
    }

    /**
     * Over HTTP/1.1 too (several groups force it) one connection carries every request: Helidon pools a connection
     * only when its body was read to the end, which the relay, stopping at Content-Length, did not do before.
     */
    @Test
    void http11AnswersWithALengthReuseOnePooledConnection() throws Exception {
        String token = proxy.token("alice", List.of("dev", "ops"), "secure");
        HttpClient client = proxy.client(HttpClient.Version.HTTP_1_1);
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = client.send(proxy.request("/api/v1/namespaces/default/pods/web-0", token).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.body()).startsWith("protocol=1.1 ");
        }
        synchronized (clientPorts) {
            assertThat(clientPorts).as("upstream connections used for 20 sequential HTTP/1.1 requests").hasSize(1);
        }
    }

    /**
     * Two watches at once towards the same cluster: the older one keeps receiving past its first 64 KiB while the
     * newer one is open. (Helidon 4.5's HTTP/2 client skips a stream's WINDOW_UPDATE while any newer stream is active,
     * so an older stream multiplexed with newer ones stalled once its window was spent: at 65,535 bytes.)
     */
    @Test
    void anOlderWatchKeepsStreamingWhileANewerOneIsOpen() throws Exception {
        olderStreamGetsEverything("/watch/older?watch=true", "/watch/newer?watch=true");
    }

    /** The same for ordinary answers over HTTP/2: a 512 KiB answer completes while a newer request is in flight. */
    @Test
    void aLargeAnswerCompletesWhileANewerRequestIsInFlight() throws Exception {
        olderStreamGetsEverything("/big/older", "/slow/newer");
    }

    private void olderStreamGetsEverything(String olderPath, String newerPath) throws Exception {
        String token = proxy.token("alice", "secure");
        HttpClient client = proxy.client(HttpClient.Version.HTTP_2);
        for (int i = 0; i < 2; i++) {
            client.send(proxy.request("/api", token).build(), HttpResponse.BodyHandlers.ofString());
        }
        var older = client.sendAsync(proxy.request(olderPath, token).build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(10, java.util.concurrent.TimeUnit.SECONDS);
        var newer = client.sendAsync(proxy.request(newerPath, token).build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(10, java.util.concurrent.TimeUnit.SECONDS);
        try (var body = older.body(); var other = newer.body()) {
            long received = 0;
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            byte[] buffer = new byte[8192];
            String ended = "complete";
            try {
                while (received < WATCH_KIB * 1024L && System.nanoTime() < deadline) {
                    int read = body.read(buffer);
                    if (read < 0) {
                        break;
                    }
                    received += read;
                }
            } catch (java.io.IOException e) {
                ended = e.toString();
            }
            assertThat(received).as("bytes of the older stream (%s)", ended)
                    .isGreaterThanOrEqualTo(WATCH_KIB * 1024L);
        }
    }

    /** A list can exceed any HTTP/2 window worth granting: lists go over (pooled) HTTP/1.1. */
    @Test
    void listsGoOverHttp11() throws Exception {
        String token = proxy.token("alice", "secure");
        HttpClient client = proxy.client(HttpClient.Version.HTTP_2);
        for (int i = 0; i < 3; i++) {
            client.send(proxy.request("/api/v1/namespaces/default/pods/web-0", token).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> list = client.send(proxy.request("/api/v1/namespaces/default/pods", token).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(list.body()).startsWith("protocol=1.1 ");
    }

    @Test
    void severalGroupsArriveAsSeparateImpersonateGroupFields() throws Exception {
        HttpResponse<String> response = proxy.client(HttpClient.Version.HTTP_2).send(
                proxy.request("/groups", proxy.token("alice", List.of("dev", "ops"), "secure")).build(),
                HttpResponse.BodyHandlers.ofString());

        // The kube-apiserver reads each Impersonate-Group field as one group, and Helidon's HTTP/2 client would join
        // them into "dev, ops" (a Helidon server splits it again, so the protocol is what shows here; the real
        // kube-apiserver check is ImpersonationIT.whoamiShowsTheTokenUserAndGroups).
        assertThat(response.body()).isEqualTo("1.1 [dev, ops]");
    }

    @Test
    void clusterWhoseCertificateTheKubeconfigDoesNotTrustIs503() throws Exception {
        ProxyFixture wrongCa = ProxyFixture.start(folder.resolve("wrong"), new TestKubeconfig().add(
                TestKubeconfig.Cluster.tls("secure", cluster.port(), TestPki.create("other").ca(),
                        multikubeIdentity, null)));
        try {
            HttpResponse<String> response = wrongCa.client(HttpClient.Version.HTTP_2).send(
                    wrongCa.request("/api", wrongCa.token("alice", "secure")).build(),
                    HttpResponse.BodyHandlers.ofString());

            ErrorStatusTest.assertStatus(response, 503, "ServiceUnavailable");
        } finally {
            wrongCa.close();
        }
    }

    /** Waits until the newer stream is open, then sends far more than a 64 KiB window. */
    private void sendAfterNewer(io.helidon.webserver.http.ServerResponse response) throws java.io.IOException {
        try (var out = response.outputStream()) {
            out.write('{');
            out.flush();
            newerStreamOpen.await(30, java.util.concurrent.TimeUnit.SECONDS);
            byte[] chunk = ("\"" + "x".repeat(1021) + "\"\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int i = 0; i < WATCH_KIB; i++) {
                out.write(chunk);
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void holdOpen(io.helidon.webserver.http.ServerResponse response) throws java.io.IOException {
        try (var out = response.outputStream()) {
            out.write('{');
            out.flush();
            newerStreamOpen.countDown();
            testDone.await(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String describe(ServerRequest request) {
        synchronized (clientPorts) {
            clientPorts.add(((java.net.InetSocketAddress) request.remotePeer().address()).getPort());
        }
        String client = request.remotePeer().tlsCertificates()
                .map(certificates -> ((X509Certificate) certificates[0]).getSubjectX500Principal().getName())
                .orElse("none");
        return "protocol=" + request.prologue().protocolVersion() + " client=" + client
                + " authorization=" + request.headers().first(HeaderNames.AUTHORIZATION).orElse("none")
                + " impersonate=" + request.headers().first(HeaderNames.create("Impersonate-User")).orElse("none");
    }
}
