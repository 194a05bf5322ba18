package io.multikube.spi.audit;

import io.multikube.spi.PluginProvider;

/**
 * Creates an {@link AuditSink}. List implementations in
 * {@code META-INF/services/io.multikube.spi.audit.AuditSinkProvider}; {@code --audit-sink=NAME} picks one.
 */
public interface AuditSinkProvider extends PluginProvider<AuditSink> {
}
