package io.multikube.plugin;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import io.multikube.spi.PluginConfig;
import io.multikube.spi.PluginContext;
import io.multikube.spi.cache.CacheKey;
import io.multikube.spi.cache.CachedResponse;
import io.multikube.spi.cache.ResponseCache;
import io.multikube.spi.cache.ResponseCacheProvider;

/**
 * A plain map cache named "test-map" for the server's own tests (the server never depends on a plugin): coalesces
 * concurrent misses as the SPI says, expires {@code ttl} (default 1 h) after the fetch, holds everything.
 * {@link #last} is the instance the last server created.
 */
public final class MapCacheProvider implements ResponseCacheProvider {
    public static volatile MapCache last;

    @Override
    public String name() {
        return "test-map";
    }

    @Override
    public ResponseCache create(PluginConfig config, PluginContext context) {
        last = new MapCache(config.duration("ttl", Duration.ofHours(1)), context.clock());
        return last;
    }

    /** The cache; {@link #stored()} counts what it keeps. */
    public static final class MapCache implements ResponseCache {
        private final ConcurrentMap<CacheKey, CompletableFuture<CachedResponse>> entries = new ConcurrentHashMap<>();
        private final Duration ttl;
        private final Clock clock;
        private final AtomicLong hits = new AtomicLong();
        private final AtomicLong misses = new AtomicLong();

        MapCache(Duration ttl, Clock clock) {
            this.ttl = ttl;
            this.clock = clock;
        }

        @Override
        public Optional<CachedResponse> get(CacheKey key, io.multikube.spi.cache.ResponseLoader loader)
                throws IOException {
            while (true) {
                CompletableFuture<CachedResponse> mine = new CompletableFuture<>();
                CompletableFuture<CachedResponse> found = entries.putIfAbsent(key, mine);
                if (found == null) {
                    misses.incrementAndGet();
                    try {
                        mine.complete(loader.load().orElse(null));
                    } catch (IOException | RuntimeException e) {
                        mine.completeExceptionally(e);
                        throw e;
                    } finally {
                        if (mine.getNow(null) == null) {
                            entries.remove(key, mine);
                        }
                    }
                    return Optional.empty();
                }
                CachedResponse value = await(found);
                if (value != null && clock.instant().isBefore(value.fetched().plus(ttl))) {
                    hits.incrementAndGet();
                    return Optional.of(value);
                }
                if (value == null) {
                    // The load this caller waited for kept nothing: it answers its own client.
                    misses.incrementAndGet();
                    loader.load();
                    return Optional.empty();
                }
                entries.remove(key, found);
            }
        }

        private static CachedResponse await(CompletableFuture<CachedResponse> future) throws IOException {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            } catch (ExecutionException e) {
                return null;
            }
        }

        public long stored() {
            return entries.values().stream().filter(f -> f.isDone() && f.getNow(null) != null).count();
        }

        @Override
        public CacheStats stats() {
            return new CacheStats(stored(), 0, hits.get(), misses.get());
        }
    }
}
