#!/bin/bash
# make bench-engine: what a check costs as a monitoring engine runs it.
#
# A real Icinga 2, private as in the engine tests (tests/integration/
# engines-lib.sh), checks N services every 60 s against the chains of
# bench/lib.sh (RSA and ECDSA, half the services each), for BENCH_MINUTES
# minutes after a warm-up of BENCH_WARMUP seconds (one check interval and
# then some, so that every service has been checked and the engine runs
# steady). One engine run per command and N, one after another:
#   tls_pin         the plugin, verified against the system's anchors plus
#                   the test root, with three pins (the shipped CheckCommand)
#   check_http      check_http -C 30 with SNI (the ITL's "http"), which
#                   verifies nothing, when installed
#   check_ssl_cert  check_ssl_cert with the trust file and SNI (the ITL's
#                   "ssl_cert"), when installed
# For each run: the checks executed per second (counted from the engine's
# event stream of check results, one JSON message per check, which the
# engine's CPU includes), the CPU seconds per check of the whole engine
# (icinga2 and every process it starts, from a cgroup of its own, or where
# none can be made, from utime, stime, cutime and cstime in /proc), split
# into the daemon's own processes and what they started, the engine's check latency and execution time as it
# records them in each result (percentiles), the results that are not OK,
# and the machine's load average. The same run measures the plugin and the
# reference client (a bare handshake) alone, and the plugin's start-up.
#
# Everything runs in a network namespace of its own with only a loopback
# interface: nothing a peer looks up or connects to can leave the machine.
# The daemons are stopped when the script ends, however it ends.
#
#   BENCH_SERVICES  the values of N (default "300 1000")
#   BENCH_MINUTES   minutes measured per run (default 3)
#   BENCH_WARMUP    seconds before measuring (default 75)
#   BENCH_COMMANDS  which of the commands above (default: all installed)
#   BENCH_RUNS      runs of each command alone (default 30)
#   BENCH_NICE      the engine's niceness in the runs of the peers
#                   (default 0); on a machine shared with other work, a
#                   peer that cannot keep up should not starve it: its CPU
#                   time per check stays what it is
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

if [[ ${BENCH_NETNS:-} != 1 ]]; then
	if ! unshare --net true 2>/dev/null; then
		echo "Bail out! the bench runs in a network namespace of its own: unshare --net needs root"
		exit 1
	fi
	exec unshare --net env BENCH_NETNS=1 bash "$0" "$@"
fi
PATH=$PATH:/usr/sbin:/sbin
ip link set lo up || {
	echo "Bail out! cannot bring up the namespace's loopback interface"
	exit 1
}

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=../tests/integration/engines-lib.sh
. "$(dirname "$0")/../tests/integration/engines-lib.sh"
SERVICES=${BENCH_SERVICES:-300 1000}
MINUTES=${BENCH_MINUTES:-3}
WARMUP=${BENCH_WARMUP:-75}
RUNS=${BENCH_RUNS:-30}
NICE=${BENCH_NICE:-0}
INTERVAL=60
for v in $SERVICES $MINUTES $WARMUP $RUNS $NICE; do
	[[ $v =~ ^[0-9]+(\.[0-9]+)?$ ]] || bail_out "not a number: $v"
done
icinga2_find
bench_servers

# The engine's PluginDir: the plugin under test, and the peers where they
# are installed (Icinga has one PluginDir for all of them).
P=$T/plugins
mkdir -p "$P"
ln -s "$PLUGIN" "$P/check_tls_pin"
COMMANDS=${BENCH_COMMANDS:-tls_pin check_http check_ssl_cert}
commands=()
for c in $COMMANDS; do
	case $c in
	tls_pin) commands+=("$c") ;;
	check_http) [[ -x $CHECK_HTTP ]] && ln -s "$CHECK_HTTP" "$P/" && commands+=("$c") ;;
	check_ssl_cert) [[ -x $CHECK_SSL_CERT ]] && ln -s "$CHECK_SSL_CERT" "$P/" && commands+=("$c") ;;
	*) bail_out "BENCH_COMMANDS: unknown command $c" ;;
	esac
done

# ---------------------------------------------------------------- alone

