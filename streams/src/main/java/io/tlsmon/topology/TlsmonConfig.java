package io.tlsmon.topology;

import io.tlsmon.alert.AlertConfig;
import io.tlsmon.avro.Outcome;
import io.tlsmon.format.FormatOptions;
import io.tlsmon.format.OutputFormat;
import io.tlsmon.format.TlsRptReport;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import io.tlsmon.engine.EngineSettings;

/**
 * Every tlsmon setting, each with its doc, in one place. Keys that are not tlsmon's own (Kafka
 * Streams, client security, schema registry) pass through to Kafka Streams and the serdes untouched.
 * A bad value stops start-up with a {@link ConfigException} that names the key.
 */
public final class TlsmonConfig extends AbstractConfig {

    public static final String TOPIC_PREFIX_CONFIG = "tlsmon.topic.prefix";
    public static final String TOPIC_PREFIX_DOC = "Prefix of every topic tlsmon reads or writes (raw-lines, shipped-lines, attempts, alerts, dead-letters).";

    public static final String TOPIC_PARTITIONS_CONFIG = "tlsmon.topic.partitions";
    public static final String TOPIC_PARTITIONS_DOC = "Partitions of the topics tlsmon creates when they are missing; the unit of scale-out (one Streams task per partition).";

    public static final String TOPIC_REPLICATION_CONFIG = "tlsmon.topic.replication.factor";
    public static final String TOPIC_REPLICATION_DOC = "Replication factor of the topics tlsmon creates; -1 takes the broker's default.";

    public static final String SESSION_IDLE_GAP_MS_CONFIG = "tlsmon.session.idle.gap.ms";
    public static final String SESSION_IDLE_GAP_MS_DOC = "A session with no line for this long (log time) is closed and classified.";

    public static final String SESSION_CLOSE_GRACE_MS_CONFIG = "tlsmon.session.close.grace.ms";
    public static final String SESSION_CLOSE_GRACE_MS_DOC = "After a session's last line, wait this long (log time) for late lines of it before classifying it.";

    public static final String SESSION_PUNCTUATE_MS_CONFIG = "tlsmon.session.punctuate.interval.ms";
    public static final String SESSION_PUNCTUATE_MS_DOC = "How often (wall-clock time) streams are checked for having gone quiet (see " + "tlsmon.session.quiet.close.ms).";

    public static final String SESSION_QUIET_CLOSE_MS_CONFIG = "tlsmon.session.quiet.close.ms";
    public static final String SESSION_QUIET_CLOSE_MS_DOC = "Live only: a stream that sends no line for this long (wall-clock time) has its clock moved on by the "
            + "time that passed, so a server gone silent still gets its last sessions closed; 0 turns this off. Sessions close by "
            + "each stream's own log time otherwise, and at an end-of-stream marker (an archive replay's end), as offline.";

    public static final String CLOCK_MAX_AHEAD_MS_CONFIG = "tlsmon.clock.max.ahead.ms";
    public static final String CLOCK_MAX_AHEAD_MS_DOC = "A line dated more than this after it arrived cannot be right (a server clock set years ahead): "
            + "it goes to the dead letters and moves no clock.";

    public static final String STATE_WINDOWS_MS_CONFIG = "tlsmon.state.windows.ms";
    public static final String STATE_WINDOWS_MS_DOC = "Sizes of the tumbling windows in which per-sender outcome counts are kept (event time, epoch-aligned).";

    public static final String ALERT_FAILURE_THRESHOLD_CONFIG = "tlsmon.alert.failure.threshold";
    public static final String ALERT_FAILURE_THRESHOLD_DOC = "Rule failure-threshold: raise when a sender has this many failures of one outcome in the failure window.";

    public static final String ALERT_FAILURE_WINDOW_MS_CONFIG = "tlsmon.alert.failure.window.ms";
    public static final String ALERT_FAILURE_WINDOW_MS_DOC = "The window of rule failure-threshold; must be one of " + STATE_WINDOWS_MS_CONFIG + ".";

    public static final String ALERT_CONSECUTIVE_FAILURES_CONFIG = "tlsmon.alert.consecutive.failures";
    public static final String ALERT_CONSECUTIVE_FAILURES_DOC = "Rule success-to-failure: raise when a sender that succeeded before fails this many times in a row.";

