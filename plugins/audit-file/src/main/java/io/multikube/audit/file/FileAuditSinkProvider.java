package io.multikube.audit.file;

import java.io.IOException;
import java.time.Clock;

import io.multikube.spi.PluginConfig;
import io.multikube.spi.PluginContext;
import io.multikube.spi.PluginException;
import io.multikube.spi.audit.AuditSink;
import io.multikube.spi.audit.AuditSinkProvider;

/**
 * The audit sink named {@code file}: {@code audit.k8s.io/v1} events as JSON lines in a file that rotates by size,
 * or on standard output. Settings: {@code path} ({@code -} for standard output), {@code max-size} (MB, default
 * 100), {@code max-backup}, {@code max-age} (days), {@code queue-size}, {@code retry-interval}, {@code close-grace}.
 */
public final class FileAuditSinkProvider implements AuditSinkProvider {
    @Override
    public String name() {
        return "file";
    }

    @Override
    public String description() {
        return "audit.k8s.io/v1 events as JSON lines in a rotating file (--audit-log-path)";
    }

    private static AuditLogFile opened(AuditLogFile file, PluginConfig config) {
        try {
            file.open();
            return file;
        } catch (IOException e) {
            throw new PluginException(config.plugin() + ": cannot open " + file.describe() + " for writing ("
                    + e + ")", e);
        }
    }

    @Override
    public AuditSink create(PluginConfig config, PluginContext context) {
        FileAuditSettings settings = FileAuditSettings.from(config);
        Clock clock = context.clock();
        Destination destination = settings.path()
                .<Destination>map(path -> opened(new AuditLogFile(path, settings, clock), config))
                .orElseGet(StandardOutput::new);
        return new FileAuditSink(destination, settings.queueSize(), settings.retryInterval(),
                settings.closeGrace());
    }
}
