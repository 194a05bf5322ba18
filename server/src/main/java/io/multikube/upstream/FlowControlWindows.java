package io.multikube.upstream;

/**
 * HTTP/2 flow-control windows of the JDK's HTTP client, which reads them from system properties for each new
 * connection (there is no builder option). Values given on the command line ({@code -Djdk.httpclient.windowsize=...})
 * win.
 */
final class FlowControlWindows {
    static final String STREAM_WINDOW = "jdk.httpclient.windowsize";
    static final String CONNECTION_WINDOW = "jdk.httpclient.connectionWindowSize";

    private FlowControlWindows() {
    }

    /** A connection window as Go's client has (1 GiB). */
    static final int CONNECTION_WINDOW_BYTES = 1 << 30;

    /**
     * A stream window of {@code streamBytes} and a connection window of {@link #CONNECTION_WINDOW_BYTES}, which must
     * exceed {@link MultiplexedStreams#STREAMS_PER_CONNECTION} stream windows: however many streams stop being read,
     * the connection never runs out of window for the others.
     */
    static void apply(int streamBytes) {
        if ((long) streamBytes * MultiplexedStreams.STREAMS_PER_CONNECTION > CONNECTION_WINDOW_BYTES) {
            throw new IllegalArgumentException("streamBytes: " + streamBytes + " (expected: at most "
                    + CONNECTION_WINDOW_BYTES / MultiplexedStreams.STREAMS_PER_CONNECTION + ")");
        }
        setUnlessGiven(STREAM_WINDOW, Integer.toString(streamBytes));
        setUnlessGiven(CONNECTION_WINDOW, Integer.toString(CONNECTION_WINDOW_BYTES));
    }

    private static void setUnlessGiven(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
