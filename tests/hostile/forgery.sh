#!/bin/bash
# Forged issuer links: a man in the middle who holds no pinned key serves
# his own leaf, naming a pinned certificate as its issuer, followed by that
# certificate (which is public). No such chain may make a pin match: each
# case must end CRITICAL with the served leaf's pin on the line, live with
# --no-verify, verified, and from --file without --ca-file; in chain and leaf
# scope; with -P and with --pin-file. A genuine leaf of the pinned key is the
# control that shows the same commands do say OK.
#
# Then chains whose every signature holds but that no client accepts, under
# a pinned CA Q: through a client certificate Q issued (not a CA), through a
# CA below one limited to pathlen 0, through a SHA-1 signature, through a
# CA whose RSA exponent makes each check as costly as a peer likes, and
# through a CA that has expired. Q's pin matches none of them.
#
# The forgeries, each served as LEAF + P (P: the pinned, self-signed RSA
# certificate "CN=pinned service"):
#   keytype  an ECDSA signature, by the attacker's ECDSA key: a signature
#            of another key type than P's (GnuTLS cannot even try it)
#   oid      an RSA signature by the attacker's key, its algorithm OID (both
#            copies) changed to an arc nobody knows
#   otherkey an RSA signature by the attacker's RSA key
#   aki      signed by P's own key, but naming another key as its issuer's
#            (authority key identifier): no client takes P for its issuer
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=common.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/hostile/common.sh"
h_require openssl python3

NAME=forged.test.example

# ossl FILE ARGS...: openssl ARGS, bailing out with its words on failure.
ossl() {
	openssl "$@" >/dev/null 2>"$T/openssl.err" ||
		bail_out "openssl $1: $(<"$T/openssl.err")"
}

# signer NAME KEYTYPE [req options]: a self-signed certificate $T/NAME.pem
# with P's subject on the key $T/NAME.key, to sign forged leaves with.
signer() {
	local name=$1 keytype=$2
	shift 2
	if [[ $keytype == rsa ]]; then
		ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/$name.key"
	else
		ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/$name.key"
	fi
	ossl req -x509 -key "$T/$name.key" -subj "/CN=pinned service" -days 30 -out "$T/$name.pem" "$@"
}

# leaf NAME KEYTYPE SIGNER AKI: a leaf $T/NAME.pem for $NAME, its key
# $T/NAME.key, signed by SIGNER; AKI "keyid" names the signer's key, "none"
# leaves the extension out.
leaf() {
	local name=$1 keytype=$2 by=$3 aki=$4
	if [[ $keytype == rsa ]]; then
		ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/$name.key"
	else
		ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/$name.key"
	fi
	ossl req -new -key "$T/$name.key" -subj "/CN=$NAME" -out "$T/$name.csr"
	printf 'subjectAltName=DNS:%s\nsubjectKeyIdentifier=none\nauthorityKeyIdentifier=%s\n' \
		"$NAME" "$aki" >"$T/$name.ext"
	ossl x509 -req -in "$T/$name.csr" -CA "$T/$by.pem" -CAkey "$T/$by.key" \
		-set_serial "0x$(openssl rand -hex 8)" -days 30 -extfile "$T/$name.ext" -out "$T/$name.pem"
	cat "$T/$name.pem" "$T/P.pem" >"$T/$name.chain.pem"
}

# P: the pinned certificate, self-signed, a CA (openssl req -x509's default).
ossl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=pinned service" \
	-keyout "$T/P.key" -out "$T/P.pem"
P_PIN=$(spki_b64 P)
printf 'sha256/%s  the pinned service\n' "$P_PIN" >"$T/P.pins"

signer ecdsa-signer ecdsa -addext subjectKeyIdentifier=none
signer rsa-signer rsa -addext subjectKeyIdentifier=none
# P's own key under P's name, announcing another key identifier than P's.
cp "$T/P.key" "$T/aki-signer.key"
ossl req -x509 -key "$T/aki-signer.key" -subj "/CN=pinned service" -days 30 \
	-addext "subjectKeyIdentifier=0102030405060708090a0b0c0d0e0f1011121314" -out "$T/aki-signer.pem"

