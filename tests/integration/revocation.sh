#!/bin/bash
# Revocation by OCSP, with real parts made at test time on loopback: a CA
# whose certificates name an OCSP responder on a local port; `openssl ocsp`
# as that responder, from an index with good and revoked entries (and
# certificates it does not know); staples made by it (and, stale, by
# mk_ocsp), served by `openssl s_server -status_file`; nginx for a responder
# that answers HTTP 500, garbage or a redirect to ftp://; a responder that
# never answers. Every verdict of an OCSP staple and of --revocation=ocsp is
# a case, must-staple with and without a valid staple, and a fleet whose
# addresses staple differently or share one answer. (crl.sh does CRLs.)
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools certtool openssl python3
find_sbin nginx >/dev/null || skip_all "nginx is not installed"
[[ -x $MK_OCSP ]] || bail_out "mk_ocsp not built: $MK_OCSP"

DATE='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC'
N=rev.test

# ---------------------------------------------------------------- servers

mkdir -p "$T/www"
head -c 3000 /dev/urandom >"$T/www/garbage.bin"
start_server nginx "$T/www"
NGINX=$SERVER_PORT
start_server silent
SILENT=$SERVER_PORT
# The responder's URL goes into the certificates, which its index lists: its
# port is chosen first, and it starts once they exist.
OCSP=$(free_port) || bail_out "no free port for the OCSP responder"
R="http://127.0.0.1:$OCSP/"

# ---------------------------------------------------------------- certificates

mk_cert ca --ca --to "+3650 days" --cn "Revocation Test Root"
# Another key under the same name, and responders the CA certified with and
# without id-kp-OCSPSigning.
mk_cert forger --ca --cn "Revocation Test Root"
mk_cert responder --issuer ca --purpose ocsp_signing_key --cn "Revocation Test Responder"
mk_cert stranger --issuer ca --cn "Revocation Test Stranger"

# leaf NAME [mk_cert options]: a server certificate for NAME.rev.test.
leaf() {
	mk_cert "$1" --issuer ca --cn "$1.$N" "${@:2}"
}
leaf good --ocsp "$R"
leaf revoked --ocsp "$R"
leaf unknown --ocsp "$R"
leaf must --ocsp "$R" --must-staple
# A responder URL so long that a GET of it would pass 255 bytes: POST.
LONG=$R$(printf 'x%.0s' {1..230})
leaf long --ocsp "$LONG"
leaf silent --ocsp "http://127.0.0.1:$SILENT/"
leaf e500 --ocsp "http://127.0.0.1:$NGINX/status500/"
leaf garbage --ocsp "http://127.0.0.1:$NGINX/garbage/"
leaf toftp --ocsp "http://127.0.0.1:$NGINX/to-ftp/"
leaf ftponly --ocsp "ftp://127.0.0.1/ocsp"
leaf none

INDEX=$T/index.txt
{
	index_line good V
	index_line revoked R keyCompromise
	index_line must V
	index_line long V
} >"$INDEX"
echo 'unique_subject = no' >"$INDEX.attr"
START_PORT=$OCSP start_server ocsp "$INDEX" ca ca
OCSP_LOG=$(server_log "$OCSP")

# asked: how many requests the responder has had.
asked() {
	grep -c 'Received request' "$OCSP_LOG"
}

# ---------------------------------------------------------------- staples

ocsp_staple good ca ca "$INDEX" s-good
ocsp_staple revoked ca ca "$INDEX" s-revoked
ocsp_staple unknown ca ca "$INDEX" s-unknown
ocsp_staple must ca ca "$INDEX" s-must
ocsp_staple good ca responder "$INDEX" s-delegated
ocsp_staple good ca stranger "$INDEX" s-stranger
ocsp_staple good ca forger "$INDEX" s-forged
"$MK_OCSP" "$T/good.pem" "$T/ca.pem" "$T/ca.pem" "$T/ca.key" good -172800 -3600 \
	>"$T/s-stale.der" || bail_out "mk_ocsp failed"
"$MK_OCSP" "$T/must.pem" "$T/ca.pem" "$T/ca.pem" "$T/ca.key" good -172800 -3600 \
	>"$T/s-must-stale.der" || bail_out "mk_ocsp failed"

