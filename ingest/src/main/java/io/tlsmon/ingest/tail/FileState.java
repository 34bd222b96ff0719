package io.tlsmon.ingest.tail;

/**
 * Where one followed file stands: its identity (filesystem file key, plus a CRC-32 of its first
 * {@code fingerprintLength} bytes so a reused inode is told apart), its last known path, and the
 * byte position and line number after the last complete line taken from it. Immutable; the tailer
 * replaces it as it reads.
 *
 * @param fileKey           {@code BasicFileAttributes.fileKey()} as text (device and inode on Unix)
 * @param fingerprintLength how many leading bytes the fingerprint covers (grows to 256 as the file does)
 * @param fingerprint       CRC-32 of those bytes
 * @param lastTime          the last line time read from the file, or -1 (fallback timestamp for lines without time)
 */
public record FileState(String fileKey, int fingerprintLength, long fingerprint, String path, String logKind,
                        long position, long lineNumber, long lastTime) {

    /** Bytes covered by a complete fingerprint. */
    public static final int FINGERPRINT_BYTES = 256;

    public FileState at(long newPosition, long newLineNumber, long newLastTime) {
        return new FileState(fileKey, fingerprintLength, fingerprint, path, logKind, newPosition, newLineNumber, newLastTime);
    }

    public FileState withPath(String newPath) {
        return new FileState(fileKey, fingerprintLength, fingerprint, newPath, logKind, position, lineNumber, lastTime);
    }

    public FileState withFingerprint(int length, long crc) {
        return new FileState(fileKey, length, crc, path, logKind, position, lineNumber, lastTime);
    }

    /** {@code length:crc}, as carried in the {@code tlsmon.fp} record header. */
    public String fingerprintText() {
        return fingerprintLength + ":" + Long.toHexString(fingerprint);
    }

    static long[] parseFingerprint(String text) {
        int colon = text.indexOf(':');
        return new long[] {Integer.parseInt(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1), 16)};
    }
}
