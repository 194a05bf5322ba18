package io.multikube.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class Http1InputTest {

    @Test
    void narrowedItKeepsWhatItHoldsAndFillsASmallBufferNext() throws IOException {
        byte[] bytes = "x".repeat(6000).getBytes(StandardCharsets.US_ASCII);
        Http1Input in = new Http1Input(new ByteArrayInputStream(bytes));
        assertThat(in.read()).isEqualTo('x');

        in.narrow();

        assertThat(in.bufferBytes()).as("still holding what the full buffer read").isEqualTo(Http1Input.BUFFER_BYTES);
        assertThat(in.readNBytes(Http1Input.BUFFER_BYTES - 1)).hasSize(Http1Input.BUFFER_BYTES - 1);
        assertThat(in.read()).isEqualTo('x');
        assertThat(in.bufferBytes()).isEqualTo(Http1Input.STREAM_BUFFER_BYTES);
    }

    @Test
    void widenedItFillsAFullBufferAgain() throws IOException {
        Http1Input in = new Http1Input(new ByteArrayInputStream(new byte[10_000]));
        in.narrow();
        in.read();
        assertThat(in.bufferBytes()).isEqualTo(Http1Input.STREAM_BUFFER_BYTES);

        in.widen();
        in.readNBytes(Http1Input.STREAM_BUFFER_BYTES - 1);
        in.read();

        assertThat(in.bufferBytes()).isEqualTo(Http1Input.BUFFER_BYTES);
    }

    @Test
    void aReadLongerThanTheSmallBufferGoesPastIt() throws IOException {
        byte[] bytes = new byte[3000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        Http1Input in = new Http1Input(new ByteArrayInputStream(bytes));
        in.narrow();
        in.read();

        byte[] rest = in.readAllBytes();

        assertThat(rest).hasSize(bytes.length - 1);
        assertThat(rest[0]).isEqualTo((byte) 1);
        assertThat(rest[rest.length - 1]).isEqualTo(bytes[bytes.length - 1]);
    }
}
