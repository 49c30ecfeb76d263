# shellcheck shell=bash
#
# check_tls_pin integration tests: what the monitoring engine tests
# (icinga2.sh, icinga2-distributed.sh, nagios.sh) share. Each engine runs the definitions of
# contrib/ against the same servers, in a private configuration under $T,
# and must report the same six services with the same states:
#
#   ok             verified against the test CA, two pins, one served, -w 21d -c 7d
#   expiring       10 days left, -w 21d -c 7d: WARNING
#   unpinned       --no-verify, only a pin that is not served: CRITICAL
#   file           --file, no network, the served pin (for Icinga 2, two app
#                  configurations too: FILE_APP_PHRASE is what they add)
#   starttls       SMTP STARTTLS (a scripted peer), --no-verify, the served pin
#   all-addresses  --all-addresses of "localhost", verified
#
# and the README's example for the engine, as written there (readme_block),
# against a certificate for api.example.com alone on 127.0.0.1, the host's
# address: it must connect to the address and verify the name.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck disable=SC2034 # read by the scripts
CONTRIB=${TESTS_SRCDIR:-$(dirname "${BASH_SOURCE[0]}")/..}/../contrib
# The plugin directory the engines are given: where the plugin under test is.
# shellcheck disable=SC2034 # read by the scripts
PLUGIN_DIR=$(dirname "$PLUGIN")
ENGINE_SERVICES=(ok expiring unpinned file starttls all-addresses)
README=${TESTS_SRCDIR:-$(dirname "${BASH_SOURCE[0]}")/..}/../README

# targets_start: the certificates, the servers and the pins the services
# use. Sets PORT_GOOD, PORT_SOON, PORT_SMTP, PORT_API, PIN_GOOD, PIN_API and
# PIN_BACKUP.
targets_start() {
	require_tools certtool openssl gnutls-serv python3
	mk_cert ca --ca --to "+3650 days" --cn "Engine Test Root"
	# 151 days: within the CA/Browser Forum limit, so --max-validity stays quiet.
	mk_cert good --issuer ca --san localhost --to "+150 days"
	mk_cert soon --issuer ca --san localhost --from "-100 days" --to "+10 days"
	# The README's host: a name that its address, 127.0.0.1, is not.
	mk_cert api --issuer ca --san api.example.com --to "+150 days"
	# A key no server serves: the backup pin.
	mk_cert backup
	PIN_GOOD=sha256/$(spki_b64 good)
	# shellcheck disable=SC2034 # read by the scripts
	PIN_API=sha256/$(spki_b64 api)
	# shellcheck disable=SC2034 # read by the scripts
	PIN_BACKUP=sha256/$(spki_b64 backup)
	start_server gnutls --x509certfile "$T/good.pem" --x509keyfile "$T/good.key"
	PORT_GOOD=$SERVER_PORT
	start_server gnutls --x509certfile "$T/soon.pem" --x509keyfile "$T/soon.key"
	PORT_SOON=$SERVER_PORT
	start_server gnutls --x509certfile "$T/api.pem" --x509keyfile "$T/api.key"
	PORT_API=$SERVER_PORT
	printf '%s\n' 'send b"220 mx.test ESMTP\r\n"' recv \
		'send b"250-mx.test\r\n250 STARTTLS\r\n"' recv 'send b"220 go ahead\r\n"' \
		"tls $T/good.pem $T/good.key" >"$T/smtp.script"
	start_server peer "$T/smtp.script"
	PORT_SMTP=$SERVER_PORT
}

# readme_block TEXT: the indented block of the README that holds the line
# TEXT (a fixed string), its indentation removed.
readme_block() {
	TEXT=$1 awk '
		/^    / { block = block substr($0, 5) "\n"; if (index($0, ENVIRON["TEXT"])) found = 1; next }
		found { exit }
		{ block = "" }
		END { if (found) printf "%s", block }
	' "$README"
}

# address_not_named: the README host's certificate is not valid for the
# host's address, so a definition that verified the address would fail.
address_not_named() {
	t_check "the README host's certificate does not name its address" 2 \
		"^TLS_PIN CRITICAL - 127\.0\.0\.1:$PORT_API [^|]*name mismatch" \
		-H 127.0.0.1 -p "$PORT_API" --ca-file "$T/ca.pem"
	# What fails later is the engine's run, not this one: do not show it.
	CMD=""
}

