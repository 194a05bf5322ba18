package io.multikube.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.config.GroupPolicy;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;

/** Which token groups reach the cluster as Impersonate-Group, over the wire. */
class GroupPolicyTest {
    @TempDir
    Path folder;

    private RecordingUpstream upstream;
    private ProxyFixture proxy;

    private void start(GroupPolicy policy) throws IOException {
        upstream = RecordingUpstream.plain();
        proxy = ProxyFixture.start(folder, new TestKubeconfig().add(TestKubeconfig.Cluster.plain("dev",
                upstream.port())), ProxyFixture.Options.defaults().withGroups(policy));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        upstream.close();
    }

    private HttpResponse<String> get(List<String> groups) throws Exception {
        return proxy.client(HttpClient.Version.HTTP_1_1).send(proxy.request("/api/v1/pods",
                proxy.token("jane", groups, "dev")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyGroupsMatchingTheFilterAreImpersonated() throws Exception {
        start(new GroupPolicy(Optional.of(Pattern.compile("(?!system:).*")), 10));
        assertThat(get(List.of("dev", "system:masters", "ops")).statusCode()).isEqualTo(200);
        assertThat(upstream.take().headers().all("Impersonate-Group")).containsExactly("dev", "ops");
    }

    @Test
    void aTokenWithMoreGroupsThanAllowedIsRefusedBeforeTheCluster() throws Exception {
        start(new GroupPolicy(Optional.empty(), 2));
        HttpResponse<String> response = get(List.of("a", "b", "c"));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("the token carries 3 groups (expected: at most 2, "
                + "--max-impersonated-groups)");
        assertThat(upstream.pending()).isZero();
    }

    @Test
    void theCapCountsGroupsAfterTheFilter() throws Exception {
        start(new GroupPolicy(Optional.of(Pattern.compile("team-.*")), 1));
        assertThat(get(List.of("team-a", "other-1", "other-2")).statusCode()).isEqualTo(200);
        assertThat(upstream.take().headers().all("Impersonate-Group")).containsExactly("team-a");
    }
}
