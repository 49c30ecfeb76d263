#!/bin/bash
# Hostile STARTTLS peers: a stall at each step of the SMTP dialogue and in
# the other protocols, endless lines and replies, one byte a second, a
# hang-up or a reset mid-dialogue, NUL bytes, oversized binary packets, and
# hostile text in the replies the plugin quotes. Each must get a bounded
# CRITICAL (or the -t state) in the plugin's format, the peer's text escaped.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=common.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/hostile/common.sh"
h_require python3 certtool openssl

mk_cert mx --cn mx.test.example

G='send b"220 mx.test.example ESMTP\r\n"'
EHLO='send b"250-mx.test.example\r\n250 STARTTLS\r\n"'
# An EHLO reply that never ends: 1000 continuation lines, 20 KiB.
python3 -c 'import sys; sys.stdout.buffer.write(b"250-mx.test.example\r\n" + b"250-XXXXXXXXXXXXXXXX\r\n" * 1000)' \
	>"$T/ehlo-endless.bin"
# A POP3 CAPA list without its final "." line, 20 KiB.
python3 -c 'import sys; sys.stdout.buffer.write(b"+OK\r\n" + b"X-CAPABILITY-PADDING-XXXXXXX\r\n" * 700)' \
	>"$T/capa-endless.bin"

# --- SMTP: a stall at each step
h_peer SMTP_GREETING hold
h_peer SMTP_HALFLINE 'send b"220 mx.test.example"' hold
h_peer SMTP_EHLO "$G" recv hold
h_peer SMTP_STARTTLS "$G" recv "$EHLO" recv hold
h_peer SMTP_GOAHEAD "$G" recv "$EHLO" recv 'send b"220 2.0.0 Ready to start TLS\r\n"' hold
h_peer SMTP_HALFTLS "$G" recv "$EHLO" recv 'send b"220 2.0.0 Ready to start TLS\r\n"' \
	recvrecord 'send b"\x16\x03\x03\x00\x40\x02\x00"' hold
# The control case: the same dialogue, then a real handshake.
h_peer SMTP_GOOD "$G" recv "$EHLO" recv 'send b"220 2.0.0 Ready to start TLS\r\n"' \
	"tls $T/mx.pem $T/mx.key"

# --- the other protocols: a stall where the server speaks next
h_peer IMAP_CAPA 'send b"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n"' recv hold
h_peer POP3_STLS 'send b"+OK ready\r\n"' recv 'send b"+OK\r\nSTLS\r\n.\r\n"' recv hold
h_peer LDAP_REPLY hold
h_peer PG_REPLY 'recvn 8' hold
h_peer MYSQL_HALF 'send b"\x4a\x00\x00\x00\x0a8.0"' hold
h_peer XMPP_FEATURES recv \
	'send b"<?xml version=\"1.0\"?><stream:stream xmlns=\"jabber:client\" xmlns:stream=\"http://etherx.jabber.org/streams\" id=\"1\" from=\"mx.test.example\" version=\"1.0\">"' \
	hold
# A refusal and a go-ahead in one write: the refusal, sent first, is the answer.
h_peer XMPP_FAILURE_PROCEED \
	'send b"<?xml version=\"1.0\"?><stream:stream xmlns=\"jabber:client\" xmlns:stream=\"http://etherx.jabber.org/streams\" id=\"1\" from=\"mx.test.example\" version=\"1.0\"><stream:features><starttls xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"/></stream:features>"' \
	recv \
	'send b"<failure xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"/><proceed xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"/>"' \
	hold

# --- endless, slow, cut off
h_peer ENDLESS_GREETING 'send b"220 "' 'flood 100000' hold
h_peer ENDLESS_EHLO "$G" recv "sendfile $T/ehlo-endless.bin" hold
h_peer ENDLESS_CAPA 'send b"+OK ready\r\n"' recv "sendfile $T/capa-endless.bin" hold
h_peer FLOOD_LDAP 'recvn 31' 'flood 1000000' hold
h_peer DRIP_GREETING 'drip b"220 mx.test.example ESMTP\r\n"' hold
h_peer DRIP_EHLO "$G" recv 'drip b"250-mx.test.example\r\n250 STARTTLS\r\n"' hold
h_peer CLOSE_EHLO "$G" recv close
h_peer RESET_EHLO "$G" recv reset
h_peer RESET_GREETING reset

