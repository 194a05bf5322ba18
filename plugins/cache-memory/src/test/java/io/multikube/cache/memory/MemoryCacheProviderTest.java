package io.multikube.cache.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import io.multikube.spi.PluginConfig;
import io.multikube.spi.PluginContext;
import io.multikube.spi.PluginException;
import io.multikube.spi.cache.ResponseCacheProvider;

class MemoryCacheProviderTest {
    private static PluginConfig config(Map<String, String> values) {
        return new PluginConfig("response cache \"memory\"", values);
    }

    @Test
    void isFoundByTheServiceLoaderAsMemory() {
        assertThat(ServiceLoader.load(ResponseCacheProvider.class).stream().map(ServiceLoader.Provider::get)
                .map(ResponseCacheProvider::name)).contains("memory");
    }

    @Test
    void readsTheSettingsTheCliPasses() {
        MemoryCacheSettings settings = MemoryCacheSettings.from(config(Map.of("ttl", "30000ms",
                "max-size", "1048576")));
        assertThat(settings.ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.maxSizeBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void holdsAtMost256MiBByDefault() {
        assertThat(MemoryCacheSettings.from(config(Map.of("ttl", "5s"))).maxSizeBytes())
                .isEqualTo(256L * 1024 * 1024);
    }

    @Test
    void refusesToStartWithoutATimeToLive() {
        assertThatThrownBy(() -> create(Map.of())).isInstanceOf(PluginException.class)
                .hasMessageContaining("ttl=\"\"").hasMessageContaining("expected: a duration above 0");
    }

    @Test
    void refusesAZeroTimeToLive() {
        assertThatThrownBy(() -> create(Map.of("ttl", "0s"))).isInstanceOf(PluginException.class)
                .hasMessageContaining("ttl=\"0s\"");
    }

    @Test
    void refusesASizeBoundBelowOneByte() {
        assertThatThrownBy(() -> create(Map.of("ttl", "5s", "max-size", "0"))).isInstanceOf(PluginException.class)
                .hasMessageContaining("max-size=0 (expected: > 0 bytes)");
    }

    @Test
    void refusesAMisspeltSetting() {
        assertThatThrownBy(() -> create(Map.of("ttl", "5s", "maxsize", "10"))).isInstanceOf(PluginException.class)
                .hasMessageContaining("unknown setting(s) [maxsize]");
    }

    private static void create(Map<String, String> values) {
        new MemoryCacheProvider().create(config(values), PluginContext.of(Path.of("."), Clock.systemUTC())).close();
    }
}
