package io.multikube.auth;

import static io.multikube.auth.Tokens.CLOCK;
import static io.multikube.auth.Tokens.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPrivateKeySpec;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.multikube.pki.KeyType;
import io.multikube.pki.Pem;

class TokenMinterTest {
    private static final TokenRequest ALICE_IN_DEV = new TokenRequest("alice", List.of("dev"), List.of("ops"),
            Duration.ofHours(1), Optional.empty());
    private static final SignerKeys ALL_TYPES = SignerKeys.of(List.of(TestKeys.RSA.getPublic(),
            TestKeys.EC_P256.getPublic(), TestKeys.EC_P384.getPublic(), TestKeys.EC_P521.getPublic()));

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"RSA, RS256", "EC_P256, ES256", "EC_P384, ES384", "EC_P521, ES512"})
    void mintsTokensTheVerifierAccepts(String keys, String algorithm) throws Exception {
        KeyPair pair = (KeyPair) TestKeys.class.getDeclaredField(keys).get(null);
        TokenMinter minter = new TokenMinter(pair.getPrivate(), pair.getPublic(), CLOCK);

        String token = minter.mint(ALICE_IN_DEV);

        assertThat(minter.algorithm()).isEqualTo(algorithm);
        assertThat(SignedJWT.parse(token).getHeader().getAlgorithm().getName()).isEqualTo(algorithm);
        assertThat(JwtVerifierTest.verifier(ALL_TYPES).verify(token))
                .isEqualTo(new Identity("alice", List.of("ops"), List.of("dev"),
                        Optional.of(claims(token).getJWTID()), Optional.of("multikube"),
                        Optional.of(NOW.plus(Duration.ofHours(1)))));
    }

    @Test
    void setsTheKeyThumbprintAsKidAndJwtAsTyp() throws Exception {
        TokenMinter minter = new TokenMinter(TestKeys.EC_P384.getPrivate(), TestKeys.EC_P384.getPublic(), CLOCK);

        SignedJWT jwt = SignedJWT.parse(minter.mint(ALICE_IN_DEV));

        assertThat(jwt.getHeader().getKeyID()).isEqualTo(TestKeys.kid(TestKeys.EC_P384)).isEqualTo(minter.keyId());
        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
    }

    @Test
    void writesOneContextAsAString() throws Exception {
        Object ctx = claims(minter().mint(ALICE_IN_DEV)).getClaim("ctx");

        assertThat(ctx).isEqualTo("dev");
    }

    @Test
    void writesSeveralContextsAsAnArray() throws Exception {
        TokenRequest request = new TokenRequest("alice", List.of("dev", "prod"), List.of(), Duration.ofHours(1),
                Optional.empty());

        String token = minter().mint(request);

        assertThat(claims(token).getClaim("ctx")).isEqualTo(List.of("dev", "prod"));
        assertThat(JwtVerifierTest.verifier(ALL_TYPES).verify(token).contexts()).containsExactly("dev", "prod");
    }

    @Test
    void omitsGroupsWhenThereAreNone() throws Exception {
        TokenRequest request = new TokenRequest("alice", List.of("dev"), List.of(), Duration.ofHours(1), Optional.empty());

        assertThat(claims(minter().mint(request)).getClaims()).doesNotContainKey("groups");
    }

    @Test
    void writesTimesIssuerAndIdentifier() throws Exception {
        JWTClaimsSet claims = claims(minter().mint(ALICE_IN_DEV));

        assertThat(claims.getIssueTime()).isEqualTo(Date.from(NOW));
        assertThat(claims.getNotBeforeTime()).isEqualTo(Date.from(NOW));
        assertThat(claims.getExpirationTime()).isEqualTo(Date.from(NOW.plusSeconds(3600)));
        assertThat(claims.getIssuer()).isEqualTo("multikube");
        assertThat(claims.getJWTID()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(claims.getAudience()).isEmpty();
    }

    @Test
    void givesEachTokenItsOwnJti() throws Exception {
        TokenMinter minter = minter();

        assertThat(claims(minter.mint(ALICE_IN_DEV)).getJWTID()).isNotEqualTo(claims(minter.mint(ALICE_IN_DEV)).getJWTID());
    }

    @Test
    void writesTheAudienceWhenGiven() throws Exception {
        TokenRequest request = new TokenRequest("alice", List.of("dev"), List.of(), Duration.ofHours(1),
                Optional.of("https://multikube.example"));

        assertThat(claims(minter().mint(request)).getAudience()).containsExactly("https://multikube.example");
    }

    @Test
    void derivesTheKidOfAnRsaKeyFromThePrivateKey() {
        assertThat(new TokenMinter(TestKeys.RSA.getPrivate()).keyId()).isEqualTo(TestKeys.kid(TestKeys.RSA));
    }

    @Test
    void derivesTheKidOfEcKeysFromThePrivateKey() {
        for (KeyPair pair : List.of(TestKeys.EC_P256, TestKeys.EC_P384, TestKeys.EC_P521)) {
            assertThat(new TokenMinter(pair.getPrivate()).keyId()).isEqualTo(TestKeys.kid(pair));
        }
    }

    @Test
    void refusesAPublicKeyOfAnotherPair() {
        assertThatThrownBy(() -> new TokenMinter(TestKeys.EC_P256.getPrivate(), TestKeys.EC_P256_OTHER.getPublic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("public key " + TestKeys.kid(TestKeys.EC_P256_OTHER)
                        + " does not belong to the EC P-256 private key");
    }

    @Test
    void refusesAPublicKeyOfAnotherType() {
        assertThatThrownBy(() -> new TokenMinter(TestKeys.RSA.getPrivate(), TestKeys.EC_P256.getPublic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to the RSA private key");
    }

    @Test
    void needsThePublicKeyForAnRsaKeyWithoutCrtParameters() throws Exception {
        RSAPrivateCrtKey crt = (RSAPrivateCrtKey) TestKeys.RSA.getPrivate();
        PrivateKey bare = KeyFactory.getInstance("RSA")
                .generatePrivate(new RSAPrivateKeySpec(crt.getModulus(), crt.getPrivateExponent()));

        assertThatThrownBy(() -> new TokenMinter(bare))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without CRT parameters");
        assertThat(new TokenMinter(bare, TestKeys.RSA.getPublic()).keyId()).isEqualTo(TestKeys.kid(TestKeys.RSA));
    }

    @Test
    void refusesAnUnsupportedKey() throws Exception {
        PrivateKey ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();

        assertThatThrownBy(() -> new TokenMinter(ed25519))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not supported");
    }

    @Test
    void readsAPkcs8KeyFile() throws Exception {
        Path file = Files.writeString(dir.resolve("signer.key"), pem("PRIVATE KEY", TestKeys.EC_P521.getPrivate().getEncoded()));

        assertThat(TokenMinter.fromPem(file).keyId()).isEqualTo(TestKeys.kid(TestKeys.EC_P521));
    }

    @Test
    void readsASec1EcKeyFile() throws Exception {
        Path file = Files.writeString(dir.resolve("ec.key"), sec1Pem((ECPrivateKey) TestKeys.EC_P256.getPrivate()));

        assertThat(Files.readString(file)).contains("BEGIN EC PRIVATE KEY");
        assertThat(TokenMinter.fromPem(file).keyId()).isEqualTo(TestKeys.kid(TestKeys.EC_P256));
    }

    @Test
    void readsAPkcs1RsaKeyFile() throws Exception {
        Path file = Files.writeString(dir.resolve("rsa.key"), traditionalPem(TestKeys.RSA.getPrivate()));

        assertThat(Files.readString(file)).contains("BEGIN RSA PRIVATE KEY");
        assertThat(TokenMinter.fromPem(file).keyId()).isEqualTo(TestKeys.kid(TestKeys.RSA));
    }

    @Test
    void namesTheFileWithoutAPrivateKey() throws Exception {
        Path file = Files.writeString(dir.resolve("signer.pub"), Pem.write(TestKeys.RSA.getPublic()));

        assertThatThrownBy(() -> TokenMinter.fromPem(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("signing key file " + file + ": no private key found");
    }

    @Test
    void refusesAnRsaKeyBelow2048Bits() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        PrivateKey small = generator.generateKeyPair().getPrivate();

        assertThatThrownBy(() -> new TokenMinter(small))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("RSA key of 1024 bits is too small");
    }

    @Test
    void mintsWithAFreshlyGeneratedRsa3072Key() {
        KeyPair pair = KeyType.RSA_3072.generate();
        TokenMinter minter = new TokenMinter(pair.getPrivate(), pair.getPublic(), CLOCK);

        Identity identity = JwtVerifierTest.verifier(SignerKeys.of(List.of(pair.getPublic()))).verify(minter.mint(ALICE_IN_DEV));

        assertThat(identity.subject()).isEqualTo("alice");
    }

    private static TokenMinter minter() {
        return new TokenMinter(TestKeys.EC_P256.getPrivate(), TestKeys.EC_P256.getPublic(), CLOCK);
    }

    private static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    private static String pem(String type, byte[] der) throws Exception {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(type, der));
        }
        return text.toString();
    }

    /**
     * SEC1 as openssl writes it, with the curve named inside. Built by hand because Pem.write(ecKey) on JDK 25 loses
     * the curve: the JDK's PKCS#8 encoding names the curve only outside the SEC1 structure it wraps.
     */
    private static String sec1Pem(ECPrivateKey key) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(key.getParams().getOrder().bitLength(), key.getS(), curve);
        return pem("EC PRIVATE KEY", sec1.getEncoded());
    }

    /** PKCS#1, as openssl and kubeadm write RSA keys. */
    private static String traditionalPem(PrivateKey key) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(key);
        }
        return text.toString();
    }
}
