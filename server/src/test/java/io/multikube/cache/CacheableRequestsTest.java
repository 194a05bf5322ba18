package io.multikube.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.multikube.auth.Identity;
import io.multikube.kubeconfig.ClusterContext;
import io.multikube.pipeline.Headers;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.spi.cache.CacheKey;

class CacheableRequestsTest {
    private static final Identity JANE = new Identity("jane", List.of("devs", "ops"), List.of("dev"),
            Optional.empty(), Optional.empty(), Optional.empty());
    private static final Headers IDENTITY = Headers.of("Impersonate-User", "jane", "Impersonate-Group", "devs",
            "Impersonate-Group", "ops", "Audit-ID", "a-1", "X-Forwarded-For", "127.0.0.1");

    private static OutboundRequest request(String method, String path, String query, Headers extra) {
        ClusterContext context = new ClusterContext("dev", URI.create("https://cluster.example:6443/k8s"),
                Optional.empty(), Optional.empty());
        Headers headers = new Headers(Stream.concat(extra.fields().stream(), IDENTITY.fields().stream()).toList());
        return new OutboundRequest("a-1", JANE, context, method, path, query, headers);
    }

    private static Optional<CacheKey> key(String path, String query, String... headers) {
        return CacheableRequests.key(request("GET", path, query, Headers.of(headers)), false);
    }

    @Test
    void aPlainGetIsKeyedByContextIdentityTargetAndNegotiation() {
        Optional<CacheKey> key = key("/api/v1/namespaces/team/pods/web-0", "pretty=true",
                "Accept", "application/json", "Accept-Encoding", "gzip", "User-Agent", "kubectl");
        assertThat(key).contains(new CacheKey("dev", "jane", List.of("devs", "ops"), "GET",
                "/k8s/api/v1/namespaces/team/pods/web-0?pretty=true", "application/json", "gzip"));
    }

    @Test
    void theAuditIdDoesNotSplitTheKey() {
        OutboundRequest first = request("GET", "/api", "", Headers.EMPTY);
        OutboundRequest second = new OutboundRequest("a-2", JANE, first.context(), "GET", "/api", "",
                first.headers().with("Audit-ID", "a-2"));
        assertThat(CacheableRequests.key(first, false)).isEqualTo(CacheableRequests.key(second, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    void onlyGetIsCached(String method) {
        assertThat(CacheableRequests.key(request(method, "/api/v1/pods", "", Headers.EMPTY), false)).isEmpty();
    }

    @Test
    void aGetWithABodyIsNotCached() {
        assertThat(CacheableRequests.key(request("GET", "/api/v1/pods", "", Headers.EMPTY), true)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"watch=true", "watch=1", "watch=t", "watch=false", "w%61tch=true", "follow=true",
            "pretty=1&follow=1", "limit=500", "continue=abc", "limit=1&continue=x", "labelSelector=a&limit=10"})
    void streamsAndPagesAreNotCached(String query) {
        assertThat(key("/api/v1/namespaces/team/pods", query)).as(query).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/watch/pods", "/apis/apps/v1/watch/namespaces/team/deployments",
            "/api/v1/w%61tch/pods", "/api/v1/namespaces/team/services/web/proxy/metrics",
            "/api/v1/namespaces/team/pods/web-0/proxy", "/api/v1/nodes/n1/proxy/stats"})
    void watchAndProxyPathsAreNotCached(String path) {
        assertThat(key(path, "")).as(path).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-cache", "no-store", "max-age=0", "private, NO-CACHE", "max-age = \"0\""})
    void aClientAskingForAFreshAnswerBypassesTheCache(String directive) {
        assertThat(key("/api/v1/pods/x", "", "Cache-Control", directive)).as(directive).isEmpty();
    }

    @Test
    void pragmaNoCacheBypassesTheCache() {
        assertThat(key("/api/v1/pods/x", "", "Pragma", "no-cache")).isEmpty();
    }

    @Test
    void aCacheControlThatAllowsStaleAnswersIsCached() {
        assertThat(key("/api/v1/pods/x", "", "Cache-Control", "max-age=60")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range"})
    void conditionalRequestsAreNotCached(String field) {
        assertThat(key("/openapi/v2", "", field, "\"abc\"")).as(field).isEmpty();
    }

    @Test
    void upgradeAndStreamProtocolRequestsAreNotCached() {
        assertThat(key("/api/v1/namespaces/t/pods/p/exec", "command=ls", "Upgrade", "websocket")).isEmpty();
        assertThat(key("/api/v1/namespaces/t/pods/p/exec", "command=ls", "X-Stream-Protocol-Version",
                "v4.channel.k8s.io")).isEmpty();
    }

    @Test
    void aRequestWithoutImpersonationIsNeverCached() {
        OutboundRequest bare = new OutboundRequest("a-1", JANE, request("GET", "/api", "", Headers.EMPTY).context(),
                "GET", "/api", "", Headers.of("Accept", "application/json"));
        assertThat(CacheableRequests.key(bare, false)).isEmpty();
    }

    @Test
    void differentGroupsMakeDifferentKeys() {
        OutboundRequest devs = request("GET", "/api", "", Headers.EMPTY);
        OutboundRequest admins = new OutboundRequest("a-1", JANE, devs.context(), "GET", "/api", "",
                devs.headers().without("Impersonate-Group").plus("Impersonate-Group", "system:masters"));
        assertThat(CacheableRequests.key(devs, false)).isNotEqualTo(CacheableRequests.key(admins, false));
    }
}
