package io.tlsmon.classify.vocabulary;

import java.util.List;
import java.util.Map;

/**
 * The tables as the Markdown of {@code docs/vocabulary.md}: what an admin reads to see why a line
 * got its outcome, and what a test compares with the code so the two cannot drift apart.
 */
public final class VocabularyTables {
    private VocabularyTables() {
    }

    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Failure vocabulary\n\n")
                .append("How tlsmon reads the failure text of a log line (generated from ")
                .append("`core/src/main/java/io/tlsmon/classify/vocabulary/`; `VocabularyTablesTest` fails when this file ")
                .append("and the code differ, and rewrites it with `-Dtlsmon.docs.write=true`).\n\n")
                .append("Exchange's SChannel names are matched exactly first. Then each table of the line's source is ")
                .append("searched in order, first match wins within a table; of the tables' matches the most specific ")
                .append("wins (NAMED > UNKNOWN > TIMEOUT > DROP), and on a tie the table listed first for the source. ")
                .append("Text no rule matches is `OTHER_TLS_ERROR`, kept verbatim.\n\n")
                .append("| source | tables, in order |\n|---|---|\n")
                .append("| Exchange (receive, send) | SChannel names, socket |\n")
                .append("| Postfix (smtpd, smtp, tlsproxy) | ").append(names(Vocabularies.POSTFIX_TABLES)).append(" |\n")
                .append("| Exim | ").append(names(Vocabularies.EXIM_TABLES)).append(" |\n")
                .append("| Sendmail | ").append(names(Vocabularies.SENDMAIL_TABLES)).append(" |\n\n");
        out.append("## SChannel names\n\n").append(SchannelStatus.ORIGIN).append(".\n\n")
                .append("| name | outcome | specificity |\n|---|---|---|\n");
        for (Map.Entry<String, TextRule> e : SchannelStatus.names().entrySet()) {
            out.append("| `").append(e.getKey()).append("` | ").append(e.getValue().outcome())
                    .append(" | ").append(e.getValue().specificity()).append(" |\n");
        }
        for (Vocabulary table : Vocabularies.all()) {
            out.append("\n## ").append(table.name()).append("\n\n").append(table.origin()).append(".\n\n")
                    .append("| rank | text contains | outcome | specificity |\n|---|---|---|---|\n");
            int rank = 0;
            for (TextRule rule : table.rules()) {
                out.append("| ").append(++rank).append(" | `").append(rule.needle()).append("` | ")
                        .append(rule.outcome()).append(" | ").append(rule.specificity()).append(" |\n");
            }
        }
        return out.toString();
    }

    private static String names(List<Vocabulary> tables) {
        return String.join(", ", tables.stream().map(Vocabulary::name).toList());
    }
}
