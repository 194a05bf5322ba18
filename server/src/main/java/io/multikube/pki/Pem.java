package io.multikube.pki;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads and writes PEM: certificates, private keys (PKCS#8, PKCS#1 RSA, SEC1 EC) and public keys (X.509, PKCS#1
 * RSA), every form a kubeconfig or openssl produces. Blocks of other types are skipped, as Go's {@code crypto/tls}
 * skips them. The JDK parses: the signed Bouncy Castle jars cost ~0.7 s of a start just to verify their signatures.
 */
public final class Pem {
    private static final String RSA = "1.2.840.113549.1.1.1";
    private static final String EC = "1.2.840.10045.2.1";
    /** The JDK's key factory for each key algorithm's object identifier. */
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(RSA, "RSA", "1.2.840.113549.1.1.10",
            "RSASSA-PSS", EC, "EC", "1.3.101.112", "Ed25519", "1.3.101.113", "Ed448");
    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    /** Every certificate in the text, in order; fails when there is none. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> result = new ArrayList<>();
        for (PemBlock block : PemBlock.parse(pem)) {
            if (block.isCertificate()) {
                result.add(certificate(block));
            }
        }
        if (result.isEmpty()) {
            throw new PemException("no CERTIFICATE block found (expected: PEM \"BEGIN CERTIFICATE\")");
        }
        return List.copyOf(result);
    }

    /** The first private key in the text: PKCS#8, PKCS#1 RSA or SEC1 EC. */
    public static PrivateKey privateKey(String pem) {
        for (PemBlock block : PemBlock.parse(pem)) {
            Optional<byte[]> pkcs8 = asPkcs8(block);
            if (pkcs8.isPresent()) {
                return privateKey(pkcs8.get());
            }
        }
        throw new PemException("no private key found (expected: PEM \"BEGIN PRIVATE KEY\", "
                + "\"BEGIN RSA PRIVATE KEY\" or \"BEGIN EC PRIVATE KEY\"; encrypted keys are not supported)");
    }

    /** The public key of the first certificate or public key block in the text. */
    public static PublicKey publicKey(String pem) {
        for (PemBlock block : PemBlock.parse(pem)) {
            if (block.isCertificate()) {
                return certificate(block).getPublicKey();
            }
            if (block.type().equals("PUBLIC KEY")) {
                return publicKey(block.der());
            }
            if (block.type().equals("RSA PUBLIC KEY")) {
                byte[] bits = new byte[block.der().length + 1]; // a leading 0: no unused bits
                System.arraycopy(block.der(), 0, bits, 1, block.der().length);
                return publicKey(Der.element(Der.SEQUENCE, Der.element(Der.SEQUENCE, Der.oid(RSA),
                        Der.element(Der.NULL)), Der.element(Der.BIT_STRING, bits)));
            }
        }
        throw new PemException("no certificate or public key found "
                + "(expected: PEM \"BEGIN CERTIFICATE\" or \"BEGIN PUBLIC KEY\")");
    }

    /** PEM text of certificates, private keys (as PKCS#8, which keeps an EC key's curve) or public keys. */
    public static String write(Object... objects) {
        StringBuilder text = new StringBuilder();
        for (Object object : objects) {
            switch (object) {
                case X509Certificate certificate -> block(text, "CERTIFICATE", encoded(certificate));
                case PrivateKey key -> block(text, "PRIVATE KEY", encoded(key, "PKCS#8"));
                case PublicKey key -> block(text, "PUBLIC KEY", encoded(key, "X.509"));
                default -> throw new IllegalArgumentException("cannot write a "
                        + object.getClass().getName() + " as PEM (expected: certificate, private or public key)");
            }
        }
        return text.toString();
    }

