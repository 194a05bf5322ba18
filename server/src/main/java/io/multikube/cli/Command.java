package io.multikube.cli;

import java.util.List;

/** A command of the command line: {@code multikube} itself (serve) or one of its subcommands. */
interface Command {
    /** How it is invoked: {@code multikube}, or the subcommand's name. */
    String name();

    /** One line for the list of subcommands. */
    String summary();

    /** What its help says it does; a line feed starts a paragraph. */
    String description();

    /** Its flags in the order help lists them; each call makes new ones bound to this instance. */
    List<Flag> flags();

    /** Runs it once its flags are applied; returns the exit code. */
    int call() throws Exception;
}
