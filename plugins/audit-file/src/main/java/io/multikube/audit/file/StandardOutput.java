package io.multikube.audit.file;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** {@code --audit-log-path=-}: lines go to standard output (a container's log pipeline), never rotated. */
final class StandardOutput implements Destination {
    // Not System.out: a PrintStream swallows write errors, and a lost line must be seen.
    private final OutputStream out = new FileOutputStream(FileDescriptor.out);

    @Override
    public void append(byte[] line) throws IOException {
        out.write(line);
    }

    @Override
    public void sync() throws IOException {
        out.flush();
    }

    @Override
    public void closeQuietly() {
        // Standard output stays open for the rest of the process.
    }

    @Override
    public String describe() {
        return "standard output";
    }
}
