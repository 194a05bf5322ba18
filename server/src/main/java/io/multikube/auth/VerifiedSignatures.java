package io.multikube.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers tokens whose signature verified, by their SHA-256, so a client that reuses its token (every client does)
 * costs one signature check instead of one per request: an ES256 check took about 60% of the CPU in the small-GET
 * benchmark. Only the signature is remembered; claims and the validity window are checked on every use. Holds at
 * most {@code capacity} digests, dropping the least recently used. Thread-safe.
 */
final class VerifiedSignatures {
    static final int DEFAULT_CAPACITY = 4096;

    private final Map<String, Boolean> digests;

    VerifiedSignatures(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.digests = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    boolean verified(String token) {
        String digest = digest(token);
        synchronized (digests) {
            return digests.get(digest) != null;
        }
    }

    void remember(String token) {
        String digest = digest(token);
        synchronized (digests) {
            digests.put(digest, Boolean.TRUE);
        }
    }

    int size() {
        synchronized (digests) {
            return digests.size();
        }
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
