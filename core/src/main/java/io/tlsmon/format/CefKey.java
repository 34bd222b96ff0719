package io.tlsmon.format;

/**
 * The CEF extension keys tlsmon writes, each with the largest value the CEF dictionary allows
 * (ArcSight "Implementing ArcSight CEF", revision 25, "ArcSight Extension Dictionary"): a line can
 * only carry keys of this list, and no value longer than its key allows.
 */
enum CefKey {
    RT("rt", Kind.TIME, 0),
    START("start", Kind.TIME, 0),
    END("end", Kind.TIME, 0),
    SRC("src", Kind.IPV4, 0),
    DST("dst", Kind.IPV4, 0),
    /** Source IPv6 address. */
    C6A2("c6a2", Kind.IPV6, 0),
    C6A2_LABEL("c6a2Label", Kind.TEXT, 1023),
    /** Destination IPv6 address. */
    C6A3("c6a3", Kind.IPV6, 0),
    C6A3_LABEL("c6a3Label", Kind.TEXT, 1023),
    SPT("spt", Kind.NUMBER, 0),
    DPT("dpt", Kind.NUMBER, 0),
    SHOST("shost", Kind.TEXT, 1023),
    DHOST("dhost", Kind.TEXT, 1023),
    DVCHOST("dvchost", Kind.TEXT, 100),
    APP("app", Kind.TEXT, 31),
    PROTO("proto", Kind.TEXT, 31),
    /** 0 inbound, 1 outbound. */
    DEVICE_DIRECTION("deviceDirection", Kind.NUMBER, 0),
    DEVICE_PROCESS_NAME("deviceProcessName", Kind.TEXT, 1023),
    OUTCOME("outcome", Kind.TEXT, 63),
    REASON("reason", Kind.TEXT, 1023),
    CAT("cat", Kind.TEXT, 1023),
    ACT("act", Kind.TEXT, 63),
    CNT("cnt", Kind.NUMBER, 0),
    EXTERNAL_ID("externalId", Kind.TEXT, 40),
    MSG("msg", Kind.TEXT, 1023),
    FILE_PATH("filePath", Kind.TEXT, 1023),
    CS1("cs1", Kind.TEXT, 4000), CS1_LABEL("cs1Label", Kind.TEXT, 1023),
    CS2("cs2", Kind.TEXT, 4000), CS2_LABEL("cs2Label", Kind.TEXT, 1023),
    CS3("cs3", Kind.TEXT, 4000), CS3_LABEL("cs3Label", Kind.TEXT, 1023),
    CS4("cs4", Kind.TEXT, 4000), CS4_LABEL("cs4Label", Kind.TEXT, 1023),
    CS5("cs5", Kind.TEXT, 4000), CS5_LABEL("cs5Label", Kind.TEXT, 1023),
    CS6("cs6", Kind.TEXT, 4000), CS6_LABEL("cs6Label", Kind.TEXT, 1023),
    CN1("cn1", Kind.NUMBER, 0), CN1_LABEL("cn1Label", Kind.TEXT, 1023),
    CN2("cn2", Kind.NUMBER, 0), CN2_LABEL("cn2Label", Kind.TEXT, 1023),
    FLEX_STRING1("flexString1", Kind.TEXT, 1023), FLEX_STRING1_LABEL("flexString1Label", Kind.TEXT, 128),
    FLEX_STRING2("flexString2", Kind.TEXT, 1023), FLEX_STRING2_LABEL("flexString2Label", Kind.TEXT, 128);

    enum Kind { TEXT, NUMBER, TIME, IPV4, IPV6 }

    private final String key;
    private final Kind kind;
    private final int maxLength;

    CefKey(String key, Kind kind, int maxLength) {
        this.key = key;
        this.kind = kind;
        this.maxLength = maxLength;
    }

    String key() {
        return key;
    }

    Kind kind() {
        return kind;
    }

    /** The dictionary's length limit of a text value (0 for keys that are not text). */
    int maxLength() {
        return maxLength;
    }
}
