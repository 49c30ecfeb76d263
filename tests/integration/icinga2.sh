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

icinga2_find
targets_start

I=$T/icinga2
NODE=tlspin-node
API_PORT=$(free_port) || bail_out "no free port for the API"
icinga2_node "$I" "$NODE" "$API_PORT"

# The API listener reads its certificate, key and CA from DataDir/certs,
# named after the node.
mk_cert apica --ca --cn "Engine Test API CA"
mk_cert "$NODE" --issuer apica
cp "$T/$NODE.pem" "$I/data/certs/$NODE.crt"
cp "$T/$NODE.key" "$I/data/certs/$NODE.key"
cp "$T/apica.pem" "$I/data/certs/ca.crt"
API_USER=tlspin-test
API_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')

cat >"$I/icinga2.conf" <<EOF
include "base.conf"

object Endpoint NodeName {}
object Zone NodeName { endpoints = [ NodeName ] }
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
icinga2_app_configs
# shellcheck disable=SC2119 # no template to import on a single node
icinga2_test_services >>"$I/icinga2.conf"

# The revocation variables, in services of Icinga 2 alone (engines-lib.sh has their results).
ENGINE_SERVICES+=(revocation revocation-flag)

icinga2_validate "$I" "icinga2 daemon -C accepts the CheckCommand, beside the ITL, and the test services" \
	"$I/icinga2.conf"

printf 'include "base.conf"\ninclude "%s"\n' "$CONTRIB/icinga2/example-services.conf" \
	>"$I/example.conf"
icinga2_validate "$I" "icinga2 daemon -C accepts the example services" "$I/example.conf"

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
icinga2_validate "$I" "icinga2 daemon -C accepts the README's example service" "$I/readme.conf"

# shellcheck disable=SC2317 # called by engine_run
fetch_results() {
	icinga2_fetch "$API_PORT" "$API_USER" "$API_PASSWORD" "$T/apica.pem"
}

mapfile -t DEFINES <"$I/defines"
engine_run icinga2 "$I/daemon.log" fetch_results \
	"$ICINGA2" daemon -c "$I/icinga2.conf" "${DEFINES[@]}"
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
