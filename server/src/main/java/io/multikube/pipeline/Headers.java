package io.multikube.pipeline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An immutable, ordered list of header fields. Names compare case-insensitively; repeated fields stay
 * separate and in order. Edits return a new list.
 */
public record Headers(List<Header> fields) {
    /** One header field as received or to be sent. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        public boolean named(String other) {
            return name.equalsIgnoreCase(other);
        }

        public String lowerCaseName() {
            return name.toLowerCase(Locale.ROOT);
        }
    }

    public static final Headers EMPTY = new Headers(List.of());

    public Headers {
        fields = List.copyOf(fields);
    }

    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values: " + namesAndValues.length + " (expected: pairs)");
        }
        List<Header> result = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            result.add(new Header(namesAndValues[i], namesAndValues[i + 1]));
        }
        return new Headers(result);
    }

    /** Every value of the named field, in order. */
    public List<String> all(String name) {
        return fields.stream().filter(h -> h.named(name)).map(Header::value).toList();
    }

    public Optional<String> first(String name) {
        return fields.stream().filter(h -> h.named(name)).map(Header::value).findFirst();
    }

    public boolean contains(String name) {
        return fields.stream().anyMatch(h -> h.named(name));
    }

    public Headers filter(Predicate<Header> keep) {
        return new Headers(fields.stream().filter(keep).toList());
    }

    public Headers without(String name) {
        return filter(h -> !h.named(name));
    }

    public Headers plus(String name, String value) {
        List<Header> result = new ArrayList<>(fields);
        result.add(new Header(name, value));
        return new Headers(result);
    }

    /** Replaces every field of that name with one field. */
    public Headers with(String name, String value) {
        return without(name).plus(name, value);
    }

    /** The lower-case field names that {@code Connection} fields nominate as hop-by-hop (RFC 9110 7.6.1). */
    public Set<String> nominatedByConnection() {
        Set<String> result = new HashSet<>();
        for (String value : all("Connection")) {
            for (String token : value.split(",")) {
                if (!token.isBlank()) {
                    result.add(token.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return result;
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }
}
