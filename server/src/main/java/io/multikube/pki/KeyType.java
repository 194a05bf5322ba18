package io.multikube.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Key types multikube generates, with the signature algorithm its certificates use. */
public enum KeyType {
    RSA_2048("RSA", 2048, null, "SHA256withRSA"),
    RSA_3072("RSA", 3072, null, "SHA256withRSA"),
    EC_P256("EC", 0, "secp256r1", "SHA256withECDSA"),
    EC_P384("EC", 0, "secp384r1", "SHA384withECDSA"),
    EC_P521("EC", 0, "secp521r1", "SHA512withECDSA");

    private final String algorithm;
    private final int bits;
    private final String curve;
    private final String signatureAlgorithm;

    KeyType(String algorithm, int bits, String curve, String signatureAlgorithm) {
        this.algorithm = algorithm;
        this.bits = bits;
        this.curve = curve;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    public KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (curve == null) {
                generator.initialize(bits);
            } else {
                generator.initialize(new ECGenParameterSpec(curve));
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + this + " key", e);
        }
    }

    String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    static KeyType signing(java.security.PrivateKey key) {
        return "EC".equals(key.getAlgorithm()) ? EC_P256 : RSA_2048;
    }
}
