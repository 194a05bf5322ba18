package io.multikube.upstream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.multikube.pipeline.Headers;

/**
 * The head of an HTTP/1.1 response: status line and header fields, as received. Header text keeps its bytes
 * (ISO-8859-1 both ways), so writing it again reproduces what the cluster sent.
 *
 * @param version the protocol on the status line, e.g. {@code HTTP/1.1}
 * @param code    the status code
 * @param reason  the reason phrase, possibly empty
 * @param headers the header fields in order
 */
public record HttpHead(String version, int code, String reason, Headers headers) {
    public static final int SWITCHING_PROTOCOLS = 101;

    public HttpHead {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(headers, "headers");
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("code: " + code + " (expected: 100..999)");
        }
    }

    public boolean switchingProtocols() {
        return code == SWITCHING_PROTOCOLS;
    }

    /** A copy with other header fields. */
    public HttpHead withHeaders(Headers other) {
        return new HttpHead(version, code, reason, other);
    }

    /** The head as it goes on the wire, ending with the empty line. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(out, version + " " + code + " " + reason + "\r\n");
        for (Headers.Header header : headers.fields()) {
            write(out, header.name() + ": " + header.value() + "\r\n");
        }
        write(out, "\r\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
