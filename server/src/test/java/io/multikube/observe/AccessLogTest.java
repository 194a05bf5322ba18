package io.multikube.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;

class AccessLogTest {
    @TempDir
    Path folder;

    private final List<LogRecord> lines = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private RecordingUpstream upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws IOException {
        Logger.getLogger(AccessLog.LOGGER).addHandler(capture);
        Logger.getLogger(AccessLog.LOGGER).setLevel(Level.INFO);
        upstream = RecordingUpstream.plain();
        proxy = ProxyFixture.start(folder, new TestKubeconfig().add(TestKubeconfig.Cluster.plain("dev",
                upstream.port())));
    }

    @AfterEach
    void stop() throws IOException {
        Logger.getLogger(AccessLog.LOGGER).removeHandler(capture);
        proxy.close();
        upstream.close();
    }

    private List<String> awaitLines(int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(5);
        while (lines.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        return lines.stream().map(LogRecord::getMessage).toList();
    }

    @Test
    void oneLinePerRequestWithIdContextUserVerbCodeAndNeverTheTokenOrQuery() throws Exception {
        String token = proxy.token("jane", "dev");
        HttpResponse<String> ok = proxy.client(HttpClient.Version.HTTP_2).send(
                proxy.request("/api/v1/namespaces/team/pods?labelSelector=secret%3Dyes", token).build(),
                HttpResponse.BodyHandlers.ofString());
        proxy.client(HttpClient.Version.HTTP_2).send(proxy.request("/api/v1/pods", "forged").build(),
                HttpResponse.BodyHandlers.ofString());

        List<String> messages = awaitLines(2);
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).startsWith("audit=" + ok.headers().firstValue("Audit-Id").orElseThrow()
                + " context=dev user=jane verb=list method=GET path=/api/v1/namespaces/team/pods code=200 ms=")
                .contains(" bytes=" + ok.body().length() + " client=127.0.0.1");
        assertThat(messages.get(1)).contains("context=\"\" user=\"\" verb=list", "code=401", "bytes=0");
        assertThat(String.join("\n", messages)).doesNotContain(token).doesNotContain("forged")
                .doesNotContain("labelSelector");
    }

    @Test
    void theVerbIsTheClustersOneWhenTheContextIsNamedInThePath() throws Exception {
        String token = proxy.token("jane", "dev");
        proxy.client(HttpClient.Version.HTTP_1_1).send(proxy.request("/clusters/dev/api/v1/pods", token).build(),
                HttpResponse.BodyHandlers.ofString());
        proxy.client(HttpClient.Version.HTTP_1_1).send(proxy.request("/clusters/dev/api/v1/pods", "forged").build(),
                HttpResponse.BodyHandlers.ofString());

        List<String> messages = awaitLines(2);
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).contains("context=dev user=jane verb=list method=GET path=/clusters/dev/api/v1/pods",
                "code=200");
        assertThat(messages.get(1)).contains("verb=list method=GET path=/clusters/dev/api/v1/pods", "code=401");
    }

    @Test
    void jsonLinesMergeTheAccessFieldsIntoTheRecord() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("audit", "a-1");
        fields.put("user", "jörg \"the\" admin");
        fields.put("code", 200);
        String message = LogFormat.JSON.render(fields);
        assertThat(message).isEqualTo("{\"audit\":\"a-1\",\"user\":\"jörg \\\"the\\\" admin\",\"code\":200}");

        LogRecord record = new LogRecord(Level.INFO, message);
        record.setLoggerName(AccessLog.LOGGER);
        record.setInstant(Instant.parse("2026-11-28T10:15:30Z"));
        assertThat(new JsonLogFormatter().format(record)).isEqualTo("{\"time\":\"2026-11-28T10:15:30Z\","
                + "\"level\":\"INFO\",\"logger\":\"io.multikube.access\",\"audit\":\"a-1\","
                + "\"user\":\"jörg \\\"the\\\" admin\",\"code\":200}\n");

        LogRecord other = new LogRecord(Level.WARNING, "line\none");
        other.setLoggerName("io.multikube.x");
        other.setInstant(Instant.parse("2026-11-28T10:15:30Z"));
        assertThat(new JsonLogFormatter().format(other)).isEqualTo("{\"time\":\"2026-11-28T10:15:30Z\","
                + "\"level\":\"WARNING\",\"logger\":\"io.multikube.x\",\"msg\":\"line\\none\"}\n");
    }
}
