# shellcheck shell=bash
#
# check_tls_pin integration tests: a real authoritative DNS server for the
# --dane tests, sourced after lib.sh.
#
#   dns_tools_missing   why the tools are not there ("" when they are)
#   dns_zone_head ZONE  the SOA and NS lines that start a zone file
#   dns_keys ZONE       a KSK and a ZSK for ZONE (ldns-keygen); its anchors
#   dns_sign ZONE ...   ZONE's zone file signed (ldns-signzone)
#   dns_splice ...      one RRset's signatures taken from another signing
#   dns_start ZONE...   NSD serving the zones on a free loopback port
#   dns_serve_signed ZONE...  the zones signed, served, and their anchors
#   dns_silent_start    a UDP listener that never answers
#
# Zones are written at test time into $T/dns; NSD runs in the foreground,
# a child of the script, with a private configuration, and never drops
# privileges or touches anything outside $T.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

DNS_DIR=$T/dns
DNS_PORT=""
DNS_SILENT_PORT=""
DNS_ANCHORS=""
NSD=""
mkdir -p "$DNS_DIR" || bail_out "cannot create $DNS_DIR"

dns_tools_missing() {
	local tool
	find_sbin nsd >/dev/null || { echo "nsd is not installed (package nsd)"; return; }
	for tool in ldns-keygen ldns-signzone; do
		command -v "$tool" >/dev/null 2>&1 ||
			{ echo "$tool is not installed (package ldnsutils)"; return; }
	done
	command -v python3 >/dev/null 2>&1 || echo "python3 is not installed"
}

# dns_zone_head ZONE: the lines that start ZONE's zone file: its origin, its
# SOA, and its NS ns.ZONE at 127.0.0.1.
dns_zone_head() {
	# shellcheck disable=SC2016 # $ORIGIN and $TTL are the zone file's words
	printf '$ORIGIN %s.\n$TTL 300\n' "$1"
	printf '@ IN SOA ns.%s. hostmaster.%s. 1 3600 600 86400 300\n' "$1" "$1"
	printf '@ IN NS ns.%s.\nns IN A 127.0.0.1\n' "$1"
}

# dns_keys ZONE: makes a KSK and a ZSK (ECDSA P-256) for ZONE in $DNS_DIR and
# sets DNS_KSK and DNS_ZSK (their base names, for ldns-signzone) and
# DNS_ANCHOR_DS and DNS_ANCHOR_KEY (the KSK as a DS and as a DNSKEY record,
# zone-file syntax: the trust anchor).
dns_keys() {
	local zone=$1
	DNS_KSK=$DNS_DIR/$(cd "$DNS_DIR" && ldns-keygen -a ECDSAP256SHA256 -k "$zone") ||
		bail_out "ldns-keygen cannot make a KSK for $zone"
	DNS_ZSK=$DNS_DIR/$(cd "$DNS_DIR" && ldns-keygen -a ECDSAP256SHA256 "$zone") ||
		bail_out "ldns-keygen cannot make a ZSK for $zone"
	DNS_ANCHOR_DS=$DNS_KSK.ds
	DNS_ANCHOR_KEY=$DNS_KSK.key
	[[ -s $DNS_ANCHOR_DS && -s $DNS_ANCHOR_KEY ]] || bail_out "ldns-keygen wrote no DS for $zone"
}

