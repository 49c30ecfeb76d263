#!/bin/bash
# The README's quick start installs what each step needs, and no more:
#   1. the first command builds the plugin and runs make demo, and installs
#      what the build and the demo need, but no daemon (nothing with a
#      systemd unit or an init script) for apt to start at boot;
#   2. the second installs what every test requires, runs configure again
#      when it installs the Check library (configure looks for it), then
#      make check.
# Both are single lines that .ci/run runs as they are, so they must not ask
# questions. What the tests require is read from the test scripts
# themselves: the tools of require_tools and h_require, the daemons of
# find_sbin and `command -v`, and the absolute /usr paths they test; each is
# found on this machine, and its Debian package (dpkg -S) must be one that
# the quick start installs, or one that every Debian system has (priority
# required). A tool that is not installed here is skipped, with its name.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=integration/lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/integration/lib.sh"
require_tools dpkg dpkg-query apt-cache awk sed
TESTS=${TESTS_SRCDIR:-$(dirname "$0")}
README=$TESTS/../README

# The quick start's commands, read as .ci/run reads them.
mapfile -t QUICK < <(sed -n '/^Quick start$/,/^Usage$/p' "$README" | sed -n 's/^    //p')
t_ok "the quick start has two commands, one line each" test "${#QUICK[@]}" = 2
((${#QUICK[@]} == 2)) || done_testing
C1=${QUICK[0]} C2=${QUICK[1]}

# packages COMMAND: the packages its apt-get install names.
packages() {
	grep -oE 'apt-get install [^&|;]*' <<<"$1" | sed 's/^apt-get install//' |
		tr ' ' '\n' | grep -E '^[a-z0-9][a-z0-9+.-]+$' | sort -u
}
P1=$(packages "$C1")
P2=$(packages "$C2")
t_ok "the first command installs packages" test -n "$P1"
t_ok "the second command installs packages" test -n "$P2"
for i in 0 1; do
	cmd=${QUICK[i]}
	[[ $cmd =~ DEBIAN_FRONTEND=noninteractive\ apt-get\ install\ -y\  ]]
	t_ok "command $((i + 1)) installs without asking (DEBIAN_FRONTEND=noninteractive, -y)" test $? = 0
done
[[ $C1 =~ autoreconf\ -fi\ \&\&\ \./configure\ \&\&\ make\ \&\&\ make\ demo$ ]]
t_ok "the first command builds the plugin and ends with make demo" test $? = 0
[[ $C2 =~ make\ check$ ]]
t_ok "the second command ends with make check" test $? = 0

# closure PACKAGE...: the packages and what they depend on, as apt would
# install them: of the alternatives of a dependency the first, of the
# packages that provide a virtual one the first.
closure() {
	apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
		--no-replaces --no-enhances "$@" 2>/dev/null | ROOTS="$*" awk '
		/^[^ ]/ { pkg = $1; alt = 0; want = 0; next }
		/^  \|?(Pre)?Depends: / {
			first = !alt; alt = ($1 ~ /^\|/); want = 0
			if (first) { if ($2 ~ /^</) want = 1; else deps[pkg] = deps[pkg] " " $2 }
			next }
		/^    / && want { deps[pkg] = deps[pkg] " " $1; want = 0 }
		END {
			n = split(ENVIRON["ROOTS"], queue, " ")
			for (i = 1; i <= n; i++) seen[queue[i]] = 1
			for (i = 1; i <= n; i++) {
				m = split(deps[queue[i]], d, " ")
				for (j = 1; j <= m; j++)
					if (!(d[j] in seen)) { seen[d[j]] = 1; queue[++n] = d[j] }
			}
			for (p in seen) print p
		}' | sort
}
# shellcheck disable=SC2086 # lists of package names
{
	ALL1=$(closure $P1)
	ALL=$(closure $P1 $P2)
}
t_ok "apt knows the packages of the quick start" test -n "$ALL1" -a -n "$ALL"

# Packages every Debian system has (priority required).
BASE=$(dpkg-query -W -f '${Priority} ${Package}\n' 2>/dev/null | awk '$1 == "required" { print $2 }')

# where TOOL: the path of TOOL (a command, or a daemon in /usr/sbin) as the
# system has it (not a user's own copy earlier in the PATH), or the name
# itself when it is not there.
where() {
	PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$1" 2>/dev/null || echo "$1"
}

# requirements FILE...: what the scripts require, one path a line. Comment
# lines are left out: they name tools as words, not as needs.
requirements() {
	local word code
	code=$(grep -vhE '^[[:space:]]*#' "$@")
	while read -r word; do
		where "$word"
	done < <(sed -n -E 's/^[[:space:]]*(require_tools|h_require)[[:space:]]+//p' <<<"$code" |
		grep -oE '(^| )[A-Za-z0-9_.-]+')
	while read -r _ word; do
		where "${word#-v }"
	done < <(grep -oE '(find_sbin|command -v) [A-Za-z0-9_.-]+' <<<"$code")
	while read -r word; do
		# shellcheck disable=SC2086 # a glob, such as PostgreSQL's versioned directory
		printf '%s\n' $word
	done < <(grep -oE '/usr/(s?bin|lib)/[A-Za-z0-9_./*-]*[A-Za-z0-9_*]' <<<"$code" | sort -u)
}

# The checks, made below in one pass: a path, the packages that must hold
# it (ALL1: the first command's, ALL: the quick start's) and what it proves.
CHECK_PATHS=() CHECK_LISTS=() CHECK_DESCS=()
need() {
	CHECK_PATHS+=("$1") CHECK_LISTS+=("$2") CHECK_DESCS+=("$3")
}

# The build and the demo: a compiler, autotools and GnuTLS's headers, and
# the tools tests/demo.sh names.
for tool in cc make autoreconf automake pkg-config; do
	need "$(where "$tool")" ALL1 "the first command installs $tool, for the build"
done
need /usr/include/gnutls/gnutls.h ALL1 "the first command installs GnuTLS's headers"
while read -r path; do
	need "$path" ALL1 "the first command installs $path, for make demo"
done < <(requirements "$TESTS/demo.sh" | sort -u)

# The tests: every script that make check runs, and the Check library of
# the unit tests.
SCRIPTS=()
for f in "$TESTS"/*.sh "$TESTS"/integration/*.sh "$TESTS"/hostile/*.sh; do
	case ${f##*/} in
	demo.sh | valgrind-plugin.sh | quickstart.sh) ;;
	*) SCRIPTS+=("$f") ;;
	esac