# expected NAME: the state, and regexes for the output and the performance
# data, that the service NAME must end in, one per line.
expected() {
	local days='[0-9]+\.[0-9]{2}' time='time=[0-9.]+s;;;0;'
	case $1 in
	ok)
		echo 0
		echo "^TLS_PIN OK - 127\.0\.0\.1:$PORT_GOOD expires in 1(49d 23h|50d) [^,]*, key pinned \(leaf\) ?$"
		echo "^days=$days;21:;7:;; $time$"
		;;
	expiring)
		echo 1
		echo "^TLS_PIN WARNING - 127\.0\.0\.1:$PORT_SOON expires in (9d 23h|10d) .*, within the warning threshold of 21d ?$"
		echo "^days=(9\.9[0-9]|10\.00);21:;7:;; $time$"
		;;
	unpinned)
		echo 2
		echo "^TLS_PIN CRITICAL - 127\.0\.0\.1:$PORT_GOOD expires in [^,]*, key NOT pinned, served $(re_quote "$PIN_GOOD") ?$"
		echo "^days=$days;30:;14:;; $time$"
		;;
	file)
		echo 0
		echo "^TLS_PIN OK - $(re_quote "$T/good.pem") expires in 1(49d 23h|50d) [^,]*, key pinned \(leaf\)${FILE_APP_PHRASE:-} ?$"
		echo "^days=$days;30:;14:;; $time$"
		;;
	starttls)
		echo 0
		echo "^TLS_PIN OK - 127\.0\.0\.1:$PORT_SMTP expires in 1(49d 23h|50d) [^,]*, key pinned \(leaf\) ?$"
		echo "^days=$days;30:;14:;; $time$"
		;;
	all-addresses)
		echo 0
		echo "^TLS_PIN OK - localhost:$PORT_GOOD: [12] address(es)?[:;] earliest expiry in 1(49d 23h|50d) "
		echo "^days=$days;30:;14:;; addresses=[12] keys=1 $time$"
		;;
	revocation)	# the certificate names no CRL: no answer, here OK
		echo 0
		echo "^TLS_PIN OK - 127\.0\.0\.1:$PORT_GOOD expires in 1(49d 23h|50d) [^,]*, leaf revocation not known: it names no CRL distribution point \(http or https\) ?$"
		echo "^days=$days;21:;7:;; $time$"
		;;
	revocation-flag)	# no OCSP responder and no CRL: no answer, here CRITICAL
		echo 2
		echo "^TLS_PIN CRITICAL - 127\.0\.0\.1:$PORT_GOOD expires in 1(49d 23h|50d) [^,]*, leaf revocation not known: it names no OCSP responder and no CRL distribution point \(http or https\) ?$"
		echo "^days=$days;21:;7:;; $time$"
		;;
	"TLS pin" | tls-pin-dmz)	# the README's: Nagios's, Icinga 2's on a satellite
		echo 0
		echo "^TLS_PIN OK - 127\.0\.0\.1:$PORT_API expires in 1(49d 23h|50d) [^,]*, key pinned \(leaf\) ?$"
		echo "^days=$days;21:;7:;; $time$"
		;;
	esac
}

# results_check ENGINE: asserts that $T/results, one line a checked
# service (NAME, STATE, OUTPUT, PERFDATA and COMMAND, separated by tabs, as
# the engine reported them; COMMAND is the command line Icinga ran, or the
# check_command of Nagios), holds every service of ENGINE_SERVICES as
# expected().
results_check() {
	local engine=$1 name state output perf line want
	local -a exp
	for name in "${ENGINE_SERVICES[@]}"; do
		line=$(grep -m1 "^$name"$'\t' "$T/results")
		# Not read's IFS: a tab is white space to it, and empty fields
		# (no performance data) would vanish.
		state=$(cut -f2 <<<"$line")
		output=$(cut -f3 <<<"$line")
		perf=$(cut -f4 <<<"$line")
		mapfile -t exp < <(expected "$name")
		want=""
		[[ -n $line ]] || want="no result for $name"
		[[ -z $want && $state != "${exp[0]}" ]] && want="state $state, expected ${exp[0]}"
		tap_result "$engine: $name: state ${exp[0]}" "$want"
		if [[ $output =~ ${exp[1]} ]]; then want=""; else want="output '$output' does not match ${exp[1]}"; fi
		tap_result "$engine: $name: output" "$want"
		if [[ $perf =~ ${exp[2]} ]]; then want=""; else want="perfdata '$perf' does not match ${exp[2]}"; fi
		tap_result "$engine: $name: performance data" "$want"
	done
}

