#!/bin/bash
# STARTTLS against the directory and database servers Debian packages:
# slapd (the LDAP StartTLS extended operation, RFC 4511 section 4.14),
# PostgreSQL (SSLRequest) and MariaDB (the SSL request of the MySQL protocol).
# Each server runs twice on free loopback ports, with a private configuration
# in $T: once with a certificate, once without TLS. Per protocol: the right
# pin, a wrong pin, -p before and after --starttls, the dialogue under -v,
# and a server without TLS.
#
# The expected pins are computed by openssl (lib.sh spki_*), never by the plugin.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools certtool openssl

SLAPD=$(find_sbin slapd) || skip_all "slapd is not installed (package slapd)"
MARIADBD=$(find_sbin mariadbd || find_sbin mysqld) ||
	skip_all "mariadbd is not installed (package mariadb-server-core)"
# The newest PostgreSQL installed; its programs are not on the PATH.
PGBIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[[ -x $PGBIN/initdb && -x $PGBIN/pg_ctl ]] ||
	skip_all "PostgreSQL is not installed (package postgresql)"
# PostgreSQL refuses to run as root: root runs it as the package's user.
if ((EUID == 0)); then
	id -u postgres >/dev/null 2>&1 || skip_all "no postgres user to run PostgreSQL as"
	command -v runuser >/dev/null 2>&1 || skip_all "runuser is not installed"
fi

D=test.example
H=db.$D
HRE=$(re_quote "$H")

