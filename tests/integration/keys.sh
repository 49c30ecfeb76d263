#!/bin/bash
# Leaf key types: RSA, ECDSA (P-256, P-384) and Ed25519, served by gnutls-serv
# and openssl s_server. The plugin's pin of each must equal openssl's, and -v
# must name the key. --priority picks the RSA or the ECDSA certificate of a
# dual-certificate server.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools certtool gnutls-serv openssl

D=test.example

mk_cert root --ca --to "+3650 days" --cn "Key Test Root"
mk_cert rsa --issuer root --key rsa --cn "rsa.$D"
mk_cert ecdsa --issuer root --key ecdsa --cn "ecdsa.$D"
mk_cert ecdsa384 --issuer root --key ecdsa384 --cn "ecdsa384.$D"
mk_cert ed25519 --issuer root --key ed25519 --cn "ed25519.$D"
# One name, two keys: the server picks by the client's signature algorithms.
mk_cert dualrsa --issuer root --key rsa --cn "dual.$D"
mk_cert dualec --issuer root --key ecdsa --cn "dual.$D"
mk_cert unrelated --cn "unrelated.$D"

args=()
for c in rsa ecdsa ecdsa384 ed25519; do
	args+=(--x509certfile "$T/$c.pem" --x509keyfile "$T/$c.key")
done
start_server gnutls "${args[@]}"
PORT=$SERVER_PORT
start_server gnutls --x509certfile "$T/dualec.pem" --x509keyfile "$T/dualec.key" \
	--x509certfile "$T/dualrsa.pem" --x509keyfile "$T/dualrsa.key"
DPORT=$SERVER_PORT
start_server openssl -cert "$T/rsa.pem" -key "$T/rsa.key"
RSA_OPORT=$SERVER_PORT
start_server openssl -cert "$T/ed25519.pem" -key "$T/ed25519.key"
ED_OPORT=$SERVER_PORT

UNRELATED=$(spki_b64 unrelated)

# key_cases CERT PORT SERVER KEYTEXT: the pin and the key description of one
# leaf key type behind one server.
key_cases() {
	local c=$1 port=$2 server=$3 keytext=$4 b64 hex
	b64=$(spki_b64 "$c")
	hex=$(spki_hex "$c")
	t_check "$keytext leaf ($server): its openssl pin matches" 0 \
		"^TLS_PIN OK - $c\.$D:$port \(127\.0\.0\.1\) expires in [^,|]*, key pinned \(leaf\) \| days=" \
		-H "$c.$D" -I 127.0.0.1 -p "$port" --ca-file "$T/root.pem" -P "sha256/$b64" -v
	t_line "$keytext leaf ($server): -v names the key and the pin" 2 \
		"^depth 0: subject \"CN=$c\.$D\", issuer \"CN=Key Test Root\", .*, sha256/$(re_quote "$b64"), $keytext, ECDSA-SHA256, pinned$"
	t_check "$keytext leaf ($server): the hex pin matches" 0 \
		"^TLS_PIN OK - .*, key pinned \(leaf\) \| days=" \
		-H "$c.$D" -I 127.0.0.1 -p "$port" --ca-file "$T/root.pem" -P "$hex"
	t_check "$keytext leaf ($server): another pin, the served one is openssl's" 2 \
		"^TLS_PIN CRITICAL - $c\.$D:$port \(127\.0\.0\.1\) expires in [^,|]*, key NOT pinned, served sha256/$(re_quote "$b64") \| days=" \
		-H "$c.$D" -I 127.0.0.1 -p "$port" --ca-file "$T/root.pem" -P "sha256/$UNRELATED"
}

key_cases rsa "$PORT" gnutls-serv "RSA 2048"
key_cases ecdsa "$PORT" gnutls-serv "ECDSA P-256"
key_cases ecdsa384 "$PORT" gnutls-serv "ECDSA P-384"
key_cases ed25519 "$PORT" gnutls-serv "Ed25519"
key_cases rsa "$RSA_OPORT" "openssl s_server" "RSA 2048"
key_cases ed25519 "$ED_OPORT" "openssl s_server" "Ed25519"

# --- --priority on a dual-certificate server
DUALRSA=$(spki_b64 dualrsa)
DUALEC=$(spki_b64 dualec)
dual() {
	local desc=$1 rc=$2 re=$3
	shift 3
	t_check "$desc" "$rc" "$re" -H "dual.$D" -I 127.0.0.1 -p "$DPORT" \
		--ca-file "$T/root.pem" "$@"
}
dual "dual certificates, RSA signatures only: the RSA key is served" 0 \
	"^TLS_PIN OK - dual\.$D:$DPORT \(127\.0\.0\.1\) expires in [^,|]*, key pinned \(leaf\) \| days=" \
	-P "sha256/$DUALRSA" \
	--priority "NORMAL:-SIGN-ALL:+SIGN-RSA-PSS-RSAE-SHA256:+SIGN-RSA-SHA256"
dual "dual certificates, ECDSA signatures only: the ECDSA key is served" 0 \
	"^TLS_PIN OK - .*, key pinned \(leaf\) \| days=" \
	-P "sha256/$DUALEC" --priority "NORMAL:-SIGN-ALL:+SIGN-ECDSA-SECP256R1-SHA256"
dual "dual certificates, RSA only, the ECDSA pin: CRITICAL, served RSA" 2 \
	"^TLS_PIN CRITICAL - .*, key NOT pinned, served sha256/$(re_quote "$DUALRSA") \| days=" \
	-P "sha256/$DUALEC" \
	--priority "NORMAL:-SIGN-ALL:+SIGN-RSA-PSS-RSAE-SHA256:+SIGN-RSA-SHA256"
dual "--priority limited to TLS 1.2" 0 "^TLS_PIN OK - dual\.$D:$DPORT " \
	--priority "NORMAL:-VERS-ALL:+VERS-TLS1.2" -v
t_out "-v reports TLS 1.2" "^TLS: TLS1\.2, "
dual "an invalid --priority: UNKNOWN naming it" 3 \
	"^TLS_PIN UNKNOWN - .*invalid --priority 'NORMAL:\+NOTHING-SUCH'" \
	--priority "NORMAL:+NOTHING-SUCH"

# --- RSA-PSS with parameters: the pin is the hash of the SubjectPublicKeyInfo
# exactly as the certificate encodes it, as the openssl pipeline computes it
openssl req -x509 -newkey rsa-pss -pkeyopt rsa_keygen_bits:2048 \
	-pkeyopt rsa_pss_keygen_md:sha256 -pkeyopt rsa_pss_keygen_mgf1_md:sha256 \
	-pkeyopt rsa_pss_keygen_saltlen:32 -nodes -keyout "$T/pss.key" -out "$T/pss.pem" \
	-subj "/CN=pss.$D" -days 30 2>/dev/null || bail_out "openssl cannot make an RSA-PSS certificate"
PSS=$(spki_b64 pss)
t_check "RSA-PSS key with parameters: the openssl pin matches" 0 \
	"^TLS_PIN OK - $(re_quote "$T/pss.pem") expires in [^|]*, key pinned \(leaf\) \| days=" \
	--file "$T/pss.pem" -P "sha256/$PSS"
t_check "RSA-PSS: -v names the key" 0 "^TLS_PIN OK - " --file "$T/pss.pem" -P "sha256/$PSS" -v
t_out "RSA-PSS: -v shows RSA-PSS 2048" ", RSA-PSS 2048, "

done_testing
