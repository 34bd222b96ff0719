package io.tlsmon.it.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code java ... -cp <this JVM's classpath> Main args}: how every child of the campaign is started. */
final class JavaCommand {
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final String classpath = System.getProperty("java.class.path");

    List<String> command(List<String> jvmOptions, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        // eight JVMs share two cores here: one GC thread each, and times in every log line
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }
}
