package io.multikube.audit.file;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.multikube.spi.audit.AuditEvent;
import io.multikube.spi.audit.AuditException;
import io.multikube.spi.audit.AuditSink;

/**
 * Writes audit events as JSON lines from one writer thread behind a bounded queue. Nothing accepted is dropped:
 * a full queue blocks {@link #record} (back-pressure), a failing file is retried (reopened) until it works, and
 * events that still cannot be written when the sink closes go to standard error rather than nowhere.
 */
final class FileAuditSink implements AuditSink {
    private static final System.Logger LOG = System.getLogger(FileAuditSink.class.getName());
    private static final int BATCH = 512;

    private final Destination destination;
    private final BlockingQueue<AuditEvent> queue;
    private final Duration retryInterval;
    private final Duration closeGrace;
    private final Thread writer;
    private final Object progress = new Object();
    private long accepted;
    private long written;
    private volatile Optional<String> failure = Optional.empty();
    private volatile boolean closing;
    private volatile long giveUpAt = Long.MAX_VALUE;
    private final java.util.concurrent.atomic.AtomicLong writeErrors = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param closeGrace how long {@link #close} keeps retrying a failing destination before the remaining events
     *                   go to standard error
     */
    FileAuditSink(Destination destination, int queueSize, Duration retryInterval, Duration closeGrace) {
        this.destination = destination;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.retryInterval = retryInterval;
        this.closeGrace = closeGrace;
        this.writer = Thread.ofPlatform().daemon().name("audit-file-writer").start(this::writeLoop);
    }

    @Override
    public void record(AuditEvent event) {
        if (closing) {
            throw new AuditException("the audit log " + destination.describe() + " is closed");
        }
        synchronized (progress) {
            accepted++;
        }
        try {
            queue.put(event);
        } catch (InterruptedException e) {
            synchronized (progress) {
                accepted--;
            }
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted while waiting for room in the audit queue", e);
        }
    }

    @Override
    public Optional<String> failure() {
        return failure;
    }

    @Override
    public Stats stats() {
        synchronized (progress) {
            return new Stats(accepted - written, writeErrors.get());
        }
    }

    @Override
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (written < accepted) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        giveUpAt = System.nanoTime() + closeGrace.toNanos();
        closing = true;
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        destination.close();
    }

    private void writeLoop() {
        Deque<byte[]> batch = new ArrayDeque<>();
        while (true) {
            if (batch.isEmpty() && !fill(batch)) {
                return;
            }
            try {
                writeOut(batch);
                recovered();
            } catch (IOException e) {
                failed(e);
                if (closing && System.nanoTime() > giveUpAt) {
                    rescueToStandardError(batch);
                    return;
                }
                pause();
            }
        }
    }

    /** Waits for events and moves up to a batch of them in; false once closing and nothing is left. */
    private boolean fill(Deque<byte[]> batch) {
        List<AuditEvent> events = new ArrayList<>(BATCH);
        try {
            AuditEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
            if (first == null) {
                return !(closing && queue.isEmpty());
            }
            events.add(first);
        } catch (InterruptedException e) {
            // Only close stops this thread, and it does so by setting closing.
            return true;
        }
        queue.drainTo(events, BATCH - 1);
        events.forEach(event -> batch.add((event.toJson() + "\n").getBytes(StandardCharsets.UTF_8)));
        return true;
    }

    /** Writes line by line, removing each written line, so a retry never writes a line twice. */
    private void writeOut(Deque<byte[]> batch) throws IOException {
        int count = 0;
        try {
            while (!batch.isEmpty()) {
                destination.append(batch.peekFirst());
                batch.removeFirst();
                count++;
            }
            destination.sync();
        } finally {
            advance(count);
        }
    }

    private void advance(int count) {
        if (count > 0) {
            synchronized (progress) {
                written += count;
                progress.notifyAll();
            }
        }
    }

    private void recovered() {
        if (failure.isPresent()) {
            LOG.log(Level.WARNING, "audit log " + destination.describe() + " is writable again");
            failure = Optional.empty();
        }
    }

    private void failed(IOException e) {
        writeErrors.incrementAndGet();
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (failure.isEmpty()) {
            LOG.log(Level.ERROR, "audit log " + destination.describe() + " cannot be written: " + reason
                    + "; retrying every " + retryInterval.toMillis() + " ms, nothing is dropped");
        }
        failure = Optional.of(reason);
        destination.closeQuietly();
    }

    private void pause() {
        try {
            Thread.sleep(retryInterval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last resort on shutdown: events that never reached the file still leave the process, on stderr. */
    private void rescueToStandardError(Deque<byte[]> batch) {
        List<AuditEvent> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.forEach(event -> batch.add((event.toJson() + "\n").getBytes(StandardCharsets.UTF_8)));
        LOG.log(Level.ERROR, batch.size() + " audit event(s) could not be written to " + destination.describe()
                + " before shutdown (" + failure.orElse("unknown failure") + "); they follow on standard error");
        for (byte[] line : batch) {
            System.err.print(new String(line, StandardCharsets.UTF_8));
        }
        System.err.flush();
        advance(batch.size());
    }
}
