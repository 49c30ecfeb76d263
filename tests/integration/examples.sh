#!/bin/bash
# Every command the documentation shows is run: the indented blocks of the
# README, the man page's examples and those of --help. They are found by
# their text (a line that runs check_tls_pin), never listed here, so a new
# example is run as soon as it is written. The README's synopsis is not a
# command: it must be one of the synopses of --help instead.
#
# Each example runs as written, but for what ties it to the world outside
# this test:
#   host names    api.example.com, www.corp.example and the others (NAMES)
#                 are names of one test certificate, served on 127.0.0.1:
#                 -I 127.0.0.1 is added (an -I given becomes it), and -p
#                 becomes the port of the test server for the command's
#                 protocol (gnutls-serv, or a scripted STARTTLS peer); with
#                 --all-addresses, -H NAME becomes -H localhost --sni NAME.
#                 With --file nothing is contacted: -H and -p stay
#   trust         --ca-file FILE becomes the test CA, which is also added
#                 unless the command has --no-verify
#   revocation    the test certificate names an OCSP responder on loopback
#                 (openssl ocsp), which knows it as good
#   pins          sha256/47DEQ..., sha256/... and sha256/CURRENT... become
#                 the served key's pin, sha256/ungWv... and sha256/BACKUP...
#                 that of a next key no server serves (computed by openssl)
#   DNS           each base domain of NAMES (example.com, corp.example) is
#                 a zone signed at test time and served by NSD on loopback,
#                 where each name publishes, at the port of each test server,
#                 the 3 1 1 TLSA records of the served key and of the next
#                 key, as before a rotation. --dns-server ADDR becomes that
#                 NSD, which --dane adds when none is given; --dane without
#                 --dnssec-anchor adds the zones' DS records as the anchor,
#                 since the root's cannot validate a local zone
#   files         /etc/... lies under a directory made afresh for each block
#                 of examples, which holds /etc/nagios/pins/api (the two pins
#                 above) and /etc/ZONE.ds, the DS record of each test zone
#                 (/etc/corp.example.ds); new-chain.pem (the served chain),
#                 next-mx.pem and next-chain.pem (the next key's certificate
#                 and the CA), network_security_config.xml (an Android app
#                 pinning the served and the next key of api.example.com)
#                 and Info.plist (an iOS app whose App Transport Security
#                 pins the CA) are in the working directory;
#                 /usr/lib/nagios/plugins/check_tls_pin is the plugin under
#                 test
# The lines of one block run in order, in one directory, so that a pin file
# written by one line is read by the next. Each line must succeed with
# nothing on stderr, and each run of the plugin in it must be OK: exit code
# 0 and a "TLS_PIN OK" status line ("# TLS_PIN OK" with --print-pins, in
# an XML comment "<!-- TLS_PIN OK" with --format android, trustkit or ats,
# and "; TLS_PIN OK" with --print-tlsa, whose records must be TLSA records of
# the name that the test zone publishes). Without NSD or ldnsutils, the
# lines that run --dane are skipped.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
# shellcheck source-path=SCRIPTDIR source=dns-lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/dns-lib.sh"
require_tools certtool gnutls-serv openssl python3

SRC=${TESTS_SRCDIR:-$(dirname "$0")/..}/..
NAMES=()
for n in api mail www mx smtp imap ldap db mariadb ftp news chat; do
	NAMES+=("$n.example.com")
done
NAMES+=(www.corp.example)

mk_cert ca --ca --to "+3650 days" --cn "Examples Test Root"
sans=()
for n in "${NAMES[@]}"; do
	sans+=(--san "$n")
done
OCSP=$(free_port) || bail_out "no free port for the OCSP responder"
# 151 days: within the CA/Browser Forum limit, should an example use --max-validity.
mk_cert leaf --issuer ca --cn api.example.com "${sans[@]}" --to "+150 days" \
	--ocsp "http://127.0.0.1:$OCSP/"
