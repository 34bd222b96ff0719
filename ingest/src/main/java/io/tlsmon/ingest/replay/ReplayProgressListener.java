package io.tlsmon.ingest.replay;

/** Receives {@link ReplayProgress} reports, on the replaying thread, at the configured interval and once at the end. */
@FunctionalInterface
public interface ReplayProgressListener {
    void onProgress(ReplayProgress progress);

    ReplayProgressListener NONE = p -> { };
}
