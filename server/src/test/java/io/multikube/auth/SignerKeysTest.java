package io.multikube.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JWSAlgorithm;

import io.multikube.pki.Certificates;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;
import io.multikube.pki.Pem;

class SignerKeysTest {
    @TempDir
    Path dir;

    @Test
    void loadsTheKeyOfACertificate() throws Exception {
        KeyAndCertificate ca = Certificates.selfSignedCa("ca", KeyType.EC_P256, Duration.ofDays(1));
        KeyAndCertificate signer = Certificates.issue(ca, "signer", Certificates.Usage.SIGNER, List.of(),
                KeyType.EC_P384, Duration.ofDays(1));
        Path file = write("signer.crt", signer.certificatePem());

        assertThat(SignerKeys.load(List.of(file)).keyIds())
                .containsExactly(KeyIds.of(signer.certificate().getPublicKey()));
    }

    @Test
    void loadsTheFirstCertificateOfAChain() throws Exception {
        KeyAndCertificate ca = Certificates.selfSignedCa("ca", KeyType.EC_P256, Duration.ofDays(1));
        KeyAndCertificate signer = Certificates.issue(ca, "signer", Certificates.Usage.SIGNER, List.of(),
                KeyType.RSA_2048, Duration.ofDays(1));
        Path file = write("chain.crt", signer.certificatePem() + ca.certificatePem());

        assertThat(SignerKeys.load(List.of(file)).keyIds())
                .containsExactly(KeyIds.of(signer.certificate().getPublicKey()));
    }

    @Test
    void loadsAPublicKey() throws Exception {
        Path file = write("signer.pub", Pem.write(TestKeys.EC_P521.getPublic()));

        assertThat(SignerKeys.load(List.of(file)).keyIds()).containsExactly(TestKeys.kid(TestKeys.EC_P521));
    }

    @Test
    void loadsSeveralKeysForRotation() throws Exception {
        Path old = write("old.pub", Pem.write(TestKeys.RSA.getPublic()));
        Path current = write("new.pub", Pem.write(TestKeys.RSA_OTHER.getPublic()));

        assertThat(SignerKeys.load(List.of(old, current)).keyIds())
                .containsExactlyInAnyOrder(TestKeys.kid(TestKeys.RSA), TestKeys.kid(TestKeys.RSA_OTHER));
    }

    @Test
    void keepsOneCopyOfAKeyLoadedTwice() throws Exception {
        Path a = write("a.pub", Pem.write(TestKeys.RSA.getPublic()));
        Path b = write("b.pub", Pem.write(TestKeys.RSA.getPublic()));

        assertThat(SignerKeys.load(List.of(a, b)).keyIds()).containsExactly(TestKeys.kid(TestKeys.RSA));
    }

    @Test
    void offersOnlyKeysThatFitAnAlgorithm() {
        SignerKeys keys = SignerKeys.of(List.of(TestKeys.RSA.getPublic(), TestKeys.EC_P256.getPublic(),
                TestKeys.EC_P384.getPublic()));

        assertThat(keys.fitting(JWSAlgorithm.PS384)).extracting(SignerKey::keyId).containsExactly(TestKeys.kid(TestKeys.RSA));
        assertThat(keys.fitting(JWSAlgorithm.ES384)).extracting(SignerKey::keyId).containsExactly(TestKeys.kid(TestKeys.EC_P384));
        assertThat(keys.fitting(JWSAlgorithm.ES512)).isEmpty();
        assertThat(keys.fitting(JWSAlgorithm.HS256)).isEmpty();
    }

    @Test
    void refusesAFileThatIsNotPem() throws Exception {
        Path file = write("signer.txt", "hello");

        assertThatThrownBy(() -> SignerKeys.load(List.of(file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signer key file " + file + " is not PEM (expected: \"BEGIN CERTIFICATE\" or \"BEGIN PUBLIC KEY\")");
    }

    @Test
    void refusesAPemWithoutAPublicKey() throws Exception {
        Path file = write("signer.key", Pem.write(TestKeys.RSA.getPrivate()));

        assertThatThrownBy(() -> SignerKeys.load(List.of(file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("signer key file " + file + ": no certificate or public key found");
    }

    @Test
    void refusesAnUnsupportedKeyType() throws Exception {
        Path file = write("ed25519.pub",
                Pem.write(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()));

        assertThatThrownBy(() -> SignerKeys.load(List.of(file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("signer key file " + file + ": key type ")
                .hasMessageContaining("is not supported");
    }

    @Test
    void refusesAnRsaKeyBelow2048Bits() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        Path file = write("small.pub", Pem.write(generator.generateKeyPair().getPublic()));

        assertThatThrownBy(() -> SignerKeys.load(List.of(file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("signer key file " + file + ": RSA key of 1024 bits is too small");
    }

    @Test
    void refusesAMissingFile() {
        Path file = dir.resolve("missing.pub");

        assertThatThrownBy(() -> SignerKeys.load(List.of(file)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("signer key file " + file + " cannot be read");
    }

    @Test
    void refusesNoFiles() {
        assertThatThrownBy(() -> SignerKeys.load(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: at least one");
    }

    @Test
    void refusesASec1EcPrivateKeyFile() throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(TestKeys.EC_P256.getPrivate());
        }
        Path file = write("ec.key", text.toString());

        assertThatThrownBy(() -> SignerKeys.load(List.of(file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString());
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
