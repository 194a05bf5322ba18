package io.multikube.cli;

import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a command line to a command's flags: first what the command line says, then, for each flag it does not
 * name, the values of the other sources ({@link FlagDefaults}), then the flag's built-in default. A value that does
 * not convert, an unknown flag, a stray argument or a missing required flag stops with a {@link UsageException}
 * naming the flag (and the source of a value that came from elsewhere). {@code -h}/{@code --help} and
 * {@code -V}/{@code --version} anywhere ask for help or the version instead, applying nothing.
 */
final class FlagParser {
    /** What the command line asks for. */
    enum Outcome { RUN, HELP, VERSION }

    private final Map<String, Flag> byName = new LinkedHashMap<>();
    private final List<Flag> flags;
    private final String command;

    FlagParser(Command command) {
        this.command = command.name();
        this.flags = command.flags();
        for (Flag flag : flags) {
            byName.put(flag.name(), flag);
            flag.alias().ifPresent(alias -> byName.put(alias, flag));
        }
    }

    Outcome parse(List<String> args, FlagDefaults defaults) {
        Optional<Outcome> asked = helpOrVersion(args);
        if (asked.isPresent()) {
            return asked.get();
        }
        Set<Flag> given = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-")) {
                throw new UsageException("unexpected argument \"" + arg + "\" (" + command
                        + " takes flags only, such as --name=VALUE)");
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            Flag flag = byName.get(name);
            if (flag == null) {
                throw new UsageException("unknown flag " + name + suggestion(name));
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (!flag.takesValue()) {
                value = "true";
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException(flag.name() + " needs a value (" + flag.synopsis() + ")");
            }
            apply(flag, List.of(value), flag.name());
            given.add(flag);
        }
        for (Flag flag : flags) {
            if (!given.contains(flag)) {
                applyDefault(flag, defaults);
            }
        }
        return Outcome.RUN;
    }

    private static Optional<Outcome> helpOrVersion(List<String> args) {
        for (String arg : args) {
            if (arg.equals("-h") || arg.equals("--help")) {
                return Optional.of(Outcome.HELP);
            }
            if (arg.equals("-V") || arg.equals("--version")) {
                return Optional.of(Outcome.VERSION);
            }
        }
        return Optional.empty();
    }

    private void applyDefault(Flag flag, FlagDefaults defaults) {
        Optional<FlagDefaults.Sourced> sourced = defaults.valuesFor(flag);
        if (sourced.isPresent() && !sourced.get().values().isEmpty()) {
            if (sourced.get().values().size() > 1 && !flag.repeatable()) {
                throw new UsageException(flag.name() + " (from " + sourced.get().source() + "): "
                        + sourced.get().values() + " (expected: one value)");
            }
            apply(flag, sourced.get().values(), flag.name() + " (from " + sourced.get().source() + ")");
        } else if (flag.defaultValue().isPresent()) {
            apply(flag, List.of(flag.defaultValue().get()), flag.name() + " (its default)");
        } else if (flag.required()) {
            throw new UsageException("missing " + flag.synopsis() + ": " + firstSentence(flag.description()));
        }
    }

    private static void apply(Flag flag, List<String> values, String from) {
        try {
            for (String value : values) {
                if (flag.kind() == Flag.Kind.COMMA_SEPARATED) {
                    for (String part : value.split(",")) {
                        if (!part.isBlank()) {
                            flag.apply().accept(part.strip());
                        }
                    }
                } else {
                    flag.apply().accept(value);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(from + ": " + e.getMessage());
        }
    }

    /** The closest flag name, for a mistyped one: {@code --tls-prot} → {@code --tls-port}. */
    private String suggestion(String name) {
        return flags.stream()
                .map(Flag::name)
                .filter(known -> editDistance(known, name) <= Math.max(2, name.length() / 5))
                .min(Comparator.comparingInt(known -> editDistance(known, name)))
                .map(known -> " (did you mean " + known + "?)")
                .orElse(" (see " + (command.equals("multikube") ? "" : "multikube ") + command + " --help)");
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    static String firstSentence(String text) {
        int end = text.indexOf(". ");
        return end < 0 ? text.replaceAll("\\.$", "") : text.substring(0, end);
    }
}
