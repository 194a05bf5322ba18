package io.multikube.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.auth.JwtVerifier;
import io.multikube.auth.SignerKeys;
import io.multikube.testing.Kubectl;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;

/** {@code multikube keys} and {@code multikube kubeconfig} produce what a running multikube and kubectl accept. */
class ClientCommandsTest {
    @TempDir
    Path folder;

    @Test
    void keysWritesAPrivateKeyAndItsCertificateAndNeverOverwrites() throws Exception {
        Path out = folder.resolve("keys");
        assertThat(Cli.execute("keys", "--out", out.toString(), "--type", "rsa-2048")).isZero();

        assertThat(Files.readString(out.resolve("signer-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(out.resolve("signer.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("signer-key.pem"))))
                .isEqualTo("rw-------");
        String key = Files.readString(out.resolve("signer-key.pem"));
        assertThat(Cli.execute("keys", "--out", out.toString())).isNotZero();
        assertThat(Files.readString(out.resolve("signer-key.pem"))).isEqualTo(key);
    }

    @Test
    void generatedKubeconfigWorksWithTheRealKubectlPerContextAndWithOneToken() throws Exception {
        Kubectl kubectl = Kubectl.require();
        Path keys = folder.resolve("keys");
        assertThat(Cli.execute("keys", "--out", keys.toString())).isZero();
        JwtVerifier verifier = new JwtVerifier(SignerKeys.load(List.of(keys.resolve("signer.pem"))),
                Clock.systemUTC(), Duration.ofSeconds(30), false);
        try (RecordingUpstream upstream = RecordingUpstream.plain();
             ProxyFixture proxy = ProxyFixture.start(folder, new TestKubeconfig()
                     .add(TestKubeconfig.Cluster.plain("dev", upstream.port()))
                     .add(TestKubeconfig.Cluster.plain("staging", upstream.port())),
                     ProxyFixture.Options.defaults().withVerifier(verifier))) {
            upstream.respondWith(RecordingUpstream.json(200, "{\"gitVersion\":\"v1.34.2\"}"));
            Path ca = Files.writeString(folder.resolve("multikube-ca.pem"), proxy.pki().ca().certificatePem());
            for (String mode : List.of("--ttl=1h", "--single-token")) {
                Path kubeconfig = folder.resolve("client" + mode + ".yaml");
                assertThat(Cli.execute("kubeconfig", "--server", "https://127.0.0.1:" + proxy.tlsPort(), "--ca",
                        ca.toString(), "--signer-key", keys.resolve("signer-key.pem").toString(), "--sub", "alice",
                        "--group", "dev-team", "--ctx", "dev", "--ctx", "staging", mode, "-o",
                        kubeconfig.toString())).isZero();

                // kubectl's --raw replaces the server URL's path, so with one token the prefix is spelled out.
                String raw = mode.equals("--single-token") ? "/clusters/staging/version" : "/version";
                Kubectl.Result result = kubectl.run(kubeconfig, "--context", "staging", "get", "--raw", raw);

                assertThat(result.exitCode()).as(mode + ": " + result.err()).isZero();
                assertThat(result.out()).contains("v1.34.2");
                RecordingUpstream.Recorded seen = upstream.take();
                assertThat(seen.target()).startsWith("/version");
                assertThat(seen.headers().all("Impersonate-User")).containsExactly("alice");
                assertThat(seen.headers().all("Impersonate-Group")).containsExactly("dev-team");
                assertThat(Files.readString(kubeconfig)).contains(mode.equals("--single-token")
                        ? "/clusters/staging" : "server: https://127.0.0.1:" + proxy.tlsPort() + "\n");
            }
        }
    }
}
