package io.multikube.observe;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Whether this replica should get traffic, in the API server's {@code /readyz} shape: named checks, each
 * {@code [+]name ok} or {@code [-]name failed: reason}. Ready while not shutting down and while at least one
 * cluster answers: one unreachable cluster is reported but leaves the others served; when none answers, this
 * replica can serve nothing. A client listener that stopped accepting fails readiness and liveness both: nothing but
 * a restart brings it back ({@link ListenerWatch}).
 */
public final class Readiness {
    private volatile boolean shuttingDown;
    private final Map<String, Check> clusters = new ConcurrentHashMap<>();
    private final Map<String, Check> listeners = new ConcurrentHashMap<>();

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

    /** Records whether a client listener still accepts connections. */
    public void listener(String name, boolean accepting, String detail) {
        listeners.put(name, new Check("listener:" + name, accepting, detail));
    }

    /** Every check, shutdown first, then the listeners and the contexts by name. */
    public List<Check> checks() {
        Check shutdown = new Check("shutdown", !shuttingDown, "multikube is shutting down");
        return Stream.of(Stream.of(shutdown), new TreeMap<>(listeners).values().stream(),
                new TreeMap<>(clusters).values().stream()).flatMap(checks -> checks).toList();
    }

    public boolean ready() {
        return !shuttingDown && alive()
                && (clusters.isEmpty() || clusters.values().stream().anyMatch(Check::passed));
    }

    /** What {@code /livez} reports: the listeners' checks. */
    public List<Check> livenessChecks() {
        return List.copyOf(new TreeMap<>(listeners).values());
    }

    /** False once a client listener stopped accepting: only a restart helps then. */
    public boolean alive() {
        return listeners.values().stream().allMatch(Check::passed);
    }
}
