#!/bin/bash
# --dane against a real authoritative DNS server: NSD on loopback serving a
# zone signed at test time by ldns-signzone, the plugin validating through
# libunbound with that zone's key as its trust anchor (--dns-server,
# --dnssec-anchor). Every query goes to the loopback server.
#
# One TLS server (leaf + its CA), and an owner name per case, each
# _PORT._tcp.NAME in the zone dane.example: records 3 1 1, 3 0 1, 3 1 2,
# 2 1 1 on the CA (for a name the leaf has, and one it has not), 1 1 1 (with
# and without verification), current + next key (with --require-backup-pin),
# only a stale key, a wrong digest length (alone and beside a good record),
# an RRSIG past its expiry and one by a key outside the DNSKEY set (bogus), a
# child zone without DS (insecure), NXDOMAIN and NODATA; and a DNS server
# that never answers (the one -t deadline).
#
# The expected digests are computed by openssl (lib.sh tlsa_hex), never by
# the plugin.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
# shellcheck source-path=SCRIPTDIR source=dns-lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/dns-lib.sh"
require_tools certtool openssl gnutls-serv
why=$(dns_tools_missing)
[[ -z $why ]] || skip_all "$why"

Z=dane.example

# ---------------------------------------------------------------- certificates

mk_cert ca --ca --to "+3650 days" --cn "DANE Test CA"
mk_cert leaf --issuer ca --cn "www.$Z" --san "*.$Z" --san "*.plain.$Z"
mk_cert next --issuer ca --cn "www.$Z" --san "*.$Z"
mk_cert stale --issuer ca --cn "www.$Z" --san "*.$Z"
mk_chain served leaf ca

start_server gnutls --x509certfile "$T/served.pem" --x509keyfile "$T/leaf.key"
P=$SERVER_PORT

# --print-tlsa, before the zone is written: its records go into the zone as
# printed, for the served chain and for the next key (--file), as an
# operator publishes them before a rotation.
run_plugin -H "printed.$Z" -I 127.0.0.1 -p "$P" --no-verify --print-tlsa
PRINTED=("${OUT_LINES[@]}") PRINTED_RC=$RC PRINTED_ERR=$ERR
run_plugin --file "$T/next.pem" -H "printed.$Z" -p "$P" --print-tlsa
PRINTED_NEXT=("${OUT_LINES[@]}") PRINTED_NEXT_RC=$RC

