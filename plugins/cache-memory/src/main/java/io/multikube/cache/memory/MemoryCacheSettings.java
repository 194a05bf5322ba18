package io.multikube.cache.memory;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.multikube.spi.PluginConfig;
import io.multikube.spi.PluginException;

/**
 * The memory cache's settings.
 *
 * @param ttl          how long an entry is served, counted from the cluster's answer (not from the last hit)
 * @param maxSizeBytes the approximate memory all entries may hold together
 */
record MemoryCacheSettings(Duration ttl, long maxSizeBytes) {
    static final long DEFAULT_MAX_SIZE_BYTES = 256L * 1024 * 1024;
    private static final Set<String> KNOWN = Set.of("ttl", "max-size");

    MemoryCacheSettings {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
        }
        if (maxSizeBytes <= 0) {
            throw new IllegalArgumentException("maxSizeBytes: " + maxSizeBytes + " (expected: > 0)");
        }
    }

    static MemoryCacheSettings from(PluginConfig config) {
        // A misspelt key would otherwise silently run with the default (say, 256 MiB instead of the 64 meant).
        Set<String> unknown = new TreeSet<>(config.values().keySet());
        unknown.removeAll(KNOWN);
        if (!unknown.isEmpty()) {
            throw new PluginException(config.plugin() + ": unknown setting(s) " + unknown + " (expected: "
                    + new TreeSet<>(KNOWN) + ")");
        }
        Duration ttl = config.duration("ttl", Duration.ZERO);
        if (config.get("ttl").isEmpty() || ttl.isZero() || ttl.isNegative()) {
            throw new PluginException(config.plugin() + ": ttl=\"" + config.get("ttl").orElse("") + "\" (expected: "
                    + "a duration above 0 such as 30s; --cache-ttl sets it)");
        }
        long maxSize = config.number("max-size", DEFAULT_MAX_SIZE_BYTES);
        if (maxSize <= 0) {
            throw new PluginException(config.plugin() + ": max-size=" + maxSize + " (expected: > 0 bytes)");
        }
        return new MemoryCacheSettings(ttl, maxSize);
    }
}
