package io.multikube;

import io.multikube.cli.Cli;

/** Starts the command line; everything else lives in its own package. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(args));
    }
}