L311=$(tlsa_hex leaf 1 1)
L301=$(tlsa_hex leaf 0 1)
L312=$(tlsa_hex leaf 1 2)
CA211=$(tlsa_hex ca 1 1)
N311=$(tlsa_hex next 1 1)
S311=$(tlsa_hex stale 1 1)
for h in "$L311" "$L301" "$CA211" "$N311" "$S311"; do
	[[ ${#h} == 64 ]] || bail_out "openssl gave a SHA-256 of ${#h} hex digits"
done
[[ ${#L312} == 128 ]] || bail_out "openssl gave a SHA-512 of ${#L312} hex digits"

# ---------------------------------------------------------------- the zones

# rr NAME RECORD...: the TLSA records of the service on port P at NAME.$Z.
rr() {
	local name=$1 r
	shift
	for r in "$@"; do
		printf '_%s._tcp.%s IN TLSA %s\n' "$P" "$name" "$r"
	done
}

{
	dns_zone_head "$Z"
	# An insecure delegation: the child is signed by nobody, and no DS says otherwise.
	printf 'plain IN NS ns.%s.\n' "$Z"
	rr ee "3 1 1 $L311"
	rr ee0 "3 0 1 $L301"
	rr ee2 "3 1 2 $L312"
	rr ta "2 1 1 $CA211"
	rr x.other "2 1 1 $CA211"
	rr y.other "3 1 1 $L311"
	rr pkix "1 1 1 $L311"
	rr roll "3 1 1 $L311" "3 1 1 $N311"
	rr stale "3 1 1 $S311"
	rr short "3 1 1 ${L311:0:62}"
	rr shortok "3 1 1 ${L311:0:62}" "3 1 1 $L311"
	rr expired "3 1 1 $L311"
	rr forged "3 1 1 $L311"
	printf '_%s._tcp.nodata IN TXT "no TLSA here"\n' "$P"
	printf '%s\n' "${PRINTED[@]}" "${PRINTED_NEXT[@]}" | grep -v '^;'
} >"$DNS_DIR/$Z.zone"
{
	printf '$ORIGIN plain.%s.\n$TTL 300\n' "$Z"
	printf '@ IN SOA ns.%s. hostmaster.%s. 1 3600 600 86400 300\n' "$Z" "$Z"
	printf '@ IN NS ns.%s.\n' "$Z"
	printf '_%s._tcp.www IN TLSA 3 1 1 %s\n' "$P" "$L311"
} >"$DNS_DIR/plain.$Z.zone"

dns_keys "$Z"
KSK=$DNS_KSK ZSK=$DNS_ZSK
dns_keys "$Z"	# a second pair: its ZSK signs, but is in no DNSKEY set of the zone
ROGUE=$DNS_ZSK
DNS_ANCHOR_DS=$KSK.ds DNS_ANCHOR_KEY=$KSK.key
dns_sign "$DNS_DIR/$Z.zone" "$DNS_DIR/$Z.signed" "$KSK" "$ZSK"
dns_sign "$DNS_DIR/$Z.zone" "$DNS_DIR/$Z.expired" "$KSK" "$ZSK" -- -i 20200101 -e 20200201
dns_sign "$DNS_DIR/$Z.zone" "$DNS_DIR/$Z.rogue" "$KSK" "$ROGUE"
dns_splice "$DNS_DIR/$Z.signed" "_$P._tcp.expired.$Z." TLSA "$DNS_DIR/$Z.expired"
dns_splice "$DNS_DIR/$Z.signed" "_$P._tcp.forged.$Z." TLSA "$DNS_DIR/$Z.rogue"
dns_start "$Z" "$Z.signed" "plain.$Z" "plain.$Z.zone"

DNS=(--dns-server "127.0.0.1@$DNS_PORT" --dnssec-anchor "$DNS_ANCHOR_DS")

# ---------------------------------------------------------------- the cases


# start_of NAME STATE: the start of the status line for NAME.$Z.
start_of() {
	echo "^TLS_PIN $2 - $(re_quote "$1.$Z"):$P \(127\.0\.0\.1\) expires in [^,|]*"
}
# dane_check DESC RC REGEX NAME ARGS...: t_check of the plugin on the TLS server,
# as NAME.$Z, with --dane, --no-verify and the test's DNS server and anchor.
dane_check() {
	local desc=$1 rc=$2 re=$3 name=$4
	shift 4
	t_check "$desc" "$rc" "$re" -H "$name.$Z" -I 127.0.0.1 -p "$P" --no-verify --dane \
		"${DNS[@]}" "$@"
}
OWNER_RE() {
	re_quote "_$P._tcp.$1.$Z."
}

OWNER_P=$(re_quote "_$P._tcp.printed.$Z.")
t_ok "--print-tlsa: exit code of the check, nothing on stderr" \
	test "$PRINTED_RC" = 0 -a -z "$PRINTED_ERR"
OUT_LINES=("${PRINTED[@]}")
t_line "--print-tlsa: the leaf key's 3 1 1 record first" 1 \
	"^$OWNER_P IN TLSA 3 1 1 $L311 ; leaf: CN=www\.$Z, expires [0-9-]+\$"
t_line "--print-tlsa: the issuing CA's 2 1 1, commented out, after a note" 3 \
	"^; $OWNER_P IN TLSA 2 1 1 $CA211 ; issuing CA: CN=DANE Test CA, expires [0-9-]+\$"
t_line "--print-tlsa: the result, as a zone-file comment" 4 \
	"^; TLS_PIN OK - printed\.$Z:$P \(127\.0\.0\.1\) expires in "
t_ok "--print-tlsa --file NEXT: exit code of the check" test "$PRINTED_NEXT_RC" = 0
OUT_LINES=("${PRINTED_NEXT[@]}")
t_line "--print-tlsa --file NEXT: the next key's record, for -H and -p" 1 \
	"^$OWNER_P IN TLSA 3 1 1 $N311 ; leaf: "
dane_check "the records --print-tlsa printed, published: OK with a next key" 0 \
	"$(start_of printed OK), TLSA 3 1 1 matched \|" printed --require-backup-pin

dane_check "3 1 1 of the leaf key: OK, naming the record" 0 \
	"$(start_of ee OK), TLSA 3 1 1 matched \| days=" ee
dane_check "-v: the answer is secure" 0 "$(start_of ee OK), TLSA 3 1 1 matched" ee -v
t_out "-v: the record matches the leaf, accepted" "^TLSA 3 1 1 $L311: matches the leaf, accepted\$"
t_out "-v: the owner and the validator's word" "^TLSA $(OWNER_RE ee): secure, 1 record, 1 usable\$"
dane_check "-vv: the lookup's time" 0 "$(start_of ee OK), TLSA 3 1 1 matched" ee -vv
t_out "-vv: the lookup's time on the timing line" "^timing: .* tlsa lookup [0-9]+\.[0-9]{3}s, total "
dane_check "3 0 1 of the leaf certificate: OK" 0 "$(start_of ee0 OK), TLSA 3 0 1 matched \|" ee0
dane_check "3 1 2 (SHA-512) of the leaf key: OK" 0 "$(start_of ee2 OK), TLSA 3 1 2 matched \|" ee2
dane_check "2 1 1 on the issuing CA, the leaf valid for the name: OK" 0 \
	"$(start_of ta OK), TLSA 2 1 1 matched \|" ta
dane_check "2 1 1 on the CA, a name the leaf lacks: CRITICAL" 2 \
	"$(start_of x.other CRITICAL), no usable TLSA record matches \(1 usable of 1\), publish: 3 1 1 $L311 \|" \
	x.other -v
t_out "-v: the DANE-TA record is refused for the name" \
	"^TLSA 2 1 1 $CA211: matches depth 1, refused: the leaf is not valid for the name\$"
dane_check "3 1 1 ignores the name (RFC 7671 5.1): OK" 0 "$(start_of y.other OK), TLSA 3 1 1 matched \|" \
	y.other
dane_check "1 1 1 needs the WebPKI verification: CRITICAL under --no-verify" 2 \
	"$(start_of pkix CRITICAL), no usable TLSA record matches \(1 usable of 1\)" pkix -v
t_out "-v: why the PKIX-EE record is refused" "^TLSA 1 1 1 $L311: matches the leaf, refused: .*--no-verify"
t_check "1 1 1 with the chain verified: OK" 0 "$(start_of pkix OK), TLSA 1 1 1 matched \|" \
	-H "pkix.$Z" -I 127.0.0.1 -p "$P" --ca-file "$T/ca.pem" --dane "${DNS[@]}"

dane_check "current and next key: OK" 0 "$(start_of roll OK), TLSA 3 1 1 matched \|" roll
dane_check "current and next key, --require-backup-pin: OK" 0 \
	"$(start_of roll OK), TLSA 3 1 1 matched \|" roll --require-backup-pin
dane_check "current key only, --require-backup-pin: WARNING" 1 \
	"$(start_of ee WARNING), TLSA 3 1 1 matched, no TLSA record for a next key: every usable record \(1\) matches the chain served now \|" \
	ee --require-backup-pin
dane_check "only a stale key's record: CRITICAL with the record to publish" 2 \
	"$(start_of stale CRITICAL), no usable TLSA record matches \(1 usable of 1\), publish: 3 1 1 $L311 \|" \
	stale -v
t_out "-v: the stale record matches nothing" "^TLSA 3 1 1 $S311: matches nothing on the path\$"

dane_check "a digest of the wrong length alone: CRITICAL, nothing usable" 2 \
	"$(start_of short CRITICAL), no usable TLSA record matches \(0 usable of 1\)" short -v
t_out "-v: the short digest is unusable" "^TLSA 3 1 1 ${L311:0:62}: unusable, data of the wrong length"
dane_check "a digest of the wrong length beside a good record: ignored, OK" 0 \
	"$(start_of shortok OK), TLSA 3 1 1 matched \|" shortok

dane_check "an RRSIG past its expiry: bogus, CRITICAL with the validator's reason" 2 \
	"$(start_of expired CRITICAL), TLSA records of $(OWNER_RE expired) are bogus, DANE clients will not connect: .*expired" \
	expired
dane_check "an RRSIG by a key outside the DNSKEY set: bogus, CRITICAL" 2 \
	"$(start_of forged CRITICAL), TLSA records of $(OWNER_RE forged) are bogus, DANE clients will not connect: " \
	forged
dane_check "a zone without DS (insecure): WARNING" 1 \
	"$(start_of www.plain WARNING), TLSA records are not DNSSEC-signed: DANE clients ignore them \|" \
	www.plain -v
t_out "-v: the insecure record still shows its match" "^TLSA 3 1 1 $L311: matches the leaf, accepted\$"
dane_check "no such name: CRITICAL naming the owner" 2 \
	"$(start_of nx CRITICAL), no TLSA records at $(OWNER_RE nx) \(no such name\) \|" nx
dane_check "a name without TLSA records (NODATA): CRITICAL naming the owner" 2 \
	"$(start_of nodata CRITICAL), no TLSA records at $(OWNER_RE nodata) \(no TLSA RRset\) \|" nodata

t_check "the anchor as a DNSKEY record: OK" 0 "$(start_of ee OK), TLSA 3 1 1 matched \|" \
	-H "ee.$Z" -I 127.0.0.1 -p "$P" --no-verify --dane --dns-server "127.0.0.1@$DNS_PORT" \
	--dnssec-anchor "$DNS_ANCHOR_KEY"
t_check "another zone's anchor: bogus" 2 "$(start_of ee CRITICAL), TLSA records of .* are bogus" \
	-H "ee.$Z" -I 127.0.0.1 -p "$P" --no-verify --dane --dns-server "127.0.0.1@$DNS_PORT" \
	--dnssec-anchor "$ROGUE.key"
t_check "DANE beside pins: each judged, the worst wins" 2 \
	"$(start_of ee CRITICAL), key NOT pinned, served sha256/[^,]*, TLSA 3 1 1 matched \|" \
	-H "ee.$Z" -I 127.0.0.1 -p "$P" --no-verify --dane "${DNS[@]}" -P "sha256/$(spki_b64 stale)"
t_check "DANE beside WebPKI verification: untrusted stays CRITICAL" 2 \
	"$(start_of ee CRITICAL), TLSA 3 1 1 matched, NOT trusted: issuer unknown" \
	-H "ee.$Z" -I 127.0.0.1 -p "$P" --dane "${DNS[@]}"

# Several addresses: the records are looked up once, every address judged on them.
if ipv6_loopback "$P"; then
	dane_check "two addresses, one lookup: OK at both" 0 \
		"^TLS_PIN OK - $(re_quote "ee.$Z:$P"): 2 addresses, TLSA 3 1 1 matched; earliest expiry " \
		ee -I ::1 -v
	t_out "-v: the first address accepted" "^127\.0\.0\.1: expires in .*, TLSA 3 1 1 matched\$"
	t_out "-v: the second address accepted" "^::1: expires in .*, TLSA 3 1 1 matched\$"
	dane_check "two addresses, a stale record: CRITICAL naming each" 2 \
		"^TLS_PIN CRITICAL - $(re_quote "stale.$Z:$P"): 2 addresses; 127\.0\.0\.1: .*publish: 3 1 1 $L311; ::1: .*publish: 3 1 1 $L311; earliest" \
		stale -I ::1
else
	for d in "OK at both" "-v first" "-v second" "a stale record"; do
		t_skip "two addresses: $d" "no IPv6 loopback"
	done
fi

dns_silent_start
t_check "a DNS server that never answers: CRITICAL within -t" 2 \
	"$(start_of ee CRITICAL), TLSA lookup of $(OWNER_RE ee) failed: timeout after 2s" \
	-H "ee.$Z" -I 127.0.0.1 -p "$P" --no-verify --dane -t 2 \
	--dns-server "127.0.0.1@$DNS_SILENT_PORT" --dnssec-anchor "$DNS_ANCHOR_DS"
t_ok "a DNS server that never answers: the check ends within -t + 1 s" test "$ELAPSED_MS" -lt 3000
# A DANE client defers without an answer: -t's state softens a connection
# timeout, not this.
t_check "a DNS server that never answers, -t 2:warning: still CRITICAL" 2 \
	"$(start_of ee CRITICAL), TLSA lookup of $(OWNER_RE ee) failed: timeout after 2s" \
	-H "ee.$Z" -I 127.0.0.1 -p "$P" --no-verify --dane -t 2:warning \
	--dns-server "127.0.0.1@$DNS_SILENT_PORT" --dnssec-anchor "$DNS_ANCHOR_DS"

printf '. IN DS 1 2 3 4\n' >"$T/garbage.ds"
t_check "an anchor file libunbound cannot read: UNKNOWN, naming it" 3 \
	"^TLS_PIN UNKNOWN - $(re_quote "ee.$Z"):$P \(127\.0\.0\.1\) .*TLSA lookup of .* failed: cannot start the lookup: .*garbage\.ds" \
	-H "ee.$Z" -I 127.0.0.1 -p "$P" --no-verify --dane --dns-server "127.0.0.1@$DNS_PORT" \
	--dnssec-anchor "$T/garbage.ds"

done_testing
