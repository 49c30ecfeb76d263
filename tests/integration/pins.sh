#!/bin/bash
# SPKI pins against a real chain (root -> intermediate -> leaf): every
# spelling, lists, --pin-scope, the backup-pin rule, pin files with labels,
# --print-pins fed back as a pin file, and malformed pins.
#
# The expected pins are computed by openssl (lib.sh spki_*), never by the plugin.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools certtool gnutls-serv openssl

H=pins.test.example

mk_cert root --ca --to "+3650 days" --cn "Pin Test Root"
mk_cert inter --ca --issuer root --to "+1000 days" --cn "Pin Test Intermediate"
mk_cert leaf --issuer inter --cn "$H"
mk_chain leaf.chain leaf inter
mk_cert backup --cn "backup.test.example"
mk_cert spare --cn "spare.test.example"

start_server gnutls --x509certfile "$T/leaf.chain.pem" --x509keyfile "$T/leaf.key"
PORT=$SERVER_PORT

LEAF=$(spki_b64 leaf)
INTER=$(spki_b64 inter)
ROOT=$(spki_b64 root)
BACKUP=$(spki_b64 backup)
SPARE=$(spki_b64 spare)
LEAF_HEX=$(spki_hex leaf)
LEAF_HEXC=$(spki_hex_colons leaf)
BACKUP_HEX=$(spki_hex backup)
INTER_HEXC=$(spki_hex_colons inter)
for p in "$LEAF" "$INTER" "$ROOT" "$BACKUP" "$SPARE"; do
	[[ ${#p} == 44 ]] || bail_out "openssl gave a pin of ${#p} characters: $p"
done
[[ ${#LEAF_HEX} == 64 ]] || bail_out "openssl gave a hex pin of ${#LEAF_HEX} digits"

# pin DESC RC REGEX ARGS...: checks the server, verified against the root.
pin() {
	local desc=$1 rc=$2 re=$3
	local -a trust=(--ca-file "$T/root.pem")
	shift 3
	if [[ " $* " == *" --no-verify "* ]]; then
		trust=()
	fi
	t_check "$desc" "$rc" "$re" -H "$H" -I 127.0.0.1 -p "$PORT" "${trust[@]}" "$@"
}
OK="^TLS_PIN OK - $H:$PORT \(127\.0\.0\.1\) expires in [^,|]*"
WARN="^TLS_PIN WARNING - $H:$PORT \(127\.0\.0\.1\) expires in [^,|]*"
CRIT="^TLS_PIN CRITICAL - $H:$PORT \(127\.0\.0\.1\) expires in [^,|]*"
BAD="^TLS_PIN UNKNOWN - invalid pin"
PINNED_LEAF="${OK}, key pinned \(leaf\) \| days="
NOT_PINNED="${CRIT}, key NOT pinned, served sha256/$(re_quote "$LEAF") \| days="

# --- every spelling of the leaf's pin
pin "sha256/B64 (OkHttp)" 0 "$PINNED_LEAF" -P "sha256/$LEAF"
pin "sha256//B64 (curl)" 0 "$PINNED_LEAF" -P "sha256//$LEAF"
pin "pin-sha256=\"B64\" (HPKP)" 0 "$PINNED_LEAF" -P "pin-sha256=\"$LEAF\""
pin "pin-sha256:B64 (GnuTLS)" 0 "$PINNED_LEAF" -P "pin-sha256:$LEAF"
pin "bare B64" 0 "$PINNED_LEAF" -P "$LEAF"
pin "64 hex digits" 0 "$PINNED_LEAF" -P "$LEAF_HEX"
pin "64 upper-case hex digits" 0 "$PINNED_LEAF" -P "$(tr a-f A-F <<<"$LEAF_HEX")"
pin "hex pairs with colons (DANE 3 1 1)" 0 "$PINNED_LEAF" -P "$LEAF_HEXC"
pin "--pin long option" 0 "$PINNED_LEAF" --pin "sha256/$LEAF"

# --- several pins
pin "two pins separated by ';', the second served" 0 "$PINNED_LEAF" \
	-P "sha256/$BACKUP;sha256/$LEAF"
pin "two pins separated by ',', mixed spellings" 0 "$PINNED_LEAF" \
	-P "$BACKUP_HEX,pin-sha256:$LEAF"
pin "three pins with blanks around the separators" 0 "$PINNED_LEAF" \
	-P "sha256//$SPARE ; $LEAF_HEXC , pin-sha256=\"$BACKUP\""
pin "-P repeated" 0 "$PINNED_LEAF" -P "sha256/$BACKUP" -P "sha256/$LEAF"
pin "a pin that is not served: CRITICAL, the served pin printed" 2 "$NOT_PINNED" \
	-P "sha256/$BACKUP"
pin "a list of pins none of which is served: CRITICAL" 2 "$NOT_PINNED" \
	-P "sha256/$BACKUP;sha256/$SPARE"

# --- scope
pin "the intermediate's pin (chain scope): OK at depth 1" 0 \
	"${OK}, key pinned \(depth 1\) \| days=" -P "sha256/$INTER"
pin "the root's pin, verified: OK at the trust anchor" 0 \
	"${OK}, key pinned \(trust anchor\) \| days=" -P "sha256/$ROOT"
pin "the root's pin with an explicit --pin-scope chain" 0 \
	"${OK}, key pinned \(trust anchor\) \| days=" -P "sha256/$ROOT" --pin-scope chain
pin "the root's pin, not verified: the root is not served, CRITICAL" 2 "$NOT_PINNED" \
	-P "sha256/$ROOT" --no-verify
pin "leaf and intermediate pinned: the match nearest the leaf is named" 0 "$PINNED_LEAF" \
	-P "sha256/$INTER" -P "sha256/$LEAF"
pin "--pin-scope leaf, the leaf's pin: OK" 0 "$PINNED_LEAF" -P "sha256/$LEAF" --pin-scope leaf
pin "--pin-scope leaf, the intermediate's pin: CRITICAL" 2 "$NOT_PINNED" \
	-P "sha256/$INTER" --pin-scope leaf -v
t_line "-v marks the intermediate as outside the scope" 3 \
	"^depth 1: subject \"CN=Pin Test Intermediate\", .*sha256/$(re_quote "$INTER"), ECDSA P-256, .*, in the pin set but outside --pin-scope$"
pin "--pin-scope leaf, the root's pin: CRITICAL" 2 "$NOT_PINNED" \
	-P "sha256/$ROOT" --pin-scope leaf
t_check "--pin-scope root is a usage error" 3 \
	"^TLS_PIN UNKNOWN - invalid --pin-scope 'root'" \
	-H "$H" -p "$PORT" -P "sha256/$LEAF" --pin-scope root

# --- backup pins
pin "--require-backup-pin, one pin, served: WARNING" 1 \
	"${WARN}, key pinned \(leaf\), no backup pin: every pin of the set \(1\) is served \| days=" \
	-P "sha256/$LEAF" --require-backup-pin
pin "--require-backup-pin, a backup not served: OK" 0 "$PINNED_LEAF" \
	-P "sha256/$LEAF" -P "sha256/$BACKUP" --require-backup-pin
pin "--require-backup-pin, leaf and intermediate both served: WARNING" 1 \
	"${WARN}, key pinned \(leaf\), no backup pin: every pin of the set \(2\) is served \| days=" \
	-P "sha256/$LEAF;sha256/$INTER" --require-backup-pin
pin "--require-backup-pin, leaf, intermediate and anchor: WARNING" 1 \
	"${WARN}, key pinned \(leaf\), no backup pin: every pin of the set \(3\) is served \| days=" \
	-P "sha256/$LEAF" -P "sha256/$INTER" -P "sha256/$ROOT" --require-backup-pin
pin "--require-backup-pin, nothing served: CRITICAL wins" 2 "$NOT_PINNED" \
	-P "sha256/$BACKUP" --require-backup-pin
t_check "--require-backup-pin without pins is a usage error" 3 \
	"^TLS_PIN UNKNOWN - --require-backup-pin needs pins" \
	-H "$H" -p "$PORT" --require-backup-pin

# --- pin files
printf '%s\n' "# the app's pins, release 7" "" \
	"sha256/$BACKUP    backup key, kept offline" \
	"pin-sha256=\"$LEAF\"   current release key   # rotated 2026" \
	"	$INTER_HEXC issuing CA" >"$T/app.pins"
pin "pin file: the label of the matching pin is shown" 0 \
	"${OK}, key pinned \(leaf, \"current release key\"\) \| days=" --pin-file "$T/app.pins"
printf '%s\n' "sha256/$BACKUP backup" "$INTER_HEXC issuing CA" >"$T/inter.pins"
pin "pin file: the intermediate matches with its label" 0 \
	"${OK}, key pinned \(depth 1, \"issuing CA\"\) \| days=" --pin-file "$T/inter.pins" -v
t_line "-v shows the label on the intermediate's line" 3 \
	"^depth 1: subject \"CN=Pin Test Intermediate\", .*, pinned \"issuing CA\"$"
printf '%s\r\n' "# edited on Windows" "sha256/$LEAF  current" >"$T/crlf.pins"
pin "pin file with CRLF line ends" 0 "${OK}, key pinned \(leaf, \"current\"\) \| days=" \
	--pin-file "$T/crlf.pins"
printf '%s\n' "sha256/$BACKUP backup" "sha256/$SPARE spare" >"$T/none.pins"
pin "pin file without the served pin: CRITICAL" 2 "$NOT_PINNED" --pin-file "$T/none.pins"
pin "pin file plus -P: the -P pin matches" 0 "$PINNED_LEAF" \
	--pin-file "$T/none.pins" -P "$LEAF_HEX"
printf '%s\n' "sha256/$BACKUP" "# fine so far" "sha256/tooshort   broken" >"$T/bad.pins"
t_check "pin file with a malformed line: UNKNOWN naming file and line" 3 \
	"^TLS_PIN UNKNOWN - $(re_quote "$T/bad.pins"):3: invalid pin 'sha256/tooshort'" \
	-H "$H" -p "$PORT" --pin-file "$T/bad.pins"
t_check "a missing pin file: UNKNOWN naming it" 3 \
	"^TLS_PIN UNKNOWN - cannot open pin file $(re_quote "$T/nowhere.pins")" \
	-H "$H" -p "$PORT" --pin-file "$T/nowhere.pins"
printf '%s\n' "# nothing here" "" >"$T/empty.pins"
t_check "a pin file without pins: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - pin file $(re_quote "$T/empty.pins") holds no pins" \
	-H "$H" -p "$PORT" --pin-file "$T/empty.pins"

# --- --print-pins, fed back
END_LEAF=$(cert_end leaf)
LEAF_LABEL="leaf: CN=$H, expires ${END_LEAF%% *}"
NOT_PINNED='^# Not pinned: the CA keys below\. Uncommenting one pins that CA: any key it signs then matches\.$'
pin "--print-pins: the leaf's pin, labelled, as a pin file, exit as the check" 0 \
	"^sha256/$(re_quote "$LEAF")  $(re_quote "$LEAF_LABEL")$" --print-pins
t_line "--print-pins: then why the CA keys are not pinned" 2 "$NOT_PINNED"
t_line "--print-pins: the intermediate, commented out" 3 \
	"^# sha256/$(re_quote "$INTER")  depth 1: CN=Pin Test Intermediate, expires [0-9]{4}-[0-9]{2}-[0-9]{2}$"
t_line "--print-pins: then the trust anchor, commented out" 4 \
	"^# sha256/$(re_quote "$ROOT")  trust anchor: CN=Pin Test Root, expires [0-9]{4}-[0-9]{2}-[0-9]{2}$"
t_line "--print-pins: the status line as a comment" 5 "^# TLS_PIN OK - $H:$PORT "
t_ok "--print-pins: five lines, each pin once" test "${#OUT_LINES[@]}" -eq 5
printf '%s\n' "$OUT" >"$T/printed.pins"
pin "--print-pins output as --pin-file: OK, the label shown" 0 \
	"${OK}, key pinned \(leaf, \"$(re_quote "$LEAF_LABEL")\"\) \| days=" --pin-file "$T/printed.pins"
pin "--print-pins output as --pin-file, --pin-scope leaf: OK" 0 "${OK}, key pinned \(leaf, " \
	--pin-file "$T/printed.pins" --pin-scope leaf
pin "--print-pins output, --require-backup-pin: WARNING, its one pin is served" 1 \
	"${WARN}, key pinned \(leaf, [^|]*\), no backup pin: every pin of the set \(1\) is served \| days=" \
	--pin-file "$T/printed.pins" --require-backup-pin
# Without the leaf's line only the commented CA pins are left: they match nothing.
{ grep -vF "sha256/$LEAF  " "$T/printed.pins"; echo "sha256/$BACKUP  other"; } >"$T/ca-only.pins"
pin "--print-pins output without its leaf line: the CA lines match nothing, CRITICAL" 2 \
	"${CRIT}, key NOT pinned, served sha256/$(re_quote "$LEAF") \| days=" --pin-file "$T/ca-only.pins"
pin "--print-pins with an unserved pin: exit 2, pins still printed" 2 \
	"^sha256/$(re_quote "$LEAF")  leaf: " --print-pins -P "sha256/$BACKUP" --no-verify
t_line "... the intermediate, found by its signature" 3 "^# sha256/$(re_quote "$INTER")  depth 1: "
t_line "--print-pins without verification has no anchor line" 4 "^# TLS_PIN CRITICAL - .*key NOT pinned"

# --- malformed pins: UNKNOWN naming the entry
pin "a SHA-1 pin (sha1/) is refused" 3 "${BAD} 'sha1/[^']*': SHA-1 pins are not supported" \
	-P "sha1/$(printf '%s' "$H" | openssl dgst -sha1 -binary | base64)"
pin "a SHA-1 pin (pin-sha1=) is refused" 3 "${BAD} 'pin-sha1=[^']*': SHA-1" \
	-P "pin-sha1=\"$(printf '%s' "$H" | openssl dgst -sha1 -binary | base64)\""
pin "base64 one character short" 3 "${BAD} 'sha256/$(re_quote "${LEAF:1}")'" -P "sha256/${LEAF:1}"
pin "base64 without its '='" 3 "${BAD} '$(re_quote "${LEAF%=}")'" -P "${LEAF%=}"
pin "63 hex digits" 3 "${BAD} '${LEAF_HEX:1}'" -P "${LEAF_HEX:1}"
pin "hex pairs joined by '-'" 3 "${BAD} '" -P "${LEAF_HEXC//:/-}"
pin "not a pin at all" 3 "${BAD} 'hello': not a SHA-256 pin" -P hello
pin "one bad entry in a list spoils it, named" 3 "${BAD} 'bogus'" -P "sha256/$LEAF;bogus"
pin "an empty entry in a list" 3 "${BAD}" -P "sha256/$LEAF;;sha256/$BACKUP"

# --- only the path counts: a certificate the server sends that issued
# nothing on the leaf's path is not what clients check (RFC 5280 6.1)
mk_cert stray --ca --to "+1000 days" --cn "Stray CA"
# openssl s_server sends the extra certificates as given (gnutls-serv drops
# the ones that are not on the chain).
cat "$T/stray.pem" "$T/inter.pem" >"$T/stray.inter.pem"
start_server openssl -cert "$T/leaf.pem" -key "$T/leaf.key" -cert_chain "$T/stray.inter.pem"
STRAY_PORT=$SERVER_PORT
STRAY=$(spki_b64 stray)
t_check "a pin of a sent certificate that is off the path: CRITICAL" 2 \
	"^TLS_PIN CRITICAL - $H:$STRAY_PORT \(127\.0\.0\.1\) expires in [^|]*, key NOT pinned, served sha256/$(re_quote "$LEAF") \| days=" \
	-H "$H" -I 127.0.0.1 -p "$STRAY_PORT" --ca-file "$T/root.pem" -P "sha256/$STRAY"
t_check "the server does send the stray certificate" 2 "^TLS_PIN CRITICAL - " \
	-H "$H" -I 127.0.0.1 -p "$STRAY_PORT" --ca-file "$T/root.pem" -P "sha256/$STRAY" -v
t_out "... -v lists it, on no path" "^sent as certificate [23], on no path: subject \"CN=Stray CA\".*, in the pin set but not on the path$"
t_check "... while the intermediate on the path still matches" 0 \
	"^TLS_PIN OK - [^|]*, key pinned \(depth [12]\) \| days=" \
	-H "$H" -I 127.0.0.1 -p "$STRAY_PORT" --ca-file "$T/root.pem" -P "sha256/$INTER"
t_check "... and without verification as well" 2 "^TLS_PIN CRITICAL - [^|]*, key NOT pinned" \
	-H "$H" -I 127.0.0.1 -p "$STRAY_PORT" --no-verify -P "sha256/$STRAY"

# --- a pin file that is not a regular file is refused at once, never read
mkfifo "$T/fifo.pins"
t_check "a FIFO as --pin-file: UNKNOWN at once, no hang" 3 \
	"^TLS_PIN UNKNOWN - cannot read pin file $(re_quote "$T")/fifo\.pins: not a regular file$" \
	-H "$H" -p "$PORT" --pin-file "$T/fifo.pins"
t_ok "the FIFO did not hold the plugin (${ELAPSED_MS} ms)" test "$ELAPSED_MS" -lt 2000

done_testing
