package io.multikube.cache.memory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.multikube.spi.PluginConfig;
import io.multikube.spi.PluginContext;
import io.multikube.spi.cache.ResponseCache;
import io.multikube.spi.testkit.ResponseCacheContract;

/** The memory cache, created through its provider as the server creates it, holds the SPI's contract. */
class MemoryResponseCacheContractTest extends ResponseCacheContract {
    @Override
    protected ResponseCache createCache(Duration ttl, long maxBytes, Clock clock) {
        return new MemoryCacheProvider().create(new PluginConfig("response cache \"memory\"",
                Map.of("ttl", ttl.toMillis() + "ms", "max-size", Long.toString(maxBytes))),
                PluginContext.of(Path.of(System.getProperty("java.io.tmpdir")), clock));
    }
}
