package io.multikube.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.util.JSONObjectUtils;

import io.multikube.status.RouterException;

/**
 * Coverage-guided fuzzing of the token verifier (signer keys). Two questions: can any string get in without our
 * key's signature (no), and when our key did sign a header and claims the fuzzer chose, does a token pass only
 * with the header and claims the rules allow? A refusal is always {@link RouterException.Unauthorized}; any other
 * exception, a hang or an identity the claims do not support is a finding.
 *
 * <p>Every build replays the corpus in {@code TokenVerifierFuzzTestInputs}; {@code scripts/fuzz.sh} fuzzes.
 */
class TokenVerifierFuzzTest {
    private static final KeyPair KEYS = TestKeys.EC_P256;
    private static final JwtVerifier VERIFIER = JwtVerifierTest.verifier(
            SignerKeys.of(List.of((ECPublicKey) KEYS.getPublic())));
    private static final List<String> ALGORITHMS = List.of("ES256", "ES384", "RS256", "HS256", "none", "NONE",
            "es256", "EdDSA", "");
    private static final List<String> HEADER_NAMES = List.of("alg", "kid", "typ", "crit", "jku", "jwk", "x5u",
            "x5c", "b64", "cty", "zip");
    private static final List<String> CLAIM_NAMES = List.of("sub", "ctx", "groups", "exp", "nbf", "iat", "uid",
            "jti", "iss", "aud", "cfp");

    @FuzzTest(maxDuration = "30s")
    void noStringPassesWithoutOurSignature(FuzzedDataProvider data) {
        String token = data.consumeRemainingAsString();
        try {
            Identity identity = VERIFIER.verify(token);
            throw new AssertionError("accepted a token we never signed as " + identity);
        } catch (RouterException.Unauthorized refused) {
            assertThat(refused.getMessage()).doesNotContain(token.length() > 20 ? token : "\u0000never");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void aSignedTokenPassesOnlyWithAllowedHeaderAndClaims(FuzzedDataProvider data) {
        Map<String, Object> header = new java.util.LinkedHashMap<>();
        header.put("alg", data.consumeBoolean() ? "ES256" : data.pickValue(ALGORITHMS));
        int extraHeaders = data.consumeInt(0, 3);
        for (int i = 0; i < extraHeaders; i++) {
            header.put(data.pickValue(HEADER_NAMES), value(data, 0));
        }
        Map<String, Object> claims = new java.util.LinkedHashMap<>();
        long now = Tokens.NOW.getEpochSecond();
        claims.put("sub", data.consumeBoolean() ? "alice" : value(data, 0));
        claims.put("ctx", data.consumeBoolean() ? "a" : value(data, 0));
        claims.put("exp", data.consumeBoolean() ? now + 3600 : value(data, 0));
        int extraClaims = data.consumeInt(0, 4);
        for (int i = 0; i < extraClaims; i++) {
            claims.put(data.pickValue(CLAIM_NAMES), value(data, 0));
        }
        String token = signed(JSONObjectUtils.toJSONString(header), JSONObjectUtils.toJSONString(claims));

        Identity identity;
        try {
            identity = VERIFIER.verify(token);
        } catch (RouterException.Unauthorized refused) {
            return;
        }

        assertThat(header.get("alg")).isEqualTo("ES256");
        // Present with a value; JSON null carries no key and no pointer (Nimbus reads it as absent).
        for (String pointer : List.of("crit", "jku", "jwk", "x5u", "x5c")) {
            assertThat(header.get(pointer)).as("header %s", pointer).isNull();
        }
        assertThat(header.get("b64")).isNotEqualTo(false);
        assertThat(claims.get("sub")).isInstanceOf(String.class).isEqualTo(identity.subject());
        assertThat(identity.subject()).isNotBlank();
        assertThat(claims.get("exp")).isInstanceOf(Number.class);
        assertThat(((Number) claims.get("exp")).longValue()).isGreaterThan(now - 60);
        Object ctx = claims.get("ctx");
        assertThat(identity.contexts()).isEqualTo(firstOfEach(ctx instanceof List<?> list ? list : List.of(ctx)));
        assertThat(identity.contexts()).allSatisfy(name -> assertThat(name).isNotBlank());
        Object groups = claims.get("groups");
        assertThat(identity.groups()).isEqualTo(groups == null ? List.of() : firstOfEach((List<?>) groups));
    }

    /** Names as the verifier keeps them: a repeated one once, where it first stood (a fuzzer finding, 2026-12-07). */
    private static List<?> firstOfEach(List<?> names) {
        return names.stream().distinct().toList();
    }

    /** A JSON value of any type, so every claim and header meets the wrong ones too. */
    private static Object value(FuzzedDataProvider data, int depth) {
        return switch (data.consumeInt(0, depth < 2 ? 6 : 4)) {
            case 0 -> data.consumeString(40);
            case 1 -> data.consumeLong();
            case 2 -> data.consumeBoolean();
            case 3 -> data.consumeRegularDouble();
            case 4 -> null;
            case 5 -> java.util.Arrays.asList(value(data, depth + 1), value(data, depth + 1));
            default -> Map.of(data.consumeString(8), String.valueOf(value(data, depth + 1)));
        };
    }

    /** header.payload signed by our key with ES256, whatever the header claims the algorithm is. */
    private static String signed(String headerJson, String claimsJson) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String input = base64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(KEYS.getPrivate());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + base64.encodeToString(ECDSA.transcodeSignatureToConcat(signature.sign(), 64));
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
