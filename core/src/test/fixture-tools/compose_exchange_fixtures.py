#!/usr/bin/env python3
"""Writes the composed Exchange protocol-log fixtures and their expected.tsv.

The fixtures are composed from the documented format (shared/reference/log-formats.md section 1),
not copied from any real log. Run from the repository root:
    python3 core/src/test/fixture-tools/compose_exchange_fixtures.py
"""
import datetime
import os

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "exchange")
COMMENT = "# composed from the documented format (shared/reference/log-formats.md §1); not a real Exchange log"
FIELDS = "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context"

RECV_CONNECTOR = "EX01\\Default Frontend EX01"
RECV_TLS_CONNECTOR = "EX01\\Partner TLS Required EX01"
FQDN = "ex01.contoso.example"
SEND_CERT = [
    ("CN=mail.contoso.example, O=Contoso Ltd, L=Seattle, S=WA, C=US", "Certificate subject"),
    ("CN=Contoso Issuing CA 1, O=Contoso Ltd, C=US", "Certificate issuer name"),
    ("4A00000017C3E2A5B1F04D7B2E000000000017", "Certificate serial number"),
    ("8E3F0C5D2A4B6C7D8E9F0A1B2C3D4E5F60718293", "Certificate thumbprint"),
    ("mail.contoso.example;autodiscover.contoso.example", "Certificate alternate names"),
]
RECV_SENDING_CERT = (
    " CN=ex01.contoso.example CN=Contoso Issuing CA 1 4A00000017C3E2A5B1F04D7B2E000000000017 "
    "8E3F0C5D2A4B6C7D8E9F0A1B2C3D4E5F60718293 2024-06-01T00:00:00.000Z 2026-06-01T00:00:00.000Z "
    "ex01.contoso.example;mail.contoso.example",
    "Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names")


def success(protocol, bulk="CALG_AES_256", bulk_bits=256, mac="CALG_SHA_384", kx="CALG_ECDH_EPHEM", kx_bits=384,
            short=False):
    text = (f"TLS protocol {protocol} negotiation succeeded using bulk encryption algorithm {bulk} "
            f"with strength {bulk_bits} bits")
    if not short:
        text += f", MAC hash algorithm {mac} with strength 0 bits and key exchange algorithm {kx} with strength {kx_bits} bits"
    return ("*", "", text)


def failed(name):
    return ("*", "", f"TLS negotiation failed with error {name}")


def csv_field(v):
    if "," in v or '"' in v:
        return '"' + v.replace('"', '""') + '"'
    return v


class Session:
    def __init__(self, connector, sid, start, local, remote, expected=None):
        self.connector, self.sid, self.start = connector, sid, start
        self.local, self.remote, self.expected = local, remote, expected
        self.steps = []  # (offset seconds, event, data, context, local override)

    def add(self, dt, event, data="", context="", local=None):
        self.steps.append((dt, event, data, context, local))
        return self

    def lines(self):
        out = []
        for seq, (dt, event, data, context, local) in enumerate(self.steps):
            t = self.start + datetime.timedelta(seconds=dt)
            stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
            loc = self.local if local is None else local
            fields = [stamp, self.connector, self.sid, str(seq), loc, self.remote, event, data, context]
            out.append((t, seq, ",".join(csv_field(f) for f in fields)))
        return out


def banner_local(t):
    return f"220 {FQDN} Microsoft ESMTP MAIL Service ready at {t.strftime('%a, %d %b %Y %H:%M:%S')} +0000"


EHLO_REPLY_IN = (f"250  {FQDN} Hello [{{ip}}] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS "
                 "X-ANONYMOUSTLS AUTH NTLM X-EXPS GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST")
EHLO_REPLY_IN_TLS = (f"250  {FQDN} Hello [{{ip}}] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES "
                     "AUTH NTLM LOGIN X-EXPS GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST")


