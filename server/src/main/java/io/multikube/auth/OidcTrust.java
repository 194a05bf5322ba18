package io.multikube.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import io.multikube.pki.Pem;

/** The TLS trust for an OIDC issuer: {@code --oidc-ca-file}, or the JDK's trust store. */
public final class OidcTrust {
    private OidcTrust() {
    }

    public static SSLSocketFactory socketFactory(Optional<Path> caFile) {
        if (caFile.isEmpty()) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        try {
            List<X509Certificate> cas = Pem.certificates(Files.readString(caFile.get()));
            if (cas.isEmpty()) {
                throw new IllegalArgumentException("--oidc-ca-file: " + caFile.get()
                        + " holds no certificate (expected: PEM)");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException e) {
            throw new IllegalArgumentException("--oidc-ca-file: cannot read " + caFile.get() + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("--oidc-ca-file: " + e.getMessage(), e);
        }
    }
}
