#!/bin/bash
# The engine definitions of contrib/ cannot drift from the plugin: the Icinga
# 2 CheckCommand passes every option of --help (but those excluded below),
# each under its own documented variable, and only options the plugin has;
# the example uses only variables the CheckCommand reads; every option in a
# Nagios command line is one the plugin has. The checks are run on broken
# copies too, to show that they notice.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools awk sed

CONTRIB=${TESTS_SRCDIR:-$(dirname "$0")/..}/../contrib
CONF=$CONTRIB/icinga2/check_tls_pin.conf

# Options the CheckCommand leaves out, as its header comment explains:
# --help and --version check nothing; --print-pins (and --format, which only
# shapes it) and --print-tlsa print a pin file or zone-file lines instead of
# a status line.
EXCLUDED="help version print-pins format print-tlsa"

# The variable of each option, where it is not tls_pin_ and the option with
# '_' for '-' (the CheckCommand's header comment gives the reasons).
declare -A VARIABLE=(
	[hostname]=tls_pin_address
	[ip-address]=tls_pin_ip_addresses
	[pin]=tls_pin_pins
	[app-config]=tls_pin_app_configs
)

HELP=$("$PLUGIN" --help)
LONG=$(grep -oE -- '--[a-z0-9-]+' <<<"$HELP" | sed 's/^--//' | sort -u)
SHORT=$(grep -oE '^ +-[A-Za-z0-9],' <<<"$HELP" | tr -d ' ,' | sort -u)

# conf_arguments CONF: each argument of the CheckCommand, one a line: the
# key, then the variables its value and set_if read, or "-" when it has no
# description.
conf_arguments() {
	awk '
		/^\targuments = \{/ { inside = 1; next }
		inside && /^\t\}/ { inside = 0 }
		inside && match($0, /^\t\t"[^"]+" = \{/) {
			key = substr($0, RSTART + 3, RLENGTH - 8); depth = 0; vars = ""; described = 0
		}
		inside && key != "" {
			line = $0
			while (match(line, /\$tls_pin_[a-z0-9_]+\$/)) {
				v = substr(line, RSTART + 1, RLENGTH - 2)
				if (index(" " vars " ", " " v " ") == 0) vars = vars " " v
				line = substr(line, RSTART + RLENGTH)
			}
			if ($0 ~ /^\t\t\tdescription = "/) described = 1
			depth += gsub(/\{/, "{") - gsub(/\}/, "}")
			if (depth == 0) {
				print key (described ? vars : " -")
				key = ""
			}
		}
	' "$1"
}

# conf_drift CONF: what CONF gets wrong, one problem a line.
conf_drift() {
	local conf=$1 key vars opt want
	local -A seen=()
	while read -r key vars; do
		opt=${key#--}
		seen[$opt]=1
		if [[ $key != --* ]] || ! grep -qx -- "$opt" <<<"$LONG"; then
			echo "$key is not a long option of the plugin"
		fi
		if grep -qx -- "$opt" <<<"${EXCLUDED// /$'\n'}"; then
			echo "$key is passed but listed as excluded"
		fi
		want=${VARIABLE[$opt]:-tls_pin_${opt//-/_}}
		case $vars in
		-) echo "$key has no description" ;;
		"$want") ;;
		*) echo "$key reads '$vars', expected $want alone" ;;
		esac
	done < <(conf_arguments "$conf")
	for opt in $LONG; do
		if [[ -z ${seen[$opt]:-} ]] && ! grep -qx -- "$opt" <<<"${EXCLUDED// /$'\n'}"; then
			echo "--$opt is neither passed nor excluded"
		fi
	done
	# What a skip_key argument passes is in the strings its function returns.
	while read -r opt; do
		grep -qx -- "$opt" <<<"$LONG" || echo "returns --$opt, not an option of the plugin"
	done < <(grep -oE 'return "--[a-z0-9-]+' "$conf" | sed 's/^return "--//')
}

# example_drift EXAMPLE CONF: variables EXAMPLE sets that CONF never reads.
example_drift() {
	local var
	while read -r var; do
		grep -qF -- "\$$var\$" "$2" || echo "the example sets $var, which the CheckCommand never reads"
	done < <(grep -oE '\btls_pin_[a-z0-9_]+' "$1" | sort -u)
}

