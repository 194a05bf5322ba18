package io.multikube.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.multikube.auth.Identity;
import io.multikube.pipeline.InboundRequest;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.pipeline.RequestInfo;
import io.multikube.status.RouterException;

/**
 * Request metrics, named after the API server's own where one exists: requests by context, verb and code;
 * latency of ordinary requests by context and verb (streams are counted, not timed: a watch lasts minutes by
 * design); requests in flight; streams open by context; refusals by reason.
 */
public final class RequestMetrics implements RequestObserver {
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private static final String UPSTREAM_DURATION = "multikube_upstream_duration_seconds";
    private static final String REQUEST_DURATION = "multikube_request_duration_seconds";

    /** One timer or counter of a name: the meters are kept, as registering one again costs more than using it. */
    private record MeterKey(String name, String context, String verb, int code) {
    }

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> openStreams = new ConcurrentHashMap<>();
    private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();
    private final Map<MeterKey, Counter> requestCounts = new ConcurrentHashMap<>();

    public RequestMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        Gauge.builder("multikube_inflight_requests", inFlight, AtomicInteger::get)
                .description("Ordinary requests (not streams) being forwarded now").register(registry);
    }

    @Override
    public void refused(InboundRequest inbound, Optional<Identity> identity, Optional<String> context, String auditId,
                        RouterException refusal, Instant received) {
        String verb = RequestInfo.ofClientRequest(inbound).verb();
        count(context.orElse(""), verb, refusal.code());
        Counter.builder("multikube_refused_requests_total")
                .description("Requests multikube refused itself (bad token, forbidden or unknown context, ...)")
                .tag("reason", refusal.reason()).tag("code", Integer.toString(refusal.code()))
                .register(registry).increment();
    }

    @Override
    public RequestTrail forwarding(InboundRequest inbound, OutboundRequest outbound, Instant received) {
        String context = outbound.context().name();
        String verb = outbound.info().verb();
        inFlight.incrementAndGet();
        return new RequestTrail() {
            private boolean streaming;
            private boolean ended;

            @Override
            public synchronized void started(int code) {
                if (!streaming && !ended) {
                    streaming = true;
                    inFlight.decrementAndGet();
                    streams(context).incrementAndGet();
                }
            }

            @Override
            public void upstreamAnswered(Duration elapsed) {
                timer(UPSTREAM_DURATION, context, verb).record(elapsed);
            }

            @Override
            public synchronized void completed(int code, long bytes) {
                end(code);
            }

            @Override
            public synchronized void failed(RouterException error) {
                end(error.code());
            }

            private void end(int code) {
                if (ended) {
                    return;
                }
                ended = true;
                count(context, verb, code);
                if (streaming) {
                    streams(context).decrementAndGet();
                    return;
                }
                inFlight.decrementAndGet();
                timer(REQUEST_DURATION, context, verb).record(Duration.between(received, Instant.now()));
            }
        };
    }

    private void count(String context, String verb, int code) {
        requestCounts.computeIfAbsent(new MeterKey("multikube_requests_total", context, verb, code),
                key -> Counter.builder(key.name())
                        .description("Requests by context, Kubernetes verb and response code")
                        .tag("context", context).tag("verb", verb).tag("code", Integer.toString(code))
                        .register(registry)).increment();
    }

    private Timer timer(String name, String context, String verb) {
        return timers.computeIfAbsent(new MeterKey(name, context, verb, 0), key -> Timer.builder(name)
                .description(name.equals(UPSTREAM_DURATION)
                        ? "Time from sending a request to a cluster to its response head"
                        : "Time from receiving an ordinary request to the end of its response")
                .tag("context", context).tag("verb", verb)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry));
    }

    private AtomicInteger streams(String context) {
        return openStreams.computeIfAbsent(context, name -> {
            AtomicInteger open = new AtomicInteger();
            Gauge.builder("multikube_open_streams", open, AtomicInteger::get)
                    .description("Watches, follows and upgraded connections open now")
                    .tag("context", name).register(registry);
            return open;
        });
    }
}
