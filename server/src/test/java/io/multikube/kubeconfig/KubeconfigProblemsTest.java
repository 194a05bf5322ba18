package io.multikube.kubeconfig;

import static io.multikube.testing.TestKubeconfigs.base64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;
import io.multikube.testing.TestKubeconfigs;

/** Kubeconfigs that cannot be used, as a whole or in part, and what multikube says about them. */
class KubeconfigProblemsTest {
    private static final String SECRET = "s3cr3t-do-not-print";
    private static final Map<String, String> CLUSTER = Map.of("server", "https://10.0.0.1:6443");
    private static final KeyAndCertificate CA = TestPki.ca("ca");
    private static final KeyAndCertificate CLIENT = TestPki.client(CA, "admin", KeyType.EC_P256);

    @TempDir
    Path dir;

    @Test
    void brokenContextDoesNotHideOthers() {
        Path file = TestKubeconfigs.builder()
                .context("good", CLUSTER, Map.of("token", SECRET))
                .context("bad", Map.of("server", "https://10.0.0.2:6443",
                        "certificate-authority-data", base64("not a certificate")), Map.of("token", SECRET))
                .write(dir.resolve("config"));

        Kubeconfig kubeconfig = KubeconfigLoader.load(file);

        assertThat(kubeconfig.contexts()).containsOnlyKeys("good");
        assertThat(kubeconfig.problems()).containsOnlyKeys("bad");
        assertThat(kubeconfig.problems().get("bad"))
                .contains("cluster \"bad\"", "certificate-authority-data", "CERTIFICATE")
                .doesNotContain(SECRET);
    }

    @Test
    void malformedYamlIsAClearError() {
        Path file = TestPki.write(dir.resolve("config"), "contexts:\n- name: a\n  token: " + SECRET + "\n   x: [\n");

        assertThatThrownBy(() -> KubeconfigLoader.load(file))
                .isInstanceOf(KubeconfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not valid YAML")
                .hasMessageContaining("line ")
                .hasMessageNotContaining(SECRET)
                .hasNoCause();
    }

    @Test
    void aMalformedTagIsAClearError() {
        // Found by KubeconfigLoaderFuzzTest: SnakeYAML refused this tag with an IllegalArgumentException.
        Path file = TestPki.write(dir.resolve("config"), "!%2");

        assertThatThrownBy(() -> KubeconfigLoader.load(file))
                .isInstanceOf(KubeconfigException.class)
                .hasMessage("kubeconfig " + file + " is not valid YAML: a malformed tag or node")
                .hasNoCause();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "- a\n- b\n", "just text\n", "apiVersion: v1\nkind: Config\nclusters: []\n",
            "kind: Pod\ncontexts: []\n", "contexts: {a: b}\n"})
    void notAKubeconfigIsAClearError(String text) {
        Path file = TestPki.write(dir.resolve("config"), text);

        assertThatThrownBy(() -> KubeconfigLoader.load(file))
                .isInstanceOf(KubeconfigException.class)
                .hasMessageStartingWith("kubeconfig " + file)
                .hasMessageContaining("expected");
    }

