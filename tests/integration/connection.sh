#!/bin/bash
# Connection: -I with SNI (the server must see the name), --sni, --no-sni,
# IP literals (no SNI), IPv6 loopback, -4/-6, connection refused, names that
# do not resolve, handshake failures, and a silent server against -t.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools certtool gnutls-serv openssl python3

D=test.example

mk_cert root --ca --to "+3650 days" --cn "Connection Test Root"
mk_cert default --issuer root --cn "default.$D" --san "default.$D" --san 127.0.0.1 --san ::1
mk_cert www --issuer root --cn "www.$D"
mk_cert alt --issuer root --cn "alt.$D"
# "bücher.test.example" in IDNA form (RFC 5891).
mk_cert idn --issuer root --cn "xn--bcher-kva.$D"

# The default certificate comes first: it is what a client without SNI gets.
start_server gnutls \
	--x509certfile "$T/default.pem" --x509keyfile "$T/default.key" \
	--x509certfile "$T/www.pem" --x509keyfile "$T/www.key" \
	--x509certfile "$T/alt.pem" --x509keyfile "$T/alt.key" \
	--x509certfile "$T/idn.pem" --x509keyfile "$T/idn.key"
PORT=$SERVER_PORT
# A server on 127.0.0.1 only, for a name that may resolve to ::1 first.
start_server openssl -cert "$T/default.pem" -key "$T/default.key"
V4ONLY=$SERVER_PORT
# A server that knows one name and refuses any other.
start_server gnutls --sni-hostname "www.$D" --sni-hostname-fatal \
	--x509certfile "$T/www.pem" --x509keyfile "$T/www.key"
STRICT=$SERVER_PORT
# A server that speaks nothing but TLS 1.3.
start_server gnutls --priority "NORMAL:-VERS-ALL:+VERS-TLS1.3" \
	--x509certfile "$T/www.pem" --x509keyfile "$T/www.key"
TLS13=$SERVER_PORT
start_server silent
SILENT=$SERVER_PORT
REFUSED=$(free_port) || bail_out "no free port"

DEFAULT=$(spki_b64 default)
WWW=$(spki_b64 www)
ALT=$(spki_b64 alt)
CA=(--ca-file "$T/root.pem")
PINNED=", key pinned \(leaf\) \| days="

# log_mark PORT, then log_since PORT REGEX: what the server on PORT logged
# since the mark matches REGEX (gnutls-serv prints the SNI it was given).
# log_no_sni PORT: since the mark, a connection was logged, without an SNI.
# shellcheck disable=SC2317 # called through t_ok
log_mark() {
	LOG_MARK=$(wc -l <"$(server_log "$1")")
}
# shellcheck disable=SC2317 # called through t_ok
log_since() {
	tail -n "+$((LOG_MARK + 1))" "$(server_log "$1")" | grep -Eq "$2"
}
# shellcheck disable=SC2317 # called through t_ok
log_no_sni() {
	log_since "$1" "^\* Accepted connection from" && ! log_since "$1" "Given server name"
}

# --- -I, SNI and the name verified
log_mark "$PORT"
t_check "-H name -I 127.0.0.1: the server picks the name's certificate by SNI" 0 \
	"^TLS_PIN OK - www\.$D:$PORT \(127\.0\.0\.1\) expires in [^,|]*$PINNED" \
	-H "www.$D" -I 127.0.0.1 -p "$PORT" "${CA[@]}" -P "sha256/$WWW"
t_ok "the server logged the SNI www.$D" log_since "$PORT" "Given server name\[1\]: www\.$D$"
t_check "--sni alt.$D: the server picks that name's certificate" 0 \
	"^TLS_PIN OK - www\.$D:$PORT \(127\.0\.0\.1\) expires in [^,|]*$PINNED" \
	-H "www.$D" -I 127.0.0.1 -p "$PORT" --sni "alt.$D" "${CA[@]}" -P "sha256/$ALT"
log_mark "$PORT"
t_check "--no-sni: the default certificate, and -H is still verified" 2 \
	"^TLS_PIN CRITICAL - www\.$D:$PORT \(127\.0\.0\.1\) expires in [^,|]*, key NOT pinned, served sha256/$(re_quote "$DEFAULT"), NOT trusted: name mismatch \(www\.$D\) \| days=" \
	-H "www.$D" -I 127.0.0.1 -p "$PORT" --no-sni "${CA[@]}" -P "sha256/$WWW"
t_ok "--no-sni: the server got no SNI" log_no_sni "$PORT"
log_mark "$PORT"
t_check "-H 127.0.0.1: no SNI, verified against the IP SAN" 0 \
	"^TLS_PIN OK - 127\.0\.0\.1:$PORT expires in [^,|]*$PINNED" \
	-H 127.0.0.1 -p "$PORT" "${CA[@]}" -P "sha256/$DEFAULT"
