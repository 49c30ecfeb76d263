#!/bin/bash
# make bench: what a check costs, measured against a floor in the same run.
#
# A local gnutls-serv serves a realistic chain (leaf + intermediate, RSA-2048
# and ECDSA P-256 variants). The commands below run BENCH_RUNS rounds, each
# command once a round, one after another as a monitoring engine starts
# them. The table shows the median and the spread (min-max) of wall time, CPU
# time (user + sys) and peak RSS, and the ratio of the medians to the
# reference client's: machines are noisy, ratios in one run are the result.
# Then callgrind counts the instructions of one check of each, which do not
# depend on the machine's load.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
bench_servers

rows=()
for k in rsa ecdsa; do
	port_var=PORT_$k
	port=${!port_var}
	pins=()
	while read -r pin; do
		pins+=(-P "$pin")
	done < <(bench_pins "$k")
	common=(-H "$H" -I 127.0.0.1 -p "$port")
	measure "ref-$k" "$REF" 127.0.0.1 "$port" "$H"
	measure "plugin-$k" "$PLUGIN" "${common[@]}" --ca-file "$T/trust-$k.pem" "${pins[@]}"
	measure "no-verify-$k" "$PLUGIN" "${common[@]}" --no-verify "${pins[@]}"
	measure "print-pins-$k" "$PLUGIN" "${common[@]}" --ca-file "$T/trust-$k.pem" --print-pins
	rows+=("ref-$k" "plugin-$k" "no-verify-$k" "print-pins-$k")
	if [[ -x $CHECK_HTTP ]]; then
		measure "check_http-$k" "$CHECK_HTTP" -H "$H" -I 127.0.0.1 -p "$port" -S --sni -C 30
		rows+=("check_http-$k")
	fi
	if [[ -x $CHECK_SSL_CERT ]]; then
		measure "check_ssl_cert-$k" "$CHECK_SSL_CERT" -H 127.0.0.1 -p "$port" \
			--rootcert-file "$T/trust-$k.pem" --sni "$H" --ignore-sct --ignore-ocsp
		rows+=("check_ssl_cert-$k")
	fi
done

run_all

printf '\n%s runs each, interleaved; trust file: %s system anchors + the test root; %s\n' \
	"$RUNS" "$ANCHORS" "$(uname -m), $(nproc) cores, GnuTLS $(pkg-config --modversion gnutls 2>/dev/null)"
printf '%-22s %24s %24s %8s %8s %8s %9s\n' command "wall ms (min-max)" "cpu ms (min-max)" \
	"rss KiB" "wall x" "cpu x" "rss +KiB"
for name in "${rows[@]}"; do
	ref=ref-${name##*-}
	read -r w wmin wmax <<<"$(stats "$name" 2)"
	read -r c cmin cmax <<<"$(stats "$name" 3)"
	read -r r _ _ <<<"$(stats "$name" 4)"
	read -r rw _ _ <<<"$(stats "$ref" 2)"
	read -r rc _ _ <<<"$(stats "$ref" 3)"
	read -r rr _ _ <<<"$(stats "$ref" 4)"
	awk -v n="$name" -v w="$w" -v wmin="$wmin" -v wmax="$wmax" -v c="$c" -v cmin="$cmin" \
		-v cmax="$cmax" -v r="$r" -v rw="$rw" -v rc="$rc" -v rr="$rr" 'BEGIN {
		printf "%-22s %8.1f (%6.1f-%6.1f) %8.1f (%6.1f-%6.1f) %8d %8.2f %8.2f %9d\n",
			n, w * 1000, wmin * 1000, wmax * 1000, c * 1000, cmin * 1000, cmax * 1000, r,
			(rw > 0 ? w / rw : 0), (rc > 0 ? c / rc : 0), r - rr }'
done

if command -v valgrind >/dev/null; then
	printf '\ninstructions per check (callgrind), ECDSA chain:\n'
	ref_i=$(instructions "$REF" 127.0.0.1 "$PORT_ecdsa" "$H")
	printf '  %-12s %12s\n' reference "$ref_i"
	for v in verified no-verify; do
		args=(-H "$H" -I 127.0.0.1 -p "$PORT_ecdsa" -P "sha256/$(spki_b64 leaf-ecdsa)")
		if [[ $v == verified ]]; then
			args+=(--ca-file "$T/trust-ecdsa.pem")
		else
			args+=(--no-verify)
		fi
		i=$(instructions "$PLUGIN" "${args[@]}")
		awk -v n="$v" -v i="$i" -v r="$ref_i" 'BEGIN { printf "  %-12s %12d  %.2fx\n", n, i, i / r }'
	done
fi
