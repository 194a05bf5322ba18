package io.multikube.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.multikube.status.RouterException;

class ClusterPathTest {
    @Test
    void pathWithoutPrefixGoesToTheClusterUnchanged() {
        ClusterPath path = ClusterPath.parse("/api/v1/namespaces/default/pods");

        assertThat(path.contextName()).isEmpty();
        assertThat(path.clusterPath()).isEqualTo("/api/v1/namespaces/default/pods");
    }

    @Test
    void prefixNamesTheContextAndIsRemoved() {
        ClusterPath path = ClusterPath.parse("/clusters/prod/api/v1/pods");

        assertThat(path.contextName()).contains("prod");
        assertThat(path.clusterPath()).isEqualTo("/api/v1/pods");
    }

    @Test
    void bareprefixMapsToTheClusterRoot() {
        assertThat(ClusterPath.parse("/clusters/prod").clusterPath()).isEqualTo("/");
    }

    @Test
    void encodedSlashStaysInsideTheContextName() {
        // EKS context names contain '/': arn:aws:eks:region:account:cluster/name
        ClusterPath path = ClusterPath.parse("/clusters/arn:aws:eks:eu-west-1:1:cluster%2Fprod/version");

        assertThat(path.contextName()).contains("arn:aws:eks:eu-west-1:1:cluster/prod");
        assertThat(path.clusterPath()).isEqualTo("/version");
    }

    @Test
    void restOfThePathKeepsItsExactEncoding() {
        assertThat(ClusterPath.parse("/clusters/a/api/v1/namespaces/x%2Fy/pods").clusterPath())
                .isEqualTo("/api/v1/namespaces/x%2Fy/pods");
    }

    @Test
    void mixedCasePrefixIsNotAPrefix() {
        assertThat(ClusterPath.parse("/Clusters/b/api").contextName()).isEqualTo(Optional.empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/clusters/a/../b/api", "/clusters/a/%2e%2e/b/api", "/clusters/a/%2E./b",
        "/api/./v1", "/clusters/../api", "/.."})
    void dotSegmentsAreRefused(String rawPath) {
        assertThatThrownBy(() -> ClusterPath.parse(rawPath))
                .isInstanceOf(RouterException.BadRequest.class)
                .hasMessageContaining("dot segment");
    }

    @Test
    void emptyContextNameIsRefused() {
        assertThatThrownBy(() -> ClusterPath.parse("/clusters//api"))
                .isInstanceOf(RouterException.BadRequest.class)
                .hasMessageContaining("empty context name");
    }
}