def recv(sid, start, remote_ip, remote, ehlo, outcome_steps, expected, connector=RECV_CONNECTOR, local="10.0.0.21:25",
         starttls=True, cert=True):
    s = Session(connector, sid, start, local, remote, expected)
    s.add(0.000, "+")
    s.add(0.001, "*", "SMTPSubmit SMTPAcceptAnySender SMTPAcceptAuthoritativeDomainSender AcceptRoutingHeaders",
          "Set Session Permissions")
    s.add(0.002, ">", banner_local(start))
    s.add(0.040, "<", f"EHLO {ehlo}")
    s.add(0.041, ">", EHLO_REPLY_IN.format(ip=remote_ip))
    if starttls:
        s.add(0.080, "<", "STARTTLS")
        s.add(0.081, ">", "220 2.0.0 SMTP server ready")
        if cert:
            s.add(0.082, "*", RECV_SENDING_CERT[0], RECV_SENDING_CERT[1])
    for step in outcome_steps:
        s.add(*((0.15,) + step if isinstance(step[0], str) else step))
    return s


def recv_mail_after_tls(ehlo, remote_ip, sender="alerts@fabrikam.example", start=0.3):
    return [
        (start, "<", f"EHLO {ehlo}"),
        (start + 0.001, "*", "", "Client certificate chain validation status: 'EmptyCertificate'"),
        (start + 0.002, "*", "", "TlsDomainCapabilities='None'; Status='NoRemoteCertificate'"),
        (start + 0.003, ">", EHLO_REPLY_IN_TLS.format(ip=remote_ip)),
        (start + 0.05, "<", f"MAIL FROM:<{sender}> SIZE=20480"),
        (start + 0.051, ">", "250 2.1.0 Sender OK"),
        (start + 0.08, "<", "RCPT TO:<j.smith@contoso.example>"),
        (start + 0.081, ">", "250 2.1.5 Recipient OK"),
        (start + 0.12, "<", "BDAT 20480 LAST"),
        (start + 0.2, ">", "250 2.6.0 <20250301.4711@fabrikam.example> [InternalId=4823449, Hostname=ex01.contoso.example] "
                           "20480 bytes in 0.080, 250.000 KB/sec Queued mail for delivery"),
        (start + 0.25, "<", "QUIT"),
        (start + 0.251, ">", "221 2.0.0 Closing connection."),
        (start + 0.252, "-", "", "Local"),
    ]


def send(connector, sid, start, local, remote, banner, ehlo_reply, outcome_steps, expected, starttls=True,
         client_cert=True, ehlo="mail.contoso.example"):
    s = Session(connector, sid, start, local, remote, expected)
    s.add(0.000, "*", "None", "Set Session Permissions", local="")
    s.add(0.001, "*", "", "attempting to connect", local="")
    s.add(0.030, "+")
    s.add(0.080, "<", banner)
    s.add(0.081, ">", f"EHLO {ehlo}")
    s.add(0.120, "<", ehlo_reply)
    if starttls:
        s.add(0.121, ">", "STARTTLS")
        s.add(0.160, "<", "220 2.0.0 SMTP server ready")
        if client_cert:
            s.add(0.161, "*", "", "Sending certificate")
            for k, (value, label) in enumerate(SEND_CERT):
                s.add(0.162 + k * 0.0001, "*", value, label)
    for step in outcome_steps:
        s.add(*((0.25,) + step if isinstance(step[0], str) else step))
    return s


def ehlo_reply_out(host, ip, starttls=True):
    ext = "SIZE 52428800 PIPELINING DSN ENHANCEDSTATUSCODES " + ("STARTTLS " if starttls else "") + "8BITMIME BINARYMIME CHUNKING"
    return f"250  {host} Hello [{ip}] {ext}"


def send_mail_after_tls(host, ip, start=0.3, rcpt="orders@fabrikam.example"):
    return [
        (start, "*", "", "Received certificate"),
        (start + 0.0005, "*", "1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E", "Certificate thumbprint"),
        (start + 0.002, ">", "EHLO mail.contoso.example"),
        (start + 0.04, "<", f"250  {host} Hello [{ip}] SIZE 52428800 PIPELINING DSN ENHANCEDSTATUSCODES AUTH LOGIN 8BITMIME BINARYMIME CHUNKING"),
        (start + 0.041, "*", "08DD58A1C0FFEE01;2025-03-01T10:00:00.000Z;1", "sending message with RecordId 4823449 and InternetMessageId <A1@contoso.example>"),
        (start + 0.042, ">", "MAIL FROM:<j.smith@contoso.example> SIZE=20480"),
        (start + 0.043, ">", f"RCPT TO:<{rcpt}>"),
        (start + 0.08, "<", "250 2.1.0 Sender OK"),
        (start + 0.081, "<", "250 2.1.5 Recipient OK"),
        (start + 0.082, ">", "BDAT 20480 LAST"),
        (start + 0.16, "<", "250 2.6.0 <A1@contoso.example> Queued mail for delivery"),
        (start + 0.161, ">", "QUIT"),
        (start + 0.2, "<", "221 2.0.0 Service closing transmission channel"),
        (start + 0.201, "-", "", "Local"),
    ]


