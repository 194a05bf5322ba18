package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * What can be checked of the k3s clusters without a Docker engine: the version they run and the identities they
 * accept. Starting one needs Docker; that happens only in the suite, on machines that have it.
 */
class K3sClusterTest {
    @Test
    void imageRunsTheKubernetesVersionTheLocalBinariesPin() throws Exception {
        String script = Files.readString(Path.of("..", "scripts", "build-kube-binaries.sh"));
        Matcher pinned = Pattern.compile("(?m)^DEFAULT_K8S_VERSION=(\\S+)$").matcher(script);

        assertThat(pinned.find()).as("DEFAULT_K8S_VERSION in scripts/build-kube-binaries.sh").isTrue();
        assertThat(K3sCluster.IMAGE).startsWith("rancher/k3s:v" + pinned.group(1) + "-k3s");
    }

    @Test
    void serverCommandKeepsTestcontainersDefaultsAndReadsTheTokenFile() {
        assertThat(K3sCluster.command("docker.example")).startsWith("server").contains("--disable=traefik",
                "--tls-san=docker.example", "--kube-apiserver-arg=token-auth-file=" + K3sCluster.TOKEN_FILE);
    }

    @Test
    void tokenFileNamesTheUserTheImpersonatorRoleBinds() throws Exception {
        StaticTokens tokens = new StaticTokens("a", "m");
        String rbac = Files.readString(Path.of(Objects.requireNonNull(
                getClass().getResource("/multikube-impersonator.yaml")).toURI()));

        assertThat(tokens.csv().lines()).containsExactly("a,admin,admin,system:masters", "m,multikube,multikube");
        assertThat(rbac).contains("- kind: User\n  name: multikube\n");
    }
}
