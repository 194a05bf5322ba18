package io.multikube.plugin;

import java.util.List;
import java.util.Objects;

import io.multikube.spi.PluginConfig;
import io.multikube.spi.PluginContext;
import io.multikube.spi.PluginException;
import io.multikube.spi.PluginProvider;

/** Picks a provider from a catalog by its configured name and creates the instance, or says clearly why not. */
final class PluginChoice {
    private static final System.Logger LOG = System.getLogger(PluginChoice.class.getName());

    private PluginChoice() {
    }

    static <T extends AutoCloseable, P extends PluginProvider<T>> T create(ProviderCatalog<P> catalog, String name,
                                                                        PluginConfig config, PluginContext context) {
        Objects.requireNonNull(name, "name");
        ProviderCatalog.Named<P> chosen = pick(catalog, name);
        T instance;
        try {
            instance = chosen.provider().create(config, context);
        } catch (PluginException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PluginException(catalog.kind() + " \"" + name + "\" failed to start: " + e.getMessage(), e);
        }
        if (instance == null) {
            throw new PluginException(catalog.kind() + " \"" + name + "\" (" + chosen.origin() + ") created nothing");
        }
        LOG.log(System.Logger.Level.INFO, catalog.kind() + " \"" + name + "\": " + chosen.origin()
                + " with settings " + new java.util.TreeSet<>(config.values().keySet()));
        return instance;
    }

    private static <P extends PluginProvider<?>> ProviderCatalog.Named<P> pick(ProviderCatalog<P> catalog,
                                                                             String name) {
        List<ProviderCatalog.Named<P>> matches = catalog.found().stream()
                .filter(named -> named.name().equals(name)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new PluginException("no " + catalog.kind() + " named \"" + name + "\" (found: "
                    + (catalog.found().isEmpty() ? "none" : String.join(", ", catalog.names()))
                    + (catalog.problems().isEmpty() ? "" : "; broken: " + String.join("; ", catalog.problems()))
                    + "). Put the plugin's jar on the class path or in --plugin-dir.");
        }
        throw new PluginException(catalog.kind() + " \"" + name + "\" is ambiguous: provided by "
                + String.join(" and ", matches.stream().map(ProviderCatalog.Named::origin).toList())
                + ". Remove one of the jars.");
    }
}
