package io.multikube.audit.file;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import io.multikube.spi.PluginConfig;
import io.multikube.spi.PluginException;

/**
 * The audit-file settings, named and meant as kube-apiserver's {@code --audit-log-*} flags.
 *
 * @param path          the log file; empty for standard output ({@code -})
 * @param maxSizeBytes  rotate when the file would grow past this; 0 never rotates
 * @param maxBackups    rotated files to keep; 0 keeps all
 * @param maxAge        delete rotated files older than this; zero keeps them
 * @param queueSize     events held in memory while the writer catches up; a full queue blocks requests
 * @param retryInterval how often a failing file is reopened and the write retried
 * @param closeGrace    how long shutdown keeps retrying before unwritten events go to standard error
 */
record FileAuditSettings(Optional<Path> path, long maxSizeBytes, int maxBackups, Duration maxAge, int queueSize,
                         Duration retryInterval, Duration closeGrace) {
    static final long DEFAULT_MAX_SIZE_MB = 100;
    static final int DEFAULT_QUEUE_SIZE = 10_000;
    static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMillis(500);
    static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(10);

    FileAuditSettings {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(retryInterval, "retryInterval");
        Objects.requireNonNull(closeGrace, "closeGrace");
    }

    static FileAuditSettings from(PluginConfig config) {
        String path = config.get("path").orElseThrow(() -> new PluginException(
                config.plugin() + ": no path (expected: --audit-log-path=FILE, or - for standard output)"));
        long maxSizeMb = config.number("max-size", DEFAULT_MAX_SIZE_MB);
        long maxBackups = config.number("max-backup", 0);
        long maxAgeDays = config.number("max-age", 0);
        long queueSize = config.number("queue-size", DEFAULT_QUEUE_SIZE);
        requireAtLeast(config, "max-size", maxSizeMb, 0);
        requireAtLeast(config, "max-backup", maxBackups, 0);
        requireAtLeast(config, "max-age", maxAgeDays, 0);
        requireAtLeast(config, "queue-size", queueSize, 1);
        return new FileAuditSettings(path.equals("-") ? Optional.empty() : Optional.of(Path.of(path)),
                maxSizeMb * 1024 * 1024, (int) maxBackups, Duration.ofDays(maxAgeDays), (int) queueSize,
                config.duration("retry-interval", DEFAULT_RETRY_INTERVAL),
                config.duration("close-grace", DEFAULT_CLOSE_GRACE));
    }

    private static void requireAtLeast(PluginConfig config, String key, long value, long minimum) {
        if (value < minimum) {
            throw new PluginException(config.plugin() + ": " + key + "=" + value + " (expected: >= " + minimum + ")");
        }
    }
}
