#!/bin/bash
# Expiry against a real server: the lifetime-aware defaults, every threshold
# unit of -w/-c, -C, expired and not yet valid certificates, dates past 2038
# and 2050, and --check-chain.
#
# One gnutls-serv holds every certificate and picks one by SNI, so each case
# connects to 127.0.0.1 (-I) under the certificate's own name (-H).
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools certtool gnutls-serv openssl

D=test.example

mk_cert root --ca --from "-1 day" --to "+3650 days" --cn "Expiry Test Root"
# NAME FROM TO: a leaf for NAME.test.example issued by root.
leaf() {
	mk_cert "$1" --issuer root --from "$2" --to "$3" --cn "$1.$D"
}
# 398-day certificates: defaults WARNING at 30 days, CRITICAL at 14.
leaf y398ok "-198 days" "+200 days"
leaf y398warn "-378 days" "+20 days"
leaf y398crit "-388 days" "+10 days"
# 47-day certificates: defaults 15.67 and 7.83 days.
leaf d47ok "-27 days" "+20 days"
leaf d47warn "-37 days" "+10 days"
leaf d47crit "-42 days" "+5 days"
# 6-day certificates: defaults 2 days and 1 day.
leaf d6ok "-3 days" "+3 days"
leaf d6warn "-108 hours" "+36 hours"
leaf d6crit "-132 hours" "+12 hours"
# Out of their validity period.
leaf expired "-100 days" "-3 days"
leaf notyet "+2 days" "+100 days"
# Past 2038 and 2050 (GeneralizedTime), signed 64-bit time.
leaf y2051 "-1 day" "2051-03-01 12:00:00 UTC"
leaf y2039 "2039-01-01 00:00:00 UTC" "2040-01-01 00:00:00 UTC"

# --check-chain: an intermediate that expires long before its leaf.
mk_cert intsoon --ca --issuer root --from "-360 days" --to "+5 days" --cn "Soon Intermediate"
mk_cert chainsoon --issuer intsoon --cn "chainsoon.$D"
mk_chain chainsoon.chain chainsoon intsoon
# An expired intermediate.
mk_cert intold --ca --issuer root --from "-400 days" --to "-2 days" --cn "Old Intermediate"
mk_cert chainold --issuer intold --from "-30 days" --cn "chainold.$D"
mk_chain chainold.chain chainold intold
# A self-signed root that expires soon, served in the chain: never counted.
mk_cert rootsoon --ca --from "-360 days" --to "+5 days" --cn "Soon Root"
mk_cert intlong --ca --issuer rootsoon --from "-10 days" --to "+300 days" --cn "Long Intermediate"
mk_cert chainroot --issuer intlong --cn "chainroot.$D"
mk_chain chainroot.chain chainroot intlong rootsoon
cat "$T/root.pem" "$T/rootsoon.pem" >"$T/anchors.pem"

args=()
for c in y398ok y398warn y398crit d47ok d47warn d47crit d6ok d6warn d6crit \
	expired notyet y2051 y2039; do
	args+=(--x509certfile "$T/$c.pem" --x509keyfile "$T/$c.key")
done
for c in chainsoon chainold chainroot; do
	args+=(--x509certfile "$T/$c.chain.pem" --x509keyfile "$T/$c.key")
done
start_server gnutls "${args[@]}"
PORT=$SERVER_PORT

# at NAME DESC RC REGEX [ARGS...]: checks NAME.test.example through 127.0.0.1,
# verified against the test anchors unless ARGS say --no-verify.
at() {
	local name=$1 desc=$2 rc=$3 re=$4
	local -a trust=(--ca-file "$T/anchors.pem")
	shift 4
	if [[ " $* " == *" --no-verify "* ]]; then
		trust=()
	fi
	t_check "$desc" "$rc" "$re" -H "$name.$D" -I 127.0.0.1 -p "$PORT" "${trust[@]}" "$@"
}
OK="^TLS_PIN OK - "
WARN="^TLS_PIN WARNING - "
CRIT="^TLS_PIN CRITICAL - "

# --- defaults adapt to the lifetime
at y398ok "398-day certificate, 200 days left: OK" 0 \
	"${OK}y398ok\.$D:$PORT \(127\.0\.0\.1\) expires in (200d|199d 23h) \($(cert_end y398ok)\) \| days=200\.00;30:;14:;; "
at y398warn "398-day certificate, 20 days left: WARNING (30-day default)" 1 \
	"${WARN}y398warn\.$D:$PORT \(127\.0\.0\.1\) expires in (20d|19d 23h) \($(cert_end y398warn)\), within the warning threshold of 30d \| days=20\.00;30:;14:;; "
