package io.multikube.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import io.multikube.status.RouterException;

/**
 * Checks {@code exp}, {@code nbf} and {@code iat} against the clock, allowing some skew between the minter's
 * clock and ours in each direction.
 */
final class ValidityWindow {
    private final Clock clock;
    private final Duration skew;
    private final boolean allowTokensWithoutExpiry;

    ValidityWindow(Clock clock, Duration skew, boolean allowTokensWithoutExpiry) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.skew = Objects.requireNonNull(skew, "skew");
        if (skew.isNegative()) {
            throw new IllegalArgumentException("clock skew: " + skew + " (expected: >= 0)");
        }
        this.allowTokensWithoutExpiry = allowTokensWithoutExpiry;
    }

    /** @return the token's expiry, empty only when allowed */
    Optional<Instant> check(ClaimReader claims) {
        Instant now = clock.instant();
        Optional<Instant> expiresAt = claims.optionalInstant("exp");
        if (expiresAt.isEmpty() && !allowTokensWithoutExpiry) {
            throw refuse("token has no exp claim (expected: an expiry; tokens without one are not allowed)");
        }
        // RFC 7519 §4.1.4: the token is invalid on or after exp.
        if (expiresAt.isPresent() && !now.isBefore(expiresAt.get().plus(skew))) {
            throw refuse("token expired at " + expiresAt.get() + context(now));
        }
        Optional<Instant> notBefore = claims.optionalInstant("nbf");
        if (notBefore.isPresent() && now.plus(skew).isBefore(notBefore.get())) {
            throw refuse("token is not valid before " + notBefore.get() + context(now));
        }
        // A token "issued" in the future comes from a badly wrong clock or was minted to outlive its real ttl.
        Optional<Instant> issuedAt = claims.optionalInstant("iat");
        if (issuedAt.isPresent() && now.plus(skew).isBefore(issuedAt.get())) {
            throw refuse("token is issued in the future, at " + issuedAt.get() + context(now));
        }
        return expiresAt;
    }

    private String context(Instant now) {
        return " (now: " + now + ", allowed clock skew: " + skew.toSeconds() + "s)";
    }

    private static RouterException.Unauthorized refuse(String reason) {
        return new RouterException.Unauthorized(reason);
    }
}