    private static void block(StringBuilder text, String type, byte[] der) {
        text.append("-----BEGIN ").append(type).append("-----\n")
                .append(BASE64.encodeToString(der)).append('\n')
                .append("-----END ").append(type).append("-----\n");
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    private static byte[] encoded(Key key, String format) {
        if (!format.equals(key.getFormat()) || key.getEncoded() == null) {
            throw new IllegalArgumentException("cannot write a " + key.getAlgorithm() + " key in format "
                    + key.getFormat() + " as PEM (expected: " + format + ")");
        }
        return key.getEncoded();
    }

    /** A private key block as PKCS#8, which the JDK reads; empty for blocks that hold no private key. */
    private static Optional<byte[]> asPkcs8(PemBlock block) {
        if (block.encrypted()) {
            throw encrypted();
        }
        return switch (block.type()) {
            case "PRIVATE KEY" -> Optional.of(block.der());
            case "RSA PRIVATE KEY" -> Optional.of(pkcs8(Der.element(Der.SEQUENCE, Der.oid(RSA),
                    Der.element(Der.NULL)), block.der()));
            case "EC PRIVATE KEY" -> Optional.of(pkcs8(Der.element(Der.SEQUENCE, Der.oid(EC),
                    curveOf(block.der())), block.der()));
            case "ENCRYPTED PRIVATE KEY" -> throw encrypted();
            default -> Optional.empty();
        };
    }

    /** PKCS#8's {@code PrivateKeyInfo}: version 0, the algorithm, the algorithm's own key encoding. */
    private static byte[] pkcs8(byte[] algorithm, byte[] key) {
        return Der.element(Der.SEQUENCE, Der.element(Der.INTEGER, new byte[] {0}), algorithm,
                Der.element(Der.OCTET_STRING, key));
    }

    /** The named curve of a SEC1 key, which PKCS#8 carries in the algorithm's parameters. */
    private static byte[] curveOf(byte[] sec1) {
        return Der.read(sec1).children().stream()
                .filter(element -> element.tag() == Der.CONTEXT_0)
                .findFirst()
                .map(parameters -> Der.read(parameters.value()))
                .filter(parameters -> parameters.tag() == Der.OID)
                .map(Der.Element::encoded)
                .orElseThrow(() -> new PemException("EC PRIVATE KEY without a named curve "
                        + "(expected: openssl's default form, with the curve's name)"));
    }

    private static PrivateKey privateKey(byte[] pkcs8) {
        String algorithm = algorithmOf(Der.read(pkcs8).child(1, Der.SEQUENCE, "PKCS#8 key"));
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | RuntimeException e) { // the JDK's parsers may throw either
            throw new PemException("private key cannot be read: " + e.getMessage(), e);
        }
    }

    private static PublicKey publicKey(byte[] spki) {
        String algorithm = algorithmOf(Der.read(spki).child(0, Der.SEQUENCE, "public key"));
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PemException("public key cannot be read: " + e.getMessage(), e);
        }
    }

    private static String algorithmOf(Der.Element algorithmIdentifier) {
        String oid = algorithmIdentifier.child(0, Der.OID, "algorithm identifier").oid();
        String algorithm = KEY_ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new PemException("key algorithm " + oid + " not supported (expected: RSA, EC, Ed25519 or Ed448)");
        }
        return algorithm;
    }

    private static X509Certificate certificate(PemBlock block) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(block.der()));
        } catch (CertificateException | RuntimeException e) {
            throw new PemException("certificate cannot be read: " + e.getMessage(), e);
        }
    }

    private static PemException encrypted() {
        return new PemException("encrypted private keys are not supported (expected: an unencrypted key, "
                + "for example from \"openssl pkey -in key.pem\")");
    }

    /**
     * One {@code -----BEGIN type-----} … {@code -----END type-----} block and the DER it holds; {@code encrypted} when
     * OpenSSL's legacy encryption says so in a {@code Proc-Type} header.
     */
    private record PemBlock(String type, byte[] der, boolean encrypted) {
        private static final String BEGIN = "-----BEGIN ";
        private static final String END = "-----END ";
        private static final String DASHES = "-----";

        boolean isCertificate() {
            return type.equals("CERTIFICATE") || type.equals("X509 CERTIFICATE");
        }

        static List<PemBlock> parse(String pem) {
            Objects.requireNonNull(pem, "pem");
            List<PemBlock> blocks = new ArrayList<>();
            String type = null;
            boolean encrypted = false;
            StringBuilder base64 = new StringBuilder();
            for (String line : pem.lines().map(String::strip).toList()) {
                if (type == null) {
                    if (line.startsWith(BEGIN) && line.endsWith(DASHES) && line.length() > BEGIN.length() + 5) {
                        type = line.substring(BEGIN.length(), line.length() - DASHES.length());
                        encrypted = false;
                        base64.setLength(0);
                    }
                } else if (line.equals(END + type + DASHES)) {
                    blocks.add(new PemBlock(type, decode(type, base64), encrypted));
                    type = null;
                } else if (line.startsWith(BEGIN) || line.startsWith(END)) {
                    throw new PemException("malformed PEM: " + line + " inside " + type
                            + " (expected: " + END + type + DASHES + ")");
                } else if (line.contains(":")) {
                    // An RFC 1421 header: OpenSSL's legacy encryption says "Proc-Type: 4,ENCRYPTED".
                    encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
                } else {
                    base64.append(line);
                }
            }
            if (type != null) {
                throw new PemException("malformed PEM: " + BEGIN + type + DASHES + " without its " + END + type
                        + DASHES);
            }
            return List.copyOf(blocks);
        }

        private static byte[] decode(String type, CharSequence base64) {
            try {
                return Base64.getDecoder().decode(base64.toString());
            } catch (IllegalArgumentException e) {
                throw new PemException("malformed PEM: " + type + " is not base64 (" + e.getMessage() + ")", e);
            }
        }
    }
}
