#!/bin/bash
# The anchor index (plugins/anchors.c) changes how anchors are loaded, never
# the verdict: for trusted, untrusted, cross-signed and expired-intermediate
# chains, and for every anchor of the system store, the trust module's
# verdict through the index equals its verdict with every anchor loaded by
# GnuTLS, and so do the anchors each list holds under the chain's names
# (trust_verdict prints both). Each case also states the verdict it expects,
# so that two equally wrong answers fail too.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools certtool openssl
VERDICT=${TESTS_BUILDDIR:-$(dirname "$PLUGIN")/../tests}/integration/trust_verdict
[[ -x $VERDICT ]] || bail_out "not built: $VERDICT"
SYSTEM=/etc/ssl/certs/ca-certificates.crt
[[ -r $SYSTEM ]] || skip_all "no system trust store at $SYSTEM (package ca-certificates)"
H=anchors.test.example

# t_verdict DESC EXPECT CA NAME CHAIN...: the index and the full load agree
# on every chain, and the first chain's verdict matches the regex EXPECT.
t_verdict() {
	local desc=$1 expect=$2 why=""
	shift 2
	CMD="$VERDICT $*"
	OUT=$("$VERDICT" "$@" 2>&1)
	RC=$?
	ERR=""
	[[ $RC == 0 ]] || why="the index and the full load differ (exit $RC)"
	if ! [[ $(sed -n 2p <<<"$OUT") =~ ^\ \ index\ $expect ]]; then
		why+="${why:+; }first verdict does not match: $expect"
	fi
	tap_result "$desc" "$why"
}

# A file of anchors as a CA bundle is: the system's, with ours among them.
bundle() {
	local out=$1 c
	shift
	cp "$SYSTEM" "$T/$out.pem"
	for c in "$@"; do
		cat "$T/$c.pem" >>"$T/$out.pem"
	done
}

# ---------------------------------------------------------------- trusted
mk_cert root-a --ca --to "+3650 days" --cn "Anchors Root A"
mk_cert inter-a --ca --issuer root-a --cn "Anchors CA A"
mk_cert leaf-a --issuer inter-a --cn "$H"
mk_chain chain-a leaf-a inter-a
# An anchor with the same name and another key, ahead of the real one.
mk_cert decoy-a --ca --to "+3650 days" --cn "Anchors Root A"
bundle trust-a decoy-a root-a

t_verdict "trusted chain: same verdict, trusted, anchor found" \
	"OK status=0x0 anchor=CN=Anchors Root A reason=\$" "$T/trust-a.pem" "$H" "$T/chain-a.pem"
t_verdict "trusted chain, wrong name: same verdict" "CRITICAL status=0x[0-9a-f]+ anchor=- reason=name mismatch" \
	"$T/trust-a.pem" other.example "$T/chain-a.pem"
t_verdict "trusted chain without a name: same verdict" "OK status=0x0" "$T/trust-a.pem" - "$T/chain-a.pem"
# The server also sends the root: GnuTLS drops a presented self-signed top.
mk_chain chain-a-root leaf-a inter-a root-a
t_verdict "chain that includes its root: same verdict" "OK status=0x0 anchor=CN=Anchors Root A" \
	"$T/trust-a.pem" "$H" "$T/chain-a-root.pem"
# The intermediate itself is an anchor: the path ends there.
bundle trust-inter inter-a
t_verdict "intermediate as the anchor: same verdict" "OK status=0x0 anchor=CN=Anchors CA A" \
	"$T/trust-inter.pem" "$H" "$T/chain-a.pem"

# ---------------------------------------------------------------- untrusted
mk_cert root-b --ca --to "+3650 days" --cn "Anchors Root B"
mk_cert inter-b --ca --issuer root-b --cn "Anchors CA B"
mk_cert leaf-b --issuer inter-b --cn "$H"
mk_chain chain-b leaf-b inter-b
t_verdict "untrusted chain: same verdict, not trusted" \
	"CRITICAL status=0x[0-9a-f]+ anchor=- reason=issuer unknown" "$T/trust-a.pem" "$H" "$T/chain-b.pem"