# Each check the engine runs, run alone (wait4's CPU time), beside the
# floor: the reference client's bare handshake. Start-up: the plugin with
# --version (libraries loaded and initialised, nothing checked), the
# reference client with no arguments (the same libraries, GnuTLS's), and
# /bin/true.
for k in rsa ecdsa; do
	port_var=PORT_$k
	pins=()
	while read -r pin; do
		pins+=(-P "$pin")
	done < <(bench_pins "$k")
	measure "ref-$k" "$REF" 127.0.0.1 "${!port_var}" "$H"
	measure "plugin-$k" "$PLUGIN" -H "$H" -I 127.0.0.1 -p "${!port_var}" \
		--ca-file "$T/trust-$k.pem" "${pins[@]}"
done
measure version "$PLUGIN" --version
measure ref-start "$REF"
measure true /bin/true
run_all
alone() {
	local m
	read -r m _ _ <<<"$(stats "$1" 3)"
	echo "$m"
}

# start-up instructions (callgrind): the plugin with --version, in main and
# before it; the reference client with no arguments; /bin/true; and a
# whole verified check of the ECDSA chain.
STARTUP=""
if command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
	valgrind --tool=callgrind --callgrind-out-file="$T/version.cg" "$PLUGIN" --version \
		>/dev/null 2>&1
	total=$(callgrind_annotate "$T/version.cg" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
	in_main=$(callgrind_annotate --inclusive=yes "$T/version.cg" 2>/dev/null |
		awk '/:main \[/ { gsub(",", "", $1); print $1; exit }')
	mapfile -t pins < <(bench_pins ecdsa)
	STARTUP="$total ${in_main:-0} $(instructions "$REF") $(instructions /bin/true)"
	STARTUP+=" $(instructions "$PLUGIN" -H "$H" -I 127.0.0.1 -p "$PORT_ecdsa" \
		--ca-file "$T/trust-ecdsa.pem" -P "${pins[0]}" -P "${pins[1]}" -P "${pins[2]}")"
fi

# ---------------------------------------------------------------- the engine

API_USER=bench
API_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
NODE=bench-node
mk_cert apica --ca --cn "Engine Bench API CA"
mk_cert "$NODE" --issuer apica

# services COMMAND N: N services of COMMAND, half against each chain.
services() {
	local command=$1 n=$2 k i
	printf 'template Service "bench" {\n\thost_name = "bench"\n'
	printf '\tcheck_interval = %ss\n\tretry_interval = %ss\n\tmax_check_attempts = 1\n' \
		"$INTERVAL" "$INTERVAL"
	printf '\tenable_flapping = false\n}\n'
	for k in rsa ecdsa; do
		port_var=PORT_$k
		printf 'template Service "%s" {\n\timport "bench"\n' "$k"
		case $command in
		tls_pin)
			printf '\tcheck_command = "tls_pin"\n\tvars.tls_pin_address = "%s"\n' "$H"
			printf '\tvars.tls_pin_ip_addresses = [ "127.0.0.1" ]\n\tvars.tls_pin_port = %s\n' \
				"${!port_var}"
			printf '\tvars.tls_pin_ca_file = "%s"\n' "$T/trust-$k.pem"
			printf '\tvars.tls_pin_pins = [ %s ]\n' \
				"$(bench_pins "$k" | sed 's/.*/"&"/' | paste -sd, | sed 's/,/, /g')"
			;;
		check_http)
			printf '\tcheck_command = "http"\n\tvars.http_vhost = "%s"\n' "$H"
			printf '\tvars.http_address = "127.0.0.1"\n\tvars.http_port = %s\n' "${!port_var}"
			printf '\tvars.http_ssl = true\n\tvars.http_sni = true\n\tvars.http_certificate = "30"\n'
			;;
		check_ssl_cert)
			printf '\tcheck_command = "ssl_cert"\n\tvars.ssl_cert_address = "127.0.0.1"\n'
			printf '\tvars.ssl_cert_port = %s\n\tvars.ssl_cert_sni = "%s"\n' "${!port_var}" "$H"
			printf '\tvars.ssl_cert_rootssl_cert = "%s"\n' "$T/trust-$k.pem"
			printf '\tvars.ssl_cert_ignore_sct = true\n\tvars.ssl_cert_ignore_ocsp = true\n'
			;;
		esac
		printf '}\n'
	done
	for ((i = 0; i < n; i++)); do
		k=rsa
		((i % 2)) && k=ecdsa
		printf 'object Service "%s-%d" { import "%s" }\n' "$command" "$i" "$k"
	done
}

