package io.multikube.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.multikube.cli.KubeconfigLocation.NoKubeconfigException;

/**
 * Parses the command line and runs the chosen command: {@code multikube [FLAGS]} serves,
 * {@code multikube COMMAND [FLAGS]} runs a subcommand, {@code multikube help [COMMAND]} prints help. A command line
 * that cannot run exits 2 with one line saying why; a start-up error exits 1 with one clear line, not a stack.
 * The parser is our own: picocli's Java 5 class files took ~0.5 s of every start (checked by the JDK's old
 * verifier each time, and never stored in an AOT cache), more than the rest of the command line's work together.
 */
public final class Cli {
    static final String NAME = "multikube";
    private static final int USAGE_ERROR = 2;

    private Cli() {
    }

    public static int execute(String... args) {
        return execute(System.out, System.err, System.getenv(), args);
    }

    static int execute(PrintStream out, PrintStream err, Map<String, String> environment, String... args) {
        List<String> arguments = Arrays.asList(args);
        ServeCommand serve = new ServeCommand();
        List<Command> subcommands = List.of(new TokenCommand(), new KeysCommand(), new KubeconfigCommand());
        if (!arguments.isEmpty() && arguments.getFirst().equals("help")) {
            return help(out, err, arguments.subList(1, arguments.size()), serve, subcommands);
        }
        Optional<Command> sub = arguments.isEmpty() ? Optional.empty() : named(subcommands, arguments.getFirst());
        Command command = sub.orElse(serve);
        List<String> flags = sub.isPresent() ? arguments.subList(1, arguments.size()) : arguments;
        try {
            // Only the serving flags come from the environment and the config file: a subcommand's --sub must not
            // come from MULTIKUBE_SUB.
            FlagDefaults defaults = sub.isPresent() ? FlagDefaults.NONE
                    : ConfigFileDefaults.fromArguments(args, environment);
            return switch (new FlagParser(command).parse(flags, defaults)) {
                case HELP -> {
                    out.print(Usage.of(command, sub.isPresent() ? List.of() : subcommands));
                    yield 0;
                }
                case VERSION -> {
                    out.println(Version.text());
                    yield 0;
                }
                case RUN -> command.call();
            };
        } catch (UsageException e) {
            err.println(NAME + ": " + e.getMessage());
            return USAGE_ERROR;
        } catch (Exception e) {
            return reportStartupError(e, err);
        }
    }

    private static int help(PrintStream out, PrintStream err, List<String> topic, ServeCommand serve,
                            List<Command> subcommands) {
        if (topic.isEmpty()) {
            out.print(Usage.of(serve, subcommands));
            return 0;
        }
        Optional<Command> sub = named(subcommands, topic.getFirst());
        if (sub.isEmpty()) {
            err.println(NAME + ": no command named \"" + topic.getFirst() + "\" (expected: one of "
                    + subcommands.stream().map(Command::name).toList() + ")");
            return USAGE_ERROR;
        }
        out.print(Usage.of(sub.get(), List.of()));
        return 0;
    }

    private static Optional<Command> named(List<Command> commands, String name) {
        return commands.stream().filter(command -> command.name().equals(name)).findFirst();
    }

    private static int reportStartupError(Exception e, PrintStream err) {
        if (e instanceof NoKubeconfigException || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException || e instanceof IllegalStateException
                || e instanceof io.multikube.spi.PluginException) {
            err.println(NAME + ": " + e.getMessage());
            return 1;
        }
        err.println(NAME + ": unexpected failure: " + e);
        e.printStackTrace(err);
        return 1;
    }
}
