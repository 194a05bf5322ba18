package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.multikube.cli.ClientKubeconfig;
import io.multikube.config.PluginSettings;
import io.multikube.testing.Kubectl;
import io.multikube.testing.ProxyFixture;

/**
 * Caching on (the real "memory" plugin, 60 s), in front of the real alpha cluster: answers are shared only by the
 * same identity, so a user RBAC forbids a secret still gets Forbidden after another user's read of it is cached.
 * A multikube of its own, routing to the suite's clusters, so the shared one stays uncached.
 */
@RealClusters
class CachingIT {
    private static final String SECRET_VALUE = "cached-only-for-readers";

    private static Clusters clusters;
    private static ProxyFixture cachingProxy;
    private static String namespace;
    private static String reader;
    private static String outsider;

    @BeforeAll
    static void start() throws Exception {
        clusters = Clusters.get();
        Path folder = Files.createTempDirectory("multikube-caching-it");
        cachingProxy = ProxyFixture.start(folder.resolve("multikube"),
                UpstreamKubeconfig.write(folder.resolve("upstream-kubeconfig.yaml"),
                        List.of(clusters.alpha, clusters.beta)),
                ProxyFixture.Options.defaults().withPlugins(PluginSettings.none()
                        .withCache(new PluginSettings.Selection("memory", Map.of("ttl", "60s")))));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        namespace = "caching-" + suffix;
        reader = "reader-" + suffix;
        outsider = "outsider-" + suffix;
        admin("create", "namespace", namespace);
        admin("create", "secret", "generic", "db", "--from-literal=password=" + SECRET_VALUE, "-n", namespace);
        admin("create", "configmap", "settings", "--from-literal=mode=" + SECRET_VALUE, "-n", namespace);
        // A Role of its own: the aggregated "view" ClusterRole needs kube-controller-manager, which is not running.
        admin("create", "role", "reader", "--verb=get,list", "--resource=secrets,configmaps", "-n", namespace);
        admin("create", "rolebinding", "reader", "--role=reader", "--user=" + reader, "-n", namespace);
    }

    @AfterAll
    static void stop() {
        if (cachingProxy != null) {
            cachingProxy.close();
        }
        if (namespace != null) {
            clusters.admin(clusters.alpha, "delete", "namespace", namespace, "--wait=false");
        }
    }

    private static void admin(String... args) {
        Kubectl.Result result = clusters.admin(clusters.alpha, args);
        assertThat(result.exitCode()).as("kubectl " + String.join(" ", args) + ": " + result.err()).isZero();
    }

    private static HttpResponse<String> get(String user, String target) throws Exception {
        return cachingProxy.client(HttpClient.Version.HTTP_2).send(cachingProxy.request(target,
                cachingProxy.token(user, "alpha")).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aReadersSecretIsCachedForThemAndNeverServedToAUserRbacForbids() throws Exception {
        String target = "/api/v1/namespaces/" + namespace + "/secrets/db";
        HttpResponse<String> first = awaitAllowed(reader, target);
        HttpResponse<String> second = get(reader, target);
        HttpResponse<String> forbidden = get(outsider, target);
        HttpResponse<String> forbiddenAgain = get(outsider, target);

        assertThat(first.headers().firstValue("X-Multikube-Cache")).contains("miss");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("X-Multikube-Cache")).contains("hit");
        assertThat(second.body()).isEqualTo(first.body()).contains("\"name\":\"db\"");
        for (HttpResponse<String> denied : List.of(forbidden, forbiddenAgain)) {
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.headers().firstValue("X-Multikube-Cache")).contains("miss");
            assertThat(denied.body()).contains("\"reason\":\"Forbidden\"", "User \\\"" + outsider + "\\\"")
                    .doesNotContain(first.body());
        }
    }

    @Test
    void theApiServerMarksEveryAnswerNoCachePrivateAndWeCacheItPerIdentityAnyway() throws Exception {
        // The decision CacheableResponses documents, checked against the real API server's header.
        HttpResponse<String> list = awaitAllowed(reader, "/api/v1/namespaces/" + namespace + "/configmaps");
        HttpResponse<String> again = get(reader, "/api/v1/namespaces/" + namespace + "/configmaps");

        assertThat(list.headers().allValues("Cache-Control")).containsExactly("no-cache, private");
        assertThat(again.headers().firstValue("X-Multikube-Cache")).contains("hit");
        assertThat(again.body()).isEqualTo(list.body()).contains(SECRET_VALUE);
        assertThat(get(outsider, "/api/v1/namespaces/" + namespace + "/configmaps").statusCode()).isEqualTo(403);
    }

    @Test
    void kubectlReadsTheSameThroughTheCacheAndTheForbiddenUserStaysForbidden() throws Exception {
        Path readerConfig = clientKubeconfig(reader);
        Path outsiderConfig = clientKubeconfig(outsider);
        String[] getSecret = {"get", "secret", "db", "-n", namespace, "-o", "jsonpath={.data.password}"};

        Kubectl.Result first = clusters.kubectl.run(readerConfig, getSecret);
        // -v=8 logs the response headers: the second read must be the cache's.
        Kubectl.Result second = clusters.kubectl.run(readerConfig, withVerbosity(getSecret));
        Kubectl.Result denied = clusters.kubectl.run(outsiderConfig, getSecret);

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.out()).isEqualTo(first.out()).isNotEmpty();
        assertThat(second.err()).containsPattern("(?i)X-Multikube-Cache: hit");
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.err()).contains("Error from server (Forbidden)", "User \"" + outsider + "\"");
        assertThat(denied.out()).doesNotContain(first.out());
    }

    private static String[] withVerbosity(String[] args) {
        String[] verbose = java.util.Arrays.copyOf(args, args.length + 1);
        verbose[args.length] = "-v=8";
        return verbose;
    }

    /** RBAC bindings take a moment to reach the authorizer's informer; a 403 then is not cached, so retry. */
    private static HttpResponse<String> awaitAllowed(String user, String target) throws Exception {
        HttpResponse<String> response = get(user, target);
        for (int i = 0; i < 30 && response.statusCode() == 403; i++) {
            Thread.sleep(300);
            response = get(user, target);
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private Path clientKubeconfig(String user) throws Exception {
        String yaml = new ClientKubeconfig("https://127.0.0.1:" + cachingProxy.tlsPort(),
                cachingProxy.pki().ca().certificatePem(),
                List.of(new ClientKubeconfig.Entry("alpha", cachingProxy.token(user, "alpha"), false))).toYaml();
        return Files.writeString(cachingProxy.folder().resolve("client-" + user + ".yaml"), yaml);
    }
}
