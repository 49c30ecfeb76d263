#!/bin/bash
# A fleet behind one name: several loopback addresses on one port, each with
# its own certificate, some on the pinned key, one on another key, one about
# to expire, one down, two that never speak. The addresses are given by
# repeated -I, or by --all-addresses on a name that /etc/hosts maps to several
# addresses (a test file bind-mounted over /etc/hosts in a private mount
# namespace: the machine's own file is never touched). Also --max-validity,
# the CA/Browser Forum maximum validity by the leaf's notBefore.
#
# The expected pins are computed by openssl (lib.sh spki_*), never by the plugin.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools certtool openssl python3

H=fleet.test.example

# Addresses of 127.0.0.0/8 other than 127.0.0.1, and ::1 when there is one.
if ! python3 -c 'import socket; socket.socket().bind(("127.0.0.2", 0))' 2>/dev/null; then
	skip_all "cannot bind 127.0.0.2: no 127.0.0.0/8 loopback"
fi
V6=0
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	V6=1
fi

# ---------------------------------------------------------------- certificates

mk_cert root --ca --to "+3650 days" --cn "Fleet Test Root"
mk_cert inter --ca --issuer root --to "+1000 days" --cn "Fleet Test Intermediate"
mk_cert decoy --to "+100 days" --cn "decoy.test.example"

# leaf NAME KEY FROM TO: $T/NAME.pem for $H, issued by the intermediate, on
# the key $T/KEY.key (made on first use, so that leaves can share a key).
# FROM and TO are date(1) expressions ("@EPOCH" for an exact second).
leaf() {
	local name=$1 key=$2 from=$3 to=$4
	if [[ ! -f $T/$key.key ]]; then
		certtool --generate-privkey --key-type ecdsa --curve secp256r1 \
			--outfile "$T/$key.key" >/dev/null 2>"$T/certtool.err" ||
			bail_out "certtool cannot make the key $key: $(<"$T/certtool.err")"
	fi
	printf '%s\n' "cn = \"$H\"" "dns_name = \"$H\"" tls_www_server signing_key \
		"activation_date = \"$(tdate "$from")\"" "expiration_date = \"$(tdate "$to")\"" \
		>"$T/$name.leaf.tmpl"
	certtool --generate-certificate --load-privkey "$T/$key.key" \
		--load-ca-privkey "$T/inter.key" --load-ca-certificate "$T/inter.pem" \
		--template "$T/$name.leaf.tmpl" --outfile "$T/$name.pem" \
		>/dev/null 2>"$T/certtool.err" ||
		bail_out "certtool cannot make $name: $(<"$T/certtool.err")"
}

