package io.multikube.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

class AuditIdsTest {

    @Test
    void idsAreVersion4UuidsInTheirTextForm() {
        String id = AuditIds.next();
        UUID parsed = UUID.fromString(id);
        assertEquals(id, parsed.toString());
        assertEquals(4, parsed.version());
        assertEquals(2, parsed.variant());
    }

    @Test
    void idsFromManyThreadsNeverRepeat() {
        AuditIds ids = new AuditIds(new SecureRandom());
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 16; t++) {
                threads.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        assertTrue(seen.add(ids.nextId()));
                    }
                });
            }
        }
        assertEquals(320_000, seen.size());
    }

    @Test
    void successiveIdsAreNotSequential() {
        AuditIds ids = new AuditIds(new SecureRandom());
        Set<Long> steps = new HashSet<>();
        long previous = UUID.fromString(ids.nextId()).getLeastSignificantBits();
        for (int i = 0; i < 100; i++) {
            long low = UUID.fromString(ids.nextId()).getLeastSignificantBits();
            steps.add(low - previous);
            previous = low;
        }
        assertTrue(steps.size() > 90, "the step between IDs varies: " + steps.size() + " distinct steps");
    }

    @Test
    void processesDrawTheirOwnRandomHalf() {
        assertNotEquals(UUID.fromString(new AuditIds(new SecureRandom()).nextId()).getMostSignificantBits(),
                UUID.fromString(new AuditIds(new SecureRandom()).nextId()).getMostSignificantBits());
    }
}
