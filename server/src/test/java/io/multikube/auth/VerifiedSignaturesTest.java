package io.multikube.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VerifiedSignaturesTest {
    @Test
    void remembersOnlyTheExactToken() {
        VerifiedSignatures signatures = new VerifiedSignatures(8);

        signatures.remember("a.b.c");

        assertThat(signatures.verified("a.b.c")).isTrue();
        assertThat(signatures.verified("a.b.d")).isFalse();
    }

    @Test
    void dropsTheLeastRecentlyUsedBeyondItsCapacity() {
        VerifiedSignatures signatures = new VerifiedSignatures(2);
        signatures.remember("one");
        signatures.remember("two");
        signatures.verified("one");

        signatures.remember("three");

        assertThat(signatures.size()).isEqualTo(2);
        assertThat(signatures.verified("one")).isTrue();
        assertThat(signatures.verified("two")).isFalse();
    }

    @Test
    void refusesACapacityBelowOne() {
        assertThatThrownBy(() -> new VerifiedSignatures(0)).hasMessage("capacity: 0 (expected: >= 1)");
    }
}