index_line leaf V >"$T/index.txt"
START_PORT=$OCSP start_server ocsp "$T/index.txt" ca ca
mk_cert next --issuer ca --cn api.example.com "${sans[@]}" --to "+150 days"
CURRENT=$(spki_b64 leaf)
NEXT=$(spki_b64 next)
mk_chain new-chain leaf ca
mk_chain next-mx next ca
cp "$T/next-mx.pem" "$T/next-chain.pem"
CA_PIN=$(spki_b64 ca)
# The apps' configurations of the README: the Android app pins the served key
# and the next one, the iOS app (App Transport Security) the CA.
cat >"$T/network_security_config.xml" <<EOF_NSC
<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <domain-config>
        <domain includeSubdomains="true">api.example.com</domain>
        <pin-set>
            <pin digest="SHA-256">$CURRENT</pin>
            <pin digest="SHA-256">$NEXT</pin>
        </pin-set>
    </domain-config>
</network-security-config>
EOF_NSC
cat >"$T/Info.plist" <<EOF_PLIST
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
    <key>NSAppTransportSecurity</key>
    <dict>
        <key>NSPinnedDomains</key>
        <dict>
            <key>api.example.com</key>
            <dict>
                <key>NSPinnedCAIdentities</key>
                <array>
                    <dict>
                        <key>SPKI-SHA256-BASE64</key>
                        <string>$CA_PIN</string>
                    </dict>
                </array>
            </dict>
        </dict>
    </dict>
</dict>
</plist>
EOF_PLIST

# ---------------------------------------------------------------- the examples

# The README's indented blocks, one logical line a line (a line ending in
# '\' joined to the next), its indentation removed; a line "@@" ends a block.
readme_lines() {
	awk '
		/^    / { line = substr($0, 5); sub(/^ +/, "", line)
			if (cont != "") { line = cont " " line; cont = "" }
			if (line ~ /\\$/) { cont = substr(line, 1, length(line) - 1); sub(/ +$/, "", cont); next }
			print line; inblock = 1; next }
		/^$/ { next }
		inblock { print "@@"; inblock = 0 }
		END { if (inblock) print "@@" }
	' "$SRC/README"
}

