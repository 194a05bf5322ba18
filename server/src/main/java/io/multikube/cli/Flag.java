package io.multikube.cli;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One flag of a command: how it is written, how help shows it, its default, and what a value does to the command.
 * Written as Kubernetes components write theirs: {@code --tls-port=8443} or {@code --tls-port 8443}; a switch is
 * {@code --flag} or {@code --flag=false}; a few flags also have a one-letter alias ({@code -o FILE}).
 *
 * @param name         the long name, with its dashes
 * @param alias        a one-letter alias such as {@code -o}, or empty
 * @param label        what help calls the value ({@code FILE}, {@code DURATION}); empty for a switch
 * @param description  the help text; {@code ${DEFAULT}} stands for the default value
 * @param defaultValue applied when neither the command line nor the command's other sources give the flag
 * @param kind         how many values the flag takes and how they are written
 * @param required     whether a command line without it is refused
 * @param apply        what one value does (a converter that throws {@link IllegalArgumentException} refuses it)
 */
record Flag(String name, Optional<String> alias, String label, String description, Optional<String> defaultValue,
            Kind kind, boolean required, Consumer<String> apply) {

    /** How many values a flag takes. */
    enum Kind {
        /** One value; given again, the last one wins (as with Kubernetes' flags). */
        VALUE,
        /** No value ({@code --flag}), or {@code --flag=true} / {@code --flag=false}. */
        SWITCH,
        /** Repeatable: every occurrence adds one value. */
        REPEATED,
        /** Repeatable, and one value may list several, comma-separated. */
        COMMA_SEPARATED,
        /** Repeatable {@code KEY=VALUE} pairs. */
        KEY_VALUE
    }

    Flag {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(apply, "apply");
        if (!name.startsWith("--")) {
            throw new IllegalArgumentException("flag name: " + name + " (expected: --name)");
        }
    }

    /** A flag that takes one value. */
    static Flag value(String name, String label, String description, Consumer<String> apply) {
        return new Flag(name, Optional.empty(), label, description, Optional.empty(), Kind.VALUE, false, apply);
    }

    /** A switch, off unless given. */
    static Flag toggle(String name, String description, Consumer<Boolean> apply) {
        return new Flag(name, Optional.empty(), "", description, Optional.of("false"), Kind.SWITCH, false,
                value -> apply.accept(Values.bool(value)));
    }

    /** A flag that may be repeated, each time with one value. */
    static Flag repeated(String name, String label, String description, Consumer<String> add) {
        return new Flag(name, Optional.empty(), label, description, Optional.empty(), Kind.REPEATED, false, add);
    }

    /** A flag that may be repeated, each value a comma-separated list. */
    static Flag commaSeparated(String name, String label, String description, Consumer<String> add) {
        return new Flag(name, Optional.empty(), label, description, Optional.empty(), Kind.COMMA_SEPARATED, false,
                add);
    }

    /** A repeatable {@code KEY=VALUE} flag that fills {@code into}; a key given again takes the later value. */
    static Flag keyValues(String name, String label, String description, Map<String, String> into) {
        return new Flag(name, Optional.empty(), label, description, Optional.empty(), Kind.KEY_VALUE, false,
                pair -> {
                    int equals = pair.indexOf('=');
                    if (equals <= 0) {
                        throw new IllegalArgumentException("\"" + pair + "\" (expected: KEY=VALUE)");
                    }
                    into.put(pair.substring(0, equals), pair.substring(equals + 1));
                });
    }

    Flag withDefault(String value) {
        return new Flag(name, alias, label, description, Optional.of(value), kind, required, apply);
    }

    Flag withAlias(String letter) {
        return new Flag(name, Optional.of(letter), label, description, defaultValue, kind, required, apply);
    }

    Flag mandatory() {
        return new Flag(name, alias, label, description, defaultValue, kind, true, apply);
    }

    boolean takesValue() {
        return kind != Kind.SWITCH;
    }

    boolean repeatable() {
        return kind == Kind.REPEATED || kind == Kind.COMMA_SEPARATED || kind == Kind.KEY_VALUE;
    }

    /** How the flag is written in help and errors: {@code --tls-port=PORT}, {@code --allow-x}. */
    String synopsis() {
        return takesValue() ? name + "=" + label : name;
    }
}
