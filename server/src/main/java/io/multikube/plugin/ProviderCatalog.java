package io.multikube.plugin;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import io.multikube.spi.PluginProvider;

/**
 * The providers of one plugin kind found on a class path. Loads defensively: a provider that fails to load or to
 * name itself is reported and skipped, and the others stay usable.
 *
 * @param kind     what these plugins are, for messages ("audit sink")
 * @param found    the providers that loaded
 * @param problems why each broken provider could not be used
 */
record ProviderCatalog<P extends PluginProvider<?>>(String kind, List<Named<P>> found, List<String> problems) {
    private static final System.Logger LOG = System.getLogger(ProviderCatalog.class.getName());

    ProviderCatalog {
        Objects.requireNonNull(kind, "kind");
        found = List.copyOf(found);
        problems = List.copyOf(problems);
    }

    static <P extends PluginProvider<?>> ProviderCatalog<P> load(Class<P> type, String kind, ClassLoader classes) {
        List<Named<P>> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Iterator<P> providers = ServiceLoader.load(type, classes).iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    break;
                }
                P provider = providers.next();
                found.add(new Named<>(nameOf(provider), provider));
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                // ServiceLoader moves on to the next provider after an error (best effort, as documented).
                String problem = kind + " provider failed to load: " + describe(e);
                problems.add(problem);
                LOG.log(Level.WARNING, problem, e);
            }
        }
        return new ProviderCatalog<>(kind, found, problems);
    }

    /** The error and its root cause, without the ServiceLoader's repetition of the interface name. */
    private static String describe(Throwable error) {
        String message = String.valueOf(error.getMessage()).replaceFirst("^[\\w.$]+: (?=Provider )", "");
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == error ? message : message + " (" + root + ")";
    }

    private static String nameOf(PluginProvider<?> provider) {
        String name = provider.name();
        if (name == null || name.isBlank()) {
            throw new IllegalStateException(provider.getClass().getName() + " has no name");
        }
        return name;
    }

    /** The names found, for messages. */
    List<String> names() {
        return found.stream().map(Named::name).toList();
    }

    /** A provider with the name it gave (asked once: a provider's name() is not trusted to stay cheap). */
    record Named<P extends PluginProvider<?>>(String name, P provider) {
        /** Where the provider class came from: its jar or class folder. */
        String origin() {
            var source = provider.getClass().getProtectionDomain().getCodeSource();
            return provider.getClass().getName() + (source == null ? "" : " from " + source.getLocation());
        }
    }
}
