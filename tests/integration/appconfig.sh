#!/bin/bash
# --app-config against a real server (root -> intermediate -> leaf) on
# loopback: Android network security configurations, TrustKit and App
# Transport Security in XML and binary property lists, written in the shapes
# of the platforms' documentation; the platforms' rules for which entry
# applies and what a pin may match; the whole key rotation; expiring and
# expired pin-sets; bad files refused before any connection; and the
# --print-pins --format snippets read back.
#
# The expected pins are computed by openssl (lib.sh spki_*), the binary
# property lists written by python3's plistlib: never by the plugin.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools certtool gnutls-serv openssl python3 mkfifo

H=api.app.test

mk_cert root --ca --to "+3650 days" --cn "App Test Root"
mk_cert inter --ca --issuer root --to "+1000 days" --cn "App Test Intermediate"
mk_cert cur --issuer inter --cn "$H"
mk_cert next --issuer inter --cn "$H"
mk_cert third --issuer inter --cn "$H"
mk_cert other --ca --to "+1000 days" --cn "Other CA"
mk_chain cur.chain cur inter
mk_chain next.chain next inter
mk_chain third.chain third inter

CUR=$(spki_b64 cur)
NEXT=$(spki_b64 next)
THIRD=$(spki_b64 third)
INTER=$(spki_b64 inter)
ROOT=$(spki_b64 root)
OTHER=$(spki_b64 other)
for p in "$CUR" "$NEXT" "$THIRD" "$INTER" "$ROOT" "$OTHER"; do
	[[ ${#p} == 44 ]] || bail_out "openssl gave a pin of ${#p} characters: $p"
done

# The server at each step of the rotation: the current key, the announced
# next one, and a third key nobody announced (signed by the same CA).
start_server gnutls --x509certfile "$T/cur.chain.pem" --x509keyfile "$T/cur.key"
P_CUR=$SERVER_PORT
start_server gnutls --x509certfile "$T/next.chain.pem" --x509keyfile "$T/next.key"
P_NEXT=$SERVER_PORT
start_server gnutls --x509certfile "$T/third.chain.pem" --x509keyfile "$T/third.key"
P_THIRD=$SERVER_PORT

IN10=$(date -u -d "+10 days" +%F)
IN90=$(date -u -d "+90 days" +%F)
AGO=$(date -u -d "-2 days" +%F)

# ---------------------------------------------------------------- writers

# android FILE DOMAIN INCLUDE EXPIRATION PIN...: a network security
# configuration as the Android documentation shows one (EXPIRATION may be "").
android() {
	local file=$1 domain=$2 include=$3 exp=$4 pin
	shift 4
	{
		echo '<?xml version="1.0" encoding="utf-8"?>'
		echo '<network-security-config>'
		echo '    <domain-config>'
		echo "        <domain includeSubdomains=\"$include\">$domain</domain>"
		echo "        <pin-set${exp:+ expiration=\"$exp\"}>"
		for pin in "$@"; do
			echo "            <pin digest=\"SHA-256\">$pin</pin>"
		done
		echo '        </pin-set>'
		echo '    </domain-config>'
		echo '</network-security-config>'
	} >"$T/$file"
}

plist_head() {
	echo '<?xml version="1.0" encoding="UTF-8"?>'
	echo '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">'
	echo '<plist version="1.0">'
	echo '<dict>'
	echo '	<key>CFBundleIdentifier</key>'
	echo '	<string>test.app.pinning</string>'
}

# trustkit FILE DOMAIN KEYS PIN...: an Info.plist with TrustKit's
# configuration of one domain, as TrustKit's guide shows it; KEYS is more
# of the domain's dictionary, as XML.
trustkit() {
	local file=$1 domain=$2 keys=$3 pin
	shift 3
	{
		plist_head
		echo '	<key>TSKConfiguration</key>'
		echo '	<dict>'
		echo '		<key>TSKSwizzleNetworkDelegates</key>'
		echo '		<false/>'
		echo '		<key>TSKPinnedDomains</key>'
		echo '		<dict>'
		echo "			<key>$domain</key>"
		echo '			<dict>'
		echo "				$keys"
		echo '				<key>TSKPublicKeyHashes</key>'
		echo '				<array>'
		for pin in "$@"; do
			echo "					<string>$pin</string>"
		done
		echo '				</array>'
		echo '			</dict>'
		echo '		</dict>'
		echo '	</dict>'
		echo '</dict>'
		echo '</plist>'
	} >"$T/$file"
}

# ats_identities KEY PIN...: an NSPinned*Identities array, nothing without pins.
ats_identities() {
	local key=$1 pin
	shift
	(($#)) || return 0
	echo "				<key>$key</key>"
	echo '				<array>'
	for pin in "$@"; do
		echo '					<dict>'
		echo '						<key>SPKI-SHA256-BASE64</key>'
		echo "						<string>$pin</string>"
		echo '					</dict>'
	done
	echo '				</array>'
}

# ats FILE DOMAIN INCLUDE "LEAF PINS" "CA PINS": an Info.plist with App
# Transport Security's pinned domain, as Apple's documentation shows it.
ats() {
	local file=$1 domain=$2 include=$3 leaf=$4 ca=$5
	# shellcheck disable=SC2086 # the pins are words
	{
		plist_head
		echo '	<key>NSAppTransportSecurity</key>'
		echo '	<dict>'
		echo '		<key>NSPinnedDomains</key>'
		echo '		<dict>'
		echo "			<key>$domain</key>"
		echo '			<dict>'
		echo '				<key>NSIncludesSubdomains</key>'
		echo "				<$include/>"
		ats_identities NSPinnedLeafIdentities $leaf
		ats_identities NSPinnedCAIdentities $ca
		echo '			</dict>'
		echo '		</dict>'
		echo '	</dict>'
		echo '</dict>'
		echo '</plist>'
	} >"$T/$file"
}

# binary XML OUT: $T/XML as a binary property list $T/OUT, by python3's plistlib.
binary() {
	python3 -c 'import plistlib, sys
with open(sys.argv[1], "rb") as f:
    d = plistlib.load(f)
with open(sys.argv[2], "wb") as f:
    plistlib.dump(d, f, fmt=plistlib.FMT_BINARY)' "$T/$1" "$T/$2" ||
		bail_out "plistlib cannot convert $1"
	[[ $(head -c 8 "$T/$2") == bplist00 ]] || bail_out "$2 is not a binary property list"
}

# app DESC RC REGEX PORT ARGS...: checks the server on PORT, verified.
app() {
	local desc=$1 rc=$2 re=$3 port=$4
	shift 4
	t_check "$desc" "$rc" "$re" -H "$H" -I 127.0.0.1 -p "$port" --ca-file "$T/root.pem" "$@"
}
S="$H:[0-9]+ \(127\.0\.0\.1\) expires in [^,|]*"
served() { echo "served sha256/$(re_quote "$1")"; }

# ---------------------------------------------------------------- Android

android network_security_config.xml app.test true "$IN90" "$CUR" "$NEXT"
NSC=(--app-config "$T/network_security_config.xml")
app "android: current + next pinned, server on the current key: OK, pin 1 of 2" 0 \
	"^TLS_PIN OK - $S, key pinned \(android network_security_config\.xml: app\.test, pin 1 of 2\) \| days=" \
	"$P_CUR" "${NSC[@]}"
app "android: the server rotated to the announced key: OK, pin 2 of 2" 0 \
	"^TLS_PIN OK - $S, key pinned \(android network_security_config\.xml: app\.test, pin 2 of 2\) \| days=" \
	"$P_NEXT" "${NSC[@]}"
app "android: a third, unannounced key of the same CA: CRITICAL, the entry and the served pin" 2 \
	"^TLS_PIN CRITICAL - $S, key NOT pinned \(android network_security_config\.xml: app\.test\), $(served "$THIRD") \| days=" \
	"$P_THIRD" "${NSC[@]}"
app "android: -v names the entry that applies" 0 "^TLS_PIN OK - " "$P_CUR" "${NSC[@]}" -v
t_out "... app config line" "^app config: android network_security_config\.xml line 4: app\.test applies to api\.app\.test, 2 pins, pin-set expires $IN90$"

android expiring.xml app.test true "$IN10" "$CUR" "$NEXT"
app "android: a pin-set expiring in 10 days: WARNING naming the date" 1 \
	"^TLS_PIN WARNING - $S, key pinned \(android expiring\.xml: app\.test, pin 1 of 2\), its pin-set expires $IN10 \(in (9d( [0-9]+h)?|10d)\) \| days=" \
	"$P_CUR" --app-config "$T/expiring.xml"
app "android: --pin-expiry-warning 5: the same pin-set is OK" 0 \
	"^TLS_PIN OK - $S, key pinned \(android expiring\.xml: app\.test, pin 1 of 2\) \| days=" \
	"$P_CUR" --app-config "$T/expiring.xml" --pin-expiry-warning 5
android expired.xml app.test true "$AGO" "$CUR" "$NEXT"
app "android: an expired pin-set: WARNING, the app no longer pins the name" 1 \
	"^TLS_PIN WARNING - $S, the app no longer pins api\.app\.test since $AGO \(android expired\.xml: app\.test, pin-set expired\) \| days=" \
	"$P_CUR" --app-config "$T/expired.xml"
app "android: an expired pin-set and an unpinned key: WARNING, not CRITICAL" 1 \
	"^TLS_PIN WARNING - $S, the app no longer pins api\.app\.test since $AGO \(android expired\.xml: app\.test, pin-set expired, $(served "$THIRD") not in it\) \| days=" \
	"$P_THIRD" --app-config "$T/expired.xml"

android inter.xml app.test true "" "$INTER" "$OTHER"
app "android: the intermediate pinned: OK at depth 1" 0 \
	"^TLS_PIN OK - $S, key pinned \(android inter\.xml: app\.test, pin 1 of 2 at depth 1\) \| days=" \
	"$P_THIRD" --app-config "$T/inter.xml"
android root.xml app.test true "" "$OTHER" "$ROOT"
app "android: the root pinned: OK at the trust anchor" 0 \
	"^TLS_PIN OK - $S, key pinned \(android root\.xml: app\.test, pin 2 of 2 at the trust anchor\) \| days=" \
	"$P_CUR" --app-config "$T/root.xml"
android served.xml app.test true "" "$CUR" "$INTER"
app "android: --require-backup-pin, every pin served: WARNING" 1 \
	"^TLS_PIN WARNING - $S, key pinned \(android served\.xml: app\.test, pin 1 of 2\), no backup pin: every pin of the entry \(2\) is served \| days=" \
	"$P_CUR" --app-config "$T/served.xml" --require-backup-pin
app "android: --require-backup-pin, the next key not served: OK" 0 "^TLS_PIN OK - " \
	"$P_CUR" "${NSC[@]}" --require-backup-pin

android exact-false.xml app.test false "" "$CUR" "$NEXT"
t_check "android: a parent without includeSubdomains: UNKNOWN naming the file and the name" 3 \
	"^TLS_PIN UNKNOWN - $(re_quote "$T/exact-false.xml"): no domain-config applies to api\.app\.test$" \
	-H "$H" -p "$P_CUR" --app-config "$T/exact-false.xml"

# Which entry applies: an exact domain before a parent, the most specific
# parent first, nested domain-configs inheriting their parent's pin-set.
cat >"$T/nested.xml" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <base-config cleartextTrafficPermitted="false">
        <trust-anchors>
            <certificates src="system" />
        </trust-anchors>
    </base-config>
    <domain-config>
        <domain includeSubdomains="true">test</domain>
        <pin-set>
            <pin digest="SHA-256">$OTHER</pin>
        </pin-set>
        <domain-config>
            <domain includeSubdomains="true">app.test</domain>
            <pin-set expiration="$IN90">
                <pin digest="SHA-256">$CUR</pin>
                <pin digest="SHA-256">$NEXT</pin>
            </pin-set>
            <domain-config>
                <domain>$H</domain>
                <domain>www.app.test</domain>
            </domain-config>
        </domain-config>
    </domain-config>
</network-security-config>
EOF
app "android nested: the exact domain, its pin-set inherited from the parent" 0 \
	"^TLS_PIN OK - $S, key pinned \(android nested\.xml: api\.app\.test, pin 1 of 2\) \| days=" \
	"$P_CUR" --app-config "$T/nested.xml"
t_check "android nested: the most specific parent applies to another subdomain (--sni)" 0 \
	"^TLS_PIN OK - [^|]*, key pinned \(android nested\.xml: app\.test, pin 1 of 2\) \| days=" \
	-H "$H" -I 127.0.0.1 -p "$P_CUR" --no-verify --sni v2.api.app.test \
	--app-config "$T/nested.xml" -v
t_out "... -v: the entry and its line" "^app config: android nested\.xml line 14: app\.test applies to v2\.api\.app\.test, 2 pins, pin-set expires $IN90$"
t_check "android nested: --sni picks the entry, here the outermost parent's: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - [^|]*, key NOT pinned \(android nested\.xml: test\), $(served "$CUR") \| days=" \
	-H "$H" -I 127.0.0.1 -p "$P_CUR" --no-verify --sni api.other.test --app-config "$T/nested.xml"

# TrustKit for Android: enforcePinning="false" only reports; a backup pin is required.
cat >"$T/tk-android.xml" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <domain-config>
        <domain includeSubdomains="true">app.test</domain>
        <pin-set>
            <pin digest="SHA-256">$CUR</pin>
            <pin digest="SHA-256">$NEXT</pin>
        </pin-set>
        <trustkit-config enforcePinning="false">
            <report-uri>https://report.app.test/log_report</report-uri>
        </trustkit-config>
    </domain-config>
</network-security-config>
EOF
app "trustkit-android: enforcePinning false, an unpinned key: WARNING, the app only reports" 1 \
	"^TLS_PIN WARNING - $S, key NOT pinned \(android tk-android\.xml: app\.test\), $(served "$THIRD"), the app only reports it \(enforcePinning=\"false\"\) \| days=" \
	"$P_THIRD" --app-config "$T/tk-android.xml"
grep -vF "$NEXT" "$T/tk-android.xml" >"$T/tk-android-one.xml"
t_check "trustkit-android: one pin: UNKNOWN, TrustKit needs a backup pin" 3 \
	"^TLS_PIN UNKNOWN - $(re_quote "$T")/tk-android-one\.xml:4: TrustKit refuses domain app\.test: 1 pin, it needs at least 2 \(a backup pin\)$" \
	-H "$H" -p "$P_CUR" --app-config "$T/tk-android-one.xml"

# ---------------------------------------------------------------- TrustKit (iOS)

trustkit Info.plist app.test "<key>TSKIncludeSubdomains</key><true/><key>TSKEnforcePinning</key><true/><key>TSKExpirationDate</key><string>$IN90</string>" \
	"$CUR" "$NEXT"
app "trustkit: current + next, server on the current key: OK" 0 \
	"^TLS_PIN OK - $S, key pinned \(trustkit Info\.plist: app\.test, pin 1 of 2\) \| days=" \
	"$P_CUR" --app-config "$T/Info.plist"
app "trustkit: the rotated key: OK, pin 2 of 2" 0 \
	"^TLS_PIN OK - $S, key pinned \(trustkit Info\.plist: app\.test, pin 2 of 2\) \| days=" \
	"$P_NEXT" --app-config "$T/Info.plist"
app "trustkit: a third key: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $S, key NOT pinned \(trustkit Info\.plist: app\.test\), $(served "$THIRD") \| days=" \
	"$P_THIRD" --app-config "$T/Info.plist"
binary Info.plist Info.bplist
app "trustkit, binary plist: the same verdict" 2 \
	"^TLS_PIN CRITICAL - $S, key NOT pinned \(trustkit Info\.bplist: app\.test\), $(served "$THIRD") \| days=" \
	"$P_THIRD" --app-config "$T/Info.bplist"
app "trustkit, binary plist: OK on the current key" 0 \
	"^TLS_PIN OK - $S, key pinned \(trustkit Info\.bplist: app\.test, pin 1 of 2\) \| days=" \
	"$P_CUR" --app-config "$T/Info.bplist"
trustkit report-only.plist app.test "<key>TSKIncludeSubdomains</key><true/><key>TSKEnforcePinning</key><false/>" "$CUR" "$NEXT"
app "trustkit: TSKEnforcePinning false, a third key: WARNING" 1 \
	"^TLS_PIN WARNING - $S, key NOT pinned \(trustkit report-only\.plist: app\.test\), $(served "$THIRD"), the app only reports it \(TSKEnforcePinning false\) \| days=" \
	"$P_THIRD" --app-config "$T/report-only.plist"
trustkit tk-expiring.plist app.test "<key>TSKIncludeSubdomains</key><true/><key>TSKExpirationDate</key><string>$IN10</string>" "$CUR" "$NEXT"
app "trustkit: TSKExpirationDate in 10 days: WARNING" 1 \
	"^TLS_PIN WARNING - $S, key pinned \(trustkit tk-expiring\.plist: app\.test, pin 1 of 2\), its pin-set expires $IN10 " \
	"$P_CUR" --app-config "$T/tk-expiring.plist"
trustkit tk-one.plist app.test "<key>TSKIncludeSubdomains</key><true/>" "$CUR"
t_check "trustkit: one pin: UNKNOWN, the configuration is invalid" 3 \
	"^TLS_PIN UNKNOWN - $(re_quote "$T")/tk-one\.plist:[0-9]+: TrustKit refuses app\.test: 1 pin, it needs at least 2 \(a backup pin\)$" \
	-H "$H" -p "$P_CUR" --app-config "$T/tk-one.plist"
trustkit tk-exact.plist app.test "" "$CUR" "$NEXT"
t_check "trustkit: a parent without TSKIncludeSubdomains: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - $(re_quote "$T")/tk-exact\.plist: no TrustKit pinned domain applies to api\.app\.test$" \
	-H "$H" -p "$P_CUR" --app-config "$T/tk-exact.plist"
{
	plist_head
	cat <<EOF
	<key>TSKConfiguration</key>
	<dict>
		<key>TSKPinnedDomains</key>
		<dict>
			<key>app.test</key>
			<dict>
				<key>TSKIncludeSubdomains</key>
				<true/>
				<key>TSKPublicKeyHashes</key>
				<array>
					<string>$OTHER</string>
					<string>$INTER</string>
				</array>
			</dict>
			<key>$H</key>
			<dict>
				<key>TSKExcludeSubdomainFromParentPolicy</key>
				<true/>
			</dict>
		</dict>
	</dict>
</dict>
</plist>
EOF
} >"$T/tk-exclude.plist"
t_check "trustkit: TSKExcludeSubdomainFromParentPolicy: UNKNOWN, the app does not pin the name" 3 \
	"^TLS_PIN UNKNOWN - $(re_quote "$T")/tk-exclude\.plist: TrustKit excludes api\.app\.test from its parent's policy \(TSKExcludeSubdomainFromParentPolicy\): the app does not pin it$" \
	-H "$H" -p "$P_CUR" --app-config "$T/tk-exclude.plist"
t_check "trustkit: ... while a sibling subdomain gets the parent's policy" 0 \
	"^TLS_PIN OK - [^|]*, key pinned \(trustkit tk-exclude\.plist: app\.test, pin 2 of 2 at depth 1\) \| days=" \
	-H "$H" -I 127.0.0.1 -p "$P_CUR" --no-verify --sni www.app.test \
	--app-config "$T/tk-exclude.plist"

# ---------------------------------------------------------------- ATS

ats ats-ca.plist app.test true "" "$INTER"
app "ats: the intermediate as a CA identity: OK at depth 1" 0 \
	"^TLS_PIN OK - $S, key pinned \(ats ats-ca\.plist: app\.test, CA identity 1 of 1 at depth 1\) \| days=" \
	"$P_THIRD" --app-config "$T/ats-ca.plist"
binary ats-ca.plist ats-ca.bplist
app "ats, binary plist: the same" 0 \
	"^TLS_PIN OK - $S, key pinned \(ats ats-ca\.bplist: app\.test, CA identity 1 of 1 at depth 1\) \| days=" \
	"$P_THIRD" --app-config "$T/ats-ca.bplist"
ats ats-ca-leaf.plist app.test true "" "$CUR"
app "ats: the leaf's key as a CA identity never matches the leaf: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $S, key NOT pinned \(ats ats-ca-leaf\.plist: app\.test\), $(served "$CUR") \| days=" \
	"$P_CUR" --app-config "$T/ats-ca-leaf.plist"
ats ats-leaf-ca.plist app.test true "$INTER" ""
app "ats: a CA's key as a leaf identity never matches the CA: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $S, key NOT pinned \(ats ats-leaf-ca\.plist: app\.test\), $(served "$CUR") \| days=" \
	"$P_CUR" --app-config "$T/ats-leaf-ca.plist"
ats ats-both.plist "$H" false "$CUR $NEXT" "$INTER"
app "ats: leaf and CA identities, both matching: OK naming both" 0 \
	"^TLS_PIN OK - $S, key pinned \(ats ats-both\.plist: api\.app\.test, leaf identity 1 of 2 and CA identity 1 of 1 at depth 1\) \| days=" \
	"$P_CUR" --app-config "$T/ats-both.plist"
ats ats-both-bad.plist "$H" false "$CUR $NEXT" "$OTHER"
app "ats: leaf and CA identities, the CA not matching: CRITICAL, as on iOS" 2 \
	"^TLS_PIN CRITICAL - $S, key NOT pinned \(ats ats-both-bad\.plist: api\.app\.test, a leaf identity matches, no CA identity does\), $(served "$CUR") \| days=" \
	"$P_CUR" --app-config "$T/ats-both-bad.plist"
ats ats-no-sub.plist app.test false "" "$INTER"
t_check "ats: NSIncludesSubdomains false on the parent: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - $(re_quote "$T")/ats-no-sub\.plist: no ATS pinned domain applies to api\.app\.test$" \
	-H "$H" -p "$P_CUR" --app-config "$T/ats-no-sub.plist"

# ---------------------------------------------------------------- two apps, one rotation

# The Android app pins the leaf keys (current + next); the iOS app pins the
# issuing CA. Through the rotation the iOS app never notices; the third key
# breaks only the Android app; -P is a third source, judged on its own.
TWO=(--app-config "$T/network_security_config.xml" --app-config "$T/ats-ca.plist")
app "two apps, the current key: OK, both named" 0 \
	"^TLS_PIN OK - $S, key pinned \(android network_security_config\.xml: app\.test, pin 1 of 2\), key pinned \(ats ats-ca\.plist: app\.test, CA identity 1 of 1 at depth 1\) \| days=" \
	"$P_CUR" "${TWO[@]}"
app "two apps, the rotated key: OK" 0 \
	"^TLS_PIN OK - $S, key pinned \(android network_security_config\.xml: app\.test, pin 2 of 2\), key pinned \(ats ats-ca\.plist: app\.test, CA identity 1 of 1 at depth 1\) \| days=" \
	"$P_NEXT" "${TWO[@]}"
app "two apps, the third key: CRITICAL for Android, the iOS app still pinned" 2 \
	"^TLS_PIN CRITICAL - $S, key NOT pinned \(android network_security_config\.xml: app\.test\), $(served "$THIRD"), key pinned \(ats ats-ca\.plist: app\.test, CA identity 1 of 1 at depth 1\) \| days=" \
	"$P_THIRD" "${TWO[@]}"
app "-P with an app config: each judged, the worst wins" 2 \
	"^TLS_PIN CRITICAL - $S, key pinned \(leaf\), key NOT pinned \(android network_security_config\.xml: app\.test\), $(served "$THIRD") \| days=" \
	"$P_THIRD" -P "sha256/$THIRD" "${NSC[@]}"
if ipv6_loopback "$P_CUR"; then
	t_check "two addresses on one key: the apps' verdict on the line" 0 \
		"^TLS_PIN OK - $H:$P_CUR: 2 addresses, key pinned \(android network_security_config\.xml: app\.test, pin 1 of 2\), key pinned \(ats ats-ca\.plist: app\.test, CA identity 1 of 1 at depth 1\); earliest expiry " \
		-H "$H" -I 127.0.0.1 -I ::1 -p "$P_CUR" --ca-file "$T/root.pem" "${TWO[@]}"
	t_check "two addresses, one on the third key: CRITICAL naming it" 2 \
		"^TLS_PIN CRITICAL - $H:$P_THIRD: 2 addresses; 127\.0\.0\.1: [^;|]*key NOT pinned \(android network_security_config\.xml: app\.test\), $(served "$THIRD")" \
		-H "$H" -I 127.0.0.1 -I ::1 -p "$P_THIRD" --ca-file "$T/root.pem" "${NSC[@]}"
else
	t_skip "two addresses on one key: the apps' verdict on the line" "no IPv6 loopback"
	t_skip "two addresses, one on the third key: CRITICAL naming it" "no IPv6 loopback"
fi
t_check "--file with -H: the app config judges a certificate before it is deployed" 2 \
	"^TLS_PIN CRITICAL - $(re_quote "$T")/third\.chain\.pem expires in [^,|]*, key NOT pinned \(android network_security_config\.xml: app\.test\), $(served "$THIRD") \| days=" \
	--file "$T/third.chain.pem" -H "$H" "${NSC[@]}"
t_check "--app-config without a name to match: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - --app-config needs the name the app connects to: -H NAME$" \
	--file "$T/third.chain.pem" "${NSC[@]}"

# ---------------------------------------------------------------- bad files, before any connection

start_server silent
SILENT=$SERVER_PORT
# accepted: how many connections the server on SILENT has accepted (the
# probe that saw it listen is one).
accepted() {
	grep -c accepted "$(server_log "$SILENT")"
}
BEFORE=$(accepted)
# bad DESC REGEX FILE: UNKNOWN with REGEX (after the file's path), and the
# server on SILENT never saw a connection.
bad() {
	local desc=$1 re=$2 file=$3
	t_check "$desc" 3 "^TLS_PIN UNKNOWN - $(re_quote "$T/$file")$re" \
		-H "$H" -I 127.0.0.1 -p "$SILENT" -t 3 --app-config "$T/$file"
	if [[ $(accepted) != "$BEFORE" ]]; then
		tap_result "... refused before any connection" "the plugin connected"
	else
		tap_result "... refused before any connection" ""
	fi
}
printf '%s\n' '<?xml version="1.0"?>' '<network-security-config>' '  <domain-config>' \
	'    <domain>app.test' '  </domain-config>' '</network-security-config>' >"$T/malformed.xml"
bad "malformed XML: the file and the line" ":5: .*domain" malformed.xml
cat >"$T/bomb.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE network-security-config [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<network-security-config><domain-config><domain>&e;</domain></domain-config></network-security-config>
EOF
bad "an entity-expansion bomb: refused at its first declaration" ":3: an entity declaration: refused" bomb.xml
mkfifo "$T/secret"
cat >"$T/xxe.xml" <<EOF
<?xml version="1.0"?>
<!DOCTYPE network-security-config [
  <!ENTITY secret SYSTEM "file://$T/secret">
]>
<network-security-config><domain-config><domain>&secret;</domain></domain-config></network-security-config>
EOF
bad "an external entity: refused, never read (a FIFO would hang)" ":3: an entity declaration: refused" xxe.xml
t_ok "... within a second (${ELAPSED_MS} ms)" test "$ELAPSED_MS" -lt 1000
cat >"$T/dtd.xml" <<EOF
<?xml version="1.0"?>
<!DOCTYPE network-security-config SYSTEM "file://$T/secret">
<network-security-config><domain-config><domain>app.test</domain><pin-set><pin digest="SHA-256">&undeclared;</pin></pin-set></domain-config></network-security-config>
EOF
bad "an external DTD is never read, its entities stay unknown" ":3: Entity 'undeclared' not defined$" dtd.xml
t_ok "... within a second (${ELAPSED_MS} ms)" test "$ELAPSED_MS" -lt 1000
# Apple's DOCTYPE names a DTD on a web server: here one that never answers.
sed "s,http://www.apple.com/DTDs/PropertyList-1.0.dtd,http://127.0.0.1:$SILENT/PropertyList-1.0.dtd," \
	"$T/Info.plist" >"$T/dtd-url.plist"
t_check "a plist DOCTYPE naming a URL: read as it is, nothing fetched" 0 \
	"^TLS_PIN OK - [^|]*, key pinned \(trustkit dtd-url\.plist: app\.test, pin 1 of 2\) \| days=" \
	-H "$H" -I 127.0.0.1 -p "$P_CUR" --ca-file "$T/root.pem" --app-config "$T/dtd-url.plist"
if [[ $(accepted) != "$BEFORE" ]]; then
	tap_result "... the DTD's server never saw a connection" "the plugin fetched the DTD"
else
	tap_result "... the DTD's server never saw a connection" ""
fi
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$T/huge.xml"
t_check "a file over 1 MiB" 3 "^TLS_PIN UNKNOWN - app config $(re_quote "$T")/huge\.xml is larger than 1024 KiB$" \
	-H "$H" -p "$P_CUR" --app-config "$T/huge.xml"
android short-pin.xml app.test true "" "${CUR:1}" "$NEXT"
bad "a pin that is not 32 bytes of base64: the line" ":6: invalid pin '$(re_quote "${CUR:1}")': base64 pin must be 44 characters long$" short-pin.xml
android bad-date.xml app.test true "2026-02-30" "$CUR" "$NEXT"
bad "an expiration date that does not exist" ":5: pin-set expiration '2026-02-30' is not a date yyyy-MM-dd$" bad-date.xml
android sha1.xml app.test true "" "$CUR" "$NEXT"
sed -i '0,/SHA-256/s//SHA-1/' "$T/sha1.xml"
bad "an unknown digest" ":6: pin digest 'SHA-1' is not supported \(only SHA-256\)$" sha1.xml
printf 'bplist00garbage' >"$T/garbage.bplist"
bad "a binary plist that is not one" ": not a valid binary property list$" garbage.bplist
# Binary plists made byte by byte: arrays of 14 references to the next
# array, 7 deep (about 100 million values once expanded from 150 bytes), and
# a domain key with a NUL byte. Refused before libplist builds anything.
python3 -c 'import struct, sys
objs = [bytes([0xae]) + bytes([i + 1]) * 14 for i in range(7)] + [b"\x51x"]
out, offs = bytearray(b"bplist00"), []
for o in objs:
    offs.append(len(out)); out += o
table = len(out)
for o in offs:
    out += struct.pack(">H", o)
out += bytes(6) + bytes([2, 1]) + struct.pack(">QQQ", len(objs), 0, table)
open(sys.argv[1], "wb").write(out)' "$T/expansion.bplist"
bad "binary plist: references that expand past the limit" ": binary property list refused: its objects expand to more values than the limit$" expansion.bplist
t_ok "... at once (${ELAPSED_MS} ms)" test "$ELAPSED_MS" -lt 1000
python3 -c 'import plistlib, sys
d = {"TSKConfiguration": {"TSKPinnedDomains": {"api.app.test\0": {"TSKPublicKeyHashes": []}}}}
with open(sys.argv[1], "wb") as f:
    plistlib.dump(d, f, fmt=plistlib.FMT_BINARY)' "$T/nul.bplist"
bad "binary plist: a key with a NUL byte" ": binary property list refused: a string holds a NUL character$" nul.bplist
trustkit bad-date.plist app.test "<key>TSKExpirationDate</key><string>31.12.2027</string>" "$CUR" "$NEXT"
binary bad-date.plist bad-date.bplist
bad "binary plist: a TSKExpirationDate that does not parse" ": TSKExpirationDate of app\.test '31\.12\.2027' is not a date yyyy-MM-dd$" bad-date.bplist
printf '%s\n' '<?xml version="1.0"?>' '<html><body/></html>' >"$T/html.xml"
bad "neither format" ":2: root element <html>: neither an Android" html.xml

# ---------------------------------------------------------------- --print-pins --format

fmt() {
	local desc=$1 format=$2 port=$3
	t_check "$desc" 0 "$4" -H "$H" -I 127.0.0.1 -p "$port" --ca-file "$T/root.pem" \
		--print-pins --format "$format"
	printf '%s\n' "$OUT" >"$T/snippet.$format"
}
fmt "--format android: a network security configuration" android "$P_CUR" '^<\?xml version="1\.0" encoding="utf-8"\?>$'
t_out "... the leaf's pin active" "^            <pin digest=\"SHA-256\">$(re_quote "$CUR")</pin>$"
t_out "... the intermediate's as a comment" "^            <!-- depth 1: CN=App Test Intermediate, expires [0-9-]+: <pin digest=\"SHA-256\">$(re_quote "$INTER")</pin> -->$"
t_out "... the result as a comment" "^<!-- TLS_PIN OK - $H:$P_CUR "
app "... read back: OK" 0 \
	"^TLS_PIN OK - $S, key pinned \(android snippet\.android: api\.app\.test, pin 1 of 1\) \| days=" \
	"$P_CUR" --app-config "$T/snippet.android"
app "... read back against the rotated key: CRITICAL" 2 "^TLS_PIN CRITICAL - $S, key NOT pinned \(android snippet\.android: api\.app\.test\)" \
	"$P_NEXT" --app-config "$T/snippet.android"
fmt "--format ats: an Info.plist" ats "$P_CUR" '^<\?xml version="1\.0" encoding="UTF-8"\?>$'
app "... read back: OK, the leaf identity" 0 \
	"^TLS_PIN OK - $S, key pinned \(ats snippet\.ats: api\.app\.test, leaf identity 1 of 1\) \| days=" \
	"$P_CUR" --app-config "$T/snippet.ats"
fmt "--format trustkit: an Info.plist" trustkit "$P_CUR" '^<\?xml version="1\.0" encoding="UTF-8"\?>$'
t_out "... with one pin, it says TrustKit needs a backup pin" "<!-- TrustKit needs a second \(backup\) pin and refuses a domain without one: add the next key's pin here\. -->$"
t_check "... read back as it is: UNKNOWN, as TrustKit refuses it" 3 \
	"^TLS_PIN UNKNOWN - $(re_quote "$T")/snippet\.trustkit:[0-9]+: TrustKit refuses api\.app\.test: 1 pin, it needs at least 2 \(a backup pin\)$" \
	-H "$H" -p "$P_CUR" --app-config "$T/snippet.trustkit"
# The announced next certificate's snippet gives its pin; pasted in: a valid pair.
t_check "--format trustkit --file NEXT: the next key's snippet" 0 "^<\?xml " \
	--file "$T/next.chain.pem" -H "$H" --print-pins --format trustkit
NEXT_LINE=$(grep -F "<string>$NEXT</string>" <<<"$OUT")
t_ok "... holds the next key's pin" test -n "$NEXT_LINE"
sed -i "/TrustKit needs a second/r /dev/stdin" "$T/snippet.trustkit" <<<"$NEXT_LINE"
app "... pasted into the current one: OK, and the rotated server too" 0 \
	"^TLS_PIN OK - $S, key pinned \(trustkit snippet\.trustkit: api\.app\.test, pin 1 of 2\) \| days=" \
	"$P_CUR" --app-config "$T/snippet.trustkit"
app "... the rotated server" 0 \
	"^TLS_PIN OK - $S, key pinned \(trustkit snippet\.trustkit: api\.app\.test, pin 2 of 2\) \| days=" \
	"$P_NEXT" --app-config "$T/snippet.trustkit"
# The README's commands, as written there (the name, address and CA of this
# test's server added): the two apps of the same service, then a TrustKit
# entry for the key served now and the next certificate's line pasted in.
mkdir "$T/readme"
cp "$T/network_security_config.xml" "$T/readme/"
cp "$T/ats-ca.plist" "$T/readme/Info.plist"
cp "$T/next.chain.pem" "$T/readme/next-chain.pem"
cd "$T/readme" || bail_out "cannot enter $T/readme"
CONN=(-I 127.0.0.1 -p "$P_CUR" --ca-file "$T/root.pem")
t_check "README: the Android app's and the iOS app's pins" 0 \
	"^TLS_PIN OK - $S, key pinned \(android network_security_config\.xml: app\.test, pin 1 of 2\), key pinned \(ats Info\.plist: app\.test, CA identity 1 of 1 at depth 1\) \| days=" \
	-H "$H" "${CONN[@]}" --app-config network_security_config.xml --app-config Info.plist
run_plugin -H "$H" "${CONN[@]}" --print-pins --format trustkit
printf '%s\n' "$OUT" >current.plist
t_ok "README: --print-pins --format trustkit > current.plist" test "$RC" = 0
t_check "README: the next certificate's entry" 0 "^<\?xml " \
	--file next-chain.pem -H "$H" --print-pins --format trustkit
grep -F "<string>$NEXT</string>" <<<"$OUT" | sed -i "/TrustKit needs a second/r /dev/stdin" current.plist
t_check "README: its line pasted where the snippet says: a TrustKit entry that reads back" 0 \
	"^TLS_PIN OK - $S, key pinned \(trustkit current\.plist: api\.app\.test, pin 1 of 2\) \| days=" \
	-H "$H" "${CONN[@]}" --app-config current.plist
cd "$T" || bail_out "cannot enter $T"

# ---------------------------------------------------------------- as the platforms read them
# Files on which a reader that differs from the platform's would say OK
# while the app refuses the server (the current key is served).
FC=(--file "$T/cur.chain.pem" -H "$H")
# Android keeps a domain's trailing dot and so never matches it: the parent
# applies, whose pins are not the served key.
cat >"$T/dot.xml" <<EOF_XML
<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <domain-config>
        <domain includeSubdomains="true">app.test</domain>
        <pin-set><pin digest="SHA-256">$OTHER</pin><pin digest="SHA-256">$NEXT</pin></pin-set>
    </domain-config>
    <domain-config>
        <domain>$H.</domain>
        <pin-set><pin digest="SHA-256">$CUR</pin></pin-set>
    </domain-config>
</network-security-config>
EOF_XML
t_check "android: a domain with a trailing dot applies to nothing: the parent's pins, CRITICAL" 2 \
	"^TLS_PIN CRITICAL - [^|]*key NOT pinned \(android dot\.xml: app\.test\)" "${FC[@]}" --app-config "$T/dot.xml"
# aapt2 makes a boolean of true, TRUE and True only: "tRUE" is no boolean.
sed -e 's/<domain>'"$H"'\.</<domain includeSubdomains="tRUE">'"$H"'</' "$T/dot.xml" >"$T/case.xml"
t_check "android: includeSubdomains=\"tRUE\": UNKNOWN" 3 "includeSubdomains=\"tRUE\": expected true or false" \
	"${FC[@]}" --app-config "$T/case.xml"
# A namespaced element is read by its local name on the device.
sed -e 's|<domain>'"$H"'\.</domain>|<x:domain xmlns:x="urn:x">'"$H"'</x:domain>|' "$T/dot.xml" >"$T/ns.xml"
t_check "android: a namespaced element: UNKNOWN, refused" 3 "<domain> in a namespace: refused" \
	"${FC[@]}" --app-config "$T/ns.xml"
# Declared attribute defaults apply on the device, not in libxml2.
sed -e '1a <!DOCTYPE network-security-config [ <!ATTLIST domain includeSubdomains CDATA "true"> ]>' \
	"$T/dot.xml" >"$T/dtd.xml"
t_check "android: a DOCTYPE with declarations: UNKNOWN, refused" 3 "a DOCTYPE with declarations: refused" \
	"${FC[@]}" --app-config "$T/dtd.xml"
# TrustKit compares domains case and all: API.app.test is not the name.
{
	plist_head
	echo '<key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict>'
	echo "<key>app.test</key><dict><key>TSKIncludeSubdomains</key><true/><key>TSKPublicKeyHashes</key><array><string>$OTHER</string><string>$NEXT</string></array></dict>"
	echo "<key>API.app.test</key><dict><key>TSKPublicKeyHashes</key><array><string>$CUR</string><string>$NEXT</string></array></dict>"
	echo '</dict></dict></dict></plist>'
} >"$T/tkcase.plist"
t_check "trustkit: a domain in capitals is not the name: the parent's pins, CRITICAL" 2 \
	"^TLS_PIN CRITICAL - [^|]*key NOT pinned \(trustkit tkcase\.plist: app\.test\)" \
	"${FC[@]}" --app-config "$T/tkcase.plist"
# A key twice: Apple's XML reader keeps the last, which pins another key.
{
	plist_head
	echo '<key>NSAppTransportSecurity</key><dict><key>NSPinnedDomains</key><dict>'
	echo "<key>$H</key><dict>"
	echo "<key>NSPinnedLeafIdentities</key><array><dict><key>SPKI-SHA256-BASE64</key><string>$CUR</string></dict></array>"
	echo "<key>NSPinnedLeafIdentities</key><array><dict><key>SPKI-SHA256-BASE64</key><string>$OTHER</string></dict></array>"
	echo '</dict></dict></dict></dict></plist>'
} >"$T/twice.plist"
t_check "ats: a key twice in a dictionary: UNKNOWN, refused" 3 "the key 'NSPinnedLeafIdentities' twice in one dictionary" \
	"${FC[@]}" --app-config "$T/twice.plist"

fmt "--format pins: the pin file of --print-pins" pins "$P_CUR" "^sha256/$(re_quote "$CUR")  leaf: CN=$H, "
t_check "--format without --print-pins: UNKNOWN" 3 "^TLS_PIN UNKNOWN - --format needs --print-pins$" \
	-H "$H" -p "$P_CUR" --format android
t_check "--format xml: UNKNOWN" 3 "^TLS_PIN UNKNOWN - invalid --format 'xml': expected pins, android, trustkit or ats$" \
	-H "$H" -p "$P_CUR" --print-pins --format xml

done_testing
