package io.multikube.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class KeyIdsTest {
    // RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
    private static final String RFC_N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1"
            + "L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY"
            + "368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3X"
            + "PksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    private static final String RFC_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    @Test
    void matchesTheRfc7638Example() throws Exception {
        BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(RFC_N));
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, BigInteger.valueOf(65537)));

        assertThat(KeyIds.of(key)).isEqualTo(RFC_THUMBPRINT);
    }

    @Test
    void hashesTheCanonicalJwkOfAnEcP256Key() throws Exception {
        assertThat(KeyIds.of(TestKeys.EC_P256.getPublic()))
                .isEqualTo(ecThumbprint((ECPublicKey) TestKeys.EC_P256.getPublic(), "P-256", 32));
    }

    @Test
    void hashesTheCanonicalJwkOfAnEcP521Key() throws Exception {
        // P-521 coordinates are 66 bytes, left-padded with zeros (RFC 7518 §6.2.1.2).
        assertThat(KeyIds.of(TestKeys.EC_P521.getPublic()))
                .isEqualTo(ecThumbprint((ECPublicKey) TestKeys.EC_P521.getPublic(), "P-521", 66));
    }

    @Test
    void differsBetweenKeys() {
        assertThat(KeyIds.of(TestKeys.EC_P256.getPublic())).isNotEqualTo(KeyIds.of(TestKeys.EC_P256_OTHER.getPublic()));
    }

    @Test
    void refusesUnsupportedKeyTypes() throws Exception {
        PublicKey ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();

        assertThatThrownBy(() -> KeyIds.of(ed25519))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not supported (expected: RSA of at least 2048 bits, or EC P-256, P-384, P-521)");
    }

    /** The RFC 7638 recipe written out: required members in lexicographic order, no whitespace, SHA-256. */
    private static String ecThumbprint(ECPublicKey key, String curve, int length) throws Exception {
        String json = "{\"crv\":\"" + curve + "\",\"kty\":\"EC\",\"x\":\"" + coordinate(key.getW().getAffineX(), length)
                + "\",\"y\":\"" + coordinate(key.getW().getAffineY(), length) + "\"}";
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    }

    private static String coordinate(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, fixed, length - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }
}