leaf keytype ecdsa ecdsa-signer none
leaf oid-signed rsa rsa-signer none
# sha256WithRSAEncryption (1.2.840.113549.1.1.11) to 1.2.840.113549.1.1.127,
# in the signed part and in the outer AlgorithmIdentifier alike.
der_patch "$T/oid-signed.pem" "$T/oid.pem" \
	'b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b"' 'b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x7f"'
cp "$T/oid-signed.key" "$T/oid.key"
cat "$T/oid.pem" "$T/P.pem" >"$T/oid.chain.pem"
leaf otherkey rsa rsa-signer none
leaf aki rsa aki-signer keyid
# The control: a genuine leaf of P's key, naming it rightly.
leaf genuine rsa P keyid

# The forgeries are what they claim: issued, by name, by P.
for f in keytype oid otherkey aki genuine; do
	[[ $(openssl x509 -in "$T/$f.pem" -noout -issuer) == "issuer=CN = pinned service" ]] ||
		bail_out "$f: not named as issued by P"
done
openssl x509 -in "$T/oid.pem" -noout -text 2>/dev/null | grep -q '1\.2\.840\.113549\.1\.1\.127' ||
	bail_out "oid: the signature algorithm was not replaced"

# forged CASE: every way of asking, each CRITICAL with CASE's leaf pin.
forged() {
	local f=$1 port pin re
	pin=$(spki_b64 "$f")
	re="^TLS_PIN CRITICAL - [^|]*, key NOT pinned, served sha256/$(re_quote "$pin")[,| ]"
	# Security level 0: openssl refuses to serve a signature algorithm it does not know.
	start_server openssl -cert "$T/$f.pem" -key "$T/$f.key" -cert_chain "$T/P.pem" \
		-cipher 'DEFAULT@SECLEVEL=0'
	port=$SERVER_PORT
	h_case "$f, live, --no-verify, -P: CRITICAL" 2 "$re" \
		-H "$NAME" -I 127.0.0.1 -p "$port" --no-verify -P "sha256/$P_PIN" -t 5
	h_case "$f, live, --no-verify, --pin-file: CRITICAL" 2 "$re" \
		-H "$NAME" -I 127.0.0.1 -p "$port" --no-verify --pin-file "$T/P.pins" -t 5
	h_case "$f, live, --no-verify, --pin-scope leaf: CRITICAL" 2 "$re" \
		-H "$NAME" -I 127.0.0.1 -p "$port" --no-verify -P "sha256/$P_PIN" --pin-scope leaf -t 5
	h_case "$f, live, verified against P, -P: CRITICAL" 2 "$re" \
		-H "$NAME" -I 127.0.0.1 -p "$port" --ca-file "$T/P.pem" -P "sha256/$P_PIN" -t 5
	h_case "$f, live, verified against P, --pin-file: CRITICAL" 2 "$re" \
		-H "$NAME" -I 127.0.0.1 -p "$port" --ca-file "$T/P.pem" --pin-file "$T/P.pins" -t 5
	h_case "$f, --file, -P: CRITICAL" 2 "$re" --file "$T/$f.chain.pem" -P "sha256/$P_PIN"
	h_case "$f, --file, --pin-file: CRITICAL" 2 "$re" --file "$T/$f.chain.pem" --pin-file "$T/P.pins"
	h_case "$f, --file, --pin-scope leaf: CRITICAL" 2 "$re" \
		--file "$T/$f.chain.pem" -P "sha256/$P_PIN" --pin-scope leaf
	h_case "$f, --file verified against P: CRITICAL" 2 "$re" \
		--file "$T/$f.chain.pem" --ca-file "$T/P.pem" --pin-file "$T/P.pins" -H "$NAME"
	# -v: P is listed apart, on no path, and its pin matches nothing.
	h_run --file "$T/$f.chain.pem" -P "sha256/$P_PIN" -v
	t_out "$f, -v: P was sent, on no path" \
		"^sent as certificate 2, on no path: subject \"CN=pinned service\".*, in the pin set but not on the path$"
}

for f in keytype oid otherkey aki; do
	forged "$f"
done

# --- chains a client refuses, though every signature in them holds
# Q: a pinned CA. Each chain leads from a leaf through a certificate Q (or
# one under Q) signed to something no client takes as an issuer; without
# verification, Q's pin must not match through it.
ossl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=Pinned CA" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	-keyout "$T/Q.key" -out "$T/Q.pem"
Q_PIN=$(spki_b64 Q)

