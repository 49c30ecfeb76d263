#!/bin/bash
# Output: the exact status line and perfdata shape, every reason of a non-OK
# state, -v and -vv, escaping of server-supplied names, -h and -V, and usage
# errors (exit 3, one status line, a usage hint).
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools certtool gnutls-serv openssl

H=out.test.example
D=test.example

mk_cert root --ca --to "+3650 days" --cn "Output Test Root"
# 63 days 4 hours and a half: the summary says "63d 4h" whatever the second.
mk_cert out --issuer root --from "-30 days" --to "+63 days +4 hours +30 minutes" --cn "$H"
mk_cert soon --issuer root --from "-100 days" --to "+20 days" --cn "soon.$D"
# Hostile names: a '|' in the subjects of a leaf and of its issuer.
mk_cert badca --ca --issuer root --from "-300 days" --to "+5 days" --cn "Bad|CA"
mk_cert evil --issuer badca --cn "evil|name" --san "evil.$D"
mk_chain evil.chain evil badca
mk_cert other --cn "other.$D"

start_server gnutls \
	--x509certfile "$T/out.pem" --x509keyfile "$T/out.key" \
	--x509certfile "$T/soon.pem" --x509keyfile "$T/soon.key" \
	--x509certfile "$T/evil.chain.pem" --x509keyfile "$T/evil.key"
PORT=$SERVER_PORT

OUT_PIN=$(spki_b64 out)
OTHER_PIN=$(spki_b64 other)
printf 'sha256/%s current\n' "$OUT_PIN" >"$T/out.pins"
CA=(--ca-file "$T/root.pem")
NUM="[0-9]+(\.[0-9]{1,2})?"
DATE="[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC"
# perfdata: days=VALUE;WARN:;CRIT:;; time=SECONDSs;;;0;
PERF="\| days=-?$NUM;$NUM:;$NUM:;; time=[0-9]+\.[0-9]{3}s;;;0;$"

# --- the status line
t_check "the OK line, exactly as the contract shows it" 0 \
	"^TLS_PIN OK - $H:$PORT \(127\.0\.0\.1\) expires in 63d 4h \($(cert_end out)\), key pinned \(leaf, \"current\"\) \| days=63\.19;30:;14:;; time=[0-9]+\.[0-9]{3}s;;;0;$" \
	-H "$H" -I 127.0.0.1 -p "$PORT" "${CA[@]}" --pin-file "$T/out.pins"
t_ok "one line of output without -v" test "${#OUT_LINES[@]}" -eq 1
t_check "perfdata shape: OK" 0 "^TLS_PIN OK - .* $PERF" -H "$H" -I 127.0.0.1 -p "$PORT" "${CA[@]}"
t_check "perfdata shape: WARNING" 1 "^TLS_PIN WARNING - .* $PERF" \
	-H "soon.$D" -I 127.0.0.1 -p "$PORT" "${CA[@]}"
t_check "perfdata shape: -w and -c in hours" 0 \
	"^TLS_PIN OK - .* \| days=63\.19;1\.5:;0\.5:;; time=[0-9]+\.[0-9]{3}s;;;0;$" \
	-H "$H" -I 127.0.0.1 -p "$PORT" "${CA[@]}" -w 36h -c 12h
REFUSED=$(free_port) || bail_out "no free port"
t_check "perfdata of a failure: time only" 2 \
	"^TLS_PIN CRITICAL - 127\.0\.0\.1:$REFUSED: .* \| time=[0-9]+\.[0-9]{3}s;;;0;$" \
	-H 127.0.0.1 -p "$REFUSED"
t_check "every reason is named: expiry WARNING, pin CRITICAL, trust CRITICAL" 2 \
	"^TLS_PIN CRITICAL - wrong\.$D:$PORT \(127\.0\.0\.1\) expires in 63d 4h \([^)]*\), within the warning threshold of 70d, key NOT pinned, served sha256/$(re_quote "$OUT_PIN"), NOT trusted: name mismatch \(wrong\.$D\) \| days=63\.19;70:;14:;; " \
	-H "wrong.$D" -I 127.0.0.1 -p "$PORT" "${CA[@]}" -w 70 -P "sha256/$OTHER_PIN"
t_check "WARNING beats OK: expiry WARNING, pin OK" 1 \
	"^TLS_PIN WARNING - soon\.$D:$PORT .*, within the warning threshold of 30d, key pinned \(leaf\) $PERF" \
	-H "soon.$D" -I 127.0.0.1 -p "$PORT" "${CA[@]}" -P "sha256/$(spki_b64 soon)"

# --- -v and -vv
t_check "-v: the status line first" 0 "^TLS_PIN OK - $H:$PORT " \
	-H "$H" -I 127.0.0.1 -p "$PORT" "${CA[@]}" --pin-file "$T/out.pins" -v
t_line "-v: the leaf: depth, subject, issuer, dates, days, pin, key, signature, match" 2 \
	"^depth 0: subject \"CN=$H\", issuer \"CN=Output Test Root\", valid $DATE to $(cert_end out) \(63\.19 days left\), sha256/$(re_quote "$OUT_PIN"), ECDSA P-256, ECDSA-SHA256, pinned \"current\"$"
t_line "-v: the trust anchor" 3 \
	"^trust anchor: subject \"CN=Output Test Root\", issuer \"CN=Output Test Root\", valid $DATE to $DATE \($NUM days left\), sha256/$(re_quote "$(spki_b64 root)"), ECDSA P-256, ECDSA-SHA256, not pinned$"
