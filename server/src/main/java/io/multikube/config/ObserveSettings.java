package io.multikube.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server is observed.
 *
 * @param metricsPort   the port of the listener serving {@code /metrics}, {@code /livez} and {@code /readyz};
 *                      0 picks a free port, -1 turns it off
 * @param jsonLogs      whether access lines (and all log records) are JSON objects rather than text
 * @param probeInterval how often each context's cluster is probed for {@code /readyz}; zero turns probes off
 */
public record ObserveSettings(int metricsPort, boolean jsonLogs, Duration probeInterval) {
    public static final int DEFAULT_METRICS_PORT = 8888;
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(10);

    public ObserveSettings {
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException("--metrics-port: " + metricsPort
                    + " (expected: 0..65535, 0 picks a free port, -1 turns it off)");
        }
        Objects.requireNonNull(probeInterval, "probeInterval");
        if (probeInterval.isNegative()) {
            throw new IllegalArgumentException("--cluster-probe-interval: " + probeInterval
                    + " (expected: >= 0s, 0s turns probes off)");
        }
    }

    /** The defaults: metrics on 8888, text logs, probes every 10 s. */
    public static ObserveSettings defaults() {
        return new ObserveSettings(DEFAULT_METRICS_PORT, false, DEFAULT_PROBE_INTERVAL);
    }
}
