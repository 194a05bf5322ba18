package io.multikube.spi;

/**
 * Finds and creates one kind of plugin. Providers are listed in {@code META-INF/services} and loaded with
 * {@link java.util.ServiceLoader}; configuration picks one by {@link #name()}.
 *
 * <p>Lifecycle: the server instantiates every provider on the classpath (so a constructor must be cheap and must
 * not fail), calls {@link #create} at most once per start-up on the chosen one, and closes the instance on
 * shutdown. Threading: {@code create} is called from one thread, before any request is served.
 *
 * @param <T> the instance type this provider creates
 */
public interface PluginProvider<T extends AutoCloseable> {
    /**
     * The name configuration uses to pick this provider, for example {@code "file"}: lower case, digits and
     * {@code -}, unique among providers of the same kind. Never null.
     */
    String name();

    /**
     * Creates the instance the server will use.
     *
     * @param config  the settings given for this plugin; never null, possibly empty
     * @param context what the server offers every plugin; never null
     * @return the instance, never null
     * @throws PluginException when the configuration is invalid or a resource cannot be opened; its message is
     *                         shown to the operator and stops start-up
     */
    T create(PluginConfig config, PluginContext context);

    /** One line for the start-up log and {@code --help}. */
    default String description() {
        return name();
    }
}
