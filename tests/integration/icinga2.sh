#!/bin/bash
# The Icinga 2 CheckCommand of contrib/icinga2 run by a real Icinga 2: the
# configuration validates (with the example too), then the daemon checks six
# services against servers on loopback, and the states, outputs and
# performance data are read back as Icinga parsed them, through its REST API.
#
# Everything Icinga writes goes under $T: its paths are set with --define
# (Configuration.DataDir and the others), it runs as the current user, and
# it logs to its standard output only. No system file or service is touched.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
# shellcheck source-path=SCRIPTDIR source=engines-lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/engines-lib.sh"

ICINGA2=$(find_sbin icinga2) || skip_all "icinga2 is not installed (Debian: icinga2-bin)"
ITL_DIR=$("$ICINGA2" --version 2>/dev/null | sed -n 's/^ *Package data directory: //p')/include
[[ -f $ITL_DIR/itl ]] || skip_all "the Icinga Template Library is not installed (Debian: icinga2-common)"
targets_start

I=$T/icinga2
mkdir -p "$I"/data/certs "$I"/run "$I"/cache "$I"/log "$I"/spool "$I"/zones.d
NODE=tlspin-node
ICINGA_DEFINES=(
	-DNodeName="$NODE"
	-DPluginDir="$PLUGIN_DIR"
	-DPluginContribDir="$PLUGIN_DIR"
	-DManubulonPluginDir="$PLUGIN_DIR"
	-DConfiguration.ConfigDir="$I"
	-DConfiguration.DataDir="$I/data"
	-DConfiguration.CacheDir="$I/cache"
	-DConfiguration.LogDir="$I/log"
	-DConfiguration.SpoolDir="$I/spool"
	-DConfiguration.InitRunDir="$I/run"
	-DConfiguration.ZonesDir="$I/zones.d"
	-DConfiguration.RunAsUser="$(id -un)"
	-DConfiguration.RunAsGroup="$(id -gn)"
)

# The API listener reads its certificate, key and CA from DataDir/certs,
# named after the node.
mk_cert apica --ca --cn "Engine Test API CA"
mk_cert "$NODE" --issuer apica
cp "$T/$NODE.pem" "$I/data/certs/$NODE.crt"
cp "$T/$NODE.key" "$I/data/certs/$NODE.key"
cp "$T/apica.pem" "$I/data/certs/ca.crt"
API_PORT=$(free_port) || bail_out "no free port for the API"
API_USER=tlspin-test
API_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')

# icinga2_validate DESC CONFIG: `icinga2 daemon -C` accepts CONFIG.
icinga2_validate() {
	local desc=$1 config=$2 why=""
	"$ICINGA2" daemon -C -c "$config" "${ICINGA_DEFINES[@]}" >"$T/validate.log" 2>&1 ||
		why="icinga2 daemon -C failed: $(grep -E 'critical|[Ee]rror' "$T/validate.log" | head -5)"
	tap_result "$desc" "$why"
}

# Installed, the file sits in plugins-contrib.d beside the ITL's own
# contributed commands (no name may clash), loaded by the include_recursive
# of <plugins-contrib>. The same layout here, with the ITL's files linked; a
# copy of ours that the system already holds (an installed package) is left
# out. The ITL and <plugins> (the "ipv4-or-ipv6" template) come first.
mkdir -p "$I/include/plugins-contrib.d"
for f in "$ITL_DIR"/plugins-contrib.d/*.conf; do
	if [[ -e $f && ${f##*/} != check_tls_pin.conf ]]; then
		ln -s "$f" "$I/include/plugins-contrib.d/"
	fi
done
cp "$CONTRIB/icinga2/check_tls_pin.conf" "$I/include/plugins-contrib.d/"
echo 'include_recursive "plugins-contrib.d"' >"$I/include/plugins-contrib"
printf 'include <itl>\ninclude <plugins>\ninclude "include/plugins-contrib"\n' >"$I/base.conf"

# The apps of the "file" service: an Android one and an iOS one (TrustKit),
# each with the served pin and a backup.
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
FILE_APP_PHRASE=", key pinned \(android nsc\.xml: localhost, pin 1 of 2\), key pinned \(trustkit Info\.plist: localhost, pin 2 of 2\)"

cat >"$I/icinga2.conf" <<EOF
include "base.conf"

object Endpoint NodeName {}
object Zone NodeName { endpoints = [ NodeName ] }
object ApiListener "api" {
	bind_host = "127.0.0.1"
	bind_port = $API_PORT
	accept_config = false
	accept_commands = false
}
object ApiUser "$API_USER" {
	password = "$API_PASSWORD"
	permissions = [ "objects/query/Service" ]
}
object CheckerComponent "checker" {}

