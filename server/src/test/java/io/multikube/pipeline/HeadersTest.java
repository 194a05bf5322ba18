package io.multikube.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeadersTest {
    private final Headers headers = Headers.of("Accept", "application/json", "X-Note", "one",
            "accept", "application/yaml", "x-NOTE", "two");

    @Test
    void lookupsIgnoreTheCaseOfNamesAndKeepTheOrderOfRepeatedFields() {
        assertThat(headers.first("ACCEPT")).contains("application/json");
        assertThat(headers.all("x-note")).containsExactly("one", "two");
        assertThat(headers.contains("X-Note")).isTrue();
        assertThat(headers.first("Authorization")).isEmpty();
        assertThat(headers.all("Authorization")).isEmpty();
        assertThat(headers.contains("Authorization")).isFalse();
    }

    @Test
    void editsReturnNewListsAndLeaveTheOriginalAlone() {
        Headers edited = headers.without("accept").with("X-Note", "three");

        assertThat(edited.fields()).containsExactly(new Headers.Header("X-Note", "three"));
        assertThat(headers.filter(field -> field.named("x-note")).fields()).containsExactly(
                new Headers.Header("X-Note", "one"), new Headers.Header("x-NOTE", "two"));
        assertThat(headers.fields()).hasSize(4);
    }

    @Test
    void connectionNominatesHopByHopFieldsInAnyCase() {
        Headers nominated = Headers.of("Connection", "Keep-Alive, X-Secret", "connection", " upgrade ,");

        assertThat(nominated.nominatedByConnection()).containsExactlyInAnyOrder("keep-alive", "x-secret", "upgrade");
    }
}
