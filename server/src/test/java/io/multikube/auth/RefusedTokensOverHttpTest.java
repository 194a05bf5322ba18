package io.multikube.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RawClient;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;

/**
 * The whole corpus of bad tokens over the wire: every one gets a 401 Status from the running server and the
 * cluster never sees a connection. The server verifies on the corpus's fixed clock, so each token is refused for
 * its own flaw, not for having expired since it was written; a good token proves that setting.
 */
class RefusedTokensOverHttpTest {
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private static RecordingUpstream upstream;
    private static ProxyFixture proxy;

    @BeforeAll
    static void start() throws IOException {
        Path folder = Files.createTempDirectory("refused-tokens");
        upstream = RecordingUpstream.plain();
        JwtVerifier verifier = new JwtVerifier(SignerKeys.of(List.of(TestKeys.RSA.getPublic(),
                TestKeys.EC_P256.getPublic(), TestKeys.EC_P384.getPublic())),
                Clock.fixed(Tokens.NOW, ZoneOffset.UTC), Duration.ofSeconds(60), false);
        // The corpus's tokens name the context "dev" (see Tokens.claims).
        proxy = ProxyFixture.start(folder, new TestKubeconfig()
                .add(TestKubeconfig.Cluster.plain("dev", upstream.port())),
                ProxyFixture.Options.defaults().withVerifier(verifier));
    }

    @AfterAll
    static void stop() throws IOException {
        proxy.close();
        upstream.close();
    }

    @Test
    void goodTokenOnTheSameClockIsForwarded() throws Exception {
        String response = send(RefusedTokensTest.goodToken());

        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(upstream.take().headers().all("Impersonate-User")).containsExactly("alice");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.multikube.auth.RefusedTokensTest#badTokens")
    void refusedWith401StatusAndNothingForwarded(String token, String expectedReason) throws Exception {
        int connectionsBefore = upstream.connectionsAccepted();

        String response = send(token);

        if (token.length() > MAX_HEADER_BYTES) {
            // Oversized: the header limit refuses it before the verifier sees it, also as a Status.
            assertThat(response).matches("(?s)HTTP/1.1 4(00|31) .*").contains("\"kind\":\"Status\"");
        } else {
            assertThat(response).startsWith("HTTP/1.1 401")
                    .contains("\"kind\":\"Status\"", "\"reason\":\"Unauthorized\"");
        }
        assertThat(upstream.connectionsAccepted()).isEqualTo(connectionsBefore);
        assertThat(upstream.pending()).isZero();
    }

    private static String send(String token) throws IOException {
        return RawClient.exchange(proxy.clientTls(), proxy.tlsPort(), "GET /api/v1/pods HTTP/1.1\r\nHost: m\r\n"
                + "Authorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");
    }
}