def write(name, header_lines, sessions, crlf=False, bom=False):
    lines = []
    for order, s in enumerate(sessions):
        for t, seq, text in s.lines():
            lines.append((t, order, seq, text))
    lines.sort(key=lambda x: (x[0], x[1], x[2]))
    body = [COMMENT] + header_lines + [x[3] for x in lines]
    eol = "\r\n" if crlf else "\n"
    data = eol.join(body) + eol
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        f.write(("\ufeff" if bom else "") + data)


def header(version, log_type, date):
    return ["#Software: Microsoft Exchange Server", f"#Version: {version}", f"#Log-type: {log_type}",
            f"#Date: {date}", FIELDS]


def expected_rows(name, sessions, kind):
    rows = []
    for s in sessions:
        if s.expected is None:
            continue
        attempt_start = s.start
        rows.append((name, attempt_start, kind) + s.expected)
    rows.sort(key=lambda r: r[1])
    return [f"{r[0]}\t{r[2]}\t" + "\t".join(r[3:]) for r in rows]


D = datetime.datetime


def main():
    os.makedirs(OUT, exist_ok=True)
    tsv = []

    # --- receive, Exchange 2019: many interleaved sessions, every inbound outcome ---
    name = "RECV2025030110-1.LOG"
    t = D(2025, 3, 1, 10, 0, 0)
    step = datetime.timedelta(seconds=0, milliseconds=150)
    sessions = []

    def at(i):
        return t + step * i

    sessions.append(recv("08DD58A1B2C30001", at(0), "198.51.100.10", "198.51.100.10:41001", "mx1.fabrikam.example",
                         [success("SP_PROT_TLS1_2_SERVER")]
                         + recv_mail_after_tls("mx1.fabrikam.example", "198.51.100.10"),
                         ("OK", "-", "TLSv1.2", "-")))
    sessions.append(recv("08DD58A1B2C30002", at(1), "203.0.113.17", "203.0.113.17:50112", "legacy.northwind.example",
                         [success("SP_PROT_TLS1_0_SERVER", mac="CALG_SHA1", kx="CALG_ECDHE", kx_bits=256)]
                         + recv_mail_after_tls("legacy.northwind.example", "203.0.113.17", "billing@northwind.example"),
                         ("DEPRECATED_PROTOCOL", "-", "TLSv1", "-")))
    sessions.append(recv("08DD58A1B2C30003", at(2), "192.0.2.45", "192.0.2.45:33120", "gw.tailspin.example",
                         [(0.15, *failed("AlgorithmMismatch")), (0.151, "-", "", "Local")],
                         ("NO_SHARED_CIPHER", "-", "-", "AlgorithmMismatch")))
    sessions.append(recv("08DD58A1B2C30004", at(3), "192.0.2.61", "192.0.2.61:60211", "relay.adatum.example",
                         [(0.5, "-", "", "Remote(SocketError)")],
                         ("CONNECTION_DROPPED", "-", "-", "Remote(SocketError)")))
    sessions.append(recv("08DD58A1B2C30005", at(4), "198.51.100.77", "198.51.100.77:44410", "smtp.wingtip.example",
                         [(30.081, "-", "", "Remote(TimedOut)")],
                         ("HANDSHAKE_TIMEOUT", "-", "-", "Remote(TimedOut)"), cert=False))
    # plaintext inbound, nothing required TLS: not an attempt
    sessions.append(recv("08DD58A1B2C30006", at(5), "203.0.113.90", "203.0.113.90:51515", "printer.contoso.example",
                         [(0.1, "<", 'MAIL FROM:<"scan,dept"@contoso.example> SIZE=1024'),
                          (0.101, ">", "250 2.1.0 Sender OK"),
                          (0.12, "<", "RCPT TO:<j.smith@contoso.example>"),
                          (0.121, ">", "250 2.1.5 Recipient OK"),
                          (0.13, "<", "DATA"),
                          (0.131, ">", "354 Start mail input; end with <CRLF>.<CRLF>"),
                          (0.2, ">", "250 2.6.0 <scan-1@contoso.example> Queued mail for delivery"),
                          (0.21, "<", "QUIT"),
                          (0.211, ">", "221 2.0.0 Closing connection."),
                          (0.212, "-", "", "Local")],
                         None, starttls=False))
    sessions.append(recv("08DD58A1B2C30007", at(6), "192.0.2.88", "192.0.2.88:40404", "mta.litware.example",
                         [(0.1, "<", "MAIL FROM:<notify@litware.example> SIZE=4096"),
                          (0.101, ">", "451 5.7.3 Must issue a STARTTLS command first"),
                          (0.15, "<", "QUIT"),
                          (0.151, ">", "221 2.0.0 Closing connection."),
                          (0.152, "-", "", "Local")],
                         ("STARTTLS_REQUIRED", "-", "-", "451 5.7.3 Must issue a STARTTLS command first"),
                         connector=RECV_TLS_CONNECTOR, local="10.0.0.21:2526", starttls=False))
    sessions.append(recv("08DD58A1B2C30008", at(7), "198.51.100.130", "198.51.100.130:37777", "edge.proseware.example",
                         [(0.12, *failed("IllegalMessage")), (0.121, "-", "", "Local")],
                         ("OTHER_TLS_ERROR", "-", "-", "IllegalMessage")))
    sessions.append(recv("08DD58A1B2C30009", at(8), "203.0.113.200", "203.0.113.200:45678", "mx.fourthcoffee.example",
                         [(0.09, *failed("UnknownCredentials")), (0.091, "-", "", "Local")],
                         ("LOCAL_CERTIFICATE_UNUSABLE", "-", "-", "UnknownCredentials")))
    sessions.append(recv("08DD58A1B2C3000A", at(9), "2001:db8:99::7", "[2001:db8:99::7]:50123", "mx6.fabrikam.example",
                         [success("SP_PROT_TLS1_3_SERVER", kx="CALG_ECDH_EPHEM")]
                         + recv_mail_after_tls("mx6.fabrikam.example", "2001:db8:99::7"),
                         ("OK", "-", "TLSv1.3", "-"), local="[2001:db8:10::21]:25"))
    # a scanner: connects and drops before EHLO, never sent STARTTLS: not an attempt
    scanner = Session(RECV_CONNECTOR, "08DD58A1B2C3000B", at(10), "10.0.0.21:25", "192.0.2.250:61000")
    scanner.add(0.0, "+").add(0.001, "*", "SMTPSubmit SMTPAcceptAnySender", "Set Session Permissions")
    scanner.add(0.002, ">", banner_local(at(10))).add(0.9, "-", "", "Remote(SocketError)")
    sessions.append(scanner)
    write(name, header("15.2.1544.4", "SMTP Receive Protocol Log", "2025-03-01T10:00:00.000Z"), sessions)
    tsv += expected_rows(name, sessions, "exchange-receive")

    # --- receive, one session across a rotation ---
    t = D(2025, 3, 1, 11, 59, 58)
    whole = recv("08DD58A1B2C31001", t, "198.51.100.10", "198.51.100.10:41201", "mx1.fabrikam.example",
                 [success("SP_PROT_TLS1_2_SERVER")] + recv_mail_after_tls("mx1.fabrikam.example", "198.51.100.10"),
                 ("OK", "-", "TLSv1.2", "-"))
    spanning = recv("08DD58A1B2C31002", t + datetime.timedelta(seconds=1.85), "192.0.2.33", "192.0.2.33:52020",
                    "mail.adventure-works.example",
                    [success("SP_PROT_TLS1_2_SERVER", bulk="CALG_AES_128", bulk_bits=128, mac="CALG_SHA_256", kx_bits=256)]
                    + recv_mail_after_tls("mail.adventure-works.example", "192.0.2.33", "hr@adventure-works.example"),
                    ("OK", "-", "TLSv1.2", "-"))
    later = recv("08DD58A1B2C31003", D(2025, 3, 1, 12, 0, 5), "203.0.113.90", "203.0.113.90:51600",
                 "printer.contoso.example",
                 [(0.1, "<", "MAIL FROM:<scanner@contoso.example> SIZE=1024"), (0.101, ">", "250 2.1.0 Sender OK"),
                  (0.15, "<", "QUIT"), (0.151, ">", "221 2.0.0 Closing connection."), (0.152, "-", "", "Local")],
                 None, starttls=False)
    cut = D(2025, 3, 1, 12, 0, 0)
    # split the spanning session's lines at the rotation time (sequence numbers continue)
    span_lines = spanning.lines()

    def write_raw(fname, date, line_groups):
        rows = sorted(line_groups, key=lambda x: (x[0], x[1]))
        body = [COMMENT] + header("15.2.1544.4", "SMTP Receive Protocol Log", date) + [r[2] for r in rows]
        with open(os.path.join(OUT, fname), "w", encoding="utf-8", newline="") as f:
            f.write("\n".join(body) + "\n")

    whole_lines = [(x[0], 0, x[2]) for x in whole.lines()]
    assert all(x[0] < cut for x in whole_lines)
    span_before = [(x[0], 1, x[2]) for x in span_lines if x[0] < cut]
    span_after = [(x[0], 1, x[2]) for x in span_lines if x[0] >= cut]
    assert span_before and span_after
    write_raw("RECV2025030111-1.LOG", "2025-03-01T11:00:00.000Z", whole_lines + span_before)
    write_raw("RECV2025030111-2.LOG", "2025-03-01T12:00:00.000Z",
              span_after + [(x[0], 2, x[2]) for x in later.lines()])
    tsv.append("#group RECV2025030111-1.LOG RECV2025030111-2.LOG")
    tsv += expected_rows("RECV2025030111-1.LOG", [whole, spanning], "exchange-receive")

    # --- receive, Exchange 2010: short success form, SSL 3, CRLF, BOM ---
    name = "RECV20140601-1.LOG"
    t = D(2014, 6, 1, 8, 30, 0)
    c2010 = "EX2010\\Default EX2010"
    sessions = [
        recv("08D14B2C11000001", t, "198.51.100.10", "198.51.100.10:2001", "mx1.fabrikam.example",
             [success("SP_PROT_TLS1_2_SERVER", bulk="CALG_AES_128", bulk_bits=128, short=True)]
             + recv_mail_after_tls("mx1.fabrikam.example", "198.51.100.10"),
             ("OK", "-", "TLSv1.2", "-"), connector=c2010, local="10.0.0.5:25"),
        recv("08D14B2C11000002", t + datetime.timedelta(seconds=2), "192.0.2.99", "192.0.2.99:1025",
             "old-relay.tailspin.example",
             [success("SP_PROT_SSL3_SERVER", bulk="CALG_RC4", bulk_bits=128, short=True)]
             + recv_mail_after_tls("old-relay.tailspin.example", "192.0.2.99", "ops@tailspin.example"),
             ("DEPRECATED_PROTOCOL", "-", "SSLv3", "-"), connector=c2010, local="10.0.0.5:25"),
    ]
    write(name, header("14.0.0.0", "SMTP Receive Protocol Log", "2014-06-01T08:00:00.000Z"), sessions, crlf=True, bom=True)
    tsv += expected_rows(name, sessions, "exchange-receive")

    # --- send, Exchange 2019: interleaved outbound sessions, every outbound outcome ---
    name = "SEND2025030110-1.LOG"
    t = D(2025, 3, 1, 10, 0, 0)
    local = "10.0.0.21:{}"
    sessions = []

    def out_at(i):
        return t + datetime.timedelta(milliseconds=200 * i)

    def out(i, sid, host, ip, remote, steps, expected, connector="Outbound to Internet", **kw):
        return send(connector, sid, out_at(i), kw.pop("local", local.format(50000 + i)), remote,
                    kw.pop("banner", f"220 {host} ESMTP Postfix"), kw.pop("reply", ehlo_reply_out(host, ip)),
                    steps, expected, **kw)

    sessions.append(out(0, "08DD58A1C0DE0001", "mx1.fabrikam.example", "10.0.0.21", "198.51.100.10:25",
                        [(0.25, *success("SP_PROT_TLS1_2_CLIENT", bulk="CALG_AES_256", mac="CALG_SHA_384"))]
                        + send_mail_after_tls("mx1.fabrikam.example", "10.0.0.21"),
                        ("OK", "-", "TLSv1.2", "-"),
                        banner="220 mx1.fabrikam.example Microsoft ESMTP MAIL Service ready at Sat, 01 Mar 2025 10:00:00 +0000"))
    sessions.append(out(1, "08DD58A1C0DE0002", "smtp.northwind.example", "10.0.0.21", "203.0.113.17:25",
                        [(0.25, *success("SP_PROT_TLS1_1_CLIENT", bulk="CALG_AES_128", bulk_bits=128, mac="CALG_SHA1",
                                         kx="CALG_ECDHE", kx_bits=256))]
                        + send_mail_after_tls("smtp.northwind.example", "10.0.0.21", rcpt="ap@northwind.example"),
                        ("DEPRECATED_PROTOCOL", "-", "TLSv1.1", "-")))
    for i, (sid, host, ip, err, outcome) in enumerate([
            ("08DD58A1C0DE0003", "mx.tailspin.example", "192.0.2.45", "UntrustedRoot", "CERTIFICATE_UNTRUSTED"),
            ("08DD58A1C0DE0004", "mail.wingtip.example", "198.51.100.77", "CertExpired", "CERTIFICATE_EXPIRED"),
            ("08DD58A1C0DE0005", "mx.litware.example", "192.0.2.88", "WrongPrincipal", "CERTIFICATE_NAME_MISMATCH"),
            ("08DD58A1C0DE0006", "mx.proseware.example", "198.51.100.130", "NoCredentials", "LOCAL_CERTIFICATE_UNUSABLE"),
    ], start=2):
        sessions.append(out(i, sid, host, "10.0.0.21", f"{ip}:25",
                            [(0.25, "*", "", "Received certificate"),
                             (0.2505, "*", "CN=" + host, "Certificate subject"),
                             (0.251, *failed(err)), (0.252, "-", "", "Local")],
                            (outcome, "-", "-", err), connector="Partner TLS"))
    sessions.append(out(6, "08DD58A1C0DE0007", "legacy.fourthcoffee.example", "10.0.0.21", "203.0.113.200:25",
                        [(0.121, ">", "MAIL FROM:<j.smith@contoso.example> SIZE=20480"),
                         (0.122, ">", "RCPT TO:<sales@fourthcoffee.example>"),
                         (0.16, "<", "250 2.1.0 Sender OK"), (0.161, "<", "250 2.1.5 Recipient OK"),
                         (0.162, ">", "DATA"), (0.2, "<", "354 Start mail input; end with <CRLF>.<CRLF>"),
                         (0.3, "<", "250 2.0.0 Ok: queued as 4Q1x2Y3z"), (0.301, ">", "QUIT"),
                         (0.34, "<", "221 2.0.0 Bye"), (0.341, "-", "", "Local")],
                        ("STARTTLS_NOT_OFFERED", "-", "-", "-"), starttls=False,
                        reply=ehlo_reply_out("legacy.fourthcoffee.example", "10.0.0.21", starttls=False)))
    sessions.append(out(7, "08DD58A1C0DE0008", "mx6.fabrikam.example", "2001:db8:10::21", "[2001:db8:40::25]:25",
                        [(0.25, *success("SP_PROT_TLS1_2_CLIENT", bulk="CALG_AES_128", bulk_bits=128, mac="CALG_SHA_256",
                                         kx_bits=256))]
                        + send_mail_after_tls("mx6.fabrikam.example", "2001:db8:10::21"),
                        ("OK", "-", "TLSv1.2", "-"), local="[2001:db8:10::21]:50007"))
    write(name, header("15.2.1544.4", "SMTP Send Protocol Log", "2025-03-01T10:00:00.000Z"), sessions)
    tsv += expected_rows(name, sessions, "exchange-send")

    # --- send: TLS 1.0 server, then dropped by Exchange Online, then plaintext retry refused ---
    name = "SEND2025030112-1.LOG"
    t = D(2025, 3, 1, 12, 0, 0)
    exo = "contoso-com.mail.protection.outlook.com"
    exo_banner = ("220 AM4PEPF00027A5F.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at "
                  "Sat, 01 Mar 2025 12:05:00 +0000")
    exo_reply = ("250  AM4PEPF00027A5F.mail.protection.outlook.com Hello [203.0.113.5] SIZE 157286400 PIPELINING DSN "
                 "ENHANCEDSTATUSCODES STARTTLS 8BITMIME BINARYMIME CHUNKING SMTPUTF8")
    sessions = [
        send("Outbound to Internet", "08DD58A1D0000001", t, "10.0.0.31:50100", "203.0.113.40:25",
             "220 mail.northwind.example Microsoft ESMTP MAIL Service ready at Sat, 01 Mar 2025 12:00:00 +0000",
             ehlo_reply_out("mail.northwind.example", "203.0.113.5"),
             [(0.25, *success("SP_PROT_TLS1_0_CLIENT", bulk="CALG_AES_256", mac="CALG_SHA1", kx="CALG_ECDHE", kx_bits=256))]
             + send_mail_after_tls("mail.northwind.example", "203.0.113.5", rcpt="it@northwind.example"),
             ("DEPRECATED_PROTOCOL", "-", "TLSv1", "-"), ehlo="ex02.contoso.example"),
        send("Outbound to Office 365", "08DD58A1D0000002", t + datetime.timedelta(minutes=5), "10.0.0.31:50101",
             "52.101.68.5:25", exo_banner, exo_reply,
             [(0.2, *failed("SocketError")), (0.201, "-", "", "Local")],
             ("CONNECTION_DROPPED", "PROTOCOL_VERSION_REJECTED", "-", "SocketError"), ehlo="ex02.contoso.example"),
        send("Outbound to Office 365", "08DD58A1D0000003", t + datetime.timedelta(minutes=5, seconds=30),
             "10.0.0.31:50102", "52.101.68.5:25", exo_banner, exo_reply,
             [(0.121, ">", "MAIL FROM:<j.smith@contoso.example> SIZE=20480"),
              (0.16, "<", "451 5.7.3 Must issue a STARTTLS command first"),
              (0.161, ">", "QUIT"), (0.2, "<", "221 2.0.0 Service closing transmission channel"),
              (0.201, "-", "", "Local")],
             ("STARTTLS_REQUIRED", "-", "-", "451 5.7.3 Must issue a STARTTLS command first"),
             starttls=False, ehlo="ex02.contoso.example"),
    ]
    write(name, header("15.2.1544.4", "SMTP Send Protocol Log", "2025-03-01T12:00:00.000Z"), sessions)
    tsv += expected_rows(name, sessions, "exchange-send")

    # --- send: localised connector name (UTF-8), CRLF ---
    name = "SEND2025030209-1.LOG"
    t = D(2025, 3, 2, 9, 15, 0)
    sessions = [
        send("组织内 SMTP 发送连接器", "08DD59A2E1000001", t, "10.0.0.21:50200", "10.0.0.22:25",
             "220 ex03.contoso.example Microsoft ESMTP MAIL Service ready at Sun, 02 Mar 2025 09:15:00 +0000",
             ehlo_reply_out("ex03.contoso.example", "10.0.0.21"),
             [(0.25, *success("SP_PROT_TLS1_2_CLIENT", bulk="CALG_AES_256", mac="CALG_SHA_384"))]
             + send_mail_after_tls("ex03.contoso.example", "10.0.0.21", rcpt="j.doe@contoso.example"),
             ("OK", "-", "TLSv1.2", "-"), client_cert=False, ehlo="ex01.contoso.example"),
    ]
    write(name, header("15.2.1544.4", "SMTP Send Protocol Log", "2025-03-02T09:00:00.000Z"), sessions, crlf=True)
    tsv += expected_rows(name, sessions, "exchange-send")

    # --- Exchange SE (15.2.2562): every SChannel name Exchange writes after "TLS negotiation failed with error",
    # inbound and outbound, each a session of its own ---
    names = [
        ("SocketError", "CONNECTION_DROPPED"), ("IncompleteMessage", "CONNECTION_DROPPED"),
        ("ContextExpired", "CONNECTION_DROPPED"), ("TimedOut", "HANDSHAKE_TIMEOUT"),
        ("UnsupportedFunction", "PROTOCOL_VERSION_REJECTED"), ("DowngradeDetected", "PROTOCOL_VERSION_REJECTED"),
        ("AlgorithmMismatch", "NO_SHARED_CIPHER"), ("UntrustedRoot", "CERTIFICATE_UNTRUSTED"),
        ("CertUnknown", "CERTIFICATE_UNTRUSTED"), ("IncompleteCredentials", "CERTIFICATE_UNTRUSTED"),
        ("CertExpired", "CERTIFICATE_EXPIRED"), ("WrongPrincipal", "CERTIFICATE_NAME_MISMATCH"),
        ("TargetUnknown", "CERTIFICATE_NAME_MISMATCH"), ("UnknownCredentials", "LOCAL_CERTIFICATE_UNUSABLE"),
        ("NoCredentials", "LOCAL_CERTIFICATE_UNUSABLE"), ("InvalidToken", "WRONG_PORT_OR_PROTOCOL"),
        ("IllegalMessage", "OTHER_TLS_ERROR"), ("InternalError", "OTHER_TLS_ERROR"),
        ("MessageAltered", "OTHER_TLS_ERROR"), ("DecryptFailure", "OTHER_TLS_ERROR"),
    ]
    name = "RECV2025030310-1.LOG"
    t = D(2025, 3, 3, 10, 0, 0)
    sessions = []
    for i, (err, outcome) in enumerate(names):
        ip = f"198.51.100.{20 + i}"
        sessions.append(recv(f"08DD5A00A0000{i:03X}", t + datetime.timedelta(milliseconds=300 * i), ip, f"{ip}:4{1000 + i}",
                             f"mx{i}.partner.example", [(0.12, *failed(err)), (0.121, "-", "", "Local")],
                             (outcome, "-", "-", err), connector="EXSE01\\Default Frontend EXSE01"))
    write(name, header("15.2.2562.17", "SMTP Receive Protocol Log", "2025-03-03T10:00:00.000Z"), sessions)
    tsv += expected_rows(name, sessions, "exchange-receive")

    name = "SEND2025030310-1.LOG"
    sessions = []
    for i, (err, outcome) in enumerate(names):
        ip = f"203.0.113.{20 + i}"
        host = f"mx{i}.partner.example"
        sessions.append(send("Outbound to Partners", f"08DD5A00B0000{i:03X}", t + datetime.timedelta(milliseconds=300 * i),
                             f"10.0.0.41:5{1000 + i}", f"{ip}:25", f"220 {host} ESMTP",
                             ehlo_reply_out(host, "10.0.0.41"),
                             [(0.2, "*", "", "Received certificate"),
                              (0.2001, "*", f"CN={host}, O=Partner", "Certificate subject"),
                              (0.2002, "*", "CN=Partner Issuing CA, O=Partner", "Certificate issuer name"),
                              (0.2003, "*", f"0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C{i:02X}", "Certificate thumbprint"),
                              (0.21, *failed(err)), (0.211, "-", "", "Local")],
                             (outcome, "-", "-", err), ehlo="exse01.contoso.example"))
    write(name, header("15.2.2562.17", "SMTP Send Protocol Log", "2025-03-03T10:00:00.000Z"), sessions)
    tsv += expected_rows(name, sessions, "exchange-send")

    with open(os.path.join(OUT, "expected.tsv"), "w", encoding="utf-8", newline="\n") as f:
        # order by file, then start time (rows within each file are already by time)
        blocks = {}
        pending_group = None
        for row in tsv:
            if row.startswith("#group"):
                pending_group = row
                continue
            fname = row.split("\t")[0]
            blocks.setdefault(fname, [])
            if pending_group:
                blocks[fname].append(pending_group)
                pending_group = None
            blocks[fname].append(row)
        for fname in sorted(blocks):
            for row in blocks[fname]:
                f.write(row + "\n")


if __name__ == "__main__":
    main()
