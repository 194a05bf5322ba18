package io.multikube.server;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends long-lived streams (watches, {@code logs -f}, exec, attach, port-forward) when the token that opened them
 * expires, plus a grace: a stream must not outlive the credential that authorized it. The client then reconnects
 * with a fresh token, or learns with a 401 that it has none.
 */
final class StreamDeadlines implements AutoCloseable {
    /** The audit annotation naming why multikube ended a stream. */
    static final String ENDED = "multikube.io/stream-ended";
    private static final System.Logger LOG = System.getLogger(StreamDeadlines.class.getName());

    private final Duration grace;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("stream-deadlines").factory());

    StreamDeadlines(Duration grace, Clock clock) {
        this.grace = Objects.requireNonNull(grace, "grace");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A scheduled end; closing it cancels the end (the stream finished first). */
    interface Deadline extends AutoCloseable {
        Deadline NONE = () -> { };

        @Override
        void close();
    }

    /**
     * Runs {@code end} when the token expiring at {@code expiresAt} has been expired for the grace; nothing for a
     * token without expiry.
     */
    Deadline schedule(Optional<Instant> expiresAt, String auditId, Runnable end) {
        if (expiresAt.isEmpty()) {
            return Deadline.NONE;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), expiresAt.get().plus(grace)).toMillis());
        ScheduledFuture<?> task = timer.schedule(() -> {
            LOG.log(Level.INFO, "stream " + auditId + " ended: its token expired at " + expiresAt.get());
            end.run();
        }, delay, TimeUnit.MILLISECONDS);
        return () -> task.cancel(false);
    }

    /** The reason recorded in the audit log. */
    static String reason(Instant expiresAt) {
        return "token expired at " + expiresAt;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
