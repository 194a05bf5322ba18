package io.multikube.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;

/**
 * Supplies a serve flag's values when it is not on the command line: first from the environment
 * ({@code MULTIKUBE_TLS_PORT=9443} for {@code --tls-port}), then from the YAML config file ({@code --config} or
 * {@code MULTIKUBE_CONFIG}; keys are the flag names without dashes: {@code tls-port: 9443},
 * {@code scheme: [http, https]}, {@code audit-option: {url: https://...}}), then the built-in default. So: flags >
 * environment > file > defaults. {@code KEY=VALUE} flags do not come from the environment (one variable could not
 * tell its pairs apart), and an empty variable counts as unset.
 */
final class ConfigFileDefaults implements FlagDefaults {
    /** Every serve flag {@code --some-flag} can come from {@code MULTIKUBE_SOME_FLAG}. */
    static final String ENV_PREFIX = "MULTIKUBE_";

    private final Optional<Config> config;
    private final Optional<Path> file;
    private final Map<String, String> environment;

    private ConfigFileDefaults(Optional<Path> file, Map<String, String> environment) {
        this.file = file;
        this.config = file.map(ConfigFileDefaults::load);
        this.environment = Map.copyOf(environment);
    }

    /** Finds {@code --config FILE} or {@code --config=FILE} before the flags are applied. */
    static ConfigFileDefaults fromArguments(String[] args) {
        return fromArguments(args, System.getenv());
    }

    static ConfigFileDefaults fromArguments(String[] args, Map<String, String> environment) {
        // The last --config wins, as the last of any flag does.
        String file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                file = args[i].substring("--config=".length());
            }
        }
        if (file == null) {
            String fromEnvironment = environment.get(ENV_PREFIX + "CONFIG");
            file = fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment;
        }
        return new ConfigFileDefaults(Optional.ofNullable(file).map(Path::of), environment);
    }

    /** The environment variable of a flag: {@code --tls-port} → {@code MULTIKUBE_TLS_PORT}. */
    static String environmentName(String flag) {
        return ENV_PREFIX + flag.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static Config load(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new UsageException("--config: cannot read " + file + " (expected: a readable YAML file)");
        }
        try {
            return Config.builder()
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .addSource(ConfigSources.file(file).build())
                    .build();
        } catch (ConfigException e) {
            throw new UsageException("--config: " + file + " is not a YAML mapping of flag names to values ("
                    + e.getMessage() + ")");
        }
    }

    @Override
    public Optional<Sourced> valuesFor(Flag flag) {
        String variable = environmentName(flag.name());
        String fromEnvironment = environment.get(variable);
        if (fromEnvironment != null && !fromEnvironment.isEmpty() && flag.kind() != Flag.Kind.KEY_VALUE) {
            return Optional.of(new Sourced(variable, List.of(fromEnvironment)));
        }
        if (config.isEmpty()) {
            return Optional.empty();
        }
        String key = flag.name().substring(2);
        Config node = config.get().get(key);
        if (!node.exists()) {
            return Optional.empty();
        }
        String source = file.orElseThrow().getFileName() + ": " + key;
        try {
            return Optional.of(new Sourced(source, values(node)));
        } catch (ConfigException e) {
            throw new UsageException(source + ": nested too deep (expected: a value, a list of values or a mapping "
                    + "of keys to values)");
        }
    }

    /** A scalar is one value, a list one per item, a mapping one {@code KEY=VALUE} per entry. */
    private static List<String> values(Config node) {
        return switch (node.type()) {
            case LIST -> node.asNodeList().get().stream().map(item -> item.asString().get()).toList();
            case OBJECT -> node.asNodeList().get().stream()
                    .map(entry -> entry.name() + "=" + entry.asString().get()).toList();
            default -> List.of(node.asString().get());
        };
    }
}
