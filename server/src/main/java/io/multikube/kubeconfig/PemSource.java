package io.multikube.kubeconfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.multikube.pki.Pem;
import io.multikube.pki.PemException;

/**
 * Where a kubeconfig keeps one piece of PEM: a file ({@code certificate-authority}) or base64 data inline
 * ({@code certificate-authority-data}). Messages name the field and the file, never the content.
 */
sealed interface PemSource {
    /** The field it came from, for messages. */
    String field();

    /** The field and, for a file, its path: what a message names. */
    default String label() {
        return field();
    }

    /** The PEM text. */
    String text();

    default List<X509Certificate> certificates(String what) {
        return parse(what, Pem::certificates);
    }

    default PrivateKey privateKey(String what) {
        return parse(what, Pem::privateKey);
    }

    private <T> T parse(String what, Function<String, T> parser) {
        try {
            return parser.apply(text());
        } catch (PemException e) {
            throw new EntryProblem(what + ": " + label() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The source for the pair {@code fileKey} / {@code fileKey-data}; empty when neither is set. Both set is a
     * problem, as kubectl's validation says.
     */
    static Optional<PemSource> of(Fields fields, String fileKey, Path folder) {
        String dataKey = fileKey + "-data";
        Optional<Path> file = fields.path(fileKey, folder);
        Optional<String> data = fields.string(dataKey);
        if (file.isPresent() && data.isPresent()) {
            throw new EntryProblem(fields.what() + ": both " + fileKey + " and " + dataKey
                    + " are set (expected: one)");
        }
        if (file.isPresent()) {
            return Optional.of(new FromFile(fileKey, file.get(), fields.what()));
        }
        return data.map(base64 -> new Inline(dataKey, decode(fields.what(), dataKey, base64)));
    }

    private static String decode(String what, String field, String base64) {
        try {
            // YAML block scalars may wrap the base64 over lines; anything else that is not base64 is an error.
            byte[] bytes = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new EntryProblem(what + ": " + field + " is not valid base64 (expected: base64 of PEM text)");
        }
    }

    /** PEM read from a file each time {@link #text()} is called; the loader calls it once. */
    record FromFile(String field, Path file, String what) implements PemSource {
        public FromFile {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(what, "what");
        }

        @Override
        public String label() {
            return field + " " + file;
        }

        @Override
        public String text() {
            try {
                return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new EntryProblem(what + ": " + label() + " cannot be read (" + e.getClass().getSimpleName()
                        + ")", e);
            }
        }
    }

    /** PEM decoded from inline base64. */
    record Inline(String field, String text) implements PemSource {
        public Inline {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return "Inline[field=" + field + "]"; // never the key material
        }
    }
}
