# shellcheck shell=bash
#
# check_tls_pin hostile-peer suite: the helpers its scripts source, on top of
# ../integration/lib.sh (TAP, certificates, servers, the scripted peer).
#
#   h_case     one case: runs the plugin once and checks, in one TAP line,
#              the case's exit code and first-line pattern, its wall-clock
#              bound, the memory bound, and h_invariants
#   h_peer     a scripted peer from its steps
#   der_patch  rewrites bytes inside a certificate (hostile names that no
#              tool writes)
#
# The bounds: a network case finishes within its -t deadline + 1 s, a --file
# case within 1 s, and no run's peak RSS exceeds HOSTILE_RSS_KIB (64 MiB).
# The RSS is the plugin's own, measured by GNU time (%M, from wait4). A
# sanitizer build needs more (AddressSanitizer's shadow and quarantine: the
# 17 MiB handshake case peaks near 150 MB): set e.g. HOSTILE_RSS_KIB=262144.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=../integration/lib.sh
. "${TESTS_SRCDIR:-$(dirname "${BASH_SOURCE[0]}")/..}/integration/lib.sh"

HOSTILE_RSS_KIB=${HOSTILE_RSS_KIB:-65536}
GNU_TIME=/usr/bin/time

# h_require TOOL...: require_tools, and GNU time for the memory bound.
h_require() {
	require_tools "$@"
	[[ -x $GNU_TIME ]] || skip_all "$GNU_TIME (the package time) is not installed"
}

# h_run ARGS...: runs the plugin once, like run_plugin (CMD, RC, OUT, ERR,
# OUT_LINES, ELAPSED_MS), and sets RSS_KIB, its peak resident set. stdout
# is kept as bytes in $T/stdout, since a NUL cannot live in a shell variable.
h_run() {
	local start end
	# shellcheck disable=SC2034 # read by tap_result in lib.sh
	printf -v CMD '%q ' "$PLUGIN" "$@"
	start=$(date +%s%N)
	timeout -k 2 30 "$GNU_TIME" -q -f %M -o "$T/rss" "$PLUGIN" "$@" \
		</dev/null >"$T/stdout" 2>"$T/stderr"
	RC=$?
	end=$(date +%s%N)
	ELAPSED_MS=$(((end - start) / 1000000))
	RSS_KIB=$(tr -cd '0-9' <"$T/rss" 2>/dev/null)
	OUT=$(tr -d '\000' <"$T/stdout")
	ERR=$(tr -d '\000' <"$T/stderr")
	OUT_LINES=()
	if [[ -n $OUT ]]; then
		mapfile -t OUT_LINES <<<"$OUT"
	fi
}

# The perfdata of a status line: label=value[UOM];warn;crit;min;max.
PERF_RE='^[A-Za-z_]+=-?[0-9.]+(s|%)?(;[^; ]*){0,4}$'
STATUS_RE='^TLS_PIN (OK|WARNING|CRITICAL|UNKNOWN) - '

