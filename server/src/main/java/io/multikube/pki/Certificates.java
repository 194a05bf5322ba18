package io.multikube.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Issues X.509 certificates: self-signed CAs and the server, client and signer certificates they sign. */
public final class Certificates {
    /** What a certificate may be used for. */
    public enum Usage { CA, SERVER, CLIENT, SIGNER }

    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {
    }

    /** A self-signed certificate authority. */
    public static KeyAndCertificate selfSignedCa(String commonName, KeyType keyType, Duration validity) {
        KeyPair keys = keyType.generate();
        X500Name name = new X500Name("CN=" + commonName);
        return sign(name, keys, name, keys.getPrivate(), Usage.CA, List.of(), validity, Instant.now());
    }

    /**
     * A certificate for a fresh key, signed by the issuer. Subject alternative names that parse as IP literals
     * become IP entries, the rest DNS names.
     */
    public static KeyAndCertificate issue(KeyAndCertificate issuer, String commonName, Usage usage,
                                          List<String> alternativeNames, KeyType keyType, Duration validity) {
        return issue(issuer, "CN=" + commonName, usage, alternativeNames, keyType, validity, Instant.now());
    }

    /** As {@link #issue(KeyAndCertificate, String, Usage, List, KeyType, Duration)}, with a full subject and start. */
    public static KeyAndCertificate issue(KeyAndCertificate issuer, String subject, Usage usage,
                                          List<String> alternativeNames, KeyType keyType, Duration validity,
                                          Instant notBefore) {
        Objects.requireNonNull(issuer, "issuer");
        KeyPair keys = keyType.generate();
        X500Name issuerName = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        return sign(new X500Name(subject), keys, issuerName, issuer.key(), usage, alternativeNames, validity,
                notBefore);
    }

    private static KeyAndCertificate sign(X500Name subject, KeyPair keys, X500Name issuer,
                                          java.security.PrivateKey issuerKey, Usage usage, List<String> names,
                                          Duration validity, Instant notBefore) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(127, RANDOM), Date.from(notBefore.minusSeconds(60)),
                    Date.from(notBefore.plus(validity)), subject, keys.getPublic());
            addExtensions(builder, usage, names);
            var signer = new JcaContentSignerBuilder(KeyType.signing(issuerKey).signatureAlgorithm())
                    .build(issuerKey);
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new KeyAndCertificate(keys.getPrivate(), certificate);
        } catch (OperatorCreationException | GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject, e);
        }
    }

    private static void addExtensions(X509v3CertificateBuilder builder, Usage usage, List<String> names)
            throws CertIOException {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(usage == Usage.CA));
        switch (usage) {
            case CA -> builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            case SERVER -> {
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            }
            case CLIENT -> {
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
            case SIGNER -> builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        }
        if (!names.isEmpty()) {
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
        }
    }

    private static GeneralNames alternativeNames(List<String> names) {
        List<GeneralName> result = new ArrayList<>();
        for (String name : names) {
            result.add(isIpLiteral(name)
                    ? new GeneralName(GeneralName.iPAddress, name)
                    : new GeneralName(GeneralName.dNSName, name));
        }
        return new GeneralNames(result.toArray(GeneralName[]::new));
    }

    private static boolean isIpLiteral(String name) {
        if (!name.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            InetAddress.getByName(name);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The SHA-256 fingerprint of a certificate's DER encoding, lower-case hex without separators. */
    public static String sha256Fingerprint(java.security.cert.X509Certificate certificate) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(certificate.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
