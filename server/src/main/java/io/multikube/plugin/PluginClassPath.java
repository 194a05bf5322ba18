package io.multikube.plugin;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.multikube.spi.PluginException;

/** The class loader plugins are found in: the class path, plus every jar of {@code --plugin-dir} when given. */
final class PluginClassPath {
    private PluginClassPath() {
    }

    static ClassLoader of(Optional<Path> pluginDir) {
        ClassLoader parent = PluginClassPath.class.getClassLoader();
        if (pluginDir.isEmpty()) {
            return parent;
        }
        Path dir = pluginDir.get();
        if (!Files.isDirectory(dir)) {
            throw new PluginException("--plugin-dir: " + dir + " is not a directory (expected: a folder of plugin jars)");
        }
        List<URL> jars;
        try (Stream<Path> files = Files.list(dir)) {
            jars = files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted()
                    .map(PluginClassPath::url).toList();
        } catch (IOException e) {
            throw new PluginException("--plugin-dir: cannot list " + dir + ": " + e.getMessage(), e);
        }
        System.getLogger(PluginClassPath.class.getName()).log(System.Logger.Level.INFO,
                "--plugin-dir " + dir + ": " + jars.size() + " jar(s)");
        return new URLClassLoader("multikube-plugins", jars.toArray(URL[]::new), parent);
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new PluginException("--plugin-dir: " + jar + " is not a usable path", e);
        }
    }
}
