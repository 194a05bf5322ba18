package io.multikube.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.multikube.pki.Certificates;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;

/** {@code multikube keys}: generates a token signer key pair and the certificate multikube verifies with. */
final class KeysCommand implements Command {
    Path out;
    String name;
    String type;
    Duration validity;

    @Override
    public String name() {
        return "keys";
    }

    @Override
    public String summary() {
        return "Generates a token signer: a private key and its certificate";
    }

    @Override
    public String description() {
        return "Generates a token signer: DIR/NAME-key.pem (the private key, for 'multikube token' and "
                + "'multikube kubeconfig', mode 600) and DIR/NAME.pem (its certificate, for "
                + "--tls-signer-certificate). Existing files are never overwritten.";
    }

    @Override
    public List<Flag> flags() {
        return List.of(
                Flag.value("--out", "DIR", "Where to write the files. Default: the current folder.",
                        value -> out = Values.path(value)).withDefault("."),
                Flag.value("--name", "NAME", "The files' base name. Default: ${DEFAULT}.", value -> name = value)
                        .withDefault("signer"),
                Flag.value("--type", "TYPE", "ec-p256 (ES256), ec-p384 (ES384), ec-p521 (ES512), rsa-2048 or "
                        + "rsa-3072 (RS256). Default: ${DEFAULT}.", value -> type = value).withDefault("ec-p256"),
                Flag.value("--validity", "DURATION", "The certificate's validity. Default: ${DEFAULT}.",
                        value -> validity = Values.duration(value)).withDefault("365d"));
    }

    @Override
    public int call() throws IOException {
        KeyType keyType = keyType(type);
        Path key = out.resolve(name + "-key.pem");
        Path certificate = out.resolve(name + ".pem");
        for (Path file : new Path[] {key, certificate}) {
            if (Files.exists(file)) {
                throw new IllegalArgumentException(file + " exists already (expected: a new file; multikube never "
                        + "overwrites a key)");
            }
        }
        Files.createDirectories(out);
        KeyAndCertificate signer = Certificates.selfSignedCa("multikube token signer " + name, keyType, validity);
        PrivateFiles.write(key, signer.keyPem());
        Files.writeString(certificate, signer.certificatePem());
        System.out.println("wrote " + key + " (private: keep it with whoever mints tokens)");
        System.out.println("wrote " + certificate + " (give it to multikube: --tls-signer-certificate=" + certificate
                + ")");
        return 0;
    }

    private static KeyType keyType(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "ec-p256" -> KeyType.EC_P256;
            case "ec-p384" -> KeyType.EC_P384;
            case "ec-p521" -> KeyType.EC_P521;
            case "rsa-2048" -> KeyType.RSA_2048;
            case "rsa-3072" -> KeyType.RSA_3072;
            default -> throw new IllegalArgumentException("--type: " + value
                    + " (expected: ec-p256, ec-p384, ec-p521, rsa-2048 or rsa-3072)");
        };
    }
}
