package io.multikube.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.testing.TestKubeconfig;

/** The command line as a user meets it: exit codes, and what goes to standard output and standard error. */
class CliTest {
    @TempDir
    Path folder;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Cli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionPrintsOneLine() {
        assertThat(run("--version")).isZero();
        assertThat(out()).matches("multikube \\S.*\n");
        assertThat(err()).isEmpty();
    }

    @Test
    void helpListsTheSubcommandsAndEveryServingFlagWithDefaults() {
        assertThat(run("--help")).isZero();

        assertThat(out()).startsWith("Usage: multikube [FLAGS]\n       multikube COMMAND [FLAGS]\n")
                .contains("Commands:\n  token", "  keys", "  kubeconfig",
                        "  --audit-log-path=FILE\n", "  --cache-ttl=DURATION\n", "  --allow-tokens-without-expiry\n",
                        "  -h, --help\n", "  -V, --version\n")
                .doesNotContain("${DEFAULT}");
        assertThat(out().replaceAll("\\s+", " ")).as("defaults, however the lines wrap")
                .contains("Default: 8888.", "Default: " + System.getProperty("user.home") + "/.multikube.");
        assertThat(out().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
        assertThat(err()).isEmpty();
    }

    @Test
    void aSubcommandHasItsOwnHelpEitherWay() {
        assertThat(run("token", "--help")).isZero();
        String viaFlag = out();
        out.reset();
        assertThat(run("help", "token")).isZero();

        assertThat(out()).isEqualTo(viaFlag).startsWith("Usage: multikube token [FLAGS]\n")
                .contains("  --signer-key=FILE\n", "Required.", "Default: 8h.").doesNotContain("--tls-port");
        assertThat(run("help", "nope")).isEqualTo(2);
        assertThat(err()).isEqualTo("multikube: no command named \"nope\" (expected: one of [token, keys, "
                + "kubeconfig])\n");
    }

    @Test
    void aCommandLineThatCannotRunExitsTwoWithOneLine() {
        assertThat(run("--tls-prot=9443")).isEqualTo(2);
        assertThat(err()).isEqualTo("multikube: unknown flag --tls-prot (did you mean --tls-port?)\n");
        assertThat(out()).isEmpty();

        err.reset();
        assertThat(run("token", "--sub=alice", "--ctx=dev")).isEqualTo(2);
        assertThat(err()).isEqualTo("multikube: missing --signer-key=FILE: "
                + "The PEM private key matching --tls-signer-certificate\n");
    }

    @Test
    void subcommandFlagsDoNotComeFromTheEnvironment() {
        int code = Cli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("MULTIKUBE_SIGNER_KEY", "/k.pem"),
                "token", "--sub=alice", "--ctx=dev");

        assertThat(code).isEqualTo(2);
        assertThat(err()).startsWith("multikube: missing --signer-key=FILE");
    }

    @Test
    void anUnreadableOrMalformedConfigFileIsAUsageError() throws Exception {
        assertThat(run("--config", folder.resolve("missing.yaml").toString())).isEqualTo(2);
        assertThat(err()).isEqualTo("multikube: --config: cannot read " + folder.resolve("missing.yaml")
                + " (expected: a readable YAML file)\n");

        err.reset();
        Path broken = Files.writeString(folder.resolve("broken.yaml"), "tls-port: [9443\n");
        assertThat(run("--config=" + broken)).isEqualTo(2);
        assertThat(err()).startsWith("multikube: --config: " + broken + " is not a YAML mapping of flag names");

        err.reset();
        Path badValue = Files.writeString(folder.resolve("bad.yaml"), "tls-port: high\n");
        assertThat(run("--config=" + badValue)).isEqualTo(2);
        assertThat(err()).isEqualTo("multikube: --tls-port (from bad.yaml: tls-port): \"high\" "
                + "(expected: a whole number)\n");

        err.reset();
        Path empty = Files.writeString(folder.resolve("empty.yaml"), "tls-port:\n");
        assertThat(run("--config=" + empty)).isEqualTo(2);
        assertThat(err()).isEqualTo("multikube: --tls-port (from empty.yaml: tls-port): \"\" (expected: a whole "
                + "number)\n");

        err.reset();
        Path nested = Files.writeString(folder.resolve("nested.yaml"), "audit-option: {a: {b: c}}\n");
        assertThat(run("--config=" + nested)).isEqualTo(2);
        assertThat(err()).isEqualTo("multikube: nested.yaml: audit-option: nested too deep (expected: a value, "
                + "a list of values or a mapping of keys to values)\n");
    }

    @Test
    void aStartUpErrorExitsOneWithOneLine() {
        assertThat(run("--log-level=loud", "--state-dir=" + folder)).isEqualTo(1);

        assertThat(err()).isEqualTo("multikube: --log-level: loud (expected: debug, info, warning or error)\n");
    }

    @Test
    void aTakenPortIsNamedWithItsCause() throws Exception {
        Path kubeconfig = new TestKubeconfig().add(TestKubeconfig.Cluster.plain("dev", 1)).write(folder.resolve("kc"));
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            int code = run("--tls-port=" + port, "--metrics-port=-1", "--cluster-probe-interval=0s",
                    "--kubeconfig=" + kubeconfig, "--state-dir=" + folder.resolve("state"));

            assertThat(code).isEqualTo(1);
            assertThat(err()).endsWith("multikube: cannot listen: https 127.0.0.1:" + port
                    + ": Address already in use (choose free ports with --tls-port, --port and --metrics-port)\n");
        }
    }

    @Test
    void subcommandsRun() throws Exception {
        assertThat(run("keys", "--out", folder.toString(), "--name=s")).isZero();

        assertThat(folder.resolve("s-key.pem")).exists();
        assertThat(Files.readString(folder.resolve("s.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
    }
}
