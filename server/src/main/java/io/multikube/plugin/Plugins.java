package io.multikube.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.multikube.config.PluginSettings;
import io.multikube.spi.PluginConfig;
import io.multikube.spi.PluginContext;
import io.multikube.spi.PluginProvider;
import io.multikube.spi.audit.AuditSink;
import io.multikube.spi.audit.AuditSinkProvider;
import io.multikube.spi.cache.ResponseCache;
import io.multikube.spi.cache.ResponseCacheProvider;
import io.multikube.spi.credentials.CredentialLookup;
import io.multikube.spi.credentials.CredentialLookupProvider;

/**
 * The plugin instances the server runs with, created once at start-up from {@link PluginSettings} and closed on
 * shutdown (audit last, so it records everything the others did).
 */
public final class Plugins implements AutoCloseable {
    private final Optional<AuditSink> auditSink;
    private final Optional<ResponseCache> cache;
    private final Optional<CredentialLookup> credentials;
    private final PluginSettings.AuditFailure auditFailure;

    private Plugins(Optional<AuditSink> auditSink, PluginSettings.AuditFailure auditFailure,
                    Optional<ResponseCache> cache, Optional<CredentialLookup> credentials) {
        this.auditSink = auditSink;
        this.auditFailure = auditFailure;
        this.cache = cache;
        this.credentials = credentials;
    }

    /** No plugins at all. */
    public static Plugins none() {
        return new Plugins(Optional.empty(), PluginSettings.AuditFailure.REFUSE, Optional.empty(), Optional.empty());
    }

    /**
     * Finds the providers on the class path (and in {@code --plugin-dir}) and creates the configured ones.
     *
     * @throws io.multikube.spi.PluginException when a configured provider is missing, ambiguous or fails to start;
     *                                          whatever was created already is closed
     */
    public static Plugins load(PluginSettings settings, PluginContext context) {
        Objects.requireNonNull(settings, "settings");
        ClassLoader classes = PluginClassPath.of(settings.pluginDir());
        List<AutoCloseable> created = new ArrayList<>();
        try {
            Optional<AuditSink> audit = create(AuditSinkProvider.class, "audit sink", settings.auditSink(), classes,
                    context, created);
            Optional<ResponseCache> cache = create(ResponseCacheProvider.class, "response cache", settings.cache(),
                    classes, context, created);
            Optional<CredentialLookup> credentials = create(CredentialLookupProvider.class, "credential lookup",
                    settings.credentials(), classes, context, created);
            return new Plugins(audit, settings.auditFailure(), cache, credentials);
        } catch (RuntimeException e) {
            created.reversed().forEach(Plugins::closeQuietly);
            throw e;
        }
    }

    private static <T extends AutoCloseable, P extends PluginProvider<T>> Optional<T> create(
            Class<P> type, String kind, Optional<PluginSettings.Selection> selection, ClassLoader classes,
            PluginContext context, List<AutoCloseable> created) {
        if (selection.isEmpty()) {
            return Optional.empty();
        }
        String name = selection.get().name();
        ProviderCatalog<P> catalog = ProviderCatalog.load(type, kind, classes);
        T instance = PluginChoice.create(catalog, name,
                new PluginConfig(kind + " \"" + name + "\"", selection.get().options()), context);
        created.add(instance);
        return Optional.of(instance);
    }

    public Optional<AuditSink> auditSink() {
        return auditSink;
    }

    /** What requests get while the audit sink cannot write. */
    public PluginSettings.AuditFailure auditFailure() {
        return auditFailure;
    }

    public Optional<ResponseCache> cache() {
        return cache;
    }

    public Optional<CredentialLookup> credentials() {
        return credentials;
    }

    /** Closes the cache and credential lookup, then the audit sink (which writes out every event it accepted). */
    @Override
    public void close() {
        cache.ifPresent(Plugins::closeQuietly);
        credentials.ifPresent(Plugins::closeQuietly);
        auditSink.ifPresent(Plugins::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.getLogger(Plugins.class.getName()).log(System.Logger.Level.WARNING,
                    "closing " + closeable.getClass().getName() + " failed", e);
        }
    }
}
