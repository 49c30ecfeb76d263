#!/bin/bash
# make bench: what a check costs, measured against a floor in the same run.
#
# A local gnutls-serv serves a realistic chain (leaf + intermediate, RSA-2048
# and ECDSA P-256 variants). The commands below run BENCH_RUNS rounds, each
# command once a round, one after another as a monitoring engine starts
# them. The table shows the median and the spread (min-max) of wall time, CPU
# time (user + sys) and peak RSS, and the ratio of the medians to the
# reference client's: machines are noisy, ratios in one run are the result.
# Then callgrind counts the instructions of one check of each, which do not
# depend on the machine's load.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=../tests/integration/lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/../tests}/integration/lib.sh"
REF=${REF_CLIENT:?make bench sets REF_CLIENT}
RUNS=${BENCH_RUNS:-50}
H=bench.test.example
SYSTEM_ANCHORS=/etc/ssl/certs/ca-certificates.crt
command -v python3 >/dev/null || bail_out "python3 is needed"
[[ -x /usr/bin/time ]] || bail_out "GNU time is needed (package time)"
[[ -r $SYSTEM_ANCHORS ]] || bail_out "no system trust store at $SYSTEM_ANCHORS (package ca-certificates)"

# The trust file holds the system's anchors plus the test root: it costs what
# the system store costs.
for k in rsa ecdsa; do
	mk_cert "root-$k" --ca --key "$k" --to "+3650 days" --cn "Bench Root $k"
	mk_cert "inter-$k" --ca --key "$k" --issuer "root-$k" --to "+1800 days" --cn "Bench CA $k"
	mk_cert "leaf-$k" --key "$k" --issuer "inter-$k" --to "+90 days" --cn "$H"
	mk_chain "chain-$k" "leaf-$k" "inter-$k"
	cat "$SYSTEM_ANCHORS" "$T/root-$k.pem" >"$T/trust-$k.pem"
	start_server gnutls --x509certfile "$T/chain-$k.pem" --x509keyfile "$T/leaf-$k.key"
	printf -v "PORT_$k" '%s' "$SERVER_PORT"
done
PORT_ecdsa=${PORT_ecdsa:?}
ANCHORS=$(grep -c 'BEGIN CERTIFICATE' "$SYSTEM_ANCHORS")

# measure NAME COMMAND...: queues a command; run_all then runs every queued
# command once per round, RUNS rounds (after one warm-up round that is not
# counted), so that a change in the machine's load falls on all of them
# alike. Each run appends "name wall cpu rss" (seconds, seconds of user +
# system CPU, KiB) to the samples: wait4() gives each child's own CPU time
# to the microsecond, which GNU time rounds to 10 ms. Peak RSS comes from
# separate runs under GNU time: a child forked from Python starts with
# Python's own peak, which the kernel keeps across exec.
RUN_ALL_PY='
import os, subprocess, sys, tempfile, time
runs, spec = int(sys.argv[1]), sys.argv[2]
cmds = [line.rstrip("\n").split("\x1f") for line in open(spec)]
null = os.open(os.devnull, os.O_RDWR)
samples = {name: [] for name, *_ in cmds}
for r in range(runs + 1):
    for name, *cmd in cmds:
        t = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os.dup2(null, 0); os.dup2(null, 1); os.dup2(null, 2)
            os.execv(cmd[0], cmd)
        _, status, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - t
        if r > 0:
            samples[name].append((wall, ru.ru_utime + ru.ru_stime))
with tempfile.NamedTemporaryFile("r") as out:
    for r in range(runs):
        for name, *cmd in cmds:
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name] + cmd,
                           stdin=null, stdout=null, stderr=null)
            out.seek(0)
            wall, cpu = samples[name][r]
            print(name, wall, cpu, out.read().split()[-1])
'
measure() {
	local IFS=$'\x1f'
	printf '%s\n' "$*" >>"$T/commands"
}
run_all() {
	python3 -c "$RUN_ALL_PY" "$RUNS" "$T/commands" >"$T/samples"
}

# stats NAME COLUMN: "median min max" of a column of NAME's samples.
stats() {
	awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$T/samples" | sort -g |
		awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
			printf "%s %s %s\n", m, v[1], v[NR] }'
}

# instructions COMMAND...: callgrind's instruction count of one run.
instructions() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

