package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RelayBufferTest {

    @Test
    void aStreamedBodyStartsSmall() {
        assertThat(RelayBuffer.adaptive(512, 16 * 1024).bytes()).hasSize(512);
    }

    @Test
    void fullReadsDoubleTheBufferUpToTheMaximum() {
        RelayBuffer buffer = RelayBuffer.adaptive(512, 4096);
        int[] sizes = new int[5];
        for (int i = 0; i < sizes.length; i++) {
            buffer.filled(buffer.bytes().length);
            sizes[i] = buffer.bytes().length;
        }
        assertThat(sizes).containsExactly(1024, 2048, 4096, 4096, 4096);
    }

    @Test
    void smallReadsHalveItDownToTheMinimum() {
        RelayBuffer buffer = RelayBuffer.adaptive(512, 4096);
        for (int i = 0; i < 3; i++) {
            buffer.filled(buffer.bytes().length);
        }
        int[] sizes = new int[4];
        for (int i = 0; i < sizes.length; i++) {
            buffer.filled(100);
            sizes[i] = buffer.bytes().length;
        }
        assertThat(sizes).containsExactly(2048, 1024, 512, 512);
    }

    @Test
    void readsBetweenAQuarterAndFullKeepTheBuffer() {
        RelayBuffer buffer = RelayBuffer.adaptive(512, 4096);
        buffer.filled(512);
        byte[] before = buffer.bytes();

        buffer.filled(256);
        buffer.filled(1023);

        assertThat(buffer.bytes()).isSameAs(before).hasSize(1024);
    }

    @Test
    void aFixedBufferNeverChanges() {
        RelayBuffer buffer = RelayBuffer.fixed(1000);
        byte[] before = buffer.bytes();

        buffer.filled(1000);
        buffer.filled(1);

        assertThat(buffer.bytes()).isSameAs(before).hasSize(1000);
    }

    @Test
    void boundsMustMakeSense() {
        assertThatThrownBy(() -> RelayBuffer.adaptive(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RelayBuffer.adaptive(20, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
