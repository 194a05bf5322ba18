package io.multikube.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What the server offers every plugin it creates.
 *
 * @param spiVersion the SPI version of the running server ({@link SpiVersion#CURRENT})
 * @param stateDir   a directory the plugin may keep files in; it exists and may be shared by plugins
 * @param clock      the clock to use for timestamps and expiry, so tests can move time
 */
public record PluginContext(String spiVersion, Path stateDir, Clock clock) {
    public PluginContext {
        Objects.requireNonNull(spiVersion, "spiVersion");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(clock, "clock");
    }

    /** A context for the current SPI version. */
    public static PluginContext of(Path stateDir, Clock clock) {
        return new PluginContext(SpiVersion.CURRENT, stateDir, clock);
    }
}
