package io.multikube.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.multikube.auth.Identity;
import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.Kubeconfig;
import io.multikube.status.RouterException;

class SelectContextTest {
    private static final Kubeconfig KUBECONFIG = new Kubeconfig(Path.of("kubeconfig"),
            Map.of("a", context("a"), "b", context("b")), Map.of("broken", "CA file missing"));
    private final SelectContext select = new SelectContext(() -> KUBECONFIG);

    @Test
    void singleContextTokenNeedsNoSelection() {
        assertThat(select.apply(request("/api", identity("a"))).context().name()).isEqualTo("a");
    }

    @Test
    void pathPrefixSelectsAmongAllowedContexts() {
        RoutedRequest routed = select.apply(request("/clusters/b/api", identity("a", "b")));

        assertThat(routed.context().name()).isEqualTo("b");
        assertThat(routed.clusterPath()).isEqualTo("/api");
    }

    @Test
    void headerSelectsAmongAllowedContexts() {
        var request = request("/api", identity("a", "b"), SelectContext.CONTEXT_HEADER, "b");

        assertThat(select.apply(request).context().name()).isEqualTo("b");
    }

    @Test
    void pathNamingAContextTheTokenDoesNotAllowIsForbidden() {
        assertThatThrownBy(() -> select.apply(request("/clusters/b/api", identity("a"))))
                .isInstanceOf(RouterException.Forbidden.class)
                .hasMessageContaining("\"b\"");
    }

    @Test
    void headerNamingAContextTheTokenDoesNotAllowIsForbidden() {
        var request = request("/api", identity("a"), SelectContext.CONTEXT_HEADER, "b");

        assertThatThrownBy(() -> select.apply(request)).isInstanceOf(RouterException.Forbidden.class);
    }

    @Test
    void pathAndHeaderThatDisagreeAreForbidden() {
        var request = request("/clusters/a/api", identity("a", "b"), SelectContext.CONTEXT_HEADER, "b");

        assertThatThrownBy(() -> select.apply(request)).isInstanceOf(RouterException.Forbidden.class);
    }

    @Test
    void severalAllowedAndNoneChosenIsBadRequestThatSaysHowToChoose() {
        assertThatThrownBy(() -> select.apply(request("/api", identity("a", "b"))))
                .isInstanceOf(RouterException.BadRequest.class)
                .hasMessageContaining("/clusters/<context>/")
                .hasMessageContaining(SelectContext.CONTEXT_HEADER);
    }

    @Test
    void unknownContextIsContextNotFoundNamingItAndTheKnownOnes() {
        assertThatThrownBy(() -> select.apply(request("/api", identity("prod"))))
                .isInstanceOf(RouterException.ContextNotFound.class)
                .hasMessage("ContextNotFound: context \"prod\" is not configured (known: a, b)")
                .satisfies(e -> assertThat(((RouterException) e).code()).isEqualTo(404));
    }

    @Test
    void brokenContextIsUnavailableWithoutDetails() {
        assertThatThrownBy(() -> select.apply(request("/api", identity("broken"))))
                .isInstanceOf(RouterException.ServiceUnavailable.class)
                .hasMessageNotContaining("CA file");
    }

    @Test
    void confusableContextNameDoesNotMatch() {
        // Cyrillic 'а' (U+0430) looks like Latin 'a'.
        assertThatThrownBy(() -> select.apply(request("/api", identity("\u0430"))))
                .isInstanceOf(RouterException.ContextNotFound.class);
    }

    static ClusterContext context(String name) {
        return new ClusterContext(name, URI.create("https://" + name + ".example:6443"), Optional.empty(),
                Optional.empty());
    }

    static Identity identity(String... contexts) {
        return new Identity("alice", List.of(), List.of(contexts), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    static AuthenticatedRequest request(String path, Identity identity, String... headers) {
        return new AuthenticatedRequest(new InboundRequest("GET", path, "", Headers.of(headers),
                new InetSocketAddress("127.0.0.1", 40000), false), identity);
    }
}
