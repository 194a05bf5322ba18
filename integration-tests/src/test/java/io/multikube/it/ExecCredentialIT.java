package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.multikube.testing.ExecScript;
import io.multikube.testing.ProxyFixture;

/**
 * multikube's own credential for a real cluster comes from an exec plugin (a script printing the impersonate-only
 * token): requests work through it, an expired credential is fetched again, and the cluster's 401 for a bad one
 * makes multikube run the plugin again and succeed.
 */
@RealClusters
class ExecCredentialIT {
    private static Clusters clusters;

    private Path folder;
    private ExecScript plugin;
    private ProxyFixture proxy;

    @BeforeAll
    static void clusters() {
        clusters = Clusters.get();
    }

    @BeforeEach
    void plugin() throws IOException {
        folder = Files.createTempDirectory("multikube-exec-credential-it");
        plugin = ExecScript.create(folder.resolve("plugin"));
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void requestsWorkWithTheTokenThePluginPrints() throws Exception {
        plugin.answerToken(clusters.alpha.multikubeToken(), null);
        start();

        HttpResponse<String> admin = get(Clusters.ADMIN_USER, "/api/v1/namespaces/default");
        HttpResponse<String> nobody = get("nobody", "/api/v1/namespaces/default");

        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("\"name\":\"default\"");
        // The cluster authorized the impersonated user, not multikube's plugin-provided identity.
        assertThat(nobody.statusCode()).isEqualTo(403);
        assertThat(nobody.body()).contains("User \\\"nobody\\\" cannot get resource \\\"namespaces\\\"");
        assertThat(plugin.runs()).isEqualTo(1);
    }

    @Test
    void anExpiredCredentialIsFetchedAgain() throws Exception {
        plugin.answerToken(clusters.alpha.multikubeToken(), Instant.now().plusSeconds(2).toString());
        start();

        assertThat(get(Clusters.ADMIN_USER, "/api/v1/namespaces/default").statusCode()).isEqualTo(200);
        Thread.sleep(Duration.ofMillis(2500));
        assertThat(get(Clusters.ADMIN_USER, "/api/v1/namespaces/default").statusCode()).isEqualTo(200);

        assertThat(plugin.runs()).isEqualTo(2);
    }

    @Test
    void theClustersRejectionMakesMultikubeRunThePluginAgain() throws Exception {
        plugin.answerTokenOnRun(1, "a-token-the-cluster-does-not-know")
                .answerToken(clusters.alpha.multikubeToken(), null);
        start();

        HttpResponse<String> response = get(Clusters.ADMIN_USER, "/api/v1/namespaces/default");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(plugin.runs()).isEqualTo(2);
    }

    private void start() {
        String yaml = "apiVersion: v1\nkind: Config\nclusters:\n- name: alpha\n  cluster:\n    server: "
                + clusters.alpha.server() + "\n    certificate-authority: " + clusters.alpha.caFile()
                + "\nusers:\n- name: multikube\n  user:\n    exec:\n      apiVersion: " + ExecScript.V1
                + "\n      command: " + plugin.command() + "\n      interactiveMode: Never"
                + "\n      provideClusterInfo: true\ncontexts:\n- name: alpha\n  context: {cluster: alpha, user: "
                + "multikube}\n";
        try {
            Path kubeconfig = Files.writeString(folder.resolve("upstream-kubeconfig.yaml"), yaml);
            proxy = ProxyFixture.start(folder, kubeconfig, ProxyFixture.Options.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> get(String user, String path) throws Exception {
        return proxy.client(HttpClient.Version.HTTP_2).send(proxy.request(path, proxy.token(user, "alpha")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
