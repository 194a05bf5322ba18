package io.multikube.auth;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Builds test tokens by hand: header JSON and payload JSON are base64url-encoded as given and signed over exactly
 * those bytes, so a test can produce any header or claim, valid or not.
 */
final class Tokens {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Duration SKEW = Duration.ofSeconds(60);

    private Tokens() {
    }

    /** Claims of a good token: alice in dev, group ops, valid from 10 s ago for an hour. */
    static Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "alice");
        claims.put("ctx", "dev");
        claims.put("groups", List.of("ops"));
        claims.put("iat", NOW.minusSeconds(10).getEpochSecond());
        claims.put("nbf", NOW.minusSeconds(10).getEpochSecond());
        claims.put("exp", NOW.plusSeconds(3600).getEpochSecond());
        claims.put("jti", "token-1");
        claims.put("iss", "multikube");
        return claims;
    }

    static Map<String, Object> claimsWith(String name, Object value) {
        Map<String, Object> claims = claims();
        claims.put(name, value);
        return claims;
    }

    static Map<String, Object> claimsWithout(String name) {
        Map<String, Object> claims = claims();
        claims.remove(name);
        return claims;
    }

    /** A header {@code {"alg":..,"kid":..,"typ":"JWT"}}; kid omitted when null. */
    static Map<String, Object> header(JWSAlgorithm algorithm, String kid) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", algorithm.getName());
        if (kid != null) {
            header.put("kid", kid);
        }
        header.put("typ", "JWT");
        return header;
    }

    /** A good token with the key's kid. */
    static String signed(KeyPair keys, JWSAlgorithm algorithm) {
        return signed(keys, algorithm, claims());
    }

    static String signed(KeyPair keys, JWSAlgorithm algorithm, Map<String, Object> claims) {
        return sign(json(header(algorithm, TestKeys.kid(keys))), json(claims), algorithm, signer(keys.getPrivate()));
    }

    static String json(Map<String, Object> object) {
        return JSONObjectUtils.toJSONString(object);
    }

    /** header.payload.signature over exactly these JSON texts, signed with {@code algorithm}. */
    static String sign(String headerJson, String payloadJson, JWSAlgorithm algorithm, JWSSigner signer) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        try {
            Base64URL signature = signer.sign(new JWSHeader(algorithm), input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + signature;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(String text) {
        return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static JWSSigner signer(PrivateKey key) {
        try {
            return key instanceof ECPrivateKey ec ? new ECDSASigner(ec) : new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String[] parts(String token) {
        return token.split("\\.", -1);
    }
}
