package io.multikube.observe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * Log lines on standard output, written by one background thread in batches.
 *
 * <p>A console handler that writes and flushes each record on the thread that logged it costs every request a
 * system call under a lock; with one access line per request that was a seventh of a cached read. Here the caller
 * only formats its line and queues it; the writer takes everything queued, writes it with one call, and flushes
 * when nothing more is waiting. Having woken for a line it lingers up to 5 ms for more, or until
 * {@value #BATCH_LINES} lines wait: waking for each line, as it did, cost a futex call and a thread switch per
 * request, 7 % of a proxied GET's CPU at 11,000 requests a second. Nothing is dropped: when the queue is full a
 * caller waits for room (a stalled stdout slows requests rather than losing lines), and {@link #flush()} and
 * {@link #close()} return only once all queued lines are written. After {@code close} (the JVM's shutdown) lines are
 * written at once, on the caller.
 */
public final class BufferedConsoleHandler extends Handler {
    static final int QUEUE_LINES = 8_192;
    static final int BATCH_LINES = 256;
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final OutputStream out;
    private final int capacity;
    /** Lines that end the writer's linger: a batch, or a full queue (whose callers wait). */
    private final int enough;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private final Condition room = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private boolean writing;
    private boolean closed;

    /** The handler {@code logging.properties} names; its level and formatter come from the same file. */
    public BufferedConsoleHandler() {
        this(System.out, QUEUE_LINES);
        LogManager manager = LogManager.getLogManager();
        configure(key -> manager.getProperty(BufferedConsoleHandler.class.getName() + "." + key));
    }

    BufferedConsoleHandler(OutputStream out, int capacity) {
        this.out = out;
        this.capacity = capacity;
        this.enough = Math.min(BATCH_LINES, capacity);
        setFormatter(new TextLogFormatter());
        Thread.ofPlatform().daemon().name("multikube-log-writer").start(this::writeQueued);
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String line;
        try {
            line = getFormatter().format(record);
        } catch (RuntimeException e) {
            reportError("cannot format a log record", e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        lock.lock();
        try {
            if (closed) {
                awaitIdle();
                writeAll(List.of(line));
                return;
            }
            while (queue.size() >= capacity) {
                room.awaitUninterruptibly();
            }
            queue.add(line);
            if (queue.size() == 1 || queue.size() == enough) {
                // The writer waits for a first line, or lingers until a batch is full: only those wake it.
                queued.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns once every line queued before the call is written and flushed. */
    @Override
    public void flush() {
        lock.lock();
        try {
            awaitIdle();
            writeAll(takeQueued());
        } finally {
            lock.unlock();
        }
    }

    /** Writes what is queued; later lines are written at once by the thread that logs them. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            queued.signal();
        } finally {
            lock.unlock();
        }
        flush();
    }

    private void writeQueued() {
        while (true) {
            List<String> batch;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    queued.awaitUninterruptibly();
                }
                linger();
                if (closed) {
                    return;
                }
                batch = takeQueued();
                writing = true;
            } finally {
                lock.unlock();
            }
            writeAll(batch);
            lock.lock();
            try {
                writing = false;
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Called with the lock held: gives more lines a moment to join the batch. */
    private void linger() {
        long left = LINGER_NANOS;
        while (left > 0 && queue.size() < enough && !closed) {
            try {
                left = queued.awaitNanos(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Called with the lock held: a batch the writer took must reach the output before anything queued after it. */
    private void awaitIdle() {
        while (writing) {
            idle.awaitUninterruptibly();
        }
    }

    private List<String> takeQueued() {
        List<String> batch = List.copyOf(queue);
        queue.clear();
        room.signalAll();
        return batch;
    }

    private void writeAll(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder(lines.size() * 160);
        lines.forEach(text::append);
        try {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | RuntimeException e) {
            reportError("cannot write log lines", e, ErrorManager.WRITE_FAILURE);
        }
    }

    /**
     * Takes the level and formatter from the logging configuration. A value that cannot be used is reported and
     * skipped, as JUL's own handlers do: a typo in a level must not leave the process without its log.
     */
    void configure(Function<String, String> property) {
        String level = property.apply("level");
        setLevel(Level.ALL);
        if (level != null) {
            try {
                setLevel(Level.parse(level.trim()));
            } catch (IllegalArgumentException e) {
                reportError("unknown level " + level.trim() + ", logging every level", e,
                        ErrorManager.GENERIC_FAILURE);
            }
        }
        String formatter = property.apply("formatter");
        if (formatter != null) {
            try {
                setFormatter((Formatter) ClassLoader.getSystemClassLoader()
                        .loadClass(formatter.trim()).getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException | ClassCastException e) {
                reportError("cannot create the formatter " + formatter.trim(), e, ErrorManager.GENERIC_FAILURE);
            }
        }
    }
}
