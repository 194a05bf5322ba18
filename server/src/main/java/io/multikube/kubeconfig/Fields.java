package io.multikube.kubeconfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed reads from one YAML mapping of a kubeconfig ({@code cluster}, {@code user} or {@code context}).
 * Type errors name the field but never echo its value: the value may be a secret.
 */
final class Fields {
    private final String what;
    private final Map<?, ?> values;

    /**
     * @param what   the entry, for messages, e.g. {@code cluster "prod"}
     * @param values the mapping as SnakeYAML built it
     */
    Fields(String what, Map<?, ?> values) {
        this.what = Objects.requireNonNull(what, "what");
        // Not Map.copyOf: YAML mappings may hold null values ("proxy-url:" with nothing after it).
        this.values = Collections.unmodifiableMap(new HashMap<>(Objects.requireNonNull(values, "values")));
    }

    String what() {
        return what;
    }

    /** Whether the field is set to something other than null or an empty string. */
    boolean has(String key) {
        Object value = values.get(key);
        return value != null && !"".equals(value);
    }

    /** The field as a non-empty string; empty when absent, null or {@code ""}, as kubectl treats them. */
    Optional<String> string(String key) {
        Object value = values.get(key);
        if (value == null || "".equals(value)) {
            return Optional.empty();
        }
        if (value instanceof String text) {
            return Optional.of(text);
        }
        throw new EntryProblem(what + ": " + key + " is " + describe(value) + " (expected: a string)");
    }

    /** The field as a boolean; {@code false} when absent. */
    boolean bool(String key) {
        Object value = values.get(key);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw new EntryProblem(what + ": " + key + " is " + describe(value) + " (expected: true or false)");
    }

    /** The field as a nested mapping ({@code exec}); empty when absent or null. */
    Optional<Fields> mapping(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map<?, ?> map) {
            return Optional.of(new Fields(what + ": " + key, map));
        }
        throw new EntryProblem(what + ": " + key + " is " + describe(value) + " (expected: a mapping)");
    }

    /** The field as a list; empty when absent or null. */
    List<?> list(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return Collections.unmodifiableList(list);
        }
        throw new EntryProblem(what + ": " + key + " is " + describe(value) + " (expected: a list)");
    }

    /** The field as a list of strings; empty when absent or null. */
    List<String> strings(String key) {
        List<String> result = new ArrayList<>();
        for (Object item : list(key)) {
            if (!(item instanceof String text)) {
                throw new EntryProblem(what + ": " + key + " has " + describe(item) + " (expected: strings)");
            }
            result.add(text);
        }
        return List.copyOf(result);
    }

    /** The field as a path; a relative one resolves against the kubeconfig's folder, like kubectl does. */
    Optional<Path> path(String key, Path folder) {
        return string(key).map(text -> {
            try {
                return folder.resolve(Path.of(text)).normalize();
            } catch (RuntimeException e) {
                throw new EntryProblem(what + ": " + key + " \"" + text + "\" is not a valid path", e);
            }
        });
    }

    static String describe(Object value) {
        return switch (value) {
            case Map<?, ?> ignored -> "a mapping";
            case Iterable<?> ignored -> "a list";
            case Number ignored -> "a number";
            case Boolean ignored -> "a boolean";
            case null -> "null";
            default -> "a " + value.getClass().getSimpleName();
        };
    }
}
