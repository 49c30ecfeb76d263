#!/bin/bash
# Revocation by CRL, with real parts made at test time on loopback: a root
# and an intermediate whose certificates name CRL distribution points on a
# local nginx; CRLs made by `openssl ca` (valid, with revoked entries, signed
# by another key of the CA's name, stale) and a file over the size cap; an
# OCSP responder that fails, for --revocation=any's fall-back to the CRL.
# Every CRL verdict is a case, --check-chain's intermediate, --crl-cache
# (reuse, expiry, a damaged file) and one CRL for several addresses.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools certtool openssl python3 sha256sum cmp
find_sbin nginx >/dev/null || skip_all "nginx is not installed"

DATE='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC'
N=crl.test
W=$T/www
mkdir -p "$W"
start_server nginx "$W"
NGINX=$SERVER_PORT
U="http://127.0.0.1:$NGINX"
ACCESS=$T/nginx.$NGINX/access.log
start_server silent
SILENT=$SERVER_PORT

# fetched PATH: how many times nginx has served PATH.
fetched() {
	grep -c "\"GET $1 HTTP" "$ACCESS"
}

# ---------------------------------------------------------------- certificates

mk_cert ca --ca --to "+3650 days" --cn "CRL Test Root"
mk_cert forger --ca --cn "CRL Test Root"
mk_cert inter --ca --issuer ca --cn "CRL Test Intermediate" --crl "$U/ca.crl"
mk_cert inter-bad --ca --issuer ca --cn "CRL Test Revoked Intermediate" --crl "$U/ca.crl"

# leaf NAME [mk_cert options]: a server certificate for NAME.crl.test.
leaf() {
	mk_cert "$1" --cn "$1.$N" "${@:2}"
}
leaf good --issuer ca --crl "$U/ca.crl"
leaf revoked --issuer ca --crl "$U/ca.crl"
leaf forged --issuer ca --crl "$U/forged.crl"
leaf stale --issuer ca --crl "$U/stale.crl"
leaf big --issuer ca --crl "$U/big.crl"
leaf e500 --issuer ca --crl "$U/status500/ca.crl"
leaf e404 --issuer ca --crl "$U/missing.crl"
leaf any --issuer ca --ocsp "$U/status500/" --crl "$U/ca.crl"
leaf slow --issuer ca --ocsp "http://127.0.0.1:$SILENT/" --crl "$U/ca.crl"
leaf cached --issuer ca --crl "$U/cache.crl"
leaf chained --issuer inter --crl "$U/inter.crl"
leaf chained-bad --issuer inter-bad --crl "$U/inter-bad.crl"

# ---------------------------------------------------------------- CRLs

{
	index_line revoked R keyCompromise
	index_line inter-bad R CACompromise
} >"$T/ca.db"
: >"$T/empty.db"
crl_make ca "$T/ca.db" ca
crl_make forger "$T/ca.db" forged
crl_make ca "$T/ca.db" stale "-2 days" "-1 day"
crl_make inter "$T/empty.db" inter
crl_make inter-bad "$T/empty.db" inter-bad
for c in ca forged stale inter inter-bad; do
	cp "$T/$c.crl" "$W/$c.crl"
done
cp "$T/ca.crl" "$W/cache.crl"
head -c $((17 * 1024 * 1024)) /dev/zero >"$W/big.crl"

# ---------------------------------------------------------------- servers

declare -A PORT
for c in good revoked forged stale big e500 e404 any slow cached; do
	start_server openssl -cert "$T/$c.pem" -key "$T/$c.key"
	PORT[$c]=$SERVER_PORT
done
for c in chained chained-bad; do
	start_server openssl -cert "$T/$c.pem" -key "$T/$c.key" -cert_chain "$T/${c/chained/inter}.pem"
	PORT[$c]=$SERVER_PORT
done

# check DESC RC REGEX CERT ARGS...: t_check against the server of CERT,
# verified against the root for CERT's name.
check() {
	local desc=$1 rc=$2 re=$3 cert=$4
	shift 4
	t_check "$desc" "$rc" "$re" -H "$cert.$N" -I 127.0.0.1 -p "${PORT[$cert]}" \
		--ca-file "$T/ca.pem" "$@"
}

