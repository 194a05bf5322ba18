package io.multikube.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import io.multikube.status.Json;

/**
 * {@code --log-format=json}: every log record as one JSON object per line ({@code time}, {@code level},
 * {@code logger}, {@code msg}, and {@code error} with the stack). Access lines, already JSON objects, have their
 * fields merged in instead of being quoted.
 */
public final class JsonLogFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
        String message = formatMessage(record);
        StringBuilder out = new StringBuilder(256)
                .append("{\"time\":").append(Json.quote(DateTimeFormatter.ISO_INSTANT.format(record.getInstant())))
                .append(",\"level\":").append(Json.quote(record.getLevel().getName()))
                .append(",\"logger\":").append(Json.quote(String.valueOf(record.getLoggerName())));
        if (AccessLog.LOGGER.equals(record.getLoggerName()) && message.startsWith("{") && message.endsWith("}")) {
            out.append(message.length() > 2 ? "," + message.substring(1, message.length() - 1) : "");
        } else {
            out.append(",\"msg\":").append(Json.quote(message));
        }
        if (record.getThrown() != null) {
            StringWriter stack = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(stack));
            out.append(",\"error\":").append(Json.quote(stack.toString()));
        }
        return out.append("}\n").toString();
    }
}
