#!/bin/bash
# The documentation cannot drift from the code: every long option of the
# getopt table is described by --help and by the man page, and neither
# documents an option the plugin does not accept.
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
"$PLUGIN" --version | grep -q "^check_tls_pin $(sed -n 's/^AC_INIT(\[check_tls_pin\], \[\([^]]*\)\].*/\1/p' "$src/configure.ac") "
check $? "--version prints the package version"
grep -q "\"check_tls_pin $(sed -n 's/^AC_INIT(\[check_tls_pin\], \[\([^]]*\)\].*/\1/p' "$src/configure.ac")\"" "$src/plugins/check_tls_pin.1"
check $? "the man page names the package version"
echo "1..$n"
exit 0