# serve CERT [STAPLE]: an openssl s_server with $T/CERT.pem, stapling
# $T/STAPLE.der; its port in PORT[CERT/STAPLE].
declare -A PORT
serve() {
	local -a staple=()
	[[ -z ${2:-} ]] || staple=(-status_file "$T/$2.der")
	start_server openssl -cert "$T/$1.pem" -key "$T/$1.key" "${staple[@]}"
	PORT[$1/${2:-}]=$SERVER_PORT
}
serve good s-good
serve revoked s-revoked
serve unknown s-unknown
serve good s-stale
serve good s-forged
serve good s-delegated
serve good s-stranger
serve good s-revoked
serve must s-must
serve must
serve must s-must-stale
for c in good revoked unknown long silent e500 garbage toftp ftponly none; do
	serve "$c"
done

# check DESC RC REGEX CERT STAPLE ARGS...: t_check against the server of
# CERT stapling STAPLE, verified against the CA for CERT's name.
check() {
	local desc=$1 rc=$2 re=$3 cert=$4 staple=$5
	shift 5
	t_check "$desc" "$rc" "$re" -H "$cert.$N" -I 127.0.0.1 -p "${PORT[$cert/$staple]}" \
		--ca-file "$T/ca.pem" "$@"
}
ok_line() {
	echo "^TLS_PIN OK - $1\.$N:[0-9]+ \(127\.0\.0\.1\) expires in [^|]*, not revoked \($2\) \| "
}

# ---------------------------------------------------------------- stapled OCSP

# A leaf trusted as itself (--ca-file holds the leaf): its trust anchor is no
# issuer, so a revoked staple cannot be verified; never OK, and a must-staple
# leaf served without a staple stays CRITICAL.
t_check "a leaf that is its own trust anchor, a revoked staple: not OK, the issuer is not known" 1 \
	"^TLS_PIN WARNING - revoked\.$N:[0-9]+ [^|]*its issuer is not known" \
	-H "revoked.$N" -I 127.0.0.1 -p "${PORT[revoked/s-revoked]}" --ca-file "$T/revoked.pem"
t_check "a must-staple leaf that is its own trust anchor, no staple: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - must\.$N:[0-9]+ [^|]*must-staple" \
	-H "must.$N" -I 127.0.0.1 -p "${PORT[must/]}" --ca-file "$T/must.pem"

before=$(asked)
check "a good staple: OK, saying how it is known" 0 "$(ok_line good "OCSP staple")" good s-good -v
t_out "-v: the staple's answer, thisUpdate and nextUpdate" \
	"^revocation, leaf, OCSP staple: good, this update $DATE, next update $DATE$"
t_ok "a staple needs no traffic of its own: the responder was not asked" test "$(asked)" = "$before"
check "a good staple in TLS 1.2" 0 "$(ok_line good "OCSP staple")" good s-good \
	--priority NORMAL:-VERS-TLS1.3
check "a revoked staple: CRITICAL with the time and reason" 2 \
	"^TLS_PIN CRITICAL - revoked\.$N:[0-9]+ \(127\.0\.0\.1\) expires in [^|]*, leaf REVOKED \(OCSP staple\) on $DATE, reason keyCompromise \| " \
	revoked s-revoked
check "an unknown staple: WARNING" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation unknown: the OCSP staple says \"unknown\" \| " \
	unknown s-unknown
check "a stale staple: no answer, WARNING saying why" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation not known: OCSP staple: it is stale: its nextUpdate has passed \| " \
	good s-stale -v
t_out "-v: the stale staple's times" \
	"^revocation, leaf, OCSP staple: no answer: it is stale: its nextUpdate has passed, this update $DATE, next update $DATE$"
check "a staple signed by another key of the CA's name: no answer" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation not known: OCSP staple: signed by a responder the issuer did not certify \| " \
	good s-forged
check "a staple of a responder the CA delegated (id-kp-OCSPSigning): OK" 0 \
	"$(ok_line good "OCSP staple")" good s-delegated
check "a staple of a certificate of the CA without id-kp-OCSPSigning: no answer" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation not known: OCSP staple: signed by a responder the issuer did not delegate OCSP signing to \| " \
	good s-stranger
