package io.tlsmon.topology;

import io.tlsmon.schemas.registry.RestSchemaRegistryClient;
import io.tlsmon.schemas.registry.SchemaRegistries;
import io.tlsmon.schemas.registry.SchemaRegistryClient;
import io.tlsmon.schemas.registry.SchemaRegistryException;
import io.tlsmon.schemas.serde.ConfluentAvroSerde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Asks the schema registry whether it answers (the latest version of the attempts' value subject; "no
 * such subject" is an answer), and waits for it with exponential backoff: before {@code tlsmon run}
 * starts processing, and after a stream thread failed because of the registry ({@link ThreadFailures}),
 * so that a registry outage pauses processing instead of spinning through thread restarts.
 */
public final class RegistryProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryProbe.class);

    private final SchemaRegistryClient client;
    private final String subject;
    private final String where;
    private final long baseBackoffMs;
    private final long maxBackoffMs;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final OutageMetrics metrics;
    private long backoffMs;
    private long lastFailureMs = Long.MIN_VALUE / 2;

    RegistryProbe(SchemaRegistryClient client, String subject, String where, long baseBackoffMs, long maxBackoffMs,
                  OutageMetrics metrics) {
        this.client = client;
        this.subject = subject;
        this.where = where;
        this.baseBackoffMs = baseBackoffMs;
        this.maxBackoffMs = Math.max(baseBackoffMs, maxBackoffMs);
        this.backoffMs = baseBackoffMs;
        this.metrics = metrics;
    }

    /** A probe of the registry of {@code config}, with its own client. */
    public static RegistryProbe of(TlsmonConfig config) {
        SchemaRegistryClient client = SchemaRegistries.client(config.serdeConfigs());
        String where = client instanceof RestSchemaRegistryClient rest ? rest.baseUrls().toString()
                : config.getString(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG);
        return new RegistryProbe(client, ConfluentAvroSerde.subjectName(config.topicPrefix() + Topics.ATTEMPTS, false), where,
                config.getLong(TlsmonConfig.REGISTRY_RETRY_BACKOFF_MS_CONFIG),
                config.getLong(TlsmonConfig.REGISTRY_RETRY_BACKOFF_MAX_MS_CONFIG), OutageMetrics.get());
    }

    /** The registry's URLs, without credentials. */
    public String where() {
        return where;
    }

    /**
     * Null when the registry answered as a working registry does (the subject's latest version, or
     * that there is none yet); else the failure: {@link SchemaRegistryException#isTransient()} when it
     * may answer later, otherwise its refusal (credentials, a wrong URL ...).
     */
    public SchemaRegistryException probe() {
        try {
            client.latest(subject);
            return null;
        } catch (SchemaRegistryException e) {
            if (e.isSubjectNotFound() || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
                return null;
            }
            return e;
        }
    }

    /**
     * Waits until the registry answers, or it refuses, or {@code maxWaitMs} passed, or the probe is
     * closed; probing at growing intervals and counting the outage in {@link OutageMetrics#registry()}.
     * Returns the last failure, or null when it answered. Each call first waits out the current
     * backoff, which doubles with every call close to the last one: a registry that answers the probe
     * but still fails the records (it refuses our credentials, say) cannot make threads spin.
     */
    public SchemaRegistryException awaitAnswer(long maxWaitMs) {
        long start = System.currentTimeMillis();
        synchronized (this) {
            if (start - lastFailureMs > 2 * maxBackoffMs) {
                backoffMs = baseBackoffMs;
            }
            lastFailureMs = start;
        }
        long wait = nextBackoff();
        SchemaRegistryException last = null;
        while (!sleep(wait)) {
            last = probe();
            if (last == null || !last.isTransient()) {
                if (last == null && metrics.registryUp()) {
                    LOG.info("schema registry {} answers again; the stream threads go on from their last commit", where);
                }
                return last;
            }
            metrics.registryDown(last.getMessage());
            if (System.currentTimeMillis() - start >= maxWaitMs) {
                return last;
            }
            wait = nextBackoff();
            LOG.warn("schema registry {} still unreachable, processing paused; next try in {} ms: {}", where, wait, last.getMessage());
        }
        return last;
    }

    /**
     * Before processing starts: probes until the registry answers, telling {@code say} at every try that
     * it is unreachable (naming its URLs) and when it answers after that. Returns null once it answered
     * (or the probe was closed), or the registry's refusal (not to be waited for).
     */
    public SchemaRegistryException awaitAtStart(java.util.function.Consumer<String> say) {
        while (true) {
            SchemaRegistryException failure = probe();
            if (failure == null) {
                if (metrics.registryUp()) {
                    say.accept("schema registry " + where + " answers; starting");
                }
                resetBackoff();
                return null;
            }
            if (!failure.isTransient()) {
                return failure;
            }
            metrics.registryDown(failure.getMessage());
            long wait = nextBackoff();
            say.accept("schema registry " + where + " unreachable, nothing is processed until it answers; retrying in "
                    + wait + " ms: " + failure.getMessage());
            if (sleep(wait)) {
                return null;
            }
        }
    }

    /** The longest wait between two probes. */
    public long maxBackoffMs() {
        return maxBackoffMs;
    }

    /** The next pause between two tries (doubling up to the longest). */
    public synchronized long nextBackoff() {
        long b = backoffMs;
        backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
        return b;
    }

    /** The registry answered: the next pause is the first one again. */
    public synchronized void resetBackoff() {
        backoffMs = baseBackoffMs;
    }

    /** Sleeps; true if closed meanwhile. */
    public boolean sleep(long ms) {
        try {
            return closed.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Ends every wait at once (the instance is shutting down). */
    @Override
    public void close() {
        closed.countDown();
        client.close();
    }
}
