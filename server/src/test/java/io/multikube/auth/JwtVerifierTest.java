package io.multikube.auth;

import static io.multikube.auth.Tokens.CLOCK;
import static io.multikube.auth.Tokens.NOW;
import static io.multikube.auth.Tokens.SKEW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.nimbusds.jose.JWSAlgorithm;

import io.multikube.pki.Certificates;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;
import io.multikube.pki.Pem;
import io.multikube.status.RouterException;

class JwtVerifierTest {
    private static final SignerKeys ALL_TYPES = SignerKeys.of(List.of(TestKeys.RSA.getPublic(),
            TestKeys.EC_P256.getPublic(), TestKeys.EC_P384.getPublic(), TestKeys.EC_P521.getPublic()));

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"})
    void acceptsEveryAsymmetricAlgorithm(String name) {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(name);

        Identity identity = verifier(ALL_TYPES).verify(Tokens.signed(keysFor(algorithm), algorithm));

        assertThat(identity.subject()).isEqualTo("alice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS512", "ES256", "ES384", "ES512"})
    void acceptsATokenWithoutKidByTryingKeysOfItsType(String name) {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(name);
        String token = Tokens.sign(Tokens.json(Tokens.header(algorithm, null)), Tokens.json(Tokens.claims()),
                algorithm, Tokens.signer(keysFor(algorithm).getPrivate()));

        assertThat(verifier(ALL_TYPES).verify(token).subject()).isEqualTo("alice");
    }

    @Test
    void mapsTheClaimsToAnIdentity() {
        Map<String, Object> claims = Tokens.claimsWith("ctx", List.of("dev", "prod"));
        claims.put("groups", List.of("ops", "dev-team"));

        Identity identity = verifier(ALL_TYPES).verify(Tokens.signed(TestKeys.RSA, JWSAlgorithm.RS256, claims));

        assertThat(identity).isEqualTo(new Identity("alice", List.of("ops", "dev-team"), List.of("dev", "prod"),
                Optional.of("token-1"), Optional.of("multikube"), Optional.of(NOW.plusSeconds(3600))));
    }

    @Test
    void readsASingleContextString() {
        Identity identity = verifier(ALL_TYPES).verify(Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256));

