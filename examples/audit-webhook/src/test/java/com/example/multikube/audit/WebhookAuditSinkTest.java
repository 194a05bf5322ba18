package com.example.multikube.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.multikube.spi.PluginConfig;
import io.multikube.spi.PluginContext;
import io.multikube.spi.audit.AuditException;
import io.multikube.spi.audit.AuditSink;
import io.multikube.spi.testkit.AuditEvents;
import io.multikube.spi.testkit.AuditSinkContract;

/** The example passes the SPI's contract kit against a real HTTP collector, plus its own failure behaviour. */
class WebhookAuditSinkTest extends AuditSinkContract {
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());
    private HttpServer collector;
    private volatile int answer = 200;

    @Override
    protected AuditSink createSink(Path folder) throws IOException {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/audit", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        collector.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        collector.start();
        return new WebhookAuditSinkProvider().create(new PluginConfig("audit sink \"webhook\"",
                Map.of("url", "http://127.0.0.1:" + collector.getAddress().getPort() + "/audit")),
                PluginContext.of(folder, Clock.systemUTC()));
    }

    @Override
    protected List<String> delivered(Path folder) {
        return List.copyOf(received);
    }

    @AfterEach
    void stopCollector() {
        if (collector != null) {
            collector.stop(0);
        }
    }

    @Test
    void aRefusingCollectorIsReportedAsAFailure() throws IOException {
        AuditSink sink = createSink(folder);
        answer = 500;
        assertThatThrownBy(() -> sink.record(AuditEvents.completedGet("x")))
                .isInstanceOf(AuditException.class).hasMessageEndingWith("the collector answered 500");
        assertThat(sink.failure()).contains("the collector answered 500");
        answer = 200;
        sink.record(AuditEvents.completedGet("y"));
        assertThat(sink.failure()).isEmpty();
        sink.close();
    }
}
