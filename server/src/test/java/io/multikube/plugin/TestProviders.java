package io.multikube.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.multikube.spi.PluginConfig;
import io.multikube.spi.PluginContext;
import io.multikube.spi.audit.AuditEvent;
import io.multikube.spi.audit.AuditSink;
import io.multikube.spi.audit.AuditSinkProvider;
import io.multikube.spi.cache.CacheKey;
import io.multikube.spi.cache.CachedResponse;
import io.multikube.spi.cache.ResponseCache;
import io.multikube.spi.cache.ResponseCacheProvider;
import io.multikube.spi.cache.ResponseLoader;

/** Providers listed in this module's test META-INF/services, to exercise the loader (used only when named). */
public final class TestProviders {
    /** Events recorded by the "memory" sink, and whether it was closed. */
    public static final List<AuditEvent> RECORDED = java.util.Collections.synchronizedList(new ArrayList<>());
    static volatile boolean memorySinkClosed;
    /** While set, the "memory" sink reports this failure (a full disk, say). */
    public static volatile String memorySinkFailure;

    private TestProviders() {
    }

    /** An audit sink keeping events in {@link #RECORDED}. */
    public static final class MemorySink implements AuditSinkProvider {
        @Override
        public String name() {
            return "memory";
        }

        @Override
        public AuditSink create(PluginConfig config, PluginContext context) {
            memorySinkClosed = false;
            return new AuditSink() {
                @Override
                public void record(AuditEvent event) {
                    RECORDED.add(event);
                }

                @Override
                public Optional<String> failure() {
                    return Optional.ofNullable(memorySinkFailure);
                }

                @Override
                public void close() {
                    memorySinkClosed = true;
                }
            };
        }
    }

    /** Two providers share the name "twin", so choosing it is ambiguous. */
    public static final class TwinOne extends Named {
        public TwinOne() {
            super("twin");
        }
    }

    /** The other "twin". */
    public static final class TwinTwo extends Named {
        public TwinTwo() {
            super("twin");
        }
    }

    /** Cannot even be constructed: the loader must report it and keep the others. */
    public static final class Broken implements AuditSinkProvider {
        public Broken() {
            throw new IllegalStateException("broken on purpose");
        }

        @Override
        public String name() {
            return "broken";
        }

        @Override
        public AuditSink create(PluginConfig config, PluginContext context) {
            throw new AssertionError("never constructed");
        }
    }

    /** Constructs, but refuses its configuration. */
    public static final class Refusing implements AuditSinkProvider {
        @Override
        public String name() {
            return "refusing";
        }

        @Override
        public AuditSink create(PluginConfig config, PluginContext context) {
            throw new IllegalArgumentException("setting \"url\" is " + config.get("url").orElse("missing"));
        }
    }

    /** A cache whose creation fails, to show that plugins created before it are closed. */
    public static final class FailingCache implements ResponseCacheProvider {
        @Override
        public String name() {
            return "failing";
        }

        @Override
        public ResponseCache create(PluginConfig config, PluginContext context) {
            throw new io.multikube.spi.PluginException("response cache \"failing\": no memory on purpose");
        }
    }

    /** A cache that never keeps anything. */
    public static final class NoCache implements ResponseCacheProvider {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public ResponseCache create(PluginConfig config, PluginContext context) {
            return new ResponseCache() {
                @Override
                public Optional<CachedResponse> get(CacheKey key, ResponseLoader loader) throws java.io.IOException {
                    loader.load();
                    return Optional.empty();
                }
            };
        }
    }

    static class Named implements AuditSinkProvider {
        private final String name;

        Named(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public AuditSink create(PluginConfig config, PluginContext context) {
            return event -> { };
        }
    }
}