# Only the decoy of the same name is an anchor: names match, keys do not.
bundle trust-decoy decoy-a
t_verdict "anchor of the same name but another key: same verdict, not trusted" \
	"CRITICAL status=0x[0-9a-f]+ anchor=- " "$T/trust-decoy.pem" "$H" "$T/chain-a.pem"
mk_cert self --cn "$H" --to "+90 days"
t_verdict "self-signed server certificate: same verdict, not trusted" "CRITICAL status=0x[0-9a-f]+" \
	"$T/trust-a.pem" "$H" "$T/self.pem"
bundle trust-self self
t_verdict "self-signed server certificate that is an anchor: same verdict, trusted" \
	"OK status=0x0" "$T/trust-self.pem" "$H" "$T/self.pem"

# ---------------------------------------------------------------- cross-signed
# New root N (self-signed) and the same root cross-signed by old root O: the
# server sends leaf, intermediate and the cross-signed N.
mk_cert root-o --ca --to "+3650 days" --cn "Anchors Old Root"
mk_cert root-n --ca --to "+3650 days" --cn "Anchors New Root"
certtool --generate-certificate --load-privkey "$T/root-n.key" --template "$T/root-n.tmpl" \
	--load-ca-certificate "$T/root-o.pem" --load-ca-privkey "$T/root-o.key" \
	--outfile "$T/root-n-by-o.pem" >/dev/null 2>&1 || bail_out "certtool cannot cross-sign"
mk_cert inter-n --ca --issuer root-n --cn "Anchors CA N"
mk_cert leaf-n --issuer inter-n --cn "$H"
mk_chain chain-x leaf-n inter-n root-n-by-o
bundle trust-old root-o
bundle trust-new root-n
bundle trust-both root-o root-n
t_verdict "cross-signed chain, old root the anchor: same verdict, trusted" "OK status=0x0 anchor=CN=Anchors Old Root" \
	"$T/trust-old.pem" "$H" "$T/chain-x.pem"
t_verdict "cross-signed chain, new root the anchor: same verdict, trusted" "OK status=0x0 anchor=CN=Anchors New Root" \
	"$T/trust-new.pem" "$H" "$T/chain-x.pem"
t_verdict "cross-signed chain, both roots anchors: same verdict, trusted" "OK status=0x0 anchor=CN=Anchors " \
	"$T/trust-both.pem" "$H" "$T/chain-x.pem"
t_verdict "cross-signed chain, neither root an anchor: same verdict, not trusted" \
	"CRITICAL status=0x[0-9a-f]+ anchor=- " "$T/trust-a.pem" "$H" "$T/chain-x.pem"

# ---------------------------------------------------------------- expired intermediate
mk_cert root-e --ca --to "+3650 days" --cn "Anchors Root E"
mk_cert inter-e --ca --issuer root-e --cn "Anchors CA E" --from "-60 days" --to "-1 day"
mk_cert leaf-e --issuer inter-e --cn "$H" --from "-30 days" --to "+30 days"
mk_chain chain-e leaf-e inter-e
bundle trust-e root-e
t_verdict "expired intermediate: same verdict, not trusted" \
	"CRITICAL status=0x[0-9a-f]+ anchor=- reason=.*expired" "$T/trust-e.pem" "$H" "$T/chain-e.pem"
# The presented intermediate has expired, but an anchor has its name and key
# and is valid: GnuTLS cuts the path at that anchor, in both loads alike.
mk_cert root-r --ca --to "+3650 days" --cn "Anchors Root R"
mk_cert inter-r --ca --issuer root-r --cn "Anchors CA R" --from "-60 days" --to "-1 day"
sed "s/^expiration_date = .*/expiration_date = \"$(tdate "+365 days")\"/" "$T/inter-r.tmpl" \
	>"$T/inter-r-renewed.tmpl"
certtool --generate-certificate --load-privkey "$T/inter-r.key" --template "$T/inter-r-renewed.tmpl" \
	--load-ca-certificate "$T/root-r.pem" --load-ca-privkey "$T/root-r.key" \
	--outfile "$T/inter-r-renewed.pem" >/dev/null 2>&1 || bail_out "certtool cannot renew inter-r"
mk_cert leaf-r --issuer inter-r --cn "$H" --from "-30 days" --to "+30 days"
mk_chain chain-r leaf-r inter-r
bundle trust-r inter-r-renewed
t_verdict "expired intermediate, its renewal an anchor: same verdict, trusted" \
	"OK status=0x0 anchor=CN=Anchors CA R" "$T/trust-r.pem" "$H" "$T/chain-r.pem"