    public static final String ALERT_QUIET_PERIOD_MS_CONFIG = "tlsmon.alert.quiet.period.ms";
    public static final String ALERT_QUIET_PERIOD_MS_DOC = "An alert resolves after this long without a matching attempt, once the sender succeeded again.";

    public static final String ALERT_UPDATE_INTERVAL_MS_CONFIG = "tlsmon.alert.update.interval.ms";
    public static final String ALERT_UPDATE_INTERVAL_MS_DOC = "At most one UPDATED per open alert per this interval.";

    public static final String ALERT_MAX_RAISED_PER_HOUR_CONFIG = "tlsmon.alert.max.raised.per.hour";
    public static final String ALERT_MAX_RAISED_PER_HOUR_DOC = "At most this many RAISED per rule per hour of event time, per Streams task; more are counted as suppressed.";

    public static final String ALERT_DEPRECATED_INTERVAL_MS_CONFIG = "tlsmon.alert.deprecated.interval.ms";
    public static final String ALERT_DEPRECATED_INTERVAL_MS_DOC = "Rule deprecated-protocol alerts at most once per sender per this interval.";

    public static final String ALERT_NOISE_OUTCOMES_CONFIG = "tlsmon.alert.noise.outcomes";
    public static final String ALERT_NOISE_OUTCOMES_DOC = "Outcomes that are classified and counted but never alerted on.";

    public static final String PARSER_ZONE_CONFIG = "tlsmon.parser.zone";
    public static final String PARSER_ZONE_DOC = "Time zone of syslog timestamps that carry none.";

    public static final String ROCKSDB_MEMORY_BYTES_CONFIG = "tlsmon.rocksdb.memory.bytes";
    public static final String ROCKSDB_MEMORY_BYTES_DOC = "Memory shared by all RocksDB stores of one instance (block cache and memtables together).";

    public static final String REGISTRY_RETRY_BACKOFF_MS_CONFIG = "tlsmon.registry.retry.backoff.ms";
    public static final String REGISTRY_RETRY_BACKOFF_MS_DOC = "While the schema registry cannot be used (unreachable, 5xx, or refusing), "
            + "first wait between two tries of it; the wait doubles up to " + "tlsmon.registry.retry.backoff.max.ms. Processing pauses "
            + "meanwhile: no record is dead-lettered because of the registry.";

    public static final String REGISTRY_RETRY_BACKOFF_MAX_MS_CONFIG = "tlsmon.registry.retry.backoff.max.ms";
    public static final String REGISTRY_RETRY_BACKOFF_MAX_MS_DOC = "The longest wait between two tries of a schema registry that cannot be used.";

    public static final String BROKER_CHECK_INTERVAL_MS_CONFIG = "tlsmon.broker.check.interval.ms";
    public static final String BROKER_CHECK_INTERVAL_MS_DOC = "How often the instance asks the Kafka cluster whether it answers (and reads "
            + "its threads' commits), for the broker-outage and last-commit metrics and log lines.";

    public static final String OUTPUT_FORMATS_CONFIG = "tlsmon.output.formats";
    public static final String OUTPUT_FORMATS_DOC = "SIEM formats to write, besides the Avro attempts and alerts: a comma list of "
            + "ecs, ocsf, cef, hec (empty: none). Each adds one topic holding the attempts and the alerts in that format, one "
            + "record per value (a JSON object, or a CEF line), keyed by sender like the attempts and alerts, written in the same "
            + "transaction under exactly-once. Its name is tlsmon.topic.output.<format>.";

    /** The topic-name key of each output format: {@code tlsmon.topic.output.ecs} and so on. */
    public static String outputTopicConfig(OutputFormat format) {
        return "tlsmon.topic.output." + format.id();
    }

    public static final String OUTPUT_TOPIC_DOC = "Name of the topic of the %s records (when " + OUTPUT_FORMATS_CONFIG
            + " names %s); empty: the topic prefix followed by %s.";

    public static final String OUTPUT_HEC_INDEX_CONFIG = "tlsmon.output.hec.index";
    public static final String OUTPUT_HEC_INDEX_DOC = "The Splunk index the HEC events name; empty: none, so the HEC token's default index takes them.";

