package io.multikube.server;

import java.lang.management.ManagementFactory;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * How many client connections a listener accepts at once ({@code --max-connections}). At the cap, new connections
 * wait in the accept backlog until one closes, so a flood of slow clients (slowloris) queues others instead of
 * exhausting file descriptors, which would break every connection, cluster ones included. Automatic by default:
 * half of what the file descriptor limit leaves after 512 for files and the JVM, since each client connection may
 * hold a connection to a cluster as well. Twice the number bounds requests at once ({@link RequestSlots}), since an
 * HTTP/2 client connection carries many.
 */
final class ConnectionCap {
    static final int UNLIMITED = -1;
    private static final int RESERVED_DESCRIPTORS = 512;
    private static final int FLOOR = 256;

    private ConnectionCap() {
    }

    /** Helidon's {@code maxTcpConnections}: the configured number, or one derived from the descriptor limit. */
    static int resolve(int configured) {
        return resolve(configured, fileDescriptorLimit());
    }

    static int resolve(int configured, long fileDescriptorLimit) {
        if (configured != 0) {
            return configured;
        }
        if (fileDescriptorLimit <= 0) {
            return UNLIMITED;
        }
        long cap = (fileDescriptorLimit - RESERVED_DESCRIPTORS) / 2;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(FLOOR, cap));
    }

    private static long fileDescriptorLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
    }
}
