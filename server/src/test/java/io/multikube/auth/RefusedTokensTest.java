package io.multikube.auth;

import static io.multikube.auth.Tokens.NOW;
import static io.multikube.auth.Tokens.b64;
import static io.multikube.auth.Tokens.claims;
import static io.multikube.auth.Tokens.claimsWith;
import static io.multikube.auth.Tokens.claimsWithout;
import static io.multikube.auth.Tokens.header;
import static io.multikube.auth.Tokens.json;
import static io.multikube.auth.Tokens.parts;
import static io.multikube.auth.Tokens.sign;
import static io.multikube.auth.Tokens.signed;
import static io.multikube.auth.Tokens.signer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;

import io.multikube.pki.Certificates;
import io.multikube.pki.KeyType;
import io.multikube.pki.Pem;
import io.multikube.status.RouterException;

/** A named corpus of bad tokens; each must be refused with 401 for its own reason, and no message may leak it. */
class RefusedTokensTest {
    /** Trusts RSA, EC P-256 and EC P-384 keys; P-521 is deliberately absent. */
    private static final JwtVerifier VERIFIER = JwtVerifierTest.verifier(SignerKeys.of(List.of(
            TestKeys.RSA.getPublic(), TestKeys.EC_P256.getPublic(), TestKeys.EC_P384.getPublic())));

    private static final String RSA_KID = TestKeys.kid(TestKeys.RSA);
    private static final String EC_KID = TestKeys.kid(TestKeys.EC_P256);
    private static final String GOOD_RS256 = signed(TestKeys.RSA, JWSAlgorithm.RS256);
    private static final String GOOD_ES256 = signed(TestKeys.EC_P256, JWSAlgorithm.ES256);

