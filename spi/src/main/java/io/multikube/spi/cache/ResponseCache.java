package io.multikube.spi.cache;

import java.io.IOException;
import java.util.Optional;

/**
 * Keeps cluster answers to safe reads for a short time. Created by a {@link ResponseCacheProvider}. The server
 * decides what may be cached and builds the key; the cache decides how long and how much to keep.
 *
 * <p>Threading: called concurrently from many request threads; implementations are thread-safe. Lifecycle:
 * {@link #close} is called once on shutdown.
 */
public interface ResponseCache extends AutoCloseable {
    /**
     * Answers a read from the cache, or has it loaded once for every concurrent caller with the same key.
     *
     * <ul>
     * <li>A fresh entry: returned; {@code loader} is not called.</li>
     * <li>No entry, nobody loading: {@code loader} runs on this thread (it answers this caller's client itself);
     * a response it returns is kept until it expires; this call returns empty.</li>
     * <li>No entry, another caller loading the same key: waits for it. If it kept a response, that response is
     * returned; if not, this caller's {@code loader} runs (without coalescing) and this call returns empty.</li>
     * </ul>
     *
     * @param key    the key; never null
     * @param loader fetches from the cluster; never null
     * @return the response to send this caller, or empty when this caller's own loader answered it
     * @throws IOException when this caller's loader failed (the failure is not cached)
     */
    Optional<CachedResponse> get(CacheKey key, ResponseLoader loader) throws IOException;

    /** Entries held now, and their approximate weight in bytes; for metrics. */
    default CacheStats stats() {
        return new CacheStats(0, 0, 0, 0);
    }

    /** Drops every entry. */
    default void clear() {
    }

    @Override
    default void close() {
    }

    /**
     * A cache's counters.
     *
     * @param entries the number of entries held
     * @param weight  their approximate size in bytes
     * @param hits    reads answered from the cache since start
     * @param misses  reads that went to the cluster since start
     */
    record CacheStats(long entries, long weight, long hits, long misses) {
    }
}