# sign NAME BY EXTENSIONS [x509 options]: $T/NAME.pem on a new key, signed by BY.
sign() {
	local name=$1 by=$2 ext=$3
	shift 3
	ossl req -new -newkey rsa:2048 -nodes -subj "/CN=$name" -keyout "$T/$name.key" -out "$T/$name.csr"
	printf '%b' "$ext" >"$T/$name.ext"
	ossl x509 -req -in "$T/$name.csr" -CA "$T/$by.pem" -CAkey "$T/$by.key" \
		-set_serial "0x$(openssl rand -hex 8)" -days 60 -extfile "$T/$name.ext" -out "$T/$name.pem" "$@"
}
LEAF_EXT='subjectAltName=DNS:forged.test.example\n'
CA_EXT='basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n'

# A client certificate Q issued (CA:FALSE, clientAuth) signing a server leaf.
sign client Q 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n'
sign via-client client "$LEAF_EXT"
# A CA Q limited to no CA below it (pathlen 0), signing a CA that signs the leaf.
sign pathlen0 Q 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\n'
sign rogue-ca pathlen0 "$CA_EXT"
sign via-pathlen rogue-ca "$LEAF_EXT"
# A CA of Q's whose signature on the leaf uses SHA-1.
sign sha1-ca Q "$CA_EXT"
sign via-sha1 sha1-ca "$LEAF_EXT" -sha1
# A CA of Q's on an RSA key with a 65-bit public exponent: each check of its
# signatures costs what a peer chooses, so it makes no link.
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	-pkeyopt rsa_keygen_pubexp:18446744073709551617 -out "$T/bigexp-ca.key"
ossl req -new -key "$T/bigexp-ca.key" -subj "/CN=bigexp-ca" -out "$T/bigexp-ca.csr"
printf '%b' "$CA_EXT" >"$T/bigexp-ca.ext"
ossl x509 -req -in "$T/bigexp-ca.csr" -CA "$T/Q.pem" -CAkey "$T/Q.key" -set_serial 77 -days 60 \
	-extfile "$T/bigexp-ca.ext" -out "$T/bigexp-ca.pem"
sign via-bigexp bigexp-ca "$LEAF_EXT"
# The control: the same shape through a plain CA of Q's.
sign plain-ca Q "$CA_EXT"
sign via-plain plain-ca "$LEAF_EXT"

# refused CASE SENT...: the leaf via-CASE and the certificates SENT above it,
# with Q: CRITICAL with the leaf's pin, live and from a file.
refused() {
	local f=$1 pin re
	shift
	pin=$(spki_b64 "via-$f")
	re="^TLS_PIN CRITICAL - [^|]*, key NOT pinned, served sha256/$(re_quote "$pin")[,| ]"
	cat "$@" "$T/Q.pem" >"$T/via-$f.sent.pem"
	cat "$T/via-$f.pem" "$T/via-$f.sent.pem" >"$T/via-$f.chain.pem"
	start_server openssl -cert "$T/via-$f.pem" -key "$T/via-$f.key" -cert_chain "$T/via-$f.sent.pem" \
		-cipher 'DEFAULT@SECLEVEL=0'
	h_case "via $f, live, --no-verify: Q's pin does not match" 2 "$re" \
		-H "$NAME" -I 127.0.0.1 -p "$SERVER_PORT" --no-verify -P "sha256/$Q_PIN" -t 5
	h_case "via $f, --file: Q's pin does not match" 2 "$re" --file "$T/via-$f.chain.pem" -P "sha256/$Q_PIN"
}
refused client "$T/client.pem"
refused pathlen "$T/rogue-ca.pem" "$T/pathlen0.pem"
refused sha1 "$T/sha1-ca.pem"
refused bigexp "$T/bigexp-ca.pem"
# A CA of Q's that expired 5 days ago (its key may have leaked since) signing
# a leaf valid now: pins above it do not match, --check-chain names it.
mk_cert old-ca --ca --issuer Q --from "-400 days" --to "-5 days" --cn "Old CA"
mk_cert via-old --issuer old-ca --san "$NAME" --cn "$NAME"
refused old "$T/old-ca.pem"
h_case "via an expired CA, --check-chain: CRITICAL, the CA named EXPIRED" 2 \
	"^TLS_PIN CRITICAL - [^|]*, depth 1 \(CN=Old CA\) EXPIRED 5d ago " \
	--file "$T/via-old.chain.pem" --check-chain