    /** A token the corpus's verifier accepts, for tests that must show their setup lets good tokens through. */
    static String goodToken() {
        return GOOD_ES256;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void refuses(String token, String expectedReason) {
        assertThatThrownBy(() -> VERIFIER.verify(token))
                .isInstanceOf(RouterException.Unauthorized.class)
                .hasMessageContaining(expectedReason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void refusesWithoutRepeatingTheToken(String token, String expectedReason) {
        RouterException.Unauthorized refusal = catchThrowableOfType(RouterException.Unauthorized.class,
                () -> VERIFIER.verify(token));

        // Every part long enough to be recognisable; the empty token and tiny parts occur in any text.
        List<String> secrets = new ArrayList<>(List.of(token));
        secrets.addAll(Arrays.asList(parts(token)));
        secrets.removeIf(secret -> secret.length() < 8);
        for (Throwable t = refusal; t != null; t = t.getCause()) {
            for (String secret : secrets) {
                assertThat(t.getMessage()).doesNotContain(secret);
            }
        }
        assertThat(refusal.toStatus().message()).isEqualTo(refusal.getMessage());
    }

    static Stream<Arguments> badTokens() throws Exception {
        List<Arguments> corpus = new ArrayList<>();
        corpus.addAll(malformed());
        corpus.addAll(wrongAlgorithms());
        corpus.addAll(wrongKeys());
        corpus.addAll(badSignatures());
        corpus.addAll(forbiddenHeaders());
        corpus.addAll(badTimes());
        corpus.addAll(badClaims());
        return corpus.stream();
    }

    private static List<Arguments> malformed() throws JOSEException {
        String[] good = parts(GOOD_RS256);
        JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
                new Payload(json(claims())));
        jwe.encrypt(new RSAEncrypter((RSAPublicKey) TestKeys.RSA.getPublic()));
        return List.of(
                bad("empty token", "", "token is empty"),
                bad("one part", "abcdefghijkl", "token has 1 dot-separated part(s)"),
                bad("two parts", good[0] + "." + good[1], "token has 2 dot-separated part(s)"),
                bad("four parts", GOOD_RS256 + ".AAAA", "token has 4 dot-separated part(s)"),
                bad("JWE encrypted to the signer's RSA key", jwe.serialize(), "token is encrypted (JWE)"),
                bad("JWE header in a three-part token",
                        b64("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\"}") + "." + good[1] + "." + good[2],
                        "JWE (encryption) header"),
                bad("JWS JSON serialization", "{\"payload\":\"" + good[1] + "\",\"protected\":\"" + good[0]
                        + "\",\"signature\":\"" + good[2] + "\"}", "dot-separated part(s)"),
                bad("base64 padding on the signature", GOOD_RS256 + "==", "token signature is not base64url"),
                bad("standard base64 characters in the payload", good[0] + "." + good[1] + "+/." + good[2],
                        "token payload is not base64url"),
                bad("whitespace inside the header", good[0].substring(0, 5) + " " + good[0].substring(5) + "."
                        + good[1] + "." + good[2], "token header is not base64url"),
                bad("header that is not JSON", b64("not json at all") + "." + good[1] + "." + good[2],
                        "token header is not a JOSE header"),
                bad("header that is a JSON array", b64("[\"RS256\"]") + "." + good[1] + "." + good[2],
                        "token header is not a JOSE header"),
                bad("header without alg", b64("{\"typ\":\"JWT\"}") + "." + good[1] + "." + good[2],
                        "token header is not a JOSE header"),
                bad("empty header", "." + good[1] + "." + good[2], "token header is empty"),
                bad("empty payload", good[0] + ".." + good[2], "token payload is empty"),
                bad("longer than 64 KiB", good[0] + "." + "A".repeat(70_000) + "." + good[2], "characters long"));
    }

    private static List<Arguments> wrongAlgorithms() throws JOSEException {
        String payload = json(claims());
        String[] good = parts(GOOD_RS256);
        byte[] rsaPublic = TestKeys.RSA.getPublic().getEncoded();
        byte[] ecPublic = TestKeys.EC_P256.getPublic().getEncoded();
        byte[] rsaPem = Pem.write(TestKeys.RSA.getPublic()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return List.of(
                // Built by hand: Nimbus would refuse to produce these.
                bad("alg none without signature", b64("{\"alg\":\"none\"}") + "." + b64(payload) + ".",
                        "token is unsecured (alg \"none\")"),
                bad("alg none with a copied signature",
                        b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + good[1] + "." + good[2], "unsecured"),
                bad("alg NONE in capitals", b64("{\"alg\":\"NONE\"}") + "." + b64(payload) + "." + good[2],
                        "token algorithm \"NONE\" is not accepted (expected: RS*, PS* or ES*)"),
                // The key-confusion attack: HMAC keyed with the verifier's public key bytes.
                bad("HS256 keyed with the RSA public key (DER)",
                        sign(json(header(JWSAlgorithm.HS256, RSA_KID)), payload, JWSAlgorithm.HS256, new MACSigner(rsaPublic)),
                        "token algorithm \"HS256\" is not accepted (expected: RS*, PS* or ES*)"),
                bad("HS256 keyed with the RSA public key (PEM text), no kid",
                        sign(json(header(JWSAlgorithm.HS256, null)), payload, JWSAlgorithm.HS256, new MACSigner(rsaPem)),
                        "token algorithm \"HS256\" is not accepted"),
                bad("HS256 keyed with the EC public key (DER)",
                        sign(json(header(JWSAlgorithm.HS256, EC_KID)), payload, JWSAlgorithm.HS256, new MACSigner(ecPublic)),
                        "token algorithm \"HS256\" is not accepted"),
                bad("HS384 keyed with the RSA public key",
                        sign(json(header(JWSAlgorithm.HS384, RSA_KID)), payload, JWSAlgorithm.HS384, new MACSigner(rsaPublic)),
                        "token algorithm \"HS384\" is not accepted"),
                bad("HS512 keyed with the RSA public key",
                        sign(json(header(JWSAlgorithm.HS512, RSA_KID)), payload, JWSAlgorithm.HS512, new MACSigner(rsaPublic)),
                        "token algorithm \"HS512\" is not accepted"),
                bad("EdDSA", b64("{\"alg\":\"EdDSA\"}") + "." + b64(payload) + "." + good[2],
                        "token algorithm \"EdDSA\" is not accepted"),
                bad("ES256K", b64("{\"alg\":\"ES256K\"}") + "." + b64(payload) + "." + good[2],
                        "token algorithm \"ES256K\" is not accepted"));
    }

    private static List<Arguments> wrongKeys() {
        String payload = json(claims());
        return List.of(
                bad("RS256 naming the EC key's kid", sign(json(header(JWSAlgorithm.RS256, EC_KID)), payload,
                        JWSAlgorithm.RS256, signer(TestKeys.RSA.getPrivate())),
                        "token algorithm RS256 does not fit signer key " + EC_KID + " (EC P-256) (expected: ES256)"),
                bad("PS256 naming the EC key's kid", sign(json(header(JWSAlgorithm.PS256, EC_KID)), payload,
                        JWSAlgorithm.PS256, signer(TestKeys.RSA.getPrivate())), "does not fit signer key"),
                bad("ES256 naming the RSA key's kid", sign(json(header(JWSAlgorithm.ES256, RSA_KID)), payload,
                        JWSAlgorithm.ES256, signer(TestKeys.EC_P256.getPrivate())),
                        "token algorithm ES256 does not fit signer key " + RSA_KID + " (RSA) (expected: RS* or PS*)"),
                bad("ES384 naming the P-256 key's kid", sign(json(header(JWSAlgorithm.ES384, EC_KID)), payload,
                        JWSAlgorithm.ES384, signer(TestKeys.EC_P384.getPrivate())), "does not fit signer key"),
                bad("ES512 without kid when no P-521 key is trusted", sign(json(header(JWSAlgorithm.ES512, null)),
                        payload, JWSAlgorithm.ES512, signer(TestKeys.EC_P521.getPrivate())),
                        "token algorithm ES512 fits no signer key (configured: "),
                bad("unknown kid", signed(TestKeys.RSA_OTHER, JWSAlgorithm.RS256),
                        "token key id \"" + TestKeys.kid(TestKeys.RSA_OTHER) + "\" is not a signer key (known: "),
                bad("unknown kid with control characters", sign(json(header(JWSAlgorithm.RS256, "k\r\nX-Forged: 1")),
                        payload, JWSAlgorithm.RS256, signer(TestKeys.RSA.getPrivate())),
                        "token key id \"k??X-Forged: 1\" is not a signer key"));
    }

    private static List<Arguments> badSignatures() throws JOSEException {
        String[] rs = parts(GOOD_RS256);
        String[] es = parts(GOOD_ES256);
        String tamperedSub = b64(json(claimsWith("sub", "admin")));
        byte[] der = ECDSA.transcodeSignatureToDER(new Base64URL(es[2]).decode());
        String payload = json(claims());
        return List.of(
                bad("trusted kid, signed by another RSA key", sign(json(header(JWSAlgorithm.RS256, RSA_KID)), payload,
                        JWSAlgorithm.RS256, signer(TestKeys.RSA_OTHER.getPrivate())), "token signature is invalid"),
                bad("no kid, signed by an untrusted EC key", sign(json(header(JWSAlgorithm.ES256, null)), payload,
                        JWSAlgorithm.ES256, signer(TestKeys.EC_P256_OTHER.getPrivate())), "token signature is invalid"),
                bad("payload with one character flipped", rs[0] + "." + flip(rs[1]) + "." + rs[2],
                        "token signature is invalid"),
                bad("payload re-encoded with sub admin", rs[0] + "." + tamperedSub + "." + rs[2],
                        "token signature is invalid"),
                bad("header re-encoded with another typ",
                        b64("{\"alg\":\"RS256\",\"kid\":\"" + RSA_KID + "\",\"typ\":\"at+jwt\"}") + "." + rs[1] + "." + rs[2],
                        "token signature is invalid"),
                bad("signature with one character flipped", rs[0] + "." + rs[1] + "." + flip(rs[2]),
                        "token signature is invalid"),
                bad("signature of another token", rs[0] + "." + rs[1] + "."
                        + parts(signed(TestKeys.RSA, JWSAlgorithm.RS256, claimsWith("sub", "bob")))[2],
                        "token signature is invalid"),
                bad("truncated RSA signature", rs[0] + "." + rs[1] + "." + rs[2].substring(0, 40),
                        "token signature is invalid"),
                bad("empty signature", rs[0] + "." + rs[1] + ".", "token has no signature (expected: one made with RS256)"),
                bad("ES256 signature DER-encoded", es[0] + "." + es[1] + "." + Base64URL.encode(der),
                        "token signature is invalid"),
                bad("ES256 all-zero signature (CVE-2022-21449)", es[0] + "." + es[1] + "." + Base64URL.encode(new byte[64]),
                        "token signature is invalid"));
    }

    private static List<Arguments> forbiddenHeaders() throws Exception {
        String payload = json(claims());
        KeyPair attacker = KeyType.RSA_2048.generate();
        var attackerCertificate = Certificates.selfSignedCa("attacker", KeyType.EC_P256, Duration.ofDays(1));
        Map<String, Object> jwk = header(JWSAlgorithm.RS256, null);
        jwk.put("jwk", new RSAKey.Builder((RSAPublicKey) attacker.getPublic()).build().toJSONObject());
        Map<String, Object> jku = header(JWSAlgorithm.RS256, RSA_KID);
        jku.put("jku", URI.create("https://attacker.example/jwks.json").toString());
        Map<String, Object> x5u = header(JWSAlgorithm.RS256, RSA_KID);
        x5u.put("x5u", "https://attacker.example/signer.pem");
        Map<String, Object> x5c = header(JWSAlgorithm.ES256, null);
        x5c.put("x5c", List.of(Base64.encode(attackerCertificate.certificate().getEncoded()).toString()));
        Map<String, Object> critExp = header(JWSAlgorithm.RS256, RSA_KID);
        critExp.put("crit", List.of("exp"));
        critExp.put("exp", NOW.getEpochSecond());
        Map<String, Object> critUnknown = header(JWSAlgorithm.RS256, RSA_KID);
        critUnknown.put("crit", List.of("urn:example:policy"));
        critUnknown.put("urn:example:policy", "strict");
        Map<String, Object> critNull = header(JWSAlgorithm.RS256, RSA_KID);
        critNull.put("crit", java.util.Arrays.asList(null, "exp"));
        Map<String, Object> unencoded = header(JWSAlgorithm.RS256, RSA_KID);
        unencoded.put("b64", false);
        unencoded.put("crit", List.of("b64"));
        return List.of(
                bad("jwk header with the attacker's key, signed by it",
                        sign(json(jwk), payload, JWSAlgorithm.RS256, signer(attacker.getPrivate())),
                        "token header carries jwk, which is not accepted"),
                bad("jku header", sign(json(jku), payload, JWSAlgorithm.RS256, signer(TestKeys.RSA.getPrivate())),
                        "token header carries jku, which is not accepted"),
                bad("x5u header", sign(json(x5u), payload, JWSAlgorithm.RS256, signer(TestKeys.RSA.getPrivate())),
                        "token header carries x5u, which is not accepted"),
                bad("x5c header with the attacker's certificate, signed by its key",
                        sign(json(x5c), payload, JWSAlgorithm.ES256, signer(attackerCertificate.key())),
                        "token header carries x5c, which is not accepted"),
                bad("crit holding null (a fuzzing finding: once a NullPointerException)",
                        sign(json(critNull), payload, JWSAlgorithm.RS256, signer(TestKeys.RSA.getPrivate())),
                        "token header marks \"exp\", \"null\" critical, which is not understood"),
                bad("crit naming exp", sign(json(critExp), payload, JWSAlgorithm.RS256, signer(TestKeys.RSA.getPrivate())),
                        "token header marks \"exp\" critical, which is not understood"),
                bad("crit naming an unknown extension",
                        sign(json(critUnknown), payload, JWSAlgorithm.RS256, signer(TestKeys.RSA.getPrivate())),
                        "token header marks \"urn:example:policy\" critical"),
                bad("unencoded payload (b64 false, RFC 7797)",
                        sign(json(unencoded), payload, JWSAlgorithm.RS256, signer(TestKeys.RSA.getPrivate())),
                        "critical, which is not understood"));
    }

    private static List<Arguments> badTimes() {
        return List.of(
                bad("expired beyond the skew", es(claimsWith("exp", NOW.minusSeconds(61).getEpochSecond())),
                        "token expired at 2026-03-01T11:58:59Z"),
                bad("expired a year ago", es(claimsWith("exp", NOW.minusSeconds(365L * 86400).getEpochSecond())),
                        "token expired at 2025-03-01T12:00:00Z"),
                bad("not valid before, beyond the skew", es(claimsWith("nbf", NOW.plusSeconds(61).getEpochSecond())),
                        "token is not valid before 2026-03-01T12:01:01Z"),
                bad("no exp", es(claimsWithout("exp")), "token has no exp claim"),
                bad("exp null", es(claimsWith("exp", null)), "token claim exp is null"),
                bad("exp as a string", es(claimsWith("exp", "2026-03-02T00:00:00Z")), "token claim exp is a string"),
                bad("exp as a boolean", es(claimsWith("exp", true)), "token claim exp is a boolean"),
                bad("exp beyond the range of Instant", es(claimsWith("exp", 1e300)), "token claim exp is out of range"),
                bad("nbf as a string", es(claimsWith("nbf", "now")), "token claim nbf is a string"),
                bad("iat in the future beyond the skew", es(claimsWith("iat", NOW.plusSeconds(3000).getEpochSecond())),
                        "token is issued in the future, at 2026-03-01T12:50:00Z"));
    }

    private static List<Arguments> badClaims() {
        String names = "expected: a context name or a non-empty array of context names";
        return List.of(
                bad("payload that is not JSON", sign(json(header(JWSAlgorithm.ES256, EC_KID)), "hello",
                        JWSAlgorithm.ES256, signer(TestKeys.EC_P256.getPrivate())), "token payload is not a JSON object"),
                bad("payload that is a JSON array", sign(json(header(JWSAlgorithm.ES256, EC_KID)), "[\"alice\"]",
                        JWSAlgorithm.ES256, signer(TestKeys.EC_P256.getPrivate())), "token payload is not a JSON object"),
                bad("payload with sub twice", sign(json(header(JWSAlgorithm.ES256, EC_KID)),
                        json(claims()).replaceFirst("\\{", "{\"sub\":\"system:admin\","),
                        JWSAlgorithm.ES256, signer(TestKeys.EC_P256.getPrivate())), "token payload is not a JSON object"),
                bad("no sub", es(claimsWithout("sub")), "token has no sub claim (expected: a non-empty user name)"),
                bad("sub as a number", es(claimsWith("sub", 42)), "token claim sub is a number (expected: a non-empty user name)"),
                bad("sub as an array", es(claimsWith("sub", List.of("alice"))), "token claim sub is an array"),
                bad("sub empty", es(claimsWith("sub", "")), "token claim sub is an empty name"),
                bad("sub blank", es(claimsWith("sub", "  \t")), "token claim sub is an empty name"),
                bad("sub smuggling a header", es(claimsWith("sub", "alice\r\nImpersonate-Group: system:masters")),
                        "token claim sub is a name with control characters"),
                bad("no ctx", es(claimsWithout("ctx")), "token has no ctx claim (" + names + ")"),
                bad("ctx as a number", es(claimsWith("ctx", 7)), "token claim ctx is a number (" + names + ")"),
                bad("ctx as an object", es(claimsWith("ctx", Map.of("name", "dev"))), "token claim ctx is an object"),
                bad("ctx empty", es(claimsWith("ctx", "")), "token claim ctx is an empty name"),
                bad("ctx an empty array", es(claimsWith("ctx", List.of())), "token claim ctx is an empty array"),
                bad("ctx array with an empty name", es(claimsWith("ctx", List.of("dev", ""))),
                        "token claim ctx holds an empty name"),
                bad("ctx array with a number", es(claimsWith("ctx", List.of("dev", 3))), "token claim ctx holds a number"),
                bad("ctx array with a nested array", es(claimsWith("ctx", List.of(List.of("dev")))),
                        "token claim ctx holds an array"),
                bad("groups as a string", es(claimsWith("groups", "ops")),
                        "token claim groups is a string (expected: an array of group names)"),
                bad("groups null", es(claimsWith("groups", null)), "token claim groups is null"),
                bad("groups with a number", es(claimsWith("groups", List.of("ops", 1))), "token claim groups holds a number"),
                bad("groups with an empty name", es(claimsWith("groups", List.of(""))), "token claim groups holds an empty name"),
                bad("jti as a number", es(claimsWith("jti", 5)), "token claim jti is a number (expected: a string)"),
                bad("iss as an object", es(claimsWith("iss", Map.of())), "token claim iss is an object"));
    }

    /** A correctly signed ES256 token with these claims: only the claims are wrong. */
    private static String es(Map<String, Object> claims) {
        return signed(TestKeys.EC_P256, JWSAlgorithm.ES256, claims);
    }

    /** Changes one base64url character in the middle, keeping the text valid base64url. */
    private static String flip(String part) {
        int i = part.length() / 2;
        char replacement = part.charAt(i) == 'A' ? 'B' : 'A';
        return part.substring(0, i) + replacement + part.substring(i + 1);
    }

    private static Arguments bad(String name, String token, String expectedReason) {
        return Arguments.of(Named.of(name, token), expectedReason);
    }
}