t_ok "-H 127.0.0.1: the server got no SNI" log_no_sni "$PORT"
t_check "a server that requires its name, -H www.$D -I 127.0.0.1: OK" 0 \
	"^TLS_PIN OK - www\.$D:$STRICT \(127\.0\.0\.1\) expires in [^,|]*$PINNED" \
	-H "www.$D" -I 127.0.0.1 -p "$STRICT" "${CA[@]}" -P "sha256/$WWW"
t_check "a server that requires its name, another name: CRITICAL, its alert" 2 \
	"^TLS_PIN CRITICAL - alt\.$D:$STRICT \(127\.0\.0\.1\): TLS handshake with 127\.0\.0\.1 port $STRICT failed: the server sent the alert '[^']+' \| time=[0-9.]+s;;;0;$" \
	-H "alt.$D" -I 127.0.0.1 -p "$STRICT" "${CA[@]}"
log_mark "$PORT"
t_check "a Unicode -H is sent and verified in IDNA form" 0 \
	"^TLS_PIN OK - bücher\.$D:$PORT \(127\.0\.0\.1\) expires in [^,|]*$PINNED" \
	-H "bücher.$D" -I 127.0.0.1 -p "$PORT" "${CA[@]}" -P "sha256/$(spki_b64 idn)"
t_ok "the server got the IDNA name as SNI" log_since "$PORT" "Given server name\[1\]: xn--bcher-kva\.$D$"
if getent ahosts localhost 2>/dev/null | grep -q '^127\.0\.0\.1 '; then
	t_check "-H localhost: its addresses tried in order until 127.0.0.1 connects" 0 \
		"^TLS_PIN OK - localhost:$V4ONLY expires in [^,|]*$PINNED" \
		-H localhost -p "$V4ONLY" --no-verify -P "sha256/$DEFAULT" -v
	t_out "-v names the address that answered" "^address: 127\.0\.0\.1$"
else
	t_skip "-H localhost: its addresses tried in order" "localhost is not 127.0.0.1 here"
	t_skip "-v names the address that answered" "localhost is not 127.0.0.1 here"
fi
t_check "-4 with an IPv4 literal: OK" 0 "^TLS_PIN OK - 127\.0\.0\.1:$PORT " \
	-4 -H 127.0.0.1 -p "$PORT" "${CA[@]}"

# --- IPv6
if ipv6_loopback "$PORT"; then
	t_check "-H ::1: OK, the target in brackets" 0 \
		"^TLS_PIN OK - \[::1\]:$PORT expires in [^,|]*$PINNED" \
		-H ::1 -p "$PORT" "${CA[@]}" -P "sha256/$DEFAULT"
	t_check "-H [::1] with brackets: OK" 0 "^TLS_PIN OK - \[::1\]:$PORT expires in " \
		-H "[::1]" -p "$PORT" "${CA[@]}"
	t_check "-6 -H ::1: OK" 0 "^TLS_PIN OK - \[::1\]:$PORT " -6 -H ::1 -p "$PORT" "${CA[@]}"
	t_check "-H name -I ::1: SNI over IPv6" 0 \
		"^TLS_PIN OK - www\.$D:$PORT \(::1\) expires in [^,|]*$PINNED" \
		-H "www.$D" -I ::1 -p "$PORT" "${CA[@]}" -P "sha256/$WWW"
else
	for d in "-H ::1" "-H [::1]" "-6 -H ::1" "-H name -I ::1"; do
		t_skip "$d" "no IPv6 loopback"
	done
fi
t_check "-4 with an IPv6 literal: CRITICAL, wrong family" 2 \
	"^TLS_PIN CRITICAL - \[::1\]:$PORT: address ::1: not of the family asked for" \
	-4 -H ::1 -p "$PORT" "${CA[@]}"

# --- failures
t_check "connection refused: CRITICAL with the reason" 2 \
	"^TLS_PIN CRITICAL - 127\.0\.0\.1:$REFUSED: cannot connect: 127\.0\.0\.1: Connection refused \| time=[0-9.]+s;;;0;$" \
	-H 127.0.0.1 -p "$REFUSED"
t_check "connection refused at the -I address" 2 \
	"^TLS_PIN CRITICAL - www\.$D:$REFUSED \(127\.0\.0\.1\): cannot connect: 127\.0\.0\.1: Connection refused" \
	-H "www.$D" -I 127.0.0.1 -p "$REFUSED"
t_check "a name that does not resolve: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - does-not-exist\.invalid:443: cannot resolve does-not-exist\.invalid" \
	-H does-not-exist.invalid -t 5
