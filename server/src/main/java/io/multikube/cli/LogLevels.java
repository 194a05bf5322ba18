package io.multikube.cli;

import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code --log-level}: the level of multikube's own loggers (and of the handlers, so finer records get out). */
final class LogLevels {
    private LogLevels() {
    }

    static void apply(String value) {
        Level level = parse(value);
        Logger.getLogger("io.multikube").setLevel(level);
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            if (handler.getLevel().intValue() > level.intValue()) {
                handler.setLevel(level);
            }
        }
    }

    static Level parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "warning", "warn" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default -> throw new IllegalArgumentException("--log-level: " + value
                    + " (expected: debug, info, warning or error)");
        };
    }
}
