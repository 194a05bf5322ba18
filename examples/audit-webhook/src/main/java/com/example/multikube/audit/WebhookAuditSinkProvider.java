package com.example.multikube.audit;

import java.net.URI;
import java.time.Duration;

import io.multikube.spi.PluginConfig;
import io.multikube.spi.PluginContext;
import io.multikube.spi.PluginException;
import io.multikube.spi.audit.AuditSink;
import io.multikube.spi.audit.AuditSinkProvider;

/**
 * An example audit plugin: POSTs each event as JSON to a URL. Run multikube with
 * {@code --audit-sink=webhook --audit-option url=https://collector.example/audit}.
 */
public final class WebhookAuditSinkProvider implements AuditSinkProvider {
    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public String description() {
        return "POSTs each audit event as JSON to a URL (example plugin)";
    }

    @Override
    public AuditSink create(PluginConfig config, PluginContext context) {
        URI url = URI.create(config.require("url"));
        if (!url.getScheme().equals("https") && !url.getScheme().equals("http")) {
            throw new PluginException(config.plugin() + ": url=" + url + " (expected: an http or https URL)");
        }
        return new WebhookAuditSink(url, config.duration("timeout", Duration.ofSeconds(5)));
    }
}
