package io.tlsmon.format;

import io.tlsmon.alert.AlertRule;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.Certificate;
import io.tlsmon.avro.Direction;
import io.tlsmon.avro.EvidenceRef;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.classify.Outcomes;
import io.tlsmon.classify.TlsVersion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Attempts and alerts as Elastic Common Schema documents (ECS 9.4; every field outside
 * {@code tlsmon.*} exists in ECS 8.x too). tlsmon's own facts go under the custom {@code tlsmon}
 * namespace. A value ECS types strictly (ip, date, port) is written only when the log's text is
 * of that type: a host name in an address column goes to {@code *.domain}, an unreadable certificate
 * date stays in {@code tlsmon.certificates}, so no document is ever refused by the strict template
 * ({@link OutputFormat#ecsIndexTemplate()}).
 *
 * <p>{@code event.original} is not written: attempts keep where their lines are
 * ({@code tlsmon.evidence}), not the lines.
 */
final class EcsFormat implements RecordFormatter {
    static final EcsFormat INSTANCE = new EcsFormat();
    static final String ECS_VERSION = "9.4.0";
    private static final Pattern SHA1_HEX = Pattern.compile("[0-9A-Fa-f]{40}");

    private EcsFormat() {
    }

    @Override
    public String attempt(NegotiationAttempt a) {
        boolean established = !Outcomes.isFailure(a.getOutcome());
        Sides sides = Sides.of(a);
        SourceProducts observer = SourceProducts.of(a.getSourceKind());
        return Json.object(j -> {
            j.string("@timestamp", Times.iso(a.getStartTime()));
            j.object("ecs", e -> e.string("version", ECS_VERSION));
            j.object("event", e -> {
                e.string("kind", "event");
                e.strings("category", List.of("network", "email"));
                e.strings("type", List.of("connection", "protocol", "info"));
                e.string("outcome", established ? "success" : "failure");
                e.string("action", "tls-negotiation");
                e.string("reason", a.getError());
                e.string("dataset", "tlsmon.attempt");
                e.string("module", "tlsmon");
                e.string("provider", a.getSourceKind());
                e.string("id", a.getId());
                e.string("start", Times.iso(a.getStartTime()));
                e.string("end", Times.iso(a.getEndTime()));
                e.number("duration", (a.getEndTime().toEpochMilli() - a.getStartTime().toEpochMilli()) * 1_000_000L);
            });
            j.object("tls", t -> {
                TlsVersion.fromLabel(a.getTlsVersion()).ifPresent(v -> {
                    t.string("version", ecsVersionNumber(v));
                    t.string("version_protocol", v == TlsVersion.SSL3 ? "ssl" : "tls");
                });
                t.string("cipher", a.getCipher());
                t.bool("established", established);
                side(t, "client", sides.client().certificate());
                side(t, "server", sides.server().certificate());
            });
            endpoint(j, "source", sides.client());
            endpoint(j, "destination", sides.server());
            j.object("network", n -> {
                n.string("protocol", "smtp");
                n.string("transport", "tcp");
                // The observer is the mail server itself (host-based), so ECS wants ingress/egress.
                n.string("direction", a.getDirection() == Direction.inbound ? "ingress" : "egress");
            });
            j.object("email", m -> m.string("direction", a.getDirection().name()));
            observer(j, a.getServer(), observer);
            j.object("error", e -> e.string("message", a.getError()));
            related(j, Arrays.asList(a.getServer(), a.getRemoteHost()), a.getRemoteIp());
            j.object("tlsmon", t -> {
                t.string("record", "attempt");
                t.string("outcome", a.getOutcome().name());
                t.string("probable_cause", name(a.getProbableCause()));
                t.string("source_kind", a.getSourceKind());
                t.string("server", a.getServer());
                t.string("session_id", a.getSessionId());
                t.string("connector", a.getConnector());
                t.string("local_endpoint", a.getLocalEndpoint());
                t.string("remote_ip", a.getRemoteIp());
                t.string("remote_host", a.getRemoteHost());
                t.string("tls_version", a.getTlsVersion());
                t.bool("tls_required", a.getTlsRequired());
                t.string("tlsrpt_result_type", a.getTlsrptResultType());
                t.string("policy_domain", a.getPolicyDomain());
                t.string("policy_type", a.getPolicyType() == null ? null : PolicyTypes.rfc8460(a.getPolicyType()));
                t.objects("evidence", a.getEvidence(), (ev, o) -> o.string("source", ev.getSource()).number("line", ev.getLine()));
                if (a.getCertificates() != null && !a.getCertificates().isEmpty()) {
                    t.objects("certificates", a.getCertificates(), (c, o) -> {
                        o.string("role", c.getRole().name());
                        o.string("subject", c.getSubject());
                        o.string("issuer", c.getIssuer());
                        o.string("serial_number", c.getSerialNumber());
                        o.string("thumbprint", c.getThumbprint());
                        o.string("not_before", c.getNotBefore());
                        o.string("not_after", c.getNotAfter());
                        o.string("alternate_names", c.getAlternateNames());
                    });
                }
            });
        });
    }

    @Override
    public String alert(Alert a) {
        Optional<AlertRule> rule = AlertRule.fromLabel(a.getRule());
        boolean inbound = a.getDirection() == Direction.inbound;
        return Json.object(j -> {
            j.string("@timestamp", Times.iso(a.getTime()));
            j.object("ecs", e -> e.string("version", ECS_VERSION));
            j.string("message", a.getSummary());
            j.object("event", e -> {
                e.string("kind", "alert");
                e.strings("category", List.of("network", "email"));
                e.strings("type", List.of("info"));
                // The outcome of the negotiations the alert is about, not of the alert.
                e.string("outcome", Outcomes.isFailure(a.getOutcome()) ? "failure" : "success");
                e.string("action", a.getType().name().toLowerCase(Locale.ROOT));
                e.string("reason", a.getSummary());
                e.string("dataset", "tlsmon.alert");
                e.string("module", "tlsmon");
                // event.id names this event; the episode id (shared by RAISED, UPDATED, RESOLVED) is tlsmon.alert_id.
                e.string("id", a.getId() + ":" + a.getType().name().toLowerCase(Locale.ROOT) + ":" + a.getTime().toEpochMilli());
                e.number("severity", EcsSeverity.of(a.getSeverity()));
                e.string("start", Times.iso(a.getWindowStart()));
                e.string("end", Times.iso(a.getWindowEnd()));
            });
            j.object("rule", r -> {
                r.string("id", a.getRule());
                r.string("name", a.getRule());
                r.string("description", rule.map(AlertRule::doc).orElse(null));
                r.string("ruleset", "tlsmon");
                r.string("category", "tls");
            });
            // Inbound the sender is the remote client (its IP); outbound it is our server and connector.
            Optional<IpLiteral.Ip> senderIp = IpLiteral.parse(a.getSender());
            j.object("source", s -> {
                s.string("ip", senderIp.map(IpLiteral.Ip::text).orElse(null));
                s.string("address", a.getSender());
                s.string("domain", a.getSenderName());
            });
            if (a.getDestination() != null) {
                Optional<IpLiteral.Ip> destinationIp = IpLiteral.parse(a.getDestination());
                j.object("destination", d -> {
                    d.string("address", a.getDestination());
                    d.string("ip", destinationIp.map(IpLiteral.Ip::text).orElse(null));
                    d.string("domain", destinationIp.isPresent() ? null : a.getDestination());
                });
            }
            j.object("tls", t -> TlsVersion.fromLabel(a.getTlsVersion()).ifPresent(v -> {
                t.string("version", ecsVersionNumber(v));
                t.string("version_protocol", v == TlsVersion.SSL3 ? "ssl" : "tls");
            }));
            j.object("network", n -> n.string("direction", inbound ? "ingress" : "egress"));
            j.object("email", m -> m.string("direction", a.getDirection().name()));
            observer(j, a.getLastEvidence().getServer(), new SourceProducts(null, null));
            j.object("error", e -> e.string("message", a.getError()));
            related(j, Arrays.asList(a.getFirstEvidence().getServer(), a.getLastEvidence().getServer()),
                    senderIp.map(IpLiteral.Ip::text).orElse(null));
            j.object("tlsmon", t -> {
                t.string("record", "alert");
                t.string("alert_id", a.getId());
                t.string("alert_type", a.getType().name());
                t.string("severity", a.getSeverity().name());
                t.string("outcome", a.getOutcome().name());
                t.string("probable_cause", name(a.getProbableCause()));
                t.string("sender", a.getSender());
                t.string("sender_name", a.getSenderName());
                t.string("destination", a.getDestination());
                t.number("count", a.getCount());
                t.number("window_ms", a.getWindowMs());
                t.string("tls_version", a.getTlsVersion());
                t.string("remediation", a.getRemediation());
                evidence(t, "first_evidence", a.getFirstEvidence());
                evidence(t, "last_evidence", a.getLastEvidence());
            });
        });
    }

    /** ECS {@code tls.version}: the number alone ({@code 1.2}; {@code 3.0} for SSLv3). */
    static String ecsVersionNumber(TlsVersion v) {
        return switch (v) {
            case SSL3 -> "3.0";
            case TLS1_0 -> "1.0";
            case TLS1_1 -> "1.1";
            case TLS1_2 -> "1.2";
            case TLS1_3 -> "1.3";
        };
    }

    private static void side(Json tls, String name, Certificate c) {
        if (c == null) {
            return;
        }
        tls.object(name, s -> {
            if (c.getThumbprint() != null && SHA1_HEX.matcher(c.getThumbprint()).matches()) {
                s.object("hash", h -> h.string("sha1", c.getThumbprint().toUpperCase(Locale.ROOT)));
            }
            s.object("x509", x -> {
                if (c.getSubject() != null) {
                    x.object("subject", d -> d.string("distinguished_name", c.getSubject()));
                }
                if (c.getIssuer() != null) {
                    x.object("issuer", d -> d.string("distinguished_name", c.getIssuer()));
                }
                x.string("serial_number", c.getSerialNumber());
                x.string("not_before", Times.parseLogged(c.getNotBefore()).map(Times::iso).orElse(null));
                x.string("not_after", Times.parseLogged(c.getNotAfter()).map(Times::iso).orElse(null));
                x.strings("alternative_names", alternativeNames(c.getAlternateNames()));
            });
        });
    }

    /** Exchange separates names with ';', MTAs with ','; blanks dropped. */
    static List<String> alternativeNames(String logged) {
        if (logged == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        Arrays.stream(logged.split("[;,]")).map(String::trim).filter(s -> !s.isEmpty()).forEach(names::add);
        return names.isEmpty() ? null : names;
    }

    private static void endpoint(Json j, String name, Sides.Side side) {
        j.object(name, s -> {
            s.string("address", side.ip() != null ? side.ip().text() : side.host());
            s.string("ip", side.ip() == null ? null : side.ip().text());
            s.number("port", side.port());
            s.string("domain", side.host());
        });
    }

    private static void observer(Json j, String hostname, SourceProducts product) {
        j.object("observer", o -> {
            o.string("hostname", hostname);
            o.string("type", "mta");
            o.string("product", product.product());
            o.string("vendor", product.vendor());
        });
    }

    private static void related(Json j, List<String> hosts, String ip) {
        j.object("related", r -> {
            r.strings("hosts", hosts.stream().filter(java.util.Objects::nonNull).distinct().toList());
            Optional<IpLiteral.Ip> literal = IpLiteral.parse(ip);
            r.strings("ip", literal.map(l -> List.of(l.text())).orElse(null));
        });
    }

    private static void evidence(Json t, String name, EvidenceRef e) {
        t.object(name, o -> o.string("server", e.getServer()).string("session_id", e.getSessionId())
                .string("time", Times.iso(e.getTime())));
    }

    private static String name(Outcome o) {
        return o == null ? null : o.name();
    }
}