h_run --file "$T/via-old.chain.pem" -P "sha256/$Q_PIN" -v
t_out "via an expired CA, -v: Q on the path, its pin above an issuer out of its validity" \
	"^depth 2: subject \"CN=Pinned CA\".*, in the pin set but above an issuer out of its validity$"
# The pathlen case again, with two certificates its holder makes: Q's key
# under Q's name signed by rogue-ca, and rogue-ca signed by itself. Every
# link holds, and a verification of the whole path that stopped at the first
# certificate equal to its top would never see pathlen0's limit.
openssl pkey -in "$T/Q.key" -pubout -out "$T/Q.pub" 2>/dev/null || bail_out "openssl pkey"
ossl req -new -newkey rsa:2048 -nodes -subj "/CN=Pinned CA" -keyout "$T/qstar-req.key" -out "$T/qstar.csr"
printf '%b' "$CA_EXT" >"$T/qstar.ext"
ossl x509 -req -in "$T/qstar.csr" -force_pubkey "$T/Q.pub" -CA "$T/rogue-ca.pem" -CAkey "$T/rogue-ca.key" \
	-set_serial 78 -days 60 -extfile "$T/qstar.ext" -out "$T/qstar.pem"
ossl req -x509 -key "$T/rogue-ca.key" -subj "/CN=rogue-ca" -days 60 \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
	-out "$T/rogue-self.pem"
cp "$T/via-pathlen.pem" "$T/via-pathlen-copies.pem"
cp "$T/via-pathlen.key" "$T/via-pathlen-copies.key"
refused pathlen-copies "$T/rogue-ca.pem" "$T/pathlen0.pem" "$T/qstar.pem" "$T/rogue-self.pem"
# A client certificate of Q's (clientAuth only) served as the leaf.
sign via-eku Q 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:forged.test.example\n'
refused eku
# A CA of Q's on a DSA key: DSA makes no link (its checks cost what a peer chooses).
ossl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out "$T/dsa.param"
ossl genpkey -paramfile "$T/dsa.param" -out "$T/dsa-ca.key"
ossl req -new -key "$T/dsa-ca.key" -subj "/CN=dsa-ca" -out "$T/dsa-ca.csr"
printf '%b' "$CA_EXT" >"$T/dsa-ca.ext"
ossl x509 -req -in "$T/dsa-ca.csr" -CA "$T/Q.pem" -CAkey "$T/Q.key" -set_serial 79 -days 60 \
	-extfile "$T/dsa-ca.ext" -out "$T/dsa-ca.pem"
sign via-dsa dsa-ca "$LEAF_EXT"
refused dsa "$T/dsa-ca.pem"

# A name-constrained CA of Q's (forged.test.example and below) with a CA of
# its own below it: the link from that CA, itself named outside the
# constraint, holds; the leaf in the constraint matches Q's pin, one outside
# it does not.
sign nc-ca Q "${CA_EXT}nameConstraints=critical,permitted;DNS:forged.test.example\n"
sign team-ca nc-ca "$CA_EXT"
sign nc-inside team-ca "$LEAF_EXT"
sign nc-outside team-ca 'subjectAltName=DNS:elsewhere.example\n'
cat "$T/nc-inside.pem" "$T/team-ca.pem" "$T/nc-ca.pem" "$T/Q.pem" >"$T/nc-inside.chain.pem"
cat "$T/nc-outside.pem" "$T/team-ca.pem" "$T/nc-ca.pem" "$T/Q.pem" >"$T/nc-outside.chain.pem"
h_case "via a name-constrained CA and a CA below it, a leaf inside: Q's pin matches" 0 \
	"^TLS_PIN OK - [^|]*, key pinned \(depth 3\) \| days=" --file "$T/nc-inside.chain.pem" -P "sha256/$Q_PIN"
