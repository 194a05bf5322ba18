package io.multikube.cli;

import java.io.UncheckedIOException;

import io.multikube.cli.KubeconfigLocation.NoKubeconfigException;
import picocli.CommandLine;

/** Parses the command line and runs the chosen command; start-up errors become one clear line, not a stack. */
public final class Cli {
    private Cli() {
    }

    public static int execute(String... args) {
        CommandLine commandLine;
        try {
            commandLine = new CommandLine(new ServeCommand())
                    .setDefaultValueProvider(ConfigFileDefaults.fromArguments(args));
        } catch (CommandLine.ParameterException e) {
            System.err.println("multikube: " + e.getMessage());
            return 2;
        }
        return commandLine
                .setExecutionExceptionHandler(Cli::reportStartupError)
                .execute(args);
    }

    private static int reportStartupError(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        if (e instanceof NoKubeconfigException || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException || e instanceof IllegalStateException
                || e instanceof io.multikube.spi.PluginException) {
            commandLine.getErr().println("multikube: " + e.getMessage());
            return 1;
        }
        commandLine.getErr().println("multikube: unexpected failure: " + e);
        e.printStackTrace(commandLine.getErr());
        return 1;
    }
}
