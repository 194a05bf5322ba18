package io.multikube.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Remembers tokens that verified, by their SHA-256, with what was read from them, so a client that reuses its token
 * (every client does) costs one signature check and one parse instead of one per request: the signature check took
 * about 60% of the CPU in the small-GET benchmark, parsing the token again about 20% after that. Only what does not
 * depend on the time is remembered; the verifier checks the validity window on every use. An entry is forgotten
 * after {@code maxAge} (so keys an issuer withdrew stop counting) and beyond {@code capacity}, least recently used
 * first. Thread-safe.
 *
 * @param <T> what the verifier read from a token
 */
final class VerifiedTokens<T> {
    static final int DEFAULT_CAPACITY = 4096;
    /** As long as an OIDC issuer's keys are cached: a withdrawn key stops counting within the same time. */
    static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);

    /** Never used itself: each digest is taken with a clone. */
    private static final MessageDigest SHA_256 = newSha256();

    private record Remembered<T>(T value, Instant rememberedAt) {
    }

    private final Map<String, Remembered<T>> entries;
    private final Duration maxAge;

    VerifiedTokens(int capacity, Duration maxAge) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Remembered<T>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** What was read from this exact token when it verified, unless that is older than the maximum age. */
    Optional<T> get(String token, Instant now) {
        String digest = digest(token);
        synchronized (entries) {
            Remembered<T> entry = entries.get(digest);
            if (entry == null) {
                return Optional.empty();
            }
            if (entry.rememberedAt().plus(maxAge).isBefore(now)) {
                entries.remove(digest);
                return Optional.empty();
            }
            return Optional.of(entry.value());
        }
    }

    void remember(String token, T value, Instant now) {
        Remembered<T> entry = new Remembered<>(Objects.requireNonNull(value, "value"), now);
        String digest = digest(token);
        synchronized (entries) {
            entries.put(digest, entry);
        }
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private static String digest(String token) {
        return HexFormat.of().formatHex(sha256().digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A copy of one SHA-256 instance: looking the algorithm up for every request was 1.5 % of a cached read. */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }
}
