package io.multikube.pki;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A private key and the certificate of its public key. */
public record KeyAndCertificate(PrivateKey key, X509Certificate certificate) {
    public KeyAndCertificate {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(certificate, "certificate");
    }

    public KeyPair keyPair() {
        return new KeyPair(certificate.getPublicKey(), key);
    }

    public String certificatePem() {
        return Pem.write(certificate);
    }

    public String keyPem() {
        return Pem.write(key);
    }
}
