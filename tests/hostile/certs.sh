#!/bin/bash
# Hostile certificates, served on loopback and read with --file: a chain of
# 50, a certificate message of 1.8 MiB, a 60 KiB extension, a 30 KB subject,
# and subjects and SANs holding '|', ';', '=', quotes, newlines, NUL bytes,
# escape sequences, bidirectional overrides and bytes that are not UTF-8.
# The plugin must answer within its bounds and print every such string
# escaped: one status line, no '|' or control byte from the certificate.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=common.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/hostile/common.sh"
h_require python3 certtool openssl

# ossl_cert NAME SUBJECT [openssl req options]: a self-signed ECDSA
# certificate $T/NAME.pem (key $T/NAME.key) made by openssl, whose -subj and
# -addext accept what certtool's template quoting cannot.
ossl_cert() {
	local name=$1 subj=$2
	shift 2
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 200 \
		-keyout "$T/$name.key" -out "$T/$name.pem" -subj "$subj" "$@" \
		>/dev/null 2>"$T/openssl.err" || bail_out "openssl cannot make $name: $(<"$T/openssl.err")"
}

# placeholder LITERAL CHAR: CHAR repeated as many times as the Python bytes
# LITERAL has bytes, to stand in its place until der_patch writes it.
placeholder() {
	python3 -c 'import ast, sys; print(sys.argv[2] * len(ast.literal_eval(sys.argv[1])))' "$1" "$2"
}

# --- long chains and big messages
mk_cert c0 --ca --to "+3650 days" --cn "Chain Root"
for ((i = 1; i < 49; i++)); do
	mk_cert "c$i" --ca --issuer "c$((i - 1))" --to "+3000 days" --cn "Chain CA $i"
done
mk_cert c49 --issuer c48 --cn chain.test.example
# leaf first, then the 49 CAs up to the root: 50 certificates
CAS=()
for ((i = 48; i >= 0; i--)); do
	CAS+=("c$i")
done
mk_chain chain50 c49 "${CAS[@]}"
mk_chain cas49 "${CAS[@]}"
# 17 and 32 certificates: the leaf and the 16 (31) CAs above it, c33 (c18) on top.
mk_chain cas16 "${CAS[@]:0:16}"
mk_chain cas31 "${CAS[@]:0:31}"
mk_chain chain17 c49 "${CAS[@]:0:16}"
mk_chain chain32 c49 "${CAS[@]:0:31}"

# A 60 KiB extension of arbitrary content (a private OID, a UTF8String).
printf '[req]\ndistinguished_name = dn\n[dn]\n[ext]\nsubjectAltName = DNS:big.test.example\n1.2.3.4 = ASN1:UTF8String:%s\n' \
	"$(printf 'x%.0s' {1..61440})" >"$T/big.cnf"
ossl_cert bigext /CN=big.test.example -config "$T/big.cnf" -extensions ext
# 30 copies of it after the leaf: a Certificate message of about 1.8 MiB.
for ((i = 0; i < 30; i++)); do cat "$T/bigext.pem"; done >"$T/bigmsg-chain.pem"

# A 30 KB subject (description has no length limit in openssl).
ossl_cert longsubj "/CN=long.test.example/description=$(printf 'y%.0s' {1..30000})|end"

# --- hostile names
# Printable specials, RFC 4514 specials, a multi-valued RDN: openssl writes them.
ossl_cert specials '/CN=pipe|semi;eq=x "dq" '"'"'sq'"'"' \\back\+plus,comma<>#/O=x=y+OU=multi|valued' \
	-multivalue-rdn -addext 'subjectAltName=DNS:pipe|x.test.example,DNS:semi;eq=x.test.example'
