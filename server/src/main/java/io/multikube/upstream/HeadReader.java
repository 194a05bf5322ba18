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
        return new HeadReader(in, maxBytes).line();
    }

    private HttpHead head() throws IOException {
        String statusLine = line();
        List<Headers.Header> fields = new ArrayList<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                // obs-fold: RFC 9112 section 5.2 lets a recipient replace it with a space
                if (fields.isEmpty()) {
                    throw new ProtocolException("response head: continuation line before any header field");
                }
                Headers.Header last = fields.removeLast();
                fields.add(new Headers.Header(last.name(), last.value() + " " + line.strip()));
                continue;
            }
            fields.add(field(line));
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

    private static Headers.Header field(String line) throws ProtocolException {
        int colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line, colon)) {
            throw new ProtocolException("header field: \"" + printable(line) + "\" (expected: name: value)");
        }
        return new Headers.Header(line.substring(0, colon), line.substring(colon + 1).strip());
    }

    private String line() throws IOException {
        // Every proxied answer's head passes here: no per-line stream, no locks, no regular expressions.
        byte[] line = new byte[128];
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("stream ended after " + consumed + " bytes of a response head");
            }
            if (++consumed > maxBytes) {
                throw new ProtocolException("response head: longer than " + maxBytes + " bytes");
            }
            if (b == '\n') {
                int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                return new String(line, 0, end, StandardCharsets.ISO_8859_1);
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, length * 2);
            }
            line[length++] = (byte) b;
        }
    }

    private static boolean isToken(String text, int end) {
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
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