# ---------------------------------------------------------------- verdicts

check "a CRL without the certificate: OK, saying how it is known" 0 \
	"^TLS_PIN OK - good\.$N:[0-9]+ \(127\.0\.0\.1\) expires in [^|]*, not revoked \(CRL\) \| " \
	good --revocation=crl -v
t_out "-v: the CRL's URL, answer, thisUpdate and nextUpdate" \
	"^revocation, leaf, CRL $(re_quote "$U/ca.crl"): good, this update $DATE, next update $DATE$"
check "a CRL listing the certificate: CRITICAL with the time and reason" 2 \
	"^TLS_PIN CRITICAL - revoked\.$N:[0-9]+ \(127\.0\.0\.1\) expires in [^|]*, leaf REVOKED \(CRL $(re_quote "$U/ca.crl")\) on $DATE, reason keyCompromise \| " \
	revoked --revocation=crl
check "a CRL signed by another key of the CA's name: no answer" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation not known: CRL $(re_quote "$U/forged.crl"): its signature does not verify \| " \
	forged --revocation=crl
check "a stale CRL: no answer" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation not known: CRL $(re_quote "$U/stale.crl"): it is stale: its nextUpdate has passed \| " \
	stale --revocation=crl
check "a CRL over 16 MiB: no answer" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation not known: CRL $(re_quote "$U/big.crl"): the reply is larger than 16384 KiB \| " \
	big --revocation=crl
check "HTTP 500: no answer" 1 "^TLS_PIN WARNING - [^|]*: HTTP 500 \| " e500 --revocation=crl
check "HTTP 404: no answer" 1 "^TLS_PIN WARNING - [^|]*: HTTP 404 \| " e404 --revocation=crl
check "--revocation=crl, stale, --revocation-unavailable unknown: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - [^|]*: it is stale" stale --revocation=crl --revocation-unavailable unknown
check "--revocation=ocsp of a certificate with a CRL only: none named, said so" 1 \
	"^TLS_PIN WARNING - [^|]*, leaf revocation not known: it names no OCSP responder \(http or https\) \| " \
	good --revocation=ocsp
check "--revocation: an OCSP responder answering 500, then the CRL: OK" 0 \
	"^TLS_PIN OK - [^|]*, not revoked \(CRL\) \| " any --revocation -v
t_out "-v: the responder's failure" "^revocation, leaf, OCSP $(re_quote "$U/status500/"): no answer: HTTP 500$"
t_out "-v: the CRL's answer" "^revocation, leaf, CRL $(re_quote "$U/ca.crl"): good, "
check "--revocation: a silent responder leaves the CRL its share of -t" 0 \
	"^TLS_PIN OK - [^|]*, not revoked \(CRL\) \| " slow --revocation -t 4 -v
t_out "-v: the responder had half of the time" \
	"^revocation, leaf, OCSP http://127\.0\.0\.1:$SILENT/: no answer: no reply within (1\.9|2\.0)s$"
t_ok "... all within -t (4 s, took ${ELAPSED_MS} ms)" test "$ELAPSED_MS" -lt 5000

# ---------------------------------------------------------------- --check-chain

check "--check-chain: the intermediate by the root's CRL, the leaf by its own" 0 \
	"^TLS_PIN OK - [^|]*, not revoked \(leaf: CRL, depth 1: CRL\) \| " chained --revocation=crl \
	--check-chain -v
t_out "-v: the intermediate's CRL" "^revocation, depth 1, CRL $(re_quote "$U/ca.crl"): good, "
check "--check-chain: a revoked intermediate is CRITICAL, named" 2 \
	"^TLS_PIN CRITICAL - [^|]*, depth 1 REVOKED \(CRL $(re_quote "$U/ca.crl")\) on $DATE, reason cACompromise \| " \
	chained-bad --revocation=crl --check-chain
check "without --check-chain, only the leaf" 0 "^TLS_PIN OK - [^|]*, not revoked \(CRL\) \| " \
	chained-bad --revocation=crl