    public static final String TLSRPT_ENABLED_CONFIG = "tlsmon.tlsrpt.enabled";
    public static final String TLSRPT_ENABLED_DOC = "Write an RFC 8460 TLS-RPT aggregate report per policy domain (the recipient domain of outbound mail) "
            + "per UTC day to the topic tlsmon.topic.tlsrpt, keyed by policy domain, once the day has closed in stream time.";

    public static final String TLSRPT_TOPIC_CONFIG = "tlsmon.topic.tlsrpt";
    public static final String TLSRPT_TOPIC_DOC = "Name of the TLS-RPT report topic; empty: the topic prefix followed by " + Topics.TLSRPT_REPORTS + ".";

    public static final String HISTORY_RETENTION_HOURS_CONFIG = "tlsmon.history.retention.hours";
    public static final String HISTORY_RETENTION_HOURS_DOC = "How many hours of attempts per outcome the outcomes-over-time view "
            + "(GET /api/history, the dashboard's chart) keeps, counted back from the latest attempt start: older hours are deleted.";

    public static final String TLSRPT_GRACE_MS_CONFIG = "tlsmon.tlsrpt.grace.ms";
    public static final String TLSRPT_GRACE_MS_DOC = "A UTC day's TLS-RPT reports are written once attempts (by start time) this long past its end "
            + "have been seen: attempts of servers whose logs lag behind still count. An attempt of a day already reported is "
            + "counted in the tlsrpt-late metric and left out.";

    public static final String TLSRPT_ORGANIZATION_CONFIG = "tlsmon.tlsrpt.organization";
    public static final String TLSRPT_ORGANIZATION_DOC = "RFC 8460 organization-name of the reports (tlsmon tlsrpt and the report topic).";

    public static final String TLSRPT_CONTACT_CONFIG = "tlsmon.tlsrpt.contact";
    public static final String TLSRPT_CONTACT_DOC = "RFC 8460 contact-info of the reports: an e-mail address or URI; its domain names the report files.";

    // ---- ops API (feat/ops-api): the HTTP query API, its security and its routing between instances ----

    public static final String HTTP_PORT_CONFIG = "tlsmon.http.port";
    public static final String HTTP_PORT_DOC = "TCP port of the HTTP API (/api/..., its OpenAPI description at /api/openapi.json); "
            + "-1 turns the API off, 0 takes any free port (said in the start-up log).";

    public static final String HTTP_BIND_CONFIG = "tlsmon.http.bind";
    public static final String HTTP_BIND_DOC = "Address the HTTP API listens on. Loopback by default; any other address needs "
            + "tlsmon.http.token or tlsmon.http.token.file, or start-up stops.";

    public static final String HTTP_ADVERTISED_HOST_CONFIG = "tlsmon.http.advertised.host";
    public static final String HTTP_ADVERTISED_HOST_DOC = "Host name or address the other instances reach this one's API at (Kafka Streams' "
            + "application.server is set to it and the bound port); empty: the bind address, which then must not be a wildcard.";

    public static final String HTTP_TOKEN_CONFIG = "tlsmon.http.token";
    public static final String HTTP_TOKEN_DOC = "Bearer token every API request must carry (Authorization: Bearer ...); the instances "
            + "forward requests to each other with it, so all of them need the same. Never printed.";

    public static final String HTTP_TOKEN_FILE_CONFIG = "tlsmon.http.token.file";
    public static final String HTTP_TOKEN_FILE_DOC = "A file holding the bearer token (first line), instead of " + HTTP_TOKEN_CONFIG + ".";

    public static final String HTTP_CORS_ORIGIN_CONFIG = "tlsmon.http.cors.origin";
    public static final String HTTP_CORS_ORIGIN_DOC = "The one origin browsers may call the API from (Access-Control-Allow-Origin); "
            + "empty (the default): no CORS header, so pages of other origins cannot read the answers.";

    public static final String HTTP_QUERY_TIMEOUT_MS_CONFIG = "tlsmon.http.query.timeout.ms";
    public static final String HTTP_QUERY_TIMEOUT_MS_DOC = "How long a query keeps retrying while a rebalance moves the stores it needs "
            + "(or an instance that holds one does not answer) before it answers 503.";

