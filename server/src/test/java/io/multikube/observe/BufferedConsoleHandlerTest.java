package io.multikube.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class BufferedConsoleHandlerTest {

    @Test
    void everyLineOfEveryThreadIsWrittenOnceAndInItsThreadsOrder() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BufferedConsoleHandler handler = handler(out, 16); // a small queue: callers wait for room
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 8; t++) {
                int thread = t;
                threads.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        handler.publish(record(thread + " " + i));
                    }
                });
            }
        }
        handler.flush();

        List<String> lines = lines(out);
        assertEquals(40_000, lines.size());
        int[] next = new int[8];
        for (String line : lines) {
            String[] parts = line.split(" ");
            int thread = Integer.parseInt(parts[0]);
            assertEquals(next[thread]++, Integer.parseInt(parts[1]), "thread " + thread + "'s lines out of order");
        }
    }

    /**
     * Lines logged in quick succession go out in batches: the writer lingers for a batch instead of waking for each
     * line (one write per line, before). Bounded by what the linger allows in the time the lines took to log.
     */
    @Test
    void linesLoggedTogetherAreWrittenInFewBatches() throws Exception {
        AtomicInteger writes = new AtomicInteger();
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] bytes, int offset, int length) {
                writes.incrementAndGet();
                super.write(bytes, offset, length);
            }
        };
        BufferedConsoleHandler handler = handler(out, BufferedConsoleHandler.QUEUE_LINES);
        int lines = 2_000;
        long started = System.nanoTime();
        for (int i = 0; i < lines; i++) {
            handler.publish(record("line " + i));
            if (i % 100 == 0) {
                Thread.sleep(0, 100_000); // a little time between requests, as a server's lines arrive
            }
        }
        long lingers = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) / 5 + 1;
        handler.flush();

        assertEquals(lines, lines(out).size());
        assertTrue(writes.get() <= lines / BufferedConsoleHandler.BATCH_LINES + lingers + 1,
                writes.get() + " writes for " + lines + " lines logged over " + lingers + " linger periods");
    }

    @Test
    void flushReturnsOnlyOnceEveryQueuedLineIsWritten() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BufferedConsoleHandler handler = handler(out, 1_000);
        for (int i = 0; i < 500; i++) {
            handler.publish(record("line " + i));
        }
        handler.flush();
        assertEquals(500, lines(out).size());
        assertEquals("line 499", lines(out).getLast());
    }

    @Test
    void aStalledOutputMakesLoggersWaitAndLosesNothing() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream stalled = new OutputStream() {
            @Override
            public void write(int b) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.write(bytes, offset, length);
            }
        };
        BufferedConsoleHandler handler = handler(stalled, 4);
        AtomicInteger published = new AtomicInteger();
        Thread logger = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 100; i++) {
                handler.publish(record("line " + i));
                published.incrementAndGet();
            }
        });

        logger.join(300);
        assertTrue(logger.isAlive(), "the logging thread waits for room while the output is stalled");
        assertTrue(published.get() <= 4 + 4, "at most the writer's batch (a queue's worth) and a full queue: "
                + published.get());
        released.countDown();
        logger.join(5_000);
        assertFalse(logger.isAlive());
        handler.flush();
        assertEquals(100, lines(written).size());
    }

    @Test
    void afterCloseLinesAreWrittenAtOnce() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BufferedConsoleHandler handler = handler(out, 100);
        handler.publish(record("before"));
        handler.close();
        assertEquals(List.of("before"), lines(out));

        handler.publish(record("after, from a shutdown hook"));
        assertEquals(List.of("before", "after, from a shutdown hook"), lines(out));
    }

    @Test
    void aFailingOutputIsReportedNotThrownAtTheCaller() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        BufferedConsoleHandler handler = handler(broken, 100);
        AtomicReference<Exception> reported = new AtomicReference<>();
        CountDownLatch once = new CountDownLatch(1);
        handler.setErrorManager(new ErrorManager() {
            @Override
            public synchronized void error(String message, Exception e, int code) {
                reported.set(e);
                once.countDown();
            }
        });

        handler.publish(record("lost to a full disk"));
        handler.flush();

        assertTrue(once.await(5, TimeUnit.SECONDS));
        assertEquals("No space left on device", reported.get().getMessage());
    }

    @Test
    void recordsBelowTheHandlersLevelAreNotWritten() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BufferedConsoleHandler handler = handler(out, 100);
        handler.setLevel(Level.WARNING);
        handler.publish(record("info"));
        handler.publish(new LogRecord(Level.WARNING, "warning"));
        handler.flush();
        assertEquals(List.of("warning"), lines(out));
    }

    @Test
    void levelAndFormatterComeFromTheConfiguration() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BufferedConsoleHandler handler = handler(out, 100);

        handler.configure(Map.of("level", " WARNING ", "formatter", JsonLogFormatter.class.getName())::get);

        assertEquals(Level.WARNING, handler.getLevel());
        assertInstanceOf(JsonLogFormatter.class, handler.getFormatter());
    }

    @Test
    void anUnknownLevelIsReportedAndEveryLevelStillLogged() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BufferedConsoleHandler handler = handler(out, 100);
        List<String> reported = new ArrayList<>();
        handler.setErrorManager(new ErrorManager() {
            @Override
            public synchronized void error(String message, Exception e, int code) {
                reported.add(message);
            }
        });

        handler.configure(Map.of("level", "LOUD", "formatter", "no.such.Formatter")::get);
        handler.publish(record("still written"));
        handler.flush();

        assertEquals(Level.ALL, handler.getLevel());
        assertEquals(List.of("unknown level LOUD, logging every level", "cannot create the formatter no.such.Formatter"),
                reported);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("still written"));
    }

    private static BufferedConsoleHandler handler(OutputStream out, int capacity) {
        BufferedConsoleHandler handler = new BufferedConsoleHandler(out, capacity);
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                return record.getMessage() + "\n";
            }
        });
        return handler;
    }

    private static LogRecord record(String message) {
        return new LogRecord(Level.INFO, message);
    }

    private static List<String> lines(ByteArrayOutputStream out) {
        String text = out.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(text.split("\n")));
    }
}
