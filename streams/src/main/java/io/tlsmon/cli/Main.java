package io.tlsmon.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tlsmon} command. */
@Command(name = "tlsmon", mixinStandardHelpOptions = true, version = "tlsmon 0.1.0",
        description = "Kafka-native monitor for TLS negotiation failures in mail flow (Exchange, Postfix, Sendmail, Exim).",
        subcommands = {ClassifyCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status: 2 for bad usage, as picocli does. */
    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }
}