    // ---- end of ops API keys ----

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_URL_DOC = "Confluent-compatible Schema Registry URL(s), or mock://SCOPE for an in-memory registry shared within this JVM.";

    // --- Alertmanager notifications (issue 11, feat/ops-metrics) ---
    public static final String ALERTMANAGER_URL_CONFIG = "tlsmon.alertmanager.url";
    public static final String ALERTMANAGER_URL_DOC = "Base URL of a Prometheus Alertmanager (http://host:9093). When set, every committed alert "
            + "is pushed to its /api/v2/alerts (RAISED and UPDATED as firing, RESOLVED with endsAt) and open alerts are pushed "
            + "again every " + "tlsmon.alertmanager.resend.interval.ms; empty (the default) turns notifications off.";
    public static final String ALERTMANAGER_BEARER_TOKEN_CONFIG = "tlsmon.alertmanager.bearer.token";
    public static final String ALERTMANAGER_BEARER_TOKEN_DOC = "Bearer token sent to the Alertmanager (Authorization: Bearer); empty for none.";
    public static final String ALERTMANAGER_BASIC_AUTH_CONFIG = "tlsmon.alertmanager.basic.auth.user.info";
    public static final String ALERTMANAGER_BASIC_AUTH_DOC = "user:password for HTTP basic authentication to the Alertmanager; empty for none.";
    public static final String ALERTMANAGER_TIMEOUT_MS_CONFIG = "tlsmon.alertmanager.timeout.ms";
    public static final String ALERTMANAGER_TIMEOUT_MS_DOC = "Connect and request timeout of one push to the Alertmanager.";
    public static final String ALERTMANAGER_RESEND_MS_CONFIG = "tlsmon.alertmanager.resend.interval.ms";
    public static final String ALERTMANAGER_RESEND_MS_DOC = "Open alerts are pushed again this often: keep it well below the Alertmanager's "
            + "resolve_timeout (default 5 minutes), which resolves a firing alert that is not repeated.";
    public static final String ALERTMANAGER_RETRY_BACKOFF_MAX_MS_CONFIG = "tlsmon.alertmanager.retry.backoff.max.ms";
    public static final String ALERTMANAGER_RETRY_BACKOFF_MAX_MS_DOC = "A failed push is retried, the wait doubling from 500 ms up to this; nothing is dropped.";
    // --- end of Alertmanager notifications ---

