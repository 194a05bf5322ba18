package io.multikube.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.multikube.pipeline.Headers;
import io.multikube.spi.cache.CachedResponse;

class ResponseCopyTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final byte[] BODY = "{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8);

    private final ResponseCopy copy = new ResponseCopy(64, Clock.fixed(NOW, ZoneOffset.UTC));

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    @Test
    void aWholeChunkedBodyIsKeptWithItsFetchTime() throws IOException {
        InputStream relayed = copy.tee(200, Headers.of("Content-Type", "application/json", "Audit-Id", "a-1"),
                new ByteArrayInputStream(BODY));
        assertThat(readAll(relayed)).isEqualTo(BODY);
        CachedResponse kept = copy.result().orElseThrow();
        assertThat(kept.body()).isEqualTo(BODY);
        assertThat(kept.fetched()).isEqualTo(NOW);
        assertThat(kept.headers()).containsExactly(new CachedResponse.Header("Content-Type", "application/json"));
    }

    @Test
    void aBodyWithContentLengthIsCompleteOnceThatManyBytesWentThrough() throws IOException {
        InputStream relayed = copy.tee(200, Headers.of("Content-Length", Integer.toString(BODY.length)),
                new ByteArrayInputStream(BODY));
        // The relay stops after Content-Length bytes and never reads the end of the stream.
        assertThat(relayed.readNBytes(BODY.length)).isEqualTo(BODY);
        assertThat(copy.result()).isPresent();
    }

    @Test
    void aBodyCutShortIsNotKept() throws IOException {
        InputStream relayed = copy.tee(200, Headers.of("Content-Length", "100"), new ByteArrayInputStream(BODY));
        readAll(relayed);
        assertThat(copy.result()).isEmpty();
    }

    @Test
    void aBodyTheRelayStoppedReadingIsNotKept() throws IOException {
        InputStream relayed = copy.tee(200, Headers.EMPTY, new ByteArrayInputStream(BODY));
        relayed.readNBytes(4);
        assertThat(copy.result()).isEmpty();
    }

    @Test
    void aBodyPastTheBoundStreamsWholeAndIsNotKept() throws IOException {
        byte[] big = new byte[65];
        InputStream relayed = copy.tee(200, Headers.EMPTY, new ByteArrayInputStream(big));
        assertThat(readAll(relayed)).hasSize(65);
        assertThat(copy.result()).isEmpty();
    }

    @Test
    void aDeclaredLengthPastTheBoundIsNotCopiedAtAll() {
        InputStream body = new ByteArrayInputStream(new byte[100]);
        assertThat(copy.tee(200, Headers.of("Content-Length", "100"), body)).isSameAs(body);
    }

    @Test
    void onlyA200IsKept() throws IOException {
        for (int status : new int[] {201, 203, 206, 301, 403, 404, 500}) {
            ResponseCopy other = new ResponseCopy(64, Clock.systemUTC());
            readAll(other.tee(status, Headers.EMPTY, new ByteArrayInputStream(BODY)));
            assertThat(other.result()).as("status %d", status).isEmpty();
        }
    }

    @Test
    void noStoreIsHonouredButTheApiServersBlanketNoCachePrivateIsNot() throws IOException {
        ResponseCopy noStore = new ResponseCopy(64, Clock.systemUTC());
        readAll(noStore.tee(200, Headers.of("Cache-Control", "no-store"), new ByteArrayInputStream(BODY)));
        assertThat(noStore.result()).isEmpty();

        readAll(copy.tee(200, Headers.of("Cache-Control", "no-cache, private"), new ByteArrayInputStream(BODY)));
        assertThat(copy.result()).map(CachedResponse::bodyLength).contains(BODY.length);
    }

    @Test
    void aVaryOnSomethingOutsideTheKeyIsNotKept() throws IOException {
        readAll(copy.tee(200, Headers.of("Vary", "Accept-Language"), new ByteArrayInputStream(BODY)));
        assertThat(copy.result()).isEmpty();
        ResponseCopy keyed = new ResponseCopy(64, Clock.systemUTC());
        readAll(keyed.tee(200, Headers.of("Vary", "Accept, Accept-Encoding"), new ByteArrayInputStream(BODY)));
        assertThat(keyed.result()).isPresent();
    }

    @Test
    void aHitIsServedWithItsAgeAndMarked() {
        CachedResponse cached = new CachedResponse(200, java.util.List.of(
                new CachedResponse.Header("Content-Type", "application/json")), BODY, NOW.minusSeconds(7));
        Headers served = CacheableResponses.served(cached, NOW.plusMillis(900));
        assertThat(served.all("Age")).containsExactly("7");
        assertThat(served.all("X-Multikube-Cache")).containsExactly("hit");
        assertThat(served.all("Content-Type")).containsExactly("application/json");
        assertThat(served.contains("Audit-Id")).isFalse();
    }
}
