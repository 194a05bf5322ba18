package io.multikube.kubeconfig;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The contexts multikube can route to, loaded from one kubeconfig file. A context whose cluster or user cannot
 * be used is kept out of {@link #contexts()} and explained in {@link #problems()}, so one broken entry never
 * takes the others down. {@code current-context} is deliberately not represented: the token chooses.
 *
 * @param source   the file it came from
 * @param contexts usable contexts by name
 * @param problems context name to a message saying why it cannot be used
 */
public record Kubeconfig(Path source, Map<String, ClusterContext> contexts, Map<String, String> problems) {
    public Kubeconfig {
        Objects.requireNonNull(source, "source");
        contexts = Map.copyOf(contexts);
        problems = Map.copyOf(problems);
    }

    public Optional<ClusterContext> context(String name) {
        return Optional.ofNullable(contexts.get(name));
    }

    /** Names of usable contexts, sorted, for messages. */
    public String knownNames() {
        return String.join(", ", new TreeMap<>(contexts).keySet());
    }
}