        assertThat(identity.contexts()).containsExactly("dev");
    }

    @Test
    void dropsRepeatedContexts() {
        Map<String, Object> claims = Tokens.claimsWith("ctx", List.of("dev", "prod", "dev"));

        Identity identity = verifier(ALL_TYPES).verify(Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256, claims));

        assertThat(identity.contexts()).containsExactly("dev", "prod");
    }

    @Test
    void readsMissingGroupsAsNone() {
        Identity identity = verifier(ALL_TYPES)
                .verify(Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256, Tokens.claimsWithout("groups")));

        assertThat(identity.groups()).isEmpty();
    }

    @Test
    void readsMissingJtiAndIssAsEmpty() {
        Map<String, Object> claims = Tokens.claimsWithout("jti");
        claims.remove("iss");

        Identity identity = verifier(ALL_TYPES).verify(Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256, claims));

        assertThat(identity.tokenId()).isEmpty();
        assertThat(identity.issuer()).isEmpty();
    }

    @Test
    void acceptsATokenVerifiedByACertificateFile() throws Exception {
        KeyAndCertificate ca = Certificates.selfSignedCa("ca", KeyType.EC_P256, Duration.ofDays(1));
        KeyAndCertificate signer = Certificates.issue(ca, "signer", Certificates.Usage.SIGNER, List.of(),
                KeyType.EC_P256, Duration.ofDays(1));
        Path file = Files.writeString(dir.resolve("signer.crt"), signer.certificatePem());

        Identity identity = verifier(SignerKeys.load(List.of(file)))
                .verify(Tokens.signed(signer.keyPair(), JWSAlgorithm.ES256));

        assertThat(identity.subject()).isEqualTo("alice");
    }

    @Test
    void acceptsATokenVerifiedByAPublicKeyFile() throws Exception {
        Path file = Files.writeString(dir.resolve("signer.pub"), Pem.write(TestKeys.RSA.getPublic()));

        Identity identity = verifier(SignerKeys.load(List.of(file)))
                .verify(Tokens.signed(TestKeys.RSA, JWSAlgorithm.PS256));

        assertThat(identity.subject()).isEqualTo("alice");
    }

    @Test
    void picksTheKeyByKidWhileOldAndNewKeysAreBothTrusted() {
        JwtVerifier verifier = verifier(SignerKeys.of(List.of(TestKeys.RSA.getPublic(), TestKeys.RSA_OTHER.getPublic())));

        assertThat(verifier.verify(Tokens.signed(TestKeys.RSA, JWSAlgorithm.RS256)).subject()).isEqualTo("alice");
        assertThat(verifier.verify(Tokens.signed(TestKeys.RSA_OTHER, JWSAlgorithm.RS256)).subject()).isEqualTo("alice");
    }

    @Test
    void triesEveryKeyOfTheTypeForATokenWithoutKid() {
        JwtVerifier verifier = verifier(SignerKeys.of(List.of(TestKeys.EC_P256.getPublic(),
                TestKeys.EC_P256_OTHER.getPublic())));
        String token = Tokens.sign(Tokens.json(Tokens.header(JWSAlgorithm.ES256, null)), Tokens.json(Tokens.claims()),
                JWSAlgorithm.ES256, Tokens.signer(TestKeys.EC_P256_OTHER.getPrivate()));

        assertThat(verifier.verify(token).subject()).isEqualTo("alice");
    }

    @Test
    void acceptsATokenThatExpiredWithinTheSkew() {
        String token = Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256,
                Tokens.claimsWith("exp", NOW.minusSeconds(59).getEpochSecond()));

        assertThat(verifier(ALL_TYPES).verify(token).expiresAt()).contains(NOW.minusSeconds(59));
    }

    @Test
    void refusesATokenThatExpiredBeyondTheSkew() {
        String token = Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256,
                Tokens.claimsWith("exp", NOW.minusSeconds(61).getEpochSecond()));

        assertThatThrownBy(() -> verifier(ALL_TYPES).verify(token))
                .isInstanceOf(RouterException.Unauthorized.class)
                .hasMessage("token expired at 2026-03-01T11:58:59Z (now: 2026-03-01T12:00:00Z, allowed clock skew: 60s)");
    }

    @Test
    void refusesATokenExpiringExactlyAtTheEndOfTheSkew() {
        String token = Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256,
                Tokens.claimsWith("exp", NOW.minusSeconds(60).getEpochSecond()));

        assertThatThrownBy(() -> verifier(ALL_TYPES).verify(token)).hasMessageStartingWith("token expired at");
    }

    @Test
    void acceptsATokenNotYetValidWithinTheSkew() {
        String token = Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256,
                Tokens.claimsWith("nbf", NOW.plusSeconds(60).getEpochSecond()));

        assertThat(verifier(ALL_TYPES).verify(token).subject()).isEqualTo("alice");
    }

    @Test
    void refusesATokenNotYetValidBeyondTheSkew() {
        String token = Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256,
                Tokens.claimsWith("nbf", NOW.plusSeconds(61).getEpochSecond()));

        assertThatThrownBy(() -> verifier(ALL_TYPES).verify(token))
                .isInstanceOf(RouterException.Unauthorized.class)
                .hasMessage("token is not valid before 2026-03-01T12:01:01Z (now: 2026-03-01T12:00:00Z, allowed clock skew: 60s)");
    }

    @Test
    void acceptsATokenIssuedInTheFutureWithinTheSkew() {
        String token = Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256,
                Tokens.claimsWith("iat", NOW.plusSeconds(60).getEpochSecond()));

        assertThat(verifier(ALL_TYPES).verify(token).subject()).isEqualTo("alice");
    }

    @Test
    void acceptsFractionalNumericDates() {
        String token = Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256,
                Tokens.claimsWith("exp", NOW.plusSeconds(100).getEpochSecond() + 0.75));

        assertThat(verifier(ALL_TYPES).verify(token).expiresAt()).contains(NOW.plusSeconds(100));
    }

    @Test
    void acceptsATokenWithoutExpiryWhenAllowed() {
        String token = Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256, Tokens.claimsWithout("exp"));

        Identity identity = new JwtVerifier(ALL_TYPES, CLOCK, SKEW, true).verify(token);

        assertThat(identity.expiresAt()).isEmpty();
    }

    @Test
    void stillRefusesAnExpiredTokenWhenTokensWithoutExpiryAreAllowed() {
        String token = Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256,
                Tokens.claimsWith("exp", NOW.minusSeconds(3600).getEpochSecond()));

        assertThatThrownBy(() -> new JwtVerifier(ALL_TYPES, CLOCK, SKEW, true).verify(token))
                .hasMessageStartingWith("token expired at");
    }

    @Test
    void appliesAZeroSkewExactly() {
        String token = Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256,
                Tokens.claimsWith("nbf", NOW.plusSeconds(1).getEpochSecond()));

        assertThatThrownBy(() -> new JwtVerifier(ALL_TYPES, CLOCK, Duration.ZERO, false).verify(token))
                .hasMessageStartingWith("token is not valid before");
    }

    @Test
    void refusesANegativeSkew() {
        assertThatThrownBy(() -> new JwtVerifier(ALL_TYPES, CLOCK, Duration.ofSeconds(-1), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clock skew: PT-1S (expected: >= 0)");
    }

    @Test
    void readsTheClockAtEachVerification() {
        MutableClock clock = new MutableClock(NOW);
        JwtVerifier verifier = new JwtVerifier(ALL_TYPES, clock, SKEW, false);
        String token = Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256);
        verifier.verify(token);

        clock.set(NOW.plusSeconds(3600 + 60));

        assertThatThrownBy(() -> verifier.verify(token)).hasMessageStartingWith("token expired at");
    }

    @Test
    void remembersAVerifiedTokenWithTheIdentityItNames() {
        JwtVerifier verifier = verifier(ALL_TYPES);
        String token = Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256);

        // The same instance: neither the signature nor the claims were read a second time.
        assertThat(verifier.verify(token)).isSameAs(verifier.verify(token));
    }

    @Test
    void aTokenRefusedForItsClaimsIsRefusedAtEveryUse() {
        JwtVerifier verifier = verifier(ALL_TYPES);
        String token = Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256, Tokens.claimsWithout("sub"));

        for (int use = 0; use < 2; use++) {
            assertThatThrownBy(() -> verifier.verify(token)).hasMessageContaining("sub");
        }
    }

    @Test
    void refusesATamperedCopyOfATokenThatVerifiedBefore() {
        JwtVerifier verifier = verifier(ALL_TYPES);
        String token = Tokens.signed(TestKeys.EC_P256, JWSAlgorithm.ES256);
        verifier.verify(token);
        String[] parts = Tokens.parts(token);
        String otherClaims = Tokens.b64(Tokens.json(Tokens.claimsWith("sub", "mallory")));

        assertThatThrownBy(() -> verifier.verify(parts[0] + "." + otherClaims + "." + parts[2]))
                .hasMessage("token signature is invalid");
    }

    static JwtVerifier verifier(SignerKeys keys) {
        return new JwtVerifier(keys, CLOCK, SKEW, false);
    }

    static KeyPair keysFor(JWSAlgorithm algorithm) {
        return switch (algorithm.getName()) {
            case "ES256" -> TestKeys.EC_P256;
            case "ES384" -> TestKeys.EC_P384;
            case "ES512" -> TestKeys.EC_P521;
            default -> TestKeys.RSA;
        };
    }

    /** A clock a test can move. */
    private static final class MutableClock extends java.time.Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