at y398crit "398-day certificate, 10 days left: CRITICAL (14-day default)" 2 \
	"${CRIT}.* expires in (10d|9d 23h) .*, within the critical threshold of 14d \| days=10\.00;30:;14:;; "
at d47ok "47-day certificate, 20 days left: OK (a third of 47 days is less)" 0 \
	"${OK}.* expires in (20d|19d 23h) .* \| days=20\.00;15\.67:;7\.83:;; "
at d47warn "47-day certificate, 10 days left: WARNING" 1 \
	"${WARN}.*within the warning threshold of 15d 16h \| days=10\.00;15\.67:;7\.83:;; "
at d47crit "47-day certificate, 5 days left: CRITICAL" 2 \
	"${CRIT}.*within the critical threshold of 7d 20h \| days=5\.00;15\.67:;7\.83:;; "
at d6ok "6-day certificate, 3 days left: OK" 0 \
	"${OK}.* expires in (3d|2d 23h) .* \| days=3\.00;2:;1:;; "
at d6warn "6-day certificate, 36 hours left: WARNING" 1 \
	"${WARN}.* expires in (1d 12h|1d 11h) .*within the warning threshold of 2d \| days=1\.50;2:;1:;; "
at d6crit "6-day certificate, 12 hours left: CRITICAL" 2 \
	"${CRIT}.* expires in (12h|11h 59m) .*within the critical threshold of 1d \| days=0\.50;2:;1:;; "

# --- -w and -c in every unit (20 days left of 398)
at y398warn "-w 15 -c 10 (days): OK" 0 "${OK}.* \| days=20\.00;15:;10:;; " -w 15 -c 10
at y398warn "-w 25 -c 10 (days): WARNING" 1 \
	"${WARN}.*within the warning threshold of 25d \| days=20\.00;25:;10:;; " -w 25 -c 10
at y398warn "-w 25 -c 21 (days): CRITICAL" 2 \
	"${CRIT}.*within the critical threshold of 21d \| days=20\.00;25:;21:;; " -w 25 -c 21
at y398warn "-w 20.5 (fractional days): WARNING" 1 \
	"${WARN}.*within the warning threshold of 20d 12h \| days=20\.00;20\.5:;14:;; " -w 20.5
at y398warn "-w 19.5 (fractional days): OK" 0 "${OK}.* \| days=20\.00;19\.5:;14:;; " -w 19.5
at y398warn "-w 21d: WARNING" 1 "${WARN}.*threshold of 21d \| days=20\.00;21:;14:;; " -w 21d
at y398warn "-w 19d: OK" 0 "${OK}.* \| days=20\.00;19:;14:;; " -w 19d
at y398warn "-w 3w: WARNING" 1 "${WARN}.*threshold of 21d \| days=20\.00;21:;14:;; " -w 3w
at y398warn "-w 2w: OK, CRITICAL only once expired (the default would hide -w)" 0 "${OK}.* \| days=20\.00;14:;0:;; " -w 2w
at y398warn "-w 500h: WARNING" 1 "${WARN}.*threshold of 20d 20h \| days=20\.00;20\.83:;14:;; " -w 500h
at y398warn "-w 460h: OK" 0 "${OK}.* \| days=20\.00;19\.17:;14:;; " -w 460h
at y398warn "-w 30000m: WARNING" 1 "${WARN}.*threshold of 20d 20h \| days=20\.00;20\.83:;14:;; " -w 30000m
at y398warn "-w 27000m: OK" 0 "${OK}.* \| days=20\.00;18\.75:;14:;; " -w 27000m
at y398warn "-w 1800000s: WARNING" 1 "${WARN}.*threshold of 20d 20h \| days=20\.00;20\.83:;14:;; " -w 1800000s
at y398warn "-w 1700000s: OK" 0 "${OK}.* \| days=20\.00;19\.68:;14:;; " -w 1700000s
at y398warn "-w 6% of 398 days (23.88): WARNING" 1 \
	"${WARN}.*threshold of 23d 21h \| days=20\.00;23\.88:;14:;; " -w 6%
at y398warn "-w 4% of 398 days (15.92): OK" 0 "${OK}.* \| days=20\.00;15\.92:;14:;; " -w 4%
at y398warn "-w 10% -c 6%: CRITICAL" 2 \
	"${CRIT}.*within the critical threshold of 23d 21h \| days=20\.00;39\.8:;23\.88:;; " -w 10% -c 6%
at y398warn "-c 36h on 20 days left: no critical, default warning" 1 \
	"${WARN}.* \| days=20\.00;30:;1\.5:;; " -c 36h
at d6warn "-w 90m -c 1h on 36 hours left: OK" 0 "${OK}.* \| days=1\.50;0\.06:;0\.04:;; " -w 90m -c 1h