# result_field NAME N: field N of the result of the service NAME.
result_field() {
	grep -m1 "^$1"$'\t' "$T/results" | cut -f"$2"
}

# result_command NAME: the command line the engine ran for the service NAME.
result_command() {
	result_field "$1" 5
}

# wait_results PID COMMAND...: runs COMMAND (which prints the results, one
# line a checked service) into $T/results every half second until every
# service of ENGINE_SERVICES has a line, for 60 s at the most, or until the
# engine's process PID is gone. Fails then.
wait_results() {
	local pid=$1 deadline=$((SECONDS + 60)) name missing
	shift
	while ((SECONDS < deadline)) && kill -0 "$pid" 2>/dev/null; do
		if "$@" >"$T/results" 2>"$T/results.err"; then
			missing=0
			for name in "${ENGINE_SERVICES[@]}"; do
				grep -q "^$name"$'\t' "$T/results" || missing=1
			done
			((missing)) || return 0
		fi
		sleep 0.5
	done
	return 1
}

# engine_run ENGINE LOG FETCH COMMAND...: starts COMMAND, the engine in the
# foreground, in the background with its output in LOG (it is stopped when
# the script ends), then asserts that FETCH reports every service in time.
engine_run() {
	local engine=$1 log=$2 fetch=$3 pid desc
	shift 3
	"$@" </dev/null >"$log" 2>&1 &
	pid=$!
	SERVER_PIDS+=("$pid")
	desc="$engine ran every service and reports each"
	if wait_results "$pid" "$fetch"; then
		tap_result "$desc" ""
	else
		tap_result "$desc" "within 60 s: $(cat "$T/results" "$T/results.err"; tail -n 20 "$log")"
	fi
}

# ---------------------------------------------------------------- Icinga 2
#
# A private Icinga 2 node: every path Icinga writes is set with --define
# (Configuration.DataDir and the others) to a directory of the test's, it
# runs as the current user, logs to its standard output only, and its API
# listens on 127.0.0.1 alone. No system file or service is touched.

# icinga2_find: sets ICINGA2 and ITL_DIR (the Icinga Template Library), or
# skips the script.
icinga2_find() {
	ICINGA2=$(find_sbin icinga2) || skip_all "icinga2 is not installed (Debian: icinga2-bin)"
	ITL_DIR=$("$ICINGA2" --version 2>/dev/null | sed -n 's/^ *Package data directory: //p')/include
	[[ -f $ITL_DIR/itl ]] || skip_all "the Icinga Template Library is not installed (Debian: icinga2-common)"
}

# icinga2_node DIR NAME PORT [PLUGIN_DIR]: a node named NAME whose
# directories are under DIR, its API (when it has an ApiListener) on
# 127.0.0.1:PORT, and PLUGIN_DIR (default: the plugin's) as PluginDir.
# DIR/base.conf loads the ITL and the CheckCommand as installed: the file
# sits in plugins-contrib.d beside the ITL's own contributed commands (no
# name may clash), loaded by the include_recursive of <plugins-contrib>; the
# ITL's files are linked, and a copy of ours that the system already holds
# (an installed package) is left out. The ITL and <plugins> (the
# "ipv4-or-ipv6" template) come first. DIR/defines holds the node's
# --define options, one a line, for icinga2_cmd.
icinga2_node() {
	local dir=$1 name=$2 port=$3 plugins=${4:-$PLUGIN_DIR} f
	mkdir -p "$dir"/data/certs "$dir"/run "$dir"/cache "$dir"/log "$dir"/spool \
		"$dir"/zones.d "$dir"/include/plugins-contrib.d
	printf '%s\n' \
		"-DNodeName=$name" \
		"-DPluginDir=$plugins" \
		"-DPluginContribDir=$plugins" \
		"-DManubulonPluginDir=$plugins" \
		"-DConfiguration.ConfigDir=$dir" \
		"-DConfiguration.DataDir=$dir/data" \
		"-DConfiguration.CacheDir=$dir/cache" \
		"-DConfiguration.LogDir=$dir/log" \
		"-DConfiguration.SpoolDir=$dir/spool" \
		"-DConfiguration.InitRunDir=$dir/run" \
		"-DConfiguration.ZonesDir=$dir/zones.d" \
		"-DConfiguration.RunAsUser=$(id -un)" \
		"-DConfiguration.RunAsGroup=$(id -gn)" \
		"-DConfiguration.ApiBindHost=127.0.0.1" \
		"-DConfiguration.ApiBindPort=$port" >"$dir/defines"
	for f in "$ITL_DIR"/plugins-contrib.d/*.conf; do
		if [[ -e $f && ${f##*/} != check_tls_pin.conf ]]; then
			ln -s "$f" "$dir/include/plugins-contrib.d/"
		fi
	done
	cp "$CONTRIB/icinga2/check_tls_pin.conf" "$dir/include/plugins-contrib.d/"
	echo 'include_recursive "plugins-contrib.d"' >"$dir/include/plugins-contrib"
	printf 'include <itl>\ninclude <plugins>\ninclude "include/plugins-contrib"\n' >"$dir/base.conf"
}

