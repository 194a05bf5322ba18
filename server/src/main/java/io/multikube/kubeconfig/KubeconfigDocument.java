package io.multikube.kubeconfig;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The named entries of a kubeconfig, before any of them is checked. A name defined twice is recorded as
 * broken instead of picking one: kubectl refuses such a file, we refuse only the contexts it affects.
 *
 * @param folder    the kubeconfig's folder, against which relative file names resolve
 * @param contexts  context name to its fields ({@code cluster}, {@code user})
 * @param clusters  cluster name to its fields
 * @param users     user name to its fields
 * @param broken    {@code context "x"}, {@code cluster "x"} or {@code user "x"} to why no context may use it
 * @param unnamed   {@code contexts[3]} and the like for entries without a name, each with why it was skipped
 */
record KubeconfigDocument(Path folder, Map<String, Fields> contexts, Map<String, Fields> clusters,
                          Map<String, Fields> users, Map<String, String> broken, Map<String, String> unnamed) {
    KubeconfigDocument {
        Objects.requireNonNull(folder, "folder");
        contexts = Map.copyOf(contexts);
        clusters = Map.copyOf(clusters);
        users = Map.copyOf(users);
        broken = Map.copyOf(broken);
        unnamed = Map.copyOf(unnamed);
    }

    /** Splits the top-level mapping; fails when it is not a kubeconfig at all. */
    static KubeconfigDocument of(Path file, Map<?, ?> root) {
        Object kind = root.get("kind");
        if (kind != null && !"Config".equals(kind)) {
            throw new KubeconfigException("kubeconfig " + file + " has kind " + kind + " (expected: Config)");
        }
        if (!root.containsKey("contexts")) {
            throw new KubeconfigException("kubeconfig " + file + " has no contexts (expected: a kubeconfig with "
                    + "a contexts list)");
        }
        Map<String, String> broken = new LinkedHashMap<>();
        Map<String, String> unnamed = new LinkedHashMap<>();
        Path folder = file.toAbsolutePath().getParent();
        return new KubeconfigDocument(folder,
                entries(file, root, "contexts", "context", broken, unnamed),
                entries(file, root, "clusters", "cluster", broken, unnamed),
                entries(file, root, "users", "user", broken, unnamed),
                broken, unnamed);
    }

    /** Reads {@code list: [{name: n, <field>: {...}}]} into name → fields. */
    private static Map<String, Fields> entries(Path file, Map<?, ?> root, String list, String field,
                                               Map<String, String> broken, Map<String, String> unnamed) {
        Object value = root.get(list);
        if (value == null) {
            return Map.of(); // kubectl writes "contexts: null" for an empty list
        }
        if (!(value instanceof List<?> items)) {
            throw new KubeconfigException("kubeconfig " + file + ": " + list + " is not a list (expected: a list "
                    + "of {name, " + field + "})");
        }
        Map<String, Fields> result = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String position = list + "[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> item)) {
                unnamed.put(position, position + " is not a mapping (expected: {name, " + field + "})");
                continue;
            }
            if (!(item.get("name") instanceof String name) || name.isEmpty()) {
                unnamed.put(position, position + " has no name (expected: a non-empty string)");
                continue;
            }
            String what = field + " \"" + name + "\"";
            Object body = item.get(field);
            Fields fields = new Fields(what, body instanceof Map<?, ?> map ? map : Map.of());
            if (body != null && !(body instanceof Map<?, ?>)) {
                broken.putIfAbsent(what, what + ": " + field + " is not a mapping (expected: its fields)");
            }
            if (result.putIfAbsent(name, fields) != null) {
                broken.put(what, what + " is defined more than once (expected: unique names)");
            }
        }
        return result;
    }
}
