package io.multikube.kubeconfig;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.multikube.spi.PluginException;
import io.multikube.spi.credentials.CredentialRequest.Reason;
import io.multikube.spi.credentials.UpstreamCredentials;

/**
 * The credentials of one exec plugin, cached until shortly before their {@code expirationTimestamp} (or until the
 * cluster rejects them). Single flight: one run at a time, and callers that waited for a run share its outcome, so
 * a burst of requests (or of 401s) starts one process, not one each. Thread-safe.
 */
final class ExecCredentials {
    /** Refresh this long before expiry, but never before half the credential's lifetime has passed. */
    static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofSeconds(10);

    private final Supplier<UpstreamCredentials> plugin;
    private final Clock clock;
    private final ReentrantLock running = new ReentrantLock();
    /** The last outcome; replaced (never mutated) under {@link #running}. */
    private volatile Outcome last;

    ExecCredentials(Supplier<UpstreamCredentials> plugin, Clock clock) {
        this.plugin = Objects.requireNonNull(plugin, "plugin");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws PluginException when the plugin fails; callers that waited for that run get the same failure
     */
    UpstreamCredentials current(Reason reason) {
        Outcome seen = last;
        if (reason == Reason.REQUEST && seen != null && seen.usable(clock.instant())) {
            return seen.credentials();
        }
        running.lock();
        try {
            Outcome now = last;
            if (now != seen && now != null) {
                // Another caller ran the plugin while this one waited: share its outcome.
                return now.get();
            }
            Outcome fresh = run();
            last = fresh;
            return fresh.get();
        } finally {
            running.unlock();
        }
    }

    private Outcome run() {
        Instant started = clock.instant();
        try {
            UpstreamCredentials credentials = plugin.get();
            return new Outcome(Optional.of(credentials), Optional.empty(), refreshAt(started, credentials));
        } catch (PluginException e) {
            return new Outcome(Optional.empty(), Optional.of(e), started);
        }
    }

    private static Instant refreshAt(Instant fetched, UpstreamCredentials credentials) {
        if (credentials.expiresAt().isEmpty()) {
            return Instant.MAX; // until the cluster rejects them
        }
        Instant expiry = credentials.expiresAt().get();
        Instant early = expiry.minus(REFRESH_BEFORE_EXPIRY);
        Instant halfway = fetched.plus(Duration.between(fetched, expiry).dividedBy(2));
        return early.isAfter(halfway) ? early : halfway;
    }

    /** One run's result: credentials, or the failure to report again to whoever waited for it. */
    private record Outcome(Optional<UpstreamCredentials> result, Optional<PluginException> failure,
                           Instant refreshAt) {
        boolean usable(Instant now) {
            return result.isPresent() && now.isBefore(refreshAt);
        }

        UpstreamCredentials credentials() {
            return result.orElseThrow();
        }

        UpstreamCredentials get() {
            if (failure.isPresent()) {
                throw new PluginException(failure.get().getMessage());
            }
            return result.orElseThrow();
        }
    }
}
