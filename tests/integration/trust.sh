#!/bin/bash
# Trust: a chain verified against --ca-file or the system store, untrusted,
# wrong name, missing intermediate, wrong key purpose, self-signed with and
# without --no-verify; against gnutls-serv and openssl s_server.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools certtool gnutls-serv openssl

D=test.example

mk_cert root --ca --to "+3650 days" --cn "Trust Test Root"
mk_cert inter --ca --issuer root --to "+1000 days" --cn "Trust Test Intermediate"
mk_cert www --issuer inter --cn "www.$D" --san "www.$D" --san "alt.$D" --san 127.0.0.1
mk_chain www.chain www inter
mk_cert otherroot --ca --to "+3650 days" --cn "Some Other Root"
mk_cert self --cn "self.$D"
mk_cert noint --issuer inter --cn "noint.$D"
mk_cert codesign --issuer inter --cn "codesign.$D" --purpose code_signing_key
mk_chain codesign.chain codesign inter

# The first certificate is the one served without (or with an unknown) SNI.
start_server gnutls \
	--x509certfile "$T/www.chain.pem" --x509keyfile "$T/www.key" \
	--x509certfile "$T/self.pem" --x509keyfile "$T/self.key" \
	--x509certfile "$T/noint.pem" --x509keyfile "$T/noint.key" \
	--x509certfile "$T/codesign.chain.pem" --x509keyfile "$T/codesign.key"
PORT=$SERVER_PORT
start_server openssl -cert "$T/www.pem" -key "$T/www.key" -cert_chain "$T/inter.pem"
OPORT=$SERVER_PORT

ROOT=$T/root.pem
SELF_PIN=$(spki_b64 self)
OTHER_PIN=$(spki_b64 otherroot)
OK="^TLS_PIN OK - "
CRIT="^TLS_PIN CRITICAL - "
# The summary of a trusted, unpinned check: expiry and perfdata, no verdict.
CLEAN="expires in [^,|]* \| days="

# --- trusted
t_check "chain verified against --ca-file: OK" 0 \
	"${OK}www\.$D:$PORT \(127\.0\.0\.1\) $CLEAN" \
	-H "www.$D" -I 127.0.0.1 -p "$PORT" --ca-file "$ROOT" -v
t_out "-v says it was verified against the CA file for the name" \
	"^trust: verified against $(re_quote "$ROOT") for www\.$D$"
t_check "-H 127.0.0.1 verified against the IP SAN, no SNI: OK" 0 \
	"${OK}127\.0\.0\.1:$PORT $CLEAN" -H 127.0.0.1 -p "$PORT" --ca-file "$ROOT"
t_check "--sni alt.$D: that name is sent and verified: OK" 0 \
	"${OK}www\.$D:$PORT \(127\.0\.0\.1\) $CLEAN" \
	-H "www.$D" -I 127.0.0.1 -p "$PORT" --sni "alt.$D" --ca-file "$ROOT"
t_check "openssl s_server with the same chain: OK" 0 \
	"${OK}www\.$D:$OPORT \(127\.0\.0\.1\) $CLEAN" \
	-H "www.$D" -I 127.0.0.1 -p "$OPORT" --ca-file "$ROOT"

# --- untrusted
t_check "another CA in --ca-file: CRITICAL, issuer unknown" 2 \
	"${CRIT}www\.$D:$PORT \(127\.0\.0\.1\) expires in [^|]*, NOT trusted: issuer unknown \(no trusted anchor\) \| days=" \
	-H "www.$D" -I 127.0.0.1 -p "$PORT" --ca-file "$T/otherroot.pem"
t_check "openssl s_server, another CA: CRITICAL" 2 \
	"${CRIT}.*, NOT trusted: issuer unknown \(no trusted anchor\) \| days=" \
	-H "www.$D" -I 127.0.0.1 -p "$OPORT" --ca-file "$T/otherroot.pem"
if [[ -s /etc/ssl/certs/ca-certificates.crt ]]; then
	t_check "the system trust store does not know the test CA: CRITICAL" 2 \
		"${CRIT}.*, NOT trusted: issuer unknown \(no trusted anchor\) \| days=" \
		-H "www.$D" -I 127.0.0.1 -p "$PORT" -v
	t_out "-v names the system trust store" \
		"^trust: NOT verified against the system trust store for www\.$D: issuer unknown"
else
	t_skip "the system trust store does not know the test CA" "no system trust store"
	t_skip "-v names the system trust store" "no system trust store"
fi
t_check "the server leaves out the intermediate: CRITICAL" 2 \
	"${CRIT}noint\.$D:$PORT \(127\.0\.0\.1\) expires in [^|]*, NOT trusted: issuer unknown \(no trusted anchor\) \| days=" \
	-H "noint.$D" -I 127.0.0.1 -p "$PORT" --ca-file "$ROOT"
