package io.multikube.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Files whose content is compared, not their timestamps: a Kubernetes Secret volume swaps a symlink and keeps
 * times, an editor may keep the size. Not thread-safe; used by the one reload thread.
 */
final class WatchedFiles {
    private final List<Path> files;
    private String fingerprint;

    WatchedFiles(List<Path> files) {
        this.files = List.copyOf(files);
        this.fingerprint = fingerprint();
    }

    /** Whether any file's content differs from the last accepted state. */
    boolean changed() {
        return !Objects.equals(fingerprint, fingerprint());
    }

    /** Takes the current content as the accepted state (after a successful, or a refused, reload). */
    void accept() {
        fingerprint = fingerprint();
    }

    List<Path> files() {
        return files;
    }

    private String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                digest.update(file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                try {
                    digest.update(Files.readAllBytes(file));
                } catch (IOException e) {
                    // A missing file is a state too: it changes when the file comes back.
                    digest.update((byte) 0);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
