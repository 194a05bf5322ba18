package io.multikube.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Reads and writes PEM: certificates, private keys (PKCS#1 RSA, PKCS#8, SEC1 EC) and public keys.
 * Bouncy Castle parses, so every form a kubeconfig or openssl produces is understood.
 */
public final class Pem {
    private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();
    private static final JcaX509CertificateConverter CERTIFICATES = new JcaX509CertificateConverter();

    private Pem() {
    }

    /** Every certificate in the text, in order; fails when there is none. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> result = new ArrayList<>();
        for (Object object : objects(pem)) {
            if (object instanceof X509CertificateHolder holder) {
                result.add(certificate(holder));
            }
        }
        if (result.isEmpty()) {
            throw new PemException("no CERTIFICATE block found (expected: PEM \"BEGIN CERTIFICATE\")");
        }
        return List.copyOf(result);
    }

    /** The first private key in the text: PKCS#8, PKCS#1 RSA or SEC1 EC. */
    public static PrivateKey privateKey(String pem) {
        for (Object object : objects(pem)) {
            try {
                if (object instanceof PEMKeyPair pair) {
                    return KEYS.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PrivateKeyInfo info) {
                    return KEYS.getPrivateKey(info);
                }
            } catch (IOException e) {
                throw new PemException("private key cannot be read: " + e.getMessage(), e);
            }
        }
        throw new PemException("no private key found (expected: PEM \"BEGIN PRIVATE KEY\", "
                + "\"BEGIN RSA PRIVATE KEY\" or \"BEGIN EC PRIVATE KEY\"; encrypted keys are not supported)");
    }

    /** The public key of the first certificate or public key block in the text. */
    public static PublicKey publicKey(String pem) {
        for (Object object : objects(pem)) {
            try {
                if (object instanceof X509CertificateHolder holder) {
                    return certificate(holder).getPublicKey();
                }
                if (object instanceof SubjectPublicKeyInfo info) {
                    return KEYS.getPublicKey(info);
                }
            } catch (IOException e) {
                throw new PemException("public key cannot be read: " + e.getMessage(), e);
            }
        }
        throw new PemException("no certificate or public key found "
                + "(expected: PEM \"BEGIN CERTIFICATE\" or \"BEGIN PUBLIC KEY\")");
    }

    /** PEM text of certificates, keys (private keys as PKCS#8) or public keys. */
    public static String write(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                if (object instanceof PrivateKey key) {
                    // PKCS#8 ("PRIVATE KEY") keeps the EC curve; BC's SEC1 form of a JDK EC key would lose it.
                    writer.writeObject(new JcaPKCS8Generator(key, null));
                } else {
                    writer.writeObject(object);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static List<Object> objects(String pem) {
        Objects.requireNonNull(pem, "pem");
        List<Object> result = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                result.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new PemException("malformed PEM: " + e.getMessage(), e);
        }
        return result;
    }

    private static X509Certificate certificate(X509CertificateHolder holder) {
        try {
            return CERTIFICATES.getCertificate(holder);
        } catch (CertificateException e) {
            throw new PemException("certificate cannot be read: " + e.getMessage(), e);
        }
    }
}
