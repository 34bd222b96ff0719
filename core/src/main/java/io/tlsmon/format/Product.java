package io.tlsmon.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** tlsmon as the producer every SIEM record names: product, vendor and the build's version. */
public final class Product {
    public static final String NAME = "tlsmon";
    public static final String VENDOR = "tlsmon";
    /** The Maven version of this build, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static final String VERSION = readVersion();

    private Product() {
    }

    private static String readVersion() {
        try (InputStream in = Product.class.getResourceAsStream("product.properties")) {
            if (in == null) {
                throw new IllegalStateException("io/tlsmon/format/product.properties missing from the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
