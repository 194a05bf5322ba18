package io.multikube.kubeconfig;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Loads a kubeconfig file into the {@link ClusterContext}s multikube routes to, with TLS material built per
 * context. {@code current-context} is ignored on purpose: the caller's token names the context.
 */
public final class KubeconfigLoader {
    private static final Logger LOG = System.getLogger(KubeconfigLoader.class.getName());

    private KubeconfigLoader() {
    }

    /**
     * Reads and resolves every context. A context that cannot be used (missing cluster or user, bad server URL,
     * unreadable or malformed certificate, key or token file, unsupported authentication) is left out of
     * {@link Kubeconfig#contexts()} and explained in {@link Kubeconfig#problems()}; the others still load.
     * Problems are logged at WARNING. Files named in the kubeconfig are read now, except a {@code tokenFile},
     * which is read now and again whenever it changes.
     *
     * @throws KubeconfigException when the file is unreadable, too large, not YAML, or not a kubeconfig
     */
    public static Kubeconfig load(Path file) {
        return load(file, Clock.systemUTC());
    }

    /** As {@link #load(Path)}, judging the expiry of exec plugin credentials by {@code clock}. */
    public static Kubeconfig load(Path file, Clock clock) {
        Objects.requireNonNull(file, "file");
        KubeconfigDocument document = KubeconfigDocument.of(file, KubeconfigYaml.read(file));
        ContextResolver resolver = new ContextResolver(document, clock);
        Map<String, ClusterContext> contexts = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        document.unnamed().forEach((position, message) -> {
            LOG.log(Level.WARNING, "kubeconfig {0}: {1}; skipped", file, message);
            if (position.startsWith("contexts[")) {
                problems.put(position, message);
            }
        });
        for (String name : document.contexts().keySet()) {
            try {
                contexts.put(name, resolver.resolve(name));
            } catch (EntryProblem e) {
                problems.put(name, e.getMessage());
            } catch (RuntimeException e) {
                // A bug or a library surprise must not take the other contexts down. The exception's own
                // message stays out of the problem text, which operators see; the log has the details.
                LOG.log(Level.DEBUG, "context \"" + name + "\" failed to load", e);
                problems.put(name, "context \"" + name + "\" cannot be used (" + e.getClass().getName() + ")");
            }
        }
        problems.forEach((name, message) -> LOG.log(Level.WARNING, "kubeconfig {0}: context \"{1}\" is not "
                + "usable: {2}", file, name, message));
        LOG.log(Level.INFO, "kubeconfig {0}: {1} usable context(s), {2} with problems", file, contexts.size(),
                problems.size());
        return new Kubeconfig(file, contexts, problems);
    }
}