# --- -C WARN[,CRIT], the check_http spelling
at y398warn "-C 15: OK" 0 "${OK}.* \| days=20\.00;15:;0:;; " -C 15
at y398warn "-C 25: WARNING, no critical threshold" 1 \
	"${WARN}.*within the warning threshold of 25d \| days=20\.00;25:;0:;; " -C 25
at y398warn "-C 25,15: WARNING" 1 "${WARN}.* \| days=20\.00;25:;15:;; " -C 25,15
at y398warn "-C 25,21: CRITICAL" 2 \
	"${CRIT}.*within the critical threshold of 21d \| days=20\.00;25:;21:;; " -C 25,21
at y398ok "-C 30,20 with 200 days left: OK" 0 "${OK}.* \| days=200\.00;30:;20:;; " -C 30,20

# --- expired, not yet valid, far dates
at expired "expired 3 days ago, not verified: CRITICAL with the age" 2 \
	"${CRIT}expired\.$D:$PORT \(127\.0\.0\.1\) EXPIRED 3d ago \($(cert_end expired)\) \| days=-3\.00;30:;14:;; " \
	--no-verify
at expired "expired, -C 1 cannot make it OK" 2 "${CRIT}.* EXPIRED 3d ago .*\| days=-3\.00;1:;0:;; " -C 1
at expired "expired and verified: CRITICAL, and the chain is not trusted" 2 \
	"${CRIT}.* EXPIRED 3d ago .*, NOT trusted: a certificate in the chain has expired \| days=-3\.00;"
at notyet "not yet valid: CRITICAL with the time to the start" 2 \
	"${CRIT}notyet\.$D:$PORT \(127\.0\.0\.1\) NOT YET VALID, starts in (2d|1d 23h) \([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC\), NOT trusted: a certificate in the chain is not yet valid \| days=100\.00;30:;14:;; "
at notyet "not yet valid, --no-verify: still CRITICAL" 2 \
	"${CRIT}.* NOT YET VALID, starts in (2d|1d 23h) .*\| days=100\.00;" --no-verify
at y2051 "a certificate valid until 2051: OK, date printed right" 0 \
	"${OK}y2051\.$D:$PORT \(127\.0\.0\.1\) expires in [0-9]{4}d( [0-9]+h)? \(2051-03-01 12:00 UTC\) \| days=[0-9]{4}\.?[0-9]*;30:;14:;; "
at y2039 "a certificate valid from 2039 (past 2038): NOT YET VALID" 2 \
	"${CRIT}.* NOT YET VALID, starts in [0-9]{4}d( [0-9]+h)? \(2039-01-01 00:00 UTC\).* \| days=[0-9]{4}\.?[0-9]*;30:;14:;; "

# --- --check-chain
at chainsoon "intermediate expires in 5 days, no --check-chain: OK" 0 \
	"${OK}chainsoon\.$D:$PORT \(127\.0\.0\.1\) expires in (200d|199d 23h) \([^)]*\) \| days=200\.00;30:;14:;; "
at chainsoon "--check-chain: the intermediate's 5 days are CRITICAL" 2 \
	"${CRIT}.* expires in (200d|199d 23h) \([^)]*\), depth 1 \(CN=Soon Intermediate\) expires in (5d|4d 23h) \($(cert_end intsoon)\), within the critical threshold of 14d \| days=(5\.00|4\.99);30:;14:;; " \
	--check-chain
at chainsoon "--check-chain -w 10 -c 3: the intermediate gives WARNING" 1 \
	"${WARN}.*, depth 1 \(CN=Soon Intermediate\) expires in (5d|4d 23h) .*, within the warning threshold of 10d \| days=(5\.00|4\.99);10:;3:;; " \
	--check-chain -w 10 -c 3
# days= is the remaining time of the certificate that sets the expiry state
# (the earliest of those checked when all are OK), with its thresholds.
at chainsoon "--check-chain -C 4,2: OK, days= the intermediate's" 0 "${OK}.* \| days=(5\.00|4\.99);4:;2:;; " --check-chain -C 4,2
at chainold "--check-chain with an expired intermediate: CRITICAL, EXPIRED" 2 \
	"${CRIT}.*, depth 1 \(CN=Old Intermediate\) EXPIRED 2d ago \($(cert_end intold)\) \| days=" \
	--check-chain --no-verify
at chainold "expired intermediate, verified: NOT trusted" 2 \
	"${CRIT}.*NOT trusted: a certificate in the chain has expired \| days="
at chainroot "--check-chain skips a served self-signed root expiring soon" 0 \
	"${OK}chainroot\.$D:$PORT \(127\.0\.0\.1\) expires in (200d|199d 23h) \([^)]*\) \| days=200\.00;30:;14:;; " \
	--check-chain

done_testing
