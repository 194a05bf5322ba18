package io.multikube.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.config.Scheme;

class ServeCommandTest {
    @TempDir
    Path folder;

    @Test
    void defaultsMatchTheOriginalMultikube() {
        ServeCommand command = parse();

        assertThat(command.parsedSchemes()).containsExactly(Scheme.HTTPS);
        assertThat(command.host).isEqualTo("localhost");
        assertThat(command.port).isEqualTo(8080);
        assertThat(command.tlsPort).isEqualTo(8443);
        assertThat(command.clockSkew).isEqualTo(Duration.ofSeconds(60));
        assertThat(command.allowTokensWithoutExpiry).isFalse();
        assertThat(command.embeddedDefault()).isTrue();
    }

    @Test
    void schemeTakesCommaSeparatedAndRepeatedValues() {
        assertThat(parse("--scheme=http,https").parsedSchemes()).containsExactlyInAnyOrder(Scheme.HTTP, Scheme.HTTPS);
        assertThat(parse("--scheme", "http", "--scheme", "https").parsedSchemes())
                .containsExactlyInAnyOrder(Scheme.HTTP, Scheme.HTTPS);
    }

    @Test
    void unknownSchemeIsAClearError() {
        assertThatThrownBy(() -> parse("--scheme=ftp").parsedSchemes())
                .hasMessage("scheme: \"ftp\" (expected: http or https)");
    }

    @Test
    void originalFlagsAreRead() {
        ServeCommand command = parse("--host=0.0.0.0", "--port=9080", "--tls-port=9443", "--tls-certificate=c.pem",
                "--tls-key=k.pem", "--tls-ca=ca.pem", "--tls-signer-certificate=s.pem", "--kubeconfig=kc");

        assertThat(command.settings(Path.of("kc"))).satisfies(settings -> {
            assertThat(settings.host()).isEqualTo("0.0.0.0");
            assertThat(settings.port()).isEqualTo(9080);
            assertThat(settings.tlsPort()).isEqualTo(9443);
            assertThat(settings.tlsCertificate()).contains(Path.of("c.pem"));
            assertThat(settings.tlsKey()).contains(Path.of("k.pem"));
            assertThat(settings.tlsCa()).contains(Path.of("ca.pem"));
            assertThat(settings.signerCertificates()).containsExactly(Path.of("s.pem"));
        });
        assertThat(command.embeddedDefault()).isFalse();
    }

