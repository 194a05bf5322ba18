package io.multikube.upstream;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

import io.multikube.pipeline.Headers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class HeadReaderTest {
    @Test
    void parsesStatusLineAndRepeatedFieldsInOrder() throws IOException {
        HttpHead head = HeadReader.read(stream("HTTP/1.1 101 Switching Protocols\r\n"
                + "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
                + "Set-Cookie: a\r\nSet-Cookie:  b \r\n\r\n"), 1024);

        assertThat(head.version()).isEqualTo("HTTP/1.1");
        assertThat(head.code()).isEqualTo(101);
        assertThat(head.reason()).isEqualTo("Switching Protocols");
        assertThat(head.switchingProtocols()).isTrue();
        assertThat(head.headers().fields()).extracting(Headers.Header::name)
                .containsExactly("Connection", "Upgrade", "X-Stream-Protocol-Version", "Set-Cookie", "Set-Cookie");
        assertThat(head.headers().all("set-cookie")).containsExactly("a", "b");
    }

    @Test
    void leavesWhatFollowsTheHeadInTheStream() throws IOException {
        InputStream in = stream("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0005hello");

        HeadReader.read(in, 1024);

        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("\u0081\u0005hello");
    }

    @Test
    void acceptsBareLineFeedsAndAnEmptyReason() throws IOException {
        HttpHead head = HeadReader.read(stream("HTTP/1.1 403\nContent-Length: 0\n\n"), 1024);

        assertThat(head.code()).isEqualTo(403);
        assertThat(head.reason()).isEmpty();
        assertThat(head.headers().all("Content-Length")).containsExactly("0");
    }

    @Test
    void replacesObsoleteLineFoldingWithASpace() throws IOException {
        HttpHead head = HeadReader.read(stream("HTTP/1.1 200 OK\r\nX-Long: one\r\n  two\r\n\r\n"), 1024);

        assertThat(head.headers().all("X-Long")).containsExactly("one two");
    }

    @Test
    void refusesAHeadOverTheLimit() {
        String head = "HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(200) + "\r\n\r\n";

        assertThatThrownBy(() -> HeadReader.read(stream(head), 100))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("response head: longer than 100 bytes");
    }

    @Test
    void refusesAMalformedStatusLine() {
        assertThatThrownBy(() -> HeadReader.read(stream("SSH-2.0-OpenSSH\r\n\r\n"), 1024))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("SSH-2.0-OpenSSH");
        assertThatThrownBy(() -> HeadReader.read(stream("HTTP/1.1 20x OK\r\n\r\n"), 1024))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void refusesAFieldWithoutAName() {
        assertThatThrownBy(() -> HeadReader.read(stream("HTTP/1.1 200 OK\r\n: value\r\n\r\n"), 1024))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void endOfStreamBeforeTheEmptyLineIsEof() {
        assertThatThrownBy(() -> HeadReader.read(stream("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n"), 1024))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void writesTheHeadBackAsReceived() throws IOException {
        String text = "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                + "X-Latin: caf\u00e9\r\n\r\n";

        HttpHead head = HeadReader.read(stream(text), 1024);

        assertThat(new String(head.toBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(text);
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
