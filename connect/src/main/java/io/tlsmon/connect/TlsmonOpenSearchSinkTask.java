package io.tlsmon.connect;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Writes each {@link #put} synchronously with {@code _bulk}, {@code batch.size} records a request,
 * so that when {@code put} returns every record of it is in the index or reported: Connect commits
 * the consumer offsets only after that, so nothing is lost (at-least-once).
 *
 * <p>A record Connect hands over again (after a retriable error, a task restart, a rebalance before
 * the commit) is written with the same {@code _id} ({@code event.id}) and overwrites itself: the
 * index holds each attempt and alert once.
 *
 * <ul>
 *   <li>429, 5xx, a timeout or no connection: {@link RetriableException}; Connect waits
 *       {@code retry.backoff.ms} and hands the same records over again (documents already
 *       indexed by the failed try are overwritten with themselves).</li>
 *   <li>A document the index refused (400: a strict mapping's unknown field, a wrong type) or a
 *       record that is no ECS document: sent to Connect's errant record reporter (the dead letter
 *       queue, {@code errors.tolerance=all} with {@code errors.deadletterqueue.topic.name}), and if
 *       the connector has none the task fails naming the record. Never dropped silently.</li>
 *   <li>401, 403, a 404 of an index that may not be created, any other reply: the setup is wrong;
 *       the task fails with the cluster's reason.</li>
 * </ul>
 */
public final class TlsmonOpenSearchSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(TlsmonOpenSearchSinkTask.class);

    private OpenSearchSinkConfig config;
    private HttpClient http;
    private ErrantRecordReporter reporter;

    @Override
    public String version() {
        return Version.OF_THIS_JAR;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new OpenSearchSinkConfig(props);
        http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
        reporter = errantRecordReporter();
    }

    /** The worker's reporter; null when the connector has no dead letter queue or error log, or on a worker before Kafka 2.6. */
    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null;
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        List<SinkRecord> batch = new ArrayList<>(Math.min(records.size(), config.batchSize()));
        List<EcsDocument> docs = new ArrayList<>(batch.size());
        List<Future<Void>> reported = new ArrayList<>();
        for (SinkRecord r : records) {
            try {
                docs.add(EcsDocument.of(r.value()));
                batch.add(r);
            } catch (EcsDocument.NotADocument e) {
                reported.add(refused(r, e.getMessage()));
            }
            if (batch.size() == config.batchSize()) {
                send(batch, docs, reported);
                batch.clear();
                docs.clear();
            }
        }
        if (!batch.isEmpty()) {
            send(batch, docs, reported);
        }
        // the reports are in the dead letter queue before put returns, so before Connect commits past them
        for (Future<Void> f : reported) {
            awaitReport(f);
        }
    }

    private void send(List<SinkRecord> batch, List<EcsDocument> docs, List<Future<Void>> reported) {
        StringBuilder body = new StringBuilder();
        for (EcsDocument d : docs) {
            d.appendIndexAction(body, config.index());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(config.bulkUri())
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        config.authorization().ifPresent(a -> request.header("Authorization", a));
        HttpResponse<String> reply;
        try {
            reply = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw retry("no reply from " + config.bulkUri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw retry("interrupted while writing to " + config.bulkUri(), e);
        }
        int status = reply.statusCode();
        if (status == 429 || status >= 500) {
            throw retry(config.bulkUri() + " answered " + status + ": " + abbreviate(reply.body()), null);
        }
        if (status != 200) {
            throw new ConnectException(config.bulkUri() + " answered " + status + " (check " + OpenSearchSinkConfig.URL + ", "
                    + OpenSearchSinkConfig.USERNAME + ", " + OpenSearchSinkConfig.INDEX + "): " + abbreviate(reply.body()));
        }
        BulkResponse result;
        try {
            result = BulkResponse.parse(reply.body(), docs.size());
        } catch (IllegalStateException e) {
            throw new ConnectException(config.bulkUri() + ": " + e.getMessage());
        }
        String retryReason = null;
        for (int i = 0; i < docs.size(); i++) {
            BulkResponse.Item item = result.items().get(i);
            switch (item.verdict()) {
                case INDEXED -> { }
                case RETRY -> retryReason = item.status() + " " + item.reason();
                case REFUSED -> reported.add(refused(batch.get(i), "index " + config.index() + " refused document " + docs.get(i).id()
                        + ": " + item.reason()));
                case FAILED -> throw new ConnectException("index " + config.index() + " answered " + item.status() + " for document "
                        + docs.get(i).id() + ": " + item.reason());
            }
        }
        if (retryReason != null) {
            // the whole put again: what this try indexed is overwritten with itself, the refused are reported once more
            throw retry("index " + config.index() + " could not take every document now: " + retryReason, null);
        }
    }

    private RetriableException retry(String message, Throwable cause) {
        context.timeout(config.retryBackoffMs());
        LOG.warn("{}; Connect retries in {} ms", message, config.retryBackoffMs());
        return cause == null ? new RetriableException(message) : new RetriableException(message, cause);
    }

    /** Hands a record the index will not take to the dead letter queue, or fails the task when there is none. */
    private Future<Void> refused(SinkRecord r, String reason) {
        String where = r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset();
        if (reporter == null) {
            throw new ConnectException("record " + where + " not written: " + reason
                    + " (configure errors.tolerance=all and errors.deadletterqueue.topic.name to set such records aside)");
        }
        LOG.warn("record {} to the errant record reporter: {}", where, reason);
        return reporter.report(r, new ConnectException(reason));
    }

    private static void awaitReport(Future<Void> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("interrupted while reporting an errant record", e);
        } catch (ExecutionException e) {
            throw new ConnectException("the errant record reporter failed", e.getCause());
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }

    @Override
    public void stop() {
        // HttpClient has no close() before Java 21; its threads end with it
        http = null;
    }
}
