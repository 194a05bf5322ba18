package io.multikube.audit.file;

import java.io.IOException;

/** Where the writer puts lines: the rotating file, or standard output. Used by the writer thread only. */
interface Destination extends AutoCloseable {
    /** Appends one whole line (with its line break); on failure nothing of it stays. */
    void append(byte[] line) throws IOException;

    /** Makes what was appended durable. */
    void sync() throws IOException;

    /** Drops any open handle; the next append opens afresh. */
    void closeQuietly();

    /** For messages. */
    String describe();

    @Override
    default void close() {
        closeQuietly();
    }
}
