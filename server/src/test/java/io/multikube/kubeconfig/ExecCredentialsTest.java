package io.multikube.kubeconfig;

import static io.multikube.testing.TestKubeconfigs.base64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;
import io.multikube.spi.PluginException;
import io.multikube.spi.credentials.CredentialRequest.Reason;
import io.multikube.spi.credentials.UpstreamCredentials;
import io.multikube.spi.testkit.MutableClock;
import io.multikube.testing.ExecScript;
import io.multikube.testing.TestKubeconfigs;

/** Exec credential plugins as real processes: a bash script the test writes. */
class ExecCredentialsTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final KeyAndCertificate SERVER_CA = TestPki.ca("cluster-ca");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(NOW);

    @Test
    void aTokenFromThePluginIsTheBearerToken() {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin"));

        assertThat(credentials(context(plugin, false), Reason.REQUEST).bearerToken()).contains("token-1");
    }

    @Test
    void thePluginGetsExecInfoAndItsEnvironment() {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin"));

        credentials(context(plugin, false), Reason.REQUEST);

        assertThat(plugin.execInfo()).contains("\"kind\":\"ExecCredential\"", "\"apiVersion\":\"" + ExecScript.V1
                + "\"", "\"interactive\":false").doesNotContain("cluster");
    }

    @Test
    void provideClusterInfoSendsTheClusterWithItsCa() {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin"));

        credentials(context(plugin, true), Reason.REQUEST);

        assertThat(plugin.execInfo()).contains("\"server\":\"https://127.0.0.1:6443\"")
                .contains("\"certificate-authority-data\":\"" + base64(SERVER_CA.certificatePem()) + "\"");
    }

    @Test
    void aClientCertificateFromThePluginIsPresentedInTheHandshake() throws Exception {
        KeyAndCertificate clientCa = TestPki.ca("client-ca");
        KeyAndCertificate client = TestPki.client(clientCa, "exec-admin", KeyType.EC_P256);
        ExecScript plugin = ExecScript.create(dir.resolve("plugin")).answerCertificate(client.certificatePem(),
                KeyForm.pkcs8(client.key()));
        try (TlsTestServer server = TlsTestServer.start(TestPki.server(SERVER_CA, "127.0.0.1"),
                clientCa.certificate())) {
            ClusterContext context = context(plugin, false, server.port());

            assertThat(server.connect(Lookups.tls(context), "127.0.0.1").clientSubject()).contains("CN=exec-admin");
        }
    }

    @Test
    void credentialsAreCachedUntilShortlyBeforeTheyExpire() {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin"))
                .answerToken("token-@RUN@", NOW.plus(Duration.ofMinutes(10)).toString());
        ClusterContext context = context(plugin, false);

        assertThat(credentials(context, Reason.REQUEST).bearerToken()).contains("token-1");
        clock.advance(Duration.ofMinutes(9).plusSeconds(49));
        assertThat(credentials(context, Reason.REQUEST).bearerToken()).contains("token-1");
        clock.advance(Duration.ofSeconds(2)); // within 10 s of expiry
        UpstreamCredentials refreshed = credentials(context, Reason.REQUEST);

        assertThat(refreshed.bearerToken()).contains("token-2");
        assertThat(refreshed.expiresAt()).contains(NOW.plus(Duration.ofMinutes(10)));
        assertThat(plugin.runs()).isEqualTo(2);
    }

    @Test
    void withoutExpiryTheyAreKeptUntilRejected() {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin"));
        ClusterContext context = context(plugin, false);

        credentials(context, Reason.REQUEST);
        clock.advance(Duration.ofDays(30));
        assertThat(credentials(context, Reason.REQUEST).bearerToken()).contains("token-1");
        assertThat(credentials(context, Reason.REJECTED).bearerToken()).contains("token-2");
        assertThat(credentials(context, Reason.REQUEST).bearerToken()).contains("token-2");
        assertThat(plugin.runs()).isEqualTo(2);
    }

    @Test
    void concurrentRequestsRunThePluginOnce() throws Exception {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin")).sleepSeconds(1);
        ClusterContext context = context(plugin, false);
        List<Future<UpstreamCredentials>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 16; i++) {
                answers.add(threads.submit(() -> credentials(context, Reason.REQUEST)));
            }
            for (Future<UpstreamCredentials> answer : answers) {
                assertThat(answer.get().bearerToken()).contains("token-1");
            }
        }
        assertThat(plugin.runs()).isEqualTo(1);
    }

    @Test
    void aFailingPluginIsReportedWithItsFirstStderrLineButNeverItsOutput() {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin")).answerToken("secret-token", null)
                .failWith(3, "\nerror: the SSO session has expired\nsecond line\n");

        assertThatThrownBy(() -> credentials(context(plugin, false), Reason.REQUEST))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("context \"prod\"")
                .hasMessageContaining(plugin.command().toString())
                .hasMessageContaining("exited with code 3: error: the SSO session has expired")
                .hasMessageNotContaining("second line")
                .hasMessageNotContaining("secret-token");
    }

    @Test
    void aFailureIsNotCachedTheNextRequestRunsThePluginAgain() {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin")).failWith(1, "down");
        ClusterContext context = context(plugin, false);
        assertThatThrownBy(() -> credentials(context, Reason.REQUEST)).isInstanceOf(PluginException.class);

        plugin.succeed();

        assertThat(credentials(context, Reason.REQUEST).bearerToken()).contains("token-2");
    }

    @Test
    void outputThatIsNotAnExecCredentialIsRefusedWithoutQuotingIt() {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin")).printRaw("token: secret-token\n");

        assertThatThrownBy(() -> credentials(context(plugin, false), Reason.REQUEST))
                .hasMessageContaining("printed no JSON object")
                .hasMessageNotContaining("secret-token");
    }

    @Test
    void anotherApiVersionThanConfiguredIsRefused() {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin")).printRaw("{\"apiVersion\":"
                + "\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t\"}}");

        assertThatThrownBy(() -> credentials(context(plugin, false), Reason.REQUEST))
                .hasMessageContaining("printed apiVersion client.authentication.k8s.io/v1beta1 (expected: "
                        + ExecScript.V1);
    }

    @Test
    void aPluginThatHangsIsStoppedAfterTheTimeout() {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin")).sleepSeconds(30);
        ExecConfig config = new ExecConfig(plugin.command().toString(), List.of(), Map.of(), ExecScript.V1,
                Optional.empty(), false, "user \"prod\"");
        long started = System.nanoTime();

        assertThatThrownBy(() -> new ExecPlugin("prod", config, Optional.empty(), Duration.ofMillis(500)).run())
                .hasMessageContaining("did not finish within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMissingCommandIsReportedWithTheInstallHint() {
        Path file = TestKubeconfigs.builder()
                .context("prod", Map.of("server", "https://127.0.0.1:6443"), Map.of("exec", Map.of(
                        "command", "no-such-credential-plugin", "apiVersion", ExecScript.V1,
                        "interactiveMode", "IfAvailable", "installHint", "install it with: brew install it")))
                .write(dir.resolve("config"));
        ClusterContext context = KubeconfigLoader.load(file, clock).context("prod").orElseThrow();

        assertThatThrownBy(() -> credentials(context, Reason.REQUEST))
                .hasMessageContaining("no-such-credential-plugin cannot be started")
                .hasMessageContaining("install it with: brew install it");
    }

    private ClusterContext context(ExecScript plugin, boolean provideClusterInfo) {
        return context(plugin, provideClusterInfo, 6443);
    }

    private ClusterContext context(ExecScript plugin, boolean provideClusterInfo, int port) {
        Path file = TestKubeconfigs.builder()
                .context("prod", Map.of("server", "https://127.0.0.1:" + port,
                                "certificate-authority-data", base64(SERVER_CA.certificatePem())),
                        Map.of("exec", plugin.execEntry(provideClusterInfo)))
                .write(dir.resolve("config"));
        Kubeconfig kubeconfig = KubeconfigLoader.load(file, clock);
        assertThat(kubeconfig.problems()).isEmpty();
        return kubeconfig.context("prod").orElseThrow();
    }

    private static UpstreamCredentials credentials(ClusterContext context, Reason reason) {
        return context.credentials().lookup(context.credentialRequest(reason)).orElseThrow();
    }
}
