package io.multikube.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PemTest {
    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"RSA_2048", "EC_P256", "EC_P384", "EC_P521"})
    void writtenPrivateKeysReadBackAsPkcs8(KeyType type) {
        var keys = type.generate();

        String pem = Pem.write(keys.getPrivate());

        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Pem.privateKey(pem)).isEqualTo(keys.getPrivate());
    }

    @Test
    void certificatesAndTheirPublicKeysReadBack() {
        KeyAndCertificate ca = Certificates.selfSignedCa("test", KeyType.EC_P256, Duration.ofHours(1));
        KeyAndCertificate leaf = Certificates.issue(ca, "leaf", Certificates.Usage.SERVER,
                List.of("localhost", "127.0.0.1"), KeyType.RSA_2048, Duration.ofHours(1));

        String chain = Pem.write(leaf.certificate(), ca.certificate());

        assertThat(Pem.certificates(chain)).containsExactly(leaf.certificate(), ca.certificate());
        assertThat(Pem.publicKey(chain)).isEqualTo(leaf.certificate().getPublicKey());
        assertThat(Pem.publicKey(Pem.write(ca.certificate().getPublicKey())))
                .isEqualTo(ca.certificate().getPublicKey());
    }

    @Test
    void textWithoutAKeyIsAClearError() {
        assertThatThrownBy(() -> Pem.privateKey("not pem at all"))
                .isInstanceOf(PemException.class)
                .hasMessageContaining("no private key found");
    }

    /** Each of openssl's forms reads back, and its key pairs with the public key openssl derived from it. */
    @ParameterizedTest
    @CsvSource({"rsa-pkcs1, RSA, SHA256withRSA", "ec-p256-sec1, EC, SHA256withECDSA",
            "ec-p384-sec1, EC, SHA384withECDSA", "ec-p256-pkcs8, EC, SHA256withECDSA", "ed25519-pkcs8, EdDSA, Ed25519"})
    void opensslPrivateKeysPairWithTheirPublicKeys(String name, String algorithm, String signature)
            throws GeneralSecurityException {
        PrivateKey key = Pem.privateKey(openssl(name + ".pem"));
        PublicKey publicKey = Pem.publicKey(openssl(name + ".pub.pem"));

        assertThat(key.getAlgorithm()).isEqualTo(algorithm);
        byte[] message = "multikube".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance(signature);
        signer.initSign(key);
        signer.update(message);
        byte[] signed = signer.sign();
        Signature verifier = Signature.getInstance(signature);
        verifier.initVerify(publicKey);
        verifier.update(message);
        assertThat(verifier.verify(signed)).isTrue();
    }

    @Test
    void pkcs1PublicKeyIsTheSameKeyAsX509() {
        assertThat(Pem.publicKey(openssl("rsa-pkcs1-public.pem")))
                .isEqualTo(Pem.publicKey(openssl("rsa-pkcs1.pub.pem")));
    }

    @Test
    void certificateAmongOpensslTextReadsBack() {
        var certificates = Pem.certificates(openssl("cert-with-text.pem"));

        assertThat(certificates).hasSize(1);
        assertThat(certificates.getFirst().getSubjectX500Principal().getName()).isEqualTo("CN=openssl-test");
        assertThat(certificates).isEqualTo(Pem.certificates(openssl("cert.pem")));
        assertThat(Pem.publicKey(openssl("cert.pem"))).isEqualTo(Pem.publicKey(openssl("ec-p256-pkcs8.pub.pem")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"encrypted-pkcs8.pem", "encrypted-legacy.pem"})
    void encryptedKeysAreAClearError(String name) {
        assertThatThrownBy(() -> Pem.privateKey(openssl(name)))
                .isInstanceOf(PemException.class)
                .hasMessageStartingWith("encrypted private keys are not supported");
    }

    @Test
    void certificatesBesideAnEncryptedKeyStillRead() {
        String combined = openssl("cert.pem") + openssl("encrypted-legacy.pem") + openssl("encrypted-pkcs8.pem");

        assertThat(Pem.certificates(combined)).isEqualTo(Pem.certificates(openssl("cert.pem")));
        assertThatThrownBy(() -> Pem.privateKey(combined)).hasMessageStartingWith("encrypted private keys");
    }

    @Test
    void otherBlocksAreSkipped() {
        String pem = "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n" + openssl("rsa-pkcs1.pem");

        assertThat(Pem.privateKey(pem).getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void blockWithoutEndIsMalformed() {
        String truncated = openssl("cert.pem").replace("-----END CERTIFICATE-----", "");

        assertThatThrownBy(() -> Pem.certificates(truncated))
                .isInstanceOf(PemException.class)
                .hasMessage("malformed PEM: -----BEGIN CERTIFICATE----- without its -----END CERTIFICATE-----");
    }

    @Test
    void badBase64IsMalformed() {
        assertThatThrownBy(() -> Pem.certificates("-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----"))
                .isInstanceOf(PemException.class)
                .hasMessageStartingWith("malformed PEM: CERTIFICATE is not base64");
    }

    @Test
    void truncatedKeyIsAClearError() {
        String key = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----";

        assertThatThrownBy(() -> Pem.privateKey(key))
                .isInstanceOf(PemException.class)
                .hasMessageStartingWith("malformed DER");
    }

    @Test
    void certificateThatIsNotOneIsAClearError() {
        assertThatThrownBy(() -> Pem.certificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))
                .isInstanceOf(PemException.class)
                .hasMessageStartingWith("certificate cannot be read");
    }

    private static String openssl(String name) {
        try (InputStream in = PemTest.class.getResourceAsStream("openssl/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
