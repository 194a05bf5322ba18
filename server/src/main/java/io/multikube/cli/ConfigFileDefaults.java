package io.multikube.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.ConfigValue;
import picocli.CommandLine;

/**
 * Supplies a serve flag's value when it is not on the command line: first from the environment
 * ({@code MULTIKUBE_TLS_PORT=9443} for {@code --tls-port}), then from the YAML config file ({@code --config} or
 * {@code MULTIKUBE_CONFIG}; keys are the flag names without dashes: {@code tls-port: 9443},
 * {@code scheme: [http, https]}), then the built-in default. So: flags > environment > file > defaults.
 */
final class ConfigFileDefaults implements CommandLine.IDefaultValueProvider {
    /** Every serve flag {@code --some-flag} can come from {@code MULTIKUBE_SOME_FLAG}. */
    static final String ENV_PREFIX = "MULTIKUBE_";

    private final Optional<Config> config;
    private final Map<String, String> environment;

    private ConfigFileDefaults(Optional<Config> config, Map<String, String> environment) {
        this.config = config;
        this.environment = Map.copyOf(environment);
    }

    /** Finds {@code --config FILE} or {@code --config=FILE} before picocli parses anything. */
    static ConfigFileDefaults fromArguments(String[] args) {
        return fromArguments(args, System.getenv());
    }

    static ConfigFileDefaults fromArguments(String[] args, Map<String, String> environment) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return load(Path.of(args[i + 1]), environment);
            }
            if (args[i].startsWith("--config=")) {
                return load(Path.of(args[i].substring("--config=".length())), environment);
            }
        }
        String fromEnvironment = environment.get(ENV_PREFIX + "CONFIG");
        return fromEnvironment == null || fromEnvironment.isBlank()
                ? new ConfigFileDefaults(Optional.empty(), environment)
                : load(Path.of(fromEnvironment), environment);
    }

    /** The environment variable of a flag: {@code --tls-port} → {@code MULTIKUBE_TLS_PORT}. */
    static String environmentName(String flag) {
        return ENV_PREFIX + flag.replaceFirst("^--", "").replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }

    private static ConfigFileDefaults load(Path file, Map<String, String> environment) {
        if (!Files.isReadable(file)) {
            throw new CommandLine.ParameterException(new CommandLine(new Object()),
                    "--config: cannot read " + file + " (expected: a readable YAML file)");
        }
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.file(file).build())
                .build();
        return new ConfigFileDefaults(Optional.of(config), environment);
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argument) {
        if (!(argument instanceof CommandLine.Model.OptionSpec option) || !servesFlag(option)) {
            return argument.defaultValue();
        }
        String fromEnvironment = environment.get(environmentName(option.longestName()));
        if (fromEnvironment != null && !option.typeInfo().isMap()) {
            return fromEnvironment;
        }
        if (config.isEmpty()) {
            return argument.defaultValue();
        }
        String key = option.longestName().replaceFirst("^--", "");
        Config node = config.get().get(key);
        if (!node.exists()) {
            return argument.defaultValue();
        }
        ConfigValue<List<String>> list = node.asList(String.class);
        if (node.isList() && list.isPresent()) {
            return String.join(",", list.get());
        }
        return node.asString().orElse(argument.defaultValue());
    }

    /** Only the server's own flags: a subcommand's {@code --sub} must not come from {@code MULTIKUBE_SUB}. */
    private static boolean servesFlag(CommandLine.Model.OptionSpec option) {
        return option.command() != null && option.command().parent() == null;
    }
}