t_line "-v: the TLS version and cipher suite" 4 "^TLS: TLS1\.[23], [A-Z0-9_-]+"
t_line "-v: the trust verdict" 5 "^trust: verified against $(re_quote "$T/root.pem") for $H$"
t_check "-vv: the status line first" 0 "^TLS_PIN OK - $H:$PORT " \
	-H "$H" -I 127.0.0.1 -p "$PORT" "${CA[@]}" -vv
t_out "-vv: the time of each phase" \
	"^timing: resolve [0-9.]+s, connect [0-9.]+s, handshake [0-9.]+s, verify [0-9.]+s, total [0-9.]+s$"

# --- hostile names are escaped
t_check "a '|' in the issuer's name is escaped on the status line" 2 \
	"^TLS_PIN CRITICAL - evil\.$D:$PORT \(127\.0\.0\.1\) expires in [^|]*, depth 1 \(CN=Bad\\\\x7cCA\) expires in [^|]*, within the critical threshold of 14d \| days=" \
	-H "evil.$D" -I 127.0.0.1 -p "$PORT" "${CA[@]}" --check-chain -v
t_ok "the status line holds exactly one '|'" test "$(tr -cd '|' <<<"${OUT_LINES[0]}")" = "|"
t_line "-v escapes the subject and the issuer" 2 \
	"^depth 0: subject \"CN=evil\\\\x7cname\", issuer \"CN=Bad\\\\x7cCA\", "
t_ok "no '|' in the long output" test "$(printf '%s\n' "${OUT_LINES[@]:1}" | tr -cd '|')" = ""
t_check "--print-pins escapes the subject" 0 "^sha256/[A-Za-z0-9+/]{43}=  leaf: CN=evil\\\\x7cname, expires " \
	-H "evil.$D" -I 127.0.0.1 -p "$PORT" "${CA[@]}" --print-pins

# --- nothing written anywhere: neither the working directory nor TMPDIR
mkdir "$T/cwd" "$T/tmp" || bail_out "cannot make directories in $T"
cd "$T/cwd" || bail_out "cannot enter $T/cwd"
TMPDIR="$T/tmp" t_check "run from an empty directory with an empty TMPDIR" 0 "^TLS_PIN OK - $H:$PORT " \
	-H "$H" -I 127.0.0.1 -p "$PORT" "${CA[@]}" --pin-file "$T/out.pins" -vv
cd - >/dev/null || bail_out "cannot go back"
t_ok "no file was written in either" test -z "$(find "$T/cwd" "$T/tmp" -mindepth 1)"

# --- -h and -V
t_check "-h: exit 0, the name and version first" 0 "^check_tls_pin [0-9]+\.[0-9]+" -h
t_out "-h: the usage" "^Usage: check_tls_pin -H HOST "
t_check "--help: exit 0" 0 "^check_tls_pin [0-9]+\.[0-9]+" --help
t_check "-V: exit 0, the version" 0 "^check_tls_pin [0-9]+\.[0-9]+(\.[0-9]+)?" -V
t_check "--version: exit 0" 0 "^check_tls_pin [0-9]+\.[0-9]+" --version

# --- usage errors: exit 3, one status line, a hint to --help
usage() {
	local desc=$1 re=$2 why="" n=0 line
	shift 2
	run_plugin "$@"
	[[ $RC == 3 ]] || why="exit code $RC, expected 3"
	[[ ${OUT_LINES[0]:-} =~ ^TLS_PIN\ UNKNOWN\ -\ $re ]] ||
		why+="${why:+; }first line does not match: ^TLS_PIN UNKNOWN - $re"
	for line in "${OUT_LINES[@]}"; do
		[[ $line != TLS_PIN* ]] || n=$((n + 1))
	done
	((n == 1)) || why+="${why:+; }$n status lines"
	[[ ${OUT_LINES[-1]:-} == *--help* ]] || why+="${why:+; }no hint to --help at the end"
	[[ -z $ERR ]] || why+="${why:+; }output on stderr"
	tap_result "usage error: $desc" "$why"
}
usage "no arguments" "no host given" 
usage "an unknown long option" "unknown option '--bogus'" -H "$H" --bogus
usage "an unknown short option" "unknown option '-x'" -H "$H" -x
usage "-H without its value" "option '-H' needs a value" -H
usage "an argument that is no option" "unexpected argument 'extra'" -H "$H" extra
usage "a threshold that is no number" "invalid threshold 'abc'" -H "$H" -w abc
usage "a threshold with an unknown unit" "invalid threshold '10x'" -H "$H" -w 10x
usage "a negative threshold" "invalid threshold '-5'" -H "$H" -c -5
usage "a threshold in exponent notation" "invalid threshold '1e3'" -H "$H" -w 1e3
usage "a percentage above 100" "invalid threshold '101%'" -H "$H" -w 101%
usage "-C with a bad CRIT" "invalid -C '10,x'" -H "$H" -C 10,x
usage "-C together with -w" "use either -C or -w/-c" -H "$H" -C 10 -w 5
usage "port 0" "invalid port '0'" -H "$H" -p 0
usage "port 65536" "invalid port '65536'" -H "$H" -p 65536
usage "a port that is no number" "invalid port 'https'" -H "$H" -p https
usage "timeout 0" "invalid timeout '0'" -H "$H" -t 0
usage "a timeout with an unknown state" "invalid timeout state 'bogus'" -H "$H" -t 5:bogus
usage "-4 with -6" "use either -4 or -6" -H "$H" -4 -6
usage "--sni with --no-sni" "use either --sni or --no-sni" -H "$H" --sni "$H" --no-sni
usage "an IP address as --sni" "invalid --sni name '127\.0\.0\.1'" -H "$H" --sni 127.0.0.1
usage "a host name with a blank" "invalid host name 'a b'" -H "a b"
usage "a bad pin" "invalid pin 'sha256/AAAA'" -H "$H" -P sha256/AAAA

done_testing
