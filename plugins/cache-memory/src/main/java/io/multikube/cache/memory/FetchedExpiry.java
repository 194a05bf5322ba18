package io.multikube.cache.memory;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Expiry;

import io.multikube.spi.cache.CacheKey;
import io.multikube.spi.cache.CachedResponse;

/**
 * Expires an entry its time-to-live after the cluster answered ({@link CachedResponse#fetched()}), never later:
 * hits do not extend it, and a response that took long to stream arrives with part of its life already spent.
 * Caffeine's {@code currentTime} comes from {@link ClockTicker}, nanoseconds since the epoch.
 */
final class FetchedExpiry implements Expiry<CacheKey, CachedResponse> {
    private final long ttlNanos;

    FetchedExpiry(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public long expireAfterCreate(CacheKey key, CachedResponse value, long currentTime) {
        return remaining(value, currentTime);
    }

    @Override
    public long expireAfterUpdate(CacheKey key, CachedResponse value, long currentTime, long currentDuration) {
        // A replaced entry is a new fetch; an in-flight load completing lands here too.
        return remaining(value, currentTime);
    }

    @Override
    public long expireAfterRead(CacheKey key, CachedResponse value, long currentTime, long currentDuration) {
        return currentDuration;
    }

    private long remaining(CachedResponse value, long currentTime) {
        return Math.max(0, ClockTicker.nanos(value.fetched()) + ttlNanos - currentTime);
    }
}
