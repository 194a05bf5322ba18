package io.multikube.audit.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * The audit log on disk: appends whole lines, rotates by size between lines, and reopens after a failure. A
 * write that fails half-way is cut back to the last whole line, so a reader never meets a broken line.
 */
final class AuditLogFile implements Destination {
    private final Path path;
    private final FileAuditSettings settings;
    private final Backups backups;
    private FileChannel channel;
    private long size;

    AuditLogFile(Path path, FileAuditSettings settings, Clock clock) {
        this.path = path;
        this.settings = settings;
        this.backups = new Backups(path, settings, clock);
    }

    /** Appends one line, rotating first when it would take the file past the size bound. */
    @Override
    public void append(byte[] line) throws IOException {
        ensureOpen();
        if (settings.maxSizeBytes() > 0 && size > 0 && size + line.length > settings.maxSizeBytes()) {
            rotate();
        }
        write(line);
    }

    /** Makes what was appended durable (the end of each batch). */
    @Override
    public void sync() throws IOException {
        if (channel != null) {
            channel.force(false);
        }
    }

    @Override
    public String describe() {
        return path.toString();
    }

    private void write(byte[] line) throws IOException {
        long before = size;
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            size += line.length;
        } catch (IOException e) {
            cutBackTo(before);
            throw e;
        }
    }

    private void cutBackTo(long length) {
        try {
            channel.truncate(length);
        } catch (IOException | RuntimeException ignored) {
            // The channel is broken too; it is reopened and the size re-read before the next write.
        }
        closeQuietly();
    }

    private void rotate() throws IOException {
        channel.close();
        channel = null;
        backups.rotate();
        ensureOpen();
    }

    /** Opens the file now, so a path that cannot be written stops start-up instead of the first request. */
    void open() throws IOException {
        ensureOpen();
    }

    private void ensureOpen() throws IOException {
        if (channel == null) {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            size = channel.size();
        }
    }

    /** Drops the open channel, so the next append reopens the path (it may have been replaced or freed). */
    @Override
    public void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
            channel = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
