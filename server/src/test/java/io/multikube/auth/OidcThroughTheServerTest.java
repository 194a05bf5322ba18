package io.multikube.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.jwk.RSAKey;

import io.multikube.config.OidcSettings;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;

/** An OIDC token through the whole server, beside multikube's own tokens, with --oidc-ca-file. */
class OidcThroughTheServerTest {
    @TempDir
    Path folder;

    private OidcIssuer issuer;
    private RSAKey key;
    private RecordingUpstream upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        issuer = new OidcIssuer();
        key = issuer.newKey("k1");
        issuer.publish(key);
        Path ca = Files.writeString(folder.resolve("issuer-ca.pem"), issuer.caPem());
        upstream = RecordingUpstream.plain();
        proxy = ProxyFixture.start(folder, new TestKubeconfig().add(TestKubeconfig.Cluster.plain("dev",
                upstream.port())), ProxyFixture.Options.defaults().withOidc(new OidcSettings(URI.create(issuer.url()),
                Optional.of(ca), "multikube", "sub", Optional.empty(), Optional.of("groups"), "oidc:",
                List.of("RS256"), Map.of("tenant", "acme"), "ctx")));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
        issuer.close();
    }

    private HttpResponse<String> get(String token) throws Exception {
        return proxy.client(HttpClient.Version.HTTP_2).send(proxy.request("/api/v1/pods", token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOidcTokenImpersonatesItsPrefixedUserAndGroups() throws Exception {
        HttpResponse<String> response = get(issuer.token(key, Map.of("groups", List.of("dev"), "tenant", "acme")));

        assertThat(response.statusCode()).isEqualTo(200);
        RecordingUpstream.Recorded seen = upstream.take();
        assertThat(seen.headers().all("Impersonate-User")).containsExactly(issuer.url() + "#u-1");
        assertThat(seen.headers().all("Impersonate-Group")).containsExactly("oidc:dev");
    }

    @Test
    void aMissingRequiredClaimIsA401StatusBeforeTheCluster() throws Exception {
        HttpResponse<String> response = get(issuer.token(key, Map.of("tenant", "other")));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("token claim \\\"tenant\\\" is not \\\"acme\\\" (required by "
                + "--oidc-required-claim)");
        assertThat(upstream.pending()).isZero();
    }

    @Test
    void multikubeSignedTokensStillWork() throws Exception {
        assertThat(get(proxy.token("jane", "dev")).statusCode()).isEqualTo(200);
        assertThat(upstream.take().headers().all("Impersonate-User")).containsExactly("jane");
    }
}
