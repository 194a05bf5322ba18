package io.multikube.kubeconfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * A bearer token read from a file ({@code tokenFile}) that may be rotated, such as a projected service account
 * token. Re-read when the file's modification time, size or identity (inode) changes, so a rotation by rename
 * or symlink swap is seen on the next request; otherwise served from memory. Thread-safe.
 */
public final class FileBearerToken implements BearerToken {
    private final Path file;
    private volatile Snapshot current;

    public FileBearerToken(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    public Path file() {
        return file;
    }

    /**
     * @throws UncheckedIOException when the file cannot be read or holds only whitespace; the message names the
     *                              file, never its content
     */
    @Override
    public String value() {
        // The stamp is taken before reading: a change in between makes the next call read again.
        Stamp stamp = stamp();
        Snapshot snapshot = current;
        if (snapshot != null && snapshot.stamp().equals(stamp)) {
            return snapshot.token();
        }
        String token;
        try {
            token = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw unreadable(e);
        }
        if (token.isEmpty()) {
            String message = "token file " + file + " is empty (expected: a bearer token)";
            throw new UncheckedIOException(message, new IOException(message));
        }
        // Two threads may both read after a change; they read the same file, so either snapshot is right.
        current = new Snapshot(stamp, token);
        return token;
    }

    /** Makes the next {@link #value()} read the file even if it looks unchanged (after the cluster rejected it). */
    public void forget() {
        current = null;
    }

    private Stamp stamp() {
        try {
            return Stamp.of(Files.readAttributes(file, BasicFileAttributes.class));
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private UncheckedIOException unreadable(IOException e) {
        return new UncheckedIOException("token file " + file + " cannot be read (" + e.getClass().getSimpleName()
                + ")", e);
    }

    @Override
    public String toString() {
        return "FileBearerToken[" + file + "]";
    }

    /** What tells a rewritten file apart; {@code fileKey} is null where the file system has no inodes. */
    private record Stamp(FileTime modified, long size, Object fileKey) {
        static Stamp of(BasicFileAttributes attributes) {
            return new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        }
    }

    private record Snapshot(Stamp stamp, String token) {
        @Override
        public String toString() {
            return "Snapshot[" + stamp + "]"; // never the token
        }
    }
}
