package io.multikube.cache.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.multikube.spi.cache.CacheKey;
import io.multikube.spi.cache.CachedResponse;
import io.multikube.spi.cache.ResponseCache.CacheStats;
import io.multikube.spi.testkit.MutableClock;

/** What the memory cache does beyond the SPI's contract. */
class MemoryResponseCacheTest {
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final CacheKey KEY = new CacheKey("dev", "jane", List.of("devs"), "GET", "/api/v1/pods", "", "");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final MemoryResponseCache cache = new MemoryResponseCache(new MemoryCacheSettings(TTL, 1024 * 1024),
            clock);

    @AfterEach
    void close() {
        cache.close();
    }

    private CachedResponse fetchedAt(Instant fetched, int bodyBytes) {
        return new CachedResponse(200, List.of(new CachedResponse.Header("Content-Type", "application/json")),
                new byte[bodyBytes], fetched);
    }

    @Test
    void aResponseThatArrivesLateLivesOnlyTheRestOfItsTimeToLive() throws Exception {
        // Fetched 20 s ago (a long stream, say): 10 s of its 30 s are left.
        cache.get(KEY, () -> Optional.of(fetchedAt(clock.instant().minusSeconds(20), 10)));
        clock.advance(Duration.ofSeconds(9));
        assertThat(cache.get(KEY, () -> Optional.empty())).isPresent();
        clock.advance(Duration.ofSeconds(2));
        assertThat(cache.get(KEY, () -> Optional.empty())).isEmpty();
    }

    @Test
    void hitsDoNotExtendTheTimeToLive() throws Exception {
        cache.get(KEY, () -> Optional.of(fetchedAt(clock.instant(), 10)));
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(5));
            assertThat(cache.get(KEY, () -> Optional.empty())).as("after %d s", (i + 1) * 5).isPresent();
        }
        clock.advance(Duration.ofSeconds(6));
        assertThat(cache.get(KEY, () -> Optional.empty())).isEmpty();
    }

    @Test
    void aResponseAlreadyPastItsTimeToLiveIsNotServed() throws Exception {
        cache.get(KEY, () -> Optional.of(fetchedAt(clock.instant().minus(TTL).minusMillis(1), 10)));
        AtomicInteger loads = new AtomicInteger();
        cache.get(KEY, () -> {
            loads.incrementAndGet();
            return Optional.empty();
        });
        assertThat(loads).hasValue(1);
    }

    @Test
    void aResponseLargerThanTheWholeCacheIsNotKept() throws Exception {
        cache.get(KEY, () -> Optional.of(fetchedAt(clock.instant(), 2 * 1024 * 1024)));
        assertThat(cache.stats().entries()).isZero();
        assertThat(cache.stats().weight()).isZero();
    }

    @Test
    void statsCountEntriesWeightHitsAndMisses() throws Exception {
        CachedResponse response = fetchedAt(clock.instant(), 1000);
        cache.get(KEY, () -> Optional.of(response));
        cache.get(KEY, () -> Optional.empty());
        cache.get(KEY, () -> Optional.empty());
        CacheStats stats = cache.stats();
        assertThat(stats.entries()).isEqualTo(1);
        assertThat(stats.weight()).isGreaterThanOrEqualTo(response.weight()).isLessThan(response.weight() + 100);
        assertThat(stats.hits()).isEqualTo(2);
        assertThat(stats.misses()).isEqualTo(1);
    }

    @Test
    void clearDropsEveryEntry() throws Exception {
        cache.get(KEY, () -> Optional.of(fetchedAt(clock.instant(), 10)));
        cache.clear();
        assertThat(cache.stats().entries()).isZero();
        AtomicInteger loads = new AtomicInteger();
        cache.get(KEY, () -> {
            loads.incrementAndGet();
            return Optional.empty();
        });
        assertThat(loads).hasValue(1);
    }

    @Test
    void waitersLoadThemselvesWhenTheFirstLoaderFailed() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ownLoads = new AtomicInteger();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Optional<CachedResponse>> first = threads.submit(() -> cache.get(KEY, () -> {
                firstStarted.countDown();
                awaitQuietly(release);
                throw new IOException("cluster unreachable");
            }));
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Optional<CachedResponse>> waiter = threads.submit(() -> cache.get(KEY, () -> {
                ownLoads.incrementAndGet();
                return Optional.of(fetchedAt(clock.instant(), 10));
            }));
            Thread.sleep(200);
            assertThat(ownLoads).as("the waiter waits while the first loads").hasValue(0);
            release.countDown();
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("cluster unreachable");
            assertThat(waiter.get(10, TimeUnit.SECONDS)).isEmpty();
        }
        assertThat(ownLoads).hasValue(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aLoaderThatThrowsAnUncheckedExceptionReleasesItsWaitersAndIsNotRemembered() {
        assertThatThrownBy(() -> cache.get(KEY, () -> {
            throw new IllegalStateException("broken relay");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(cache.stats().entries()).isZero();
    }

    @Test
    void aHitReturnsTheBodyAsLoaded() throws Exception {
        byte[] body = "{\"kind\":\"PodList\"}".getBytes(StandardCharsets.UTF_8);
        cache.get(KEY, () -> Optional.of(new CachedResponse(200, List.of(), body, clock.instant())));
        assertThat(cache.get(KEY, () -> Optional.empty()).orElseThrow().body()).isEqualTo(body);
    }
}
