package io.multikube.observe;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether this replica should get traffic, in the API server's {@code /readyz} shape: named checks, each
 * {@code [+]name ok} or {@code [-]name failed: reason}. Ready while not shutting down and while at least one
 * cluster answers: one unreachable cluster is reported but leaves the others served; when none answers, this
 * replica can serve nothing.
 */
public final class Readiness {
    private volatile boolean shuttingDown;
    private final Map<String, Check> clusters = new ConcurrentHashMap<>();

    /** One named check's outcome. */
    public record Check(String name, boolean passed, String detail) {
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(detail, "detail");
        }

    }

    /** Turns readiness off first thing on shutdown, so load balancers stop sending before connections close. */
    public void shuttingDown() {
        shuttingDown = true;
    }

    /** Records the latest probe of a context. */
    public void cluster(String context, boolean reachable, String detail) {
        clusters.put(context, new Check("context:" + context, reachable, detail));
    }

    /** Every check, shutdown first, then the contexts by name. */
    public List<Check> checks() {
        Check shutdown = new Check("shutdown", !shuttingDown, "multikube is shutting down");
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(shutdown),
                new TreeMap<>(clusters).values().stream()).toList();
    }

    public boolean ready() {
        return !shuttingDown && (clusters.isEmpty() || clusters.values().stream().anyMatch(Check::passed));
    }
}