# is_command LINE: LINE runs the plugin (a synopsis does too, for this).
COMMAND_RE='(^|[[:space:]/(])check_tls_pin([[:space:]]|$)'
is_command() {
	[[ $1 =~ $COMMAND_RE && $1 != \#* ]]
}

# The man page's examples: its lines that start with the command, outside
# the synopsis, with '\-' read as '-'.
man_lines() {
	sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$SRC/plugins/check_tls_pin.1" |
		sed -n -E 's/^(\.B +)?(check_tls_pin .*)/\2/p' | sed 's/\\-/-/g'
	echo "@@"
}

help_lines() {
	"$PLUGIN" --help | sed -n '/^Examples:/,$p' | sed -n 's/^ *\(check_tls_pin .*\)/\1/p'
	echo "@@"
}

# ---------------------------------------------------------------- servers

start_server gnutls --x509certfile "$T/leaf.pem" --x509keyfile "$T/leaf.key"
declare -A PORT=([tls]=$SERVER_PORT)

# The STARTTLS peers, one script a protocol: just enough dialogue for the
# plugin to reach its TLS handshake (the real servers are the STARTTLS
# tests' business). Only those the examples use are started.
TLS="tls $T/leaf.pem $T/leaf.key"
XMPP_FEATURES='send b"<?xml version=\"1.0\"?><stream:stream xmlns=\"jabber:client\" xmlns:stream=\"http://etherx.jabber.org/streams\" id=\"1\" version=\"1.0\"><stream:features><starttls xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"/></stream:features>"'
declare -A PEER=(
	[smtp]='send b"220 mx ESMTP\r\n"|recv|send b"250-mx\r\n250 STARTTLS\r\n"|recv|send b"220 go ahead\r\n"'
	[lmtp]='send b"220 lmtp ready\r\n"|recv|send b"250-lmtp\r\n250 STARTTLS\r\n"|recv|send b"220 go ahead\r\n"'
	[imap]='send b"* OK ready\r\n"|recv|send b"* CAPABILITY IMAP4rev1 STARTTLS\r\na001 OK done\r\n"|recv|send b"a002 OK begin TLS\r\n"'
	[pop3]='send b"+OK ready\r\n"|recv|send b"+OK\r\nSTLS\r\n.\r\n"|recv|send b"+OK begin TLS\r\n"'
	[sieve]='send b"\"IMPLEMENTATION\" \"test\"\r\n\"STARTTLS\"\r\nOK\r\n"|recv|send b"OK begin TLS\r\n"'
	[ftp]='send b"220 ready\r\n"|recv|send b"234 AUTH TLS OK\r\n"'
	[ldap]='recvn 31|send b"\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00"'
	[postgres]='recvn 8|send b"S"'
	[mysql]='send b"\x20\x00\x00\x00\x0a10.11.6-MariaDB\x00\x01\x00\x00\x00abcdefgh\x00\x00\x8a"|recvraw 36'
	[nntp]='send b"200 news ready\r\n"|recv|send b"101 Capability list:\r\nVERSION 2\r\nSTARTTLS\r\n.\r\n"|recv|send b"382 go ahead\r\n"'
	[xmpp]="$XMPP_FEATURES"'|recv|send b"<proceed xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"/>"'
	[xmpp-server]="$XMPP_FEATURES"'|recv|send b"<proceed xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"/>"'
)

DOCS=$T/docs
{
	echo "@@doc README"
	readme_lines
	echo "@@doc the man page"
	man_lines
	echo "@@doc --help"
	help_lines
} >"$DOCS"
for proto in $(grep -oE -- '--starttls[ =][A-Za-z-]+' "$DOCS" | sed 's/^--starttls.//' | tr "[:upper:]" "[:lower:]" | sort -u); do
	[[ -n ${PEER[$proto]:-} ]] || continue
	IFS='|' read -r -a steps <<<"${PEER[$proto]}"
	printf '%s\n' "${steps[@]}" "$TLS" >"$T/peer.$proto"
	start_server peer "$T/peer.$proto"
	PORT[$proto]=$SERVER_PORT
done

# ---------------------------------------------------------------- DNS

# The zones, one a base domain of NAMES: at every port of a test server, each
# name publishes the records of the served key and of the next one. Started
# only when an example uses --dane.
declare -A PUBLISHED=(["3 1 1 $(tlsa_hex leaf 1 1)"]=current ["3 1 1 $(tlsa_hex next 1 1)"]=next)
mapfile -t ZONES < <(printf '%s\n' "${NAMES[@]}" | sed -E 's/^.*\.([^.]+\.[^.]+)$/\1/' | sort -u)
DNS_MISSING="no example uses --dane"
if grep -q -- '--dane' "$DOCS"; then
	DNS_MISSING=$(dns_tools_missing)
fi
if [[ -z $DNS_MISSING ]]; then
	for z in "${ZONES[@]}"; do
		{
			dns_zone_head "$z"
			for n in "${NAMES[@]}"; do
				[[ $n == *".$z" ]] || continue
				for p in "${PORT[@]}"; do
					for r in "${!PUBLISHED[@]}"; do
						printf '_%s._tcp.%s. IN TLSA %s\n' "$p" "$n" "$r"
					done
				done
			done
		} >"$DNS_DIR/$z.zone"
	done
	dns_serve_signed "${ZONES[@]}"
fi

# ---------------------------------------------------------------- the stand-in

OK_RE='^([#;] |<!-- )?TLS_PIN OK - '

# printed_tlsa_why HOST: why the --print-tlsa output in $T/call.out is not
# one or more records the test zone publishes for HOST ("" when it is).
# shellcheck disable=SC2317 # called by check_tls_pin
printed_tlsa_why() {
	local owner line n=0
	owner="^_[0-9]+\._tcp\.$(re_quote "$1")\. IN TLSA ([0-9]+ [0-9]+ [0-9]+ [0-9a-f]+)( ;|\$)"
	while IFS= read -r line; do
		[[ -z $line || $line == \;* ]] && continue
		n=$((n + 1))
		if ! [[ $line =~ $owner && -n ${PUBLISHED[${BASH_REMATCH[1]}]:-} ]]; then
			echo "a record the test zone does not publish: $line"
			return
		fi
	done <"$T/call.out"
	((n)) || echo "no TLSA record printed"
}

# check_tls_pin ARGS...: the plugin, with ARGS mapped as the header says.
# Each run adds a line to $CALLS: ok, fail or skip, its arguments, and why
# it failed or is skipped; a run that cannot be mapped fails with exit code 99.
CALLS=$T/calls
# shellcheck disable=SC2317 # called by the examples, through eval
check_tls_pin() {
	local -a args=() head=()
	local host="" port="" proto=tls all=0 trust=1 addr=0 file=0 dns=0 anchor=0 tlsa=0
	local rc status printed verdict why=""
	while (($#)); do
		case $1 in
		-H) host=$2; shift ;;
		-p) port=$2; shift ;;
		-I) addr=1; args+=(-I 127.0.0.1); shift ;;
		--starttls) proto=${2,,}; args+=("$1" "$2"); shift ;;
		--ca-file) trust=0; args+=(--ca-file "$T/ca.pem"); shift ;;
		--no-verify) trust=0; args+=("$1") ;;
		--all-addresses) all=1; args+=("$1") ;;
		--file) file=1; args+=("$1" "$2"); shift ;;
		--dane) dns=1; args+=("$1") ;;
		--dns-server) dns=1; shift ;;
		--dnssec-anchor) anchor=1; args+=("$1" "$2"); shift ;;
		--print-tlsa) tlsa=1; args+=("$1") ;;
		*) args+=("$1") ;;
		esac
		shift
	done
	if [[ -n $host ]] && ((file)); then
		head=(-H "$host")
		[[ -n $port ]] && head+=(-p "$port")
	elif [[ -n $host ]]; then
		if [[ " ${NAMES[*]} " != *" $host "* ]]; then
			printf 'fail\t-H %s\t%s is not a name of the test certificate: add it to NAMES\n' \
				"$host" "$host" >>"$CALLS"
			return 99
		fi
		if [[ -z ${PORT[$proto]:-} ]]; then
			printf 'fail\t--starttls %s\tno test server for it: add one to PEER\n' \
				"$proto" >>"$CALLS"
			return 99
		fi
		if ((all)); then
			head=(-H localhost --sni "$host")
		else
			head=(-H "$host")
			((addr)) || head+=(-I 127.0.0.1)
		fi
		head+=(-p "${PORT[$proto]}")
	fi
	if ((trust && !file)); then
		args+=(--ca-file "$T/ca.pem")
	fi
	if ((dns)); then
		if [[ -z $DNS_PORT ]]; then
			printf 'skip\t%s\t%s\n' "${head[*]} ${args[*]}" "$DNS_MISSING" >>"$CALLS"
			return 77
		fi
		args+=(--dns-server "127.0.0.1@$DNS_PORT")
		((anchor)) || args+=(--dnssec-anchor "$DNS_ANCHORS")
	fi
	timeout -k 2 30 "$PLUGIN" "${head[@]}" "${args[@]}" >"$T/call.out" 2>"$T/call.err"
	rc=$?
	status=$(grep -m1 -E '^([#;] |<!-- )?TLS_PIN ' "$T/call.out")
	[[ $rc == 0 ]] || why="exit code $rc"
	[[ $status =~ $OK_RE ]] || why+="${why:+; }'$status'"
	if ((tlsa)); then
		printed=$(printed_tlsa_why "$host")
		[[ -n $printed ]] && why+="${why:+; }$printed"
	fi
	verdict=ok
	[[ -n $why ]] && verdict=fail
	printf '%s\t%s\t%s\n' "$verdict" "${head[*]} ${args[*]}" "$why" >>"$CALLS"
	cat "$T/call.out"
	cat "$T/call.err" >&2
	return "$rc"
}

