package io.multikube.audit.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.spi.PluginConfig;
import io.multikube.spi.PluginContext;
import io.multikube.spi.PluginException;
import io.multikube.spi.testkit.AuditEvents;

class FileAuditSinkTest {
    private static final Duration FAST_RETRY = Duration.ofMillis(50);

    @TempDir
    Path folder;

    private FileAuditSettings settings(Path path, long maxSizeBytes, int maxBackups) {
        return new FileAuditSettings(Optional.of(path), maxSizeBytes, maxBackups, Duration.ZERO, 1000, FAST_RETRY,
                Duration.ofSeconds(5));
    }

    private FileAuditSink sink(Path path, FileAuditSettings settings) {
        return new FileAuditSink(new AuditLogFile(path, settings, Clock.systemUTC()), settings.queueSize(),
                settings.retryInterval(), settings.closeGrace());
    }

    private List<String> allLines(Path path) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path backup : new Backups(path, settings(path, 0, 0), Clock.systemUTC()).list()) {
            lines.addAll(Files.readAllLines(backup));
        }
        lines.addAll(Files.readAllLines(path));
        return lines;
    }

    @Test
    void rotationKeepsEveryLineWholeAndEveryEvent() throws Exception {
        Path log = folder.resolve("audit.log");
        FileAuditSink sink = sink(log, settings(log, 4096, 0));
        for (int i = 0; i < 300; i++) {
            sink.record(AuditEvents.completedGet("rot-" + i));
        }
        sink.close();

        List<Path> backups = new Backups(log, settings(log, 0, 0), Clock.systemUTC()).list();
        assertThat(backups).hasSizeGreaterThan(10);
        for (Path file : backups) {
            assertThat(Files.size(file)).isLessThanOrEqualTo(4096);
            assertThat(Files.readString(file)).endsWith("}\n");
        }
        List<String> lines = allLines(log);
        assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("{\"kind\":\"Event\"").endsWith("}"));
        assertThat(lines).extracting(line -> line.replaceAll(".*\"auditID\":\"([^\"]+)\".*", "$1"))
                .containsExactlyElementsOf(IntStream.range(0, 300).mapToObj(i -> "rot-" + i).toList());
    }

    @Test
    void keepsNoMoreBackupsThanAsked() throws Exception {
        Path log = folder.resolve("audit.log");
        FileAuditSink sink = sink(log, settings(log, 2048, 3));
        for (int i = 0; i < 200; i++) {
            sink.record(AuditEvents.completedGet("keep-" + i));
        }
        sink.close();
        assertThat(new Backups(log, settings(log, 0, 0), Clock.systemUTC()).list()).hasSize(3);
        assertThat(Files.readAllLines(log).getLast()).contains("keep-199");
    }

    /** /dev/full answers every write with ENOSPC: a real full disk, from the kernel. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aFullDiskIsReportedAndNothingIsLostWhenItFrees() throws Exception {
        Path log = folder.resolve("audit.log");
        Files.createSymbolicLink(log, Path.of("/dev/full"));
        FileAuditSink sink = sink(log, settings(log, 0, 0));
        sink.record(AuditEvents.completedGet("during-1"));
        awaitFailure(sink);
        assertThat(sink.failure()).contains("No space left on device");
        sink.record(AuditEvents.completedGet("during-2"));
        assertThat(sink.stats().queued()).isEqualTo(2);
        assertThat(sink.stats().writeErrors()).isPositive();
        assertThat(sink.flush(Duration.ofMillis(200))).isFalse();

        // Space comes back: the path now leads to a real file, which the writer reopens on its next retry. The link
        // is replaced by a rename, in one step: deleting it first let a retry create a file there in between.
        Path real = folder.resolve("real.log");
        Files.createFile(real);
        Path next = Files.createSymbolicLink(folder.resolve("audit.log.next"), real);
        Files.move(next, log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        assertThat(sink.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(sink.failure()).isEmpty();
        assertThat(sink.stats().queued()).isZero();
        sink.record(AuditEvents.completedGet("after"));
        sink.close();
        assertThat(Files.readAllLines(real)).extracting(line -> line.replaceAll(".*\"auditID\":\"([^\"]+)\".*", "$1"))
                .containsExactly("during-1", "during-2", "after");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void eventsThatCannotBeWrittenByShutdownGoToStandardError() throws Exception {
        Path log = folder.resolve("audit.log");
        Files.createSymbolicLink(log, Path.of("/dev/full"));
        FileAuditSettings quick = new FileAuditSettings(Optional.of(log), 0, 0, Duration.ZERO, 100, FAST_RETRY,
                Duration.ofMillis(300));
        FileAuditSink sink = sink(log, quick);
        sink.record(AuditEvents.completedGet("rescued-1"));
        sink.record(AuditEvents.completedGet("rescued-2"));
        awaitFailure(sink);

        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            sink.close();
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(AuditEvents.completedGet("rescued-1").toJson(),
                        AuditEvents.completedGet("rescued-2").toJson());
    }

    @Test
    void aFullQueueBlocksTheCallerInsteadOfDropping() throws Exception {
        CountDownLatch diskStalls = new CountDownLatch(1);
        List<String> written = java.util.Collections.synchronizedList(new ArrayList<>());
        // A stalled disk cannot be made on demand; this destination stands in for one that hangs.
        Destination stalled = new Destination() {
            @Override
            public void append(byte[] line) throws IOException {
                try {
                    diskStalls.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                written.add(new String(line, StandardCharsets.UTF_8).strip());
            }

            @Override
            public void sync() {
            }

            @Override
            public void closeQuietly() {
            }

            @Override
            public String describe() {
                return "stalled disk";
            }
        };
        FileAuditSink sink = new FileAuditSink(stalled, 2, FAST_RETRY, Duration.ofSeconds(5));
        Thread producer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 10; i++) {
                sink.record(AuditEvents.completedGet("bp-" + i));
            }
        });
        producer.join(500);
        assertThat(producer.isAlive()).as("the producer waits for room").isTrue();
        diskStalls.countDown();
        producer.join(5000);
        sink.close();
        assertThat(written).hasSize(10);
    }

    @Test
    void recordAfterCloseIsRefusedClearly() throws Exception {
        Path log = folder.resolve("audit.log");
        FileAuditSink sink = sink(log, settings(log, 0, 0));
        sink.close();
        assertThatThrownBy(() -> sink.record(AuditEvents.completedGet("late")))
                .hasMessageContaining("is closed");
    }

    @Test
    void settingsAreCheckedWithClearMessages() {
        FileAuditSinkProvider provider = new FileAuditSinkProvider();
        PluginContext context = PluginContext.of(folder, Clock.systemUTC());
        assertThatThrownBy(() -> provider.create(new PluginConfig("audit sink \"file\"", Map.of()), context))
                .isInstanceOf(PluginException.class)
                .hasMessage("audit sink \"file\": no path (expected: --audit-log-path=FILE, or - for standard output)");
        assertThatThrownBy(() -> provider.create(new PluginConfig("audit sink \"file\"",
                Map.of("path", "x.log", "max-size", "-1")), context))
                .hasMessage("audit sink \"file\": max-size=-1 (expected: >= 0)");
        assertThatThrownBy(() -> provider.create(new PluginConfig("audit sink \"file\"",
                Map.of("path", "x.log", "max-backup", "many")), context))
                .hasMessage("audit sink \"file\": max-backup=\"many\" (expected: a whole number)");
    }

    @Test
    void aPathThatCannotBeOpenedStopsStartUp() throws IOException {
        Path notAFolder = Files.writeString(folder.resolve("file"), "x");
        assertThatThrownBy(() -> new FileAuditSinkProvider().create(new PluginConfig("audit sink \"file\"",
                Map.of("path", notAFolder.resolve("audit.log").toString())), PluginContext.of(folder,
                Clock.systemUTC())))
                .isInstanceOf(PluginException.class)
                .hasMessage("audit sink \"file\": cannot open " + notAFolder.resolve("audit.log")
                        + " for writing (java.nio.file.FileAlreadyExistsException: " + notAFolder + ")");
    }

    private static void awaitFailure(FileAuditSink sink) throws InterruptedException {
        for (int i = 0; i < 100 && sink.failure().isEmpty(); i++) {
            Thread.sleep(20);
        }
    }
}
