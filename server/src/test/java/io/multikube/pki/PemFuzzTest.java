package io.multikube.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the PEM reader, which reads every certificate and key of a kubeconfig, a signer and
 * the serving identity. Any text either reads or is refused with a {@link PemException} that says why; nothing
 * else may escape, since callers turn only that into a clear message about the file it came from.
 *
 * <p>Every build replays the corpus in {@code PemFuzzTestInputs} (openssl's keys and certificates);
 * {@code scripts/fuzz.sh} fuzzes.
 */
class PemFuzzTest {
    private static final List<String> TYPES = List.of("CERTIFICATE", "PRIVATE KEY", "RSA PRIVATE KEY",
            "EC PRIVATE KEY", "PUBLIC KEY", "RSA PUBLIC KEY");

    @FuzzTest(maxDuration = "30s")
    void readsOrRefusesClearly(FuzzedDataProvider data) {
        String text = data.consumeBoolean() ? data.consumeRemainingAsString() : block(data);

        for (Function<String, Object> reader : List.<Function<String, Object>>of(Pem::certificates, Pem::privateKey,
                Pem::publicKey)) {
            try {
                assertThat(reader.apply(text)).isNotNull();
            } catch (PemException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        }
    }

    /** Well-formed PEM around any DER, so the fuzzer reaches the key and certificate parsers. */
    private static String block(FuzzedDataProvider data) {
        String type = data.pickValue(TYPES);
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder().encodeToString(data.consumeRemainingAsBytes())
                + "\n-----END " + type + "-----\n";
    }
}