bundle trust-r-root root-r
t_verdict "expired intermediate, only the root an anchor: same verdict, not trusted" \
	"CRITICAL status=0x[0-9a-f]+ anchor=- reason=.*expired" "$T/trust-r-root.pem" "$H" "$T/chain-r.pem"

# ---------------------------------------------------------------- one store, many chains
# A fleet verifies several chains through one store: anchors join the index's
# list as chains name them, and each verdict still equals a full load's.
t_verdict "chains one after another through one store: same verdicts" "CRITICAL status=0x42 " \
	"$T/trust-both.pem" "$H" "$T/chain-a.pem" "$T/chain-b.pem" "$T/chain-x.pem" "$T/chain-e.pem" \
	"$T/chain-a.pem" "$T/self.pem"
cat "$T/trust-a.pem" "$T/trust-both.pem" "$T/trust-e.pem" >"$T/trust-all.pem"
t_verdict "every chain through a store that trusts them: same verdicts" "OK status=0x0" \
	"$T/trust-all.pem" "$H" "$T/chain-a.pem" "$T/chain-x.pem" "$T/chain-e.pem" "$T/chain-a-root.pem"
t_ok "the index served every chain (no fall-back to a full load)" grep -qx 'index kept: yes' <<<"$OUT"

# ---------------------------------------------------------------- how the file is written
# CRLF line ends and the "X509 CERTIFICATE" label are read by GnuTLS; so by the index.
sed 's/$/\r/' "$T/trust-a.pem" >"$T/trust-crlf.pem"
t_verdict "CA file with CRLF line ends: same verdict, trusted" "OK status=0x0 anchor=CN=Anchors Root A" \
	"$T/trust-crlf.pem" "$H" "$T/chain-a.pem"
t_ok "CRLF file: the index served it" grep -qx 'index kept: yes' <<<"$OUT"
sed 's/\(BEGIN\|END\) CERTIFICATE/\1 X509 CERTIFICATE/' "$T/trust-a.pem" >"$T/trust-x509.pem"
t_verdict "CA file with X509 CERTIFICATE labels: same verdict, trusted" "OK status=0x0" \
	"$T/trust-x509.pem" "$H" "$T/chain-a.pem"
# GnuTLS reads an "X509 CERTIFICATE" block only when no "CERTIFICATE" block
# follows it: root A, so labelled ahead of the system's anchors, is not an anchor.
{ sed 's/\(BEGIN\|END\) CERTIFICATE/\1 X509 CERTIFICATE/' "$T/root-a.pem"; cat "$SYSTEM"; } \
	>"$T/trust-mixed.pem"
t_verdict "X509 block ahead of CERTIFICATE blocks: same verdict, not trusted" \
	"CRITICAL status=0x[0-9a-f]+ anchor=- reason=issuer unknown" "$T/trust-mixed.pem" "$H" "$T/chain-a.pem"
{ cat "$SYSTEM"; sed 's/\(BEGIN\|END\) CERTIFICATE/\1 X509 CERTIFICATE/' "$T/root-a.pem"; } \
	>"$T/trust-mixed-last.pem"
t_verdict "X509 block after the CERTIFICATE blocks: same verdict, trusted" \
	"OK status=0x0 anchor=CN=Anchors Root A" "$T/trust-mixed-last.pem" "$H" "$T/chain-a.pem"
# A certificate cut short by 10 bytes, its base64 still well formed: GnuTLS
# refuses the whole file, and so does the plugin, even for chains that do not
# name that anchor.
openssl x509 -in "$T/root-b.pem" -outform DER 2>/dev/null | head -c -10 | base64 -w 64 |
	{ echo "-----BEGIN CERTIFICATE-----"; cat; echo "-----END CERTIFICATE-----"; } >"$T/cut.pem"
cat "$T/trust-a.pem" "$T/cut.pem" >"$T/trust-cut.pem"
t_verdict "CA file with a certificate cut short: same verdicts, unknown" \
	"UNKNOWN status=0x0 anchor=- reason=cannot load CA file" "$T/trust-cut.pem" "$H" \
	"$T/chain-a.pem" "$T/chain-b.pem" "$T/chain-a.pem"
