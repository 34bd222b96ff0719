package io.tlsmon.session;

import io.tlsmon.avro.Evidence;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static io.tlsmon.session.Lines.line;
import static org.assertj.core.api.Assertions.assertThat;

class SessionFoldTest {

    private static OpenSession fold(List<ParsedLine> lines) {
        OpenSession s = SessionFold.open(lines.get(0));
        lines.subList(1, lines.size()).forEach(l -> SessionFold.add(s, l));
        return s;
    }

    private static List<ParsedLine> session(int n) {
        List<ParsedLine> lines = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            lines.add(line(SourceKind.POSTFIX_SMTPD, "smtpd[1]", i, LineEvent.OTHER).build());
        }
        return lines;
    }

    @Test
    void aLongSessionKeepsItsFirstAndLastEvidenceLinesAndCountsTheRest() {
        OpenSession s = fold(session(40));
        assertThat(s.getEvidence()).extracting(Evidence::getLine)
                .containsExactlyElementsOf(LongStream.concat(LongStream.rangeClosed(1, 8), LongStream.rangeClosed(33, 40)).boxed().toList());
        assertThat(s.getEvidenceDropped()).isEqualTo(24);
        assertThat(s.getLines()).isEqualTo(40);
    }

    @Test
    void theEvidenceKeptDoesNotDependOnTheOrderTheLinesArriveIn() {
        List<ParsedLine> lines = session(40);
        OpenSession inOrder = fold(lines);
        List<ParsedLine> shuffled = new ArrayList<>(lines);
        Collections.shuffle(shuffled, new Random(7));
        OpenSession outOfOrder = fold(shuffled);
        assertThat(outOfOrder.getEvidence()).isEqualTo(inOrder.getEvidence());
        assertThat(outOfOrder.getEvidenceDropped()).isEqualTo(inOrder.getEvidenceDropped());
    }

    @Test
    void aShortSessionKeepsEveryLineInFileThenLineOrder() {
        List<ParsedLine> lines = new ArrayList<>(session(3));
        lines.add(0, line(SourceKind.POSTFIX_SMTPD, "smtpd[1]", 0, LineEvent.OTHER).source("b.log").lineNumber(1).build());
        assertThat(fold(lines).getEvidence()).extracting(e -> e.getSource() + ":" + e.getLine())
                .containsExactly("b.log:1", "test.log:1", "test.log:2", "test.log:3");
    }
}
