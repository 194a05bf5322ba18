package io.multikube.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubectlResultTest {
    @Test
    void kubectlsOwnLogLinesAreLeftOutOfTheCommandsStandardError() {
        String err = "E1129 05:41:07.123456   12345 websocket.go:296] Unknown stream id 1, discarding message\n"
                + "to-stderr\n"
                + "command terminated with exit code 3\n";

        Kubectl.Result result = new Kubectl.Result(3, "to-stdout\n", err);

        assertThat(result.errWithoutKubectlLog()).isEqualTo("to-stderr\ncommand terminated with exit code 3\n");
    }

    @Test
    void linesThatOnlyLookSimilarStay() {
        String err = "E1129 is not a log line\nerror: E1129 05:41:07.1 1 a.go:1] quoted\n";

        assertThat(new Kubectl.Result(1, "", err).errWithoutKubectlLog()).isEqualTo(err);
    }
}
