package io.multikube.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class TextLogFormatterTest {
    private static final Instant AT = Instant.parse("2026-11-29T03:12:00.123Z");

    @Test
    void writesTimeLevelLoggerAndMessageOnOneLine() {
        LogRecord record = record(Level.INFO, "auditID={0} code=200", "abc");

        String line = new TextLogFormatter().format(record);

        String local = LocalDateTime.ofInstant(AT, ZoneId.systemDefault()).toString();
        assertThat(line).isEqualTo(local + " INFO io.multikube.access: auditID=abc code=200" + System.lineSeparator());
    }

    @Test
    void writesEachRecordsOwnTimeAcrossSecondsAndMilliseconds() {
        TextLogFormatter formatter = new TextLogFormatter();
        for (Instant at : new Instant[] {AT, AT.plusMillis(1), AT.plusMillis(876), Instant.parse("2026-11-29T03:12:01Z"),
                AT.plusMillis(9), Instant.parse("2027-01-01T00:00:00.999Z"), Instant.parse("1999-12-31T23:59:59.050Z")}) {
            LogRecord record = record(Level.INFO, "line");
            record.setInstant(at);

            String expected = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS")
                    .format(LocalDateTime.ofInstant(at, ZoneId.systemDefault()));
            assertThat(formatter.format(record)).as(at.toString()).startsWith(expected + " INFO ");
        }
    }

    @Test
    void writesTheStackOfAnErrorAfterTheLine() {
        LogRecord record = record(Level.WARNING, "cluster probe failed");
        record.setThrown(new IllegalStateException("connection refused"));

        String[] lines = new TextLogFormatter().format(record).split(System.lineSeparator());

        assertThat(lines[0]).endsWith(" WARNING io.multikube.access: cluster probe failed");
        assertThat(lines[1]).isEqualTo("java.lang.IllegalStateException: connection refused");
        assertThat(lines[2]).startsWith("\tat ");
    }

    @Test
    void neverAsksWhichClassLogged() {
        // Asking walks the stack of the logging thread: the cost this formatter exists to avoid.
        LogRecord record = new LogRecord(Level.INFO, "line") {
            @Override
            public String getSourceClassName() {
                throw new AssertionError("the source class was asked for");
            }

            @Override
            public String getSourceMethodName() {
                throw new AssertionError("the source method was asked for");
            }
        };
        record.setLoggerName(AccessLog.LOGGER);

        assertThat(new TextLogFormatter().format(record)).contains(" INFO io.multikube.access: line");
    }

    private static LogRecord record(Level level, String message, Object... parameters) {
        LogRecord record = new LogRecord(level, message);
        record.setInstant(AT);
        record.setLoggerName(AccessLog.LOGGER);
        record.setParameters(parameters.length == 0 ? null : parameters);
        return record;
    }
}