t_check "no common TLS version: CRITICAL, handshake failed" 2 \
	"^TLS_PIN CRITICAL - www\.$D:$TLS13 \(127\.0\.0\.1\): TLS handshake with 127\.0\.0\.1 port $TLS13 failed: " \
	-H "www.$D" -I 127.0.0.1 -p "$TLS13" "${CA[@]}" --priority "NORMAL:-VERS-ALL:+VERS-TLS1.2"

# --- a server that accepts and never speaks
t_check "silent server, -t 1: CRITICAL, naming the handshake" 2 \
	"^TLS_PIN CRITICAL - 127\.0\.0\.1:$SILENT: timeout after 1s [a-z ]*the TLS handshake with 127\.0\.0\.1 port $SILENT \| time=1\.[0-9]{3}s;;;0;$" \
	-H 127.0.0.1 -p "$SILENT" -t 1
t_ok "silent server, -t 1: the result came within 1 to 1.8 s ($ELAPSED_MS ms)" \
	test "$ELAPSED_MS" -ge 950 -a "$ELAPSED_MS" -le 1800
t_check "silent server, -t 1:warning: WARNING" 1 \
	"^TLS_PIN WARNING - 127\.0\.0\.1:$SILENT: timeout after 1s [a-z ]*the TLS handshake" \
	-H 127.0.0.1 -p "$SILENT" -t 1:warning
t_ok "silent server, -t 1:warning: within 1 to 1.8 s ($ELAPSED_MS ms)" \
	test "$ELAPSED_MS" -ge 950 -a "$ELAPSED_MS" -le 1800
t_check "silent server, -t 0.5:unknown: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - www\.$D:$SILENT \(127\.0\.0\.1\): timeout after 0\.5s [a-z ]*the TLS handshake" \
	-H "www.$D" -I 127.0.0.1 -p "$SILENT" -t 0.5:unknown
t_check "silent server, -t 0.5:ok: OK" 0 \
	"^TLS_PIN OK - 127\.0\.0\.1:$SILENT: timeout after 0\.5s" -H 127.0.0.1 -p "$SILENT" -t 0.5:ok

# --- the SIGALRM backstop, when the deadline cannot act
# backstop_run ARGS...: runs the plugin against the silent server, stops it
# (SIGSTOP) once it has connected, so that no deadline can act, and lets it
# run again 4.5 s later: its timer (-t + 2 s) has fired meanwhile, and the
# backstop's line is all that may come. Sets what run_plugin sets.
backstop_run() {
	local pid i start end
	printf -v CMD '%q ' "$PLUGIN" "$@"
	log_mark "$SILENT"
	start=$(date +%s%N)
	"$PLUGIN" "$@" >"$T/backstop.out" 2>"$T/stderr" &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		log_since "$SILENT" '^accepted' && break
		sleep 0.05
	done
	kill -STOP "$pid" 2>/dev/null
	sleep 4.5
	kill -CONT "$pid" 2>/dev/null
	wait "$pid"
	RC=$?
	end=$(date +%s%N)
	ELAPSED_MS=$(((end - start) / 1000000))
	OUT=$(<"$T/backstop.out")
	ERR=$(<"$T/stderr")
	OUT_LINES=()
	if [[ -n $OUT ]]; then
		mapfile -t OUT_LINES <<<"$OUT"
	fi
}
# backstop_check DESC RC STATE TARGET-REGEX: the last backstop_run printed
# the one line "TLS_PIN STATE - TARGET: no result N.Ns after the start" and
# exited RC, N at least -t 2 + 2 s and no more than the time really passed.
backstop_check() {
	local desc=$1 want=$2 st=$3 target=$4 why="" tenths
	[[ $RC == "$want" ]] || why+="; exit code $RC, expected $want"
	if [[ ${#OUT_LINES[@]} == 1 && ${OUT_LINES[0]} =~ ^TLS_PIN\ $st\ -\ $target:\ no\ result\ ([0-9]+)\.([0-9])s\ after\ the\ start$ ]]; then
		tenths=$((BASH_REMATCH[1] * 10 + BASH_REMATCH[2]))
		((tenths >= 40)) || why+="; it states $tenths tenths of a second, less than -t 2 + 2 s"
		((tenths * 100 <= ELAPSED_MS)) || why+="; it states more than the $ELAPSED_MS ms passed"
	else
		why+="; the output is not the backstop's line alone"
	fi
	[[ -z $ERR ]] || why+="; output on stderr"
	tap_result "$desc" "${why#; }"
}
backstop_run -H 127.0.0.1 -p "$SILENT" -t 2:warning
backstop_check "stopped past -t 2 + 2 s: the backstop's line, the -t state" 1 WARNING \
	"127\.0\.0\.1:$SILENT"

done_testing
