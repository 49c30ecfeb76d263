#!/bin/bash
# STARTTLS against scripted peers, for what no real server does on demand:
# refusing STARTTLS with an error code, sending bytes after the go-ahead,
# stalling mid-dialogue, an endless line, one byte a second, PREAUTH, and
# hostile text in the dialogue. Each case runs the whole plugin.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools python3 certtool openssl

# peer NAME STEPS...: starts a scripted peer; its port goes into the variable NAME.
peer() {
	local name=$1
	shift
	printf '%s\n' "$@" >"$T/$name.script"
	start_server peer "$T/$name.script"
	printf -v "$name" '%s' "$SERVER_PORT"
}

peer REFUSE 'send b"220 mx ESMTP\r\n"' recv 'send b"250-mx\r\n250 STARTTLS\r\n"' recv \
	'send b"454 4.7.0 TLS not available due to local problem\r\n"' recv
peer INJECT 'send b"220 mx\r\n"' recv 'send b"250-mx\r\n250 STARTTLS\r\n"' recv \
	'send b"220 go ahead\r\n250 injected\r\n"' hold
peer STALL 'send b"220 mx\r\n"' recv hold
peer ENDLESS 'send b"220 "' 'flood 100000' hold
peer DRIP 'drip b"220 slow server\r\n"' hold
peer PREAUTH 'send b"* PREAUTH IMAP4rev1 logged in\r\n"' hold
peer PGINJECT 'recvn 8' 'send b"SXXXX"' hold
peer HOSTILE 'send b"220 mx\r\n"' recv 'send b"250-mx |days=1;1;1\x01\r\n250 PIPELINING\r\n"' recv
peer NOTLS 'send b"+OK POP3 ready\r\n"' recv 'send b"+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n"' recv

# NNTP (RFC 4642) end to end, TLS included: Debian's only NNTP server with
# STARTTLS is INN, whose package fails to configure on a host whose name has
# no domain, so a scripted peer stands in for it.
mk_cert root --ca --to "+3650 days" --cn "Peer Test Root"
mk_cert news --issuer root --cn news.test.example
mk_cert stranger --cn stranger.test.example
NEWS_PIN=$(spki_b64 news)
peer NNTP 'send b"200 news.test.example ready\r\n"' recv \
	'send b"101 Capability list:\r\nVERSION 2\r\nREADER\r\nSTARTTLS\r\n.\r\n"' recv \
	'send b"382 Continue with TLS negotiation\r\n"' "tls $T/news.pem $T/news.key"
peer NNTPPLAIN 'send b"201 news.test.example ready\r\n"' recv \
	'send b"101 Capability list:\r\nVERSION 2\r\nREADER\r\n.\r\n"' recv

N="-H news.test.example -I 127.0.0.1 --ca-file $T/root.pem"
# shellcheck disable=SC2086 # $N is a list of words
{
t_check "nntp: right pin: OK, verified" 0 \
	"^TLS_PIN OK - news\.test\.example:$NNTP \(127\.0\.0\.1\) expires in [^,|]*, key pinned \(leaf\) \| days=" \
	$N -p "$NNTP" --starttls nntp -P "sha256/$NEWS_PIN" -v
t_out "nntp: -v shows CAPABILITIES" '^C: CAPABILITIES$'
t_out "nntp: -v shows the 382 go-ahead" '^S: 382 '
t_check "nntp: wrong pin: CRITICAL, showing the served pin" 2 \
	"^TLS_PIN CRITICAL - [^|]*, key NOT pinned, served sha256/$(re_quote "$NEWS_PIN") \| days=" \
	$N -p "$NNTP" --starttls nntp -P "sha256/$(spki_b64 stranger)"
t_check "nntp: STARTTLS not in CAPABILITIES: CRITICAL, no TLS" 2 \
	"^TLS_PIN CRITICAL - news\.test\.example:$NNTPPLAIN \(127\.0\.0\.1\): no TLS: the NNTP server does not offer STARTTLS" \
	$N -p "$NNTPPLAIN" --starttls nntp
}

H="-H mx.test.example -I 127.0.0.1 --no-verify"
# shellcheck disable=SC2086 # $H is a list of words
{
t_check "SMTP server refusing STARTTLS with 454: CRITICAL quoting it" 2 \
	"^TLS_PIN CRITICAL - mx\.test\.example:$REFUSE \(127\.0\.0\.1\): no TLS: the SMTP server refused TLS: '454 4\.7\.0 TLS not available due to local problem' \| time=" \
	$H -p "$REFUSE" --starttls smtp
t_check "bytes after the go-ahead: CRITICAL, never fed to TLS" 2 \
	"^TLS_PIN CRITICAL - [^|]*: SMTP: the server sent 14 bytes after its go-ahead and before the TLS handshake \(STARTTLS injection flaw\) \|" \
	$H -p "$INJECT" --starttls smtp
t_check "a stall after the greeting: the -t state, naming the step" 1 \
	"^TLS_PIN WARNING - [^|]*: timeout after 1s while waiting for the EHLO reply \|" \
	$H -p "$STALL" --starttls smtp -t 1:warning
t_ok "the stalled dialogue ended within the deadline (${ELAPSED_MS} ms)" test "$ELAPSED_MS" -lt 2500
t_check "an endless line: CRITICAL, bounded" 2 \
	"^TLS_PIN CRITICAL - [^|]*: SMTP: a line longer than 4096 bytes in the greeting \|" \
	$H -p "$ENDLESS" --starttls smtp
t_check "one byte a second: the deadline holds" 2 \
	"^TLS_PIN CRITICAL - [^|]*: timeout after 2s while waiting for the greeting \|" \
	$H -p "$DRIP" --starttls smtp -t 2
t_ok "the dripping dialogue ended within the deadline (${ELAPSED_MS} ms)" test "$ELAPSED_MS" -lt 3500
t_check "IMAP PREAUTH greeting: refused" 2 \
	"^TLS_PIN CRITICAL - [^|]*: no TLS: the IMAP server greets with PREAUTH, after which STARTTLS is impossible" \
	$H -p "$PREAUTH" --starttls imap
t_check "PostgreSQL 'S' followed by bytes: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - [^|]*: PostgreSQL: the server sent 4 bytes after its go-ahead" \
	$H -p "$PGINJECT" --starttls postgres
t_check "POP3 without STLS in CAPA: CRITICAL, no plaintext fallback" 2 \
	"^TLS_PIN CRITICAL - [^|]*: no TLS: the POP3 server does not offer STARTTLS \(CAPA: 'USER / SASL PLAIN / \.'\)" \
	$H -p "$NOTLS" --starttls pop3
t_check "hostile text in a reply: escaped on the first line" 2 \
	"^TLS_PIN CRITICAL - [^|]*: no TLS: the SMTP server does not offer STARTTLS \(EHLO: '250-mx \\\\x7cdays=1;1;1\\\\x01 / 250 PIPELINING'\) \| time=[0-9.]+s;;;0;$" \
	$H -p "$HOSTILE" --starttls smtp -v
t_out "-v shows the dialogue, escaped" '^S: 250-mx \\x7cdays=1;1;1\\x01$'
t_out "-v shows what was sent" '^C: EHLO [^ ]+$'
t_ok "exactly one '|' in the whole output" test "$(tr -cd '|' <<<"$OUT" | wc -c)" -eq 1
t_check "--ehlo is sent as given" 2 "^TLS_PIN CRITICAL - " \
	$H -p "$HOSTILE" --starttls smtp --ehlo probe.example.net -v
t_out "-v shows EHLO with the --ehlo name" '^C: EHLO probe\.example\.net$'
}

done_testing