# cert_epochs CERT: "notBefore notAfter" of $T/CERT.pem in epoch seconds, by openssl.
cert_epochs() {
	local nb na
	nb=$(openssl x509 -in "$T/$1.pem" -noout -startdate) || return 1
	na=$(openssl x509 -in "$T/$1.pem" -noout -enddate) || return 1
	echo "$(date -u -d "${nb#notBefore=}" +%s) $(date -u -d "${na#notAfter=}" +%s)"
}

# dates_are CERT NOTBEFORE NOTAFTER: the certificate has those dates, to the second.
dates_are() {
	local got
	got=$(cert_epochs "$1")
	[[ $got == "$2 $3" ]] || bail_out "$1 has the dates $got, not $2 $3"
}

leaf a1 A "-10 days" "+200 days"
leaf a2 A "-10 days" "+150 days"
leaf a3 A "-10 days" "+250 days"
leaf b B "-10 days" "+300 days"
# C: a key nobody announced, under the same intermediate as A and B.
leaf c C "-10 days" "+300 days"
leaf gone A "-100 days" "-3 days"
leaf soon A "-100 days" "+20 days"

# --max-validity: the limit is chosen by the leaf's notBefore (ballot SC-081),
# and one day is 86400 s, any excess counting as a further day. The test
# certificates must be valid today, so their notBefore follows the clock:
# two in today's period, L days exactly and L days + 1 s; two issued in the
# last second of the period before, with that period's longer limit.
NOW=$(date -u +%s)
BR_FROM=(0 "$(date -u -d 2026-03-15 +%s)" "$(date -u -d 2027-03-15 +%s)" "$(date -u -d 2029-03-15 +%s)")
BR_DAYS=(398 200 100 47)
for ((BR = ${#BR_FROM[@]} - 1; BR > 0; BR--)); do
	((BR_FROM[BR] <= NOW)) && break
done
LIMIT=${BR_DAYS[BR]}
NB=$(date -u -d "$(date -u -d @$((NOW - 2 * 86400)) +%Y-%m-%d)" +%s)
((NB >= BR_FROM[BR])) || NB=${BR_FROM[BR]}
leaf vat A "@$NB" "@$((NB + LIMIT * 86400 - 1))"
leaf vover A "@$NB" "@$((NB + LIMIT * 86400))"
PREV=0
if ((BR > 0)); then
	PREV_LIMIT=${BR_DAYS[BR - 1]}
	PNB=$((BR_FROM[BR] - 1))
	if ((PNB + PREV_LIMIT * 86400 - 1 > NOW + 3600)); then
		PREV=1
		leaf pat A "@$PNB" "@$((PNB + PREV_LIMIT * 86400 - 1))"
		leaf pover A "@$PNB" "@$((PNB + PREV_LIMIT * 86400))"
	fi
fi
dates_are vat "$NB" $((NB + LIMIT * 86400 - 1))
dates_are vover "$NB" $((NB + LIMIT * 86400))
if ((PREV)); then
	dates_are pat "$PNB" $((PNB + PREV_LIMIT * 86400 - 1))
	dates_are pover "$PNB" $((PNB + PREV_LIMIT * 86400))
fi

A=$(spki_b64 a1)
B=$(spki_b64 b)
C=$(spki_b64 c)
DECOY=$(spki_b64 decoy)
INTER=$(spki_b64 inter)
ROOT=$(spki_b64 root)
for c in a2 a3 soon vat vover; do
	[[ $(spki_b64 "$c") == "$A" ]] || bail_out "$c is not on the key A"
done
for p in "$A" "$B" "$DECOY" "$INTER" "$ROOT"; do
	[[ ${#p} == 44 ]] || bail_out "openssl gave a pin of ${#p} characters: $p"
done

# ---------------------------------------------------------------- the fleet

# gnutls-serv cannot bind one address, openssl s_server -accept ADDR:PORT can.
# Each node serves a decoy to a client that sends no SNI and its own chain
# (the leaf, and the intermediate that openssl adds from -CAfile) to one that
# sends $H, so a node checked without SNI fails its pin and its trust.
#
# One node a line: ADDRESS KIND [CERT KEY]
#   tls     openssl s_server with the chain of CERT on the key KEY
#   stall   accepts TCP connections and never says a word
#   down    nothing listens: connection refused
FLEET=(
	"127.0.0.2 tls a1 A"
	"127.0.0.3 tls a2 A"
	"127.0.0.4 tls b B"
	"127.0.0.13 tls c C"
	"127.0.0.14 tls gone A"
	"127.0.0.5 tls soon A"
	"127.0.0.6 down"
	"127.0.0.7 stall"
	"127.0.0.8 stall"
	"127.0.0.9 tls vat A"
	"127.0.0.10 tls vover A"
)
if ((PREV)); then
	FLEET+=("127.0.0.11 tls pat A" "127.0.0.12 tls pover A")
fi
if ((V6)); then
	FLEET+=("::1 tls a3 A")
fi

STALL_PY='
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(16)
print("ready", flush=True)
held = []
while True:
    held.append(s.accept()[0])
'

# start_fleet: starts every node of FLEET on one port that is free on all of
# the addresses (the one meant to refuse as well) and sets PORT. Another
# script's server may take the port on some address meanwhile: then all of
# this try's nodes stop and another port is tried.
start_fleet() {
	local try port spec addr kind cert key i n pid log ready accept
	local -a pids kinds logs addrs
	local keep=${#SERVER_PIDS[@]}
	for ((try = 0; try < 8; try++)); do
		port=$(free_port) || continue
		for spec in "${FLEET[@]}"; do
			read -r addr _ <<<"$spec"
			if port_open "$addr" "$port"; then
				continue 2
			fi
		done
		pids=() kinds=() logs=() addrs=()
		n=0
		for spec in "${FLEET[@]}"; do
			read -r addr kind cert key <<<"$spec"
			log="$T/node.$port.$n.log"
			n=$((n + 1))
			case $kind in
			tls)
				accept="$addr:$port"
				[[ $addr == *:* ]] && accept="[$addr]:$port"
				openssl s_server -accept "$accept" -www \
					-cert "$T/decoy.pem" -key "$T/decoy.key" \
					-servername "$H" -servername_fatal \
					-cert2 "$T/$cert.pem" -key2 "$T/$key.key" -CAfile "$T/inter.pem" \
					</dev/null >"$log" 2>&1 &
				;;
			stall)
				python3 -c "$STALL_PY" "$addr" "$port" </dev/null >"$log" 2>&1 &
				;;
			down)
				continue
				;;
			esac
			SERVER_PIDS+=("$!")
			pids+=("$!") kinds+=("$kind") logs+=("$log") addrs+=("$addr")
		done
		for ((i = 0; i < 100; i++)); do
			ready=0
			for n in "${!pids[@]}"; do
				kill -0 "${pids[n]}" 2>/dev/null || break 2
				if grep -Eq '^(ACCEPT|ready)' "${logs[n]}" &&
					port_open "${addrs[n]}" "$port"; then
					ready=$((ready + 1))
				fi
			done
			if ((ready == ${#pids[@]})); then
				PORT=$port
				return 0
			fi
			sleep 0.05
		done
		for pid in "${pids[@]}"; do
			stop_server "$pid"
		done
		SERVER_PIDS=("${SERVER_PIDS[@]:0:keep}")
	done
	bail_out "cannot start the fleet: $(cat "${logs[@]}" 2>/dev/null)"
}
start_fleet

# ---------------------------------------------------------------- helpers

# fleet DESC RC REGEX ARGS...: checks $H on the fleet's port, verified
# against the root.
fleet() {
	local desc=$1 rc=$2 re=$3
	shift 3
	t_check "$desc" "$rc" "$re" -H "$H" -p "$PORT" --ca-file "$T/root.pem" "$@"
}

# dur DAYS: the duration the plugin prints for a leaf made to end in DAYS
# days: that, or a few seconds less.
dur() {
	echo "(${1}d|$(($1 - 1))d 23h)"
}

# end CERT: "(<its notAfter>)", as a regex.
end() {
	printf '\\(%s\\)' "$(cert_end "$1")"
}

# grp K N PIN [SUFFIX]: ", K of N serve sha256/PIN" and the pin state.
grp() {
	printf ', %s of %s serve sha256/%s%s' "$1" "$2" "$(re_quote "$3")" "${4:+ \\($4\\)}"
}

# either X Y: X then Y, or Y then X (the contract orders neither).
either() {
	printf '(%s%s|%s%s)' "$1" "$2" "$2" "$1"
}

# at ADDR: a regex for ADDR.
at() {
	re_quote "$1"
}

FL="$(re_quote "$H"):$PORT"
NUM="-?[0-9]+\.[0-9]{2}"
TIME="time=[0-9]+(\.[0-9]+)?s;;;0;$"

# perf DAYS N K: the perfdata of N addresses serving K keys, the earliest in DAYS.
perf() {
	printf ' \\| days=%s;30:;14:;; addresses=%s keys=%s %s' "$1" "$2" "$3" "$TIME"
}

# count REGEX: how many lines of the last run's stdout match.
count() {
	local line n=0
	for line in "${OUT_LINES[@]}"; do
		[[ $line =~ $1 ]] && n=$((n + 1))
	done
	echo "$n"
}

# matches TEXT REGEX
# shellcheck disable=SC2317 # called through t_ok
matches() {
	[[ $1 =~ $2 ]]
}

# is N M: N equals M.
# shellcheck disable=SC2317 # called through t_ok
is() {
	[[ $1 == "$2" ]]
}

# ---------------------------------------------------------------- -I repeated

fleet "two -I, one key, pinned: OK" 0 \
	"^TLS_PIN OK - $FL: 2 addresses, key pinned \(leaf\); earliest expiry in $(dur 150) $(end a2) at 127\.0\.0\.3$(perf 150.00 2 1)" \
	-I 127.0.0.2 -I 127.0.0.3 -P "sha256/$A"
t_ok "... one line of output without -v (${#OUT_LINES[@]})" is "${#OUT_LINES[@]}" 1
if ((V6)); then
	fleet "-I ::1 among them: three addresses, one key" 0 \
		"^TLS_PIN OK - $FL: 3 addresses, key pinned \(leaf\); earliest expiry in $(dur 150) $(end a2) at 127\.0\.0\.3$(perf 150.00 3 1)" \
		-I 127.0.0.2 -I ::1 -I 127.0.0.3 -P "sha256/$A"
else
	t_skip "-I ::1 among them: three addresses, one key" "no IPv6 loopback"
fi
fleet "one -I stays the single check" 0 \
	"^TLS_PIN OK - $FL \(127\.0\.0\.2\) expires in $(dur 200) $(end a1), key pinned \(leaf\) \| days=200\.00;30:;14:;; time=" \
	-I 127.0.0.2 -P "sha256/$A"
fleet "--no-sni: every node serves its decoy (the nodes do tell SNI apart)" 2 \
	"^TLS_PIN CRITICAL - $FL: 2 addresses; 127\.0\.0\.2: [^;|]*key NOT pinned, served sha256/$(re_quote "$DECOY")[^;|]*; 127\.0\.0\.3: [^;|]*key NOT pinned, served sha256/$(re_quote "$DECOY")[^;|]*; earliest expiry in [^|]* at 127\.0\.0\.[23] \| days=" \
	-I 127.0.0.2 -I 127.0.0.3 -P "sha256/$A" --no-sni
t_ok "... the decoy's key counted once (keys=1)" matches "${OUT_LINES[0]:-}" " addresses=2 keys=1 "

# --- keys: one node on another key
fleet "one node on an unpinned key: CRITICAL, naming it" 2 \
	"^TLS_PIN CRITICAL - $FL: 3 addresses$(grp 2 3 "$A" pinned)$(grp 1 3 "$B" "NOT pinned"); 127\.0\.0\.4: [^;|]*key NOT pinned[^;|]*; earliest expiry in $(dur 150) $(end a2) at 127\.0\.0\.3$(perf 150.00 3 2)" \
	-I 127.0.0.2 -I 127.0.0.3 -I 127.0.0.4 -P "sha256/$A"
fleet "the key most served comes first, whatever the -I order" 2 \
	"^TLS_PIN CRITICAL - $FL: 3 addresses$(grp 2 3 "$A" "NOT pinned")$(grp 1 3 "$B" pinned); 127\.0\.0\.2: [^;|]*key NOT pinned[^;|]*; 127\.0\.0\.3: [^;|]*key NOT pinned[^;|]*; earliest expiry in $(dur 150) $(end a2) at 127\.0\.0\.3$(perf 150.00 3 2)" \
	-I 127.0.0.4 -I 127.0.0.2 -I 127.0.0.3 -P "sha256/$B"
fleet "mid-rotation, old and new key both pinned: OK, which address serves which pin" 0 \
	"^TLS_PIN OK - $FL: 3 addresses, keys pinned: 127\.0\.0\.2 pin 1 of 2, 127\.0\.0\.3 pin 1 of 2, 127\.0\.0\.4 pin 2 of 2; earliest expiry in $(dur 150) $(end a2) at 127\.0\.0\.3$(perf 150.00 3 2)" \
	-I 127.0.0.2 -I 127.0.0.3 -I 127.0.0.4 -P "sha256/$A" -P "sha256/$B"
printf 'sha256/%s  current\nsha256/%s  next\n' "$A" "$B" >"$T/labelled.pins"
fleet "mid-rotation, labelled pins: OK, each address with its pin's label" 0 \
	"^TLS_PIN OK - $FL: 2 addresses, keys pinned: 127\.0\.0\.2 \"current\", 127\.0\.0\.4 \"next\"; earliest expiry " \
	-I 127.0.0.2 -I 127.0.0.4 --pin-file "$T/labelled.pins"
fleet "an expired node: the earliest expiry says it expired, and how long ago" 2 \
	"^TLS_PIN CRITICAL - $FL: 2 addresses, key pinned \(leaf\); 127\.0\.0\.14: EXPIRED 3d ago $(end gone), key pinned \(leaf\)[^;|]*; earliest expiry: EXPIRED 3d ago $(end gone) at 127\.0\.0\.14 \| days=-3\.00;" \
	-I 127.0.0.2 -I 127.0.0.14 -P "sha256/$A"
fleet "one address given twice is checked once" 0 \
	"^TLS_PIN OK - $FL: 1 address, key pinned \(leaf\); earliest expiry [^|]* at 127\.0\.0\.2$(perf 200.00 1 1)" \
	-I 127.0.0.2 -I 127.0.0.2 -P "sha256/$A"
fleet "two keys and no pins: OK, the groups without a pin state" 0 \
	"^TLS_PIN OK - $FL: 3 addresses$(grp 2 3 "$A")$(grp 1 3 "$B"); earliest expiry in $(dur 150) $(end a2) at 127\.0\.0\.3$(perf 150.00 3 2)" \
	-I 127.0.0.2 -I 127.0.0.3 -I 127.0.0.4

# --- expiry: one node about to expire
fleet "one node expiring soon: WARNING, naming it" 1 \
	"^TLS_PIN WARNING - $FL: 3 addresses; 127\.0\.0\.5: expires in $(dur 20) $(end soon), within the warning threshold of 30d; earliest expiry in $(dur 20) $(end soon) at 127\.0\.0\.5$(perf 20.00 3 1)" \
	-I 127.0.0.2 -I 127.0.0.5 -I 127.0.0.3
fleet "the same with -c 25: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $FL: 3 addresses; 127\.0\.0\.5: expires in $(dur 20) $(end soon), within the critical threshold of 25d; earliest expiry in $(dur 20) $(end soon) at 127\.0\.0\.5 \| days=20\.00;30:;25:;; addresses=3 keys=1 $TIME" \
	-I 127.0.0.2 -I 127.0.0.5 -I 127.0.0.3 -c 25

# --- a node down
fleet "one node refusing: CRITICAL, naming it" 2 \
	"^TLS_PIN CRITICAL - $FL: 3 addresses; 127\.0\.0\.6: cannot connect: 127\.0\.0\.6: Connection refused; earliest expiry in $(dur 150) $(end a2) at 127\.0\.0\.3$(perf 150.00 3 1)" \
	-I 127.0.0.2 -I 127.0.0.6 -I 127.0.0.3 -P "sha256/$A" -v
t_out "... -v: 127.0.0.2 still reported" \
	"^127\.0\.0\.2: (\(127\.0\.0\.2\) )?expires in $(dur 200) $(end a1), key pinned \(leaf\)"
t_out "... -v: 127.0.0.3 still reported" \
	"^127\.0\.0\.3: (\(127\.0\.0\.3\) )?expires in $(dur 150) $(end a2), key pinned \(leaf\)"
t_out "... -v: 127.0.0.6 with its reason" \
	"^127\.0\.0\.6: cannot connect: 127\.0\.0\.6: Connection refused"
t_ok "... -v: one line per address ($(count '^127\.0\.0\.[236]: ') of 3)" \
	is "$(count '^127\.0\.0\.[236]: ')" 3

# --- concurrency: two nodes that never speak, -t 3
fleet "two stalled nodes, -t 3: CRITICAL, both named, the third reported" 2 \
	"^TLS_PIN CRITICAL - $FL: 3 addresses; 127\.0\.0\.7: [^;|]*timeout[^;|]*; 127\.0\.0\.8: [^;|]*timeout[^;|]*; earliest expiry in $(dur 200) $(end a1) at 127\.0\.0\.2$(perf 200.00 3 1)" \
	-I 127.0.0.7 -I 127.0.0.2 -I 127.0.0.8 -P "sha256/$A" -t 3 -v
STALL_MS=$ELAPSED_MS
t_out "... -v: the live node checked in full" \
	"^127\.0\.0\.2: (\(127\.0\.0\.2\) )?expires in $(dur 200) $(end a1), key pinned \(leaf\)"
t_ok "... the deadline was waited for ($STALL_MS ms >= 2500)" test "$STALL_MS" -ge 2500
t_ok "... one deadline for all, not one each ($STALL_MS ms < 5000; in turn: >= 6000)" \
	test "$STALL_MS" -lt 5000
fleet "a stalled node with -t 2:warning: WARNING, naming it" 1 \
	"^TLS_PIN WARNING - $FL: 2 addresses; 127\.0\.0\.7: [^;|]*timeout[^;|]*; earliest expiry in $(dur 150) $(end a2) at 127\.0\.0\.3$(perf 150.00 2 1)" \
	-I 127.0.0.3 -I 127.0.0.7 -P "sha256/$A" -t 2:warning
t_ok "... within the deadline ($ELAPSED_MS ms < 3500)" test "$ELAPSED_MS" -lt 3500

# --- --print-pins: the union of the chains
DAY="[0-9]{4}-[0-9]{2}-[0-9]{2}"
fleet "--print-pins over three nodes: the leaf pins first, exit as the check" 0 \
	"^sha256/$(re_quote "$A")  leaf: CN=$(re_quote "$H"), expires $DAY  # served by 127\.0\.0\.2, 127\.0\.0\.3$" \
	--print-pins -I 127.0.0.2 -I 127.0.0.3 -I 127.0.0.4
t_ok "... key A listed once ($(count "^sha256/$(re_quote "$A") "))" \
	is "$(count "^sha256/$(re_quote "$A") ")" 1
t_line "... key B, served by 127.0.0.4, active too" 2 \
	"^sha256/$(re_quote "$B")  leaf: CN=$(re_quote "$H"), expires $(cert_end b | cut -d' ' -f1)  # served by 127\.0\.0\.4$"
t_line "... then why the CA keys are not pinned" 3 "^# Not pinned: the CA keys below\. "
t_line "... the intermediate, served by all three, commented out" 4 \
	"^# sha256/$(re_quote "$INTER")  depth 1: CN=Fleet Test Intermediate, expires $(cert_end inter | cut -d' ' -f1)  # served by 127\.0\.0\.2, 127\.0\.0\.3, 127\.0\.0\.4$"
t_line "... the root, the anchor the chains were verified to, commented out" 5 \
	"^# sha256/$(re_quote "$ROOT")  trust anchor: CN=Fleet Test Root, expires $DAY  # served by 127\.0\.0\.2, 127\.0\.0\.3, 127\.0\.0\.4$"
t_out "... then the result as a comment" \
	"^# TLS_PIN OK - $FL: 3 addresses$(grp 2 3 "$A")$(grp 1 3 "$B"); earliest expiry in [^|]* at 127\.0\.0\.3$(perf 150.00 3 2)"
printf '%s\n' "$OUT" >"$T/printed.pins"
fleet "--print-pins output as --pin-file: every node pinned" 0 \
	"^TLS_PIN OK - $FL: 3 addresses, keys pinned: 127\.0\.0\.2 \"leaf: [^\"]*\", 127\.0\.0\.3 \"leaf: [^\"]*\", 127\.0\.0\.4 \"leaf: [^\"]*\"; earliest expiry" \
	--pin-file "$T/printed.pins" -I 127.0.0.2 -I 127.0.0.3 -I 127.0.0.4

# ---------------------------------------------------------------- --max-validity

VNODES=(-I 127.0.0.9 -I 127.0.0.10)
R9=$(at 127.0.0.9)
R10=$(at 127.0.0.10)
fleet "$LIMIT and $((LIMIT + 1)) days of validity, no --max-validity: OK (off by default)" 0 \
	"^TLS_PIN OK - $FL: 2 addresses; earliest expiry in [^|]* $(end vat) at $R9 \| days=$NUM;30:;14:;; addresses=2 keys=1 $TIME" \
	"${VNODES[@]}"
fleet "--max-validity: $((LIMIT + 1)) days (L days + 1 s) over the $LIMIT-day limit of its notBefore: WARNING" 1 \
	"^TLS_PIN WARNING - $FL: 2 addresses; $R10: [^;|]*validity of $((LIMIT + 1)) days exceeds the $LIMIT-day maximum; earliest expiry in [^|]* $(end vat) at $R9 \| days=" \
	"${VNODES[@]}" --max-validity
fleet "--max-validity=$((LIMIT + 1)): OK" 0 \
	"^TLS_PIN OK - $FL: 2 addresses; earliest expiry in [^|]* at $R9 \| days=" \
	"${VNODES[@]}" --max-validity=$((LIMIT + 1))
fleet "--max-validity=$((LIMIT - 1)): WARNING, both named" 1 \
	"^TLS_PIN WARNING - $FL: 2 addresses$(either "; $R9: [^;|]*validity of $LIMIT days exceeds the $((LIMIT - 1))-day maximum" \
		"; $R10: [^;|]*validity of $((LIMIT + 1)) days exceeds the $((LIMIT - 1))-day maximum"); earliest expiry" \
	"${VNODES[@]}" --max-validity=$((LIMIT - 1))
fleet "--max-validity on one -I: the single check says it too" 1 \
	"^TLS_PIN WARNING - $FL \($R10\) expires in [^|]*validity of $((LIMIT + 1)) days exceeds the $LIMIT-day maximum \| days=" \
	-I 127.0.0.10 --max-validity
fleet "--max-validity=ten: UNKNOWN" 3 "^TLS_PIN UNKNOWN - " -I 127.0.0.9 --max-validity=ten
if ((PREV)); then
	fleet "--max-validity, issued in the last second before $(date -u -d @"${BR_FROM[BR]}" +%F): the $PREV_LIMIT-day limit" 1 \
		"^TLS_PIN WARNING - $FL: 2 addresses; $(at 127.0.0.12): [^;|]*validity of $((PREV_LIMIT + 1)) days exceeds the $PREV_LIMIT-day maximum; earliest expiry in [^|]* $(end pat) at $(at 127.0.0.11) \| days=" \
		-I 127.0.0.11 -I 127.0.0.12 --max-validity
else
	t_skip "--max-validity, issued in the period before" \
		"no earlier period whose certificate would still be valid today"
fi

# ---------------------------------------------------------------- --all-addresses

# The plugin runs in a private mount namespace whose /etc/hosts is a test
# file; the machine's /etc/hosts must come out of it unchanged.
HOSTS_SUM=$(cksum </etc/hosts)
{
	echo '#!/bin/sh'
	echo '# the plugin with a test /etc/hosts, in a mount namespace of its own'
	# shellcheck disable=SC2016 # expanded by the wrapper
	echo 'exec unshare -m sh -c '\''mount --bind "$FLEET_HOSTS" /etc/hosts && exec "$FLEET_PLUGIN" "$@"'\'' sh "$@"'
} >"$T/ns-plugin"
chmod +x "$T/ns-plugin"
printf '%s\n' "127.0.0.2 $H" >"$T/probe.hosts"
NS_WHY=""
if ! command -v unshare >/dev/null 2>&1; then
	NS_WHY="unshare is not installed"
elif [[ $(id -u) != 0 ]]; then
	NS_WHY="not root: no private /etc/hosts"
elif ! FLEET_HOSTS=$T/probe.hosts FLEET_PLUGIN=getent "$T/ns-plugin" hosts "$H" \
	>/dev/null 2>&1; then
	NS_WHY="unshare -m or mount --bind is not permitted here"
fi

# ns_fleet HOSTS DESC RC REGEX ARGS...: fleet, resolving through $T/HOSTS.
ns_fleet() {
	local -x FLEET_HOSTS=$T/$1 FLEET_PLUGIN=$PLUGIN
	local PLUGIN=$T/ns-plugin
	shift
	if [[ -n $NS_WHY ]]; then
		t_skip "$1" "$NS_WHY"
		return 0
	fi
	fleet "$@"
}

# ns_out DESC REGEX: t_out, or a skip when the namespace cannot be had.
ns_out() {
	if [[ -n $NS_WHY ]]; then
		t_skip "$1" "$NS_WHY"
	else
		t_out "$@"
	fi
}

# ns_none DESC REGEX: no line of the last run matches REGEX, or a skip.
ns_none() {
	if [[ -n $NS_WHY ]]; then
		t_skip "$1" "$NS_WHY"
	elif [[ $(count "$2") == 0 ]]; then
		tap_result "$1" ""
	else
		tap_result "$1" "a line matches: $2"
	fi
}

printf '%s\n' "127.0.0.2 $H" "127.0.0.3 $H" >"$T/same.hosts"
printf '%s\n' "127.0.0.2 $H" "127.0.0.3 $H" "127.0.0.4 $H" >"$T/mixed.hosts"
N_SAME=2 N_MIXED=3
if ((V6)); then
	echo "::1 $H" | tee -a "$T/same.hosts" >>"$T/mixed.hosts"
	N_SAME=3 N_MIXED=4
fi

ns_fleet same.hosts "--all-addresses, $N_SAME addresses on the pinned key: OK" 0 \
	"^TLS_PIN OK - $FL: $N_SAME addresses, key pinned \(leaf\); earliest expiry in $(dur 150) $(end a2) at 127\.0\.0\.3$(perf 150.00 "$N_SAME" 1)" \
	--all-addresses -P "sha256/$A" -v
ns_out "... -v: 127.0.0.2" "^127\.0\.0\.2: (\(127\.0\.0\.2\) )?expires in $(dur 200) $(end a1), key pinned \(leaf\)"
ns_out "... -v: 127.0.0.3" "^127\.0\.0\.3: (\(127\.0\.0\.3\) )?expires in $(dur 150) $(end a2), key pinned \(leaf\)"
if ((V6)); then
	ns_out "... -v: ::1" "^::1: (\(::1\) )?expires in $(dur 250) $(end a3), key pinned \(leaf\)"
else
	t_skip "... -v: ::1" "no IPv6 loopback"
fi
ns_fleet same.hosts "without --all-addresses the name is one check of one address" 0 \
	"^TLS_PIN OK - $FL expires in [^|]*, key pinned \(leaf\) \| days=$NUM;30:;14:;; time=" \
	-P "sha256/$A"
ns_fleet mixed.hosts "--all-addresses, one address on an unpinned key: CRITICAL, naming it" 2 \
	"^TLS_PIN CRITICAL - $FL: $N_MIXED addresses$(grp $((N_MIXED - 1)) "$N_MIXED" "$A" pinned)$(grp 1 "$N_MIXED" "$B" "NOT pinned"); 127\.0\.0\.4: [^;|]*key NOT pinned[^;|]*; earliest expiry in $(dur 150) $(end a2) at 127\.0\.0\.3$(perf 150.00 "$N_MIXED" 2)" \
	--all-addresses -P "sha256/$A"
# glibc answers an AF_INET lookup of a name that /etc/hosts maps to ::1 with
# 127.0.0.1, so -4 is shown by what it leaves out rather than by a count.
if ((V6)); then
	printf '%s\n' "127.0.0.4 $H" "::1 $H" >"$T/family.hosts"
	ns_fleet family.hosts "--all-addresses -6: ::1 alone, on the pinned key: OK" 0 \
		"^TLS_PIN OK - $FL: 1 address(es)?, key pinned \(leaf\); earliest expiry in $(dur 250) $(end a3) at ::1$(perf 250.00 1 1)" \
		--all-addresses -6 -P "sha256/$A" -v
	ns_out "... -v: ::1 checked" "^::1: (\(::1\) )?expires in $(dur 250) $(end a3), key pinned \(leaf\)"
	ns_none "... -v: 127.0.0.4 left out" "^127\.0\.0\.4: "
	ns_fleet family.hosts "--all-addresses -4: 127.0.0.4 checked, unpinned: CRITICAL" 2 \
		"^TLS_PIN CRITICAL - $FL: [0-9]+ addresses[^|]*; 127\.0\.0\.4: [^;|]*key NOT pinned" \
		--all-addresses -4 -P "sha256/$A" -t 3 -v
	ns_out "... -v: 127.0.0.4 checked" "^127\.0\.0\.4: "
	ns_none "... -v: ::1 left out" "^::1: "
else
	for d in "-6: ::1 alone" "-6 -v: ::1 checked" "-6 -v: 127.0.0.4 left out" \
		"-4: 127.0.0.4 checked" "-4 -v: 127.0.0.4 checked" "-4 -v: ::1 left out"; do
		t_skip "--all-addresses $d" "no IPv6 loopback"
	done
fi
# The README's rotation, as written there: record the pins every node serves,
# append the announced next pin, then watch with --require-backup-pin while
# the nodes switch, and see a third key, never announced but signed by the
# same CA, turn CRITICAL with its pin on the line.
printf '%s\n' "127.0.0.2 $H" "127.0.0.3 $H" >"$T/before.hosts"
printf '%s\n' "127.0.0.2 $H" "127.0.0.4 $H" >"$T/rotating.hosts"
printf '%s\n' "127.0.0.2 $H" "127.0.0.13 $H" >"$T/rogue.hosts"
ns_fleet before.hosts "rotation 1: --print-pins > pins, on every node's key" 0 \
	"^sha256/$(re_quote "$A")  leaf: " --all-addresses --print-pins
if [[ -z $NS_WHY ]]; then
	printf '%s\n' "$OUT" >"$T/pins"
	echo "sha256/$B  next" >>"$T/pins"
fi
ns_fleet before.hosts "rotation 2: the next pin appended, nothing switched yet: OK" 0 \
	"^TLS_PIN OK - $FL: 2 addresses, key pinned \(leaf, \"leaf: CN=$(re_quote "$H"), expires $DAY\"\); earliest expiry " \
	--all-addresses --pin-file "$T/pins" --require-backup-pin
ns_fleet rotating.hosts "rotation 3: one node on the announced key: OK" 0 \
	"^TLS_PIN OK - $FL: 2 addresses, keys pinned: 127\.0\.0\.2 \"leaf: CN=$(re_quote "$H"), expires $DAY\", 127\.0\.0\.4 \"next\"; earliest expiry " \
	--all-addresses --pin-file "$T/pins" --require-backup-pin
ns_fleet rogue.hosts "rotation 3: a node on an unannounced key of the same CA: CRITICAL, its pin shown" 2 \
	"^TLS_PIN CRITICAL - $FL: 2 addresses$(grp 1 2 "$A" pinned)$(grp 1 2 "$C" "NOT pinned"); 127\.0\.0\.13: [^;|]*key NOT pinned, served sha256/$(re_quote "$C")[;|]" \
	--all-addresses --pin-file "$T/pins" --require-backup-pin
t_ok "the machine's /etc/hosts is unchanged" test "$(cksum </etc/hosts)" == "$HOSTS_SUM"

done_testing