mk_cert root --ca --to "+3650 days" --cn "STARTTLS Database Test Root"
mk_cert db --issuer root --cn "$H"
mk_cert other --cn "other.$D"
PIN=$(spki_b64 db)
OTHER=$(spki_b64 other)
for p in "$PIN" "$OTHER"; do
	[[ ${#p} == 44 ]] || bail_out "openssl gave a pin of ${#p} characters: $p"
done

# ---------------------------------------------------------------- daemons

# not_started WHAT LOG: a server that cannot start skips the script, with the
# end of its log as the reason (CI installs every server, so it fails there).
not_started() {
	local what=$1 log=$2
	if [[ -s $log ]]; then
		diag "$(tail -n 15 "$log")"
	fi
	skip_all "$what did not start (its log is above)"
}

# stop_pid PID: stops a daemon this shell started in the foreground, giving
# it 10 s to shut down before it is killed.
stop_pid() {
	local pid=$1 i
	kill "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 200; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# wait_daemon PID PORT TEST...: waits at most 15 s until PID listens on PORT,
# as proved by the daemon's own TEST command (its pid file, its log) and a
# connection; fails as soon as PID has exited (a port taken meanwhile).
wait_daemon() {
	local pid=$1 port=$2 i
	shift 2
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || return 1
		if "$@" && port_open 127.0.0.1 "$port"; then
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# slapd_ready DIR PID: slapd PID wrote its pid file and logged that it
# started (both come after it bound its port).
# shellcheck disable=SC2317 # called through wait_daemon
slapd_ready() {
	[[ -s $1/slapd.pid && $(<"$1/slapd.pid") == "$2" ]] &&
		grep -q 'slapd starting' "$1/slapd.log"
}

# start_slapd NAME [tls]: slapd with the configuration $T/NAME/slapd.conf on
# ldap://127.0.0.1:PORT/; sets PORT_OUT. No database: the StartTLS extended
# operation is answered by the frontend. LDAPNOINIT keeps the system's
# ldap.conf out of it.
start_slapd() {
	local name=$1 tls=${2:-} dir=$T/$1 try port pid
	mkdir "$dir" || bail_out "cannot create $dir"
	{
		printf 'pidfile "%s"\n' "$dir/slapd.pid"
		printf 'argsfile "%s"\n' "$dir/slapd.args"
		if [[ $tls == tls ]]; then
			printf 'TLSCertificateFile "%s"\n' "$T/db.pem"
			printf 'TLSCertificateKeyFile "%s"\n' "$T/db.key"
		fi
	} >"$dir/slapd.conf"
	for ((try = 0; try < 8; try++)); do
		port=$(free_port) || continue
		# -d: stay in the foreground, so that this shell can stop it;
		# "none" logs errors and the start, not every operation.
		LDAPNOINIT=1 "$SLAPD" -f "$dir/slapd.conf" -h "ldap://127.0.0.1:$port/" -d none \
			</dev/null >"$dir/slapd.log" 2>&1 &
		pid=$!
		at_exit stop_pid "$pid"
		if wait_daemon "$pid" "$port" slapd_ready "$dir" "$pid"; then
			PORT_OUT=$port
			return 0
		fi
		stop_pid "$pid"
	done
	not_started "slapd ($name)" "$dir/slapd.log"
}

# as_pg COMMAND...: runs COMMAND as the PostgreSQL user (root) or as oneself,
# from a directory that user may enter.
as_pg() {
	if ((EUID == 0)); then
		(cd "$T/pg" && runuser -u postgres -- "$@")
	else
		(cd "$T/pg" && "$@")
	fi
}

# init_pg: one initdb into $T/pg/tls, copied to $T/pg/plain (a second initdb
# costs a second); each gets its own settings, TLS or none.
init_pg() {
	local key_owner=()
	if ((EUID == 0)); then
		# The postgres user must reach its directory inside $T.
		chmod 711 "$T" || bail_out "cannot open $T to the postgres user"
		key_owner=(-o postgres -g postgres)
	fi
	install -d -m 700 "${key_owner[@]}" "$T/pg" || bail_out "cannot create $T/pg"
	# The server wants its key owned by itself and private.
	if ! install -m 600 "${key_owner[@]}" "$T/db.key" "$T/pg/server.key" ||
		! install -m 644 "${key_owner[@]}" "$T/db.pem" "$T/pg/server.pem"; then
		bail_out "cannot copy the certificate for PostgreSQL"
	fi
	as_pg "$PGBIN/initdb" -D "$T/pg/tls" -U postgres --auth=trust --no-sync \
		--no-instructions --no-locale -E UTF8 >"$T/pg/initdb.log" 2>&1 ||
		not_started "PostgreSQL initdb" "$T/pg/initdb.log"
	as_pg cp -a "$T/pg/tls" "$T/pg/plain" || bail_out "cannot copy the PostgreSQL cluster"
	# Later lines of postgresql.conf override the defaults initdb wrote.
	{
		printf "listen_addresses = '127.0.0.1'\n"
		printf "unix_socket_directories = '%s'\n" "$T/pg"
		printf "ssl = on\n"
		printf "ssl_cert_file = '%s'\n" "$T/pg/server.pem"
		printf "ssl_key_file = '%s'\n" "$T/pg/server.key"
	} >>"$T/pg/tls/postgresql.conf"
	{
		printf "listen_addresses = '127.0.0.1'\n"
		printf "unix_socket_directories = '%s'\n" "$T/pg"
		printf "ssl = off\n"
	} >>"$T/pg/plain/postgresql.conf"
}

# start_pg NAME: the cluster $T/pg/NAME on a free port; sets PORT_OUT.
# pg_ctl -w returns once the server accepts connections, and fails when it
# could not bind (the port taken meanwhile).
start_pg() {
	local name=$1 dir=$T/pg/$1 try port
	at_exit as_pg "$PGBIN/pg_ctl" -D "$dir" -m immediate -w -t 10 stop
	for ((try = 0; try < 8; try++)); do
		port=$(free_port) || continue
		if as_pg "$PGBIN/pg_ctl" -D "$dir" -l "$T/pg/$name.log" -o "-p $port" \
			-w -t 15 start </dev/null >/dev/null 2>&1 &&
			port_open 127.0.0.1 "$port"; then
			PORT_OUT=$port
			return 0
		fi
		as_pg "$PGBIN/pg_ctl" -D "$dir" -m immediate -w -t 10 stop >/dev/null 2>&1
	done
	not_started "PostgreSQL ($name)" "$T/pg/$name.log"
}

# mariadb_ready LOG PORT: MariaDB logged that it accepts connections on PORT.
# shellcheck disable=SC2317 # called through wait_daemon
mariadb_ready() {
	grep -q "port: $2 " "$1" && grep -q 'ready for connections' "$1"
}

# start_mariadb NAME [tls]: mariadbd on an empty data directory $T/NAME;
# sets PORT_OUT. The TLS handshake comes before any login, so no system
# tables are needed: no mariadb-install-db, no grant tables, no InnoDB.
# --no-defaults keeps /etc/mysql out of it; without certificates, --skip-ssl
# says outright that the server offers no TLS.
start_mariadb() {
	local name=$1 tls=${2:-} dir=$T/$1 try port pid
	local -a args=(--no-defaults --datadir="$dir/data" --tmpdir="$dir"
		--socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid"
		--bind-address=127.0.0.1 --skip-name-resolve --skip-grant-tables
		--innodb=OFF --default-storage-engine=Aria --default-tmp-storage-engine=Aria)
	if [[ $tls == tls ]]; then
		args+=(--ssl-cert="$T/db.pem" --ssl-key="$T/db.key")
	else
		args+=(--skip-ssl)
	fi
	if ((EUID == 0)); then
		# It refuses to run as root unless told so.
		args+=(--user=root)
	fi
	mkdir -p "$dir/data" || bail_out "cannot create $dir"
	for ((try = 0; try < 8; try++)); do
		port=$(free_port) || continue
		"$MARIADBD" "${args[@]}" --port="$port" </dev/null >"$dir/mysqld.log" 2>&1 &
		pid=$!
		at_exit stop_pid "$pid"
		if wait_daemon "$pid" "$port" mariadb_ready "$dir/mysqld.log" "$port"; then
			PORT_OUT=$port
			return 0
		fi
		stop_pid "$pid"
	done
	not_started "MariaDB ($name)" "$dir/mysqld.log"
}

start_slapd ldap-tls tls
LDAP=$PORT_OUT
start_slapd ldap-plain
LDAP_PLAIN=$PORT_OUT
init_pg
start_pg tls
PG=$PORT_OUT
start_pg plain
PG_PLAIN=$PORT_OUT
start_mariadb mysql-tls tls
MYSQL=$PORT_OUT
start_mariadb mysql-plain
MYSQL_PLAIN=$PORT_OUT

# ---------------------------------------------------------------- cases

# check_proto PROTO PORT PLAIN_PORT SENT GO_AHEAD REFUSAL: the cases of one
# protocol, against its server with TLS on PORT and without TLS on
# PLAIN_PORT. Always verified against the test root, so an OK also proves the
# chain came over STARTTLS. SENT, GO_AHEAD and REFUSAL are regexes for the -v
# lines of the request, of the TLS server's answer and of the other's: each
# names a fact of the protocol or of the server, so that -v is seen to show
# the real dialogue.
check_proto() {
	local proto=$1 port=$2 plain=$3 sent=$4 go_ahead=$5 refusal=$6
	local -a common=(-H "$H" -I 127.0.0.1 --ca-file "$T/root.pem" -t 5)
	local at="$HRE:$port \(127\.0\.0\.1\)"

	t_check "$proto: the right pin: OK, pinned, on the -p port" 0 \
		"^TLS_PIN OK - $at expires in [^,|]*, key pinned \(leaf\) \| days=" \
		"${common[@]}" --starttls "$proto" -p "$port" -P "sha256/$PIN"
	# The protocol's default port must not override a -p that came first.
	t_check "$proto: -p before --starttls, -v: OK on the -p port" 0 \
		"^TLS_PIN OK - $at expires in [^,|]*, key pinned \(leaf\) \| days=" \
		-p "$port" --starttls "$proto" "${common[@]}" -P "sha256/$PIN" -v
	t_out "$proto: -v shows the request" "^C: $sent"
	t_out "$proto: -v shows the go-ahead" "^S: $go_ahead"
	t_check "$proto: a wrong pin: CRITICAL, naming the served pin" 2 \
		"^TLS_PIN CRITICAL - $at expires in [^,|]*, key NOT pinned, served sha256/$(re_quote "$PIN") \| days=" \
		"${common[@]}" -p "$port" --starttls "$proto" -P "sha256/$OTHER"
	# No plaintext fallback: the pin is never checked, the TLS is missing.
	t_check "$proto: the server without TLS: CRITICAL, no TLS" 2 \
		"^TLS_PIN CRITICAL - $HRE:$plain \(127\.0\.0\.1\): no TLS: " \
		"${common[@]}" -p "$plain" --starttls "$proto" -P "sha256/$PIN" -v
	t_out "$proto, no TLS: -v shows the server's answer" "^S: $refusal"
}

# LDAP: the StartTLS OID (RFC 4511 section 4.14.1); slapd without TLS
# answers resultCode 2 (protocolError), with TLS 0 (success).
check_proto ldap "$LDAP" "$LDAP_PLAIN" '.*1\.3\.6\.1\.4\.1\.1466\.20037' \
	'.*resultCode 0([^0-9]|$)' '.*resultCode 2([^0-9]|$)'
# PostgreSQL: one byte answers the SSLRequest, 'S' or 'N'.
check_proto postgres "$PG" "$PG_PLAIN" 'SSLRequest' "'S'" "'N'"
# MySQL: the server speaks first; its greeting carries the SSL flag or not.
# The client's request is sent only to the server that offers TLS.
check_proto mysql "$MYSQL" "$MYSQL_PLAIN" '.*SSL' '.*MariaDB' '.*MariaDB'

done_testing
