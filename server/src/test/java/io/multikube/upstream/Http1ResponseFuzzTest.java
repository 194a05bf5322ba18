package io.multikube.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of how multikube's own HTTP/1.1 client reads a cluster's answer: the head (status line,
 * fields, interim answers) and the body in its framing (length, chunks with extensions and trailers, or until the
 * end). Any bytes either read as an answer whose body ends, or are refused with an {@code IOException} (a
 * malformed head or chunk, an answer cut short) that the forwarder turns into a 503; nothing else may escape. A
 * delimited body hands its connection on exactly once, and never reads past the bytes there are.
 *
 * <p>The connection's socket is a fake over the fuzzer's bytes (thousands of inputs a second cannot each open a
 * real socket); the parsing above it is the real one. Every build replays the corpus in
 * {@code Http1ResponseFuzzTestInputs}; {@code scripts/fuzz.sh} fuzzes.
 */
class Http1ResponseFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void readsOrRefusesClearly(byte[] answer) throws IOException {
        Http1Connection connection = new Http1Connection(new BytesSocket(answer));
        AtomicInteger handedOn = new AtomicInteger();
        try {
            HttpHead head = connection.readHead();
            assertThat(head.code()).isBetween(200, 999);
            Http1Body body = Http1Body.of(head, connection, handedOn::incrementAndGet);
            byte[] read = body.readAllBytes();
            assertThat(read.length).isLessThanOrEqualTo(answer.length);
            assertThat(body.read()).isEqualTo(-1);
            assertThat(handedOn.get()).isLessThanOrEqualTo(1);
        } catch (IOException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    /** A connected socket whose peer sent these bytes and then closed. */
    private static final class BytesSocket extends Socket {
        private final InputStream in;
        private boolean closed;

        BytesSocket(byte[] bytes) {
            this.in = new ByteArrayInputStream(bytes);
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public synchronized void close() {
            closed = true;
        }
    }
}
