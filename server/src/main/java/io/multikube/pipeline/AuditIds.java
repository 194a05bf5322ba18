package io.multikube.pipeline;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Audit-IDs: one UUID (version 4 layout) per request, unique within this process by construction and across
 * replicas with the odds of random UUIDs (each process draws 60 random bits once).
 *
 * <p>{@code UUID.randomUUID()} reads the operating system's random source under a lock for every request, a few
 * percent of a cached read; an Audit-ID needs uniqueness, not secrecy (the kube-apiserver takes one a client
 * chooses). The low half is a counter sent through a permutation keyed at start, so successive IDs are not
 * sequential and do not count this replica's requests for its clients.
 */
public final class AuditIds {
    private static final long LOW_62_BITS = (1L << 62) - 1;
    private static final long VARIANT_IETF = 1L << 63;
    private static final AuditIds PROCESS = new AuditIds(new SecureRandom());

    private final long high;
    private final long key;
    private final AtomicLong counter = new AtomicLong();

    AuditIds(SecureRandom random) {
        this.high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        this.key = random.nextLong();
    }

    /** The next Audit-ID of this process. */
    public static String next() {
        return PROCESS.nextId();
    }

    String nextId() {
        return new UUID(high, VARIANT_IETF | permute(counter.getAndIncrement())).toString();
    }

    /** A bijection on 62 bits: each step (add, multiply by an odd number, xor-shift right) is one. */
    private long permute(long value) {
        long x = (value + key) & LOW_62_BITS;
        x = (x * 0x9E3779B97F4A7C15L) & LOW_62_BITS;
        x ^= x >>> 31;
        x = (x * 0xBF58476D1CE4E5B9L) & LOW_62_BITS;
        x ^= x >>> 29;
        return x ^ (key >>> 2);
    }
}
