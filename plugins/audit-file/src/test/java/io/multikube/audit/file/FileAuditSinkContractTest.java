package io.multikube.audit.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.multikube.spi.PluginConfig;
import io.multikube.spi.PluginContext;
import io.multikube.spi.audit.AuditSink;
import io.multikube.spi.testkit.AuditSinkContract;

/** The audit-file sink, created through its provider as the server creates it, holds the SPI's contract. */
class FileAuditSinkContractTest extends AuditSinkContract {
    @Override
    protected AuditSink createSink(Path folder) {
        return new FileAuditSinkProvider().create(new PluginConfig("audit sink \"file\"",
                Map.of("path", folder.resolve("audit.log").toString())), PluginContext.of(folder, Clock.systemUTC()));
    }

    @Override
    protected List<String> delivered(Path folder) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Path backup : new Backups(folder.resolve("audit.log"), null, Clock.systemUTC()).list()) {
            lines.addAll(Files.readAllLines(backup));
        }
        lines.addAll(Files.readAllLines(folder.resolve("audit.log")));
        return lines;
    }
}
