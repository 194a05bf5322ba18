package io.multikube.auth;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Objects;

import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Derives the public key of a private key, so a minter can compute its {@code kid} from a single key file:
 * RSA from the CRT parameters (modulus and public exponent), EC as d·G on the key's curve (Bouncy Castle's
 * point arithmetic).
 */
final class PublicKeys {
    private PublicKeys() {
    }

    static PublicKey derive(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        KeyKind.of(key);
        try {
            if (key instanceof RSAPrivateCrtKey rsa) {
                return KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (key instanceof ECPrivateKey ec) {
                ECParameterSpec params = ec.getParams();
                var generator = EC5Util.convertPoint(params, params.getGenerator());
                var point = new FixedPointCombMultiplier().multiply(generator, ec.getS()).normalize();
                return KeyFactory.getInstance("EC")
                        .generatePublic(new ECPublicKeySpec(EC5Util.convertPoint(point), params));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot derive the public key of a " + key.getAlgorithm()
                    + " private key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("cannot derive the public key of an RSA private key without CRT "
                + "parameters (expected: a PKCS#1 or PKCS#8 key with them, or the public key passed alongside)");
    }

    /** Whether the public key belongs to the private key; compares the public parts, which both carry. */
    static boolean match(PrivateKey key, PublicKey publicKey) {
        if (key instanceof RSAPrivateKey rsa && publicKey instanceof RSAPublicKey rsaPublic) {
            return rsa.getModulus().equals(rsaPublic.getModulus())
                    && (!(key instanceof RSAPrivateCrtKey crt)
                    || crt.getPublicExponent().equals(rsaPublic.getPublicExponent()));
        }
        if (key instanceof ECPrivateKey && publicKey instanceof ECPublicKey ecPublic) {
            ECPublicKey derived = (ECPublicKey) derive(key);
            return derived.getW().equals(ecPublic.getW()) && sameCurve(derived, ecPublic);
        }
        return false;
    }

    private static boolean sameCurve(ECPublicKey a, ECPublicKey b) {
        BigInteger orderA = a.getParams().getOrder();
        return orderA.equals(b.getParams().getOrder()) && a.getParams().getCurve().equals(b.getParams().getCurve());
    }
}
