package io.multikube.cache.memory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.multikube.spi.cache.CacheKey;
import io.multikube.spi.cache.CachedResponse;
import io.multikube.spi.cache.ResponseCache;
import io.multikube.spi.cache.ResponseLoader;

/**
 * A {@link ResponseCache} on Caffeine's asynchronous cache. A miss puts an incomplete future under its key and runs
 * the caller's loader on the caller's thread, outside any lock (a loader streams to its client for as long as that
 * takes); concurrent callers with the same key find the future and wait for it. Caffeine drops a future that
 * completes empty or failed, weighs and times a completed one, and evicts by weight and by {@link FetchedExpiry}.
 */
final class MemoryResponseCache implements ResponseCache {
    private final AsyncCache<CacheKey, CachedResponse> cache;
    private final ConcurrentMap<CacheKey, CompletableFuture<CachedResponse>> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    MemoryResponseCache(MemoryCacheSettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        this.cache = Caffeine.newBuilder()
                .ticker(new ClockTicker(Objects.requireNonNull(clock, "clock")))
                .expireAfter(new FetchedExpiry(settings.ttl()))
                .maximumWeight(settings.maxSizeBytes())
                .weigher(MemoryResponseCache::weigh)
                // Upkeep on the calling threads: no pool thread to wait for, and bounds hold when a call returns.
                .executor(Runnable::run)
                .buildAsync();
        this.entries = cache.asMap();
    }

    @Override
    public Optional<CachedResponse> get(CacheKey key, ResponseLoader loader) throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(loader, "loader");
        while (true) {
            CompletableFuture<CachedResponse> mine = new CompletableFuture<>();
            CompletableFuture<CachedResponse> found = entries.putIfAbsent(key, mine);
            if (found == null) {
                return lead(mine, loader);
            }
            if (!found.isDone()) {
                return follow(found, loader);
            }
            CachedResponse ready = found.isCompletedExceptionally() ? null : found.getNow(null);
            if (ready != null) {
                hits.increment();
                return Optional.of(ready);
            }
            // A load that just ended empty or failed, not yet dropped by Caffeine: nobody is loading any more.
            entries.remove(key, found);
        }
    }

    /** Loads for everyone waiting on {@code mine}; the future always completes, or they would wait forever. */
    private Optional<CachedResponse> lead(CompletableFuture<CachedResponse> mine, ResponseLoader loader)
            throws IOException {
        misses.increment();
        try {
            Optional<CachedResponse> loaded = loader.load();
            mine.complete(loaded == null ? null : loaded.orElse(null));
            return Optional.empty();
        } catch (Throwable e) {
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** Waits for another caller's load; when it kept nothing, this caller loads for itself alone. */
    private Optional<CachedResponse> follow(CompletableFuture<CachedResponse> loading, ResponseLoader loader)
            throws IOException {
        CachedResponse shared = null;
        try {
            shared = loading.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a concurrent load of the same read");
        } catch (ExecutionException e) {
            // That caller's failure is answered to that caller; this one tries for itself.
        }
        if (shared != null) {
            hits.increment();
            return Optional.of(shared);
        }
        misses.increment();
        loader.load();
        return Optional.empty();
    }

    private static int weigh(CacheKey key, CachedResponse value) {
        long keyBytes = key.target().length() + key.accept().length() + key.acceptEncoding().length()
                + key.user().length() + key.groups().stream().mapToLong(String::length).sum();
        return (int) Math.min(Integer.MAX_VALUE, value.weight() + keyBytes);
    }

    @Override
    public CacheStats stats() {
        Cache<CacheKey, CachedResponse> view = cache.synchronous();
        view.cleanUp();
        long weight = view.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
        return new CacheStats(view.estimatedSize(), weight, hits.sum(), misses.sum());
    }

    @Override
    public void clear() {
        cache.synchronous().invalidateAll();
    }

    @Override
    public void close() {
        clear();
    }
}
