package io.multikube.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.jwk.RSAKey;

import io.multikube.config.OidcSettings;
import io.multikube.status.RouterException;

/** OIDC tokens against a real HTTPS issuer whose keys rotate and which goes down. */
class OidcVerifierTest {
    private static final Duration MIN_REFRESH = Duration.ofMillis(500);

    private OidcIssuer issuer;
    private RSAKey first;
    private OidcVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        issuer = new OidcIssuer();
        first = issuer.newKey("k1");
        issuer.publish(first);
    }

    @AfterEach
    void stop() {
        if (verifier != null) {
            verifier.close();
        }
        issuer.close();
    }

    private OidcSettings settings(String usernameClaim, Optional<String> usernamePrefix) {
        return new OidcSettings(URI.create(issuer.url()), Optional.empty(), "multikube", usernameClaim,
                usernamePrefix, Optional.of("groups"), "oidc:", List.of("RS256"), Map.of(), "ctx");
    }

    private OidcVerifier verifier(OidcSettings settings, SSLSocketFactory trust) {
        verifier = new OidcVerifier(settings, trust, Clock.systemUTC(), Duration.ofSeconds(30), MIN_REFRESH);
        return verifier;
    }

    private OidcVerifier verifier() {
        return verifier(settings("sub", Optional.empty()), issuer.trust());
    }

    @Test
    void mapsTheUserAndGroupsAsKubeApiserverDoes() {
        Identity identity = verifier().verify(issuer.token(first, Map.of("groups", List.of("dev", "ops"),
                "ctx", List.of("dev", "prod"), "jti", "t-1")));

        assertThat(identity.subject()).isEqualTo(issuer.url() + "#u-1");
        assertThat(identity.groups()).containsExactly("oidc:dev", "oidc:ops");
        assertThat(identity.contexts()).containsExactly("dev", "prod");
        assertThat(identity.issuer()).contains(issuer.url());
        assertThat(identity.tokenId()).contains("t-1");
    }

    @Test
    void anEmailUsernameHasNoPrefixAndMustBeVerified() {
        OidcVerifier emails = verifier(settings("email", Optional.empty()), issuer.trust());
        assertThat(emails.verify(issuer.token(first, Map.of("email", "jane@example.com"))).subject())
                .isEqualTo("jane@example.com");
        assertThatThrownBy(() -> emails.verify(issuer.token(first, Map.of("email", "jane@example.com",
                "email_verified", false)))).hasMessage("token email is not verified (email_verified is false)");
    }

    @Test
    void aDashPrefixMeansNone() {
        assertThat(verifier(settings("sub", Optional.of("-")), issuer.trust())
                .verify(issuer.token(first, Map.of())).subject()).isEqualTo("u-1");
    }

    @Test
    void wrongAudienceIssuerExpiryOrMissingContextIsRefused() {
        OidcVerifier oidc = verifier();
        assertThatThrownBy(() -> oidc.verify(issuer.token(first, Map.of("aud", "someone-else"))))
                .isInstanceOf(RouterException.Unauthorized.class)
                .hasMessage("token audience does not include \"multikube\" (--oidc-client-id)");
        assertThatThrownBy(() -> oidc.verify(issuer.token(first, Map.of("iss", "https://evil.example"))))
                .hasMessage("token issuer \"https://evil.example\" is not " + issuer.url());
        assertThatThrownBy(() -> oidc.verify(issuer.token(first, Map.of("exp",
                Date.from(Instant.now().minus(Duration.ofHours(1))).getTime() / 1000))))
                .hasMessageContaining("expired");
        Map<String, Object> noContext = new HashMap<>();
        noContext.put("ctx", null);
        assertThatThrownBy(() -> oidc.verify(issuer.token(first, noContext))).hasMessageContaining("no ctx claim");
    }

    @Test
    void aForeignKeyWithAKnownKidIsRefused() {
        RSAKey impostor = issuer.newKey("k1");
        assertThatThrownBy(() -> verifier().verify(issuer.token(impostor, Map.of())))
                .hasMessage("token signature is invalid");
    }

    @Test
    void anUnknownKidFetchesTheKeysAgainOnceWithinTheRateLimit() throws Exception {
        OidcVerifier oidc = verifier();
        oidc.verify(issuer.token(first, Map.of()));
        int before = issuer.jwksFetches();

        RSAKey base = issuer.newKey("unknown");
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tokens.add(issuer.token(new RSAKey.Builder(base).keyID("unknown-" + i).build(), Map.of()));
        }
        for (String token : tokens) {
            assertThatThrownBy(() -> oidc.verify(token)).isInstanceOf(RouterException.Unauthorized.class)
                    .hasMessageContaining("is not among the keys of");
        }

        assertThat(issuer.jwksFetches() - before).as("JWKS fetches for 20 unknown kids in a burst").isBetween(1, 2);
    }

    @Test
    void aRotatedKeyVerifiesOnceTheIssuerPublishesItAndTheOldOneStaysValid() throws Exception {
        OidcVerifier oidc = verifier();
        oidc.verify(issuer.token(first, Map.of()));
        RSAKey second = issuer.newKey("k2");
        issuer.publish(second);
        Thread.sleep(MIN_REFRESH.multipliedBy(2));

        assertThat(oidc.verify(issuer.token(second, Map.of())).subject()).endsWith("#u-1");
        assertThat(oidc.verify(issuer.token(first, Map.of())).subject()).endsWith("#u-1");
    }

    @Test
    void cachedKeysKeepVerifyingWhileTheIssuerIsDown() {
        OidcVerifier oidc = verifier();
        oidc.verify(issuer.token(first, Map.of()));
        String token = issuer.token(first, Map.of());
        issuer.close();

        assertThat(oidc.verify(token).subject()).endsWith("#u-1");
    }

    @Test
    void anIssuerWhoseTlsIsNotTrustedIsNeverAsked() {
        OidcVerifier untrusting = verifier(settings("sub", Optional.empty()),
                (SSLSocketFactory) SSLSocketFactory.getDefault());
        assertThatThrownBy(() -> untrusting.verify(issuer.token(first, Map.of())))
                .hasMessage("the OIDC issuer " + issuer.url() + " has not been reachable yet, so its keys are unknown");
        assertThat(issuer.jwksFetches()).isZero();
    }

    @Test
    void onlyHttpsIssuersAreAccepted() {
        assertThatThrownBy(() -> new OidcSettings(URI.create("http://issuer.example"), Optional.empty(), "multikube",
                "sub", Optional.empty(), Optional.empty(), "", List.of("RS256"), Map.of(), "ctx"))
                .hasMessage("--oidc-issuer-url: http://issuer.example (expected: an https:// URL)");
    }

    @Test
    void theIssuerChoosesTheVerifierAndMultikubeTokensStillGoToTheSigners() {
        OidcVerifier oidc = verifier();
        List<String> toSigners = new java.util.ArrayList<>();
        TokenVerifier signers = token -> {
            toSigners.add(token);
            throw new RouterException.Unauthorized("not a signer token");
        };
        IssuerRouting routing = new IssuerRouting(oidc, signers);

        assertThat(routing.verify(issuer.token(first, Map.of())).subject()).endsWith("#u-1");
        assertThat(toSigners).isEmpty();
        String other = issuer.token(first, Map.of("iss", "multikube"));
        assertThatThrownBy(() -> routing.verify(other)).hasMessage("not a signer token");
        assertThat(toSigners).containsExactly(other);
    }
}
