package io.multikube.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.multikube.config.PluginSettings;
import io.multikube.config.PluginSettings.AuditFailure;
import io.multikube.config.PluginSettings.Selection;

class PluginOptionsTest {
    private static PluginSettings parse(String... args) {
        ServeCommand command = new ServeCommand();
        new FlagParser(command).parse(java.util.List.of(args), FlagDefaults.NONE);
        return command.plugins.settings();
    }

    @Test
    void noFlagsRunNoPlugins() {
        assertThat(parse()).isEqualTo(PluginSettings.none());
    }

    @Test
    void auditLogFlagsSelectTheFileSinkWithKubeApiserverMeanings() {
        PluginSettings settings = parse("--audit-log-path=/var/log/multikube/audit.log", "--audit-log-maxsize=50",
                "--audit-log-maxbackup=3", "--audit-log-maxage=7");
        assertThat(settings.auditSink()).contains(new Selection("file", Map.of("path",
                "/var/log/multikube/audit.log", "max-size", "50", "max-backup", "3", "max-age", "7")));
        assertThat(settings.auditFailure()).isEqualTo(AuditFailure.REFUSE);
    }

    @Test
    void anyAuditSinkCanBeNamedWithItsOwnOptions() {
        PluginSettings settings = parse("--audit-sink=webhook", "--audit-option", "url=https://c/audit",
                "--audit-on-failure=continue");
        assertThat(settings.auditSink()).contains(new Selection("webhook", Map.of("url", "https://c/audit")));
        assertThat(settings.auditFailure()).isEqualTo(AuditFailure.CONTINUE);
    }

    @Test
    void aCacheTtlTurnsOnTheMemoryCacheAndZeroLeavesItOff() {
        assertThat(parse("--cache-ttl=30s", "--cache-max-size=1048576").cache())
                .contains(new Selection("memory", Map.of("ttl", "30000ms", "max-size", "1048576")));
        assertThat(parse("--cache-ttl=0s").cache()).isEmpty();
    }

    @Test
    void pluginDirAndCredentialsAreCarried() {
        PluginSettings settings = parse("--plugin-dir=/opt/multikube/plugins", "--credentials=vault",
                "--credentials-option", "address=https://vault:8200");
        assertThat(settings.pluginDir()).isEqualTo(Optional.of(Path.of("/opt/multikube/plugins")));
        assertThat(settings.credentials()).contains(new Selection("vault", Map.of("address", "https://vault:8200")));
    }

    @Test
    void auditSettingsWithoutADestinationAreRefused() {
        assertThatThrownBy(() -> parse("--audit-log-maxsize=10"))
                .hasMessage("--audit-log-* and --audit-option need --audit-log-path or --audit-sink "
                        + "(expected: where audit events go)");
    }

    @Test
    void anUnknownFailurePolicyIsRefused() {
        assertThatThrownBy(() -> parse("--audit-log-path=-", "--audit-on-failure=ignore"))
                .hasMessage("--audit-on-failure: ignore (expected: refuse or continue)");
    }
}
