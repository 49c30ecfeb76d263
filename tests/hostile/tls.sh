#!/bin/bash
# Hostile TLS peers: servers that stall, hang up, reset, speak another
# protocol, send alerts or malformed records, stop in the middle of a real
# handshake, or pick a protocol version or cipher the client forbids. Each
# must get a bounded CRITICAL (or the -t state), in the plugin's format.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=common.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/hostile/common.sh"
h_require python3 certtool openssl

mk_cert srv --cn tls.test.example
mk_cert rsasrv --key rsa --cn tls.test.example

# 32 bytes of a ServerHello's random, and the bytes of files some peers send.
R=$(printf 'R%.0s' {1..32})
printf 'HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: 20\r\n\r\n<html>|x=1;2</html>\n' \
	>"$T/http.bin"
# Random bytes, the same every run, with '|', newlines, NUL and escapes in them.
python3 -c 'import random, sys; random.seed(5); sys.stdout.buffer.write(bytes(random.randrange(256) for _ in range(3000)) + b"|\n\x00\x1b[2J")' \
	>"$T/random.bin"
# A handshake message announcing 16 MiB, then N MiB of it in full records:
# 4 MiB and silence (the deadline), 17 MiB (more than the message: GnuTLS
# gives up). Memory must stay bounded either way.
for mb in 4 17; do
	python3 -c 'import sys; sys.stdout.buffer.write(b"\x16\x03\x03\x40\x00\x02\xff\xff\xff" + b"\x00" * 16380 + (b"\x16\x03\x03\x40\x00" + b"\x00" * 16384) * (64 * int(sys.argv[1]) - 1))' \
		"$mb" >"$T/bighello$mb.bin"
done
# A TLS 1.2 ServerHello (ECDHE-RSA-AES128-GCM-SHA256), then 2000 warning
# alerts (unrecognized_name): non-fatal, and no wait between them.
python3 -c 'import sys; sh = b"\x02\x00\x00\x26\x03\x03" + b"R" * 32 + b"\x00\xc0\x2f\x00"; sys.stdout.buffer.write(b"\x16\x03\x03\x00\x2a" + sh + b"\x15\x03\x03\x00\x02\x01\x70" * 2000)' \
	>"$T/warnings.bin"

# --- peers that never finish speaking
start_server silent
SILENT=$SERVER_PORT
h_peer HALFHDR 'send b"\x16\x03"' hold
h_peer HALFREC 'recvrecord' 'send b"\x16\x03\x03\x00\x40\x02\x00\x00\x3c\x03\x03"' hold
# A real server behind a relay that lets through only the start of its first
# flight: TLS 1.3 (ServerHello only), TLS 1.2 (ServerHello; ServerHello and
# Certificate).
start_server openssl -cert "$T/srv.pem" -key "$T/srv.key"
h_peer SH13 "relay $SERVER_PORT 1"
start_server openssl -cert "$T/srv.pem" -key "$T/srv.key" -tls1_2
BACKEND12=$SERVER_PORT
h_peer SH12 "relay $BACKEND12 1"
h_peer SHCERT12 "relay $BACKEND12 2"
# The control case: the relay passing everything gives a good handshake.
h_peer ALL12 "relay $BACKEND12 100"

# --- peers that hang up
h_peer CLOSE close
h_peer CLOSEHELLO recvrecord close
h_peer RESET reset
h_peer RESETHELLO recvrecord reset

# --- peers that say the wrong thing
h_peer HTTP recvrecord "sendfile $T/http.bin" close
h_peer GARBAGE "sendfile $T/random.bin" hold
h_peer SSH 'send b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"' hold
h_peer ALERT recvrecord 'send b"\x15\x03\x03\x00\x02\x02\x28"' hold
h_peer WARNINGS recvrecord "sendfile $T/warnings.bin" hold
h_peer ALERTODD recvrecord 'send b"\x15\x03\x03\x00\x02\x07\xfe"' hold
h_peer OVERSIZE recvrecord 'send b"\x16\x03\x03\xff\xff"' 'flood 65535' hold
h_peer BIGHELLO recvrecord "sendfile $T/bighello4.bin" hold
h_peer HUGEHELLO recvrecord "sendfile $T/bighello17.bin" hold
h_peer NOCIPHER recvrecord \
	"send b\"\\x16\\x03\\x03\\x00\\x2a\\x02\\x00\\x00\\x26\\x03\\x03$R\\x00\\x00\\x04\\x00\"" hold
h_peer SSL3 recvrecord \
	"send b\"\\x16\\x03\\x00\\x00\\x2a\\x02\\x00\\x00\\x26\\x03\\x00$R\\x00\\x00\\x2f\\x00\"" hold

# --- real servers the priority string forbids
start_server openssl -cert "$T/srv.pem" -key "$T/srv.key" -tls1_2
ONLY12=$SERVER_PORT
start_server openssl -cert "$T/rsasrv.pem" -key "$T/rsasrv.key" -tls1 -cipher 'DEFAULT:@SECLEVEL=0'
TLS10=$SERVER_PORT
start_server openssl -cert "$T/rsasrv.pem" -key "$T/rsasrv.key" -tls1_2 -cipher AES128-SHA
WEAK=$SERVER_PORT

