package io.multikube.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations the way Kubernetes flags write them: {@code 90s}, {@code 5m}, {@code 8h}, {@code 1h30m}. */
final class DurationConverter {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    static Duration parse(String value) {
        String text = value.strip();
        if (text.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        Matcher matcher = PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
            end = matcher.end();
        }
        if (end == 0 || end != text.length()) {
            throw new IllegalArgumentException("duration: \"" + value
                    + "\" (expected: e.g. 30s, 5m, 8h or 1h30m)");
        }
        return total;
    }
}
