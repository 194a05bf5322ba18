package io.multikube.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.multikube.config.PluginSettings;
import io.multikube.config.PluginSettings.AuditFailure;
import io.multikube.config.PluginSettings.Selection;

/**
 * The plugin flags of {@code multikube}: which audit sink, cache and credential lookup run, with their settings.
 * kube-apiserver's {@code --audit-log-*} flags and the original {@code --cache-ttl} select the bundled plugins.
 */
final class PluginOptions {
    static final String FILE_SINK = "file";
    static final String MEMORY_CACHE = "memory";

    Path pluginDir;
    String auditSink;
    final Map<String, String> auditOptions = new LinkedHashMap<>();
    String auditLogPath;
    Long auditLogMaxSize;
    Integer auditLogMaxBackup;
    Integer auditLogMaxAge;
    String auditOnFailure;
    String cache;
    final Map<String, String> cacheOptions = new LinkedHashMap<>();
    Duration cacheTtl;
    Long cacheMaxSize;
    String credentials;
    final Map<String, String> credentialsOptions = new LinkedHashMap<>();

    List<Flag> flags() {
        return List.of(
                Flag.value("--plugin-dir", "DIR", "A folder of plugin jars to load besides the class path.",
                        value -> pluginDir = Values.path(value)),
                Flag.value("--audit-sink", "NAME", "The audit sink plugin to send audit.k8s.io/v1 events to "
                        + "(default: file when --audit-log-path is set, else none).", value -> auditSink = value),
                Flag.keyValues("--audit-option", "KEY=VALUE", "A setting for the audit sink plugin (repeatable).",
                        auditOptions),
                Flag.value("--audit-log-path", "FILE", "Write audit events as JSON lines to FILE ('-' for "
                        + "standard output).", value -> auditLogPath = value),
                Flag.value("--audit-log-maxsize", "MB", "Rotate the audit log when it reaches this many megabytes "
                        + "(0: never). Default: 100.", value -> auditLogMaxSize = Values.longInteger(value)),
                Flag.value("--audit-log-maxbackup", "N", "Rotated audit logs to keep (0: all). Default: 0.",
                        value -> auditLogMaxBackup = Values.integer(value)),
                Flag.value("--audit-log-maxage", "DAYS", "Delete rotated audit logs older than this many days "
                        + "(0: never). Default: 0.", value -> auditLogMaxAge = Values.integer(value)),
                Flag.value("--audit-on-failure", "POLICY", "While the audit sink cannot write: refuse requests "
                        + "with 503 (refuse), or serve them and log each lost event (continue). "
                        + "Default: ${DEFAULT}.", value -> auditOnFailure = value).withDefault("refuse"),
                Flag.value("--cache", "NAME", "The response cache plugin (default: memory when --cache-ttl is "
                        + "above 0s, else none).", value -> cache = value),
                Flag.keyValues("--cache-option", "KEY=VALUE", "A setting for the response cache plugin "
                        + "(repeatable).", cacheOptions),
                Flag.value("--cache-ttl", "DURATION", "Serve identical safe reads from memory for this long "
                        + "(0s: off). Default: 0s.", value -> cacheTtl = Values.duration(value)),
                Flag.value("--cache-max-size", "BYTES", "The memory the response cache may hold, e.g. 268435456 "
                        + "(bytes). Default: 256 MiB.", value -> cacheMaxSize = Values.longInteger(value)),
                Flag.value("--credentials", "NAME", "A credential lookup plugin asked for cluster credentials "
                        + "before the kubeconfig.", value -> credentials = value),
                Flag.keyValues("--credentials-option", "KEY=VALUE", "A setting for the credential lookup plugin "
                        + "(repeatable).", credentialsOptions));
    }

    PluginSettings settings() {
        PluginSettings settings = new PluginSettings(Optional.ofNullable(pluginDir), Optional.empty(),
                AuditFailure.REFUSE, Optional.empty(), Optional.empty());
        Optional<Selection> audit = auditSelection();
        if (audit.isPresent()) {
            settings = settings.withAuditSink(audit.get(), auditFailure());
        }
        Optional<Selection> chosenCache = cacheSelection();
        if (chosenCache.isPresent()) {
            settings = settings.withCache(chosenCache.get());
        }
        if (credentials != null) {
            settings = settings.withCredentials(new Selection(credentials, credentialsOptions));
        }
        return settings;
    }

    private Optional<Selection> auditSelection() {
        Map<String, String> options = new LinkedHashMap<>();
        if (auditLogPath != null) {
            options.put("path", auditLogPath);
        }
        putIfSet(options, "max-size", auditLogMaxSize);
        putIfSet(options, "max-backup", auditLogMaxBackup);
        putIfSet(options, "max-age", auditLogMaxAge);
        options.putAll(auditOptions);
        String name = auditSink != null ? auditSink : auditLogPath != null ? FILE_SINK : null;
        if (name == null) {
            if (!options.isEmpty()) {
                throw new IllegalArgumentException("--audit-log-* and --audit-option need --audit-log-path or "
                        + "--audit-sink (expected: where audit events go)");
            }
            return Optional.empty();
        }
        return Optional.of(new Selection(name, options));
    }

    private Optional<Selection> cacheSelection() {
        Map<String, String> options = new LinkedHashMap<>();
        if (cacheTtl != null) {
            options.put("ttl", cacheTtl.toMillis() + "ms");
        }
        putIfSet(options, "max-size", cacheMaxSize);
        options.putAll(cacheOptions);
        boolean ttlOn = cacheTtl != null && !cacheTtl.isZero() && !cacheTtl.isNegative();
        String name = cache != null ? cache : ttlOn ? MEMORY_CACHE : null;
        return name == null ? Optional.empty() : Optional.of(new Selection(name, options));
    }

    private AuditFailure auditFailure() {
        return switch (auditOnFailure.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "refuse" -> AuditFailure.REFUSE;
            case "continue" -> AuditFailure.CONTINUE;
            default -> throw new IllegalArgumentException("--audit-on-failure: " + auditOnFailure
                    + " (expected: refuse or continue)");
        };
    }

    private static void putIfSet(Map<String, String> options, String key, Object value) {
        if (value != null) {
            options.put(key, value.toString());
        }
    }
}
