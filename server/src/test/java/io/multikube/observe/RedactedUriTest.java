package io.multikube.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactedUriTest {
    @Test
    void keepsAQueryWithoutTokenParametersExactlyAsSent() {
        assertThat(RedactedUri.of("/api/v1/pods", "labelSelector=app%3Dx%2C%21y&limit=500&limit=1&watch"))
                .isEqualTo("/api/v1/pods?labelSelector=app%3Dx%2C%21y&limit=500&limit=1&watch");
        assertThat(RedactedUri.of("/api", "")).isEqualTo("/api");
    }

    @Test
    void redactsTheValuesOfTokenParametersInAnyCaseOrEncoding() {
        assertThat(RedactedUri.of("/api/v1/pods", "access_token=eyJ.a.b&watch=1&ID_TOKEN=eyJ.c.d&%74oken=eyJ.e.f"))
                .isEqualTo("/api/v1/pods?access_token=REDACTED&watch=1&ID_TOKEN=REDACTED&%74oken=REDACTED");
    }

    @Test
    void keepsEmptyPairsAndNamesWithoutValues() {
        assertThat(RedactedUri.of("/api", "a=1&&token&access_token=")).isEqualTo("/api?a=1&&token&access_token=REDACTED");
    }
}