N="-H tls.test.example -I 127.0.0.1 --no-verify -t 1"
P="tls\.test\.example:[0-9]+ \(127\.0\.0\.1\)"
TO="timeout after 1s during the TLS handshake"
F="TLS handshake with 127\.0\.0\.1 port [0-9]+ failed"
# shellcheck disable=SC2086 # $N is a list of words
{
h_case "accepts and never speaks: CRITICAL at the deadline" 2 \
	"^TLS_PIN CRITICAL - $P: $TO with 127\.0\.0\.1 port $SILENT \|" $N -p "$SILENT"
h_case "accepts and never speaks, -t 1:unknown: the -t state" 3 \
	"^TLS_PIN UNKNOWN - $P: $TO " $N -p "$SILENT" -t 1:unknown
h_case "half a record header, then silence" 2 "^TLS_PIN CRITICAL - $P: $TO " $N -p "$HALFHDR"
h_case "a record header and a few of its 64 bytes, then silence" 2 \
	"^TLS_PIN CRITICAL - $P: $TO " $N -p "$HALFREC"
h_case "TLS 1.3: a real ServerHello, then silence" 2 "^TLS_PIN CRITICAL - $P: $TO " $N -p "$SH13"
h_case "TLS 1.2: a real ServerHello, then silence" 2 "^TLS_PIN CRITICAL - $P: $TO " $N -p "$SH12"
h_case "TLS 1.2: ServerHello and Certificate, then silence" 2 \
	"^TLS_PIN CRITICAL - $P: $TO " $N -p "$SHCERT12"
h_case "the relay itself, passing the whole handshake: OK" 0 \
	"^TLS_PIN OK - $P expires in " $N -p "$ALL12"

h_case "closes right after accept: CRITICAL" 2 "^TLS_PIN CRITICAL - $P: $F: [^|]+ \| time=" \
	$N -p "$CLOSE"
h_case "closes after the ClientHello: CRITICAL" 2 "^TLS_PIN CRITICAL - $P: $F: [^|]+ \| time=" \
	$N -p "$CLOSEHELLO"
# The RST can arrive before connect() is seen to complete: either message.
h_case "resets right after accept: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $P: ($F: [^|]+|cannot connect: [^|]+: Connection reset by peer) \| time=" \
	$N -p "$RESET"
h_case "resets after the ClientHello: CRITICAL" 2 "^TLS_PIN CRITICAL - $P: $F: [^|]+ \| time=" \
	$N -p "$RESETHELLO"

# The peer's bytes are never quoted: only GnuTLS's words follow "failed: ".
h_case "an HTTP response: CRITICAL, none of it quoted" 2 \
	"^TLS_PIN CRITICAL - $P: $F: [A-Za-z .]+ \| time=" $N -p "$HTTP"
h_case "random bytes: CRITICAL or the deadline, none of them quoted" 2 \
	"^TLS_PIN CRITICAL - $P: ($F: [A-Za-z .]+|$TO [^|]*) \| time=" $N -p "$GARBAGE"
h_case "an SSH banner: CRITICAL, none of it quoted" 2 \
	"^TLS_PIN CRITICAL - $P: $F: [A-Za-z .]+ \| time=" $N -p "$SSH"
h_case "a fatal handshake_failure alert: CRITICAL naming it" 2 \
	"^TLS_PIN CRITICAL - $P: $F: the server sent the alert 'Handshake failed' \| time=" \
	$N -p "$ALERT"
h_case "endless warning alerts after a ServerHello: CRITICAL naming them, long before -t" 2 \
	"^TLS_PIN CRITICAL - $P: $F: the server sent 8 warning alerts without finishing it \(the last: 'The server name sent was not recognized'\) \| time=" \
	$N -p "$WARNINGS" -t 5
t_ok "endless warning alerts: over in $ELAPSED_MS ms, under 2 s of the 5 s allowed" \
	test "$ELAPSED_MS" -lt 2000
h_case "an alert of unknown level and description: CRITICAL or the deadline" 2 \
	"^TLS_PIN CRITICAL - $P: ($F: [^|]+|$TO [^|]*) \| time=" $N -p "$ALERTODD"
h_case "a record longer than TLS allows: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $P: $F: [^|]+ \| time=" $N -p "$OVERSIZE"
h_case "a handshake message announcing 16 MiB, 4 MiB sent: CRITICAL, memory bounded" 2 \
	"^TLS_PIN CRITICAL - $P: ($F: [^|]+|$TO [^|]*) \| time=" $N -p "$BIGHELLO"
h_case "a handshake message announcing 16 MiB, 17 MiB sent: CRITICAL, memory bounded" 2 \
	"^TLS_PIN CRITICAL - $P: ($F: [^|]+|$TO [^|]*) \| time=" $N -p "$HUGEHELLO"
h_case "a ServerHello picking a cipher not offered (RC4-MD5): CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $P: $F: [^|]+ \| time=" $N -p "$NOCIPHER"
h_case "a ServerHello picking SSL 3.0: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $P: $F: [^|]+ \| time=" $N -p "$SSL3"

h_case "TLS 1.2 only, the priority forbids it: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $P: $F: [^|]+ \| time=" $N -p "$ONLY12" --priority NORMAL:-VERS-TLS1.2
h_case "TLS 1.2 only, the priority allows it: OK (the control case)" 0 \
	"^TLS_PIN OK - $P expires in " $N -p "$ONLY12" --priority NORMAL:-VERS-TLS1.3
h_case "TLS 1.0 only, the priority forbids it: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $P: $F: [^|]+ \| time=" $N -p "$TLS10" --priority NORMAL:-VERS-TLS1.0
h_case "TLS 1.0 only, a priority allowing it: OK (the control case)" 0 \
	"^TLS_PIN OK - $P expires in " $N -p "$TLS10" --priority NORMAL:+VERS-TLS1.0:+SHA1
h_case "a CBC-SHA1 cipher only, the priority forbids it: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $P: $F: [^|]+ \| time=" $N -p "$WEAK" --priority NORMAL:-SHA1
h_case "a CBC-SHA1 cipher only, a priority allowing it: OK (the control case)" 0 \
	"^TLS_PIN OK - $P expires in " $N -p "$WEAK" --priority NORMAL:+SHA1:+RSA
}

done_testing