# as_run LINE: LINE with the example values replaced by the test's, as the
# header says, for a block whose directory is $W.
as_run() {
	local line=$1
	line=${line//\/usr\/lib\/nagios\/plugins\/check_tls_pin/check_tls_pin}
	line=${line//sha256\/47DEQpj8HBSa+\/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=/sha256\/$CURRENT}
	line=${line//sha256\/ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD\/YfIAFa0=/sha256\/$NEXT}
	line=${line//sha256\/CURRENT.../sha256\/$CURRENT}
	line=${line//sha256\/BACKUP.../sha256\/$NEXT}
	line=${line//sha256\/.../sha256\/$CURRENT}
	line=${line// \/etc\// $W/etc/}
	line=${line//=\/etc\//=$W/etc/}
	printf '%s' "$line"
}

# A cron line: the five time fields go, the command stays.
CRON_RE='^([0-9*/,-]+ ){5}'

# fresh_dir: a new directory for a block of examples, in $W.
BLOCK=0
fresh_dir() {
	BLOCK=$((BLOCK + 1))
	W=$T/block$BLOCK
	mkdir -p "$W/etc/nagios/pins" "$W/work"
	printf 'sha256/%s  current\nsha256/%s  next\n' "$CURRENT" "$NEXT" >"$W/etc/nagios/pins/api"
	for z in "${ZONES[@]}"; do
		[[ -s $DNS_DIR/$z.ds ]] && cp "$DNS_DIR/$z.ds" "$W/etc/"
	done
	cp "$T/new-chain.pem" "$T/next-mx.pem" "$T/next-chain.pem" "$T/network_security_config.xml" \
		"$T/Info.plist" "$W/work/"
}

# run_example DOC LINE: runs one line of a block and checks it.
run_example() {
	local doc=$1 line=$2 cmd rc why="" skip="" calls=0 c_verdict c_args c_why
	cmd=$(as_run "$line")
	[[ $cmd =~ $CRON_RE ]] && cmd=${cmd#"${BASH_REMATCH[0]}"}
	: >"$CALLS"
	(cd "$W/work" && eval "$cmd") >"$T/line.out" 2>"$T/line.err"
	rc=$?
	while IFS=$'\t' read -r c_verdict c_args c_why; do
		calls=$((calls + 1))
		case $c_verdict in
		skip) skip=$c_why ;;
		fail) why+="${why:+; }check_tls_pin $c_args: $c_why" ;;
		esac
	done <"$CALLS"
	if [[ -n $skip ]]; then
		t_skip "$doc: $line" "$skip"
		return
	fi
	[[ $rc == 0 ]] || why+="${why:+; }exit code $rc"
	[[ -s $T/line.err ]] && why+="${why:+; }stderr: $(head -c 300 "$T/line.err")"
	if is_command "$line" && ((calls == 0)); then
		why+="${why:+; }the plugin was not run"
	fi
	CMD=""
	tap_result "$doc: $line" "$why"
	if [[ -n $why ]]; then
		diag "run as: $cmd"
		diag "$(head -c 2000 "$T/line.out")"
	fi
}

# The synopses of --help, each on one line, spaces collapsed.
synopses() {
	awk '/^ *check_tls_pin / { if (s != "") print s; s = $0; next }
		/^ +\[/ && s != "" { s = s " " $0; next }
		{ if (s != "") print s; s = "" }
		END { if (s != "") print s }' | sed -E 's/^ +//; s/ +/ /g'
}
HELP_SYNOPSES=$("$PLUGIN" --help | sed -n '/^Usage:/,/^$/p' | sed 's/^Usage: /       /' | synopses)

# ---------------------------------------------------------------- run

doc="" n_commands=0
declare -A per_doc=()
block=()
# run_block: the block read so far, a synopsis or examples.
run_block() {
	local line has=0 s
	for line in "${block[@]}"; do
		is_command "$line" && has=1
	done
	if ((has)) && printf '%s\n' "${block[@]}" | grep -q '^check_tls_pin .*\[-'; then
		while read -r s; do
			grep -qxF -- "$s" <<<"$HELP_SYNOPSES"
			t_ok "$doc: the synopsis is one of --help's: $s" test $? = 0
		done < <(printf '    %s\n' "${block[@]}" | synopses)
	elif ((has)); then
		fresh_dir
		for line in "${block[@]}"; do
			[[ -z $line || $line == \#* ]] && continue
			is_command "$line" && n_commands=$((n_commands + 1)) &&
				per_doc[$doc]=$((${per_doc[$doc]:-0} + 1))
			run_example "$doc" "$line"
		done
	fi
	block=()
}
while IFS= read -r line; do
	case $line in
	"@@doc "*) doc=${line#@@doc } ;;
	@@) run_block ;;
	*) block+=("$line") ;;
	esac
done <"$DOCS"

# An extraction that finds nothing would make every check above pass.
for d in README "the man page" --help; do
	t_ok "$d: its examples were found and run (${per_doc[$d]:-0})" test "${per_doc[$d]:-0}" -ge 3
done

done_testing
