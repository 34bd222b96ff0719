package io.tlsmon.format;

/**
 * What a site may choose about the formats; everything else in them is fixed by the mapping.
 *
 * @param hecIndex  the Splunk index the HEC events name, or null to leave it to the token's default index
 */
public record FormatOptions(String hecIndex) {
    public static final FormatOptions DEFAULTS = new FormatOptions(null);

    public FormatOptions {
        if (hecIndex != null && hecIndex.isBlank()) {
            hecIndex = null;
        }
    }
}
