package io.multikube.upstream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A response body read off its connection in its framing — {@code Content-Length}, chunked (decoded: the client's
 * side frames it again), or until the cluster closes — and no further. At its end the connection is handed on
 * (back to the pool) at once, before the caller reads -1: a relay stops at a declared length. Closed before its
 * end, the body closes its connection, since unread bytes would meet the next request.
 */
final class Http1Body extends InputStream {
    private static final int MAX_LINE = 8 * 1024;
    private static final long UNTIL_CLOSE = -1;
    private static final long CHUNK_SIZE_NEXT = -2;

    private final Http1Connection connection;
    private final Http1Input in;
    private final boolean chunked;
    private final Runnable atEnd;
    /** Bytes left of the body or the current chunk; or UNTIL_CLOSE, or CHUNK_SIZE_NEXT. */
    private long remaining;
    /** Set once, by the end or by {@link #close} (which another thread may call to abort a stream). */
    private final AtomicBoolean ended = new AtomicBoolean();

    private Http1Body(Http1Connection connection, boolean chunked, long length, Runnable atEnd) {
        this.connection = connection;
        this.in = connection.input();
        this.chunked = chunked;
        this.remaining = length;
        this.atEnd = atEnd;
    }

    /**
     * @param atEnd runs once the last byte of a delimited body was read: hands the connection on, or closes it; a
     *              body delimited by the connection's end closes the connection itself
     * @throws ProtocolException when the {@code Content-Length} is not one number
     */
    static Http1Body of(HttpHead head, Http1Connection connection, Runnable atEnd) throws ProtocolException {
        Objects.requireNonNull(atEnd, "atEnd");
        if (ResponseBody.chunked(head)) {
            connection.input().narrow();
            return new Http1Body(connection, true, CHUNK_SIZE_NEXT, atEnd);
        }
        List<String> lengths = head.headers().all("Content-Length");
        if (!head.headers().all("Transfer-Encoding").isEmpty() || lengths.isEmpty()) {
            connection.input().narrow();
            return new Http1Body(connection, false, UNTIL_CLOSE, connection::close);
        }
        Http1Body body = new Http1Body(connection, false, ResponseBody.contentLength(lengths), atEnd);
        if (body.remaining == 0) {
            body.end();
        }
        return body;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int read = read(one, 0, 1);
        return read < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, target.length);
        if (ended.get()) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        if (remaining == UNTIL_CLOSE) {
            int read = in.read(target, offset, length);
            if (read < 0) {
                end();
            }
            return read;
        }
        if (remaining == CHUNK_SIZE_NEXT && !nextChunk()) {
            return -1;
        }
        int read = in.read(target, offset, (int) Math.min(length, remaining));
        if (read < 0) {
            throw new EOFException("the cluster closed the connection " + remaining + " bytes before the body's end");
        }
        remaining -= read;
        if (remaining == 0) {
            if (chunked) {
                chunkEnd();
            } else {
                end();
            }
        }
        return read;
    }

    /** Bytes of this body readable without blocking; 0 between chunks, so a relay flushes each watch event. */
    @Override
    public int available() throws IOException {
        if (ended.get() || remaining == CHUNK_SIZE_NEXT) {
            return 0;
        }
        int waiting = in.available();
        return remaining == UNTIL_CLOSE ? waiting : (int) Math.min(waiting, remaining);
    }

    @Override
    public void close() {
        if (ended.compareAndSet(false, true)) {
            connection.close();
        }
    }

    /** Reads the next chunk's size line; at the last chunk, the trailer section, and ends the body. */
    private boolean nextChunk() throws IOException {
        long size = ResponseBody.chunkSize(HeadReader.readLine(in, MAX_LINE));
        if (size > 0) {
            remaining = size;
            return true;
        }
        // Trailer fields are not relayed (nor were they by the client library before); the section is consumed,
        // up to the size of a response head.
        int trailerBytes = 0;
        for (String line = HeadReader.readLine(in, MAX_LINE); !line.isEmpty();
                line = HeadReader.readLine(in, MAX_LINE)) {
            trailerBytes += line.length() + 2;
            if (trailerBytes > HeadReader.DEFAULT_MAX_HEAD_BYTES) {
                throw new ProtocolException("chunked body: trailer section longer than "
                        + HeadReader.DEFAULT_MAX_HEAD_BYTES + " bytes");
            }
        }
        end();
        return false;
    }

    /** The line break after a chunk's data (CRLF, or a bare LF), read without a line buffer: every event ends here. */
    private void chunkEnd() throws IOException {
        int b = in.read();
        if (b == '\r') {
            b = in.read();
        }
        if (b < 0) {
            throw new EOFException("the cluster closed the connection after a chunk's data, before its line break");
        }
        if (b != '\n') {
            throw new ProtocolException("chunked body: data longer than its chunk size");
        }
        remaining = CHUNK_SIZE_NEXT;
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            atEnd.run();
        }
    }
}
