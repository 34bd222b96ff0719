package io.tlsmon.classify;

import io.tlsmon.avro.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FailureEvidenceTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "SocketError | CONNECTION_DROPPED",
            "Remote(SocketError) | CONNECTION_DROPPED",
            "Remote(TimedOut) | HANDSHAKE_TIMEOUT",
            "Remote(AlgorithmMismatch) | NO_SHARED_CIPHER",
            "Local(CertExpired) | CERTIFICATE_EXPIRED",
            "Remote(AlgorithmMismatch | OTHER_TLS_ERROR",
            "Timeout | HANDSHAKE_TIMEOUT",
            "CertUnknown | CERTIFICATE_UNTRUSTED",
            "IncompleteCredentials | CERTIFICATE_UNTRUSTED",
            "UnsupportedProtocol | PROTOCOL_VERSION_REJECTED",
            "ProtocolVersion | PROTOCOL_VERSION_REJECTED",
            "AlgorithmMismatch | NO_SHARED_CIPHER",
            "UntrustedRoot | CERTIFICATE_UNTRUSTED",
            "CertExpired | CERTIFICATE_EXPIRED",
            "WrongPrincipal | CERTIFICATE_NAME_MISMATCH",
            "UnknownCredentials | LOCAL_CERTIFICATE_UNUSABLE",
            "NoCredentials | LOCAL_CERTIFICATE_UNUSABLE",
            "IllegalMessage | OTHER_TLS_ERROR",
            "error:0A000102:SSL routines::unsupported protocol:../ssl/statem/statem_srvr.c:1657: | PROTOCOL_VERSION_REJECTED",
            "error:1417A0C1:SSL routines:tls_post_process_client_hello:no shared cipher:../ssl/statem/statem_srvr.c:2283: | NO_SHARED_CIPHER",
            "error:14094418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:s3_pkt.c:1262:SSL alert number 48 | CERTIFICATE_UNTRUSTED",
            "error:1425F102:SSL routines:ssl_choose_client_version:unsupported protocol | PROTOCOL_VERSION_REJECTED",
            "error:14094410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:SSL alert number 40 | NO_SHARED_CIPHER",
            "error:0A00010B:SSL routines::wrong version number | WRONG_PORT_OR_PROTOCOL",
            "error:0A00009C:SSL routines::http request | WRONG_PORT_OR_PROTOCOL",
            "Cannot start TLS: handshake failure | CONNECTION_DROPPED",
            "lost connection | CONNECTION_DROPPED",
            "Connection timed out | HANDSHAKE_TIMEOUT",
            "-1 | CONNECTION_DROPPED",
            "0 | CONNECTION_DROPPED",
            "certificate has expired | CERTIFICATE_EXPIRED",
            "Server certificate not trusted | CERTIFICATE_UNTRUSTED",
            "Server certificate not verified | CERTIFICATE_NAME_MISMATCH",
            "cannot get RSA certificate from file /etc/ssl/x.pem: disabling TLS support | LOCAL_CERTIFICATE_UNUSABLE",
            "TLSA lookup error for mx.example.com:25 | POLICY_FAILURE",
            "something nobody has seen | OTHER_TLS_ERROR",
            "Remote(UnsupportedFunction) | PROTOCOL_VERSION_REJECTED",
            "TargetUnknown | CERTIFICATE_NAME_MISMATCH",
            "InvalidToken | WRONG_PORT_OR_PROTOCOL",
            "InternalError | OTHER_TLS_ERROR",
            "IncompleteMessage | CONNECTION_DROPPED",
            "error:0A000086:SSL routines::certificate verify failed | CERTIFICATE_UNTRUSTED",
            "error:0A00041A:SSL routines::tlsv1 alert decode error | OTHER_TLS_ERROR",
            "error:0A000126:SSL routines::unexpected eof while reading | CONNECTION_DROPPED",
            "error:0A000412:SSL routines::sslv3 alert bad certificate:SSL alert number 42 | CERTIFICATE_UNTRUSTED",
            "error:0A000418:SSL routines::tlsv1 alert unknown ca:SSL alert number 48 | CERTIFICATE_UNTRUSTED",
            "error:0A00045C:SSL routines::tlsv13 alert certificate required:SSL alert number 116 | CERTIFICATE_UNTRUSTED",
            "error:0A000458:SSL routines::tlsv1 unrecognized name:SSL alert number 112 | CERTIFICATE_NAME_MISMATCH",
            "error:0A000173:SSL routines::inappropriate fallback | PROTOCOL_VERSION_REJECTED",
            "error:0A00018A:SSL routines::dh key too small | NO_SHARED_CIPHER",
            "error:0A00018F:SSL routines::ee key too small | LOCAL_CERTIFICATE_UNUSABLE",
            "error:05800074:x509 certificate routines::key values mismatch | LOCAL_CERTIFICATE_UNUSABLE",
            "error:0480006C:PEM routines::no start line | LOCAL_CERTIFICATE_UNUSABLE",
            "certificate verification failed for mx.example.com[192.0.2.1]:25: certificate not yet valid | CERTIFICATE_EXPIRED",
            "certificate verification failed for mx.example.com[192.0.2.1]:25: self-signed certificate | CERTIFICATE_UNTRUSTED",
            "TLS is required, but host mx.example.com[192.0.2.1] refused to start TLS: 454 4.7.0 TLS not available due to local problem | LOCAL_CERTIFICATE_UNUSABLE",
            "No server certs available. TLS won't be enabled | LOCAL_CERTIFICATE_UNUSABLE",
            "TLS handshake failed for service=smtp peer=[192.0.2.1]:25 | CONNECTION_DROPPED",
            "TLS policy lookup error for example.com/mx.example.com: dict_socketmap_lookup: timeout | POLICY_FAILURE"})
    void mapsRawTextToItsOutcome(String error, Outcome expected) {
        assertThat(FailureEvidence.of(error).outcome()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "no shared cipher | lost connection",
            "IllegalMessage | Remote(TimedOut)",
            "Connection timed out | lost connection after STARTTLS",
            "unsupported protocol | SocketError",
            "SSL_accept error from x[192.0.2.1]: error:0A000102:SSL routines::unsupported protocol | SSL_accept error from x[192.0.2.1]: lost connection"})
    void aNamedCauseOutranksAVagueOne(String specific, String vague) {
        assertThat(FailureEvidence.of(specific).rank()).isGreaterThan(FailureEvidence.of(vague).rank());
    }
}
