package io.multikube.spi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.spi.audit.AuditEvent;
import io.multikube.spi.audit.AuditSink;
import io.multikube.spi.audit.AuditStage;
import io.multikube.spi.audit.ResponseStatus;

/**
 * What every {@link AuditSink} must do. Extend it in your plugin's tests: create the sink, and say which events
 * (as {@code audit.k8s.io/v1} JSON lines) it delivered.
 */
public abstract class AuditSinkContract {
    @TempDir
    protected Path folder;

    /** A new sink writing somewhere under {@code folder} (or to a test server the subclass runs). */
    protected abstract AuditSink createSink(Path folder) throws Exception;

    /** Every event the sink delivered so far, as JSON lines, in delivery order. Called after {@code close}. */
    protected abstract List<String> delivered(Path folder) throws Exception;

    @Test
    void deliversEveryEventRecordedBeforeClose() throws Exception {
        AuditSink sink = createSink(folder);
        for (int i = 0; i < 100; i++) {
            sink.record(AuditEvents.completedGet("id-" + i));
        }
        sink.close();
        assertThat(auditIds(delivered(folder))).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 100).mapToObj(i -> "id-" + i).toList());
    }

    @Test
    void deliversEachEventOnceUnderConcurrentWriters() throws Exception {
        AuditSink sink = createSink(folder);
        int writers = 8;
        int each = 250;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newFixedThreadPool(writers)) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        sink.record(AuditEvents.completedGet("w" + writer + "-" + i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        }
        sink.close();
        List<String> ids = auditIds(delivered(folder));
        assertThat(ids).hasSize(writers * each).doesNotHaveDuplicates();
    }

    @Test
    void keepsTheStagesOfOneRequestInOrder() throws Exception {
        AuditSink sink = createSink(folder);
        AuditEvent started = AuditEvents.completedGet("watch-1").at(AuditStage.ResponseStarted,
                Optional.of(ResponseStatus.of(200)), Instant.parse("2026-11-28T10:15:31Z"));
        sink.record(started);
        sink.record(started.at(AuditStage.ResponseComplete, Optional.of(ResponseStatus.of(200)),
                Instant.parse("2026-11-28T10:25:31Z")));
        sink.close();
        List<String> lines = delivered(folder);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"stage\":\"ResponseStarted\"");
        assertThat(lines.get(1)).contains("\"stage\":\"ResponseComplete\"");
    }

    @Test
    void deliversAwkwardTextAsOneValidLine() throws Exception {
        AuditSink sink = createSink(folder);
        sink.record(AuditEvents.awkwardText("odd-1"));
        sink.record(AuditEvents.refused("refused-1"));
        sink.close();
        List<String> lines = delivered(folder);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo(AuditEvents.awkwardText("odd-1").toJson());
        assertThat(lines.get(1)).isEqualTo(AuditEvents.refused("refused-1").toJson());
    }

    @Test
    void flushReturnsOnceEverythingIsDelivered() throws Exception {
        AuditSink sink = createSink(folder);
        sink.record(AuditEvents.completedGet("flushed"));
        assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(sink.failure()).isEmpty();
        sink.close();
        assertThat(auditIds(delivered(folder))).containsExactly("flushed");
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        AuditSink sink = createSink(folder);
        sink.record(AuditEvents.completedGet("once"));
        sink.close();
        sink.close();
        assertThat(auditIds(delivered(folder))).containsExactly("once");
    }

    /** The {@code auditID} of each JSON line. */
    protected static List<String> auditIds(List<String> lines) {
        return lines.stream().map(line -> {
            int at = line.indexOf("\"auditID\":\"") + 11;
            return line.substring(at, line.indexOf('"', at));
        }).toList();
    }
}