# Follows one engine run: waits until the API answers, lets the engine warm
# up, then counts the check results of its event stream and samples the CPU
# time of its process tree for the measured seconds. Appends one JSON line
# to OUT.
ENGINE_PY='
import base64, http.client, json, os, ssl, sys, threading, time
port, user, password, cafile, pid, cgroup, warmup, minutes, out, name, n = sys.argv[1:]
pid, warmup, seconds = int(pid), float(warmup), 60 * float(minutes)
ctx = ssl.create_default_context(cafile=cafile)
ctx.check_hostname = False
headers = {"Accept": "application/json", "Authorization": "Basic " +
           base64.b64encode(("%s:%s" % (user, password)).encode()).decode()}
tick = os.sysconf("SC_CLK_TCK")

def procs():
    """Every process: pid -> (ppid, comm, own CPU ticks, reaped children\x27s)."""
    found = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    st = f.read()
            except OSError:
                continue
            comm = st[st.index("(") + 1:st.rindex(")")]
            f = [int(x) for x in st[st.rindex(")") + 2:].split()[1:15]]
            found[int(d)] = (f[0], comm, f[10] + f[11], f[12] + f[13])
    return found

def tree(found):
    """pid and every process below it."""
    kids = {}
    for p, v in found.items():
        kids.setdefault(v[0], []).append(p)
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p in found:
            out.append(p)
            todo += kids.get(p, [])
    return out

def own_cpu(daemon):
    """CPU seconds of the daemon\x27s own processes."""
    total = 0
    for p in daemon:
        try:
            with open("/proc/%d/stat" % p) as f:
                st = f.read()
        except OSError:
            continue
        f = st[st.rindex(")") + 2:].split()
        total += int(f[11]) + int(f[12])
    return total / tick

def cpu(daemon):
    """(the daemon\x27s own CPU seconds, those of what it started). With a
    cgroup, the kernel counts the whole: exact whatever the load. Without,
    the process tree is walked in /proc (reaped processes count in their
    parent\x27s cutime and cstime): a walk that can take long when
    hundreds of processes wait for the CPU."""
    own = own_cpu(daemon)
    if cgroup:
        with open(cgroup + "/cpu.stat") as f:
            usage = int(dict(l.split() for l in f)["usage_usec"]) / 1e6
        return own, usage - own
    found = procs()
    rest = 0
    for p in tree(found):
        _, comm, self_, reaped = found[p]
        rest += reaped + (0 if comm == "icinga2" else self_)
    return own, rest / tick

def alive():
    return os.path.exists("/proc/%d" % pid)

deadline = time.time() + 120
while True:
    try:
        c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
        c.request("GET", "/v1/status/CIB", headers=headers)
        if c.getresponse().status == 200:
            break
    except OSError:
        pass
    if time.time() > deadline or not alive():
        sys.exit("the engine API did not answer")
    time.sleep(0.5)

results = []
def follow():
    c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx)
    c.request("POST", "/v1/events", json.dumps({"types": ["CheckResult"], "queue": "bench"}),
              dict(headers, **{"Content-Type": "application/json"}))
    r = c.getresponse()
    for line in r:
        cr = json.loads(line)["check_result"]
        results.append(cr)
threading.Thread(target=follow, daemon=True).start()

time.sleep(warmup)
found = procs()
daemon = [p for p in tree(found) if found[p][1] == "icinga2"]
t0 = time.time()
own0, rest0 = cpu(daemon)
s0 = time.time() - t0
time.sleep(seconds)
s1 = time.time()
own1, rest1 = cpu(daemon)
t1 = time.time()
print("#   measured %.1f s (CPU samples: %.2f s, %.2f s, from %s); %d results in all"
      % (t1 - t0, s0, t1 - s1, "a cgroup" if cgroup else "/proc", len(results)), flush=True)
load = os.getloadavg()[0]
if not alive():
    sys.exit("the engine stopped")
time.sleep(1)

