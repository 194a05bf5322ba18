package io.multikube.audit.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Rotated audit logs, named as kube-apiserver names them ({@code audit-2026-11-28T10-15-30.123.log} beside
 * {@code audit.log}), pruned by count and age after each rotation.
 */
final class Backups {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS").withZone(ZoneOffset.UTC);
    private static final int STAMP_LENGTH = "2026-11-28T10-15-30.123".length();

    private final Path path;
    private final FileAuditSettings settings;
    private final Clock clock;
    private final String base;
    private final String extension;

    Backups(Path path, FileAuditSettings settings, Clock clock) {
        this.path = path;
        this.settings = settings;
        this.clock = clock;
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        this.base = dot > 0 ? name.substring(0, dot) : name;
        this.extension = dot > 0 ? name.substring(dot) : "";
    }

    /** Moves the current file aside under a time-stamped name, then prunes old backups. */
    void rotate() throws IOException {
        // One reading of the clock: read again per candidate, a second rotation in the same millisecond could be
        // named after the next one and sort before a later backup (seen as swapped blocks of lines in CI).
        String stamp = STAMP.format(clock.instant());
        Path target = sibling(base + "-" + stamp + extension);
        for (int i = 1; Files.exists(target); i++) {
            target = sibling(base + "-" + stamp + "-" + i + extension);
        }
        Files.move(path, target);
        prune();
    }

    /** The backups, oldest first. */
    List<Path> list() throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(this::isBackup)
                    .sorted(Comparator.comparing(this::stamp).thenComparingInt(this::sequence))
                    .toList();
        }
    }

    private void prune() throws IOException {
        List<Path> all = list();
        int excess = settings.maxBackups() > 0 ? all.size() - settings.maxBackups() : 0;
        for (int i = 0; i < all.size(); i++) {
            Path backup = all.get(i);
            if (i < excess || tooOld(backup)) {
                Files.deleteIfExists(backup);
            }
        }
    }

    private boolean tooOld(Path backup) throws IOException {
        if (settings.maxAge().isZero()) {
            return false;
        }
        FileTime modified = Files.getLastModifiedTime(backup);
        return modified.toInstant().isBefore(clock.instant().minus(settings.maxAge()));
    }

    /** The time stamp part of a backup's name (equal for rotations within one millisecond). */
    private String stamp(Path backup) {
        String middle = middle(backup);
        return middle.length() > STAMP_LENGTH ? middle.substring(0, STAMP_LENGTH) : middle;
    }

    /** 0 for the first backup of a millisecond, then 1, 2, ... */
    private int sequence(Path backup) {
        String middle = middle(backup);
        try {
            return middle.length() > STAMP_LENGTH + 1 ? Integer.parseInt(middle.substring(STAMP_LENGTH + 1)) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String middle(Path backup) {
        String name = backup.getFileName().toString();
        return name.substring(base.length() + 1, name.length() - extension.length());
    }

    private boolean isBackup(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(base + "-") && name.endsWith(extension) && !file.equals(path)
                && name.length() > base.length() + 1 && Character.isDigit(name.charAt(base.length() + 1));
    }

    private Path sibling(String name) {
        return path.toAbsolutePath().resolveSibling(name);
    }
}
