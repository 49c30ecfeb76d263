#!/bin/bash
# --file: the expiry and pin checks on a local PEM chain or DER certificate,
# verified only with --ca-file and its name only with -H; no network.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools certtool openssl

H=file.test.example

mk_cert root --ca --to "+3650 days" --cn "File Test Root"
mk_cert inter --ca --issuer root --to "+1000 days" --cn "File Test Intermediate"
mk_cert leaf --issuer inter --cn "$H"
mk_chain chain leaf inter
mk_chain anchors root inter
mk_cert otherroot --ca --cn "Other Root"
mk_cert expired --issuer inter --from "-90 days" --to "-10 days" --cn "old.test.example"
openssl x509 -in "$T/leaf.pem" -outform der -out "$T/leaf.der" ||
	bail_out "openssl cannot write DER"
printf 'this is not a certificate\n' >"$T/junk.txt"
: >"$T/empty.pem"

LEAF=$(spki_b64 leaf)
INTER=$(spki_b64 inter)
ROOT=$(spki_b64 root)
OTHER=$(spki_b64 otherroot)
CHAIN=$(re_quote "$T/chain.pem")
DER=$(re_quote "$T/leaf.der")
EXP="expires in (200d|199d 23h) \($(cert_end leaf)\)"

# --- PEM chain, no verification
t_check "PEM chain: OK, named by its path, expiry of the leaf" 0 \
	"^TLS_PIN OK - $CHAIN $EXP \| days=200\.00;30:;14:;; time=[0-9.]+s;;;0;$" \
	--file "$T/chain.pem" -v
t_out "-v: not verified without --ca-file" '^trust: not verified \(no --ca-file\)$'
t_check "PEM chain, the leaf's pin (hex): pinned" 0 \
	"^TLS_PIN OK - $CHAIN $EXP, key pinned \(leaf\) \| days=" \
	--file "$T/chain.pem" -P "$(spki_hex leaf)"
t_check "PEM chain, the intermediate's pin: pinned at depth 1" 0 \
	"^TLS_PIN OK - $CHAIN $EXP, key pinned \(depth 1\) \| days=" \
	--file "$T/chain.pem" -P "sha256/$INTER"
t_check "PEM chain, another pin: CRITICAL with the leaf's pin" 2 \
	"^TLS_PIN CRITICAL - $CHAIN $EXP, key NOT pinned, served sha256/$(re_quote "$LEAF") \| days=" \
	--file "$T/chain.pem" -P "sha256/$OTHER"
t_check "PEM chain, the root's pin without --ca-file: no anchor, CRITICAL" 2 \
	"^TLS_PIN CRITICAL - .*, key NOT pinned, served sha256/$(re_quote "$LEAF") \| days=" \
	--file "$T/chain.pem" -P "sha256/$ROOT"
t_check "PEM chain, -H without --ca-file: the name is not checked" 0 \
	"^TLS_PIN OK - $CHAIN $EXP \| days=" --file "$T/chain.pem" -H "wrong.test.example"
t_check "PEM chain, -w 250: WARNING" 1 \
	"^TLS_PIN WARNING - $CHAIN $EXP, within the warning threshold of 250d \| days=200\.00;250:;14:;; " \
	--file "$T/chain.pem" -w 250

# --- DER
t_check "DER certificate: OK" 0 "^TLS_PIN OK - $DER $EXP \| days=200\.00;" --file "$T/leaf.der"
t_check "DER certificate, its pin: pinned" 0 \
	"^TLS_PIN OK - $DER $EXP, key pinned \(leaf\) \| days=" --file "$T/leaf.der" -P "$LEAF"
t_check "DER certificate, another pin: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $DER $EXP, key NOT pinned, served sha256/$(re_quote "$LEAF") \| days=" \
	--file "$T/leaf.der" -P "sha256/$OTHER"
t_check "DER certificate verified against root and intermediate" 0 \
	"^TLS_PIN OK - $DER $EXP \| days=" --file "$T/leaf.der" --ca-file "$T/anchors.pem"
t_check "DER certificate, its intermediate missing: NOT trusted" 2 \
	"^TLS_PIN CRITICAL - $DER $EXP, NOT trusted: issuer unknown \(no trusted anchor\) \| days=" \
	--file "$T/leaf.der" --ca-file "$T/root.pem"

# --- --ca-file and -H
t_check "PEM chain, --ca-file: verified, OK" 0 "^TLS_PIN OK - $CHAIN $EXP \| days=" \
	--file "$T/chain.pem" --ca-file "$T/root.pem" -v
