package io.tlsmon.topology;

/**
 * A filesystem whose free space a test sets, with a clock that moves when the test moves it or when
 * the code under test sleeps; the space can be set to come back at a given time.
 */
final class FakeDisk implements StateDirectorySpace, ThreadFailures.Sleeper {
    long free;
    final long total;
    long nowMs;
    private long freeAtMs = Long.MAX_VALUE;
    private long freeThen;

    FakeDisk(long free, long total) {
        this.free = free;
        this.total = total;
    }

    @Override
    public long usableBytes() {
        return free;
    }

    @Override
    public long totalBytes() {
        return total;
    }

    @Override
    public void sleep(long ms) {
        nowMs += ms;
        if (nowMs >= freeAtMs) {
            free = freeThen;
        }
    }

    /** From {@code atMs} on, {@code bytes} are free. */
    void spaceBackAt(long atMs, long bytes) {
        freeAtMs = atMs;
        freeThen = bytes;
    }

    /** The space set to come back does not. */
    void spaceNeverBack() {
        freeAtMs = Long.MAX_VALUE;
    }
}
