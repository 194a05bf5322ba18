package io.multikube.cache.memory;

import io.multikube.spi.PluginConfig;
import io.multikube.spi.PluginContext;
import io.multikube.spi.cache.ResponseCache;
import io.multikube.spi.cache.ResponseCacheProvider;

/**
 * The response cache named {@code memory}: complete cluster answers held in this process's memory, on Caffeine.
 * Settings: {@code ttl} (required, above 0; {@code --cache-ttl}) and {@code max-size} (bytes, default 256 MiB;
 * {@code --cache-max-size}).
 */
public final class MemoryCacheProvider implements ResponseCacheProvider {
    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String description() {
        return "safe reads kept in memory for --cache-ttl, bounded by --cache-max-size (Caffeine)";
    }

    @Override
    public ResponseCache create(PluginConfig config, PluginContext context) {
        return new MemoryResponseCache(MemoryCacheSettings.from(config), context.clock());
    }
}
