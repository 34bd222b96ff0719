package io.tlsmon.logs;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RecipientDomainTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "<ann@example.com>|example.com",
        "ann@Example.COM|example.com",
        "<ann@example.com.>|example.com",
        "<ann@mx.example.com> NOTIFY=NEVER|mx.example.com",
        "<ann@b√ºcher.example>|null",
        "<ann@bücher.example>|bücher.example",
        "<\"a@b\"@example.org>|example.org",
        "<postmaster>|null",
        "<ann@>|null",
        "<ann@[192.0.2.1]>|null",
        "<ann@exa!mple.com>|null",
        "<>|null",
        "''|null",
    })
    void readsTheDomainOfTheAddress(String address, String domain) {
        assertThat(RecipientDomain.of(address)).isEqualTo(domain);
    }

    @ParameterizedTest
    @CsvSource({"0", "1"})
    void aNameLongerThanADomainCanBeIsNone(int extra) {
        String label = "a".repeat(63);
        String name = String.join(".", label, label, label, label.substring(0, 61 + extra));
        assertThat(RecipientDomain.of("<x@" + name + ">")).isEqualTo(extra == 0 ? name : null);
    }
}