    private static final Pattern OUTCOME_NAME = Pattern.compile("[A-Z_]+");

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(TOPIC_PREFIX_CONFIG, Type.STRING, "tlsmon.", new ConfigDef.NonNullValidator(), Importance.HIGH, TOPIC_PREFIX_DOC)
            .define(TOPIC_PARTITIONS_CONFIG, Type.INT, 6, ConfigDef.Range.atLeast(1), Importance.MEDIUM, TOPIC_PARTITIONS_DOC)
            .define(TOPIC_REPLICATION_CONFIG, Type.SHORT, (short) -1, ConfigDef.Range.between(-1, Short.MAX_VALUE), Importance.MEDIUM, TOPIC_REPLICATION_DOC)
            .define(SESSION_IDLE_GAP_MS_CONFIG, Type.LONG, EngineSettings.DEFAULT_IDLE_GAP_MS, ConfigDef.Range.atLeast(1), Importance.MEDIUM, SESSION_IDLE_GAP_MS_DOC)
            .define(SESSION_CLOSE_GRACE_MS_CONFIG, Type.LONG, EngineSettings.DEFAULT_CLOSE_GRACE_MS, ConfigDef.Range.atLeast(0), Importance.LOW, SESSION_CLOSE_GRACE_MS_DOC)
            .define(SESSION_PUNCTUATE_MS_CONFIG, Type.LONG, 10_000L, ConfigDef.Range.atLeast(1), Importance.LOW, SESSION_PUNCTUATE_MS_DOC)
            .define(SESSION_QUIET_CLOSE_MS_CONFIG, Type.LONG, 300_000L, ConfigDef.Range.atLeast(0), Importance.LOW, SESSION_QUIET_CLOSE_MS_DOC)
            .define(CLOCK_MAX_AHEAD_MS_CONFIG, Type.LONG, EngineSettings.DEFAULT_MAX_AHEAD_MS, ConfigDef.Range.atLeast(1), Importance.LOW, CLOCK_MAX_AHEAD_MS_DOC)
            .define(STATE_WINDOWS_MS_CONFIG, Type.LIST, "300000,3600000,86400000", positiveLongs(), Importance.MEDIUM, STATE_WINDOWS_MS_DOC)
            .define(ALERT_FAILURE_THRESHOLD_CONFIG, Type.INT, 3, ConfigDef.Range.atLeast(1), Importance.HIGH, ALERT_FAILURE_THRESHOLD_DOC)
            .define(ALERT_FAILURE_WINDOW_MS_CONFIG, Type.LONG, 300_000L, ConfigDef.Range.atLeast(1), Importance.HIGH, ALERT_FAILURE_WINDOW_MS_DOC)
            .define(ALERT_CONSECUTIVE_FAILURES_CONFIG, Type.INT, 2, ConfigDef.Range.atLeast(1), Importance.MEDIUM, ALERT_CONSECUTIVE_FAILURES_DOC)
            .define(ALERT_QUIET_PERIOD_MS_CONFIG, Type.LONG, 1_800_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM, ALERT_QUIET_PERIOD_MS_DOC)
            .define(ALERT_UPDATE_INTERVAL_MS_CONFIG, Type.LONG, 900_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM, ALERT_UPDATE_INTERVAL_MS_DOC)
            .define(ALERT_MAX_RAISED_PER_HOUR_CONFIG, Type.INT, 100, ConfigDef.Range.atLeast(1), Importance.MEDIUM, ALERT_MAX_RAISED_PER_HOUR_DOC)
            .define(ALERT_DEPRECATED_INTERVAL_MS_CONFIG, Type.LONG, 86_400_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM, ALERT_DEPRECATED_INTERVAL_MS_DOC)
            .define(ALERT_NOISE_OUTCOMES_CONFIG, Type.LIST, "WRONG_PORT_OR_PROTOCOL", outcomeNames(), Importance.LOW, ALERT_NOISE_OUTCOMES_DOC)
            .define(PARSER_ZONE_CONFIG, Type.STRING, "UTC", zoneId(), Importance.LOW, PARSER_ZONE_DOC)
            .define(ROCKSDB_MEMORY_BYTES_CONFIG, Type.LONG, 64L * 1024 * 1024, ConfigDef.Range.atLeast(4L * 1024 * 1024), Importance.MEDIUM, ROCKSDB_MEMORY_BYTES_DOC)
            .define(REGISTRY_RETRY_BACKOFF_MS_CONFIG, Type.LONG, 1_000L, ConfigDef.Range.atLeast(1), Importance.LOW, REGISTRY_RETRY_BACKOFF_MS_DOC)
            .define(REGISTRY_RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, 30_000L, ConfigDef.Range.atLeast(1), Importance.LOW, REGISTRY_RETRY_BACKOFF_MAX_MS_DOC)
            .define(BROKER_CHECK_INTERVAL_MS_CONFIG, Type.LONG, 5_000L, ConfigDef.Range.atLeast(100), Importance.LOW, BROKER_CHECK_INTERVAL_MS_DOC)
            .define(OUTPUT_FORMATS_CONFIG, Type.LIST, "", outputFormatIds(), Importance.MEDIUM, OUTPUT_FORMATS_DOC)
            .define(OUTPUT_HEC_INDEX_CONFIG, Type.STRING, "", Importance.LOW, OUTPUT_HEC_INDEX_DOC)
            .define(HISTORY_RETENTION_HOURS_CONFIG, Type.LONG, 24L * 35, ConfigDef.Range.between(1, 24L * 3660), Importance.LOW,
                    HISTORY_RETENTION_HOURS_DOC)
            .define(TLSRPT_ENABLED_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, TLSRPT_ENABLED_DOC)
            .define(TLSRPT_TOPIC_CONFIG, Type.STRING, "", Importance.LOW, TLSRPT_TOPIC_DOC)
            .define(TLSRPT_GRACE_MS_CONFIG, Type.LONG, 3_600_000L, ConfigDef.Range.atLeast(0), Importance.LOW, TLSRPT_GRACE_MS_DOC)
            .define(TLSRPT_ORGANIZATION_CONFIG, Type.STRING, "tlsmon", new ConfigDef.NonEmptyString(), Importance.MEDIUM, TLSRPT_ORGANIZATION_DOC)
            .define(TLSRPT_CONTACT_CONFIG, Type.STRING, "postmaster@localhost", new ConfigDef.NonEmptyString(), Importance.MEDIUM, TLSRPT_CONTACT_DOC)
            // ops API (feat/ops-api)
            .define(HTTP_PORT_CONFIG, Type.INT, 8080, ConfigDef.Range.between(-1, 65535), Importance.MEDIUM, HTTP_PORT_DOC)
            .define(HTTP_BIND_CONFIG, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.MEDIUM, HTTP_BIND_DOC)
            .define(HTTP_ADVERTISED_HOST_CONFIG, Type.STRING, "", Importance.MEDIUM, HTTP_ADVERTISED_HOST_DOC)
            .define(HTTP_TOKEN_CONFIG, Type.PASSWORD, "", Importance.HIGH, HTTP_TOKEN_DOC)
            .define(HTTP_TOKEN_FILE_CONFIG, Type.STRING, "", Importance.HIGH, HTTP_TOKEN_FILE_DOC)
            .define(HTTP_CORS_ORIGIN_CONFIG, Type.STRING, "", Importance.LOW, HTTP_CORS_ORIGIN_DOC)
            .define(HTTP_QUERY_TIMEOUT_MS_CONFIG, Type.LONG, 15_000L, ConfigDef.Range.atLeast(0), Importance.LOW, HTTP_QUERY_TIMEOUT_MS_DOC)
            // end of ops API
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, "mock://tlsmon", new ConfigDef.NonEmptyString(), Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            // --- Alertmanager notifications (feat/ops-metrics) ---
            .define(ALERTMANAGER_URL_CONFIG, Type.STRING, "", httpUrlOrEmpty(), Importance.MEDIUM, ALERTMANAGER_URL_DOC)
            .define(ALERTMANAGER_BEARER_TOKEN_CONFIG, Type.PASSWORD, "", Importance.LOW, ALERTMANAGER_BEARER_TOKEN_DOC)
            .define(ALERTMANAGER_BASIC_AUTH_CONFIG, Type.PASSWORD, "", Importance.LOW, ALERTMANAGER_BASIC_AUTH_DOC)
            .define(ALERTMANAGER_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, ConfigDef.Range.atLeast(1), Importance.LOW, ALERTMANAGER_TIMEOUT_MS_DOC)
            .define(ALERTMANAGER_RESEND_MS_CONFIG, Type.LONG, 60_000L, ConfigDef.Range.atLeast(100), Importance.LOW, ALERTMANAGER_RESEND_MS_DOC)
            .define(ALERTMANAGER_RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, 30_000L, ConfigDef.Range.atLeast(500), Importance.LOW, ALERTMANAGER_RETRY_BACKOFF_MAX_MS_DOC);
            // --- end of Alertmanager notifications ---

