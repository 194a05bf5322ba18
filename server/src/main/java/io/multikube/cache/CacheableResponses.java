package io.multikube.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.multikube.pipeline.Headers;
import io.multikube.spi.cache.CachedResponse;

/**
 * Which cluster answers may be kept, with which header fields, and how a kept one is served again.
 *
 * <p>Only a {@code 200}. Every kube-apiserver response carries {@code Cache-Control: no-cache, private}: a blanket
 * header its generic filter chain adds because every answer depends on who asked, not a judgement of the answer.
 * Our entries are private already (one identity per key, see {@link CacheableRequests}), and serving an answer up
 * to {@code --cache-ttl} old without asking again is exactly what the operator turned on, so {@code private} and
 * {@code no-cache} do not stop us. {@code no-store} does (an aggregated API server or extension may mean it), and
 * so does a {@code Vary} on anything the key does not hold.
 */
public final class CacheableResponses {
    /** Response header of a request the cache answered ({@code hit}) or filled ({@code miss}). */
    public static final String CACHE_FIELD = "X-Multikube-Cache";
    private static final Set<String> KEYED = Set.of("accept", "accept-encoding");
    // Audit-Id belongs to the request that fetched it (a hit gets its own); the length is the transport's business.
    private static final Set<String> PER_REQUEST = Set.of("audit-id", "content-length", "set-cookie", "age",
            "x-multikube-cache");

    private CacheableResponses() {
    }

    public static boolean storable(int status, Headers headers) {
        if (status != 200 || CacheableRequests.Directives.of(headers.all("Cache-Control")).contains("no-store")) {
            return false;
        }
        return CacheableRequests.Directives.of(headers.all("Vary")).stream().allMatch(KEYED::contains);
    }

    /** The fields a kept answer is stored with. */
    public static List<CachedResponse.Header> stored(Headers headers) {
        return headers.fields().stream().filter(field -> !PER_REQUEST.contains(field.lowerCaseName()))
                .map(field -> new CachedResponse.Header(field.name(), field.value())).toList();
    }

    /** The fields a hit is served with: the stored ones, {@code X-Multikube-Cache: hit} and its {@code Age}. */
    public static Headers served(CachedResponse cached, Instant now) {
        Headers headers = new Headers(cached.headers().stream()
                .map(field -> new Headers.Header(field.name(), field.value())).toList());
        long age = Math.max(0, Duration.between(cached.fetched(), now).toSeconds());
        return headers.plus(CACHE_FIELD, "hit").plus("Age", Long.toString(age));
    }

}
