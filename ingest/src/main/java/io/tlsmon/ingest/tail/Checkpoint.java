package io.tlsmon.ingest.tail;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one shipper has shipped for sure: per file, the position after the last line of a committed
 * transaction; per partition of the topic, the offset from which records of later transactions of
 * this shipper can be (see {@link ShipperLoop}, "reconciliation").
 *
 * @param shipperId the shipper's stable id (also its transactional id suffix)
 * @param topic     the topic the positions refer to
 * @param scanFrom  partition -> first offset not yet known to be accounted for
 * @param files     the followed files
 */
public record Checkpoint(String shipperId, String topic, Map<Integer, Long> scanFrom, List<FileState> files) {

    public Checkpoint {
        scanFrom = new TreeMap<>(scanFrom);
        files = List.copyOf(files);
    }

    public static Checkpoint empty(String shipperId, String topic) {
        return new Checkpoint(shipperId, topic, Map.of(), List.of());
    }
}