t_ok "a certificate cut short: every verdict unknown" \
	test "$(grep -c '^  index UNKNOWN .*cannot load CA file' <<<"$OUT")" -eq 3
# A damaged block: GnuTLS refuses the whole file, and so does the plugin.
{ cat "$T/trust-a.pem"; printf -- '-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n'; } \
	>"$T/trust-bad.pem"
t_verdict "CA file with a damaged block: same verdict, unknown" "UNKNOWN status=0x0 anchor=- reason=cannot load CA file" \
	"$T/trust-bad.pem" "$H" "$T/chain-a.pem"
# GnuTLS reads a "CERTIFICATE" block it cannot decode as the next "X509
# CERTIFICATE" block, wherever that is. Two blocks GnuTLS cannot decode,
# root B's, ahead of root A in an X509 block and the system's anchors:
# GnuTLS holds root A, and the index must not hold root B in its place.
x509() { sed 's/\(BEGIN\|END\) CERTIFICATE/\1 X509 CERTIFICATE/' "$1"; }
# A header ends at the first "-----" after its start, not at its line's end:
# without its closing dashes it runs into the end line.
{ sed 's/^-----BEGIN CERTIFICATE-----$/-----BEGIN CERTIFICATE/' "$T/root-b.pem"; x509 "$T/root-a.pem"
  cat "$SYSTEM"; } >"$T/trust-open.pem"
t_verdict "CA file with a header that lacks its closing dashes: same verdict, trusted by the X509 block" \
	"OK status=0x0 anchor=CN=Anchors Root A" "$T/trust-open.pem" "$H" "$T/chain-a.pem"
