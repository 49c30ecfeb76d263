#!/bin/bash
# STARTTLS against the mail servers Debian packages: postfix (SMTP, RFC 3207)
# and dovecot (IMAP and POP3, RFC 2595; ManageSieve, RFC 5804; LMTP, RFC
# 2033). Each runs on free loopback ports with a private configuration in $T,
# once with a certificate and once without TLS; nothing under /etc is
# changed, and a system postfix or dovecot on the standard ports is left alone.
# Per protocol: the right pin, a wrong pin, the dialogue under -v, and a
# server that does not offer STARTTLS. For SMTP also: -p replaces port 25,
# and --ehlo NAME reaches the server (its log and a HELO restriction say so);
# for LMTP, --ehlo names the LHLO. SMTP with --dane: TLSA records for the
# postfix port in a zone NSD serves, signed at test time (dns-lib.sh).
#
# The expected pins are computed by openssl (lib.sh spki_*), never by the plugin.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
# shellcheck source-path=SCRIPTDIR source=dns-lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/dns-lib.sh"
require_tools certtool openssl

POSTFIX=$(find_sbin postfix) || skip_all "postfix is not installed (package postfix)"
POSTCONF=$(find_sbin postconf) || skip_all "postconf is not installed (package postfix)"
DOVECOT=$(find_sbin dovecot) || skip_all "dovecot is not installed (package dovecot-core)"
# The protocols its dovecot serves come in packages of their own.
for f in /usr/lib/dovecot/imap-login /usr/lib/dovecot/pop3-login \
	/usr/lib/dovecot/managesieve-login /usr/lib/dovecot/lmtp; do
	[[ -x $f ]] || skip_all "$f is not installed (packages dovecot-imapd, dovecot-pop3d," \
		"dovecot-managesieved, dovecot-lmtpd)"
done
# The postfix master and dovecot start as root and drop to their own users.
((EUID == 0)) || skip_all "postfix and dovecot start only as root"
for user in postfix dovecot dovenull; do
	id -u "$user" >/dev/null 2>&1 || skip_all "no $user user (the packages make it)"
done