CHECK_HTTP=/usr/lib/nagios/plugins/check_http
CHECK_SSL_CERT=$(command -v check_ssl_cert || echo /usr/lib/nagios/plugins/check_ssl_cert)
rows=()
for k in rsa ecdsa; do
	port_var=PORT_$k
	port=${!port_var}
	pins=(-P "sha256/$(spki_b64 "leaf-$k")" -P "sha256/$(spki_b64 "inter-$k")"
		-P "sha256/$(spki_b64 "root-$k")")
	common=(-H "$H" -I 127.0.0.1 -p "$port")
	measure "ref-$k" "$REF" 127.0.0.1 "$port" "$H"
	measure "plugin-$k" "$PLUGIN" "${common[@]}" --ca-file "$T/trust-$k.pem" "${pins[@]}"
	measure "no-verify-$k" "$PLUGIN" "${common[@]}" --no-verify "${pins[@]}"
	measure "print-pins-$k" "$PLUGIN" "${common[@]}" --ca-file "$T/trust-$k.pem" --print-pins
	rows+=("ref-$k" "plugin-$k" "no-verify-$k" "print-pins-$k")
	if [[ -x $CHECK_HTTP ]]; then
		measure "check_http-$k" "$CHECK_HTTP" -H "$H" -I 127.0.0.1 -p "$port" -S --sni -C 30
		rows+=("check_http-$k")
	fi
	if [[ -x $CHECK_SSL_CERT ]]; then
		measure "check_ssl_cert-$k" "$CHECK_SSL_CERT" -H 127.0.0.1 -p "$port" \
			--rootcert-file "$T/trust-$k.pem" --sni "$H" --ignore-sct --ignore-ocsp
		rows+=("check_ssl_cert-$k")
	fi
done

run_all

printf '\n%s runs each, interleaved; trust file: %s system anchors + the test root; %s\n' \
	"$RUNS" "$ANCHORS" "$(uname -m), $(nproc) cores, GnuTLS $(pkg-config --modversion gnutls 2>/dev/null)"
printf '%-22s %24s %24s %8s %8s %8s %9s\n' command "wall ms (min-max)" "cpu ms (min-max)" \
	"rss KiB" "wall x" "cpu x" "rss +KiB"
for name in "${rows[@]}"; do
	ref=ref-${name##*-}
	read -r w wmin wmax <<<"$(stats "$name" 2)"
	read -r c cmin cmax <<<"$(stats "$name" 3)"
	read -r r _ _ <<<"$(stats "$name" 4)"
	read -r rw _ _ <<<"$(stats "$ref" 2)"
	read -r rc _ _ <<<"$(stats "$ref" 3)"
	read -r rr _ _ <<<"$(stats "$ref" 4)"
	awk -v n="$name" -v w="$w" -v wmin="$wmin" -v wmax="$wmax" -v c="$c" -v cmin="$cmin" \
		-v cmax="$cmax" -v r="$r" -v rw="$rw" -v rc="$rc" -v rr="$rr" 'BEGIN {
		printf "%-22s %8.1f (%6.1f-%6.1f) %8.1f (%6.1f-%6.1f) %8d %8.2f %8.2f %9d\n",
			n, w * 1000, wmin * 1000, wmax * 1000, c * 1000, cmin * 1000, cmax * 1000, r,
			(rw > 0 ? w / rw : 0), (rc > 0 ? c / rc : 0), r - rr }'
done

if command -v valgrind >/dev/null; then
	printf '\ninstructions per check (callgrind), ECDSA chain:\n'
	ref_i=$(instructions "$REF" 127.0.0.1 "$PORT_ecdsa" "$H")
	printf '  %-12s %12s\n' reference "$ref_i"
	for v in verified no-verify; do
		args=(-H "$H" -I 127.0.0.1 -p "$PORT_ecdsa" -P "sha256/$(spki_b64 leaf-ecdsa)")
		if [[ $v == verified ]]; then
			args+=(--ca-file "$T/trust-ecdsa.pem")
		else
			args+=(--no-verify)
		fi
		i=$(instructions "$PLUGIN" "${args[@]}")
		awk -v n="$v" -v i="$i" -v r="$ref_i" 'BEGIN { printf "  %-12s %12d  %.2fx\n", n, i, i / r }'
	done
fi