# --- what the server says, hostile
h_peer NUL_GREETING 'send b"220 mx\x00.test.example ESMTP\r\n"' hold
h_peer HOSTILE_REFUSAL "$G" recv "$EHLO" recv \
	'send b"454 4.7.0 |days=999;1;1 \"q\" x=y\x1b[31m\xff\xfe\xc3( \xe2\x80\xae\rTLS_PIN OK - fake\r\n"' hold
h_peer HOSTILE_EHLO "$G" recv \
	'send b"250-mx |x=1;2;3 \x07\x1b]0;t\x07\r\n250-\xed\xa0\x80\xc0\xaf\r\n250 TLS_PIN OK - fake | days=1\r\n"' hold
h_peer LDAP_BIG 'recvn 31' 'send b"\x30\x84\x7f\xff\xff\xff"' hold
h_peer MYSQL_BIG 'send b"\xff\xff\xff\x00\x0a"' 'flood 1000' hold

M="-H mx.test.example -I 127.0.0.1 --no-verify -t 1"
P="mx\.test\.example:[0-9]+ \(127\.0\.0\.1\)"
W="timeout after 1s while waiting for"
# shellcheck disable=SC2086 # $M is a list of words
{
h_case "SMTP, silent after accept: the deadline, naming the greeting" 2 \
	"^TLS_PIN CRITICAL - $P: $W the greeting \| time=" $M -p "$SMTP_GREETING" --starttls smtp
h_case "SMTP, half a greeting line: the deadline" 2 \
	"^TLS_PIN CRITICAL - $P: $W the greeting \| time=" $M -p "$SMTP_HALFLINE" --starttls smtp
h_case "SMTP, silent after EHLO: the deadline, naming the EHLO reply" 2 \
	"^TLS_PIN CRITICAL - $P: $W the EHLO reply \| time=" $M -p "$SMTP_EHLO" --starttls smtp
h_case "SMTP, silent after STARTTLS: the deadline, naming the STARTTLS reply" 2 \
	"^TLS_PIN CRITICAL - $P: $W the STARTTLS reply \| time=" $M -p "$SMTP_STARTTLS" --starttls smtp
h_case "SMTP, silent after the go-ahead: the deadline, in the handshake" 2 \
	"^TLS_PIN CRITICAL - $P: timeout after 1s during the TLS handshake [^|]*\| time=" \
	$M -p "$SMTP_GOAHEAD" --starttls smtp
h_case "SMTP, half a TLS record after the go-ahead: the deadline" 2 \
	"^TLS_PIN CRITICAL - $P: timeout after 1s during the TLS handshake [^|]*\| time=" \
	$M -p "$SMTP_HALFTLS" --starttls smtp
h_case "SMTP, silent after STARTTLS, -t 1:warning: the -t state" 1 \
	"^TLS_PIN WARNING - $P: $W the STARTTLS reply \| time=" \
	$M -p "$SMTP_STARTTLS" --starttls smtp -t 1:warning
h_case "SMTP, the whole dialogue and a handshake: OK (the control case)" 0 \
	"^TLS_PIN OK - $P expires in " $M -p "$SMTP_GOOD" --starttls smtp

h_case "IMAP, silent after STARTTLS: the deadline" 2 "^TLS_PIN CRITICAL - $P: $W [^|]+ \| time=" \
	$M -p "$IMAP_CAPA" --starttls imap
h_case "POP3, silent after STLS: the deadline" 2 "^TLS_PIN CRITICAL - $P: $W [^|]+ \| time=" \
	$M -p "$POP3_STLS" --starttls pop3
h_case "LDAP, silent after the StartTLS request: the deadline" 2 \
	"^TLS_PIN CRITICAL - $P: $W the StartTLS ExtendedResponse \| time=" \
	$M -p "$LDAP_REPLY" --starttls ldap
h_case "PostgreSQL, silent after SSLRequest: the deadline" 2 \
	"^TLS_PIN CRITICAL - $P: $W the answer to SSLRequest \| time=" \
	$M -p "$PG_REPLY" --starttls postgres
h_case "MySQL, half a greeting packet: the deadline" 2 \
	"^TLS_PIN CRITICAL - $P: $W the MySQL server greeting \| time=" \
	$M -p "$MYSQL_HALF" --starttls mysql
h_case "XMPP, a stream header and no features: the deadline" 2 \
	"^TLS_PIN CRITICAL - $P: $W [^|]+ \| time=" $M -p "$XMPP_FEATURES" --starttls xmpp
h_case "XMPP, <failure/> then <proceed/> in one write: refused" 2 \
	"^TLS_PIN CRITICAL - $P: no TLS: the XMPP server refused TLS: '<failure [^|]+ \| time=" \
	$M -p "$XMPP_FAILURE_PROCEED" --starttls xmpp

h_case "SMTP, an endless greeting line: CRITICAL, bounded" 2 \
	"^TLS_PIN CRITICAL - $P: SMTP: a line longer than 4096 bytes in the greeting \| time=" \
	$M -p "$ENDLESS_GREETING" --starttls smtp
h_case "SMTP, an endless EHLO reply: CRITICAL, bounded" 2 \
	"^TLS_PIN CRITICAL - $P: SMTP: the server sent more than 16384 bytes before TLS [^|]*\| time=" \
	$M -p "$ENDLESS_EHLO" --starttls smtp
h_case "POP3, a CAPA list without its end: CRITICAL, bounded" 2 \
	"^TLS_PIN CRITICAL - $P: POP3: the server sent more than 16384 bytes before TLS [^|]*\| time=" \
	$M -p "$ENDLESS_CAPA" --starttls pop3
h_case "LDAP, 1 MB in reply to StartTLS: CRITICAL, bounded" 2 \
	"^TLS_PIN CRITICAL - $P: LDAP: [^|]+ \| time=" $M -p "$FLOOD_LDAP" --starttls ldap
h_case "SMTP, the greeting one byte a second: the deadline holds" 2 \
	"^TLS_PIN CRITICAL - $P: timeout after 2s while waiting for the greeting \| time=" \
	$M -p "$DRIP_GREETING" --starttls smtp -t 2
h_case "SMTP, the EHLO reply one byte a second: the deadline holds" 2 \
	"^TLS_PIN CRITICAL - $P: timeout after 2s while waiting for the EHLO reply \| time=" \
	$M -p "$DRIP_EHLO" --starttls smtp -t 2
h_case "SMTP, a hang-up after EHLO: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $P: SMTP: [^|]+ \| time=" $M -p "$CLOSE_EHLO" --starttls smtp
h_case "SMTP, a reset after EHLO: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $P: SMTP: [^|]+ \| time=" $M -p "$RESET_EHLO" --starttls smtp
# The RST can arrive before connect() is seen to complete: either message.
h_case "SMTP, a reset instead of the greeting: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $P: (SMTP: [^|]+|cannot connect: [^|]+: Connection reset by peer) \| time=" \
	$M -p "$RESET_GREETING" --starttls smtp

h_case "SMTP, a NUL byte in the greeting: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $P: SMTP: NUL byte in the greeting \| time=" \
	$M -p "$NUL_GREETING" --starttls smtp -v
# The bare CR too is a control byte, shown as \x0d (as -v shows it), not dropped.
h_case "SMTP, a refusal full of hostile bytes: CRITICAL, quoted escaped (-vv)" 2 \
	"^TLS_PIN CRITICAL - $P: no TLS: the SMTP server refused TLS: '454 4\.7\.0 \\\\x7cdays=999;1;1 \"q\" x=y\\\\x1b\[31m\\\\xff\\\\xfe\\\\xc3\( \\\\xe2\\\\x80\\\\xae\\\\x0dTLS_PIN OK - fake' \| time=" \
	$M -p "$HOSTILE_REFUSAL" --starttls smtp -vv
h_case "SMTP, an EHLO reply full of hostile bytes and no STARTTLS: CRITICAL, escaped (-vv)" 2 \
	"^TLS_PIN CRITICAL - $P: no TLS: the SMTP server does not offer STARTTLS \(EHLO: '[^|]*'\) \| time=" \
	$M -p "$HOSTILE_EHLO" --starttls smtp -vv
t_out "-vv shows the hostile EHLO line, escaped" '^S: 250 TLS_PIN OK - fake \\x7c days=1 \[[0-9.]+s\]$'
h_case "LDAP, a reply announcing 2 GiB: CRITICAL at once" 2 \
	"^TLS_PIN CRITICAL - $P: LDAP: [^|]+ \| time=" $M -p "$LDAP_BIG" --starttls ldap
h_case "MySQL, a greeting packet announcing 16 MiB: CRITICAL at once" 2 \
	"^TLS_PIN CRITICAL - $P: MySQL: [^|]+ \| time=" $M -p "$MYSQL_BIG" --starttls mysql
}

done_testing
