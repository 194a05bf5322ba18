package io.multikube.upstream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Copies the body of a response that did not switch protocols, byte for byte and in its own framing
 * ({@code Content-Length}, chunked, or until the cluster closes), stopping exactly at its end.
 */
final class ResponseBody {
    private static final int MAX_LINE = 8 * 1024;

    private ResponseBody() {
    }

    /** @return the number of bytes copied */
    static long copy(HttpHead head, InputStream in, OutputStream out) throws IOException {
        if (head.code() < 200 || head.code() == 204 || head.code() == 304) {
            return 0;
        }
        if (chunked(head)) {
            return copyChunked(in, out);
        }
        List<String> lengths = head.headers().all("Content-Length");
        if (!lengths.isEmpty()) {
            return copyExactly(in, out, contentLength(lengths));
        }
        return in.transferTo(out);
    }

    /**
     * Whether the last transfer coding is {@code chunked}. Empty list elements count for nothing (RFC 9110 5.6.1): a
     * field of only commas names no coding, and the body then ends with the connection.
     */
    static boolean chunked(HttpHead head) {
        String last = "";
        for (String value : head.headers().all("Transfer-Encoding")) {
            for (String coding : value.split(",")) {
                if (!coding.isBlank()) {
                    last = coding.strip();
                }
            }
        }
        return last.toLowerCase(Locale.ROOT).equals("chunked");
    }

    static long contentLength(List<String> values) throws ProtocolException {
        long length = -1;
        for (String value : values) {
            for (String part : value.split(",")) {
                long parsed;
                try {
                    parsed = Long.parseLong(part.strip());
                } catch (NumberFormatException e) {
                    parsed = -1;
                }
                if (parsed < 0 || (length >= 0 && parsed != length)) {
                    throw new ProtocolException("Content-Length: " + values + " (expected: one non-negative number)");
                }
                length = parsed;
            }
        }
        if (length < 0) {
            throw new ProtocolException("Content-Length: " + values + " (expected: one non-negative number)");
        }
        return length;
    }

    private static long copyChunked(InputStream in, OutputStream out) throws IOException {
        long total = 0;
        while (true) {
            String sizeLine = HeadReader.readLine(in, MAX_LINE);
            total += writeLine(out, sizeLine);
            long size = chunkSize(sizeLine);
            if (size == 0) {
                break;
            }
            total += copyExactly(in, out, size);
            String end = HeadReader.readLine(in, MAX_LINE);
            if (!end.isEmpty()) {
                throw new ProtocolException("chunked body: data longer than its chunk size");
            }
            total += writeLine(out, end);
        }
        // trailer fields, then the empty line
        for (String line = HeadReader.readLine(in, MAX_LINE); ; line = HeadReader.readLine(in, MAX_LINE)) {
            total += writeLine(out, line);
            if (line.isEmpty()) {
                return total;
            }
        }
    }

    static long chunkSize(String line) throws ProtocolException {
        int extension = line.indexOf(';');
        String hex = (extension < 0 ? line : line.substring(0, extension)).strip();
        try {
            long size = Long.parseLong(hex, 16);
            if (size >= 0 && !hex.isEmpty()) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ProtocolException("chunk size: \"" + hex + "\" (expected: hexadecimal digits)");
    }

    private static int writeLine(OutputStream out, String line) throws IOException {
        byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        out.write(bytes);
        return bytes.length;
    }

    private static long copyExactly(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long remaining = length;
        while (remaining > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (read < 0) {
                throw new EOFException("body ended " + remaining + " bytes short of " + length);
            }
            out.write(buffer, 0, read);
            remaining -= read;
        }
        return length;
    }
}
