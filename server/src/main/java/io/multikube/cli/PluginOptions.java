package io.multikube.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.multikube.config.PluginSettings;
import io.multikube.config.PluginSettings.AuditFailure;
import io.multikube.config.PluginSettings.Selection;
import picocli.CommandLine.Option;

/**
 * The plugin flags of {@code multikube}: which audit sink, cache and credential lookup run, with their settings.
 * kube-apiserver's {@code --audit-log-*} flags and the original {@code --cache-ttl} select the bundled plugins.
 */
final class PluginOptions {
    static final String FILE_SINK = "file";
    static final String MEMORY_CACHE = "memory";

    @Option(names = "--plugin-dir", paramLabel = "DIR",
            description = "A folder of plugin jars to load besides the class path.")
    Path pluginDir;

    @Option(names = "--audit-sink", paramLabel = "NAME",
            description = "The audit sink plugin to send audit.k8s.io/v1 events to (default: file when "
                    + "--audit-log-path is set, else none).")
    String auditSink;

    @Option(names = "--audit-option", paramLabel = "KEY=VALUE",
            description = "A setting for the audit sink plugin (repeatable).")
    Map<String, String> auditOptions = new LinkedHashMap<>();

    @Option(names = "--audit-log-path", paramLabel = "FILE",
            description = "Write audit events as JSON lines to FILE ('-' for standard output).")
    String auditLogPath;

    @Option(names = "--audit-log-maxsize", paramLabel = "MB",
            description = "Rotate the audit log when it reaches this many megabytes (0: never). Default: 100.")
    Long auditLogMaxSize;

    @Option(names = "--audit-log-maxbackup", paramLabel = "N",
            description = "Rotated audit logs to keep (0: all). Default: 0.")
    Integer auditLogMaxBackup;

    @Option(names = "--audit-log-maxage", paramLabel = "DAYS",
            description = "Delete rotated audit logs older than this many days (0: never). Default: 0.")
    Integer auditLogMaxAge;

    @Option(names = "--audit-on-failure", paramLabel = "POLICY", defaultValue = "refuse",
            description = "While the audit sink cannot write: refuse requests with 503 (refuse), or serve them "
                    + "and log each lost event (continue). Default: ${DEFAULT-VALUE}.")
    String auditOnFailure;

    @Option(names = "--cache", paramLabel = "NAME",
            description = "The response cache plugin (default: memory when --cache-ttl is above 0s, else none).")
    String cache;

    @Option(names = "--cache-option", paramLabel = "KEY=VALUE",
            description = "A setting for the response cache plugin (repeatable).")
    Map<String, String> cacheOptions = new LinkedHashMap<>();

    @Option(names = "--cache-ttl", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Serve identical safe reads from memory for this long (0s: off). Default: 0s.")
    Duration cacheTtl;

    @Option(names = "--cache-max-size", paramLabel = "BYTES",
            description = "The memory the response cache may hold, e.g. 268435456 (bytes). Default: 256 MiB.")
    Long cacheMaxSize;

    @Option(names = "--credentials", paramLabel = "NAME",
            description = "A credential lookup plugin asked for cluster credentials before the kubeconfig.")
    String credentials;

    @Option(names = "--credentials-option", paramLabel = "KEY=VALUE",
            description = "A setting for the credential lookup plugin (repeatable).")
    Map<String, String> credentialsOptions = new LinkedHashMap<>();

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