done
while read -r path; do
	need "$path" ALL "the quick start installs $path, for the tests"
done < <(requirements "${SCRIPTS[@]}" | sort -u)
CHECK_PC=$(pkg-config --path check 2>/dev/null)
need "${CHECK_PC:-check.pc}" ALL "the quick start installs the Check library"

# The services and init scripts of this system, whose packages are daemons.
SERVICES=(/lib/systemd/system/*.service /lib/systemd/system/*.socket /etc/init.d/*)

# One dpkg -S for every path: "PATH<tab>PACKAGE" lines. Symbolic links
# (alternatives) are followed to the file a package ships, and a path under
# /usr is also looked for where dpkg recorded it before /usr was merged
# (/usr/bin/sed is /bin/sed).
# files PATH: the names dpkg may know PATH by.
files() {
	local real
	real=$(readlink -f "$1")
	echo "$real"
	[[ $real != /usr/* ]] || echo "${real#/usr}"
}
queries=()
for path in "${CHECK_PATHS[@]}" "${SERVICES[@]}"; do
	[[ -e $path ]] && mapfile -t -O "${#queries[@]}" queries < <(files "$path")
done
OWNERS=$(dpkg -S "${queries[@]}" 2>/dev/null | grep -v '^diversion by' |
	while IFS= read -r line; do
		pkgs=${line%%: /*}
		for pkg in ${pkgs//,/ }; do
			printf '%s\t%s\n' "${line#*: }" "${pkg%%:*}"
		done
	done | sort -u)

# owners PATH: its packages, one a line.
owners() {
	files "$1" | awk -F '\t' 'NR == FNR { want[$0] = 1; next } $1 in want { print $2 }' - \
		<(echo "$OWNERS") | sort -u
}

for i in "${!CHECK_PATHS[@]}"; do
	path=${CHECK_PATHS[i]} desc=${CHECK_DESCS[i]}
	if [[ ! -e $path ]]; then
		t_skip "$desc" "$path is not installed here"
		continue
	fi
	list=${!CHECK_LISTS[i]}
	pkgs=$(owners "$path")
	why="$path belongs to no package the quick start installs (${pkgs//$'\n'/, })"
	[[ -n $pkgs ]] || why="dpkg knows no package of $path"
	for pkg in $pkgs; do
		if grep -qx -- "$pkg" <<<"$list$BASE"; then
			why=""
		fi
	done
	tap_result "$desc" "$why"
done

# configure looks for Check: if the second command installs it, it must
# run configure again before make check, or the unit tests are not built.
if [[ -n $CHECK_PC ]] && ! owners "$CHECK_PC" | grep -qxF -f <(echo "$ALL1"); then
	[[ $C2 =~ \./configure\ .*make\ check$ ]]
	t_ok "the second command runs configure again, for the Check library it installs" test $? = 0
fi

# No daemon in the first command: no package of it, or of what it pulls in,
# ships a service unit or an init script (of those this system has).
daemons=$(for path in "${SERVICES[@]}"; do owners "$path"; done | sort -u |
	grep -vxF -- "$BASE" | grep -xF -- "$ALL1" | tr '\n' ' ')
tap_result "the first command installs no daemon" "${daemons:+it installs $daemons}"

done_testing
