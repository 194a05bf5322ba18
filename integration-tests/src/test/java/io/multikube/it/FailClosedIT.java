package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * multikube's own cluster identity may only impersonate (README's RBAC): a request that lost its impersonation
 * headers would be refused by the cluster, never run with multikube's rights.
 */
@RealClusters
class FailClosedIT {
    private static Clusters clusters;

    @BeforeAll
    static void clusters() {
        clusters = Clusters.get();
    }

    @Test
    void multikubeIdentityWithoutImpersonationIsForbidden() throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().sslContext(clusters.alpha.tls()).build().send(
                HttpRequest.newBuilder(URI.create(clusters.alpha.server() + "/api/v1/namespaces"))
                        .header("Authorization", "Bearer " + clusters.alpha.multikubeToken()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("User \\\"multikube\\\" cannot list resource \\\"namespaces\\\"");
    }
}
