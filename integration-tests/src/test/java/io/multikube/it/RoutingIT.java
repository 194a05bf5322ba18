package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.multikube.testing.Kubectl;

/** The token's context, and only that, decides which real cluster a request reaches. */
@RealClusters
class RoutingIT {
    private static Clusters clusters;

    @BeforeAll
    static void clusters() {
        clusters = Clusters.get();
    }

    @Test
    void namespaceCreatedWithAnAlphaTokenExistsInAlphaOnly() {
        assertCreatedOnlyIn(clusters.alpha, clusters.beta);
    }

    @Test
    void namespaceCreatedWithABetaTokenExistsInBetaOnly() {
        assertCreatedOnlyIn(clusters.beta, clusters.alpha);
    }

    @Test
    void pathPrefixNamingAnotherClusterIsForbidden() throws Exception {
        String token = clusters.proxy.token(Clusters.ADMIN_USER, "alpha");

        HttpResponse<String> response = clusters.proxy.client(HttpClient.Version.HTTP_2).send(
                clusters.proxy.request("/clusters/beta/api/v1/namespaces", token).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("\"reason\":\"Forbidden\"", "beta");
    }

    private static void assertCreatedOnlyIn(TestCluster target, TestCluster other) {
        String namespace = "routed-" + UUID.randomUUID().toString().substring(0, 8);
        Path client = clusters.clientKubeconfig(Clusters.ADMIN_USER, List.of(), target.name());

        Kubectl.Result created = clusters.through(client, "create", "namespace", namespace);

        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(clusters.admin(target, "get", "namespace", namespace, "-o", "name").out().strip())
                .isEqualTo("namespace/" + namespace);
        Kubectl.Result elsewhere = clusters.admin(other, "get", "namespace", namespace);
        assertThat(elsewhere.exitCode()).isNotZero();
        assertThat(elsewhere.err()).contains("NotFound");
    }
}
