#!/usr/bin/env python3
"""Writes the logs that `tlsmon demo` ships (streams/src/main/resources/demo/).

Composed by the tlsmon project from the documented formats (shared/reference/log-formats.md); no
line comes from a real server. The story, over about two hours of log time:
  - Exchange server EX01 still negotiates TLS 1.0 with a partner (deprecated-protocol warning),
    then its connector to Exchange Online drops during the handshake (SocketError): probable
    PROTOCOL_VERSION_REJECTED, the failure of Microsoft's TLS 1.0/1.1 notice; it falls back to
    plaintext and Exchange Online answers 451 5.7.3 (STARTTLS_REQUIRED).
  - EX01 receives from a sender on TLS 1.2, one on TLS 1.1, and one that fails on AlgorithmMismatch.
  - Postfix relay mx2 receives from a client that rejects its certificate (unknown ca) after having
    succeeded before; it recovers later (RESOLVED). Its outbound deliveries to a partner fail on an
    expired certificate.
Run: python3 streams/src/demo-tools/compose_demo_logs.py
"""
from datetime import datetime, timedelta, timezone
import os

OUT = os.path.join(os.path.dirname(__file__), "..", "main", "resources", "demo")
T0 = datetime(2025, 3, 3, 8, 0, 0, tzinfo=timezone.utc)
COMMENT = "# composed by the tlsmon project from the documented format (shared/reference/log-formats.md); not a real server's log"
FIELDS = "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context"
TLS_OK = ('"TLS protocol SP_PROT_{p} negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, '
          'MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDHE with strength 384 bits"')


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


class Exchange:
    def __init__(self, kind):
        self.kind = kind
        self.rows = []
        self.session = 0x08DD5A0000000000

    def add(self, t, sid, seq, conn, local, remote, event, data="", context=""):
        def q(v):
            return '"' + v.replace('"', '""') + '"' if ("," in v and not v.startswith('"')) else v
        self.rows.append((t, sid, seq, f"{iso(t)},{conn},{sid},{seq},{local},{remote},{event},{q(data)},{context}"))

    def new_id(self):
        self.session += 0x1F3
        return "%016X" % self.session

    def write(self, name):
        header = ["#Software: Microsoft Exchange Server", "#Version: 15.2.1544.4",
                  "#Log-type: SMTP %s Protocol Log" % ("Send" if self.kind == "send" else "Receive"),
                  "#Date: " + iso(T0), FIELDS]
        rows = sorted(self.rows, key=lambda r: (r[0], r[1], r[2]))
        with open(os.path.join(OUT, name), "w", newline="\r\n") as f:
            f.write(COMMENT + "\n")
            for h in header:
                f.write(h + "\n")
            for r in rows:
                f.write(r[3] + "\n")


def send_session(ex, t, conn, local_port, remote, banner_host, caps_tls, outcome):
    sid = ex.new_id()
    s = 0
    ms = lambda n: t + timedelta(milliseconds=n)
    ex.add(ms(0), sid, s, conn, "", remote, "*", "", "attempting to connect"); s += 1
    ex.add(ms(15), sid, s, conn, "10.0.0.5:%d" % local_port, remote, "+"); s += 1
    ex.add(ms(40), sid, s, conn, "10.0.0.5:%d" % local_port, remote, "<", "220 %s Microsoft ESMTP MAIL Service ready at Mon, 3 Mar 2025 08:00:00 +0000" % banner_host); s += 1
    ex.add(ms(41), sid, s, conn, "10.0.0.5:%d" % local_port, remote, ">", "EHLO ex01.contoso.example"); s += 1
    caps = "250-%s Hello [198.51.100.5] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES %s8BITMIME BINARYMIME CHUNKING" % (
        banner_host, "STARTTLS " if caps_tls else "")
    ex.add(ms(60), sid, s, conn, "10.0.0.5:%d" % local_port, remote, "<", caps); s += 1
    if outcome == "plaintext-451":
        ex.add(ms(61), sid, s, conn, "10.0.0.5:%d" % local_port, remote, ">", "MAIL FROM:<billing@contoso.example> SIZE=20480"); s += 1
        ex.add(ms(80), sid, s, conn, "10.0.0.5:%d" % local_port, remote, "<", "451 5.7.3 Must issue a STARTTLS command first"); s += 1
        ex.add(ms(81), sid, s, conn, "10.0.0.5:%d" % local_port, remote, "-", "", "Local")
        return
    ex.add(ms(61), sid, s, conn, "10.0.0.5:%d" % local_port, remote, ">", "STARTTLS"); s += 1
    ex.add(ms(80), sid, s, conn, "10.0.0.5:%d" % local_port, remote, "<", "220 2.0.0 SMTP server ready"); s += 1
    ex.add(ms(81), sid, s, conn, "10.0.0.5:%d" % local_port, remote, "*", "", "Sending certificate"); s += 1
    ex.add(ms(82), sid, s, conn, "10.0.0.5:%d" % local_port, remote, "*", "CN=ex01.contoso.example", "Certificate subject"); s += 1
    if outcome.startswith("SP_PROT"):
        ex.add(ms(120), sid, s, conn, "10.0.0.5:%d" % local_port, remote, "*", "", TLS_OK.format(p=outcome[8:])); s += 1
        ex.add(ms(121), sid, s, conn, "10.0.0.5:%d" % local_port, remote, ">", "EHLO ex01.contoso.example"); s += 1
        ex.add(ms(140), sid, s, conn, "10.0.0.5:%d" % local_port, remote, ">", "MAIL FROM:<billing@contoso.example> SIZE=20480"); s += 1
        ex.add(ms(300), sid, s, conn, "10.0.0.5:%d" % local_port, remote, "-", "", "Local")
    else:
        ex.add(ms(200), sid, s, conn, "10.0.0.5:%d" % local_port, remote, "*", "", "TLS negotiation failed with error " + outcome); s += 1
        ex.add(ms(201), sid, s, conn, "10.0.0.5:%d" % local_port, remote, "-", "", "Remote(SocketError)")