    @Test
    void configFileSuppliesSettingsAndFlagsWin() throws Exception {
        Path config = Files.writeString(folder.resolve("multikube.yaml"),
                "tls-port: 9443\nport: 9080\nscheme: [http, https]\ntoken-clock-skew: 2m\n");

        ServeCommand command = parse("--config=" + config, "--port=7080");

        assertThat(command.tlsPort).isEqualTo(9443);
        assertThat(command.port).isEqualTo(7080);
        assertThat(command.parsedSchemes()).containsExactlyInAnyOrder(Scheme.HTTP, Scheme.HTTPS);
        assertThat(command.clockSkew).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void theLastConfigFlagNamesTheFileAsTheLastOfAnyFlagWins() throws Exception {
        Path first = Files.writeString(folder.resolve("first.yaml"), "tls-port: 7001\n");
        Path second = Files.writeString(folder.resolve("second.yaml"), "tls-port: 7002\n");

        assertThat(parse("--config", first.toString(), "--config=" + second).tlsPort).isEqualTo(7002);
        assertThatThrownBy(() -> parse("--config=" + folder)).isInstanceOf(UsageException.class)
                .hasMessage("--config: cannot read " + folder + " (expected: a readable YAML file)");
    }

    @Test
    void configFileListsAndMappingsFillRepeatableFlags() throws Exception {
        Path config = Files.writeString(folder.resolve("multikube.yaml"), """
                tls-signer-certificate: [a.pem, b.pem]
                audit-sink: webhook
                audit-option:
                  url: https://collector/audit
                  timeout: 5s
                """);

        ServeCommand command = parse("--config=" + config);

        assertThat(command.signerCertificates).containsExactly(Path.of("a.pem"), Path.of("b.pem"));
        assertThat(command.plugins.auditOptions).containsExactlyInAnyOrderEntriesOf(
                Map.of("url", "https://collector/audit", "timeout", "5s"));
    }

    @Test
    void helpListsEveryFlagWithItsDefault() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(Cli.execute(new PrintStream(out, true), System.err, Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("--scheme", "Default: https", "--host", "Default: localhost",
                "--port", "Default: 8080", "--tls-port", "Default: 8443", "--tls-certificate", "--tls-key",
                "--tls-ca", "--tls-signer-certificate", "--kubeconfig", "--allow-tokens-without-expiry",
                "--token-clock-skew", "Default: 60s");
    }

    @Test
    void noKubeconfigAnywhereSaysWhatToPass() {
        assertThatThrownBy(() -> KubeconfigLocation.resolve(Optional.empty(), Map.of(), folder))
                .isInstanceOf(KubeconfigLocation.NoKubeconfigException.class)
                .hasMessageContaining("pass --kubeconfig=FILE");
    }

    @Test
    void kubeconfigComesFromTheFirstExistingEntryOfTheVariableThenHome() throws Exception {
        Path second = Files.writeString(folder.resolve("second"), "x");
        Files.createDirectories(folder.resolve(".kube"));
        Path home = Files.writeString(folder.resolve(".kube/config"), "x");

        assertThat(KubeconfigLocation.resolve(Optional.empty(),
                Map.of("KUBECONFIG", folder.resolve("missing") + ":" + second), folder)).isEqualTo(second);
        assertThat(KubeconfigLocation.resolve(Optional.empty(), Map.of(), folder)).isEqualTo(home);
    }

    @Test
    void durationsReadLikeKubernetesFlags() {
        assertThat(DurationConverter.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationConverter.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationConverter.parse("45")).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> DurationConverter.parse("soon")).hasMessageContaining("expected: e.g. 30s");
    }

    private static ServeCommand parse(String... args) {
        ServeCommand command = new ServeCommand();
        new FlagParser(command).parse(java.util.List.of(args), ConfigFileDefaults.fromArguments(args, Map.of()));
        return command;
    }

    @Test
    void environmentVariablesSitBetweenFlagsAndTheConfigFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("multikube.yaml"),
                "tls-port: 7001\nport: 7002\nmetrics-port: 7003\n");
        java.util.Map<String, String> environment = java.util.Map.of("MULTIKUBE_CONFIG", file.toString(),
                "MULTIKUBE_TLS_PORT", "6001", "MULTIKUBE_PORT", "6002", "MULTIKUBE_SUB", "not-a-serve-flag",
                "MULTIKUBE_AUDIT_LOG_PATH", "-");
        String[] args = {"--tls-port=5001"};
        ServeCommand command = new ServeCommand();
        new FlagParser(command).parse(java.util.List.of(args), ConfigFileDefaults.fromArguments(args, environment));

        assertThat(command.tlsPort).as("flag").isEqualTo(5001);
        assertThat(command.port).as("environment").isEqualTo(6002);
        assertThat(command.metricsPort).as("file").isEqualTo(7003);
        assertThat(command.shutdownGrace).as("default").isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(command.plugins.auditLogPath).as("a plugin flag from the environment").isEqualTo("-");
        assertThat(ConfigFileDefaults.environmentName("--audit-log-path")).isEqualTo("MULTIKUBE_AUDIT_LOG_PATH");
    }

    @Test
    void logLevelsAreNamedAsOperatorsExpect() {
        assertThat(LogLevels.parse("debug")).isEqualTo(java.util.logging.Level.FINE);
        assertThat(LogLevels.parse("WARN")).isEqualTo(java.util.logging.Level.WARNING);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogLevels.parse("loud"))
                .hasMessage("--log-level: loud (expected: debug, info, warning or error)");
    }
}
