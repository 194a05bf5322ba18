package io.multikube.auth;

/**
 * Quotes a value taken from a token header (an {@code alg}, a {@code kid}) for a refusal message. The value is
 * attacker-chosen: it is cut short and stripped of control characters so it cannot smuggle a whole token or forge
 * log lines.
 */
final class Quoted {
    private static final int MAX = 48;

    private Quoted() {
    }

    static String of(String value) {
        StringBuilder text = new StringBuilder("\"");
        int length = Math.min(value.length(), MAX);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            text.append(c < 0x20 || c == 0x7f || c == '"' || c == '\\' ? '?' : c);
        }
        return text.append(value.length() > MAX ? "...\"" : "\"").toString();
    }
}
