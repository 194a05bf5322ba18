package io.multikube.cli;

import java.util.List;
import java.util.Optional;

/** Where a flag missing from the command line may still get values, before its built-in default. */
interface FlagDefaults {
    /** No other source: the command line, then the built-in defaults. */
    FlagDefaults NONE = flag -> Optional.empty();

    /**
     * Values for a flag, with where they came from.
     *
     * @param source what an error names: {@code MULTIKUBE_TLS_PORT}, {@code multikube.yaml: tls-port}
     * @param values one for a flag that takes one; any number for a repeatable flag
     */
    record Sourced(String source, List<String> values) {
        public Sourced {
            values = List.copyOf(values);
        }
    }

    Optional<Sourced> valuesFor(Flag flag);
}