# cfg_drift CFG: what the Nagios definitions in CFG get wrong.
cfg_drift() {
	local cfg=$1 line word n=0
	while read -r line; do
		n=$((n + 1))
		# shellcheck disable=SC2016 # a Nagios macro, not a shell expansion
		[[ $line == '$USER1$/check_tls_pin '* ]] || echo "does not run \$USER1\$/check_tls_pin: $line"
		for word in $line; do
			case $word in
			--*) grep -qx -- "${word#--}" <<<"$LONG" || echo "$word is not an option of the plugin" ;;
			-*) grep -qx -- "$word" <<<"$SHORT" || echo "$word is not an option of the plugin" ;;
			esac
		done
	done < <(sed -n 's/^[[:space:]]*command_line[[:space:]]*//p' "$cfg")
	((n > 0)) || echo "no command_line found"
	sed -n 's/^[[:space:]]*command_name[[:space:]]*//p' "$cfg" | grep -v '^check_tls_pin' |
		sed 's/^/a command name outside the check_tls_pin namespace: /'
}

# t_none DESC PROBLEMS: passes when PROBLEMS (one a line) is empty, and
# names them otherwise.
t_none() {
	local nl=$'\n'
	tap_result "$1" "${2//$nl/; }"
}

# t_caught DESC PROBLEMS REGEX: a check run on a broken copy reported REGEX.
t_caught() {
	if grep -qE -- "$3" <<<"$2"; then
		tap_result "$1" ""
	else
		tap_result "$1" "no problem matching '$3' in: $2"
	fi
}

[[ -n $LONG && -n $SHORT ]]
t_ok "the options were read from --help" test $? = 0
t_ok "the CheckCommand's arguments were read" test "$(conf_arguments "$CONF" | wc -l)" -ge 20
t_none "the CheckCommand passes every option but the excluded, each from its variable, with a description" \
	"$(conf_drift "$CONF")"
for opt in $EXCLUDED; do
	grep -qx -- "$opt" <<<"$LONG"
	t_ok "the excluded --$opt is an option of the plugin" test $? = 0
done
t_none "the example sets only variables the CheckCommand reads" \
	"$(example_drift "$CONTRIB/icinga2/example-services.conf" "$CONF")"
t_none "every option of the Nagios command lines is one of the plugin's" "$(cfg_drift "$CONTRIB/nagios/check_tls_pin.cfg")"

# Broken copies of the CheckCommand, one a line: what is broken, the sed
# script that breaks it and the problem conf_drift must report, separated by
# '|'. Each proves that the check above can fail.
# shellcheck disable=SC2016 # Icinga macros, not shell expansions
BROKEN_CONF=(
	'a renamed argument, as not an option|s/"--pin-file"/"--pin-files"/|^--pin-files is not a long option'
	'a renamed argument, as its option missing|s/"--pin-file"/"--pin-files"/|^--pin-file is neither passed nor excluded'
	'a dropped argument|/^\t\t"--no-verify" = {/,/^\t\t}/d|^--no-verify is neither passed nor excluded'
	'a variable off the naming pattern|s/\$tls_pin_sni\$/$tls_pin_server_name$/|^--sni reads .tls_pin_server_name., expected tls_pin_sni'
	'an argument without a description|/description = "Send no server name/d|^--no-sni has no description'
	'an unknown option a function returns|s/return "--max-validity=/return "--max-valid=/|^returns --max-valid,'
	'an excluded option passed|s/"--verbose"/"--print-pins"/|^--print-pins is passed but listed as excluded'
)
for case in "${BROKEN_CONF[@]}"; do
	IFS='|' read -r what script want <<<"$case"
	sed "$script" "$CONF" >"$T/broken.conf"
	t_caught "caught in a broken CheckCommand: $what" "$(conf_drift "$T/broken.conf")" "$want"
done
printf 'vars.tls_pin_pin = [ "x" ]\n' >"$T/example.conf"
t_caught "caught in a broken example: a misspelt variable" \
	"$(example_drift "$T/example.conf" "$CONF")" 'sets tls_pin_pin,'
sed 's/--sni/--server-name/; s/ -P / -X /' "$CONTRIB/nagios/check_tls_pin.cfg" >"$T/broken.cfg"
P=$(cfg_drift "$T/broken.cfg")
t_caught "caught in broken Nagios commands: an unknown long option" "$P" '^--server-name is not an option'
t_caught "caught in broken Nagios commands: an unknown short option" "$P" '^-X is not an option'

done_testing
