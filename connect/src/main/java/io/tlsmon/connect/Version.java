package io.tlsmon.connect;

/** The connector's version as Connect reports it: the jar's Implementation-Version, else "dev" (classes run from a build tree). */
final class Version {
    static final String OF_THIS_JAR = ofJar();

    private Version() {
    }

    private static String ofJar() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