def receive_session(ex, t, remote_ip, ehlo, outcome):
    sid = ex.new_id()
    conn = "EX01\\Default Frontend EX01"
    remote = "%s:%d" % (remote_ip, 40000 + (int(ex.session) % 20000))
    s = 0
    ms = lambda n: t + timedelta(milliseconds=n)
    ex.add(ms(0), sid, s, conn, "10.0.0.5:25", remote, "+"); s += 1
    ex.add(ms(1), sid, s, conn, "10.0.0.5:25", remote, ">", "220 ex01.contoso.example Microsoft ESMTP MAIL Service ready at Mon, 3 Mar 2025 08:00:00 +0000"); s += 1
    ex.add(ms(30), sid, s, conn, "10.0.0.5:25", remote, "<", "EHLO " + ehlo); s += 1
    ex.add(ms(31), sid, s, conn, "10.0.0.5:25", remote, ">", "250  ex01.contoso.example Hello [%s] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS 8BITMIME BINARYMIME CHUNKING" % remote_ip); s += 1
    ex.add(ms(60), sid, s, conn, "10.0.0.5:25", remote, "<", "STARTTLS"); s += 1
    ex.add(ms(61), sid, s, conn, "10.0.0.5:25", remote, ">", "220 2.0.0 SMTP server ready"); s += 1
    if outcome.startswith("SP_PROT"):
        ex.add(ms(100), sid, s, conn, "10.0.0.5:25", remote, "*", "", TLS_OK.format(p=outcome[8:])); s += 1
        ex.add(ms(130), sid, s, conn, "10.0.0.5:25", remote, "<", "EHLO " + ehlo); s += 1
        ex.add(ms(160), sid, s, conn, "10.0.0.5:25", remote, "<", "MAIL FROM:<orders@%s>" % ehlo.split(".", 1)[1]); s += 1
        ex.add(ms(400), sid, s, conn, "10.0.0.5:25", remote, "-", "", "Local")
    else:
        ex.add(ms(100), sid, s, conn, "10.0.0.5:25", remote, "*", "", "TLS negotiation failed with error " + outcome); s += 1
        ex.add(ms(101), sid, s, conn, "10.0.0.5:25", remote, "-", "", "Local")


