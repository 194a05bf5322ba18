package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.multikube.cli.ClientKubeconfig;
import io.multikube.testing.Kubectl;

/** One token for several clusters, chosen per kubectl context by the {@code /clusters/<name>} server path. */
@RealClusters
class MultiContextIT {
    private static Clusters clusters;

    @BeforeAll
    static void clusters() {
        clusters = Clusters.get();
    }

    @Test
    void oneTokenReachesEachAllowedClusterByPathPrefix() throws Exception {
        String token = clusters.proxy.token(Clusters.ADMIN_USER, "alpha", "beta");
        Path client = kubeconfig(List.of(new ClientKubeconfig.Entry("alpha", token, true),
                new ClientKubeconfig.Entry("beta", token, true)));
        String namespace = "multi-" + UUID.randomUUID().toString().substring(0, 8);

        Kubectl.Result created = clusters.through(client, "--context", "beta", "create", "namespace", namespace);
        Kubectl.Result inAlpha = clusters.through(client, "--context", "alpha", "get", "namespace", namespace);
        Kubectl.Result inBeta = clusters.through(client, "--context", "beta", "get", "namespace", namespace);

        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(inAlpha.err()).contains("Error from server (NotFound)");
        assertThat(inBeta.exitCode()).as(inBeta.err()).isZero();
    }

    @Test
    void unknownContextIsPrintedByKubectlAsContextNotFound() throws Exception {
        Path client = kubeconfig(List.of(new ClientKubeconfig.Entry("gamma",
                clusters.proxy.token(Clusters.ADMIN_USER, "gamma"), false)));

        Kubectl.Result result = clusters.through(client, "get", "namespaces");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("Error from server (NotFound)", "ContextNotFound", "gamma",
                "known: alpha, beta");
    }

    private static Path kubeconfig(List<ClientKubeconfig.Entry> entries) throws Exception {
        String yaml = new ClientKubeconfig("https://127.0.0.1:" + clusters.proxy.tlsPort(),
                clusters.proxy.pki().ca().certificatePem(), entries).toYaml();
        return Files.writeString(Files.createTempFile("multi-", ".yaml"), yaml);
    }
}
