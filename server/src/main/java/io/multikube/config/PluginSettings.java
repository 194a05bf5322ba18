package io.multikube.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which plugins to run and their settings.
 *
 * @param pluginDir      a folder of plugin jars to load besides the class path
 * @param auditSink      the audit sink to write events to; none when auditing is off
 * @param auditFailure   what happens to requests while the audit sink cannot write
 * @param cache          the response cache; none when caching is off
 * @param credentials    a credential lookup asked before the kubeconfig; none for the kubeconfig alone
 */
public record PluginSettings(Optional<Path> pluginDir, Optional<Selection> auditSink, AuditFailure auditFailure,
                             Optional<Selection> cache, Optional<Selection> credentials) {
    public PluginSettings {
        Objects.requireNonNull(pluginDir, "pluginDir");
        Objects.requireNonNull(auditSink, "auditSink");
        Objects.requireNonNull(auditFailure, "auditFailure");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(credentials, "credentials");
    }

    /** No plugins: no audit, no cache, credentials from the kubeconfig. */
    public static PluginSettings none() {
        return new PluginSettings(Optional.empty(), Optional.empty(), AuditFailure.REFUSE, Optional.empty(),
                Optional.empty());
    }

    /** A copy with this audit sink. */
    public PluginSettings withAuditSink(Selection sink, AuditFailure failure) {
        return new PluginSettings(pluginDir, Optional.of(sink), failure, cache, credentials);
    }

    /** A copy with this cache. */
    public PluginSettings withCache(Selection selection) {
        return new PluginSettings(pluginDir, auditSink, auditFailure, Optional.of(selection), credentials);
    }

    /** A copy with this credential lookup. */
    public PluginSettings withCredentials(Selection selection) {
        return new PluginSettings(pluginDir, auditSink, auditFailure, cache, Optional.of(selection));
    }

    /**
     * A provider picked by name, with its settings.
     *
     * @param name    the provider's name
     * @param options its settings; values may be secrets and are never logged
     */
    public record Selection(String name, Map<String, String> options) {
        public Selection {
            Objects.requireNonNull(name, "name");
            options = Map.copyOf(options);
        }
    }

    /** What requests get while the audit sink reports a failure (a full disk, an unwritable file). */
    public enum AuditFailure {
        /** Refuse them with 503 before they reach a cluster: nothing happens that the audit log would miss. */
        REFUSE,
        /** Serve them anyway and log every event that could not be written as an error. */
        CONTINUE
    }
}