done = [cr for cr in results if t0 <= cr["execution_end"] < t1]
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] if values else 0
# schedule_start is when the check was due, schedule_end when the engine
# took in its result: its latency is that span less the execution time.
execution = [cr["execution_end"] - cr["execution_start"] for cr in done]
latency = [(cr["schedule_end"] - cr["schedule_start"]) -
           (cr["execution_end"] - cr["execution_start"]) for cr in done]
late = sum(1 for cr in done if cr["execution_start"] - cr["schedule_start"] > 1)
with open(out, "a") as f:
    f.write(json.dumps({
        "name": name, "n": int(n), "seconds": t1 - t0, "checks": len(done),
        "own": own1 - own0, "rest": rest1 - rest0, "load": load,
        "not_ok": sum(1 for cr in done if cr["state"] != 0), "late": late,
        "latency": [pct(latency, p) for p in (50, 95, 100)],
        "execution": [pct(execution, p) for p in (50, 95, 100)],
    }) + "\n")
'

# cgroup_new NAME: sets CGROUP to a new cgroup (version 2: the kernel
# counts the CPU time of every process in it, those gone included), removed
# when the script ends; to "" where none can be made (then /proc is walked
# instead).
cgroup_new() {
	local base dir
	CGROUP=""
	for base in /sys/fs/cgroup /sys/fs/cgroup/unified; do
		[[ -f $base/cgroup.controllers && -w $base ]] || continue
		dir=$base/check_tls_pin-bench.$$.$1
		mkdir "$dir" 2>/dev/null || continue
		at_exit cgroup_remove "$dir"
		CGROUP=$dir
		return
	done
}

# cgroup_remove DIR: stops what is left in the cgroup DIR and removes it.
cgroup_remove() {
	local i
	[[ -d $1 ]] || return 0
	echo 1 >"$1/cgroup.kill" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		rmdir "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "# cannot remove the cgroup $1" >&2
}

# engine COMMAND N: one engine run of N services of COMMAND.
engine() {
	local command=$1 n=$2 dir=$T/engine-$1-$2 port pid p defines nice cgroup
	port=$(free_port) || bail_out "no free port for the API"
	icinga2_node "$dir" "$NODE" "$port" "$P"
	cp "$T/$NODE.pem" "$dir/data/certs/$NODE.crt"
	cp "$T/$NODE.key" "$dir/data/certs/$NODE.key"
	cp "$T/apica.pem" "$dir/data/certs/ca.crt"
	{
		cat <<-EOF
		include "base.conf"
		object Endpoint NodeName {}
		object Zone NodeName { endpoints = [ NodeName ] }
		object ApiListener "api" {
			accept_config = false
			accept_commands = false
		}
		object ApiUser "$API_USER" {
			password = "$API_PASSWORD"
			permissions = [ "status/query", "events/CheckResult" ]
		}
		object CheckerComponent "checker" {}
		object Host "bench" {
			check_command = "dummy"
			enable_active_checks = false
		}
		EOF
		services "$command" "$n"
	} >"$dir/icinga2.conf"
	nice=$NICE
	[[ $command == tls_pin ]] && nice=0
	printf '# %s, %d services: %s s warm-up, %s min measured, niceness %s\n' \
		"$command" "$n" "$WARMUP" "$MINUTES" "$nice"
	mapfile -t defines <"$dir/defines"
	cgroup_new "$command-$n"
	cgroup=$CGROUP
	# The daemon joins its cgroup before it starts: all it starts is counted.
	bash -c '[[ -z $1 ]] || echo $$ >"$1/cgroup.procs" || exit 1; shift; exec "$@"' _ "$cgroup" \
		nice -n "$nice" "$ICINGA2" daemon -c "$dir/icinga2.conf" "${defines[@]}" \
		</dev/null >"$dir/daemon.log" 2>&1 &
	pid=$!
	SERVER_PIDS+=("$pid")
	python3 -c "$ENGINE_PY" "$port" "$API_USER" "$API_PASSWORD" "$T/apica.pem" "$pid" \
		"$cgroup" "$WARMUP" "$MINUTES" "$T/engine.json" "$command" "$n" ||
		bail_out "$command, $n services: $(tail -n 20 "$dir/daemon.log")"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	for p in "${!SERVER_PIDS[@]}"; do
		[[ ${SERVER_PIDS[p]} == "$pid" ]] && unset 'SERVER_PIDS[p]'
	done
	[[ -z $cgroup ]] || cgroup_remove "$cgroup"
}

