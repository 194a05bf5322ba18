package io.multikube.cli;

import picocli.CommandLine;

/** The version printed by {@code --version}: the jar's implementation version. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Version.class.getPackage().getImplementationVersion();
        return new String[] {"multikube " + (version == null ? "development build" : version)};
    }
}
