package io.multikube.spi.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import io.multikube.spi.cache.ResponseCache;
import io.multikube.spi.cache.ResponseLoader;

/** What every {@link ResponseCache} must do. Extend it in your plugin's tests and create the cache. */
public abstract class ResponseCacheContract {
    protected static final Duration TTL = Duration.ofSeconds(5);
    protected static final long MAX_BYTES = 1024 * 1024;

    protected final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private ResponseCache cache;

    /** A new cache keeping entries for {@code ttl} from their fetch, holding at most {@code maxBytes}. */
    protected abstract ResponseCache createCache(Duration ttl, long maxBytes, Clock clock) throws Exception;

    @AfterEach
    void closeCache() {
        if (cache != null) {
            cache.close();
        }
    }

    /** Synchronized: the concurrency tests' threads call it at once, and two caches would each run a loader. */
    private synchronized ResponseCache cache() throws Exception {
        if (cache == null) {
            cache = createCache(TTL, MAX_BYTES, clock);
        }
        return cache;
    }

    @Test
    void aMissRunsTheLoaderAndAHitDoesNot() throws Exception {
        CountingLoader loader = new CountingLoader(response("pods"));
        assertThat(cache().get(key("jane"), loader)).isEmpty();
        Optional<CachedResponse> hit = cache().get(key("jane"), loader);
        assertThat(hit).isPresent();
        assertThat(new String(hit.get().body(), StandardCharsets.UTF_8)).isEqualTo("pods");
        assertThat(loader.calls.get()).isEqualTo(1);
    }

    @Test
    void usersNeverShareEntries() throws Exception {
        cache().get(key("jane"), new CountingLoader(response("jane's pods")));
        CountingLoader forJohn = new CountingLoader(response("john's pods"));
        assertThat(cache().get(key("john"), forJohn)).isEmpty();
        assertThat(forJohn.calls.get()).isEqualTo(1);
        assertThat(body(cache().get(key("john"), forJohn))).isEqualTo("john's pods");
        assertThat(body(cache().get(key("jane"), forJohn))).isEqualTo("jane's pods");
    }

    @Test
    void groupsContextAndAcceptArePartOfTheKey() throws Exception {
        cache().get(key("jane"), new CountingLoader(response("a")));
        List<CacheKey> others = List.of(
                new CacheKey("dev", "jane", List.of("admins"), "GET", "/api/v1/pods", "application/json", ""),
                new CacheKey("prod", "jane", List.of(), "GET", "/api/v1/pods", "application/json", ""),
                new CacheKey("dev", "jane", List.of(), "GET", "/api/v1/pods", "application/yaml", ""),
                new CacheKey("dev", "jane", List.of(), "GET", "/api/v1/pods", "application/json", "gzip"),
                new CacheKey("dev", "jane", List.of(), "GET", "/api/v1/pods?labelSelector=x", "application/json", ""));
        for (CacheKey other : others) {
            CountingLoader loader = new CountingLoader(response("b"));
            assertThat(cache().get(other, loader)).as(other.toString()).isEmpty();
            assertThat(loader.calls.get()).isEqualTo(1);
        }
    }

    @Test
    void coalescesConcurrentIdenticalMisses() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        ResponseLoader slow = () -> {
            loads.incrementAndGet();
            await(release);
            return Optional.of(response("shared"));
        };
        int callers = 100;
        List<Future<Optional<CachedResponse>>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                results.add(threads.submit(() -> cache().get(key("jane"), slow)));
            }
            Thread.sleep(300);
            release.countDown();
            int loadedThemselves = 0;
            for (Future<Optional<CachedResponse>> result : results) {
                Optional<CachedResponse> answer = result.get(10, TimeUnit.SECONDS);
                if (answer.isEmpty()) {
                    loadedThemselves++;
                } else {
                    assertThat(body(answer)).isEqualTo("shared");
                }
            }
            assertThat(loadedThemselves).isEqualTo(1);
        }
        assertThat(loads.get()).isEqualTo(1);
    }

    @Test
    void waitersLoadThemselvesWhenTheFirstLoaderKeptNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        ResponseLoader uncacheable = () -> {
            loads.incrementAndGet();
            await(release);
            return Optional.empty();
        };
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<CachedResponse>>> results = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                results.add(threads.submit(() -> cache().get(key("jane"), uncacheable)));
            }
            Thread.sleep(200);
            release.countDown();
            for (Future<Optional<CachedResponse>> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isEmpty();
            }
        }
        assertThat(loads.get()).isEqualTo(5);
    }

    @Test
    void anEmptyLoadIsNotRemembered() throws Exception {
        CountingLoader nothing = new CountingLoader(null);
        assertThat(cache().get(key("jane"), nothing)).isEmpty();
        assertThat(cache().get(key("jane"), nothing)).isEmpty();
        assertThat(nothing.calls.get()).isEqualTo(2);
    }

    @Test
    void aFailedLoadPropagatesAndIsNotRemembered() throws Exception {
        assertThatThrownBy(() -> cache().get(key("jane"), () -> {
            throw new IOException("cluster unreachable");
        })).isInstanceOf(IOException.class).hasMessageContaining("cluster unreachable");
        CountingLoader next = new CountingLoader(response("fine"));
        assertThat(cache().get(key("jane"), next)).isEmpty();
        assertThat(next.calls.get()).isEqualTo(1);
    }

    @Test
    void entriesExpireTheirTimeToLiveAfterTheFetch() throws Exception {
        CountingLoader loader = new CountingLoader(response("pods"));
        cache().get(key("jane"), loader);
        clock.advance(TTL.minusMillis(100));
        assertThat(cache().get(key("jane"), loader)).isPresent();
        clock.advance(Duration.ofMillis(200));
        assertThat(cache().get(key("jane"), loader)).isEmpty();
        assertThat(loader.calls.get()).isEqualTo(2);
    }

    @Test
    void holdsNoMoreThanItsSizeBound() throws Exception {
        byte[] big = new byte[(int) (MAX_BYTES / 4)];
        for (int i = 0; i < 12; i++) {
            CachedResponse entry = new CachedResponse(200, List.of(), big, clock.instant());
            cache().get(key("user-" + i), () -> Optional.of(entry));
        }
        cache().stats();
        awaitMaintenance();
        assertThat(cache().stats().weight()).isLessThanOrEqualTo(MAX_BYTES);
        assertThat(cache().stats().entries()).isLessThan(12);
    }

    /** Lets a cache that evicts asynchronously finish; the default waits briefly. */
    protected void awaitMaintenance() throws Exception {
        Thread.sleep(100);
    }

    protected static CacheKey key(String user) {
        return new CacheKey("dev", user, List.of(), "GET", "/api/v1/pods", "application/json", "");
    }

    protected CachedResponse response(String body) {
        return new CachedResponse(200, List.of(new CachedResponse.Header("Content-Type", "application/json")),
                body.getBytes(StandardCharsets.UTF_8), clock.instant());
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while loading");
        }
    }

    private static String body(Optional<CachedResponse> response) {
        return new String(response.orElseThrow().body(), StandardCharsets.UTF_8);
    }

    private static final class CountingLoader implements ResponseLoader {
        final AtomicInteger calls = new AtomicInteger();
        private final CachedResponse response;

        CountingLoader(CachedResponse response) {
            this.response = response;
        }

        @Override
        public Optional<CachedResponse> load() {
            calls.incrementAndGet();
            return Optional.ofNullable(response);
        }
    }
}
