package io.multikube.cache.memory;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Caffeine's time source read from the plugin's {@link Clock}, in nanoseconds since the epoch, so that expiry can
 * be computed from a response's {@code fetched} instant and tests can move time.
 */
final class ClockTicker implements Ticker {
    private final Clock clock;

    ClockTicker(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public long read() {
        return nanos(clock.instant());
    }

    /** Nanoseconds since the epoch; a long holds them until the year 2262. */
    static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