# icinga2_cmd DIR ARGS...: runs icinga2 ARGS with the --define options of
# the node in DIR, in the foreground (in the background, the function's
# subshell would hold the process id; see icinga2_start).
icinga2_cmd() {
	local dir=$1 defines
	shift
	mapfile -t defines <"$dir/defines"
	"$ICINGA2" "$@" "${defines[@]}"
}

# icinga2_start DIR LOG CONFIG: starts the daemon of the node in DIR in the
# background, from CONFIG, with its output in LOG; it is stopped when the
# script ends. Sets ICINGA2_PID.
icinga2_start() {
	local dir=$1 log=$2 config=$3 defines
	mapfile -t defines <"$dir/defines"
	"$ICINGA2" daemon -c "$config" "${defines[@]}" </dev/null >"$log" 2>&1 &
	ICINGA2_PID=$!
	SERVER_PIDS+=("$ICINGA2_PID")
}

# icinga2_validate DIR DESC CONFIG: `icinga2 daemon -C` of the node in DIR
# accepts CONFIG.
icinga2_validate() {
	local dir=$1 desc=$2 config=$3 why=""
	icinga2_cmd "$dir" daemon -C -c "$config" >"$T/validate.log" 2>&1 ||
		why="icinga2 daemon -C failed: $(grep -E 'critical|[Ee]rror' "$T/validate.log" | head -5)"
	tap_result "$desc" "$why"
}

# icinga2_test_services [TEMPLATE...]: the services of ENGINE_SERVICES as
# Icinga 2 objects, on the host "local" (127.0.0.1), each checked every 2 s;
# every one imports the TEMPLATEs given.
icinga2_test_services() {
	local import="" t
	for t in "$@"; do
		import+="import \"$t\""$'\n\t'
	done
	cat <<EOT
object Host "local" {
	check_command = "dummy"
	address = "127.0.0.1"
}

template Service "tls-pin-test" {
	${import}host_name = "local"
	check_command = "tls_pin"
	check_interval = 2s
	retry_interval = 2s
	max_check_attempts = 1
}

/* Verified as localhost against the test CA, alerting 21 and 7 days ahead. */
template Service "tls-pin-verified" {
	import "tls-pin-test"
	vars.tls_pin_sni = "localhost"
	vars.tls_pin_ca_file = "$T/ca.pem"
	vars.tls_pin_warning = "21d"
	vars.tls_pin_critical = "7d"
}

object Service "ok" {
	import "tls-pin-verified"
	vars.tls_pin_port = $PORT_GOOD
	vars.tls_pin_pins = [ "$PIN_GOOD", "$PIN_BACKUP" ]
	vars.tls_pin_max_validity = true
}
object Service "expiring" {
	import "tls-pin-verified"
	vars.tls_pin_port = $PORT_SOON
	vars.tls_pin_max_validity = 400
}
object Service "unpinned" {
	import "tls-pin-test"
	vars.tls_pin_port = $PORT_GOOD
	vars.tls_pin_no_verify = true
	vars.tls_pin_pins = [ "$PIN_BACKUP" ]
}
object Service "file" {
	import "tls-pin-test"
	vars.tls_pin_file = "$T/good.pem"
	vars.tls_pin_pins = [ "$PIN_GOOD" ]
	vars.tls_pin_address = "localhost"
	vars.tls_pin_app_configs = [ "$T/nsc.xml", "$T/Info.plist" ]
}
object Service "starttls" {
	import "tls-pin-test"
	vars.tls_pin_port = $PORT_SMTP
	vars.tls_pin_starttls = "smtp"
	vars.tls_pin_ehlo = "monitor.test"
	vars.tls_pin_no_verify = true
	vars.tls_pin_pins = [ "$PIN_GOOD" ]
}
object Service "revocation" {
	import "tls-pin-verified"
	vars.tls_pin_port = $PORT_GOOD
	vars.tls_pin_revocation = "crl"
	vars.tls_pin_revocation_unavailable = "ok"
	vars.tls_pin_crl_cache = "$T/crl-cache"
}
object Service "revocation-flag" {
	import "tls-pin-verified"
	vars.tls_pin_port = $PORT_GOOD
	vars.tls_pin_revocation = true
	vars.tls_pin_revocation_unavailable = "critical"
}
object Service "all-addresses" {
	import "tls-pin-test"
	vars.tls_pin_address = "localhost"
	vars.tls_pin_port = $PORT_GOOD
	vars.tls_pin_all_addresses = true
	vars.tls_pin_ca_file = "$T/ca.pem"
}
EOT
}

