package io.multikube.spi.cache;

import java.io.IOException;
import java.util.Optional;

/**
 * Fetches a response from the cluster on a cache miss, answering its own client as it goes.
 *
 * <p>Called on the requesting thread. Returns the response to keep when it may be cached (a complete
 * {@code 200} within the size the server allows), or empty when it must not be (an error, a body too large).
 */
@FunctionalInterface
public interface ResponseLoader {
    Optional<CachedResponse> load() throws IOException;
}