t_out "-v: verified against the CA file, no name" \
	"^trust: verified against $(re_quote "$T/root.pem")$"
t_check "PEM chain, --ca-file, the root's pin: pinned at the trust anchor" 0 \
	"^TLS_PIN OK - $CHAIN $EXP, key pinned \(trust anchor\) \| days=" \
	--file "$T/chain.pem" --ca-file "$T/root.pem" -P "pin-sha256:$ROOT"
t_check "PEM chain, another CA: NOT trusted" 2 \
	"^TLS_PIN CRITICAL - $CHAIN $EXP, NOT trusted: issuer unknown \(no trusted anchor\) \| days=" \
	--file "$T/chain.pem" --ca-file "$T/otherroot.pem"
t_check "PEM chain, --ca-file and -H with its name: OK" 0 \
	"^TLS_PIN OK - $CHAIN $EXP \| days=" --file "$T/chain.pem" --ca-file "$T/root.pem" -H "$H"
t_check "PEM chain, --ca-file and -H with another name: name mismatch" 2 \
	"^TLS_PIN CRITICAL - $CHAIN $EXP, NOT trusted: name mismatch \(wrong\.test\.example\) \| days=" \
	--file "$T/chain.pem" --ca-file "$T/root.pem" -H "wrong.test.example"

# --- expired
t_check "an expired certificate file: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $(re_quote "$T/expired.pem") EXPIRED 10d ago \($(cert_end expired)\) \| days=-10\.00;" \
	--file "$T/expired.pem"

# --- --print-pins
t_check "--print-pins on a file, with the anchor" 0 \
	"^sha256/$(re_quote "$LEAF")  leaf: CN=$H, expires [0-9-]{10}$" \
	--file "$T/chain.pem" --ca-file "$T/root.pem" --print-pins
t_line "--print-pins on a file: the anchor's pin, commented out" 4 \
	"^# sha256/$(re_quote "$ROOT")  trust anchor: CN=File Test Root, expires [0-9-]{10}$"
printf '%s\n' "$OUT" >"$T/printed.pins"
t_check "the printed pins as --pin-file: pinned" 0 \
	"^TLS_PIN OK - $CHAIN $EXP, key pinned \(leaf, \"leaf: CN=$H, expires [0-9-]{10}\"\) \| days=" \
	--file "$T/chain.pem" --pin-file "$T/printed.pins"

# --- bad files and options
# Like a missing pin or CA file: a usage error, found before anything runs.
t_check "a missing file: UNKNOWN, a usage error" 3 \
	"^TLS_PIN UNKNOWN - cannot open certificate file $(re_quote "$T/missing.pem"): No such file or directory$" \
	--file "$T/missing.pem"
t_line "a missing file: the usage follows, as for a missing pin file" 2 "^Usage: check_tls_pin "
t_check "a missing pin file: the same form" 3 \
	"^TLS_PIN UNKNOWN - cannot open pin file $(re_quote "$T/missing.pins"): No such file or directory$" \
	--file "$T/chain.pem" --pin-file "$T/missing.pins"
t_line "a missing pin file: the usage follows" 2 "^Usage: check_tls_pin "
t_check "a missing CA file: the same form" 3 \
	"^TLS_PIN UNKNOWN - cannot open CA file $(re_quote "$T/missing-ca.pem"): No such file or directory$" \
	--file "$T/chain.pem" --ca-file "$T/missing-ca.pem"
t_line "a missing CA file: the usage follows" 2 "^Usage: check_tls_pin "
t_check "a file without certificates: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - $(re_quote "$T/junk.txt"): no readable certificate in the file: " \
	--file "$T/junk.txt"
t_check "an empty file: UNKNOWN" 3 "^TLS_PIN UNKNOWN - $(re_quote "$T/empty.pem"): the certificate file is empty \| time=" \
	--file "$T/empty.pem"
t_check "--file with -p: usage error" 3 \
	"^TLS_PIN UNKNOWN - -p makes no sense with --file$" --file "$T/chain.pem" -p 443
t_check "--file with -I: usage error" 3 \
	"^TLS_PIN UNKNOWN - -I makes no sense with --file$" --file "$T/chain.pem" -I 127.0.0.1
t_check "--file with -t: usage error" 3 \
	"^TLS_PIN UNKNOWN - -t makes no sense with --file$" --file "$T/chain.pem" -t 5

done_testing