def postfix():
    lines = []
    pid = [4100]

    def log(t, prog, p, msg):
        # rsyslog's RSYSLOG_FileFormat (RFC 3339): unambiguous year and zone
        lines.append((t, "%s mx2 %s[%d]: %s" % (t.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00"), prog, p, msg)))

    def inbound(t, host, ip, ok):
        pid[0] += 7
        p = pid[0]
        log(t, "postfix/smtpd", p, "connect from %s[%s]" % (host, ip))
        if ok:
            log(t + timedelta(milliseconds=200), "postfix/smtpd", p, "Anonymous TLS connection established from %s[%s]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)" % (host, ip))
            log(t + timedelta(milliseconds=400), "postfix/smtpd", p, "3F1A2B%04X: client=%s[%s]" % (p, host, ip))
            log(t + timedelta(seconds=1), "postfix/smtpd", p, "disconnect from %s[%s] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7" % (host, ip))
        else:
            log(t + timedelta(milliseconds=200), "postfix/smtpd", p, "SSL_accept error from %s[%s]: -1" % (host, ip))
            log(t + timedelta(milliseconds=200), "postfix/smtpd", p, "warning: TLS library problem: error:0A000418:SSL routines::tlsv1 alert unknown ca:../ssl/record/rec_layer_s3.c:1605:SSL alert number 48:")
            log(t + timedelta(milliseconds=201), "postfix/smtpd", p, "lost connection after STARTTLS from %s[%s]" % (host, ip))
            log(t + timedelta(milliseconds=202), "postfix/smtpd", p, "disconnect from %s[%s] ehlo=1 starttls=0/1 commands=1/2" % (host, ip))

    def outbound(t, qid):
        pid[0] += 5
        p = pid[0]
        log(t, "postfix/qmgr", 812, "%s: from=<alerts@mx2.contoso.example>, size=2310, nrcpt=1 (queue active)" % qid)
        log(t + timedelta(milliseconds=300), "postfix/smtp", p, "certificate verification failed for mx.partner.example[203.0.113.40]:25: certificate has expired")
        log(t + timedelta(milliseconds=301), "postfix/smtp", p, "Untrusted TLS connection established to mx.partner.example[203.0.113.40]:25: TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits)")
        log(t + timedelta(milliseconds=350), "postfix/smtp", p, "%s: to=<ap@partner.example>, relay=mx.partner.example[203.0.113.40]:25, delay=0.4, delays=0.05/0/0.3/0, dsn=4.7.5, status=deferred (Server certificate not verified)" % qid)

    for i in range(3):
        inbound(T0 + timedelta(minutes=i * 2), "relay.fabrikam.example", "198.51.100.20", True)
    for i in range(4):
        inbound(T0 + timedelta(minutes=12, seconds=i * 30), "relay.fabrikam.example", "198.51.100.20", False)
    for i in range(4):
        outbound(T0 + timedelta(minutes=15, seconds=i * 40), "8C2F1%05X" % i)
    inbound(T0 + timedelta(minutes=30), "relay.fabrikam.example", "198.51.100.20", True)
    for i in range(5):
        log(T0 + timedelta(minutes=40 + i), "postfix/anvil", 900, "statistics: max connection rate 1/60s for (smtp:198.51.100.20) at %s" % (T0 + timedelta(minutes=40 + i)).strftime("%b %d %H:%M:%S"))
    # later traffic keeps stream time moving, so quiet alerts resolve and the last sessions close
    for i in range(4):
        inbound(T0 + timedelta(minutes=70 + i * 20), "relay.fabrikam.example", "198.51.100.20", True)
    lines.sort(key=lambda x: x[0])
    with open(os.path.join(OUT, "mx2-mail.log"), "w") as f:
        f.write(COMMENT + "\n")
        for _, l in lines:
            f.write(l + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    send = Exchange("send")
    for i in range(3):
        send_session(send, T0 + timedelta(minutes=1 + i * 3), "Partner Connector", 51000 + i, "203.0.113.80:25", "mail.northwind.example", True, "SP_PROT_TLS1_0_CLIENT")
    for i in range(4):
        send_session(send, T0 + timedelta(minutes=10, seconds=i * 45), "Outbound to Office 365", 52000 + i, "52.101.68.12:25",
                     "contoso-example.mail.protection.outlook.com", True, "SocketError")
        send_session(send, T0 + timedelta(minutes=10, seconds=i * 45 + 20), "Outbound to Office 365", 53000 + i, "52.101.68.12:25",
                     "contoso-example.mail.protection.outlook.com", True, "plaintext-451")
    for i in range(6):
        send_session(send, T0 + timedelta(minutes=60 + i * 15), "Partner Connector", 54000 + i, "203.0.113.80:25", "mail.northwind.example", True, "SP_PROT_TLS1_0_CLIENT")
    send.write("SEND2025030308-1.LOG")

    recv = Exchange("receive")
    for i in range(4):
        receive_session(recv, T0 + timedelta(minutes=i * 4), "192.0.2.30", "mail.adatum.example", "SP_PROT_TLS1_2_SERVER")
        receive_session(recv, T0 + timedelta(minutes=i * 4, seconds=30), "192.0.2.31", "smtp.litware.example", "SP_PROT_TLS1_1_SERVER")
    for i in range(4):
        receive_session(recv, T0 + timedelta(minutes=20, seconds=i * 50), "192.0.2.32", "legacy.tailspin.example", "AlgorithmMismatch")
    for i in range(6):
        receive_session(recv, T0 + timedelta(minutes=60 + i * 15), "192.0.2.30", "mail.adatum.example", "SP_PROT_TLS1_2_SERVER")
    recv.write("RECV2025030308-1.LOG")
    postfix()


if __name__ == "__main__":
    main()
