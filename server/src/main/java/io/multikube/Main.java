package io.multikube;

import io.helidon.logging.common.LogConfig;
import io.multikube.cli.Cli;

/** Starts the command line; everything else lives in its own package. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Reads logging.properties from the classpath (one line per record, no token ever logged).
        LogConfig.configureRuntime();
        System.exit(Cli.execute(args));
    }
}