# Base64 that decodes to the same bytes but that GnuTLS's decoder refuses:
# bits left over under the padding, or padding after a whole group. Root
# B's, and a certificate short enough to be read whole with its subject.
b64_alphabet=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/
refused_padding() {
	local body pad last v
	body=$(sed '1d;$d' "$1" | tr -d '\n')
	case $body in
	*==) pad="=="; last=${body: -3:1} ;;
	*=) pad="="; last=${body: -2:1} ;;
	*) pad=""; last="" ;;
	esac
	if [[ -n $pad ]]; then
		v=${b64_alphabet%%"$last"*}
		body=${body:0:${#body}-${#pad}-1}${b64_alphabet:$((${#v} | 1)):1}$pad
	else
		body+="===="
	fi
	echo "-----BEGIN CERTIFICATE-----"
	fold -w 64 <<<"$body"
	echo "-----END CERTIFICATE-----"
}
openssl genpkey -algorithm ed25519 -out "$T/small.key" 2>/dev/null &&
	openssl req -new -key "$T/small.key" -subj /CN=BB 2>/dev/null |
	openssl x509 -req -signkey "$T/small.key" -days 30 -out "$T/small.pem" 2>/dev/null ||
	bail_out "openssl cannot make a small certificate"
[[ $(openssl x509 -in "$T/small.pem" -outform DER | wc -c) -lt 256 ]] ||
	bail_out "the small certificate is not under 256 bytes"
for c in root-b small; do
	{ refused_padding "$T/$c.pem"; x509 "$T/root-a.pem"; cat "$SYSTEM"; } >"$T/trust-bits-$c.pem"
	t_verdict "CA file with base64 GnuTLS refuses under its padding ($c): same verdict, trusted by the X509 block" \
		"OK status=0x0 anchor=CN=Anchors Root A" "$T/trust-bits-$c.pem" "$H" "$T/chain-a.pem"
done
{ refused_padding "$T/small.pem"; cat "$T/root-a.pem"; } >"$T/trust-bits-refused.pem"
t_verdict "CA file with base64 GnuTLS refuses under its padding, no X509 block: same verdict, unknown" \
	"UNKNOWN status=0x0 anchor=- reason=cannot load CA file" "$T/trust-bits-refused.pem" "$H" "$T/chain-a.pem"
# The body on the header's line: GnuTLS reads it, and so does the index.
{ cat "$SYSTEM"; sed '1N;s/\n//' "$T/root-a.pem"; } >"$T/trust-oneline.pem"
t_verdict "CA file with base64 on the header's line: same verdict, trusted" \
	"OK status=0x0 anchor=CN=Anchors Root A" "$T/trust-oneline.pem" "$H" "$T/chain-a.pem"
t_ok "base64 on the header's line: the index served it" grep -qx 'index kept: yes' <<<"$OUT"
openssl x509 -in "$T/root-a.pem" -outform DER -out "$T/root-a.der" 2>/dev/null
t_verdict "DER CA file: same verdict, unknown" "UNKNOWN status=0x0 anchor=- reason=cannot load CA file" \
	"$T/root-a.der" "$H" "$T/chain-a.pem"
# GnuTLS reads a certificate's version by the INTEGER inside its [0], not by
# the [0]'s length. Root V's [0] claims its serial too, every outer length
# kept: GnuTLS still finds root V under its subject (the chain's only
# finding is the name), and the index must not file it under a later field
# it takes for the subject (it hands the file to GnuTLS).
mk_cert root-v --ca --to "+3650 days" --cn "Anchors Root V"
mk_cert leaf-v --issuer root-v --cn "$H"
openssl x509 -in "$T/root-v.pem" -outform DER -out "$T/root-v.der" 2>/dev/null
[[ $(od -An -tx1 -j8 -N7 "$T/root-v.der" | tr -d ' \n') == a00302010202"14" ]] ||
	bail_out "root-v does not start with a version and a 20-byte serial"
printf '\x19' | dd of="$T/root-v.der" bs=1 seek=9 conv=notrunc 2>/dev/null
base64 -w 64 "$T/root-v.der" | { echo "-----BEGIN CERTIFICATE-----"; cat; echo "-----END CERTIFICATE-----"; } \
	>"$T/root-v-long.pem"
bundle trust-v root-v-long
t_verdict "anchor whose version [0] runs over its serial: same verdict, trusted but for the name" \
	"CRITICAL status=0x[0-9a-f]+ anchor=- reason=name mismatch \(other\.example\)\$" \
	"$T/trust-v.pem" other.example "$T/leaf-v.pem"
t_ok "that anchor: the index hands the file to GnuTLS" grep -qx 'index kept: no' <<<"$OUT"

# ---------------------------------------------------------------- equal anchors
# GnuTLS's loaders keep one of equal anchors, in the first one's place; so
# does the index, by itself: GnuTLS's flag for it frees the equal already
# listed, which a chain verified before may point to. The "held" line
# compares the anchors each list holds under a chain's names.
bundle trust-dup root-a decoy-a root-a
t_verdict "CA file with the same anchor twice: same verdict and anchors held, trusted" \
	"OK status=0x0 anchor=CN=Anchors Root A" "$T/trust-dup.pem" "$H" "$T/chain-a.pem"
t_ok "the same anchor twice: held once, ahead of the decoy, as in a full load" \
	grep -qE '^  held: index 2 [0-9a-f]{8}, full 2 [0-9a-f]{8}$' <<<"$OUT"
# Equal by DER in other PEM text: CRLF and the "X509 CERTIFICATE" label of a
# last block. Chains name it one after another through one store, and their
# anchors are found once all are verified: under the sanitizers an anchor
# freed after the first verification would be a use-after-free.
{ cat "$T/trust-dup.pem"; sed -e 's/\(BEGIN\|END\) CERTIFICATE/\1 X509 CERTIFICATE/' -e 's/$/\r/' \
	"$T/root-a.pem"; } >"$T/trust-dup-text.pem"
t_verdict "the same anchor in other PEM text, named by chains one after another: same verdicts and anchors held" \
	"OK status=0x0 anchor=CN=Anchors Root A" "$T/trust-dup-text.pem" "$H" \
	"$T/chain-a.pem" "$T/chain-b.pem" "$T/chain-a-root.pem" "$T/chain-a.pem"
t_ok "the same anchor in other PEM text: each chain of root A trusted by it, held once" \
	test "$(grep -c '^  index OK status=0x0 anchor=CN=Anchors Root A' <<<"$OUT")" -eq 3 -a \
	"$(grep -cE '^  held: index 2 [0-9a-f]{8}, full 2 [0-9a-f]{8}$' <<<"$OUT")" -eq 3
t_ok "the same anchor in other PEM text: the index served every chain" grep -qx 'index kept: yes' <<<"$OUT"

# ---------------------------------------------------------------- where the subject lies
# Roots whose subject starts at every offset from 226 to 276 bytes: the
# index decodes a block 256 bytes at first, then 128 more at a time, and must
# never take a subject cut at that edge for a damaged certificate. Then one
# whose subject lies past the first 1536 bytes, which the index decodes whole.
# (openssl's subjects: an OU at most 64 characters, so the length is spread.)
rep() { printf '%*s' "$2" '' | tr ' ' "$1"; }
edge_root() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
		-keyout "$T/edge-$1.key" -out "$T/edge-$1.pem" -subj "$2" 2>/dev/null ||
		bail_out "openssl cannot make the root edge-$1"
}
for t in $(seq 40 90); do
	m=$((t < 64 ? t : 64))
	edge_root "$t" "/OU=$(rep o 60)/OU=$(rep p "$m")/CN=Anchors Edge $(rep q $((t - m)))"
