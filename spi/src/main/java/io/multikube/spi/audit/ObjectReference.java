package io.multikube.spi.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * What a resource request acts on, derived from its path the way the API server does.
 *
 * @param resource    the resource, for example {@code pods}
 * @param namespace   the namespace, for namespaced requests
 * @param name        the object's name, for requests on one object
 * @param apiGroup    the API group; empty for the core group
 * @param apiVersion  the API version, for example {@code v1}
 * @param subresource the subresource, for example {@code log} or {@code exec}
 */
public record ObjectReference(String resource, Optional<String> namespace, Optional<String> name, String apiGroup,
                              String apiVersion, Optional<String> subresource) {
    public ObjectReference {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(apiGroup, "apiGroup");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(subresource, "subresource");
    }
}
