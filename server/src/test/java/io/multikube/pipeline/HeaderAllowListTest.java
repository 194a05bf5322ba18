package io.multikube.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderAllowListTest {
    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "Proxy-Authorization", "Cookie", "Impersonate-User", "impersonate-user",
        "IMPERSONATE-GROUP", "Impersonate-Uid", "Impersonate-Extra-Scopes", "X-Remote-User", "x-remote-group",
        "X-Remote-Extra-Scopes", "X-Forwarded-For", "X-Forwarded-Host", "Forwarded", "Audit-ID", "Host",
        "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "TE", "X-Unknown"})
    void dropsHeadersOutsideTheAllowList(String name) {
        Headers kept = HeaderAllowList.apply(Headers.of(name, "value", "Accept", "application/json"), false);

        assertThat(kept.contains(name)).isFalse();
        assertThat(kept.all("Accept")).containsExactly("application/json");
    }

    @Test
    void keepsContentNegotiationAndConditionalFieldsExactly() {
        Headers client = Headers.of(
                "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
                "Accept-Encoding", "gzip",
                "Content-Type", "application/apply-patch+yaml",
                "If-None-Match", "\"abc\"",
                "User-Agent", "kubectl/v1.32.4",
                "X-Stream-Protocol-Version", "v4.channel.k8s.io",
                "X-Stream-Protocol-Version", "v3.channel.k8s.io");

        assertThat(HeaderAllowList.apply(client, false)).isEqualTo(client);
    }

    @Test
    void dropsAllowedHeadersThatConnectionNominates() {
        Headers client = Headers.of("Connection", "keep-alive, Accept, Impersonate-User",
                "Accept", "application/json", "Impersonate-User", "admin", "User-Agent", "curl");

        assertThat(HeaderAllowList.apply(client, false)).isEqualTo(Headers.of("User-Agent", "curl"));
    }

    @Test
    void upgradeKeepsUpgradeAndWebSocketFieldsOrdinaryRequestsDoNot() {
        Headers client = Headers.of("Connection", "Upgrade", "Upgrade", "websocket",
                "Sec-WebSocket-Key", "k", "Sec-WebSocket-Version", "13", "Sec-WebSocket-Protocol", "v5.channel.k8s.io");

        assertThat(HeaderAllowList.apply(client, true).fields()).hasSize(4);
        assertThat(HeaderAllowList.apply(client, false).isEmpty()).isTrue();
    }
}
