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
    /**
     * One header field as received or to be sent: an immutable value like a record, which it is not only so that
     * it can keep its lower-case name — every proxied request and answer compares each field's name with sets of
     * lower-case names several times (2.5 % of a proxied GET's CPU lower-cased them again each time).
     */
    public static final class Header {
        private final String name;
        private final String value;
        private final String lowerCaseName;

        public Header(String name, String value) {
            this.name = Objects.requireNonNull(name, "name");
            this.value = Objects.requireNonNull(value, "value");
            this.lowerCaseName = name.toLowerCase(Locale.ROOT);
        }

        public String name() {
            return name;
        }

        public String value() {
            return value;
        }

        public boolean named(String other) {
            return name.equalsIgnoreCase(other);
        }

        public String lowerCaseName() {
            return lowerCaseName;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Header header && name.equals(header.name) && value.equals(header.value);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + value.hashCode();
        }

        @Override
        public String toString() {
            return "Header[name=" + name + ", value=" + value + "]";
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

    // Loops, not streams: these run several times per proxied request, and a stream pipeline per lookup showed in
    // the request profile (issue 8).

    /** Every value of the named field, in order. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(2);
        for (Header field : fields) {
            if (field.named(name)) {
                values.add(field.value());
            }
        }
        return List.copyOf(values);
    }

    public Optional<String> first(String name) {
        for (Header field : fields) {
            if (field.named(name)) {
                return Optional.of(field.value());
            }
        }
        return Optional.empty();
    }

    public boolean contains(String name) {
        for (Header field : fields) {
            if (field.named(name)) {
                return true;
            }
        }
        return false;
    }

    public Headers filter(Predicate<Header> keep) {
        List<Header> kept = new ArrayList<>(fields.size());
        for (Header field : fields) {
            if (keep.test(field)) {
                kept.add(field);
            }
        }
        return new Headers(kept);
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
