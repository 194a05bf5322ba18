package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.config.PluginSettings;
import io.multikube.config.PluginSettings.AuditFailure;
import io.multikube.plugin.TestProviders;
import io.multikube.spi.audit.AuditEvent;
import io.multikube.spi.audit.AuditStage;
import io.multikube.spi.audit.AuditUser;
import io.multikube.spi.audit.ObjectReference;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;

/** What multikube tells its audit sink, over the wire, with the test "memory" sink. */
class AuditTest {
    @TempDir
    Path folder;

    private RecordingUpstream upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws IOException {
        TestProviders.RECORDED.clear();
        TestProviders.memorySinkFailure = null;
        upstream = RecordingUpstream.plain();
    }

    private void startProxy(AuditFailure policy) {
        proxy = ProxyFixture.start(folder, new TestKubeconfig().add(TestKubeconfig.Cluster.plain("dev",
                upstream.port())), ProxyFixture.Options.defaults().withPlugins(PluginSettings.none()
                .withAuditSink(new PluginSettings.Selection("memory", Map.of()), policy)));
    }

    @AfterEach
    void stop() throws IOException {
        TestProviders.memorySinkFailure = null;
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private HttpResponse<String> get(String target, String token) throws Exception {
        return proxy.client(HttpClient.Version.HTTP_2).send(proxy.request(target, token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The one event recorded; a forwarded request's completes just after its client has the answer. */
    private AuditEvent onlyEvent() throws InterruptedException {
        for (int i = 0; i < 100 && TestProviders.RECORDED.isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertThat(TestProviders.RECORDED).hasSize(1);
        return TestProviders.RECORDED.get(0);
    }

    @Test
    void aForwardedRequestIsRecordedOnceWithTheAuditIdTheClusterGot() throws Exception {
        startProxy(AuditFailure.REFUSE);
        HttpResponse<String> response = get("/api/v1/namespaces/team/pods/web-0",
                proxy.token("jane", List.of("developers"), "dev"));

        String sentToCluster = upstream.take().headers().first("Audit-ID").orElseThrow();
        assertThat(response.headers().firstValue("Audit-Id")).contains(sentToCluster);
        AuditEvent event = onlyEvent();
        assertThat(event.auditId()).isEqualTo(sentToCluster);
        assertThat(event.stage()).isEqualTo(AuditStage.ResponseComplete);
        assertThat(event.verb()).isEqualTo("get");
        assertThat(event.requestUri()).isEqualTo("/api/v1/namespaces/team/pods/web-0");
        assertThat(event.user()).isEqualTo(new AuditUser("jane", List.of("developers")));
        assertThat(event.impersonatedUser()).contains(new AuditUser("jane", List.of("developers")));
        assertThat(event.objectRef()).contains(new ObjectReference("pods", Optional.of("team"), Optional.of("web-0"),
                "", "v1", Optional.empty()));
        assertThat(event.responseStatus().orElseThrow().code()).isEqualTo(200);
        assertThat(event.sourceIps()).containsExactly("127.0.0.1");
        assertThat(event.userAgent()).isPresent();
        assertThat(event.annotations()).containsEntry(AuditEvent.CONTEXT, "dev")
                .containsKey(AuditEvent.TOKEN_ID);
        assertThat(event.stageTimestamp()).isAfterOrEqualTo(event.requestReceived());
    }

    @Test
    void aRequestWithABadTokenIsRecordedWithoutTheToken() throws Exception {
        startProxy(AuditFailure.REFUSE);
        java.security.KeyPair foreign = ProxyFixture.foreignKey();
        String forged = new io.multikube.auth.TokenMinter(foreign.getPrivate(), foreign.getPublic()).mint(
                new io.multikube.auth.TokenRequest("jane", List.of("dev"), List.of(), Duration.ofMinutes(5),
                        Optional.empty()));
        HttpResponse<String> response = get("/api/v1/pods", forged);

        assertThat(response.statusCode()).isEqualTo(401);
        AuditEvent event = onlyEvent();
        assertThat(response.headers().firstValue("Audit-Id")).contains(event.auditId());
        assertThat(event.user()).isEqualTo(AuditUser.unauthenticated());
        assertThat(event.impersonatedUser()).isEmpty();
        assertThat(event.verb()).isEqualTo("list");
        assertThat(event.responseStatus().orElseThrow().code()).isEqualTo(401);
        assertThat(event.responseStatus().get().reason()).contains("Unauthorized");
        assertThat(event.toJson()).doesNotContain(forged).doesNotContain(forged.substring(forged.lastIndexOf('.')));
        assertThat(upstream.pending()).isZero();
    }

    @Test
    void aRefusalAfterAuthenticationNamesTheUser() throws Exception {
        startProxy(AuditFailure.REFUSE);
        HttpResponse<String> response = get("/clusters/prod/api/v1/pods", proxy.token("jane", "dev"));

        assertThat(response.statusCode()).isEqualTo(403);
        AuditEvent event = onlyEvent();
        assertThat(event.user().username()).isEqualTo("jane");
        assertThat(event.impersonatedUser()).isEmpty();
        assertThat(event.responseStatus().orElseThrow().code()).isEqualTo(403);
        assertThat(event.annotations()).as("a context the token may not use was not routed to")
                .doesNotContainKey(AuditEvent.CONTEXT);
    }

    @Test
    void aWatchRecordsItsStartAndItsEnd() throws Exception {
        startProxy(AuditFailure.REFUSE);
        upstream.respondWith(RecordingUpstream.json(200, "{\"type\":\"ADDED\",\"object\":{}}\n"));
        HttpResponse<String> response = get("/api/v1/namespaces?watch=true", proxy.token("jane", "dev"));

        assertThat(response.statusCode()).isEqualTo(200);
        for (int i = 0; i < 100 && TestProviders.RECORDED.size() < 2; i++) {
            Thread.sleep(20);
        }
        assertThat(TestProviders.RECORDED).extracting(AuditEvent::stage)
                .containsExactly(AuditStage.ResponseStarted, AuditStage.ResponseComplete);
        assertThat(TestProviders.RECORDED).extracting(AuditEvent::verb).containsOnly("watch");
        assertThat(TestProviders.RECORDED).extracting(AuditEvent::auditId)
                .containsOnly(response.headers().firstValue("Audit-Id").orElseThrow());
    }

    @Test
    void aFailingAuditSinkRefusesRequestsBeforeTheyReachACluster() throws Exception {
        startProxy(AuditFailure.REFUSE);
        TestProviders.memorySinkFailure = "No space left on device";
        HttpResponse<String> response = get("/api/v1/pods", proxy.token("jane", "dev"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"reason\":\"ServiceUnavailable\"")
                .contains("the audit log cannot be written (No space left on device)");
        assertThat(upstream.pending()).isZero();
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    @Test
    void withContinueAFailingAuditSinkDoesNotStopRequests() throws Exception {
        startProxy(AuditFailure.CONTINUE);
        TestProviders.memorySinkFailure = "No space left on device";
        HttpResponse<String> response = get("/api/v1/pods", proxy.token("jane", "dev"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(upstream.take().body(), StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aDeadClusterIsRecordedWithTheStatusClientsGot() throws Exception {
        startProxy(AuditFailure.REFUSE);
        upstream.close();
        HttpResponse<String> response = get("/api/v1/pods", proxy.token("jane", "dev"));

        assertThat(response.statusCode()).isEqualTo(503);
        AuditEvent event = onlyEvent();
        assertThat(event.responseStatus().orElseThrow().code()).isEqualTo(503);
        assertThat(event.responseStatus().get().reason()).contains("ServiceUnavailable");
        assertThat(event.stageTimestamp()).isAfterOrEqualTo(event.requestReceived());
    }
}