object Host "local" {
	check_command = "dummy"
	address = "127.0.0.1"
}

template Service "tls-pin-test" {
	host_name = "local"
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
EOF

mkdir -p "$T/crl-cache"
# The revocation variables, in services of Icinga 2 alone (engines-lib.sh has their results).
ENGINE_SERVICES+=(revocation revocation-flag)

icinga2_validate "icinga2 daemon -C accepts the CheckCommand, beside the ITL, and the test services" \
	"$I/icinga2.conf"

printf 'include "base.conf"\ninclude "%s"\n' "$CONTRIB/icinga2/example-services.conf" \
	>"$I/example.conf"
icinga2_validate "icinga2 daemon -C accepts the example services" "$I/example.conf"

# The README's apply rule, for its host, whose port and CA come from host
# variables here (a service's variables fall back to its host's).
readme_block 'apply Service' >"$T/readme.conf"
grep -q 'check_command' "$T/readme.conf"
t_ok "the README has an Icinga 2 service example" test $? = 0
{
	printf 'include "base.conf"\n'
	printf 'object Host "api.example.com" {\n\tcheck_command = "dummy"\n\taddress = "127.0.0.1"\n'
	printf '\tvars.tls_pin_port = %s\n\tvars.tls_pin_ca_file = "%s"\n}\n' "$PORT_API" "$T/ca.pem"
	sed -e "s|sha256/CURRENT\\.\\.\\.|$PIN_API|g; s|sha256/BACKUP\\.\\.\\.|$PIN_BACKUP|g" "$T/readme.conf"
} >"$I/readme.conf"
icinga2_validate "icinga2 daemon -C accepts the README's example service" "$I/readme.conf"

# Prints one line a checked service, as results_check reads them, from the
# API's view of the services.
FETCH_PY='
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
    print("\t".join([s["attrs"]["name"], "%d" % cr["state"], cr["output"], perf, cmd]))
'
# shellcheck disable=SC2317 # called by engine_run
fetch_results() {
	python3 -c "$FETCH_PY" "$API_PORT" "$API_USER" "$API_PASSWORD" "$T/apica.pem"
}

engine_run icinga2 "$I/daemon.log" fetch_results \
	"$ICINGA2" daemon -c "$I/icinga2.conf" "${ICINGA_DEFINES[@]}"
results_check icinga2

# command_words SERVICE DESC has|lacks TEXT: the command Icinga ran for
# SERVICE holds (has) or does not hold (lacks) TEXT, as whole words.
command_words() {
	local cmd found=lacks
	cmd=$(result_command "$1")
	[[ " $cmd " == *" $4 "* ]] && found=has
	if [[ $found == "$3" ]]; then
		tap_result "icinga2: $1: $2" ""
	else
		tap_result "icinga2: $1: $2" "expected the command to $3 '$4': $cmd"
	fi
}

command_words ok "the plugin from PluginDir" has "$PLUGIN_DIR/check_tls_pin"
command_words ok "the host's address as -H, by default" has "--hostname 127.0.0.1"
command_words ok "each pin of the array as its own --pin" has "--pin $PIN_GOOD --pin $PIN_BACKUP"
command_words ok "tls_pin_max_validity = true: --max-validity alone" has "--max-validity"
command_words expiring "tls_pin_max_validity = 400: --max-validity=400" has "--max-validity=400"
command_words expiring "no bare --max-validity with a number" lacks "--max-validity"
command_words expiring "no --pin without tls_pin_pins" lacks "--pin"
command_words unpinned "a true boolean: its flag" has "--no-verify"
command_words unpinned "an unset boolean: no flag" lacks "--all-addresses"
command_words starttls "tls_pin_starttls: --starttls" has "--starttls smtp"
command_words starttls "tls_pin_ehlo: --ehlo" has "--ehlo monitor.test"
command_words all-addresses "tls_pin_address overrides the host's address" has "--hostname localhost"
command_words file "each app configuration of the array as its own --app-config" has \
	"--app-config $T/nsc.xml --app-config $T/Info.plist"
command_words revocation "tls_pin_revocation = \"crl\": --revocation=crl" has "--revocation=crl"
command_words revocation "tls_pin_revocation_unavailable: --revocation-unavailable" \
	has "--revocation-unavailable ok"
command_words revocation "tls_pin_crl_cache: --crl-cache" has "--crl-cache $T/crl-cache"
command_words revocation-flag "tls_pin_revocation = true: --revocation alone" has "--revocation"
command_words ok "no --revocation without tls_pin_revocation" lacks "--revocation"

done_testing