# Both daemons drop privileges, and their users must reach the queue, the
# sockets and the lock files in $T: every directory on the way must be
# searchable by others.
chmod 711 "$T" || bail_out "cannot chmod $T"
dir=$(cd "$T" && pwd -P) || bail_out "cannot resolve $T"
while [[ $dir == /?* ]]; do
	perms=$(stat -c %A "$dir") || bail_out "cannot stat $dir"
	[[ ${perms:9:1} == [xt] ]] ||
		skip_all "$dir is not searchable by the postfix and dovecot users; set TMPDIR"
	dir=${dir%/*}
done

D=test.example
H=mail.$D
HRE=$(re_quote "$H")
EHLO=ehlo.$D
REFUSED_EHLO=refused.$D

mk_cert root --ca --to "+3650 days" --cn "STARTTLS Mail Test Root"
mk_cert mail --issuer root --cn "$H"
mk_cert other --cn "other.$D"
PIN=$(spki_b64 mail)
OTHER=$(spki_b64 other)
for p in "$PIN" "$OTHER"; do
	[[ ${#p} == 44 ]] || bail_out "openssl gave a pin of ${#p} characters: $p"
done

# distinct_ports N: N free loopback ports, all different, on one line.
distinct_ports() {
	local -a got=()
	local port i
	for ((i = 0; i < 4 * $1 && ${#got[@]} < $1; i++)); do
		port=$(free_port) || return 1
		[[ " ${got[*]} " == *" $port "* ]] || got+=("$port")
	done
	((${#got[@]} == $1)) || return 1
	echo "${got[*]}"
}

# wait_ready PID LOG REGEX PORT...: waits at most 15 s until the daemon PID
# has written REGEX to LOG and every PORT accepts connections. Fails at once
# when PID is gone.
wait_ready() {
	local pid=$1 log=$2 re=$3 i port up
	shift 3
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || return 1
		if grep -Eq "$re" "$log" 2>/dev/null; then
			up=1
			for port in "$@"; do
				port_open 127.0.0.1 "$port" || up=0
			done
			((up)) && return 0
		fi
		sleep 0.05
	done
	return 1
}

# ---------------------------------------------------------------- postfix

# One postfix with its own main.cf and master.cf in $PF/conf and its own
# queue and data directories: two smtpd services, SMTP_PORT with STARTTLS
# (level may) and SMTP_PLAIN without. The master runs in the foreground (-s),
# a child of this script, rather than through "postfix start": a signal
# during "postfix start" could orphan a master that is still starting, which
# "postfix stop" does not see yet. SIGTERM ends the master, which passes it
# on to its processes; they form its own process group (it calls setsid).
PF=$T/postfix
PF_PID=""
PF_LOG=$PF/maillog
SMTP_PORT=""
SMTP_PLAIN=""

# pf_alive: some process of the master's group is still running (not a
# zombie waiting for its new parent).
pf_alive() {
	local f line state pgrp
	for f in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$f" || continue
		# After "(comm)": state, ppid, process group.
		read -r state _ pgrp _ <<<"${line##*) }"
		[[ $pgrp == "$PF_PID" && $state != Z ]] && return 0
	done
	return 1
}

pf_stop() {
	local i
	[[ -n $PF_PID ]] || return 0
	kill "$PF_PID" 2>/dev/null
	wait "$PF_PID" 2>/dev/null
	# The master does not wait for its processes: wait here, so that none
	# writes into $T while it is removed.
	for ((i = 0; i < 100; i++)); do
		pf_alive || break
		sleep 0.05
	done
	if pf_alive; then
		kill -KILL -- "-$PF_PID" 2>/dev/null
	fi
	PF_PID=""
}

# pf_config: writes main.cf and master.cf for SMTP_PORT and SMTP_PLAIN.
# The HELO restriction is checked at EHLO time (smtpd_delay_reject = no): it
# logs the --ehlo name and rejects REFUSED_EHLO. No DNS: the client's name is
# not looked up, and no table needs the proxymap service.
pf_config() {
	cat >"$PF/conf/main.cf" <<-EOF
		compatibility_level = 3.6
		queue_directory = $PF/queue
		data_directory = $PF/data
		maillog_file = $PF_LOG
		maillog_file_prefixes = $PF
		myhostname = $H
		mydomain = $D
		mydestination =
		local_recipient_maps =
		alias_maps =
		alias_database =
		biff = no
		inet_interfaces = 127.0.0.1
		inet_protocols = ipv4
		smtpd_peername_lookup = no
		smtpd_tls_cert_file = $T/mail.pem
		smtpd_tls_key_file = $T/mail.key
		smtpd_tls_security_level = may
		smtpd_delay_reject = no
		smtpd_helo_restrictions = check_helo_access inline:{
		    { $EHLO = WARN test ehlo name seen },
		    { $REFUSED_EHLO = REJECT test ehlo name refused } }
	EOF
	cat >"$PF/conf/master.cf" <<-EOF
		127.0.0.1:$SMTP_PORT inet n - n - - smtpd
		127.0.0.1:$SMTP_PLAIN inet n - n - - smtpd
		    -o syslog_name=postfix/plain -o smtpd_tls_security_level=none
		anvil unix - - n - 1 anvil
		tlsmgr unix - - n 1000? 1 tlsmgr
		postlog unix-dgram n - n - 1 postlogd
	EOF
}

# pf_start: starts postfix on two free ports (a few tries, since another
# script may take a port first). Returns 1 with the reason in PF_WHY.
PF_WHY=""
pf_start() {
	local try master
	mkdir -p "$PF/conf" "$PF/queue" "$PF/data" || return 1
	chmod 755 "$PF" "$PF/queue"
	# The data directory (the master's lock) belongs to the mail owner.
	chown postfix "$PF/data" || return 1
	chmod 700 "$PF/data"
	for ((try = 0; try < 5; try++)); do
		read -r SMTP_PORT SMTP_PLAIN < <(distinct_ports 2) || continue
		pf_config
		master=$("$POSTCONF" -c "$PF/conf" -h daemon_directory)/master
		[[ -x $master ]] || { PF_WHY="no postfix master: $master"; return 1; }
		: >"$PF_LOG"
		# What "postfix start" checks first; it makes the queue's
		# subdirectories, owned by the mail owner.
		if ! "$POSTFIX" -c "$PF/conf" check </dev/null >"$PF/check.log" 2>&1; then
			PF_WHY="postfix check: $(tail -n 3 "$PF_LOG" "$PF/check.log")"
			return 1
		fi
		"$master" -c "$PF/conf" -s </dev/null >"$PF/master.log" 2>&1 &
		PF_PID=$!
		if wait_ready "$PF_PID" "$PF_LOG" 'postfix/master\[[0-9]+\]: daemon started' \
			"$SMTP_PORT" "$SMTP_PLAIN"; then
			return 0
		fi
		PF_WHY=$(grep -hE 'fatal|error' "$PF_LOG" "$PF/master.log" | tail -n 3)
		pf_stop
		grep -q 'Address already in use' "$PF_LOG" || break
	done
	PF_WHY=${PF_WHY:-no reason logged}
	return 1
}

# pf_mark, then pf_logged REGEX: what postfix logged since the mark matches.
PF_MARK=0
pf_mark() {
	PF_MARK=$(wc -l <"$PF_LOG")
}
# shellcheck disable=SC2317 # called through t_ok
pf_logged() {
	# postlogd writes asynchronously: give it a moment.
	local i
	for ((i = 0; i < 40; i++)); do
		if tail -n "+$((PF_MARK + 1))" "$PF_LOG" | grep -Eq "$1"; then
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# ---------------------------------------------------------------- dovecot

# Two dovecots, each with its own dovecot.conf, base_dir and state_dir:
# "tls" (ssl = yes) and "plain" (ssl = no), each with IMAP, POP3, ManageSieve
# and LMTP listeners. dovecot -F keeps the master in the foreground, a child
# of this script; SIGTERM ends it and its processes.
declare -A DV_PID=() DV_WHY=()
declare -A IMAP_PORT=() POP3_PORT=() SIEVE_PORT=() LMTP_PORT=()

# dv_stop NAME
dv_stop() {
	local pid=${DV_PID[$1]:-}
	[[ -n $pid ]] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	DV_PID[$1]=""
}

# dv_config NAME DIR: writes DIR/dovecot.conf. No login is ever made: the
# empty passwd-file only satisfies the auth process.
dv_config() {
	local name=$1 dir=$2 ssl
	if [[ $name == tls ]]; then
		ssl="ssl = yes
ssl_cert = <$T/mail.pem
ssl_key = <$T/mail.key"
	else
		ssl="ssl = no"
	fi
	cat >"$dir/dovecot.conf" <<-EOF
		base_dir = $dir/run
		state_dir = $dir/state
		instance_name = tls_pin_test_$name
		log_path = $dir/dovecot.log
		listen = 127.0.0.1
		protocols = imap pop3 sieve lmtp
		$ssl
		default_internal_user = dovecot
		default_login_user = dovenull
		passdb {
		  driver = passwd-file
		  args = $dir/passwd
		}
		userdb {
		  driver = passwd-file
		  args = $dir/passwd
		}
		service imap-login {
		  inet_listener imap {
		    port = ${IMAP_PORT[$name]}
		  }
		  inet_listener imaps {
		    port = 0
		  }
		}
		service pop3-login {
		  inet_listener pop3 {
		    port = ${POP3_PORT[$name]}
		  }
		  inet_listener pop3s {
		    port = 0
		  }
		}
		service managesieve-login {
		  inet_listener sieve {
		    port = ${SIEVE_PORT[$name]}
		  }
		}
		service lmtp {
		  inet_listener lmtp {
		    port = ${LMTP_PORT[$name]}
		  }
		}
	EOF
}

# dv_start NAME: starts dovecot NAME on four free ports (a few tries).
# Returns 1 with the reason in DV_WHY[NAME].
dv_start() {
	local name=$1 dir=$T/dovecot-$1 try pid
	mkdir -p "$dir/run" "$dir/state" || return 1
	chmod 755 "$dir"
	: >"$dir/passwd"
	for ((try = 0; try < 5; try++)); do
		read -r "IMAP_PORT[$name]" "POP3_PORT[$name]" "SIEVE_PORT[$name]" \
			"LMTP_PORT[$name]" < <(distinct_ports 4) || continue
		dv_config "$name" "$dir"
		: >"$dir/dovecot.log"
		"$DOVECOT" -F -c "$dir/dovecot.conf" </dev/null >"$dir/start.log" 2>&1 &
		pid=$!
		DV_PID[$name]=$pid
		if wait_ready "$pid" "$dir/dovecot.log" 'master: Info: Dovecot .* starting up' \
			"${IMAP_PORT[$name]}" "${POP3_PORT[$name]}" "${SIEVE_PORT[$name]}" \
			"${LMTP_PORT[$name]}"; then
			return 0
		fi
		DV_WHY[$name]=$(grep -hE 'Fatal|Error' "$dir/dovecot.log" "$dir/start.log" | tail -n 3)
		dv_stop "$name"
		grep -q 'Address already in use' "$dir/dovecot.log" "$dir/start.log" || break
	done
	DV_WHY[$name]=${DV_WHY[$name]:-no reason logged}
	return 1
}

# stop_daemons: the at_exit hook (lib.sh ignores further signals meanwhile).
# shellcheck disable=SC2317 # called through at_exit
stop_daemons() {
	local pid
	# Every daemon is told first: a dovecot takes about a second to stop.
	for pid in "$PF_PID" "${DV_PID[@]}"; do
		[[ -n $pid ]] && kill "$pid" 2>/dev/null
	done
	pf_stop
	dv_stop tls
	dv_stop plain
}
at_exit stop_daemons

# ---------------------------------------------------------------- the cases

CA=(--ca-file "$T/root.pem")
PINNED=", key pinned \(leaf\) \| days="
NOT_PINNED=", key NOT pinned, served sha256/$(re_quote "$PIN") \| days="

# ok_line PORT / crit_line PORT: the start of the status line for the server
# on PORT; the same as for direct TLS.
ok_line() {
	echo "^TLS_PIN OK - $HRE:$1 \(127\.0\.0\.1\) expires in [^,|]*"
}
crit_line() {
	echo "^TLS_PIN CRITICAL - $HRE:$1 \(127\.0\.0\.1\) expires in [^,|]*"
}
# no_tls_line PORT QUOTED: a server that does not offer STARTTLS; the details
# quote its reply, which contains the regex QUOTED.
no_tls_line() {
	echo "^TLS_PIN CRITICAL - $HRE:$1 \(127\.0\.0\.1\): no TLS: [^|]*'[^'|]*$2"
}

# no_out REGEX: no line of the last run's stdout matches REGEX.
# shellcheck disable=SC2317 # called through t_ok
no_out() {
	local line
	for line in "${OUT_LINES[@]}"; do
		[[ $line =~ $1 ]] && return 1
	done
	return 0
}

# dialogue_last: in the last run's stdout, the first dialogue line ("C: " or
# "S: ") comes after the status line and the leaf's line.
# shellcheck disable=SC2317 # called through t_ok
dialogue_last() {
	local i leaf=-1
	for ((i = 0; i < ${#OUT_LINES[@]}; i++)); do
		case ${OUT_LINES[i]} in
		"depth 0: "*) leaf=$i ;;
		"C: "* | "S: "*) ((leaf > 0)); return ;;
		esac
	done
	return 1
}

# mail_cases PROTO PORT PLAIN_PORT GREETING OFFER COMMAND GO_AHEAD QUOTED:
# the cases every protocol shares. GREETING, OFFER, COMMAND and GO_AHEAD are
# regexes for the -v dialogue lines of the server's greeting, its STARTTLS
# capability, our STARTTLS command and the server's go-ahead; QUOTED, for a
# part of the capabilities of the server without TLS.
mail_cases() {
	local proto=$1 port=$2 plain=$3 greeting=$4 offer=$5 command=$6 go=$7 quoted=$8
	t_check "$proto: the right pin: OK" 0 "$(ok_line "$port")$PINNED" \
		-H "$H" -I 127.0.0.1 -p "$port" --starttls "$proto" "${CA[@]}" -P "sha256/$PIN" -v
	t_out "$proto: -v shows the server's greeting" "^S: $greeting"
	t_out "$proto: -v shows the server offering STARTTLS" "^S: $offer"
	t_out "$proto: -v shows the STARTTLS command" "^C: $command\$"
	t_out "$proto: -v shows the server's go-ahead" "^S: $go"
	t_ok "$proto: -v shows the dialogue after the certificate lines" dialogue_last
	t_check "$proto: a wrong pin: CRITICAL, the served pin printed" 2 \
		"$(crit_line "$port")$NOT_PINNED" \
		-H "$H" -I 127.0.0.1 -p "$port" --starttls "$proto" "${CA[@]}" -P "sha256/$OTHER"
	t_check "$proto: a server without TLS: CRITICAL, no TLS, its reply quoted" 2 \
		"$(no_tls_line "$plain" "$quoted")" \
		-H "$H" -I 127.0.0.1 -p "$plain" --starttls "$proto" "${CA[@]}" -P "sha256/$PIN" -v
	t_out "$proto: without TLS, -v shows the server's greeting" "^S: $greeting"
	t_ok "$proto: without TLS, no STARTTLS command is sent" no_out "^C: $command\$"
}

# skip_cases PROTO REASON: the cases of mail_cases, skipped.
skip_cases() {
	local desc
	for desc in "the right pin" "-v greeting" "-v STARTTLS offered" "-v STARTTLS command" \
		"-v go-ahead" \
		"-v dialogue after the certificate lines" "a wrong pin" "a server without TLS" \
		"without TLS, -v greeting" "without TLS, no STARTTLS command"; do
		t_skip "$1: $desc" "$2"
	done
}

# --- SMTP with DANE (RFC 7672): NSD serves test.example, signed at test time,
# with TLSA records for the postfix port under several names of the one
# server. The SMTP rules: a 3 1 1 record matches whatever the certificate's
# names (the names below are not in it), and the PKIX usages are unusable
# however the chain verifies.
DANE_CASES=("3 1 1 on the postfix key: OK" "-v: accepted" "the README's MX check"
	"next key published, --require-backup-pin: OK" "1 1 1 under SMTP: unusable, CRITICAL"
	"-v: 1 1 1 unusable")
smtp_dane_cases() {
	local why z=$D mail311 next311
	why=$(dns_tools_missing)
	if [[ -n $why ]]; then
		for desc in "${DANE_CASES[@]}"; do
			t_skip "smtp --dane: $desc" "$why"
		done
		return
	fi
	mk_cert mailnext --issuer root --cn "$H"
	mail311=$(tlsa_hex mail 1 1)
	next311=$(tlsa_hex mailnext 1 1)
	{
		dns_zone_head "$z"
		printf '_%s._tcp.mx IN TLSA 3 1 1 %s\n' "$SMTP_PORT" "$mail311"
		printf '_%s._tcp.mx2 IN TLSA 3 1 1 %s\n' "$SMTP_PORT" "$mail311"
		printf '_%s._tcp.mx2 IN TLSA 3 1 1 %s\n' "$SMTP_PORT" "$next311"
		printf '_%s._tcp.mail IN TLSA 1 1 1 %s\n' "$SMTP_PORT" "$mail311"
	} >"$DNS_DIR/$z.zone"
	dns_serve_signed "$z"
	local -a dns=(--dns-server "127.0.0.1@$DNS_PORT" --dnssec-anchor "$DNS_ANCHORS")
	t_check "smtp --dane: 3 1 1 on the postfix key: OK" 0 \
		"^TLS_PIN OK - mx\.$z:$SMTP_PORT \(127\.0\.0\.1\) expires in [^,|]*, TLSA 3 1 1 matched \|" \
		-H "mx.$z" -I 127.0.0.1 -p "$SMTP_PORT" --starttls smtp --no-verify --dane "${dns[@]}" -v
	t_out "smtp --dane: -v: accepted" "^TLSA 3 1 1 $mail311: matches the leaf, accepted\$"
	# As the README writes it; only the port and the DNS server are the test's.
	t_check "smtp --dane: the README's MX check" 0 "^TLS_PIN OK - .*, TLSA 3 1 1 matched \|" \
		-H "mx.$z" --starttls smtp --no-verify --dane -I 127.0.0.1 -p "$SMTP_PORT" "${dns[@]}"
	t_check "smtp --dane: next key published, --require-backup-pin: OK" 0 \
		"^TLS_PIN OK - mx2\.$z:$SMTP_PORT .*, TLSA 3 1 1 matched \|" \
		-H "mx2.$z" -I 127.0.0.1 -p "$SMTP_PORT" --starttls smtp --no-verify --dane \
		--require-backup-pin "${dns[@]}"
	t_check "smtp --dane: 1 1 1 under SMTP: unusable, CRITICAL" 2 \
		"^TLS_PIN CRITICAL - mail\.$z:$SMTP_PORT .*, no usable TLSA record matches \(0 usable of 1\), publish: 3 1 1 $mail311 \|" \
		-H "$H" -I 127.0.0.1 -p "$SMTP_PORT" --starttls smtp "${CA[@]}" --dane "${dns[@]}" -v
	t_out "smtp --dane: -v: 1 1 1 unusable" \
		"^TLSA 1 1 1 $mail311: unusable, PKIX usages are unusable for SMTP \(RFC 7672 3\.1\.3\)\$"
}

# --- SMTP: postfix
if pf_start; then
	mail_cases smtp "$SMTP_PORT" "$SMTP_PLAIN" "220 $HRE ESMTP" "250[- ]STARTTLS\$" \
		STARTTLS "220 2\.0\.0 " "250-$HRE"

	pf_mark
	t_check "smtp: -p after --starttls replaces port 25: OK from the test's postfix" 0 \
		"$(ok_line "$SMTP_PORT")$PINNED" \
		-H "$H" -I 127.0.0.1 --starttls smtp -p "$SMTP_PORT" "${CA[@]}" -P "sha256/$PIN"
	t_ok "smtp: the test's postfix saw the connection on the -p port" \
		pf_logged "postfix/smtpd\[[0-9]+\]: disconnect from .*starttls=1"

	pf_mark
	t_check "smtp: --ehlo NAME: OK" 0 "$(ok_line "$SMTP_PORT")$PINNED" \
		-H "$H" -I 127.0.0.1 -p "$SMTP_PORT" --starttls smtp --ehlo "$EHLO" \
		"${CA[@]}" -P "sha256/$PIN" -v
	t_out "smtp: --ehlo NAME: -v shows EHLO NAME" "^C: EHLO $(re_quote "$EHLO")\$"
	t_ok "smtp: --ehlo NAME: postfix received EHLO NAME" \
		pf_logged "warn: EHLO from .*: test ehlo name seen; .*helo=<$(re_quote "$EHLO")>"
	# Not "no TLS": the server refused the session, not TLS. The reply is quoted.
	reply="554 5.7.1 <$REFUSED_EHLO>: Helo command rejected: test ehlo name refused"
	t_check "smtp: --ehlo a name the server rejects: CRITICAL, quoting the reply" 2 \
		"^TLS_PIN CRITICAL - $HRE:$SMTP_PORT \(127\.0\.0\.1\): [^|]*'$(re_quote "$reply")'" \
		-H "$H" -I 127.0.0.1 -p "$SMTP_PORT" --starttls smtp --ehlo "$REFUSED_EHLO" \
		"${CA[@]}" -P "sha256/$PIN"
	t_ok "smtp: postfix rejected EHLO with that name" \
		pf_logged "reject: EHLO from .*helo=<$(re_quote "$REFUSED_EHLO")>"
	smtp_dane_cases
else
	skip_cases smtp "postfix cannot start: $PF_WHY"
	for desc in "-p replaces port 25" \
		"postfix saw the -p port" "--ehlo NAME" "-v EHLO NAME" "postfix received EHLO NAME" \
		"--ehlo rejected" "postfix rejected EHLO"; do
		t_skip "smtp: $desc" "postfix cannot start: $PF_WHY"
	done
	for desc in "${DANE_CASES[@]}"; do
		t_skip "smtp --dane: $desc" "postfix cannot start: $PF_WHY"
	done
fi

# --- IMAP, POP3, ManageSieve, LMTP: dovecot
if dv_start tls && dv_start plain; then
	mail_cases imap "${IMAP_PORT[tls]}" "${IMAP_PORT[plain]}" \
		"\* OK \[CAPABILITY [^]]*\] Dovecot" "\* CAPABILITY .* STARTTLS( |\$)" \
		"[A-Za-z0-9]+ STARTTLS" "[A-Za-z0-9]+ OK " IMAP4rev1
	mail_cases pop3 "${POP3_PORT[tls]}" "${POP3_PORT[plain]}" \
		"\+OK Dovecot" "STLS\$" STLS "\+OK " UIDL
	mail_cases sieve "${SIEVE_PORT[tls]}" "${SIEVE_PORT[plain]}" \
		'"IMPLEMENTATION" ' '"STARTTLS"$' STARTTLS 'OK ' '"IMPLEMENTATION" "Dovecot'
	mail_cases lmtp "${LMTP_PORT[tls]}" "${LMTP_PORT[plain]}" \
		"220 .*Dovecot" "250[- ]STARTTLS\$" STARTTLS "220 2\.0\.0 " 8BITMIME
	t_check "lmtp: --ehlo NAME: OK" 0 "$(ok_line "${LMTP_PORT[tls]}")$PINNED" \
		-H "$H" -I 127.0.0.1 -p "${LMTP_PORT[tls]}" --starttls lmtp --ehlo "$EHLO" \
		"${CA[@]}" -P "sha256/$PIN" -v
	t_out "lmtp: --ehlo NAME: -v shows LHLO NAME" "^C: LHLO $(re_quote "$EHLO")\$"
else
	why="dovecot cannot start: ${DV_WHY[tls]:-}${DV_WHY[plain]:-}"
	for proto in imap pop3 sieve lmtp; do
		skip_cases "$proto" "$why"
	done
	t_skip "lmtp: --ehlo NAME" "$why"
	t_skip "lmtp: -v LHLO NAME" "$why"
fi

done_testing