# dns_sign IN OUT KEY... [-- ARGS]: signs the zone file IN with the keys
# (base names) into OUT; ARGS go to ldns-signzone (-e, -i: signature dates).
dns_sign() {
	local in=$1 out=$2
	local -a keys=() args=()
	shift 2
	while (($#)) && [[ $1 != -- ]]; do
		keys+=("$1")
		shift
	done
	(($#)) && shift
	args=("$@")
	ldns-signzone "${args[@]}" -f "$out" "$in" "${keys[@]}" 2>"$DNS_DIR/sign.err" ||
		bail_out "ldns-signzone cannot sign $in: $(<"$DNS_DIR/sign.err")"
}

# dns_splice SIGNED OWNER TYPE FROM: in the signed zone file SIGNED, the
# RRSIGs over OWNER's TYPE RRset become those of the signed zone file FROM
# (the same zone signed otherwise: with other dates, or another key).
dns_splice() {
	local signed=$1 owner=$2 type=$3 from=$4
	awk -v o="$owner" -v t="$type" -v from="$from" '
		BEGIN {
			while ((getline line < from) > 0) {
				split(line, f, /[ \t]+/)
				if (f[1] == o && f[4] == "RRSIG" && f[5] == t)
					sigs = sigs line "\n"
			}
		}
		$1 == o && $4 == "RRSIG" && $5 == t { if (!done) printf "%s", sigs; done = 1; next }
		{ print }
	' "$signed" >"$signed.new" && mv "$signed.new" "$signed" ||
		bail_out "cannot splice the signatures of $owner $type"
	grep -q "^$(re_quote "$owner")[[:space:]].*RRSIG[[:space:]]$type " "$signed" ||
		bail_out "no $type signature of $owner after the splice"
}

# dns_start ZONE FILE [ZONE FILE]...: NSD on a free loopback port (UDP and
# TCP) serving each ZONE from FILE; sets DNS_PORT. A few ports are tried,
# since another script may take one first.
dns_start() {
	local try i port pid log=$DNS_DIR/nsd.log conf=$DNS_DIR/nsd.conf
	local -a zones=("$@")
	NSD=$(find_sbin nsd) || bail_out "nsd is not installed"
	for ((try = 0; try < 5; try++)); do
		port=$(free_port) || continue
		{
			printf 'server:\n'
			printf '  ip-address: 127.0.0.1\n  port: %s\n' "$port"
			printf '  username: ""\n  chroot: ""\n  database: ""\n'
			printf '  zonesdir: "%s"\n' "$DNS_DIR"
			printf '  zonelistfile: "%s/zone.list"\n' "$DNS_DIR"
			printf '  xfrdfile: "%s/xfrd.state"\n  xfrdir: "%s"\n' "$DNS_DIR" "$DNS_DIR"
			printf '  pidfile: "%s/nsd.pid"\n  logfile: "%s"\n' "$DNS_DIR" "$log"
			printf '  server-count: 1\n  verbosity: 1\n  hide-version: yes\n'
			printf 'remote-control:\n  control-enable: no\n'
			for ((i = 0; i < ${#zones[@]}; i += 2)); do
				printf 'zone:\n  name: "%s"\n  zonefile: "%s"\n' "${zones[i]}" "${zones[i + 1]}"
			done
		} >"$conf"
		: >"$log"
		"$NSD" -d -c "$conf" </dev/null >"$DNS_DIR/nsd.out" 2>&1 &
		pid=$!
		SERVER_PIDS+=("$pid")
		for ((i = 0; i < 200; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			if grep -q 'nsd started' "$log" && port_open 127.0.0.1 "$port"; then
				DNS_PORT=$port
				return 0
			fi
			sleep 0.05
		done
		stop_server "$pid"
		unset 'SERVER_PIDS[-1]'
		grep -qi 'address already in use\|could not bind' "$log" "$DNS_DIR/nsd.out" || break
	done
	bail_out "NSD does not start: $(tail -n 5 "$log" "$DNS_DIR/nsd.out")"
}

# dns_serve_signed ZONE...: each zone file $DNS_DIR/ZONE.zone signed with a
# key pair of its own, and NSD serving them all (dns_start). Each zone's DS
# record, its trust anchor, is in $DNS_DIR/ZONE.ds; sets DNS_ANCHORS, a file
# of them all, and DNS_PORT.
dns_serve_signed() {
	local zone
	local -a served=()
	DNS_ANCHORS=$DNS_DIR/anchors.ds
	: >"$DNS_ANCHORS"
	for zone in "$@"; do
		dns_keys "$zone"
		dns_sign "$DNS_DIR/$zone.zone" "$DNS_DIR/$zone.signed" "$DNS_KSK" "$DNS_ZSK"
		cp "$DNS_ANCHOR_DS" "$DNS_DIR/$zone.ds" || bail_out "cannot copy the DS of $zone"
		cat "$DNS_ANCHOR_DS" >>"$DNS_ANCHORS"
		served+=("$zone" "$zone.signed")
	done
	dns_start "${served[@]}"
}

# dns_silent_start: a UDP and TCP listener on a free loopback port that reads
# every query and never answers; sets DNS_SILENT_PORT.
DNS_SILENT_PY='
import socket, sys, threading
port = int(sys.argv[1])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", port))
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("127.0.0.1", port))
t.listen(16)
held = []
def tcp():
    while True:
        held.append(t.accept()[0])
threading.Thread(target=tcp, daemon=True).start()
print("ready", flush=True)
while True:
    u.recvfrom(65535)
'
dns_silent_start() {
	local try i port pid log
	for ((try = 0; try < 5; try++)); do
		port=$(free_port) || continue
		log=$DNS_DIR/silent.$port.log
		python3 -c "$DNS_SILENT_PY" "$port" </dev/null >"$log" 2>&1 &
		pid=$!
		SERVER_PIDS+=("$pid")
		for ((i = 0; i < 100; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			if grep -q '^ready' "$log"; then
				DNS_SILENT_PORT=$port
				return 0
			fi
			sleep 0.05
		done
		stop_server "$pid"
		unset 'SERVER_PIDS[-1]'
	done
	bail_out "cannot start the silent DNS server: $(cat "$log" 2>/dev/null)"
}
