package io.tlsmon.connect;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kafka Connect sink of tlsmon's ECS format topic ({@code tlsmon.output-ecs}) into an OpenSearch or
 * Elasticsearch index by {@code _bulk}: for a site that runs Kafka Connect but has no search sink
 * connector of its own. At-least-once, with idempotent writes ({@code _id} = {@code event.id}):
 * see {@link TlsmonOpenSearchSinkTask}.
 */
public final class TlsmonOpenSearchSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        // fails the connector's start naming the bad setting, before any task runs
        new OpenSearchSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return TlsmonOpenSearchSinkTask.class;
    }

    /** Every task writes to the same index; Connect spreads the topic's partitions over them. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {
        // nothing held: the tasks own their HTTP clients
    }

    @Override
    public ConfigDef config() {
        return OpenSearchSinkConfig.DEFINITION;
    }

    @Override
    public String version() {
        return Version.OF_THIS_JAR;
    }
}
