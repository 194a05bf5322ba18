package io.multikube.auth;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * Key ids: the RFC 7638 JWK thumbprint (SHA-256, base64url) of a public key. A minter holding the private key and
 * a verifier holding the certificate derive the same {@code kid} without exchanging anything.
 */
public final class KeyIds {
    private KeyIds() {
    }

    /** The thumbprint of an RSA or EC (P-256, P-384, P-521) public key. */
    public static String of(PublicKey key) {
        Objects.requireNonNull(key, "key");
        KeyKind kind = KeyKind.of(key);
        JWK jwk = switch (kind) {
            case RSA -> new RSAKey.Builder((RSAPublicKey) key).build();
            case EC_P256, EC_P384, EC_P521 -> {
                ECPublicKey ec = (ECPublicKey) key;
                yield new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
            }
        };
        try {
            return jwk.computeThumbprint("SHA-256").toString();
        } catch (JOSEException e) {
            // SHA-256 is mandatory in every JDK; reaching this means a broken runtime, not a bad key.
            throw new IllegalStateException("cannot compute the SHA-256 thumbprint of a " + kind + " key", e);
        }
    }
}
