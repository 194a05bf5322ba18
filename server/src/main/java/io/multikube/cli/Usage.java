package io.multikube.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The text {@code --help} prints for a command: how to invoke it, what it does, its flags (each with its value's
 * label, its text and its default) and, for {@code multikube} itself, its subcommands.
 */
final class Usage {
    private static final int WIDTH = 100;
    private static final String FLAG_INDENT = "  ";
    private static final String TEXT_INDENT = "      ";

    private Usage() {
    }

    static String of(Command command, List<Command> subcommands) {
        StringBuilder text = new StringBuilder();
        String invocation = command.name().equals(Cli.NAME) ? Cli.NAME : Cli.NAME + " " + command.name();
        text.append("Usage: ").append(invocation).append(" [FLAGS]\n");
        if (!subcommands.isEmpty()) {
            text.append("       ").append(Cli.NAME).append(" COMMAND [FLAGS]\n");
        }
        text.append('\n');
        for (String paragraph : command.description().split("\n")) {
            wrap(text, paragraph, "");
        }
        if (!subcommands.isEmpty()) {
            text.append("\nCommands:\n");
            int column = subcommands.stream().mapToInt(sub -> sub.name().length()).max().orElse(0) + 4;
            for (Command sub : subcommands) {
                text.append(FLAG_INDENT).append(String.format("%-" + column + "s", sub.name()))
                        .append(sub.summary()).append(".\n");
            }
        }
        text.append("\nFlags:\n");
        for (Flag flag : command.flags()) {
            text.append(FLAG_INDENT).append(flag.alias().map(alias -> alias + ", ").orElse(""))
                    .append(flag.synopsis()).append('\n');
            String description = flag.description()
                    .replace("${DEFAULT}", flag.defaultValue().orElse(""));
            wrap(text, description + (flag.required() ? " Required." : ""), TEXT_INDENT);
        }
        text.append(FLAG_INDENT).append("-h, --help\n");
        wrap(text, "Prints this help and exits.", TEXT_INDENT);
        text.append(FLAG_INDENT).append("-V, --version\n");
        wrap(text, "Prints the version and exits.", TEXT_INDENT);
        if (!subcommands.isEmpty()) {
            text.append("\nRun '").append(Cli.NAME).append(" COMMAND --help' for a command's flags.\n");
        }
        return text.toString();
    }

    /** Appends the words of {@code paragraph}, indented, in lines of at most {@link #WIDTH} characters. */
    private static void wrap(StringBuilder text, String paragraph, String indent) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(indent);
        for (String word : paragraph.strip().split(" +")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        lines.forEach(each -> text.append(each.stripTrailing()).append('\n'));
    }
}
