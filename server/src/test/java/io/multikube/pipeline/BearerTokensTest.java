package io.multikube.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.multikube.status.RouterException;

class BearerTokensTest {
    @ParameterizedTest
    @ValueSource(strings = {"Bearer eyJ.a.b", "bearer eyJ.a.b", "BEARER eyJ.a.b", "  bEaReR   eyJ.a.b  "})
    void theSchemeIsCaseInsensitiveAndTheTokenTrimmed(String authorization) {
        assertThat(BearerTokens.from(authorization(authorization))).isEqualTo("eyJ.a.b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic YWxpY2U6c2VjcmV0", "Bearereyj.a.b", "eyJ.a.b", "Token eyJ.a.b"})
    void anotherSchemeOrNoSchemeIsRefusedNamingWhatWasSent(String authorization) {
        assertThatThrownBy(() -> BearerTokens.from(authorization(authorization)))
                .isInstanceOf(RouterException.Unauthorized.class)
                .hasMessageEndingWith("is not accepted (expected: Bearer)")
                .hasMessageNotContaining("YWxpY2U6c2VjcmV0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer    ", "bearer\t"})
    void anEmptyBearerTokenIsRefused(String authorization) {
        assertThatThrownBy(() -> BearerTokens.from(authorization(authorization)))
                .isInstanceOf(RouterException.Unauthorized.class)
                .hasMessage("empty bearer token (expected: a JWT)");
    }

    private static Headers authorization(String value) {
        return new Headers(List.of(new Headers.Header("Authorization", value)));
    }
}
