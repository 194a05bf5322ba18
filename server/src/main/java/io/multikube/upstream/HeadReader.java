package io.multikube.upstream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.multikube.pipeline.Headers;

/**
 * Reads an HTTP/1.1 response head from a stream, byte by byte so that nothing after the empty line is consumed:
 * what follows (body, or the first bytes of an upgraded protocol) stays in the stream. Give it a buffered stream.
 */
public final class HeadReader {
    public static final int DEFAULT_MAX_HEAD_BYTES = 64 * 1024;

    /** RFC 9110 5.6.2: a field name is a token, one or more of these characters. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c : "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private final InputStream in;
    private final int maxBytes;
    private int consumed;
    /** The line being read, without its line break: one buffer for every line of a head. */
    private byte[] line = new byte[128];
    private int length;

    private HeadReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /**
     * @throws EOFException      when the stream ends before the head is complete
     * @throws ProtocolException when the head is malformed or longer than {@code maxBytes}
     */
    public static HttpHead read(InputStream in, int maxBytes) throws IOException {
        if (maxBytes < 16) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 16)");
        }
        return new HeadReader(in, maxBytes).head();
    }

    /**
     * One line without its line break (CRLF, or a bare LF), counted against the same limit as a head.
     *
     * @throws EOFException when the stream ends before the line does
     */
    static String readLine(InputStream in, int maxBytes) throws IOException {
        HeadReader reader = new HeadReader(in, maxBytes);
        reader.nextLine();
        return reader.text(0, reader.length);
    }

    private HttpHead head() throws IOException {
        nextLine();
        String statusLine = text(0, length);
        List<Headers.Header> fields = new ArrayList<>();
        for (nextLine(); length > 0; nextLine()) {
            if (line[0] == ' ' || line[0] == '\t') {
                // obs-fold: RFC 9112 section 5.2 lets a recipient replace it with a space
                if (fields.isEmpty()) {
                    throw new ProtocolException("response head: continuation line before any header field");
                }
                Headers.Header last = fields.removeLast();
                fields.add(new Headers.Header(last.name(), last.value() + " " + stripped(0, length)));
                continue;
            }
            fields.add(field());
        }
        return status(statusLine, new Headers(fields));
    }

    private static HttpHead status(String line, Headers headers) throws ProtocolException {
        // HTTP-version SP status-code SP [ reason-phrase ]
        int firstSpace = line.indexOf(' ');
        if (!line.startsWith("HTTP/1.") || firstSpace < 0 || line.length() < firstSpace + 4) {
            throw new ProtocolException("status line: \"" + printable(line) + "\" (expected: HTTP/1.x NNN reason)");
        }
        String digits = line.substring(firstSpace + 1, firstSpace + 4);
        if (digits.charAt(0) < '1' || digits.charAt(0) > '9' || !isDigit(digits.charAt(1)) || !isDigit(digits.charAt(2))
                || (line.length() > firstSpace + 4 && line.charAt(firstSpace + 4) != ' ')) {
            throw new ProtocolException("status line: \"" + printable(line) + "\" (expected: a 3-digit status code)");
        }
        String reason = line.length() > firstSpace + 5 ? line.substring(firstSpace + 5) : "";
        return new HttpHead(line.substring(0, firstSpace), Integer.parseInt(digits), reason, headers);
    }

    /** The current line as a field: its name, and its value without surrounding white space. */
    private Headers.Header field() throws ProtocolException {
        int colon = 0;
        while (colon < length && line[colon] != ':') {
            colon++;
        }
        if (colon == length || !isToken(colon)) {
            throw new ProtocolException("header field: \"" + printable(text(0, length)) + "\" (expected: name: value)");
        }
        return new Headers.Header(text(0, colon), stripped(colon + 1, length));
    }

    /**
     * Reads the next line into {@link #line}, without its line break (CRLF, or a bare LF). Every proxied answer's
     * head passes here: no per-line stream or buffer, no locks, no regular expressions.
     */
    private void nextLine() throws IOException {
        length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("stream ended after " + consumed + " bytes of a response head");
            }
            if (++consumed > maxBytes) {
                throw new ProtocolException("response head: longer than " + maxBytes + " bytes");
            }
            if (b == '\n') {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return;
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, length * 2);
            }
            line[length++] = (byte) b;
        }
    }

    private String text(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** As {@link String#strip()} would leave it: white space is what {@link Character#isWhitespace} says. */
    private String stripped(int from, int to) {
        while (from < to && Character.isWhitespace((char) (line[from] & 0xff))) {
            from++;
        }
        while (to > from && Character.isWhitespace((char) (line[to - 1] & 0xff))) {
            to--;
        }
        return text(from, to);
    }

    private boolean isToken(int end) {
        for (int i = 0; i < end; i++) {
            int c = line[i] & 0xff;
            if (c >= TCHAR.length || !TCHAR[c]) {
                return false;
            }
        }
        return end > 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String printable(String line) {
        String shortened = line.length() > 80 ? line.substring(0, 80) + "..." : line;
        return shortened.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