check "a staple about another certificate: no answer, never good" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation not known: OCSP staple: it says nothing of this certificate \| " \
	good s-revoked
check "--revocation-unavailable critical: a stale staple is CRITICAL" 2 \
	"^TLS_PIN CRITICAL - [^|]*, leaf revocation not known: OCSP staple: it is stale" \
	good s-stale --revocation-unavailable critical
check "--revocation-unavailable ok: a stale staple is OK, still said" 0 \
	"^TLS_PIN OK - [^|]*, leaf revocation not known: OCSP staple: it is stale" \
	good s-stale --revocation-unavailable ok
check "--revocation-unavailable ok: a revoked staple is still CRITICAL" 2 \
	"^TLS_PIN CRITICAL - [^|]*, leaf REVOKED \(OCSP staple\)" \
	revoked s-revoked --revocation-unavailable ok

# ---------------------------------------------------------------- must-staple

check "must-staple with a valid staple: OK" 0 "$(ok_line must "OCSP staple")" must s-must -v
t_out "-v: must-staple is said" "^revocation, leaf: must-staple \(TLS feature status_request\)$"
check "must-staple without a staple: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - must\.$N:[0-9]+ \(127\.0\.0\.1\) expires in [^|]*, leaf is must-staple, but no OCSP response was stapled \| " \
	must ""
check "must-staple with a stale staple: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - [^|]*, leaf is must-staple, but the stapled OCSP response is no answer: it is stale: its nextUpdate has passed \| " \
	must s-must-stale
check "must-staple without a staple, --revocation-unavailable ok: still CRITICAL" 2 \
	"^TLS_PIN CRITICAL - [^|]*, leaf is must-staple, but no OCSP response was stapled" \
	must "" --revocation-unavailable ok
check "must-staple without a staple, the responder says good: still CRITICAL" 2 \
	"^TLS_PIN CRITICAL - [^|]*, leaf is must-staple, but no OCSP response was stapled \| " \
	must "" --revocation=ocsp

# ---------------------------------------------------------------- --revocation=ocsp

before=$(asked)
check "--revocation=ocsp, good: OK, saying how it is known" 0 "$(ok_line good OCSP)" good "" \
	--revocation=ocsp -v
t_out "-v: the URL asked, the answer, thisUpdate and nextUpdate" \
	"^revocation, leaf, OCSP $(re_quote "$R"): good, this update $DATE, next update $DATE$"
t_ok "the responder was asked once" test "$(asked)" = $((before + 1))
t_ok "the request was a GET (RFC 6960 A.1)" grep -q 'Received request, 1st line: GET /' "$OCSP_LOG"
check "--revocation=ocsp, a responder URL too long for a GET: POSTed, OK" 0 \
	"$(ok_line long OCSP)" long "" --revocation=ocsp
t_ok "... the request was a POST" grep -q 'Received request, 1st line: POST /xxx' "$OCSP_LOG"
check "--revocation=ocsp, revoked: CRITICAL naming the responder, time and reason" 2 \
	"^TLS_PIN CRITICAL - revoked\.$N:[0-9]+ \(127\.0\.0\.1\) expires in [^|]*, leaf REVOKED \(OCSP $(re_quote "$R")\) on $DATE, reason keyCompromise \| " \
	revoked "" --revocation=ocsp
check "--revocation, unknown: WARNING" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation unknown: the OCSP $(re_quote "$R") says \"unknown\" \| " \
	unknown "" --revocation
before=$(asked)
check "--revocation with a valid staple: the staple answers" 0 "$(ok_line good "OCSP staple")" \
	good s-good --revocation
t_ok "... and the responder is not asked" test "$(asked)" = "$before"
check "--revocation=ocsp with a stale staple: the responder answers" 0 "$(ok_line good OCSP)" \
	good s-stale --revocation=ocsp -v
t_out "-v: the staple's failure" "^revocation, leaf, OCSP staple: no answer: it is stale"
t_out "-v: the responder's answer" "^revocation, leaf, OCSP $(re_quote "$R"): good, "

check "a responder that never answers: WARNING within -t" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation not known: OCSP http://127\.0\.0\.1:$SILENT/: no reply within [0-9.]+s \| " \
	silent "" --revocation=ocsp -t 2
