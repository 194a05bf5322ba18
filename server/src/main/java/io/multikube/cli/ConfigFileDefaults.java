package io.multikube.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.ConfigValue;
import picocli.CommandLine;

/**
 * Supplies a flag's value from the YAML config file ({@code --config}) when the flag is not on the command
 * line, so flags win over the file and the file over built-in defaults. Keys are the flag names without dashes:
 * {@code tls-port: 9443}, {@code scheme: [http, https]}.
 */
final class ConfigFileDefaults implements CommandLine.IDefaultValueProvider {
    private final Optional<Config> config;

    private ConfigFileDefaults(Optional<Config> config) {
        this.config = config;
    }

    /** Finds {@code --config FILE} or {@code --config=FILE} before picocli parses anything. */
    static ConfigFileDefaults fromArguments(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return load(Path.of(args[i + 1]));
            }
            if (args[i].startsWith("--config=")) {
                return load(Path.of(args[i].substring("--config=".length())));
            }
        }
        return new ConfigFileDefaults(Optional.empty());
    }

    private static ConfigFileDefaults load(Path file) {
        if (!Files.isReadable(file)) {
            throw new CommandLine.ParameterException(new CommandLine(new Object()),
                    "--config: cannot read " + file + " (expected: a readable YAML file)");
        }
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.file(file).build())
                .build();
        return new ConfigFileDefaults(Optional.of(config));
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argument) {
        if (config.isEmpty() || !(argument instanceof CommandLine.Model.OptionSpec option)) {
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
}
