package io.multikube.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.multikube.testing.Kubectl;

/**
 * The kubectl binaries of the matrix: the oldest and the newest of the versioned ones installed beside the
 * default (the Google Cloud SDK keeps {@code kubectl.1.NN}), and the default one itself.
 */
final class KubectlVersions {
    private static final Pattern VERSIONED = Pattern.compile("kubectl\\.1\\.(\\d+)");

    /** One kubectl of the matrix and the version it reports. */
    record Version(String label, Kubectl kubectl) {
    }

    private KubectlVersions() {
    }

    static List<Version> matrix() {
        Kubectl standard = Kubectl.require();
        Path folder;
        try {
            folder = standard.binary().toRealPath().getParent();
        } catch (IOException e) {
            folder = standard.binary().getParent();
        }
        List<Path> versioned = versioned(folder);
        List<Version> result = new ArrayList<>();
        versioned.stream().findFirst().ifPresent(oldest -> result.add(version(oldest)));
        result.add(new Version(label(standard.binary()) + " (default)", standard));
        if (versioned.size() > 1) {
            result.add(version(versioned.getLast()));
        }
        return result;
    }

    private static List<Path> versioned(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(path -> VERSIONED.matcher(path.getFileName().toString()).matches())
                    .filter(Files::isExecutable)
                    .sorted(Comparator.comparingInt(KubectlVersions::minor))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Version version(Path binary) {
        return new Version(label(binary), Kubectl.at(binary));
    }

    private static int minor(Path path) {
        Matcher matcher = VERSIONED.matcher(path.getFileName().toString());
        return matcher.matches() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    /** "v1.33.1", read from the binary itself. */
    static String label(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "version", "--client", "-o", "json")
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            process.waitFor();
            Matcher matcher = Pattern.compile("\"gitVersion\":\\s*\"(v[^\"]+)\"").matcher(out);
            return matcher.find() ? matcher.group(1) : binary.getFileName().toString();
        } catch (IOException e) {
            return binary.getFileName().toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return binary.getFileName().toString();
        }
    }

}
