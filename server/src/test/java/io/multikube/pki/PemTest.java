package io.multikube.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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
}
