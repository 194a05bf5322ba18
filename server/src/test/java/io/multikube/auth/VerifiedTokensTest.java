package io.multikube.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class VerifiedTokensTest {
    private static final Instant NOW = Instant.parse("2026-11-29T03:00:00Z");

    @Test
    void remembersOnlyTheExactToken() {
        VerifiedTokens<String> tokens = new VerifiedTokens<>(8, Duration.ofMinutes(1));

        tokens.remember("a.b.c", "alice", NOW);

        assertThat(tokens.get("a.b.c", NOW)).contains("alice");
        assertThat(tokens.get("a.b.d", NOW)).isEmpty();
    }

    @Test
    void dropsTheLeastRecentlyUsedBeyondItsCapacity() {
        VerifiedTokens<String> tokens = new VerifiedTokens<>(2, Duration.ofMinutes(1));
        tokens.remember("one", "1", NOW);
        tokens.remember("two", "2", NOW);
        tokens.get("one", NOW);

        tokens.remember("three", "3", NOW);

        assertThat(tokens.size()).isEqualTo(2);
        assertThat(tokens.get("one", NOW)).contains("1");
        assertThat(tokens.get("two", NOW)).isEmpty();
    }

    @Test
    void forgetsAnEntryOlderThanTheMaximumAge() {
        VerifiedTokens<String> tokens = new VerifiedTokens<>(8, Duration.ofMinutes(1));
        tokens.remember("a.b.c", "alice", NOW);

        assertThat(tokens.get("a.b.c", NOW.plusSeconds(60))).contains("alice");
        assertThat(tokens.get("a.b.c", NOW.plusSeconds(61))).isEmpty();
        assertThat(tokens.size()).isZero();
    }

    @Test
    void refusesACapacityBelowOne() {
        assertThatThrownBy(() -> new VerifiedTokens<String>(0, Duration.ofMinutes(1)))
                .hasMessage("capacity: 0 (expected: >= 1)");
    }
}
