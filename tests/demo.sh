#!/bin/bash
# make demo: the plugin against a server of its own, made now on loopback.
#
# A CA and a 47-day server certificate are generated with certtool, gnutls-serv
# serves them on a free port of 127.0.0.1, and the plugin runs twice: pinned to
# the served key (OK), then pinned only to a new key that the server does not
# serve yet (CRITICAL: the output shows the served pin, ready to paste).
# Everything lives in a temporary directory that is removed at the end.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
set -eu
: "${PLUGIN:?run this through make demo}"
if ! command -v certtool >/dev/null 2>&1 || ! command -v gnutls-serv >/dev/null 2>&1; then
	echo "demo: certtool and gnutls-serv are needed (Debian package gnutls-bin)" >&2
	exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/tls_pin_demo.XXXXXX")
server=
cleanup() {
	if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
	rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"

certtool --generate-privkey --key-type ecdsa --outfile ca.key 2>/dev/null
printf '%s\n' 'cn = "check_tls_pin demo CA"' ca cert_signing_key 'expiration_days = 365' >ca.tmpl
certtool --generate-self-signed --load-privkey ca.key --template ca.tmpl \
	--outfile ca.pem 2>/dev/null
certtool --generate-privkey --key-type ecdsa --outfile server.key 2>/dev/null
printf '%s\n' 'cn = "localhost"' 'dns_name = "localhost"' tls_www_server signing_key \
	'expiration_days = 47' >server.tmpl
certtool --generate-certificate --load-privkey server.key --load-ca-certificate ca.pem \
	--load-ca-privkey ca.key --template server.tmpl --outfile server.pem 2>/dev/null
certtool --generate-privkey --key-type ecdsa --outfile next.key 2>/dev/null

# certtool prints the pins in GnuTLS's spelling, pin-sha256:BASE64.
served_pin=$(certtool -k --infile server.key | sed -n 's/^[[:space:]]*\(pin-sha256:.*\)$/\1/p' | head -n 1)
next_pin=$(certtool -k --infile next.key | sed -n 's/^[[:space:]]*\(pin-sha256:.*\)$/\1/p' | head -n 1)

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in 1 2 3 4 5 6 7 8 9 10; do
	port=$((20000 + RANDOM % 40000))
	listening "$port" && continue
	gnutls-serv -p "$port" --x509certfile server.pem --x509keyfile server.key \
		>server.log 2>&1 &
	server=$!
	for _ in $(seq 50); do
		listening "$port" && break 2
		kill -0 "$server" 2>/dev/null || break
		sleep 0.1
	done
	kill "$server" 2>/dev/null || true
	server=
done
[ -n "$server" ] || { echo "demo: gnutls-serv did not start" >&2; exit 1; }

run() {
	echo "\$ check_tls_pin $*"
	set +e
	"$PLUGIN" "$@"
	rc=$?
	set -e
	echo "(exit code $rc)"
	echo
}

echo "gnutls-serv is serving a 47-day certificate for localhost on port $port."
echo
echo "1. The clients pin the key the server serves:"
run -H localhost -p "$port" --ca-file ca.pem -P "$served_pin"
ok_rc=$rc
echo "2. The clients pin only the next key, which the server does not serve yet:"
run -H localhost -p "$port" --ca-file ca.pem -P "$next_pin"
crit_rc=$rc

if [ "$ok_rc" -ne 0 ] || [ "$crit_rc" -ne 2 ]; then
	echo "demo: expected exit codes 0 and 2, got $ok_rc and $crit_rc" >&2
	exit 1
fi
echo "Demo done: OK with the served pin, CRITICAL without it."
