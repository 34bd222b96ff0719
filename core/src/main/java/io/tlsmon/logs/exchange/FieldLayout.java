package io.tlsmon.logs.exchange;

/**
 * Which column holds which field, from a {@code #Fields:} header (or Exchange's default order when
 * none was seen). Columns may come in any order and unknown ones are skipped, so a future build
 * that adds a field still parses.
 */
final class FieldLayout {
    static final String DEFAULT_FIELDS =
            "date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context";
    private static final String[] NAMES = DEFAULT_FIELDS.split(",");
    static final FieldLayout DEFAULT = fromHeader(DEFAULT_FIELDS);

    /** Absent columns are -1. */
    final int dateTime;
    final int connectorId;
    final int sessionId;
    final int sequenceNumber;
    final int localEndpoint;
    final int remoteEndpoint;
    final int event;
    final int data;
    final int context;
    /** How many columns the header declared. */
    final int declared;
    /** Why lines cannot be read with this layout (a required column is missing); null when they can. */
    final String problem;

    private FieldLayout(int[] index, int declared, String problem) {
        this.dateTime = index[0];
        this.connectorId = index[1];
        this.sessionId = index[2];
        this.sequenceNumber = index[3];
        this.localEndpoint = index[4];
        this.remoteEndpoint = index[5];
        this.event = index[6];
        this.data = index[7];
        this.context = index[8];
        this.declared = declared;
        this.problem = problem;
    }

    /** Reads the part after {@code #Fields:}. Runs once per file, so plain string handling is fine. */
    static FieldLayout fromHeader(String list) {
        int[] index = {-1, -1, -1, -1, -1, -1, -1, -1, -1};
        String[] columns = list.split(",", -1);
        for (int c = 0; c < columns.length; c++) {
            String name = columns[c].trim();
            for (int k = 0; k < NAMES.length; k++) {
                if (NAMES[k].equalsIgnoreCase(name) && index[k] < 0) {
                    index[k] = c;
                }
            }
        }
        String problem = null;
        for (int required : new int[] {0, 2, 3, 6}) {
            if (index[required] < 0) {
                problem = "the #Fields header has no " + NAMES[required] + " column";
                break;
            }
        }
        return new FieldLayout(index, columns.length, problem);
    }
}
