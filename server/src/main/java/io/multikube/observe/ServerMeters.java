package io.multikube.observe;

import java.util.Optional;
import java.util.function.Supplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import io.multikube.spi.audit.AuditSink;
import io.multikube.spi.cache.ResponseCache;
import io.multikube.upstream.UpstreamConnectionStats;

/**
 * Meters that are read rather than counted: build info, JVM and process, the cache, the audit sink and the
 * connections to clusters.
 */
public final class ServerMeters {
    private ServerMeters() {
    }

    public static void register(PrometheusMeterRegistry registry, String version, Optional<ResponseCache> cache,
                                Optional<AuditSink> auditSink) {
        // An info metric proper (Micrometer would strip "_info" from a gauge's name).
        Info.builder().name("multikube_build_info").help("The running multikube's version").labelNames("version")
                .register(registry.getPrometheusRegistry()).setLabelValues(version);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Open against allowed descriptors: every client and cluster connection holds one, and running out stops a
        // listener for good (ListenerWatch), so this is what to alert on before it happens.
        new FileDescriptorMetrics().bindTo(registry);
        cache.ifPresent(c -> registerCache(registry, c));
        auditSink.ifPresent(sink -> registerAudit(registry, sink));
    }

    /** The connections of multikube's own HTTP/1.1 client to clusters (GET and HEAD over HTTP/1.1). */
    public static void registerUpstream(MeterRegistry registry, Supplier<UpstreamConnectionStats> stats) {
        Tags http1 = Tags.of("protocol", "http/1.1");
        FunctionCounter.builder("multikube_upstream_connections_opened_total", stats, s -> s.get().opened())
                .tags(http1).description("Connections opened to clusters").register(registry);
        FunctionCounter.builder("multikube_upstream_connections_reused_total", stats, s -> s.get().reused())
                .tags(http1).description("Requests sent on a pooled connection").register(registry);
        FunctionCounter.builder("multikube_upstream_requests_resent_total", stats, s -> s.get().resent())
                .tags(http1).description("Requests sent again because the cluster had closed their pooled connection")
                .register(registry);
        Gauge.builder("multikube_upstream_connections_idle", () -> stats.get().idle())
                .tags(http1).description("Pooled connections waiting for a request").register(registry);
    }

    private static void registerAudit(MeterRegistry registry, AuditSink sink) {
        Gauge.builder("multikube_audit_sink_failing", () -> sink.failure().isPresent() ? 1 : 0)
                .description("1 while the audit sink reports that it cannot write").register(registry);
        // -1 when the sink does not know (an SPI 1.0 plugin).
        Gauge.builder("multikube_audit_queued_events", () -> sink.stats().queued())
                .description("Audit events accepted and not yet written").register(registry);
        FunctionCounter.builder("multikube_audit_write_errors_total", sink,
                        s -> Math.max(0, s.stats().writeErrors()))
                .description("Failed audit write attempts (each is retried)").register(registry);
    }

    private static void registerCache(MeterRegistry registry, ResponseCache cache) {
        Gauge.builder("multikube_cache_entries", () -> cache.stats().entries())
                .description("Responses held by the cache").register(registry);
        Gauge.builder("multikube_cache_bytes", () -> cache.stats().weight())
                .description("Approximate memory held by cached responses").register(registry);
        FunctionCounter.builder("multikube_cache_hits_total", cache, c -> c.stats().hits())
                .description("Reads answered from the cache").register(registry);
        FunctionCounter.builder("multikube_cache_misses_total", cache, c -> c.stats().misses())
                .description("Cacheable reads that went to the cluster").register(registry);
    }
}
