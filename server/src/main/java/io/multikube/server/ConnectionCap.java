package io.multikube.server;

import java.lang.management.ManagementFactory;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * How many client connections a listener accepts at once ({@code --max-connections}). At the cap, new connections
 * wait in the accept backlog until one closes, so a flood of connections (slowloris, or a client library's dial storm)
 * queues others instead of exhausting file descriptors or the heap, either of which would break every connection,
 * cluster ones included. Automatic by default: half of what the file descriptor limit leaves after 512 for files and
 * the JVM, since each client connection may hold a connection to a cluster as well; and no more than a quarter of
 * the heap holds, since every open TLS connection keeps its buffers whether it carries anything or not.
 */
final class ConnectionCap {
    static final int UNLIMITED = -1;
    /**
     * Heap one client TLS connection holds while open, idle or not: Helidon's listener reads and writes TLS through an
     * {@code SSLEngine} with four buffers of a full record each and two of 8 KiB (2,000 idle connections, handshaken:
     * 93 KB each after a full collection). Plain HTTP holds less; the cap does not tell them apart.
     */
    static final long CONNECTION_HEAP_BYTES = 96 * 1024;
    /** The rest is for the requests the connections carry (a watch ~37 KB, its cluster connection included). */
    private static final int HEAP_SHARE_DIVISOR = 4;
    private static final int RESERVED_DESCRIPTORS = 512;
    private static final int FLOOR = 256;

    private ConnectionCap() {
    }

    /** Helidon's {@code maxTcpConnections}: the configured number, or one the descriptor and heap limits set. */
    static int resolve(int configured) {
        return resolve(configured, fileDescriptorLimit(), Runtime.getRuntime().maxMemory());
    }

    static int resolve(int configured, long fileDescriptorLimit, long maxHeapBytes) {
        if (configured != 0) {
            return configured;
        }
        int descriptors = forDescriptors(fileDescriptorLimit);
        int heap = forHeap(maxHeapBytes);
        if (descriptors == UNLIMITED) {
            return heap;
        }
        return heap == UNLIMITED ? descriptors : Math.min(descriptors, heap);
    }

    /**
     * The descriptor budget's half, which {@link RequestSlots} doubles: the configured cap, or the automatic one
     * before the heap bounds it — a request costs the heap less than a connection, and many share one HTTP/2
     * connection.
     */
    static int descriptorBudget(int configured) {
        return configured != 0 ? configured : forDescriptors(fileDescriptorLimit());
    }

    static int forDescriptors(long fileDescriptorLimit) {
        if (fileDescriptorLimit <= 0) {
            return UNLIMITED;
        }
        long cap = (fileDescriptorLimit - RESERVED_DESCRIPTORS) / 2;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(FLOOR, cap));
    }

    static int forHeap(long maxHeapBytes) {
        if (maxHeapBytes <= 0 || maxHeapBytes == Long.MAX_VALUE) {
            return UNLIMITED;
        }
        long cap = maxHeapBytes / HEAP_SHARE_DIVISOR / CONNECTION_HEAP_BYTES;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(FLOOR, cap));
    }

    private static long fileDescriptorLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
    }
}