    @Test
    void missingFileIsAClearError() {
        Path file = dir.resolve("absent");

        assertThatThrownBy(() -> KubeconfigLoader.load(file))
                .isInstanceOf(KubeconfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aliasBombIsRejected() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            String previous = "*" + (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [").append((previous + ", ").repeat(9))
                    .append(previous).append("]\n");
        }
        yaml.append("contexts: []\n");
        Path file = TestPki.write(dir.resolve("config"), yaml.toString());

        assertThatThrownBy(() -> KubeconfigLoader.load(file)).isInstanceOf(KubeconfigException.class);
    }

    @Test
    void missingClusterOrUserReferenceIsAProblem() {
        Path file = TestKubeconfigs.builder()
                .cluster("c", CLUSTER)
                .user("u", Map.of())
                .context("unknown-cluster", "nowhere", "u")
                .context("no-user", "c", null)
                .write(dir.resolve("config"));

        Map<String, String> problems = KubeconfigLoader.load(file).problems();

        assertThat(problems.get("unknown-cluster")).isEqualTo("cluster \"nowhere\" is not defined (expected: an "
                + "entry in clusters)");
        assertThat(problems.get("no-user")).contains("context \"no-user\": user is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://10.0.0.1", "https://", "https://host:6443/?watch=1", "https://exa mple:6443"})
    void badServerUrlIsAProblem(String server) {
        Path file = TestKubeconfigs.builder()
                .context("bad", Map.of("server", server), Map.of())
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad")).contains("cluster \"bad\": server");
    }

    @Test
    void serverWithUserInfoIsAProblemThatHidesIt() {
        Path file = TestKubeconfigs.builder()
                .context("bad", Map.of("server", "https://admin:" + SECRET + "@10.0.0.1:6443"), Map.of())
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad")).contains("user info").doesNotContain(SECRET);
    }

    @Test
    void unreadableCaFileIsAProblemNamingThePath() {
        Path file = TestKubeconfigs.builder()
                .context("bad", Map.of("server", "https://10.0.0.1:6443", "certificate-authority", "missing/ca.crt"),
                        Map.of())
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad"))
                .contains("certificate-authority " + dir.resolve("missing/ca.crt"), "cannot be read");
    }

    @Test
    void invalidBase64IsAProblemWithoutTheData() {
        Path file = TestKubeconfigs.builder()
                .context("bad", CLUSTER, Map.of("client-certificate-data", base64(CLIENT.certificatePem()),
                        "client-key-data", "%%" + SECRET))
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad"))
                .contains("client-key-data is not valid base64")
                .doesNotContain(SECRET);
    }

    @Test
    void certificateWithoutKeyIsAProblem() {
        Path file = TestKubeconfigs.builder()
                .context("bad", CLUSTER, Map.of("client-certificate-data", base64(CLIENT.certificatePem())))
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad"))
                .contains("client certificate without a client key");
    }

    @Test
    void keyOfAnotherCertificateIsAProblem() {
        KeyAndCertificate other = TestPki.client(CA, "other", KeyType.EC_P256);
        Path file = TestKubeconfigs.builder()
                .context("bad", CLUSTER, Map.of("client-certificate-data", base64(CLIENT.certificatePem()),
                        "client-key-data", base64(KeyForm.pkcs8(other.key()))))
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad"))
                .contains("client-key-data does not belong to client-certificate-data");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth-provider", "username"})
    void unsupportedAuthIsReportedAsNotSupported(String field) {
        Map<String, Object> user = switch (field) {
            case "auth-provider" -> Map.of("auth-provider", Map.of("name", "oidc",
                    "config", Map.of("id-token", SECRET)));
            default -> Map.of("username", "admin", "password", SECRET);
        };
        Path file = TestKubeconfigs.builder()
                .context("good", CLUSTER, Map.of())
                .context("bad", CLUSTER, user)
                .write(dir.resolve("config"));

        Kubeconfig kubeconfig = KubeconfigLoader.load(file);

        assertThat(kubeconfig.contexts()).containsOnlyKeys("good");
        assertThat(kubeconfig.problems().get("bad")).contains("not supported: ").doesNotContain(SECRET);
    }

    @Test
    void impersonationInKubeconfigIsAProblem() {
        Path file = TestKubeconfigs.builder()
                .context("bad", CLUSTER, Map.of("token", SECRET, "as", "someone-else"))
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad")).contains("as is not supported");
    }

    @ParameterizedTest
    @ValueSource(strings = {"socks5://proxy:1080", "https://proxy:3128"})
    void proxyUrlsOtherThanHttpAreRefused(String url) {
        Path file = TestKubeconfigs.builder()
                .context("bad", Map.of("server", "https://10.0.0.1:6443", "proxy-url", url), Map.of())
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad")).contains("proxy-url with scheme")
                .contains("is not supported");
    }

    @Test
    void proxyUrlPasswordNeverShows() {
        Path file = TestKubeconfigs.builder()
                .context("proxied", Map.of("server", "https://10.0.0.1:6443",
                        "proxy-url", "http://someone:" + SECRET + "@proxy:3128"), Map.of())
                .write(dir.resolve("config"));

        ProxyUrl proxy = KubeconfigLoader.load(file).context("proxied").orElseThrow().proxy().orElseThrow();

        assertThat(proxy.port()).isEqualTo(3128);
        assertThat(proxy.password()).contains(SECRET);
        assertThat(proxy.toString()).doesNotContain(SECRET);
    }

    @Test
    void execWithInteractiveModeAlwaysIsAProblem() {
        Path file = TestKubeconfigs.builder()
                .context("bad", CLUSTER, Map.of("exec", Map.of("command", "aws", "apiVersion",
                        "client.authentication.k8s.io/v1", "interactiveMode", "Always")))
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad")).contains("interactiveMode Always needs a "
                + "terminal");
    }

    @Test
    void execV1WithoutInteractiveModeIsAProblemAsInClientGo() {
        Path file = TestKubeconfigs.builder()
                .context("bad", CLUSTER, Map.of("exec", Map.of("command", "aws", "apiVersion",
                        "client.authentication.k8s.io/v1")))
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad")).contains("interactiveMode is missing");
    }

    @Test
    void execTogetherWithTokenIsAProblem() {
        Path file = TestKubeconfigs.builder()
                .context("bad", CLUSTER, Map.of("token", SECRET, "exec", Map.of("command", "aws", "apiVersion",
                        "client.authentication.k8s.io/v1beta1")))
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad")).contains("exec and token are both set")
                .doesNotContain(SECRET);
    }

    @Test
    void insecureTogetherWithCaIsAProblemAsInKubectl() {
        Path file = TestKubeconfigs.builder()
                .context("bad", Map.of("server", "https://10.0.0.1:6443", "insecure-skip-tls-verify", true,
                        "certificate-authority-data", base64(CA.certificatePem())), Map.of())
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad")).contains("insecure-skip-tls-verify");
    }

    @Test
    void clientCertificateOverHttpIsAProblem() {
        Path file = TestKubeconfigs.builder()
                .context("bad", Map.of("server", "http://10.0.0.1:8080"), Map.of(
                        "client-certificate-data", base64(CLIENT.certificatePem()),
                        "client-key-data", base64(KeyForm.pkcs8(CLIENT.key()))))
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad")).contains("needs an https server");
    }

    @Test
    void emptyTokenFileIsAProblem() {
        Path tokenFile = TestPki.write(dir.resolve("token"), "\n");
        Path file = TestKubeconfigs.builder()
                .context("bad", CLUSTER, Map.of("tokenFile", tokenFile.toString()))
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad")).contains(tokenFile.toString(), "empty");
    }

    @Test
    void duplicateNamesAreProblems() {
        Path file = TestKubeconfigs.builder()
                .context("twice", CLUSTER, Map.of())
                .context("twice", CLUSTER, Map.of())
                .cluster("shared", CLUSTER)
                .cluster("shared", CLUSTER)
                .user("u", Map.of())
                .context("uses-shared", "shared", "u")
                .write(dir.resolve("config"));

        Map<String, String> problems = KubeconfigLoader.load(file).problems();

        assertThat(problems.get("twice")).contains("context \"twice\" is defined more than once");
        assertThat(problems.get("uses-shared")).contains("cluster \"shared\" is defined more than once");
    }

    @Test
    void unnamedContextIsAProblemAtItsPosition() {
        Path file = TestPki.write(dir.resolve("config"), "contexts:\n- context: {cluster: c, user: u}\n");

        assertThat(KubeconfigLoader.load(file).problems()).containsEntry("contexts[0]",
                "contexts[0] has no name (expected: a non-empty string)");
    }

    @Test
    void tlsServerNameMustBeADnsName() {
        Path file = TestKubeconfigs.builder()
                .context("bad", Map.of("server", "https://10.0.0.1:6443", "tls-server-name", "10.0.0.9"), Map.of())
                .write(dir.resolve("config"));

        assertThat(KubeconfigLoader.load(file).problems().get("bad")).contains("tls-server-name \"10.0.0.9\"");
    }
}