h_case "the same, a leaf outside the constraint: Q's pin does not match" 2 \
	"^TLS_PIN CRITICAL - [^|]*, key NOT pinned, served sha256/$(re_quote "$(spki_b64 nc-outside)") " \
	--file "$T/nc-outside.chain.pem" -P "sha256/$Q_PIN"

# Verified: a served copy of the anchor that has expired (cross-signed by an
# old root) hides nothing: the anchor takes its place, its pin matches.
mk_cert oldroot --ca --from "-3000 days" --to "-10 days" --cn "Old Root"
mk_cert newroot --ca --to "+3000 days" --cn "New Root"
printf 'cn = "New Root"\nca\ncert_signing_key\nactivation_date = "%s"\nexpiration_date = "%s"\n' \
	"$(tdate "-2000 days")" "$(tdate "-10 days")" >"$T/cross.tmpl"
certtool --generate-certificate --load-privkey "$T/newroot.key" --load-ca-privkey "$T/oldroot.key" \
	--load-ca-certificate "$T/oldroot.pem" --template "$T/cross.tmpl" --outfile "$T/cross.pem" \
	>/dev/null 2>"$T/certtool.err" || bail_out "certtool: $(<"$T/certtool.err")"
mk_cert issuing --ca --issuer newroot --cn "Issuing CA"
mk_cert cross-leaf --issuer issuing --cn "$NAME" --san "$NAME"
cat "$T/cross-leaf.pem" "$T/issuing.pem" "$T/cross.pem" >"$T/cross.chain.pem"
h_case "verified, an expired cross-signed copy of the anchor sent: the anchor's pin matches" 0 \
	"^TLS_PIN OK - [^|]*, key pinned \(trust anchor\) \| days=" \
	--file "$T/cross.chain.pem" --ca-file "$T/newroot.pem" -H "$NAME" -P "sha256/$(spki_b64 newroot)" --check-chain
h_run --file "$T/cross.chain.pem" --ca-file "$T/newroot.pem" -H "$NAME" -P "sha256/$(spki_b64 newroot)" -v
t_out "... -v: the copy is named for what it is" \
	"^sent as certificate 3, a copy of the trust anchor: subject \"CN=New Root\", issuer \"CN=Old Root\""

cat "$T/via-plain.pem" "$T/plain-ca.pem" "$T/Q.pem" >"$T/via-plain.chain.pem"
h_case "via a plain CA of Q's, --file: Q's pin matches (the control)" 0 \
	"^TLS_PIN OK - [^|]*, key pinned \(depth 2\) \| days=" --file "$T/via-plain.chain.pem" -P "sha256/$Q_PIN"

# --- a certificate that reads two ways
# Its version field ([0], declared 5 bytes long) holds the INTEGER 2 and then
# the first two bytes of the serial, as GnuTLS reads it: a 102-byte INTEGER
# that swallows a fake serial, four empty fields and the victim's public key.
# A reader that skips [0] by its length finds the victim's key where the
# SubjectPublicKeyInfo should be; GnuTLS, and the handshake, use the
# attacker's key further on. The pin must never be the victim's.
TWO_WAYS_PY='
import base64, re, subprocess, sys
def der(path):
    pem = open(path).read()
    return base64.b64decode(re.search(r"-----BEGIN CERTIFICATE-----(.*?)-----END", pem, re.S).group(1))
def tlv(buf, at):
    n = buf[at + 1]
    if n < 0x80:
        return at + 2, n
    k = n & 0x7f
    return at + 2 + k, int.from_bytes(buf[at + 2:at + 2 + k], "big")
def length(n):
    return bytes([n]) if n < 0x80 else b"\x82" + n.to_bytes(2, "big")
def seq(body, tag=0x30):
    return bytes([tag]) + length(len(body)) + body
real, victim, key, out = sys.argv[1:5]
cert = der(real)
start, _ = tlv(cert, 0)                 # tbsCertificate
body, size = tlv(cert, start)
tbs = cert[body:body + size]
pos = 0
fields = []
while pos < len(tbs):
    b, n = tlv(tbs, pos)
    fields.append(tbs[pos:b + n])
    pos = b + n
# fields: [0] version, serial, then signature .. extensions, as openssl wrote them
v = der(victim)
vs, _ = tlv(v, 0)
vb, vn = tlv(v, vs)
vtbs = v[vb:vb + vn]
p = 0
vf = []
while p < len(vtbs):
    b, n = tlv(vtbs, p)
    vf.append(vtbs[p:b + n])
    p = b + n
