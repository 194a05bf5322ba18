package io.multikube.it;

import java.util.List;

import io.multikube.it.KubectlMatrixIT.Case;

/** The commands of the kubectl matrix, in the order they run (later ones use what earlier ones created). */
final class MatrixCases {
    private MatrixCases() {
    }

    static List<Case> all() {
        return List.of(
                new Case("version", n -> List.of("version", "-o", "json")),
                new Case("api-resources", n -> List.of("api-resources")),
                new Case("api-versions", n -> List.of("api-versions")),
                new Case("cluster-info", n -> List.of("cluster-info")),
                new Case("explain (OpenAPI v3)", n -> List.of("explain", "pods.spec.containers.resources")),
                new Case("auth whoami", n -> List.of("auth", "whoami")),
                new Case("auth can-i", n -> List.of("auth", "can-i", "create", "configmaps")),
                new Case("get --raw /version", n -> List.of("get", "--raw", "/version")),
                new Case("get --raw /api", n -> List.of("get", "--raw", "/api")),
                new Case("create", n -> List.of("create", "configmap", n, "--from-literal=a=1")),
                new Case("label", n -> List.of("label", "configmap", n, "tier=web")),
                new Case("annotate", n -> List.of("annotate", "configmap", n, "note=hello")),
                new Case("patch --type merge", n -> List.of("patch", "configmap", n, "--type", "merge",
                        "-p", "{\"data\":{\"b\":\"2\"}}")),
                new Case("patch --type json", n -> List.of("patch", "configmap", n, "--type", "json",
                        "-p", "[{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"3\"}]")),
                new Case("patch (strategic)", n -> List.of("patch", "configmap", n, "-p", "{\"data\":{\"d\":\"4\"}}")),
                new Case("get -o json", n -> List.of("get", "configmap", n, "-o", "json")),
                new Case("get -o yaml", n -> List.of("get", "configmap", n, "-o", "yaml")),
                new Case("get -o wide", n -> List.of("get", "configmap", n, "-o", "wide")),
                new Case("get (Table)", n -> List.of("get", "configmap", n)),
                new Case("get -o custom-columns", n -> List.of("get", "configmap", n,
                        "-o", "custom-columns=NAME:.metadata.name,A:.data.a,TIER:.metadata.labels.tier")),
                // describe prints a ConfigMap's data in Go's random map order
                new Case("describe", n -> List.of("describe", "configmap", n), true),
                new Case("replace", n -> List.of("replace", "-f", MatrixManifests.configMap(n, "e: \"5\"").toString())),
                new Case("apply", n -> List.of("apply", "-f", MatrixManifests.configMap(n, "f: \"6\"").toString())),
                new Case("diff", n -> List.of("diff", "-f", MatrixManifests.configMap(n, "g: \"7\"").toString())),
                new Case("apply --server-side (300 KiB)", n -> List.of("apply", "--server-side",
                        "-f", MatrixManifests.largeConfigMap("big-" + n).toString())),
                new Case("custom resource create", n -> List.of("create", "-f", MatrixManifests.widget(n).toString())),
                new Case("custom resource get", n -> List.of("get", "widgets", n, "-o", "yaml")),
                new Case("custom resource delete", n -> List.of("delete", "widget", n)),
                new Case("delete", n -> List.of("delete", "configmap", n, "big-" + n)));
    }
}
