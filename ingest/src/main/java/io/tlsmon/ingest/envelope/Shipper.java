package io.tlsmon.ingest.envelope;

/**
 * The tool that wrote a shipped-line record, as recognised from the record's shape. Only
 * informational (metrics, dead letters, tests): every shape is read by the same field lists.
 */
public enum Shipper {
    /** Elastic Filebeat, Kafka output, JSON codec: {@code message}, {@code log.file.path}, {@code host.name}. */
    FILEBEAT("filebeat"),
    /** Fluent Bit tail input, kafka output, {@code format json}: {@code log}, {@code path}, {@code @timestamp} as a double. */
    FLUENT_BIT("fluent-bit"),
    /** Vector file source, kafka sink, {@code encoding.codec = "json"}: {@code message}, {@code file}, {@code host}, {@code source_type}. */
    VECTOR("vector"),
    /** NXLog im_file + om_kafka after {@code to_json()}: {@code Message}/{@code raw_event}, {@code Hostname}, {@code FileName}. */
    NXLOG("nxlog"),
    /** rsyslog omkafka with a JSON template: {@code msg}, {@code hostname}, {@code syslogtag}/{@code programname}, {@code timereported}. */
    RSYSLOG_JSON("rsyslog-json"),
    /** Any other JSON object that has one of the message fields. */
    OTHER_JSON("json"),
    /** No envelope: the record value is the line (rsyslog omkafka with a text template, kcat, Fluent Bit {@code format raw}, ...). */
    PLAIN_TEXT("plain");

    private final String label;

    Shipper(String label) {
        this.label = label;
    }

    /** Lower-case name for metrics and logs: {@code filebeat}, {@code fluent-bit}, ... */
    public String label() {
        return label;
    }
}
