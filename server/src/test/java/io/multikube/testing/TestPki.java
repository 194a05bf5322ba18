package io.multikube.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.multikube.pki.Certificates;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;
import io.multikube.pki.Pem;

/** Real certificates for tests: a CA, and server or client certificates it issues, as files and SSLContexts. */
public final class TestPki {
    private static final Duration VALIDITY = Duration.ofDays(1);

    private final KeyAndCertificate ca;

    private TestPki(KeyAndCertificate ca) {
        this.ca = ca;
    }

    public static TestPki create(String name) {
        return new TestPki(Certificates.selfSignedCa(name, KeyType.EC_P256, VALIDITY));
    }

    public KeyAndCertificate ca() {
        return ca;
    }

    public KeyAndCertificate server(String... names) {
        return Certificates.issue(ca, "server", Certificates.Usage.SERVER, List.of(names), KeyType.EC_P256, VALIDITY);
    }

    public KeyAndCertificate client(String commonName) {
        return Certificates.issue(ca, commonName, Certificates.Usage.CLIENT, List.of(), KeyType.RSA_2048, VALIDITY);
    }

    public Path writeCa(Path folder) {
        return write(folder.resolve(ca.certificate().getSubjectX500Principal().getName().hashCode() + "-ca.pem"),
                ca.certificatePem());
    }

    /** An SSLContext presenting {@code identity} (may be null) and trusting this CA. */
    public SSLContext sslContext(KeyAndCertificate identity) {
        return sslContext(identity, this);
    }

    /** An SSLContext presenting {@code identity} (may be null, else issued by this CA) and trusting {@code trusted}. */
    public SSLContext sslContext(KeyAndCertificate identity, TestPki trusted) {
        KeyAndCertificate trustedCa = trusted.ca;
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", trustedCa.certificate());
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            if (identity != null) {
                keys.setKeyEntry("key", identity.key(), new char[0],
                        new java.security.cert.Certificate[] {identity.certificate(), ca.certificate()});
            }
            keyManagers.init(keys, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSLContext for a server presenting {@code identity} (issued by this CA). */
    public SSLContext sslContextServing(KeyAndCertificate identity) {
        return sslContext(identity, this);
    }

    /** An SSLContext that trusts the certificates in the PEM text and presents none. */
    public static SSLContext trusting(String caPem) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (var certificate : Pem.certificates(caPem)) {
                trust.setCertificateEntry("ca" + i++, certificate);
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String pem(Object... objects) {
        return Pem.write(objects);
    }
}
