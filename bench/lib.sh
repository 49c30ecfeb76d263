# shellcheck shell=bash
#
# What the benchmarks (bench/run.sh, bench/engine.sh) share: the servers a
# check is measured against, and a way to run commands one after another
# as a monitoring engine starts them, measuring each run.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=../tests/integration/lib.sh
. "${TESTS_SRCDIR:-$(dirname "${BASH_SOURCE[0]}")/../tests}/integration/lib.sh"
# shellcheck disable=SC2034 # read by the benchmarks
REF=${REF_CLIENT:?make sets REF_CLIENT}
RUNS=${BENCH_RUNS:-50}
H=bench.test.example
SYSTEM_ANCHORS=/etc/ssl/certs/ca-certificates.crt
command -v python3 >/dev/null || bail_out "python3 is needed"
[[ -x /usr/bin/time ]] || bail_out "GNU time is needed (package time)"
[[ -r $SYSTEM_ANCHORS ]] || bail_out "no system trust store at $SYSTEM_ANCHORS (package ca-certificates)"
# shellcheck disable=SC2034 # read by the benchmarks
CHECK_HTTP=/usr/lib/nagios/plugins/check_http
# shellcheck disable=SC2034 # read by the benchmarks
CHECK_SSL_CERT=$(command -v check_ssl_cert || echo /usr/lib/nagios/plugins/check_ssl_cert)

# bench_servers: for each key type k (rsa: RSA-2048, ecdsa: P-256) a
# realistic chain (leaf + intermediate) for $H served by gnutls-serv on
# PORT_k, and $T/trust-k.pem, the trust file of a verified check: the
# system's anchors plus the test root, so that it costs what the system
# store costs. Sets ANCHORS, the number of system anchors.
bench_servers() {
	local k
	for k in rsa ecdsa; do
		mk_cert "root-$k" --ca --key "$k" --to "+3650 days" --cn "Bench Root $k"
		mk_cert "inter-$k" --ca --key "$k" --issuer "root-$k" --to "+1800 days" --cn "Bench CA $k"
		mk_cert "leaf-$k" --key "$k" --issuer "inter-$k" --to "+90 days" --cn "$H"
		mk_chain "chain-$k" "leaf-$k" "inter-$k"
		cat "$SYSTEM_ANCHORS" "$T/root-$k.pem" >"$T/trust-$k.pem"
		start_server gnutls --x509certfile "$T/chain-$k.pem" --x509keyfile "$T/leaf-$k.key"
		printf -v "PORT_$k" '%s' "$SERVER_PORT"
	done
	PORT_rsa=${PORT_rsa:?} PORT_ecdsa=${PORT_ecdsa:?}
	# shellcheck disable=SC2034 # read by the benchmarks
	ANCHORS=$(grep -c 'BEGIN CERTIFICATE' "$SYSTEM_ANCHORS")
}

# bench_pins K: the pins of a verified check of the K chain, one a line:
# the leaf's, the intermediate's and the root's.
bench_pins() {
	printf 'sha256/%s\n' "$(spki_b64 "leaf-$1")" "$(spki_b64 "inter-$1")" "$(spki_b64 "root-$1")"
}

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
