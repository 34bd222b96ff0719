package io.tlsmon.http;

import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.SenderState;
import io.tlsmon.classify.ProbableCause;
import io.tlsmon.topology.StoreNames;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state of every instance of the application, read through Kafka Streams' interactive
 * queries. A sender is looked up on the instance that owns its partition ({@code queryMetadataForKey}
 * on its partition key); when that instance does not answer, on a standby copy, and the answer says
 * so. A scan reads the active stores of every instance ({@code streamsMetadataForStore}) and merges
 * them; each partition is active on one instance, so nothing is counted twice. When an instance does
 * not answer, each of its partitions of the store is read from an instance that keeps a standby of
 * it, and the answer says so. While a rebalance
 * moves stores, or an instance does not answer, it retries with growing pauses, for at most the
 * query timeout, then answers 503.
 *
 * <p>Instances ask each other through {@link #INTERNAL_PATH}, with the bearer token when one is set.
 */
public final class ClusterStateView implements StateView {
    static final String INTERNAL_PATH = "/internal/stores/";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterStateView.class);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpSettings settings;
    /** Each store's task's source topics, as the instances' metadata names them (internal ones with the application id). */
    private final Map<String, Set<String>> sourcesOfStore;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param topology what {@code streams} runs, to know which topics' partitions are a store's tasks */
    public ClusterStateView(KafkaStreams streams, HostInfo self, HttpSettings settings, TopologyDescription topology,
                            String applicationId) {
        this.streams = streams;
        this.self = self;
        this.settings = settings;
        this.sourcesOfStore = sourcesOfStore(topology, applicationId);
    }

    static Map<String, Set<String>> sourcesOfStore(TopologyDescription topology, String applicationId) {
        Map<String, Set<String>> out = new HashMap<>();
        for (TopologyDescription.Subtopology sub : topology.subtopologies()) {
            Set<String> sources = new HashSet<>();
            Set<String> stores = new HashSet<>();
            for (TopologyDescription.Node n : sub.nodes()) {
                if (n instanceof TopologyDescription.Source src && src.topicSet() != null) {
                    // an internal (repartition) topic is named without the application id here, with it in the metadata
                    src.topicSet().forEach(t -> {
                        sources.add(t);
                        sources.add(applicationId + "-" + t);
                    });
                } else if (n instanceof TopologyDescription.Processor proc) {
                    stores.addAll(proc.stores());
                }
            }
            stores.forEach(st -> out.computeIfAbsent(st, k -> new HashSet<>()).addAll(sources));
        }
        return out;
    }

    /** The partitions of {@code store}'s tasks among {@code partitions}. */
    private Set<Integer> partitionsOf(String store, Set<TopicPartition> partitions) {
        Set<String> sources = sourcesOfStore.getOrDefault(store, Set.of());
        Set<Integer> out = new TreeSet<>();
        partitions.forEach(tp -> {
            if (sources.contains(tp.topic())) {
                out.add(tp.partition());
            }
        });
        return out;
    }

    /** Mounts the internal store endpoint, through which the other instances read this one's stores. */
    public void serveTo(HttpApi api) {
        api.route(INTERNAL_PATH, this::internal);
    }

    @Override
    public Answer<Optional<SenderFacts>> sender(String senderId) {
        return retrying("sender " + senderId, () -> {
            KeyQueryMetadata md = streams.queryMetadataForKey(StoreNames.SENDER_STATES, ProbableCause.historyKeyOfSender(senderId),
                    Serdes.String().serializer());
            if (md == null || md.equals(KeyQueryMetadata.NOT_AVAILABLE) || md.activeHost() == null) {
                throw new NotYet("no instance owns the partition of " + senderId + " yet");
            }
            List<HostInfo> hosts = new ArrayList<>();
            hosts.add(md.activeHost());
            hosts.addAll(md.standbyHosts());
            NotYet last = null;
            for (HostInfo host : hosts) {
                boolean stale = !host.equals(md.activeHost());
                try {
                    Map<String, SenderState> state = read(host, StoreCodec.SENDER_STATES, Lookup.key(senderId, md.partition(), stale));
                    if (state.isEmpty()) {
                        return new Answer<>(Optional.<SenderFacts>empty(), stale);
                    }
                    Map<String, AlertState> alerts = read(host, StoreCodec.ALERT_STATES, Lookup.prefix(senderId + '|', md.partition(), stale));
                    List<AlertState> own = alerts.values().stream().filter(a -> senderId.equals(a.getSender())).toList();
                    return new Answer<>(Optional.of(new SenderFacts(state.values().iterator().next(), own)), stale);
                } catch (NotYet e) {
                    last = e; // the active one does not answer: a standby may
                }
            }
            throw last;
        });
    }

    @Override
    public Answer<List<SenderState>> senders() {
        return scan(StoreCodec.SENDER_STATES, s -> new ArrayList<>(s.values()));
    }

    @Override
    public Answer<List<AlertState>> alertStates() {
        return scan(StoreCodec.ALERT_STATES, s -> new ArrayList<>(s.values()));
    }

    @Override
    public Answer<Map<String, Long>> logClocks() {
        return scan(StoreCodec.STREAM_CLOCKS, s -> s);
    }

    @Override
    public Answer<Map<String, Long>> logLines() {
        return scan(StoreCodec.LOG_LINES, s -> s);
    }

    @Override
    public Answer<Map<String, Long>> outcomeHistory() {
        return scan(StoreCodec.OUTCOME_HISTORY, s -> s);
    }

    private <V, T> Answer<T> scan(StoreCodec<V> codec, java.util.function.Function<Map<String, V>, T> result) {
        return retrying("scan of " + codec.store, () -> {
            if (streams.state() != KafkaStreams.State.RUNNING) {
                throw new NotYet("this instance is " + streams.state());
            }
            Map<String, V> all = new LinkedHashMap<>();
            boolean stale = false;
            for (StreamsMetadata m : streams.streamsMetadataForStore(codec.store)) {
                // an instance that holds only standbys of the store has no active copy to read
                if (!m.stateStoreNames().contains(codec.store)) {
                    continue;
                }
                try {
                    all.putAll(read(m.hostInfo(), codec, Lookup.ALL));
                } catch (NotYet down) {
                    for (int partition : partitionsOf(codec.store, m.topicPartitions())) {
                        all.putAll(fromStandby(codec, partition, m.hostInfo(), down));
                    }
                    stale = true;
                }
            }
            return new Answer<>(result.apply(all), stale);
        });
    }

    /** Partition {@code partition} of {@code codec}'s store from an instance other than {@code down} that keeps a standby of it. */
    private <V> Map<String, V> fromStandby(StoreCodec<V> codec, int partition, HostInfo down, NotYet why)
            throws IOException, InterruptedException {
        NotYet last = why;
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            if (m.hostInfo().equals(down) || !m.standbyStateStoreNames().contains(codec.store)
                    || !partitionsOf(codec.store, m.standbyTopicPartitions()).contains(partition)) {
                continue;
            }
            try {
                return read(m.hostInfo(), codec, new Lookup(null, null, partition, true));
            } catch (NotYet e) {
                last = e;
            }
        }
        throw new NotYet(last.getMessage() + ", and no standby of partition " + partition + " of " + codec.store + " answers");
    }

    /** What to read of one store on one instance. */
    record Lookup(String key, String prefix, Integer partition, boolean stale) {
        static final Lookup ALL = new Lookup(null, null, null, false);

        static Lookup key(String key, int partition, boolean stale) {
            return new Lookup(key, null, partition, stale);
        }

        static Lookup prefix(String prefix, int partition, boolean stale) {
            return new Lookup(null, prefix, partition, stale);
        }

        String query() {
            StringBuilder q = new StringBuilder();
            if (key != null) {
                q.append("&key=").append(URLEncoder.encode(key, StandardCharsets.UTF_8));
            }
            if (prefix != null) {
                q.append("&prefix=").append(URLEncoder.encode(prefix, StandardCharsets.UTF_8));
            }
            if (partition != null) {
                q.append("&partition=").append(partition);
            }
            if (stale) {
                q.append("&stale=true");
            }
            return q.isEmpty() ? "" : "?" + q.substring(1);
        }

        static Lookup of(ApiRequest r) {
            Integer partition;
            try {
                partition = r.param("partition").map(Integer::valueOf).orElse(null);
            } catch (NumberFormatException e) {
                throw ApiException.badParameter("partition", "not a partition number");
            }
            return new Lookup(r.param("key").orElse(null), r.params().get("prefix"), partition,
                    r.param("stale").map(Boolean::parseBoolean).orElse(false));
        }
    }

    private <V> Map<String, V> read(HostInfo host, StoreCodec<V> codec, Lookup lookup) throws IOException, InterruptedException {
        if (host.equals(self)) {
            return local(codec, lookup);
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + INTERNAL_PATH
                + codec.store + lookup.query())).timeout(Duration.ofSeconds(5)).GET();
        settings.token().ifPresent(t -> req.header("Authorization", t.header()));
        HttpResponse<byte[]> resp;
        try {
            resp = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new NotYet("instance " + host + " does not answer: " + e.getMessage());
        }
        if (resp.statusCode() == 503) {
            throw new NotYet("instance " + host + " is not ready: " + new String(resp.body(), StandardCharsets.UTF_8));
        }
        if (resp.statusCode() != 200) {
            throw new IOException("instance " + host + " answered " + resp.statusCode() + ": "
                    + new String(resp.body(), StandardCharsets.UTF_8));
        }
        return codec.read(resp.body());
    }

    private <V> Map<String, V> local(StoreCodec<V> codec, Lookup lookup) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> params =
                StoreQueryParameters.fromNameAndType(codec.store, QueryableStoreTypes.<String, V>keyValueStore());
        if (lookup.partition() != null) {
            params = params.withPartition(lookup.partition());
        }
        if (lookup.stale()) {
            params = params.enableStaleStores();
        }
        ReadOnlyKeyValueStore<String, V> store = streams.store(params);
        Map<String, V> out = new LinkedHashMap<>();
        if (lookup.key() != null) {
            V v = store.get(lookup.key());
            if (v != null) {
                out.put(lookup.key(), v);
            }
            return out;
        }
        String prefix = lookup.prefix();
        try (KeyValueIterator<String, V> it = prefix == null ? store.all() : store.range(prefix, prefix + '\uffff')) {
            it.forEachRemaining(kv -> {
                if (prefix == null || kv.key.startsWith(prefix)) {
                    out.put(kv.key, kv.value);
                }
            });
        }
        return out;
    }

    /** The internal endpoint: this instance's own entries of one store, for a peer's query. */
    private ApiResponse internal(ApiRequest r) {
        StoreCodec<?> codec = StoreCodec.of(r.subPath());
        return answerLocal(codec, Lookup.of(r.only(java.util.Set.of("key", "prefix", "partition", "stale"))));
    }

    private <V> ApiResponse answerLocal(StoreCodec<V> codec, Lookup lookup) {
        KafkaStreams.State state = streams.state();
        if (lookup.partition() == null && state != KafkaStreams.State.RUNNING) {
            return ApiResponse.error(503, null, "instance is " + state);
        }
        try {
            return new ApiResponse(200, StoreCodec.MEDIA_TYPE, codec.write(local(codec, lookup)));
        } catch (InvalidStateStoreException e) {
            return ApiResponse.error(503, null, "store " + codec.store + " is moving: " + e.getMessage());
        }
    }

    /** A condition a rebalance or a restarting instance clears: worth another try. */
    static final class NotYet extends RuntimeException {
        NotYet(String message) {
            super(message, null, false, false);
        }
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws IOException, InterruptedException;
    }

    private <T> T retrying(String what, Attempt<T> attempt) {
        long deadline = System.nanoTime() + settings.queryTimeout().toNanos();
        long pause = 50;
        while (true) {
            RuntimeException why;
            try {
                return attempt.run();
            } catch (NotYet | InvalidStateStoreException e) {
                why = e;
            } catch (IOException e) {
                throw new ApiException(502, null, "reading " + what + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("interrupted");
            }
            if (System.nanoTime() + pause * 1_000_000 > deadline) {
                throw ApiException.unavailable("cannot read " + what + " now (" + why.getMessage() + "); try again");
            }
            LOG.debug("{}: {}; retrying in {} ms", what, why.getMessage(), pause);
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("interrupted");
            }
            pause = Math.min(pause * 2, 1000);
        }
    }
}
