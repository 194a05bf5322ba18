package io.multikube.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** Converts a flag's text into the value its command keeps; a refusal says the value and what was expected. */
final class Values {
    private Values() {
    }

    static int integer(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + value + "\" (expected: a whole number)");
        }
    }

    static long longInteger(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + value + "\" (expected: a whole number)");
        }
    }

    static boolean bool(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("\"" + value + "\" (expected: true or false)");
        };
    }

    static Path path(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("\"\" (expected: a file or folder name)");
        }
        try {
            return Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("\"" + value + "\" (expected: a file or folder name; " + e.getReason()
                    + ")");
        }
    }

    static Duration duration(String value) {
        return DurationConverter.parse(value);
    }
}