done
big=""
for i in $(seq 30); do
	big+="/OU=$(rep o 58)$i"
done
edge_root 9999 "$big/CN=Anchors Edge Far"
edges=("$T"/edge-*.pem)
cat "${edges[@]}" >"$T/trust-edges.pem"
t_verdict "roots with subjects at every offset near the first decoding step: same verdicts, trusted" \
	"OK status=0x0 anchor=" "$T/trust-edges.pem" - "${edges[@]}"
t_ok "every edge root trusted (${#edges[@]})" \
	test "$(grep -c '^  index OK status=0x0 anchor=' <<<"$OUT")" -eq "${#edges[@]}"
t_ok "the index read every edge root (no fall-back)" grep -qx 'index kept: yes' <<<"$OUT"

# Two anchors of one name and key, the first expired: GnuTLS picks the valid
# one in both loads, whichever chain of the store named them first.
mk_cert root-s --ca --to "+3650 days" --cn "Anchors Root S"
sed -e "s/^activation_date = .*/activation_date = \"$(tdate "-60 days")\"/" \
	-e "s/^expiration_date = .*/expiration_date = \"$(tdate "-1 day")\"/" "$T/root-s.tmpl" \
	>"$T/root-s-old.tmpl"
certtool --generate-self-signed --load-privkey "$T/root-s.key" --template "$T/root-s-old.tmpl" \
	--outfile "$T/root-s-old.pem" >/dev/null 2>&1 || bail_out "certtool cannot make root-s-old"
mk_cert inter-s --ca --issuer root-s --cn "Anchors CA S"
mk_cert leaf-s --issuer inter-s --cn "$H"
mk_chain chain-s leaf-s inter-s
bundle trust-s root-s-old root-s
t_verdict "same-name, same-key anchors, the first expired, named after another chain: same verdicts" \
	"CRITICAL status=0x[0-9a-f]+ " "$T/trust-s.pem" "$H" "$T/chain-a.pem" "$T/chain-s.pem"
t_ok "the chain of the expired and valid anchors is trusted" \
	grep -q '^  index OK status=0x0 anchor=CN=Anchors Root S' <<<"$OUT"

# ---------------------------------------------------------------- the system store
# Every anchor of the system store, verified as a chain of its own against the
# system store itself: each must get the same verdict both ways.
awk -v dir="$T" '/-----BEGIN CERTIFICATE-----/ { n++; f = sprintf("%s/sys-%03d.pem", dir, n) }
	f { print > f } /-----END CERTIFICATE-----/ { close(f); f = "" }' "$SYSTEM"
sys=("$T"/sys-*.pem)
t_verdict "each of the ${#sys[@]} system anchors against the system store: same verdicts" \
	"OK status=0x0 anchor=" - - "${sys[@]}"
trusted=$(grep -c '^  index OK status=0x0 anchor=' <<<"$OUT")
t_ok "most system anchors are trusted as themselves ($trusted of ${#sys[@]})" \
	test "$trusted" -gt $((${#sys[@]} / 2))
t_ok "the system store went through the index" grep -qx 'index kept: yes' <<<"$OUT"
t_verdict "a chain the system store does not trust: same verdict" "CRITICAL status=0x[0-9a-f]+ anchor=- reason=issuer unknown" \
	- "$H" "$T/chain-a.pem"

done_testing
