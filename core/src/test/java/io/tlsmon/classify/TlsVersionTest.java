package io.tlsmon.classify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TlsVersionTest {

    @Test
    void theLabelsAreTheTaxonomysOldestFirst() {
        assertThat(TlsVersion.values()).extracting(TlsVersion::label)
                .containsExactly("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    }

    @Test
    void sslThreeTlsOneAndOneOneAreDeprecated() {
        assertThat(TlsVersion.values()).filteredOn(TlsVersion::isDeprecated)
                .containsExactly(TlsVersion.SSL3, TlsVersion.TLS1_0, TlsVersion.TLS1_1);
    }

    @ParameterizedTest
    @EnumSource(TlsVersion.class)
    void eachVersionIsFoundByItsLabel(TlsVersion v) {
        assertThat(TlsVersion.fromLabel(v.label())).contains(v);
        assertThat(v.toString()).isEqualTo(v.label());
        assertThat(TlsVersions.isDeprecated(v.label())).isEqualTo(v.isDeprecated());
    }

    @Test
    void aNameThatIsNoNormalisedVersionIsEmpty() {
        // MTA spellings are the parsers' to normalise; here only the taxonomy's names count
        for (String name : new String[] {null, "", "TLS1.2", "tlsv1.2", "TLSv1.0", "TLSv1/SSLv3", "TLSv1.4"}) {
            assertThat(TlsVersion.fromLabel(name)).as(String.valueOf(name)).isEmpty();
            assertThat(TlsVersions.isDeprecated(name)).as(String.valueOf(name)).isFalse();
        }
    }

    @Test
    void labelsSortOldestFirstAndUnknownOnesBeforeAll() {
        List<String> labels = new ArrayList<>(List.of("TLSv1.3", "TLSv1", "odd", "TLSv1.2", "SSLv3", "TLSv1.1"));
        labels.sort(TlsVersions.OLDEST_FIRST);
        assertThat(labels).containsExactly("odd", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    }
}
