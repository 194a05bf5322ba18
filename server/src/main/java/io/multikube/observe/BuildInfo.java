package io.multikube.observe;

/** The running build's version, from the jar manifest ({@code development} when run from classes). */
public final class BuildInfo {
    private BuildInfo() {
    }

    public static String version() {
        String version = BuildInfo.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
