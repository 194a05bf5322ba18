package io.multikube.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.config.PluginSettings;
import io.multikube.config.PluginSettings.AuditFailure;
import io.multikube.config.PluginSettings.Selection;
import io.multikube.spi.PluginContext;
import io.multikube.spi.PluginException;
import io.multikube.spi.testkit.AuditEvents;

class PluginsTest {
    @TempDir
    Path folder;

    private PluginContext context() {
        return PluginContext.of(folder, Clock.systemUTC());
    }

    private static PluginSettings audit(String name) {
        return PluginSettings.none().withAuditSink(new Selection(name, Map.of()), AuditFailure.REFUSE);
    }

    @Test
    void createsTheProviderNamedInTheSettings() {
        try (Plugins plugins = Plugins.load(audit("memory"), context())) {
            plugins.auditSink().orElseThrow().record(AuditEvents.completedGet("picked"));
            assertThat(TestProviders.RECORDED).anyMatch(event -> event.auditId().equals("picked"));
            assertThat(plugins.cache()).isEmpty();
            assertThat(plugins.credentials()).isEmpty();
        }
        assertThat(TestProviders.memorySinkClosed).isTrue();
    }

    @Test
    void noSettingsLoadNothing() {
        try (Plugins plugins = Plugins.load(PluginSettings.none(), context())) {
            assertThat(plugins.auditSink()).isEmpty();
        }
    }

    @Test
    void aMissingNameStopsStartUpAndListsWhatWasFoundAndWhatBroke() {
        assertThatThrownBy(() -> Plugins.load(audit("webhook"), context()))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("no audit sink named \"webhook\" (found: memory, twin, twin, refusing")
                .hasMessageContaining("broken: audit sink provider failed to load")
                .hasMessageContaining("NoSuchProvider")
                .hasMessageContaining("broken on purpose")
                .hasMessageEndingWith("Put the plugin's jar on the class path or in --plugin-dir.");
    }

    @Test
    void brokenProvidersDoNotHideTheOthers() {
        // Broken and NoSuchProvider are listed before TwinTwo and Refusing: both still load.
        ProviderCatalog<?> catalog = ProviderCatalog.load(io.multikube.spi.audit.AuditSinkProvider.class,
                "audit sink", getClass().getClassLoader());
        assertThat(catalog.names()).containsExactly("memory", "twin", "twin", "refusing");
        assertThat(catalog.problems()).hasSize(2);
    }

    @Test
    void anAmbiguousNameStopsStartUpNamingBothClasses() {
        assertThatThrownBy(() -> Plugins.load(audit("twin"), context()))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("audit sink \"twin\" is ambiguous: provided by")
                .hasMessageContaining("TestProviders$TwinOne")
                .hasMessageContaining("TestProviders$TwinTwo");
    }

    @Test
    void aProviderThatFailsToStartIsNamedWithItsReason() {
        PluginSettings settings = PluginSettings.none().withAuditSink(
                new Selection("refusing", Map.of("url", "ftp://x")), AuditFailure.REFUSE);
        assertThatThrownBy(() -> Plugins.load(settings, context()))
                .isInstanceOf(PluginException.class)
                .hasMessage("audit sink \"refusing\" failed to start: setting \"url\" is ftp://x");
    }

    @Test
    void pluginsCreatedBeforeAFailingOneAreClosed() {
        PluginSettings settings = audit("memory").withCache(new Selection("failing", Map.of()));
        assertThatThrownBy(() -> Plugins.load(settings, context()))
                .hasMessage("response cache \"failing\": no memory on purpose");
        assertThat(TestProviders.memorySinkClosed).isTrue();
    }

    @Test
    void findsPluginsInThePluginDir() throws Exception {
        Path jars = Files.createDirectories(folder.resolve("plugins"));
        buildPluginJar(jars.resolve("echo-sink.jar"));
        PluginSettings settings = new PluginSettings(Optional.of(jars),
                Optional.of(new Selection("from-dir", Map.of())), AuditFailure.REFUSE, Optional.empty(),
                Optional.empty());
        try (Plugins plugins = Plugins.load(settings, context())) {
            assertThat(plugins.auditSink().orElseThrow().getClass().getName()).isEqualTo("dir.DirSink$1");
            assertThat(plugins.auditSink().get().getClass().getClassLoader().getName())
                    .isEqualTo("multikube-plugins");
        }
    }

    @Test
    void aPluginDirThatIsNotAFolderIsRefused() {
        PluginSettings settings = new PluginSettings(Optional.of(folder.resolve("missing")), Optional.empty(),
                AuditFailure.REFUSE, Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> Plugins.load(settings, context()))
                .hasMessageContaining("--plugin-dir: " + folder.resolve("missing") + " is not a directory");
    }

    /** Compiles a tiny provider against the SPI and jars it with its service file, as a user would ship it. */
    private void buildPluginJar(Path jar) throws IOException {
        Path src = Files.createDirectories(folder.resolve("src/dir"));
        Files.writeString(src.resolve("DirSink.java"), """
                package dir;
                public class DirSink implements io.multikube.spi.audit.AuditSinkProvider {
                    public String name() { return "from-dir"; }
                    public io.multikube.spi.audit.AuditSink create(io.multikube.spi.PluginConfig c,
                            io.multikube.spi.PluginContext x) {
                        return new io.multikube.spi.audit.AuditSink() {
                            public void record(io.multikube.spi.audit.AuditEvent e) { }
                        };
                    }
                }
                """);
        Path classes = Files.createDirectories(folder.resolve("classes"));
        int exit = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), src.resolve("DirSink.java").toString());
        assertThat(exit).isZero();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String name : List.of("dir/DirSink.class", "dir/DirSink$1.class")) {
                out.putNextEntry(new JarEntry(name));
                out.write(Files.readAllBytes(classes.resolve(name)));
            }
            out.putNextEntry(new JarEntry("META-INF/services/io.multikube.spi.audit.AuditSinkProvider"));
            out.write("dir.DirSink\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