    static {
        for (OutputFormat f : OutputFormat.values()) {
            DEFINITION.define(outputTopicConfig(f), Type.STRING, "", Importance.LOW,
                    String.format(OUTPUT_TOPIC_DOC, f.id(), f.id(), Topics.OUTPUT_PREFIX + f.id()));
        }
    }

    private final Map<String, Object> originals;

    public TlsmonConfig(Map<?, ?> props) {
        super(DEFINITION, props, false);
        this.originals = new HashMap<>(originals());
        if (!windowSizes().contains(getLong(ALERT_FAILURE_WINDOW_MS_CONFIG))) {
            throw new ConfigException(ALERT_FAILURE_WINDOW_MS_CONFIG, getLong(ALERT_FAILURE_WINDOW_MS_CONFIG),
                    "must be one of " + STATE_WINDOWS_MS_CONFIG + " " + windowSizes());
        }
        if (!getPassword(ALERTMANAGER_BEARER_TOKEN_CONFIG).value().isEmpty() && !getPassword(ALERTMANAGER_BASIC_AUTH_CONFIG).value().isEmpty()) {
            throw new ConfigException(ALERTMANAGER_BEARER_TOKEN_CONFIG, "[hidden]", "set either it or " + ALERTMANAGER_BASIC_AUTH_CONFIG + ", not both");
        }
        for (String key : originals.keySet()) {
            if (key.startsWith("tlsmon.") && !DEFINITION.names().contains(key)) {
                throw new ConfigException(key, originals.get(key), "unknown tlsmon setting (known: " + new java.util.TreeSet<>(DEFINITION.names()) + ")");
            }
        }
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX_CONFIG);
    }

    /** The SIEM formats to write, in the order given, each once. */
    public Set<OutputFormat> outputFormats() {
        Set<OutputFormat> formats = new java.util.LinkedHashSet<>();
        for (String id : getList(OUTPUT_FORMATS_CONFIG)) {
            formats.add(OutputFormat.ofId(id).orElseThrow());
        }
        return formats;
    }

    /** The topic of {@code format}'s records. */
    public String outputTopic(OutputFormat format) {
        String name = getString(outputTopicConfig(format));
        return name.isEmpty() ? topicPrefix() + Topics.OUTPUT_PREFIX + format.id() : name;
    }

    /** What the formats need beyond the records: the HEC index. */
    public FormatOptions formatOptions() {
        String index = getString(OUTPUT_HEC_INDEX_CONFIG);
        return new FormatOptions(index.isBlank() ? null : index.trim());
    }

    public boolean tlsRptEnabled() {
        return getBoolean(TLSRPT_ENABLED_CONFIG);
    }

    public String tlsRptTopic() {
        String name = getString(TLSRPT_TOPIC_CONFIG);
        return name.isEmpty() ? topicPrefix() + Topics.TLSRPT_REPORTS : name;
    }

    public long tlsRptGraceMs() {
        return getLong(TLSRPT_GRACE_MS_CONFIG);
    }

    /** Who the TLS-RPT reports say they are from. */
    public TlsRptReport.Sender tlsRptSender() {
        return new TlsRptReport.Sender(getString(TLSRPT_ORGANIZATION_CONFIG), getString(TLSRPT_CONTACT_CONFIG));
    }

    public List<Long> windowSizes() {
        return getList(STATE_WINDOWS_MS_CONFIG).stream().map(s -> Long.parseLong(s.trim())).toList();
    }

    public ZoneId zone() {
        return ZoneId.of(getString(PARSER_ZONE_CONFIG));
    }

    public AlertConfig alertConfig() {
        Set<Outcome> noise = EnumSet.noneOf(Outcome.class);
        for (String name : getList(ALERT_NOISE_OUTCOMES_CONFIG)) {
            noise.add(Outcome.valueOf(name.trim()));
        }
        return new AlertConfig(getInt(ALERT_FAILURE_THRESHOLD_CONFIG), getLong(ALERT_FAILURE_WINDOW_MS_CONFIG),
                getInt(ALERT_CONSECUTIVE_FAILURES_CONFIG), getLong(ALERT_QUIET_PERIOD_MS_CONFIG),
                getLong(ALERT_UPDATE_INTERVAL_MS_CONFIG), getInt(ALERT_MAX_RAISED_PER_HOUR_CONFIG),
                getLong(ALERT_DEPRECATED_INTERVAL_MS_CONFIG), noise);
    }

    /** The engine's settings: the same engine {@code classify} runs, with these values. */
    public EngineSettings engineSettings() {
        return new EngineSettings(getLong(SESSION_IDLE_GAP_MS_CONFIG), getLong(SESSION_CLOSE_GRACE_MS_CONFIG), zone(),
                windowSizes(), alertConfig(), getLong(CLOCK_MAX_AHEAD_MS_CONFIG));
    }

    /** Settings for the serdes: the registry URL and whatever {@code schema.registry.*}/auth keys were given. */
    public Map<String, Object> serdeConfigs() {
        Map<String, Object> m = new HashMap<>(originals);
        m.put(SCHEMA_REGISTRY_URL_CONFIG, getString(SCHEMA_REGISTRY_URL_CONFIG));
        return m;
    }

    /**
     * Kafka Streams properties: tlsmon's defaults, overridden by every non-tlsmon key given. The
     * error handlers that send bad records to the dead-letter topic are always installed.
     */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "tlsmon");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, LineTimestampExtractor.class.getName());
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class.getName());
        // raw-lines and shipped-lines are merged into one task, but they are independent: a stream's
        // lines come through one of them, never both, so neither needs to wait for the other to be
        // ordered against it. With the Streams default (0) the task checks the lag of the (normally
        // empty) shipped-lines partition before every record, which cost a third of the throughput
        // (benchmarks/results/end-to-end.md). -1: process whatever input has data.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        originals.forEach((k, v) -> {
            if (!k.startsWith("tlsmon.")) {
                p.put(k, v);
            }
        });
        p.put(ROCKSDB_MEMORY_BYTES_CONFIG, getLong(ROCKSDB_MEMORY_BYTES_CONFIG));
        p.put(TOPIC_PREFIX_CONFIG, topicPrefix());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Deserialization.class.getName());
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Production.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Processing.class.getName());
        return p;
    }

    /** The Kafka Streams state directory of these settings (Kafka Streams' default when none is set). */
    public java.nio.file.Path stateDirectory() {
        return stateDirectory(streamsProperties());
    }

    /** The state directory that Kafka Streams settings {@code streams} give (its default where unset). */
    static java.nio.file.Path stateDirectory(Map<?, ?> streams) {
        Object dir = streams.get(StreamsConfig.STATE_DIR_CONFIG);
        return java.nio.file.Path.of(String.valueOf(dir != null ? dir
                : StreamsConfig.configDef().defaultValues().get(StreamsConfig.STATE_DIR_CONFIG)));
    }

    /** Every setting with its value, secrets masked: for start-up logs. */
    public static String describe(Map<?, ?> props) {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(props.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                e -> String.valueOf(e.getKey()), e -> String.valueOf(e.getValue()), (x, y) -> y))).forEach((k, v) ->
                b.append("  ").append(k).append(" = ").append(isSecret(k) ? "[hidden]" : v).append('\n'));
        return b.toString();
    }

    /** Keys whose values must never be printed. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("token")
                || k.contains("user.info") || k.endsWith(".key") || k.contains("credentials");
    }

    private static ConfigDef.Validator httpUrlOrEmpty() {
        return (name, value) -> {
            String s = value == null ? "" : value.toString().trim();
            if (s.isEmpty()) {
                return;
            }
            try {
                java.net.URI u = new java.net.URI(s);
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    throw new ConfigException(name, value, "must be an http:// or https:// URL with a host, or empty");
                }
            } catch (java.net.URISyntaxException e) {
                throw new ConfigException(name, value, "not a URL: " + e.getMessage());
            }
        };
    }

    private static ConfigDef.Validator positiveLongs() {
        return (name, value) -> {
            for (Object o : (List<?>) value) {
                try {
                    if (Long.parseLong(o.toString().trim()) <= 0) {
                        throw new ConfigException(name, value, "window sizes must be positive");
                    }
                } catch (NumberFormatException e) {
                    throw new ConfigException(name, value, "'" + o + "' is not a number of milliseconds");
                }
            }
        };
    }

    private static ConfigDef.Validator outcomeNames() {
        return (name, value) -> {
            for (Object o : (List<?>) value) {
                String s = o.toString().trim();
                if (!OUTCOME_NAME.matcher(s).matches() || java.util.Arrays.stream(Outcome.values()).noneMatch(x -> x.name().equals(s))) {
                    throw new ConfigException(name, value, "'" + s + "' is not an outcome of spec/taxonomy.md");
                }
            }
        };
    }

    private static ConfigDef.Validator outputFormatIds() {
        return (name, value) -> {
            for (Object o : (List<?>) value) {
                if (OutputFormat.ofId(o.toString()).isEmpty()) {
                    throw new ConfigException(name, value, "'" + o + "' is not an output format (known: " + OutputFormat.ids() + ")");
                }
            }
        };
    }

    private static ConfigDef.Validator zoneId() {
        return (name, value) -> {
            try {
                ZoneId.of(String.valueOf(value));
            } catch (RuntimeException e) {
                throw new ConfigException(name, value, "not a time zone");
            }
        };
    }
}
