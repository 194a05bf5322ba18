package io.multikube.audit.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupsTest {
    private static final Instant T0 = Instant.parse("2026-11-29T04:00:00.100Z");

    @TempDir
    Path folder;

    /**
     * Two rotations in one millisecond, the clock moving on during the second: the backups still list oldest first.
     * (The name of the second was once taken from a second reading of the clock, and sorted after a later one.)
     */
    @Test
    void rotationsWithinOneMillisecondKeepTheirOrder() throws IOException {
        Path log = folder.resolve("audit.log");
        Clock clock = readings(T0, T0, T0.plusMillis(1), T0.plusMillis(1), T0.plusMillis(1));
        Backups backups = new Backups(log, new FileAuditSettings(Optional.of(log), 0, 0, Duration.ZERO, 16,
                Duration.ofMillis(10), Duration.ofSeconds(1)), clock);

        for (String content : List.of("first", "second", "third")) {
            Files.writeString(log, content);
            backups.rotate();
        }

        assertThat(backups.list()).extracting(Files::readString).containsExactly("first", "second", "third");
    }

    /** A clock that answers the given instants in turn, then the last one. */
    private static Clock readings(Instant... instants) {
        Deque<Instant> left = new ArrayDeque<>(List.of(instants));
        return new Clock() {
            @Override
            public Instant instant() {
                return left.size() > 1 ? left.pollFirst() : left.peekFirst();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
    }
}