# icinga2_app_configs: the apps of the "file" service, an Android one and an
# iOS one (TrustKit), each with the served pin and a backup; sets
# FILE_APP_PHRASE, what they add to its line. Also the CRL cache directory
# of the "revocation" service.
icinga2_app_configs() {
	printf '%s\n' '<?xml version="1.0" encoding="utf-8"?>' '<network-security-config>' \
		'  <domain-config>' '    <domain>localhost</domain>' '    <pin-set>' \
		"      <pin digest=\"SHA-256\">${PIN_GOOD#sha256/}</pin>" \
		"      <pin digest=\"SHA-256\">${PIN_BACKUP#sha256/}</pin>" \
		'    </pin-set>' '  </domain-config>' '</network-security-config>' >"$T/nsc.xml"
	printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' '<plist version="1.0">' '<dict>' \
		'<key>TSKConfiguration</key>' '<dict>' '<key>TSKPinnedDomains</key>' '<dict>' \
		'<key>localhost</key>' '<dict>' '<key>TSKPublicKeyHashes</key>' '<array>' \
		"<string>${PIN_BACKUP#sha256/}</string>" "<string>${PIN_GOOD#sha256/}</string>" \
		'</array>' '</dict>' '</dict>' '</dict>' '</dict>' '</plist>' >"$T/Info.plist"
	mkdir -p "$T/crl-cache"
	# shellcheck disable=SC2034 # read by expected()
	FILE_APP_PHRASE=", key pinned \(android nsc\.xml: localhost, pin 1 of 2\), key pinned \(trustkit Info\.plist: localhost, pin 2 of 2\)"
}

# Prints one line a checked service, as results_check reads them, from the
# API's view of the services, with the endpoint that ran the check
# (check_source) as a sixth field.
ICINGA2_FETCH_PY='
import base64, json, ssl, sys, urllib.request
port, user, password, cafile = sys.argv[1:]
ctx = ssl.create_default_context(cafile=cafile)
ctx.check_hostname = False
req = urllib.request.Request(
    "https://127.0.0.1:%s/v1/objects/services?attrs=name&attrs=last_check_result" % port,
    headers={"Accept": "application/json", "Authorization": "Basic " +
             base64.b64encode(("%s:%s" % (user, password)).encode()).decode()})
with urllib.request.urlopen(req, context=ctx, timeout=5) as r:
    services = json.load(r)["results"]
for s in services:
    cr = s["attrs"].get("last_check_result")
    if not cr:
        continue
    perf = " ".join(str(p) for p in cr.get("performance_data") or [])
    cmd = cr["command"]
    cmd = " ".join(cmd) if isinstance(cmd, list) else str(cmd)
    print("\t".join([s["attrs"]["name"], "%d" % cr["state"], cr["output"], perf, cmd,
                     cr.get("check_source") or ""]))
'

# icinga2_fetch PORT USER PASSWORD CA: the results of the node whose API is
# on 127.0.0.1:PORT, its certificate issued by the CA in the file CA.
icinga2_fetch() {
	python3 -c "$ICINGA2_FETCH_PY" "$@"
}
