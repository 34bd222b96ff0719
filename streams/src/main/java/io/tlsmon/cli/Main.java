package io.tlsmon.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tlsmon} command. */
@Command(name = "tlsmon", mixinStandardHelpOptions = true, version = "tlsmon 0.1.0",
        description = "Kafka-native monitor for TLS negotiation failures in mail flow (Exchange, Postfix, Sendmail, Exim).",
        subcommands = {ClassifyCommand.class, RunCommand.class, DemoCommand.class, ShipCommand.class, ReplayCommand.class, TlsRptCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        quietLogging();
        System.exit(run(args));
    }

    /** Kafka's own INFO chatter drowns what tlsmon says; -Dorg.slf4j.simpleLogger.* still overrides this. */
    private static void quietLogging() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error"));
        System.setProperty("org.slf4j.simpleLogger.log.kafka", System.getProperty("org.slf4j.simpleLogger.log.kafka", "error"));
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.zookeeper", "error");
        System.setProperty("org.slf4j.simpleLogger.logFile", System.getProperty("org.slf4j.simpleLogger.logFile", "System.err"));
    }

    /** Runs the command line and returns its exit status: 2 for bad usage, as picocli does. */
    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }
}
