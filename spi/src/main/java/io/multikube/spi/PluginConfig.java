package io.multikube.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The settings given to one plugin, as plain strings (from flags such as {@code --audit-log-path}, from
 * {@code --audit-option key=value}, or from the {@code --config} file). Immutable and thread-safe.
 *
 * @param plugin which plugin these settings are for, used in error messages (for example {@code "audit sink file"})
 * @param values the settings by key; keys are flag-like ({@code max-size}), never null
 */
public record PluginConfig(String plugin, Map<String, String> values) {
    public PluginConfig {
        Objects.requireNonNull(plugin, "plugin");
        values = Map.copyOf(values);
    }

    /** No settings. */
    public static PluginConfig empty(String plugin) {
        return new PluginConfig(plugin, Map.of());
    }

    /** The value of {@code key}, when set. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The value of {@code key}; a {@link PluginException} naming the key when it is not set. */
    public String require(String key) {
        return get(key).orElseThrow(() -> new PluginException(plugin + ": setting \"" + key + "\" is required"));
    }

    /** A whole number, or {@code fallback} when unset. */
    public long number(String key, long fallback) {
        return get(key).map(value -> {
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw invalid(key, value, "a whole number");
            }
        }).orElse(fallback);
    }

    /** {@code true} or {@code false}, or {@code fallback} when unset. */
    public boolean flag(String key, boolean fallback) {
        return get(key).map(value -> switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, value, "true or false");
        }).orElse(fallback);
    }

    /** A duration such as {@code 90s}, {@code 5m}, {@code 1h}, {@code 250ms} or ISO-8601, or {@code fallback}. */
    public Duration duration(String key, Duration fallback) {
        return get(key).map(value -> parseDuration(key, value.strip())).orElse(fallback);
    }

    private Duration parseDuration(String key, String value) {
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                return Duration.parse(value);
            }
            int unit = 0;
            while (unit < value.length() && (Character.isDigit(value.charAt(unit)))) {
                unit++;
            }
            long amount = Long.parseLong(value.substring(0, unit));
            return switch (value.substring(unit)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s", "" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw invalid(key, value, "a duration such as 90s, 5m or 1h");
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw invalid(key, value, "a duration such as 90s, 5m or 1h");
        }
    }

    private PluginException invalid(String key, String value, String expected) {
        return new PluginException(plugin + ": " + key + "=\"" + value + "\" (expected: " + expected + ")");
    }

    @Override
    public String toString() {
        // Values may be secrets (webhook tokens): only the keys are shown.
        return plugin + " " + new TreeMap<>(values).keySet();
    }
}
