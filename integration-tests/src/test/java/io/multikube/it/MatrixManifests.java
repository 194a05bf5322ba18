package io.multikube.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Manifests the matrix applies, written to temporary files. */
final class MatrixManifests {
    private MatrixManifests() {
    }

    static Path configMap(String name, String data) {
        return write(name, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: "
                + KubectlMatrixIT.NAMESPACE + "\ndata:\n  " + data + "\n");
    }

    /** A ConfigMap of about 300 KiB: a large server-side apply body. */
    static Path largeConfigMap(String name) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            data.append("  key").append(i).append(": \"").append("x".repeat(1000)).append("\"\n");
        }
        return write(name, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: "
                + KubectlMatrixIT.NAMESPACE + "\ndata:\n" + data);
    }

    static Path widget(String name) {
        return write(name, "apiVersion: matrix.multikube.io/v1\nkind: Widget\nmetadata:\n  name: " + name
                + "\n  namespace: " + KubectlMatrixIT.NAMESPACE + "\nspec:\n  size: 3\n");
    }

    static Path crd() {
        return write("crd", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: widgets.matrix.multikube.io
                spec:
                  group: matrix.multikube.io
                  scope: Namespaced
                  names: {plural: widgets, singular: widget, kind: Widget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              size: {type: integer}
                """);
    }

    private static Path write(String name, String yaml) {
        try {
            return Files.writeString(Files.createTempFile(name + "-", ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