victim_spki = vf[6]
fake = b"\x02\x01\x01" + b"\x30\x00" * 4 + victim_spki
assert len(fake) < 0x80
head = b"\xa0\x05\x02\x01\x02\x02" + bytes([len(fake)]) + fake
new_tbs = seq(head + b"".join(fields[2:]))
sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=new_tbs,
                     capture_output=True, check=True).stdout
alg = cert[body + size:]
ab, an = tlv(alg, 0)
outer = seq(new_tbs + alg[:ab + an] + b"\x03" + length(len(sig) + 1) + b"\x00" + sig)
b64 = base64.b64encode(outer).decode()
open(out, "w").write("-----BEGIN CERTIFICATE-----\n" +
    "".join(b64[i:i + 64] + "\n" for i in range(0, len(b64), 64)) + "-----END CERTIFICATE-----\n")
'
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/two.key"
ossl req -x509 -key "$T/two.key" -subj "/CN=$NAME" -days 30 -addext "subjectAltName=DNS:$NAME" \
	-out "$T/two-real.pem"
ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=victim" \
	-keyout "$T/victim.key" -out "$T/victim.pem"
python3 -c "$TWO_WAYS_PY" "$T/two-real.pem" "$T/victim.pem" "$T/two.key" "$T/two.pem" 2>"$T/two.err" ||
	bail_out "cannot make the two-way certificate: $(<"$T/two.err")"
VICTIM_PIN=$(spki_b64 victim)
h_case "a certificate that reads two ways, --file: UNKNOWN, never the victim's pin" 3 \
	"^TLS_PIN UNKNOWN - [^|]*: certificate 1 in the file: cannot find its public key \|" \
	--file "$T/two.pem" -P "sha256/$VICTIM_PIN"
t_ok "... and not pinned by it" test "$(grep -c 'key pinned' <<<"$OUT")" -eq 0
start_server gnutls --x509certfile "$T/two.pem" --x509keyfile "$T/two.key"
h_case "a certificate that reads two ways, served: never the victim's pin" 2 \
	"^TLS_PIN CRITICAL - " -H "$NAME" -I 127.0.0.1 -p "$SERVER_PORT" --no-verify \
	-P "sha256/$VICTIM_PIN" -t 5
t_ok "... and not pinned by it" test "$(grep -c 'key pinned' <<<"$OUT")" -eq 0

# The control: the same questions about a leaf P did sign say OK, so the
# cases above fail for the forgery and nothing else.
re="^TLS_PIN OK - [^|]*, key pinned \(depth 1, \"the pinned service\"\) \| days="
start_server openssl -cert "$T/genuine.pem" -key "$T/genuine.key" -cert_chain "$T/P.pem"
h_case "genuine, live, --no-verify: OK" 0 "$re" \
	-H "$NAME" -I 127.0.0.1 -p "$SERVER_PORT" --no-verify --pin-file "$T/P.pins" -t 5
# Verified, P is the trust anchor, which takes the place of the copy sent.
re_anchor="^TLS_PIN OK - [^|]*, key pinned \(trust anchor, \"the pinned service\"\) \| days="
h_case "genuine, live, verified against P: OK, P as the trust anchor" 0 "$re_anchor" \
	-H "$NAME" -I 127.0.0.1 -p "$SERVER_PORT" --ca-file "$T/P.pem" --pin-file "$T/P.pins" -t 5
h_case "genuine, --file: OK" 0 "$re" --file "$T/genuine.chain.pem" --pin-file "$T/P.pins"
h_case "genuine, --file verified against P: OK, P as the trust anchor" 0 "$re_anchor" \
	--file "$T/genuine.chain.pem" --ca-file "$T/P.pem" --pin-file "$T/P.pins" -H "$NAME"
h_case "genuine, --pin-scope leaf: CRITICAL (P is no leaf)" 2 \
	"^TLS_PIN CRITICAL - [^|]*, key NOT pinned, served sha256/$(re_quote "$(spki_b64 genuine)") " \
	--file "$T/genuine.chain.pem" --pin-file "$T/P.pins" --pin-scope leaf

done_testing
