package io.multikube.observe;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.Kubeconfig;
import io.multikube.upstream.UpstreamProbe;

/** Probes every context's cluster now and then and tells {@link Readiness}; logs when one goes up or down. */
public final class ClusterProbes implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClusterProbes.class.getName());

    private final Supplier<Kubeconfig> kubeconfig;
    private final UpstreamProbe probe;
    private final Readiness readiness;
    private final ScheduledExecutorService schedule;
    private final java.util.Map<String, Boolean> last = new java.util.concurrent.ConcurrentHashMap<>();

    public ClusterProbes(Supplier<Kubeconfig> kubeconfig, UpstreamProbe probe, Readiness readiness) {
        this.kubeconfig = Objects.requireNonNull(kubeconfig, "kubeconfig");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.schedule = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("cluster-probes")
                .factory());
    }

    /** Probes at once, then every {@code interval}; a zero interval probes never. */
    public ClusterProbes start(Duration interval) {
        if (!interval.isZero()) {
            schedule.scheduleWithFixedDelay(this::probeAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Probes every context, then publishes all results at once, so readiness never judges half a round. */
    void probeAll() {
        java.util.Map<String, UpstreamProbe.Result> round = new java.util.LinkedHashMap<>();
        for (ClusterContext context : kubeconfig.get().contexts().values()) {
            round.put(context.name(), probe.probe(context));
        }
        round.forEach((name, result) -> readiness.cluster(name, result.reachable(), result.detail()));
        round.forEach(this::logChange);
    }

    private void logChange(String name, UpstreamProbe.Result result) {
        Boolean before = last.put(name, result.reachable());
        if (before != null && before != result.reachable()) {
            LOG.log(result.reachable() ? Level.INFO : Level.WARNING, "context " + name + ": cluster "
                    + (result.reachable() ? "reachable again" : "unreachable: " + result.detail()));
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
