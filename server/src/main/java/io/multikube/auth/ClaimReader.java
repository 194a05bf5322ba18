package io.multikube.auth;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.multikube.status.RouterException;

/**
 * Typed access to the claims of a verified token, refusing a claim of the wrong JSON type with a message that
 * names the claim and what was expected. Values are not echoed: they may be long or hold control characters.
 * Names end up in {@code Impersonate-*} headers, so control characters are refused outright.
 */
final class ClaimReader {
    private final Map<String, Object> claims;

    ClaimReader(Map<String, Object> claims) {
        this.claims = Objects.requireNonNull(claims, "claims");
    }

    /** A string claim that must be present and not blank. */
    String requiredName(String claim, String what) {
        Object value = claims.get(claim);
        if (value == null) {
            throw refuse("token has no " + claim + " claim (expected: " + what + ")");
        }
        return name(claim + " is", value, what);
    }

    /** A string claim that may be absent; an explicit {@code null} is a wrong type, not an absence. */
    Optional<String> optionalString(String claim) {
        if (!claims.containsKey(claim)) {
            return Optional.empty();
        }
        if (!(claims.get(claim) instanceof String text)) {
            throw refuse("token claim " + claim + " is " + typeOf(claims.get(claim)) + " (expected: a string)");
        }
        return Optional.of(text);
    }

    /** {@code ctx}: one name as a string, or a non-empty array of names; duplicates are dropped, order kept. */
    List<String> contexts(String claim) {
        String what = "a context name or a non-empty array of context names";
        Object value = claims.get(claim);
        if (value == null) {
            throw refuse("token has no " + claim + " claim (expected: " + what + ")");
        }
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                throw refuse("token claim " + claim + " is an empty array (expected: " + what + ")");
            }
            return names(claim, list, what);
        }
        return List.of(name(claim + " is", value, what));
    }

    /** {@code groups}: absent, or an array of names. */
    List<String> groups(String claim) {
        Object value = claims.get(claim);
        if (value == null && !claims.containsKey(claim)) {
            return List.of();
        }
        String what = "an array of group names";
        if (!(value instanceof List<?> list)) {
            throw refuse("token claim " + claim + " is " + typeOf(value) + " (expected: " + what + ")");
        }
        return names(claim, list, what);
    }

    /** A NumericDate claim (seconds since the epoch; fractions are dropped, RFC 7519 §2 allows them). */
    Optional<Instant> optionalInstant(String claim) {
        if (!claims.containsKey(claim)) {
            return Optional.empty();
        }
        String what = "a NumericDate, seconds since 1970-01-01T00:00:00Z";
        if (!(claims.get(claim) instanceof Number number)) {
            throw refuse("token claim " + claim + " is " + typeOf(claims.get(claim)) + " (expected: " + what + ")");
        }
        try {
            if (number instanceof Long || number instanceof Integer) {
                return Optional.of(Instant.ofEpochSecond(number.longValue()));
            }
            double seconds = number.doubleValue();
            if (!Double.isFinite(seconds) || Math.abs(seconds) > Long.MAX_VALUE) {
                throw new DateTimeException("not a representable number of seconds");
            }
            return Optional.of(Instant.ofEpochSecond((long) Math.floor(seconds)));
        } catch (DateTimeException e) {
            throw refuse("token claim " + claim + " is out of range (expected: " + what + ")");
        }
    }

    private List<String> names(String claim, List<?> list, String what) {
        Set<String> result = new LinkedHashSet<>();
        for (Object element : list) {
            result.add(name(claim + " holds", element, what));
        }
        return List.copyOf(result);
    }

    /** @param subject "sub is" for a single value, "ctx holds" for an array element: it starts the message */
    private String name(String subject, Object value, String what) {
        if (!(value instanceof String text)) {
            throw refuse("token claim " + subject + " " + typeOf(value) + " (expected: " + what + ")");
        }
        if (text.isBlank()) {
            throw refuse("token claim " + subject + " an empty name (expected: " + what + ")");
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw refuse("token claim " + subject + " a name with control characters (expected: " + what + ")");
        }
        return text;
    }

    private static String typeOf(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            case Number n -> "a number";
            case List<?> l -> "an array";
            case Map<?, ?> m -> "an object";
            default -> "a " + value.getClass().getSimpleName();
        };
    }

    private static RouterException.Unauthorized refuse(String reason) {
        return new RouterException.Unauthorized(reason);
    }
}