# ---------------------------------------------------------------- --crl-cache

CACHE=$T/cache
mkdir -p "$CACHE"
ENTRY=$CACHE/crl-$(printf '%s' "$U/cache.crl" | sha256sum | cut -d' ' -f1).der
check "--crl-cache, first run: downloaded" 0 "^TLS_PIN OK - [^|]*, not revoked \(CRL\) \| " \
	cached --revocation=crl --crl-cache "$CACHE"
t_ok "... once" test "$(fetched /cache.crl)" = 1
t_ok "... and kept, named after the URL's SHA-256, as served" cmp -s "$ENTRY" "$W/cache.crl"
t_ok "... with no temporary file left" test "$(find "$CACHE" -type f | wc -l)" = 1
check "--crl-cache, second run: reused" 0 "^TLS_PIN OK - [^|]*, not revoked \(CRL\) \| " \
	cached --revocation=crl --crl-cache "$CACHE" -v
t_out "-v: from the cache" "^revocation, leaf, CRL $(re_quote "$U/cache.crl") \(from --crl-cache\): good, "
t_ok "... not downloaded again" test "$(fetched /cache.crl)" = 1
printf 'not a CRL' >"$ENTRY"
check "--crl-cache, a damaged entry: downloaded again, never trusted" 0 \
	"^TLS_PIN OK - [^|]*, not revoked \(CRL\) \| " cached --revocation=crl --crl-cache "$CACHE"
t_ok "... downloaded" test "$(fetched /cache.crl)" = 2
t_ok "... and the entry replaced" cmp -s "$ENTRY" "$W/cache.crl"
cp "$T/stale.crl" "$ENTRY"
check "--crl-cache, an entry past its nextUpdate: downloaded again" 0 \
	"^TLS_PIN OK - [^|]*, not revoked \(CRL\) \| " cached --revocation=crl --crl-cache "$CACHE"
t_ok "... downloaded" test "$(fetched /cache.crl)" = 3
t_ok "... and the entry replaced" cmp -s "$ENTRY" "$W/cache.crl"
cp "$T/revoked.pem" "$ENTRY"
cp "$T/stale.crl" "$W/cache.crl"
check "--crl-cache, a bad entry and a stale download: no answer" 1 \
	"^TLS_PIN WARNING - [^|]*: it is stale" cached --revocation=crl --crl-cache "$CACHE"
t_ok "... and nothing stale is kept" cmp -s "$ENTRY" "$T/revoked.pem"
check "--crl-cache with --revocation=ocsp: a usage error" 3 \
	"^TLS_PIN UNKNOWN - --crl-cache needs --revocation crl or any$" cached --revocation=ocsp \
	--crl-cache "$CACHE"
check "--crl-cache that is no directory: a usage error" 3 \
	"^TLS_PIN UNKNOWN - --crl-cache $(re_quote "$T/ca.pem"): not a directory$" cached \
	--revocation --crl-cache "$T/ca.pem"

# ---------------------------------------------------------------- several addresses

if python3 -c 'import socket; socket.socket().bind(("127.0.0.2", 0))' 2>/dev/null; then
	START_HOST=127.0.0.2 start_server openssl -cert "$T/good.pem" -key "$T/good.key"
	P=$SERVER_PORT
	START_PORT=$P START_HOST=127.0.0.3 start_server openssl -cert "$T/good.pem" -key "$T/good.key"
	before=$(fetched /ca.crl)
	t_check "fleet: two addresses, one CRL: OK" 0 "^TLS_PIN OK - good\.$N:$P: 2 addresses; " \
		-H "good.$N" -I 127.0.0.2 -I 127.0.0.3 -p "$P" --ca-file "$T/ca.pem" --revocation=crl -v
	t_out "fleet -v: each address good by the CRL" "^127\.0\.0\.3: expires in [^|]*, not revoked \(CRL\)$"
	t_ok "fleet: the CRL downloaded once for both" test "$(fetched /ca.crl)" = $((before + 1))
else
	t_skip "fleet: one CRL for several addresses" "cannot bind 127.0.0.2: no 127.0.0.0/8 loopback"
fi

done_testing