for n in $SERVICES; do
	for c in "${commands[@]}"; do
		engine "$c" "$n"
	done
done

# ---------------------------------------------------------------- report

REPORT_PY='
import json, os, sys
interval, alone, startup = float(sys.argv[1]), sys.argv[2], sys.argv[3].split()
a = dict(zip(("ref-rsa", "plugin-rsa", "ref-ecdsa", "plugin-ecdsa", "version", "ref-start", "true"),
             (1000 * float(x) for x in alone.split())))
plugin = (a["plugin-rsa"] + a["plugin-ecdsa"]) / 2
ref = (a["ref-rsa"] + a["ref-ecdsa"]) / 2
runs = [json.loads(l) for l in open(sys.argv[4])]
print("%-14s %5s %6s %6s %7s %5s %7s %5s %6s %20s %17s %5s %5s %5s" % (
    "command", "N", "due/s", "done/s", "cpu ms", "own", "child", "core%", "cpu x",
    "latency ms 50/95/max", "exec ms 50/95/max", "late", "notOK", "load"))
base, vs_alone = {}, []
for r in runs:
    k = max(r["checks"], 1)
    per, own, child = (1000 * (r["own"] + r["rest"]) / k, 1000 * r["own"] / k, 1000 * r["rest"] / k)
    if r["name"] == "tls_pin":
        base[r["n"]] = per
        vs_alone.append("%.2fx (N=%d)" % (per / plugin, r["n"]))
    b = base.get(r["n"])
    ms = lambda v: "/".join("%.0f" % (1000 * x) if x >= 0.1 else "%.1f" % (1000 * x) for x in v)
    print("%-14s %5d %6.2f %6.2f %7.2f %5.2f %7.2f %5.1f %6s %20s %17s %5d %5d %5.1f" % (
        r["name"], r["n"], r["n"] / interval, r["checks"] / r["seconds"], per, own, child,
        100 * (r["own"] + r["rest"]) / r["seconds"], "%.2f" % (per / b) if b else "-",
        ms(r["latency"]), ms(r["execution"]), r["late"], r["not_ok"], r["load"]))
print()
print("alone, median CPU ms of %s runs: bare handshake %.2f, the plugin %.2f (%.2fx)"
      % (os.environ["RUNS"], ref, plugin, plugin / ref))
if vs_alone:
    print("the engine per tls_pin check / the plugin alone: " + ", ".join(vs_alone))
print()
print("start-up                              cpu ms  instructions")
total = in_main = ref_start = true = check = None
if startup:
    total, in_main, ref_start, true, check = (int(x) for x in startup)
count = lambda v: "%13d" % v if v is not None else "%13s" % "-"
print("  the plugin\x27s --version         %9.2f %s%s" % (a["version"], count(total),
      "  (in main: %d)" % in_main if startup else ""))
print("  a GnuTLS program doing nothing %9.2f %s" % (a["ref-start"], count(ref_start)))
print("  /bin/true                      %9.2f %s" % (a["true"], count(true)))
if startup:
    print("a verified check, ECDSA chain    %9s %s  (start-up: %.0f%%)"
          % ("", count(check), 100 * total / check))
'
# Machine and versions, then the table.
printf '\n%s; %s cores (%s); Icinga 2 %s; GnuTLS %s; check interval %s s\n' \
	"$(uname -m)" "$(nproc)" "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" \
	"$("$ICINGA2" --version | sed -n 's/.*(version: \(.*\))/\1/p')" \
	"$(pkg-config --modversion gnutls 2>/dev/null)" "$INTERVAL"
alone_ms="$(alone ref-rsa) $(alone plugin-rsa) $(alone ref-ecdsa) $(alone plugin-ecdsa)"
alone_ms+=" $(alone version) $(alone ref-start) $(alone true)"
RUNS=$RUNS python3 -c "$REPORT_PY" "$INTERVAL" "$alone_ms" "$STARTUP" "$T/engine.json"
