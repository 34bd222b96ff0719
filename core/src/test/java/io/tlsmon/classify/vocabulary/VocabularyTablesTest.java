package io.tlsmon.classify.vocabulary;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VocabularyTablesTest {
    // core's tests run in core/: the docs folder is the project's
    private static final Path DOC = Path.of("..", "docs", "vocabulary.md");

    /** The documented tables are the code's: a rule added, moved or deleted shows in the doc's diff. */
    @Test
    void theDocumentedTablesAreTheCodes() throws IOException {
        String generated = VocabularyTables.markdown();
        if (Boolean.getBoolean("tlsmon.docs.write")) {
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as("docs/vocabulary.md is stale: rerun this test with -Dtlsmon.docs.write=true and review the diff")
                .isEqualTo(generated);
    }

    /** First match wins: a needle that contains an earlier needle of its table can never be reached. */
    @Test
    void noRuleIsHiddenByAnEarlierOneOfItsTable() {
        List<String> hidden = new ArrayList<>();
        for (Vocabulary table : Vocabularies.all()) {
            List<TextRule> rules = table.rules();
            for (int j = 0; j < rules.size(); j++) {
                TextRule reached = table.match(rules.get(j).needle());
                if (reached != rules.get(j)) {
                    hidden.add(table.name() + ": '" + rules.get(j).needle() + "' is taken by '" + reached.needle() + "'");
                }
            }
        }
        assertThat(hidden).isEmpty();
    }
}
