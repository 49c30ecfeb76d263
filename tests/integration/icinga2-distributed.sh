#!/bin/bash
# The CheckCommand of contrib/icinga2 in Icinga 2's distributed mode: a
# master and a satellite, two daemons, two zones, each API on a loopback
# port, with a CA of their own made by `icinga2 pki`. The master schedules
# the services of icinga2.sh and the README's, and sends each check to the
# satellite (command_endpoint); the results are read back from the
# master's REST API: state, output, performance data, and that the
# satellite ran the check, with the plugin of its own PluginDir (the
# master's PluginDir holds no plugin).
#
# The configuration is the README's, its three blocks as written there (see
# "Monitoring engines"), but for what ties it to the world outside this
# test: the satellite's address is 127.0.0.1 and its port the test's; the
# README host's address is 127.0.0.1, its server's port and the test CA are
# host variables (a service's variables fall back to its host's), the
# pins are those of the test server, and the apply rule checks every 2 s,
# as the test services do, instead of Icinga's default 5 minutes.
#
# Everything the nodes write goes under $T (icinga2_node); no system file or
# service is touched.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
# shellcheck source-path=SCRIPTDIR source=engines-lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/engines-lib.sh"

icinga2_find
targets_start
address_not_named

MASTER=master.example.com
SATELLITE=dmz1.example.com
M=$T/master
S=$T/satellite
MASTER_PORT=$(free_port) || bail_out "no free port for the master's API"
SATELLITE_PORT=$(free_port) || bail_out "no free port for the satellite's API"
[[ $MASTER_PORT != "$SATELLITE_PORT" ]] || bail_out "one port for both APIs"
mkdir -p "$T/no-plugins"
icinga2_node "$M" "$MASTER" "$MASTER_PORT" "$T/no-plugins"
icinga2_node "$S" "$SATELLITE" "$SATELLITE_PORT"

# ---------------------------------------------------------------- PKI

# The master's CA (in its DataDir/ca, where `icinga2 pki new-ca` puts it)
# signs a certificate for each node, named after the endpoint; each node
# reads its own and the CA's from its DataDir/certs.
pki() {
	icinga2_cmd "$M" pki "$@" >>"$T/pki.log" 2>&1 ||
		bail_out "icinga2 pki $1 failed: $(tail -n 5 "$T/pki.log")"
}
pki new-ca
for node in "$M:$MASTER" "$S:$SATELLITE"; do
	dir=${node%%:*} name=${node#*:}
	pki new-cert --cn "$name" --key "$dir/data/certs/$name.key" --csr "$T/$name.csr"
	pki sign-csr --csr "$T/$name.csr" --cert "$dir/data/certs/$name.crt"
	cp "$M/data/ca/ca.crt" "$dir/data/certs/ca.crt"
done

# ---------------------------------------------------------------- configuration

# readme_part TEXT FILE: the README's block that holds TEXT into FILE.
readme_part() {
	readme_block "$1" >"$2"
	[[ -s $2 ]]
	t_ok "the README shows the block with '$1'" test $? = 0
}
readme_part 'object Zone "dmz"' "$T/zones.conf"
readme_part 'accept_commands' "$S/api.conf"
readme_part 'command_endpoint' "$T/readme.conf"

grep -q 'host = "192.0.2.20"' "$T/zones.conf"
t_ok "the README's zones give the satellite's address" test $? = 0
sed -e "s|host = \"192\\.0\\.2\\.20\"|host = \"127.0.0.1\"; port = \"$SATELLITE_PORT\"|" \
	"$T/zones.conf" >"$M/zones.conf"
cp "$M/zones.conf" "$S/zones.conf"

printf 'include "base.conf"\ninclude "zones.conf"\ninclude "api.conf"\n' >"$S/icinga2.conf"

API_USER=tlspin-test
API_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
cat >"$M/icinga2.conf" <<EOF
include "base.conf"
include "zones.conf"

object ApiListener "api" {
	accept_config = false
	accept_commands = false
}
object ApiUser "$API_USER" {
	password = "$API_PASSWORD"
	permissions = [ "objects/query/Service" ]
}
object CheckerComponent "checker" {}
EOF

# The master's zone: the README's template and apply rule with its host,
# and the test services, each importing the README's template.
mkdir -p "$M/zones.d/master"
{
	printf 'object Host "api.example.com" {\n\tcheck_command = "dummy"\n\taddress = "127.0.0.1"\n'
	printf '\tvars.tls_pin_port = %s\n\tvars.tls_pin_ca_file = "%s"\n}\n' "$PORT_API" "$T/ca.pem"
	sed -e "s|sha256/CURRENT\\.\\.\\.|$PIN_API|g; s|sha256/BACKUP\\.\\.\\.|$PIN_BACKUP|g" \
		-e 's|^\( *\)import .*|&\n\1check_interval = 2s\n\1retry_interval = 2s|' "$T/readme.conf"
} >"$M/zones.d/master/readme.conf"
template=$(sed -n 's/^template Service "\([^"]*\)".*/\1/p' "$T/readme.conf")
t_ok "the README's master block has a Service template" test -n "$template"
icinga2_app_configs
icinga2_test_services "$template" >"$M/zones.d/master/services.conf"
ENGINE_SERVICES+=(tls-pin-dmz)

icinga2_validate "$S" "icinga2 daemon -C accepts the satellite's configuration" "$S/icinga2.conf"
icinga2_validate "$M" "icinga2 daemon -C accepts the master's configuration" "$M/icinga2.conf"

# ---------------------------------------------------------------- run

# The satellite listens first: the master connects to it when it starts.
icinga2_start "$S" "$S/daemon.log" "$S/icinga2.conf"
SATELLITE_PID=$ICINGA2_PID
for ((i = 0; i < 200; i++)); do
	kill -0 "$SATELLITE_PID" 2>/dev/null || break
	grep -q "Started new listener on '\[127\.0\.0\.1\]:$SATELLITE_PORT'" "$S/daemon.log" && break
	sleep 0.1
done
grep -q "Started new listener on '\[127\.0\.0\.1\]:$SATELLITE_PORT'" "$S/daemon.log" ||
	bail_out "the satellite does not listen: $(tail -n 20 "$S/daemon.log")"

# A check due before the master reached the satellite waits for it; past
# Icinga's first 5 minutes it would end UNKNOWN, "Remote Icinga instance
# ... is not connected": no run of the plugin, so no result to read yet.
# shellcheck disable=SC2317 # called by engine_run
fetch_results() {
	icinga2_fetch "$MASTER_PORT" "$API_USER" "$API_PASSWORD" "$M/data/certs/ca.crt" |
		grep -v $'\tRemote Icinga instance '
}

mapfile -t DEFINES <"$M/defines"
engine_run "icinga2 master" "$M/daemon.log" fetch_results \
	"$ICINGA2" daemon -c "$M/icinga2.conf" "${DEFINES[@]}"
results_check "icinga2 satellite"

for name in "${ENGINE_SERVICES[@]}"; do
	cmd=$(result_command "$name")
	source=$(result_field "$name" 6)
	why=""
	[[ $source == "$SATELLITE" ]] || why="check_source '$source'"
	tap_result "icinga2 satellite: $name: the satellite ran the check" "$why"
	why=""
	[[ $cmd == "$PLUGIN_DIR/check_tls_pin "* ]] || why="command '$cmd'"
	tap_result "icinga2 satellite: $name: with the plugin of its PluginDir" "$why"
done

done_testing
