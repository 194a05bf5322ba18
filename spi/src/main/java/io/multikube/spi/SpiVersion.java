package io.multikube.spi;

/**
 * The version of this SPI. The minor version grows when default methods or types are added (plugins built
 * against an older minor keep working); the major version changes only when a plugin would have to be rebuilt.
 */
public final class SpiVersion {
    /** The SPI version the running server implements, {@code major.minor}. */
    public static final String CURRENT = "1.1";

    private SpiVersion() {
    }

    /** The major part of {@link #CURRENT}. */
    public static int major() {
        return Integer.parseInt(CURRENT.substring(0, CURRENT.indexOf('.')));
    }
}