t_ok "... within the deadline (2 s, took ${ELAPSED_MS} ms)" test "$ELAPSED_MS" -lt 3500
check "a responder answering HTTP 500: WARNING" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation not known: OCSP http://127\.0\.0\.1:$NGINX/status500/: HTTP 500 \| " \
	e500 "" --revocation=ocsp
check "a responder answering garbage: WARNING" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation not known: OCSP http://127\.0\.0\.1:$NGINX/garbage/: not an OCSP response" \
	garbage "" --revocation=ocsp
check "a redirect to ftp:// is not followed" 1 \
	"^TLS_PIN WARNING - [^|]*: a URL or redirect of a scheme other than http and https \| " \
	toftp "" --revocation=ocsp
check "an ftp:// responder only: none named, said so" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation not known: it names no OCSP responder \(http or https\) \| " \
	ftponly "" --revocation=ocsp
check "--revocation, nothing named: said so, WARNING" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation not known: it names no OCSP responder and no CRL distribution point \(http or https\) \| " \
	none "" --revocation -v
t_out "-v: why nothing was asked" \
	"^revocation, leaf: nothing asked: it names no OCSP responder and no CRL distribution point"
for st in ok:0:OK warning:1:WARNING critical:2:CRITICAL unknown:3:UNKNOWN; do
	IFS=: read -r word rc name <<<"$st"
	check "HTTP 500 with --revocation-unavailable $word: $name" "$rc" \
		"^TLS_PIN $name - [^|]*: HTTP 500 \| " e500 "" --revocation=ocsp \
		--revocation-unavailable "$word"
done
check "--revocation without -v: no revocation line" 2 "^TLS_PIN CRITICAL - " revoked "" --revocation
t_ok "... one line, one '|'" test "${#OUT_LINES[@]}" = 1 -a "$(tr -cd '|' <<<"$OUT")" = "|"

# ---------------------------------------------------------------- several addresses

if python3 -c 'import socket; socket.socket().bind(("127.0.0.2", 0))' 2>/dev/null; then
	# Two nodes of one name on one port: one staples a good response, the
	# other a stale one; then two that staple nothing, for one OCSP answer.
	start_server openssl -cert "$T/good.pem" -key "$T/good.key" -status_file "$T/s-good.der"
	P=$SERVER_PORT
	START_PORT=$P START_HOST=127.0.0.2 start_server openssl -cert "$T/good.pem" \
		-key "$T/good.key" -status_file "$T/s-stale.der"
	t_check "fleet: each address's staple judged on its own" 1 \
		"^TLS_PIN WARNING - good\.$N:$P: 2 addresses; 127\.0\.0\.2: expires in [^;|]*, leaf revocation not known: OCSP staple: it is stale" \
		-H "good.$N" -I 127.0.0.1 -I 127.0.0.2 -p "$P" --ca-file "$T/ca.pem" -v
	t_out "fleet -v: the other address is good by its staple" \
		"^127\.0\.0\.1: expires in [^|]*, not revoked \(OCSP staple\)$"
	START_HOST=127.0.0.3 start_server openssl -cert "$T/good.pem" -key "$T/good.key"
	P=$SERVER_PORT
	START_PORT=$P START_HOST=127.0.0.4 start_server openssl -cert "$T/good.pem" -key "$T/good.key"
	START_PORT=$P START_HOST=127.0.0.5 start_server openssl -cert "$T/good.pem" -key "$T/good.key"
	before=$(asked)
	t_check "fleet: three addresses, no staple, --revocation=ocsp: OK" 0 \
		"^TLS_PIN OK - good\.$N:$P: 3 addresses; earliest expiry" \
		-H "good.$N" -I 127.0.0.3 -I 127.0.0.4 -I 127.0.0.5 -p "$P" --ca-file "$T/ca.pem" \
		--revocation=ocsp -v
	t_out "fleet -v: each address good by OCSP" "^127\.0\.0\.5: expires in [^|]*, not revoked \(OCSP\)$"
	t_ok "fleet: the one OCSP answer fetched once for the three addresses" \
		test "$(asked)" = $((before + 1))
else
	t_skip "fleet: staples and one OCSP answer" "cannot bind 127.0.0.2: no 127.0.0.0/8 loopback"
fi

done_testing
