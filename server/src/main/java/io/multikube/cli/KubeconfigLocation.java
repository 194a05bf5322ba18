package io.multikube.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Where the kubeconfig comes from when {@code --kubeconfig} is not given: like kubectl, $KUBECONFIG then ~/.kube/config. */
final class KubeconfigLocation {
    private KubeconfigLocation() {
    }

    static Path resolve(Optional<Path> flag, Map<String, String> environment, Path home) {
        if (flag.isPresent()) {
            return flag.get();
        }
        String variable = environment.getOrDefault("KUBECONFIG", "");
        for (String entry : variable.split(File.pathSeparator)) {
            if (!entry.isBlank() && Files.isRegularFile(Path.of(entry))) {
                // multikube reads one file: the first existing entry of $KUBECONFIG.
                return Path.of(entry);
            }
        }
        Path standard = home.resolve(".kube").resolve("config");
        if (Files.isRegularFile(standard)) {
            return standard;
        }
        throw new NoKubeconfigException("no kubeconfig found: --kubeconfig is not set, $KUBECONFIG "
                + (variable.isBlank() ? "is empty" : "names no existing file (" + variable + ")")
                + " and " + standard + " does not exist.\n"
                + "multikube routes requests to the contexts of a kubeconfig: pass --kubeconfig=FILE "
                + "(or set KUBECONFIG) with at least one context.");
    }

    /** Nothing to route to: the user must say which kubeconfig to use. */
    static final class NoKubeconfigException extends IllegalArgumentException {
        NoKubeconfigException(String message) {
            super(message);
        }
    }
}
