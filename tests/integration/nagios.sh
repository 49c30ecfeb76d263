#!/bin/bash
# The Nagios command definitions of contrib/nagios run by a real Nagios 4:
# `nagios4 -v` accepts them, then Nagios runs in the foreground, checks six
# services (one command definition or more each) against servers on
# loopback, and its status file shows the states, outputs and performance
# data it recorded.
#
# The README's Nagios example runs too, as written there but for what ties
# it to this test: its host's address is 127.0.0.1, the pins are those of
# the test server, and the server's port and the test CA are added to the
# options of the check_command line.
#
# Every path of the main configuration file points into $T, Nagios runs as
# the current user and schedules every check at once (no spreading delay,
# one second per interval unit). No system file or service is touched.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
# shellcheck source-path=SCRIPTDIR source=engines-lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/engines-lib.sh"

NAGIOS=$(find_sbin nagios4) || skip_all "nagios4 is not installed (Debian: nagios4-core)"
targets_start

N=$T/nagios
mkdir -p "$N/rw" "$N/checkresults"

cat >"$N/nagios.cfg" <<EOF
cfg_file=$CONTRIB/nagios/check_tls_pin.cfg
cfg_file=$N/objects.cfg
resource_file=$N/resource.cfg
log_file=$N/nagios.log
object_cache_file=$N/objects.cache
precached_object_file=$N/objects.precache
status_file=$N/status.dat
status_update_interval=1
nagios_user=$(id -un)
nagios_group=$(id -gn)
check_external_commands=0
command_file=$N/rw/nagios.cmd
query_socket=$N/rw/nagios.qh
lock_file=$N/nagios.pid
temp_file=$N/nagios.tmp
temp_path=$N
check_result_path=$N/checkresults
check_result_reaper_frequency=1
retain_state_information=0
state_retention_file=$N/retention.dat
use_syslog=0
illegal_macro_output_chars=\`~\$&|'"<>
check_for_updates=0
enable_notifications=0
interval_length=1
service_inter_check_delay_method=n
host_inter_check_delay_method=n
EOF

# The plugin directory of the installed definitions, here the build's.
# shellcheck disable=SC2016 # a Nagios macro, not a shell expansion
printf '$USER1$=%s\n' "$PLUGIN_DIR" >"$N/resource.cfg"

cat >"$N/objects.cfg" <<EOF
define timeperiod {
	timeperiod_name always
	alias always
	sunday 00:00-24:00
	monday 00:00-24:00
	tuesday 00:00-24:00
	wednesday 00:00-24:00
	thursday 00:00-24:00
	friday 00:00-24:00
	saturday 00:00-24:00
}
define command {
	command_name host-up
	command_line /bin/echo UP
}
define contact {
	contact_name nobody
	alias nobody
	host_notifications_enabled 0
	service_notifications_enabled 0
	host_notification_period always
	service_notification_period always
	host_notification_options n
	service_notification_options n
	host_notification_commands host-up
	service_notification_commands host-up
}
define host {
	name test-host
	check_command host-up
	max_check_attempts 1
	check_period always
	notification_period always
	contacts nobody
	register 0
}
define host {
	use test-host
	host_name local
	address 127.0.0.1
}
define host {
	use test-host
	host_name localhost
	address localhost
}
# The template of the README's example is named as in Nagios's sample
# configuration; so is that of its host, below.
define service {
	name generic-service
	max_check_attempts 1
	check_interval 2
	retry_interval 2
	check_period always
	notification_period always
	contacts nobody
	register 0
}
define service {
	name test-service
	use generic-service
	host_name local
	register 0
}
define service {
	use test-service
	service_description ok
	check_command check_tls_pin!-p $PORT_GOOD --sni localhost --ca-file $T/ca.pem -P $PIN_GOOD,$PIN_BACKUP -w 21d -c 7d --max-validity
}
define service {
	use test-service
	service_description expiring
	check_command check_tls_pin_sni!localhost!-p $PORT_SOON --ca-file $T/ca.pem -w 21d -c 7d --max-validity=400
}
define service {
	use test-service
	service_description unpinned
	check_command check_tls_pin_pins!$PIN_BACKUP!-p $PORT_GOOD --no-verify
}
define service {
	use test-service
	service_description file
	check_command check_tls_pin_file!$T/good.pem!-P $PIN_GOOD
}
define service {
	use test-service
	service_description starttls
	check_command check_tls_pin_starttls!smtp!-p $PORT_SMTP --ehlo monitor.test --no-verify -P $PIN_GOOD
}
define service {
	use test-service
	host_name localhost
	service_description all-addresses
	check_command check_tls_pin_all_addresses!-p $PORT_GOOD --ca-file $T/ca.pem
}
define host {
	name generic-host
	use test-host
	register 0
}
EOF
readme_block 'define service{' >"$T/readme.cfg"
grep -q 'check_command' "$T/readme.cfg"
t_ok "the README has a Nagios service example" test $? = 0
sed -E -e 's/^([[:space:]]*address[[:space:]]+).*/\1127.0.0.1/' \
	-e "s|sha256/CURRENT\\.\\.\\.|$PIN_API|g; s|sha256/BACKUP\\.\\.\\.|$PIN_BACKUP|g" \
	-e "s|^([[:space:]]*check_command[[:space:]].*)|\\1 -p $PORT_API --ca-file $T/ca.pem|" \
	"$T/readme.cfg" >>"$N/objects.cfg"
ENGINE_SERVICES+=("TLS pin")
address_not_named

"$NAGIOS" -v "$N/nagios.cfg" >"$T/verify.log" 2>&1
RC=$?
why=""
[[ $RC == 0 ]] || why="exit code $RC: $(grep -E 'Error|Warning' "$T/verify.log")"
grep -q '^Total Warnings: 0$' "$T/verify.log" || why+="${why:+; }warnings: $(grep Warning "$T/verify.log")"
tap_result "nagios4 -v accepts the command definitions, without warnings" "$why"

# Prints one line a checked service, as results_check reads them, from
# Nagios's status file.
STATUS_PY='
import sys
s = None
for line in open(sys.argv[1]):
    line = line.strip()
    if line.endswith("{"):
        s = {} if line == "servicestatus {" else None
    elif line == "}":
        if s and s.get("has_been_checked") == "1":
            print("\t".join([s["service_description"], s["current_state"], s["plugin_output"],
                             s["performance_data"], s["check_command"]]))
        s = None
    elif s is not None and "=" in line:
        key, value = line.split("=", 1)
        s[key] = value
'
# shellcheck disable=SC2317 # called by engine_run
fetch_results() {
	[[ -s $N/status.dat ]] && python3 -c "$STATUS_PY" "$N/status.dat"
}

engine_run nagios4 "$N/daemon.log" fetch_results "$NAGIOS" "$N/nagios.cfg"
results_check nagios4

done_testing
