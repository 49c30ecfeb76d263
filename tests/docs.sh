#!/bin/bash
# The documentation cannot drift from the code: every long option of the
# getopt table is described by --help and by the man page, and neither
# documents an option the plugin does not accept. A few things the help must
# say are checked too (see below).
set -u
src=${TESTS_SRCDIR:-$(dirname "$0")}/..
n=0 failed=0
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

table=$(sed -n 's/^[[:space:]]*{ "\([a-z0-9-]*\)", .*/\1/p' "$src/plugins/options.c" | sort -u)
help=$("$PLUGIN" --help | grep -o -- '--[a-z0-9-]*' | sed 's/^--//' | sort -u)
man=$(sed 's/\\-/-/g' "$src/plugins/check_tls_pin.1" | grep -o -- '--[a-z0-9-]*' | sed 's/^--//' | sort -u)

[ -n "$table" ]; check $? "the option table was found in options.c"
for opt in $table; do
	grep -qx -- "$opt" <<<"$help"; check $? "--help describes --$opt"
	grep -qx -- "$opt" <<<"$man"; check $? "the man page describes --$opt"
done
for opt in $help; do
	grep -qx -- "$opt" <<<"$table"; check $? "--$opt in --help is an option"
done
for opt in $man; do
	grep -qx -- "$opt" <<<"$table"; check $? "--$opt in the man page is an option"
done

# The help explains itself: the rule for one threshold given alone is
# stated whole, --file has a group of its own that says which options it
# refuses, and where a pin list may use ';' the reader learns that ';'
# starts a comment in Nagios object files.
helptext=$("$PLUGIN" --help)
grep -q -- 'with -w alone' <<<"$helptext" && grep -q -- 'with -c alone' <<<"$helptext"
check $? "--help says what -w alone and -c alone do to the other default"
group=$(awk '/^[A-Z][^ ].*:$/ { g = $0 } /^ +--file=/ { print g }' <<<"$helptext")
[ -n "$group" ] && [ "$group" != "Output:" ]
check $? "--file has a group of its own in --help (it is under '$group')"
awk -v g="$group" '$0 == g { on = 1; next } /^[A-Z]/ || /^$/ { on = 0 } on' <<<"$helptext" |
	grep -q 'refused'
check $? "the --file group of --help says which options are refused with it"
# option_text TEXT START: the lines of TEXT from the one matching START to
# the next option (a line that starts with " -" in --help, .TP in the man page).
option_text() {
	START=$2 awk 'found && (/^ -/ || /^     -/ || /^\.TP/) { exit }
		$0 ~ ENVIRON["START"] { found = 1 } found' <<<"$1"
}
option_text "$helptext" '^ -P, --pin' | grep -q Nagios
check $? "--help: -P takes ';' and says that it starts a Nagios comment"
option_text "$(<"$src/plugins/check_tls_pin.1")" '^\.BR \\-P ' | grep -q Nagios
check $? "man page: -P takes ';' and says that it starts a Nagios comment"
awk 'BEGIN { RS = "" } /separated by .[;,]. or .[;,]./' "$src/README" | grep -q Nagios
check $? "README: the pin spellings take ';' and say that it starts a Nagios comment"

# One pin file in every example, so that what --print-pins writes is what
# --pin-file reads: README, --help, the man page and contrib/.
pin_paths=$({
	cat "$src/README" "$src"/contrib/icinga2/*.conf "$src"/contrib/nagios/*.cfg
	sed 's/\\-/-/g' "$src/plugins/check_tls_pin.1"
	echo "$helptext"
} | grep -oE -- '(--pin-file[ =]|tls_pin_pin_file = "|--print-pins > |>> )[A-Za-z0-9_./-]+' |
	sed -E 's/^(--pin-file[ =]|tls_pin_pin_file = "|--print-pins > |>> )//' |
	grep -vxE '[A-Z]+' | sort -u)
[ "$(wc -l <<<"$pin_paths")" = 1 ] && [ -n "$pin_paths" ]
check $? "the examples use one pin file path (they use: ${pin_paths//$'\n'/ })"

"$PLUGIN" --version | grep -q "^check_tls_pin $(sed -n 's/^AC_INIT(\[check_tls_pin\], \[\([^]]*\)\].*/\1/p' "$src/configure.ac") "
check $? "--version prints the package version"
grep -q "\"check_tls_pin $(sed -n 's/^AC_INIT(\[check_tls_pin\], \[\([^]]*\)\].*/\1/p' "$src/configure.ac")\"" "$src/plugins/check_tls_pin.1"
check $? "the man page names the package version"
echo "1..$n"
exit 0