# Control bytes in UTF-8 strings: NUL, LF, CR, ESC, DEL, a fake status line
# and perfdata, C1 and invisible characters (U+0085, U+2028, U+202E, U+FEFF).
CN='b"a\x00b\nTLS_PIN OK - x | days=1;2\r\x1b[2J\x7f\"q\\"'
DESC='b"\xc2\x85\xe2\x80\xa8\xe2\x80\xae\xef\xbb\xbf\t|x=1"'
# A dNSName (IA5String) with NUL, '|', LF and a byte above 0x7f.
SAN='b"good.test.example\x00|\n\xff.evil"'
# A PrintableString holding what it may not: bytes above 0x7f, '|', LF.
ORG='b"\xff\xfe|\nTLS_PIN OK"'
PCN=$(placeholder "$CN" Z)
PDESC=$(placeholder "$DESC" X)
PSAN=$(placeholder "$SAN" Y)
PORG=$(placeholder "$ORG" W)
ossl_cert ctl0 "/CN=$PCN/description=$PDESC/O=$PORG" -addext "subjectAltName=DNS:$PSAN,DNS:ok.test.example"
der_patch "$T/ctl0.pem" "$T/ctl1.pem" "b\"$PCN\"" "$CN"
der_patch "$T/ctl1.pem" "$T/ctl2.pem" "b\"$PDESC\"" "$DESC"
der_patch "$T/ctl2.pem" "$T/ctl3.pem" "b\"$PSAN\"" "$SAN"
# O's tag: UTF8String (0x0c) becomes PrintableString (0x13).
der_patch "$T/ctl3.pem" "$T/ctl.pem" "b\"\\x55\\x04\\x0a\\x0c\\x0e$PORG\"" "b\"\\x55\\x04\\x0a\\x13\\x0e${ORG:2}"
cp "$T/ctl0.key" "$T/ctl.key"
# Bytes that are not UTF-8 in a UTF8String (lone continuation, overlong '/',
# a surrogate, a truncated sequence): openssl refuses to load it, so it is
# read with --file only.
BAD='b"\xff\xfe\xc0\xaf\xed\xa0\x80|\n\xe2\x82"'
PBAD=$(placeholder "$BAD" V)
ossl_cert badutf0 "/CN=$PBAD"
der_patch "$T/badutf0.pem" "$T/badutf8.pem" "b\"$PBAD\"" "$BAD"
# A BMPString of odd length and a UniversalString of 5 bytes: no such text.
ossl_cert odd0 "/CN=odd.test.example/O=bmpod/OU=unive"
der_patch "$T/odd0.pem" "$T/odd1.pem" 'b"\x55\x04\x0a\x0c\x05bmpod"' 'b"\x55\x04\x0a\x1e\x05bmpod"'
der_patch "$T/odd1.pem" "$T/oddstr.pem" 'b"\x55\x04\x0b\x0c\x05unive"' 'b"\x55\x04\x0b\x1c\x05unive"'
# A CA-signed certificate whose only dNSName is "good.test.example\0.evil.example"
# (the NUL-prefix attack), written as a raw DER extension so the signature holds.
mk_cert nulroot --ca --to "+3650 days" --cn "NUL Test Root"
NULSAN=$(python3 -c '
n = b"good.test.example\x00.evil.example"
der = b"\x30" + bytes([len(n) + 2]) + b"\x82" + bytes([len(n)]) + n
print(":".join("%02x" % b for b in der))')
printf 'subjectAltName = DER:%s\nextendedKeyUsage = serverAuth\n' "$NULSAN" >"$T/nulsan.ext"
if ! openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/nulsan.key" \
	-subj /CN=nul.test.example -out "$T/nulsan.csr" 2>"$T/openssl.err" ||
	! openssl x509 -req -in "$T/nulsan.csr" -CA "$T/nulroot.pem" -CAkey "$T/nulroot.key" \
		-CAcreateserial -days 200 -extfile "$T/nulsan.ext" -out "$T/nulsan.pem" 2>"$T/openssl.err"; then
	bail_out "openssl cannot make nulsan: $(<"$T/openssl.err")"
fi

# The same certificate, its CN rewritten after signing: the CA's signature
# no longer holds.
der_patch "$T/nulsan.pem" "$T/forged.pem" 'b"nul.test.example"' 'b"n|\n\x1b\x00.test.examp"'

# --- servers
start_server openssl -cert "$T/c49.pem" -key "$T/c49.key" -cert_chain "$T/cas49.pem"
CHAIN50=$SERVER_PORT
start_server openssl -cert "$T/c49.pem" -key "$T/c49.key" -cert_chain "$T/cas16.pem"
CHAIN17=$SERVER_PORT
start_server openssl -cert "$T/c49.pem" -key "$T/c49.key" -cert_chain "$T/cas31.pem"
CHAIN32=$SERVER_PORT
start_server openssl -cert "$T/bigext.pem" -key "$T/bigext.key" -cert_chain "$T/bigmsg-chain.pem"
BIGMSG=$SERVER_PORT
start_server openssl -cert "$T/bigext.pem" -key "$T/bigext.key"
BIGEXT=$SERVER_PORT
start_server openssl -cert "$T/longsubj.pem" -key "$T/longsubj.key"
LONGSUBJ=$SERVER_PORT
start_server openssl -cert "$T/specials.pem" -key "$T/specials.key"
SPECIALS=$SERVER_PORT
start_server openssl -cert "$T/ctl.pem" -key "$T/ctl.key"
CTL=$SERVER_PORT
start_server openssl -cert "$T/nulsan.pem" -key "$T/nulsan.key"
NULSAN_PORT=$SERVER_PORT
start_server openssl -cert "$T/forged.pem" -key "$T/nulsan.key"
FORGED=$SERVER_PORT

N="-I 127.0.0.1 -t 2"
P="[a-z.]+:[0-9]+ \(127\.0\.0\.1\)"
# -v's certificate line: depth 0, the escaped subject (and the same issuer, as
# these are self-signed), then the rest of the line.
vline() {
	printf '^depth 0: subject "%s", issuer "%s", valid ' "$(re_quote "$1")" "$(re_quote "$1")"
}
# shellcheck disable=SC2086 # $N is a list of words
{
h_case "a chain of 50 certificates: CRITICAL, refused" 2 \
	"^TLS_PIN CRITICAL - $P: the server sent 50 certificates, more than 32 \| time=" \
	-H chain.test.example $N -p "$CHAIN50" --no-verify
h_case "a chain of 50 certificates, verified against its root: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $P: [^|]+ \| time=" \
	-H chain.test.example $N -p "$CHAIN50" --ca-file "$T/c0.pem"
h_case "a chain of 50 certificates in a file: UNKNOWN, refused" 3 \
	"^TLS_PIN UNKNOWN - $(re_quote "$T/chain50.pem"): the file holds 50 certificates, more than 32 \| time=" \
	--file "$T/chain50.pem"
# A verification takes 16 certificates at most (GnuTLS's limit; before 3.8.4
# a longer chain overflowed its stack): more is CRITICAL, naming the count,
# with no verification call. Unverified checks read up to 32, the whole path.
for n in 17 32; do
	top=$((n == 17 ? 33 : 18))
	port=CHAIN$n
	h_case "a chain of $n certificates, verified against its root: CRITICAL, naming the count" 2 \
		"^TLS_PIN CRITICAL - $P expires in [^|]*, NOT trusted: $n certificates, more than the 16 a verification takes \| days=" \
		-H chain.test.example $N -p "${!port}" --ca-file "$T/c$((top - 1)).pem"
	h_case "a chain of $n certificates in a file, verified: CRITICAL, naming the count" 2 \
		"^TLS_PIN CRITICAL - [^|]*, NOT trusted: $n certificates, more than the 16 a verification takes \| days=" \
		--file "$T/chain$n.pem" --ca-file "$T/c$((top - 1)).pem"
	h_case "a chain of $n certificates, --no-verify: its top CA pinned, found $((n - 1)) links up" 0 \
		"^TLS_PIN OK - $P expires in [^|]*, key pinned \(depth $((n - 1))\) \| days=" \
		-H chain.test.example $N -p "${!port}" --no-verify -P "sha256/$(spki_b64 "c$top")"
	h_case "a chain of $n certificates in a file: its top CA pinned" 0 \
		"^TLS_PIN OK - [^|]*, key pinned \(depth $((n - 1))\) \| days=" \
		--file "$T/chain$n.pem" -P "sha256/$(spki_b64 "c$top")"
done
h_case "a certificate message of 1.8 MiB: CRITICAL, memory bounded" 2 \
	"^TLS_PIN CRITICAL - $P: [^|]+ \| time=" -H big.test.example $N -p "$BIGMSG" --no-verify
h_case "a 60 KiB extension, served: OK" 0 "^TLS_PIN OK - $P expires in " \
	-H big.test.example $N -p "$BIGEXT" --no-verify -v
t_out "-v: the 60 KiB extension's certificate line" "$(vline "CN=big.test.example")"
h_case "a 60 KiB extension, in a file: OK" 0 "^TLS_PIN OK - $(re_quote "$T/bigext.pem") expires in " \
	--file "$T/bigext.pem"
h_case "a 30 KB subject: OK, -v line cut" 0 "^TLS_PIN OK - $P expires in " \
	-H long.test.example $N -p "$LONGSUBJ" --no-verify -v
t_out "-v: the subject is cut with ..." '^depth 0: subject "description=y{100,1000}\.\.\.", issuer "'
t_ok "-v: no line is longer than 4 KiB" test "$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' <<<"$OUT")" -le 4096

h_case "subject and SANs with | ; = quotes + , < > #, served: OK" 0 "^TLS_PIN OK - $P expires in " \
	-H specials.test.example $N -p "$SPECIALS" --no-verify -v
t_out "-v: the specials escaped" \
	"$(vline 'O=x=y+OU=multi\x7cvalued,CN=pipe\x7csemi\\;eq=x \\"dq\\" '"'"'sq'"'"' \\\\back\\+plus\\,comma\\<\\>#')"
h_case "the same, verified: its SANs with | and ; are not its CN: name mismatch" 2 \
	"^TLS_PIN CRITICAL - $P expires in [^|]*, NOT trusted: name mismatch \(specials\.test\.example\) \| days=" \
	-H specials.test.example $N -p "$SPECIALS" --ca-file "$T/specials.pem"
h_case "NUL, LF, CR, ESC, DEL, a fake status line, C1 and bidi controls, served: OK" 0 \
	"^TLS_PIN OK - $P expires in " -H ctl.test.example $N -p "$CTL" --no-verify -v
t_out "-v: the control bytes escaped" \
	"$(vline 'O=\xff\xfe\x7c\x0aTLS_PIN OK,description=\xc2\x85\xe2\x80\xa8\xe2\x80\xae\xef\xbb\xbf\x09\x7cx=1,CN=#0c266100620a544c535f50494e204f4b202d2078207c20646179733d313b320d1b5b324a7f22715c')"
h_case "the same, in a file: OK" 0 "^TLS_PIN OK - $(re_quote "$T/ctl.pem") expires in " \
	--file "$T/ctl.pem" -v
h_case "bytes that are not UTF-8 in a UTF8String, in a file: OK, escaped" 0 \
	"^TLS_PIN OK - $(re_quote "$T/badutf8.pem") expires in " --file "$T/badutf8.pem" -v
t_out "-v: the bytes escaped" '^depth 0: subject "CN=[^"]*\\xff\\xfe\\xc0\\xaf\\xed\\xa0\\x80\\x7c\\x0a\\xe2\\x82", '
h_case "a BMPString of odd length and a short UniversalString, in a file" 0 \
	"^TLS_PIN OK - $(re_quote "$T/oddstr.pem") expires in " --file "$T/oddstr.pem" -v
h_case "a dNSName with a NUL, good.test.example\\0.evil.example: not that name" 2 \
	"^TLS_PIN CRITICAL - $P expires in [^|]*, NOT trusted: name mismatch \(good\.test\.example\) \| days=" \
	-H good.test.example $N -p "$NULSAN_PORT" --ca-file "$T/nulroot.pem"
h_case "the same certificate in a file, -H good.test.example: name mismatch" 2 \
	"^TLS_PIN CRITICAL - [^|]*NOT trusted: name mismatch \(good\.test\.example\) \| days=" \
	--file "$T/nulsan.pem" --ca-file "$T/nulroot.pem" -H good.test.example
h_case "a CA-signed certificate whose subject was rewritten with control bytes: NOT trusted" 2 \
	"^TLS_PIN CRITICAL - $P expires in [^|]*, NOT trusted: [^|]*signature[^|]* \| days=" \
	-H nul.test.example $N -p "$FORGED" --ca-file "$T/nulroot.pem" -v
}

# --print-pins writes a pin file: a hostile subject must stay inside its
# label. Every line is a pin with its label or a comment, the status is the
# last, as a comment, and the file reads back as that one pin.
h_run --file "$T/ctl.pem" --print-pins
t_ok "--print-pins: hostile subjects stay in their label" \
	test "$(grep -cvE '^(sha256/[A-Za-z0-9+/]{43}=  leaf: .*|# .*)$' <<<"$OUT")" -eq 0
t_ok "--print-pins: one pin, one status comment" \
	test "${#OUT_LINES[@]}" -eq 2 -a "$(grep -c '^# TLS_PIN OK - ' <<<"$OUT")" -eq 1
t_ok "--print-pins: no control byte, one '|'" \
	test "$(LC_ALL=C tr -d '\n\040-\176\200-\377' <"$T/stdout" | wc -c)" -eq 0 \
	-a "$(tr -cd '|' <"$T/stdout" | wc -c)" -eq 1
printf '%s\n' "$OUT" >"$T/ctl.pins"
h_run --file "$T/ctl.pem" --pin-file "$T/ctl.pins" --require-backup-pin
t_ok "--print-pins: the file reads back as the one pin it printed" \
	grep -q '^TLS_PIN WARNING - .*key pinned (leaf, "leaf: .*no backup pin: every pin of the set (1) is served' <<<"$OUT"

done_testing
