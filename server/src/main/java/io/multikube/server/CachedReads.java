package io.multikube.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.multikube.cache.CacheableRequests;
import io.multikube.cache.CacheableResponses;
import io.multikube.cache.ResponseCopy;
import io.multikube.pipeline.Headers;
import io.multikube.spi.cache.CacheKey;
import io.multikube.spi.cache.CachedResponse;
import io.multikube.spi.cache.ResponseCache;

/**
 * The cache step, present only when a cache is configured: a safe read ({@link CacheableRequests}) is answered
 * from the cache, or goes to the next step with its answer copied on the way (a tee, so the client gets bytes as
 * they arrive) and kept when it is a complete {@code 200} within the per-entry bound. Anything else passes through.
 */
final class CachedReads implements ResponseStep {
    /** The largest body kept: bigger answers (a big cluster's pod list) stream through uncopied. */
    static final long MAX_ENTRY_BYTES = 8L * 1024 * 1024;

    private final ResponseCache cache;
    private final ResponseStep next;
    private final Clock clock;
    private final long maxEntryBytes;

    CachedReads(ResponseCache cache, ResponseStep next, Clock clock, long maxEntryBytes) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.next = Objects.requireNonNull(next, "next");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxEntryBytes = maxEntryBytes;
    }

    @Override
    public void answer(Exchange exchange) {
        Optional<CacheKey> key = CacheableRequests.key(exchange.outbound(), exchange.body().isPresent());
        if (key.isEmpty()) {
            next.answer(exchange);
            return;
        }
        Optional<CachedResponse> hit;
        try {
            hit = cache.get(key.get(), () -> load(exchange));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hit.ifPresent(cached -> serve(cached, exchange));
    }

    /** A miss: the next step answers this client while the copy fills. */
    private Optional<CachedResponse> load(Exchange exchange) {
        ResponseCopy copy = new ResponseCopy(maxEntryBytes, clock);
        exchange.response().header(HeaderValues.create(CacheableResponses.CACHE_FIELD, "miss"));
        next.answer(exchange.withTap(upstream -> copy.tee(upstream.status(), upstream.headers(), upstream.body())));
        return copy.result();
    }

    /** A hit: the kept answer with this request's own Audit-Id (set already), its age, and an audit event. */
    private void serve(CachedResponse cached, Exchange exchange) {
        ServerResponse response = exchange.response();
        response.status(Status.create(cached.status()));
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (Headers.Header field : CacheableResponses.served(cached, clock.instant()).fields()) {
            grouped.computeIfAbsent(field.lowerCaseName(), name -> new ArrayList<>()).add(field.value());
        }
        grouped.forEach((name, values) -> response.header(HeaderValues.create(HeaderNames.create(name), values)));
        response.send(cached.body());
        exchange.trail().completed(cached.status(), cached.bodyLength());
    }
}
