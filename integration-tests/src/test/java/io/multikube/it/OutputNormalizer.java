package io.multikube.it;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes kubectl output from two runs comparable: object names of each side, timestamps, ages, resource versions,
 * UIDs, server URLs and temporary file names differ by nature; everything else must be identical.
 */
final class OutputNormalizer {
    private record Rule(Pattern pattern, String replacement) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("m\\d+-(thru|drct)"), "OBJ"),
            new Rule(Pattern.compile("\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z| [+-]\\d{4})?"), "TIME"),
            new Rule(Pattern.compile("(resourceVersion\"?:\\s*\"?)\\d+"), "$1RV"),
            new Rule(Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "UID"),
            new Rule(Pattern.compile("https://127\\.0\\.0\\.1:\\d+(/clusters/[^\\s\"]+)?"), "SERVER"),
            new Rule(Pattern.compile("/tmp/(LIVE|MERGED)-\\d+"), "/tmp/$1"),
            new Rule(Pattern.compile("(?m)(\\s)(\\d+[smhd])+(\\s*)$"), "$1AGE$3"),
            new Rule(Pattern.compile("\\s+(\\d+[smhd])+\\s{2,}"), " AGE  "));

    private OutputNormalizer() {
    }

    static String normalize(String output) {
        String result = output.strip();
        for (Rule rule : RULES) {
            result = rule.pattern().matcher(result).replaceAll(rule.replacement());
        }
        return result;
    }
}