t_check "a code signing certificate: CRITICAL, not for TLS servers" 2 \
	"${CRIT}codesign\.$D:$PORT .*, NOT trusted: not valid for TLS server use \| days=" \
	-H "codesign.$D" -I 127.0.0.1 -p "$PORT" --ca-file "$ROOT"

# --- wrong name
t_check "a name the certificate does not carry: CRITICAL, name mismatch" 2 \
	"${CRIT}wrong\.$D:$PORT \(127\.0\.0\.1\) expires in [^|]*, NOT trusted: name mismatch \(wrong\.$D\) \| days=" \
	-H "wrong.$D" -I 127.0.0.1 -p "$PORT" --ca-file "$ROOT" -v
t_out "-v gives the reason on the trust line" \
	"^trust: NOT verified against .* for wrong\.$D: name mismatch \(wrong\.$D\)$"
t_check "wrong name with --no-verify: OK" 0 \
	"${OK}wrong\.$D:$PORT \(127\.0\.0\.1\) $CLEAN" \
	-H "wrong.$D" -I 127.0.0.1 -p "$PORT" --no-verify -v
t_out "-v says it was not verified" '^trust: not verified \(--no-verify\)$'
t_check "--sni with a name the certificate lacks: CRITICAL" 2 \
	"${CRIT}.*, NOT trusted: name mismatch \(other\.$D\) \| days=" \
	-H "www.$D" -I 127.0.0.1 -p "$PORT" --sni "other.$D" --ca-file "$ROOT"

# --- self-signed
t_check "self-signed, verified: CRITICAL" 2 \
	"${CRIT}self\.$D:$PORT \(127\.0\.0\.1\) expires in [^|]*, NOT trusted: issuer unknown \(no trusted anchor\) \| days=" \
	-H "self.$D" -I 127.0.0.1 -p "$PORT" --ca-file "$ROOT"
t_check "self-signed, --no-verify: OK" 0 \
	"${OK}self\.$D:$PORT \(127\.0\.0\.1\) $CLEAN" \
	-H "self.$D" -I 127.0.0.1 -p "$PORT" --no-verify
t_check "self-signed, --no-verify, its pin: OK, pinned" 0 \
	"${OK}self\.$D:$PORT \(127\.0\.0\.1\) expires in [^,|]*, key pinned \(leaf\) \| days=" \
	-H "self.$D" -I 127.0.0.1 -p "$PORT" --no-verify -P "sha256/$SELF_PIN"
t_check "self-signed, --no-verify, another pin: CRITICAL, pins still checked" 2 \
	"${CRIT}self\.$D:$PORT \(127\.0\.0\.1\) expires in [^,|]*, key NOT pinned, served sha256/$(re_quote "$SELF_PIN") \| days=" \
	-H "self.$D" -I 127.0.0.1 -p "$PORT" --no-verify -P "sha256/$OTHER_PIN"
t_check "self-signed, verified and pinned: CRITICAL for the trust alone" 2 \
	"${CRIT}.*, key pinned \(leaf\), NOT trusted: issuer unknown \(no trusted anchor\) \| days=" \
	-H "self.$D" -I 127.0.0.1 -p "$PORT" --ca-file "$ROOT" -P "sha256/$SELF_PIN"

# --- the CA file itself
t_check "a missing --ca-file: a usage error before any connection" 3 \
	"^TLS_PIN UNKNOWN - cannot open CA file $(re_quote "$T")/missing\.pem: No such file or directory$" \
	-H "www.$D" -I 127.0.0.1 -p "$PORT" --ca-file "$T/missing.pem"
echo "no certificates here" >"$T/empty-ca.pem"
t_check "a --ca-file without anchors: UNKNOWN for the trust, the rest still reported" 3 \
	"^TLS_PIN UNKNOWN - www\.$D:$PORT \(127\.0\.0\.1\) expires in [^|]*, trust not verified: cannot load CA file $(re_quote "$T")/empty-ca\.pem: [^|]+ \| days=" \
	-H "www.$D" -I 127.0.0.1 -p "$PORT" --ca-file "$T/empty-ca.pem"
t_check "... and a wrong pin still makes it CRITICAL (CRITICAL outranks UNKNOWN)" 2 \
	"^TLS_PIN CRITICAL - [^|]*, key NOT pinned, served sha256/[^|]*, trust not verified: " \
	-H "www.$D" -I 127.0.0.1 -p "$PORT" --ca-file "$T/empty-ca.pem" \
	-P sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
t_check "--ca-file with --no-verify: usage error" 3 \
	"^TLS_PIN UNKNOWN - use either --ca-file or --no-verify, not both$" \
	-H "www.$D" -I 127.0.0.1 -p "$PORT" --ca-file "$ROOT" --no-verify

done_testing
