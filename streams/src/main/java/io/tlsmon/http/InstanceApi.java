package io.tlsmon.http;

import io.tlsmon.topology.TlsmonConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Optional;
import java.util.Properties;

/**
 * The API of one instance, in the two steps Kafka Streams needs: bound before the
 * {@link KafkaStreams} is built (its {@code application.server} names the port actually taken),
 * then given the streams to query.
 */
public final class InstanceApi {
    private InstanceApi() {
    }

    /**
     * Binds the API of {@code config} and sets {@code application.server} in {@code props}; empty
     * when {@code tlsmon.http.port} is -1.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming a bad or missing setting
     */
    public static Optional<HttpApi> bind(TlsmonConfig config, Properties props) {
        HttpSettings settings = HttpSettings.of(config);
        if (!settings.enabled()) {
            return Optional.empty();
        }
        HttpApi api = HttpApi.start(settings);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, api.advertised().host() + ":" + api.advertised().port());
        return Optional.of(api);
    }

    /** Serves the query API, and the store reads the other instances make, from {@code streams}, which runs {@code topology}. */
    public static void serve(HttpApi api, KafkaStreams streams, Topology topology, String applicationId) {
        ClusterStateView view = new ClusterStateView(streams, api.advertised(), api.settings(), topology.describe(), applicationId);
        view.serveTo(api);
        ApiRoutes.mount(api, view);
    }
}
