package io.multikube.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Reads key and certificate files, naming the file and its role when that fails. */
final class KeyFiles {
    private KeyFiles() {
    }

    static String read(Path file, String role) {
        Objects.requireNonNull(file, "file");
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // The exception's own text names the failure (no such file, access denied), never the file's contents.
            throw new UncheckedIOException(role + " " + file + " cannot be read: " + e, e);
        } catch (RuntimeException e) {
            // A MalformedInputException shows up here for binary (DER) files on some JDKs.
            throw new IllegalArgumentException(role + " " + file + " is not PEM text (expected: PEM \"BEGIN ...\" blocks)", e);
        }
    }

    /** Whether the text has any PEM block, so "not PEM at all" and "PEM without a key" get distinct messages. */
    static boolean looksLikePem(String text) {
        return text.contains("-----BEGIN ");
    }
}
