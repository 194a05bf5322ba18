package io.multikube.kubeconfig;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;

/**
 * The PEM forms a kubeconfig's client key comes in, each written out explicitly from the key's DER so the test
 * does not depend on what a PEM writer picks (Bouncy Castle's writer turns a PKCS#8 EC key into SEC1 without
 * the curve, which nothing can read back).
 */
enum KeyForm {
    PKCS1_RSA(KeyType.RSA_2048, "RSA PRIVATE KEY"),
    PKCS8_RSA(KeyType.RSA_2048, "PRIVATE KEY"),
    SEC1_EC(KeyType.EC_P256, "EC PRIVATE KEY"),
    PKCS8_EC(KeyType.EC_P256, "PRIVATE KEY");

    final KeyType keyType;
    final String pemType;

    KeyForm(KeyType keyType, String pemType) {
        this.keyType = keyType;
        this.pemType = pemType;
    }

    /** The identity's private key as PEM in this form. */
    String pem(KeyAndCertificate identity) {
        PrivateKey key = identity.key();
        PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(key.getEncoded());
        try {
            byte[] der = switch (this) {
                case PKCS8_RSA, PKCS8_EC -> key.getEncoded();
                case PKCS1_RSA -> pkcs8.parsePrivateKey().toASN1Primitive().getEncoded(); // RSAPrivateKey
                case SEC1_EC -> sec1((ECPrivateKey) key, pkcs8, identity);
            };
            return write(new PemObject(pemType, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 5915 ECPrivateKey with the curve and the public key, as openssl writes it. */
    private static byte[] sec1(ECPrivateKey key, PrivateKeyInfo pkcs8, KeyAndCertificate identity)
            throws IOException {
        var publicKey = SubjectPublicKeyInfo.getInstance(identity.certificate().getPublicKey().getEncoded());
        return new org.bouncycastle.asn1.sec.ECPrivateKey(key.getParams().getOrder().bitLength(), key.getS(),
                publicKey.getPublicKeyData(), pkcs8.getPrivateKeyAlgorithm().getParameters()).getEncoded();
    }

    static String pkcs8(PrivateKey key) {
        return write(new PemObject("PRIVATE KEY", key.getEncoded()));
    }

    private static String write(PemObject object) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
