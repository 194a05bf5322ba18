package io.multikube.spi.cache;

import io.multikube.spi.PluginProvider;

/**
 * Creates a {@link ResponseCache}. List implementations in
 * {@code META-INF/services/io.multikube.spi.cache.ResponseCacheProvider}; {@code --cache=NAME} picks one
 * ({@code --cache-ttl} turns caching on with the provider named {@code memory}).
 */
public interface ResponseCacheProvider extends PluginProvider<ResponseCache> {
}