# h_invariants: what every run must satisfy, whatever the peer did. Prints
# the broken rules ("; "-separated), nothing when all hold:
#   an exit code 0-3; nothing on stderr; the first line, and no other, in the
#   plugin's format; at most one '|' in the whole output (so on the first
#   line, and never from the peer); each perfdata token well-formed; no
#   control byte but the line ends, no NUL, and valid UTF-8 throughout.
h_invariants() {
	local why="" line status=0 perf tok ctl
	local -a toks=()
	[[ $RC =~ ^[0-3]$ ]] || why+="; exit code $RC is not 0-3"
	[[ -z $ERR && ! -s $T/stderr ]] || why+="; output on stderr"
	[[ ${OUT_LINES[0]:-} =~ $STATUS_RE ]] || why+="; the first line is not a status line"
	for line in "${OUT_LINES[@]}"; do
		[[ $line =~ ^TLS_PIN\  ]] && status=$((status + 1))
	done
	((status == 1)) || why+="; $status status lines"
	(($(tr -cd '|' <"$T/stdout" | wc -c) <= 1)) || why+="; more than one '|'"
	if [[ ${OUT_LINES[0]:-} == *'|'* ]]; then
		perf=${OUT_LINES[0]#*|}
		read -r -a toks <<<"$perf"
		((${#toks[@]} > 0)) || why+="; '|' without perfdata"
		for tok in "${toks[@]}"; do
			[[ $tok =~ $PERF_RE ]] || why+="; perfdata token '$tok' does not parse"
		done
	fi
	# Every byte below 0x20 but '\n', and DEL.
	ctl=$(LC_ALL=C tr -d '\n\040-\176\200-\377' <"$T/stdout" | wc -c)
	((ctl == 0)) || why+="; $ctl control bytes in the output"
	iconv -f UTF-8 -t UTF-8 <"$T/stdout" >/dev/null 2>&1 || why+="; output is not UTF-8"
	printf '%s' "${why#; }"
}

# h_case DESC RC REGEX ARGS...: one case. Runs the plugin with ARGS and
# checks its exit code RC, the extended REGEX on the first line, the
# wall-clock bound (-t SECONDS + 1 s from ARGS, the default 10 s + 1 s
# without, 1 s for --file), the memory bound and h_invariants; all in one
# TAP line, whose failure lists every rule broken.
h_case() {
	local desc=$1 want=$2 re=$3 why="" bound=11000 a prev="" inv
	shift 3
	for a in "$@"; do
		case $prev in
		-t | --timeout) bound=$(((${a%%:*} + 1) * 1000)) ;;
		--file) bound=1000 ;;
		esac
		prev=$a
	done
	h_run "$@"
	[[ $RC == "$want" ]] || why+="; exit code $RC, expected $want"
	[[ ${OUT_LINES[0]:-} =~ $re ]] || why+="; first line does not match: $re"
	((ELAPSED_MS <= bound)) || why+="; took $ELAPSED_MS ms, bound $bound ms"
	if [[ -z $RSS_KIB ]]; then
		why+="; no peak RSS measured"
	elif ((RSS_KIB > HOSTILE_RSS_KIB)); then
		why+="; peak RSS $RSS_KIB KiB, bound $HOSTILE_RSS_KIB KiB"
	fi
	inv=$(h_invariants)
	[[ -z $inv ]] || why+="; $inv"
	tap_result "$desc" "${why#; }"
	# HOSTILE_SHOW=1: every first line and its costs, as TAP comments.
	if [[ -n ${HOSTILE_SHOW:-} ]]; then
		diag "${OUT_LINES[0]:-}" "[$ELAPSED_MS ms, $RSS_KIB KiB]"
	fi
}

# h_peer NAME STEPS...: starts a scripted peer playing STEPS (one a word,
# see SCRIPTED_PEER_PY in lib.sh); its port goes into the variable NAME.
h_peer() {
	local name=$1
	shift
	printf '%s\n' "$@" >"$T/$name.script"
	start_server peer "$T/$name.script"
	printf -v "$name" '%s' "$SERVER_PORT"
}

# der_patch IN OUT OLD NEW: copies the PEM certificate IN to OUT (PEM), each
# occurrence of the bytes OLD replaced by NEW (Python bytes literals of the
# same length, so that no DER length changes). The signature no longer
# matches: such a certificate is for --no-verify, --file without --ca-file,
# or a test of what the plugin does with a bad signature.
DER_PATCH_PY='
import ast, base64, re, sys
pem = open(sys.argv[1]).read()
der = base64.b64decode(re.search(r"-----BEGIN CERTIFICATE-----(.*?)-----END", pem, re.S).group(1))
old, new = ast.literal_eval(sys.argv[3]), ast.literal_eval(sys.argv[4])
if len(old) != len(new) or old not in der:
    sys.exit("der_patch: %r not found, or not as long as its replacement" % old)
b64 = base64.b64encode(der.replace(old, new)).decode()
out = "".join(b64[i:i + 64] + "\n" for i in range(0, len(b64), 64))
open(sys.argv[2], "w").write("-----BEGIN CERTIFICATE-----\n" + out + "-----END CERTIFICATE-----\n")
'
der_patch() {
	python3 -c "$DER_PATCH_PY" "$@" 2>"$T/der_patch.err" ||
		bail_out "der_patch $*: $(<"$T/der_patch.err")"
}
