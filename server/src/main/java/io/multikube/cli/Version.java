package io.multikube.cli;

/** The version printed by {@code --version}: the jar's implementation version. */
final class Version {
    private Version() {
    }

    static String text() {
        String version = Version.class.getPackage().getImplementationVersion();
        return Cli.NAME + " " + (version == null ? "development build" : version);
    }
}
