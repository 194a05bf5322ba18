package io.multikube.upstream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

import io.multikube.pipeline.Headers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class ResponseBodyTest {
    @Test
    void copiesExactlyContentLengthAndLeavesTheRest() throws IOException {
        InputStream in = stream("{\"code\":403}next");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long copied = ResponseBody.copy(head(403, "Content-Length", "12"), in, out);

        assertThat(copied).isEqualTo(12);
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("{\"code\":403}");
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("next");
    }

    @Test
    void copiesAChunkedBodyByteForByteAndStopsAtItsEnd() throws IOException {
        String chunked = "5;name=value\r\nhello\r\n1\r\n!\r\n0\r\nX-Trailer: yes\r\n\r\n";
        InputStream in = stream(chunked + "next");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ResponseBody.copy(head(400, "Transfer-Encoding", "chunked"), in, out);

        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo(chunked);
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("next");
    }

    @Test
    void copiesUntilCloseWithoutFraming() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ResponseBody.copy(head(400), stream("until the end"), out);

        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("until the end");
    }

    @Test
    void copiesNothingFor204And304() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ResponseBody.copy(head(204), stream("x"), out);
        ResponseBody.copy(head(304, "Content-Length", "1"), stream("x"), out);

        assertThat(out.size()).isZero();
    }

    @Test
    void refusesConflictingContentLengths() {
        HttpHead head = new HttpHead("HTTP/1.1", 400, "Bad Request",
                Headers.of("Content-Length", "3", "Content-Length", "4"));

        assertThatThrownBy(() -> ResponseBody.copy(head, stream("abcd"), new ByteArrayOutputStream()))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void aBodyShorterThanItsLengthIsEof() {
        assertThatThrownBy(() -> ResponseBody.copy(head(403, "Content-Length", "10"), stream("short"),
                new ByteArrayOutputStream()))
                .isInstanceOf(EOFException.class)
                .hasMessage("body ended 5 bytes short of 10");
    }

    /** Found by fuzzing: a field of only commas names no coding (it threw ArrayIndexOutOfBoundsException). */
    @Test
    void emptyListElementsOfTransferEncodingCountForNothing() {
        assertThat(ResponseBody.chunked(head(200, "Transfer-Encoding", ","))).isFalse();
        assertThat(ResponseBody.chunked(head(200, "Transfer-Encoding", ""))).isFalse();
        assertThat(ResponseBody.chunked(head(200, "Transfer-Encoding", ", chunked ,"))).isTrue();
        assertThat(ResponseBody.chunked(head(200, "Transfer-Encoding", "chunked", "Transfer-Encoding", ","))).isTrue();
        assertThat(ResponseBody.chunked(head(200, "Transfer-Encoding", "chunked, gzip"))).isFalse();
    }

    @Test
    void aContentLengthWithoutANumberIsRefused() {
        assertThatThrownBy(() -> ResponseBody.copy(head(200, "Content-Length", ","), stream("abcd"),
                new ByteArrayOutputStream())).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> ResponseBody.contentLength(java.util.List.of("")))
                .isInstanceOf(ProtocolException.class);
    }

    private static HttpHead head(int code, String... fields) {
        return new HttpHead("HTTP/1.1", code, "", Headers.of(fields));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
