# shellcheck shell=bash
#
# check_tls_pin integration tests: the helpers every script sources.
#
#   TAP        t_check (exit code + first line), t_line, t_ok, t_skip, done_testing
#   certs      mk_cert: certtool templates, CA -> intermediate -> leaf chains
#   pins       spki_b64, spki_hex, spki_hex_colons, tlsa_hex: the openssl
#              pipeline, independent of the plugin's own code
#   revocation index_line, ocsp_staple, crl_make: OCSP responses and CRLs
#              by openssl, from an openssl CA database
#   servers    start_server gnutls|openssl|silent|ocsp|nginx: a free loopback
#              port, a bounded wait until it listens, always stopped on exit
#
# Every script gets its own temporary directory ($T) and its own random ports,
# so the scripts can run in parallel (make -j2 check). Servers and the
# directory are removed by the EXIT trap, whatever happens.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

set -u
set -o pipefail

if [[ -z ${PLUGIN:-} ]]; then
	PLUGIN="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/plugins/check_tls_pin"
fi

TAP_N=0
SERVER_PIDS=()
SERVER_PORT=""
T=""

# ---------------------------------------------------------------- lifetime

# at_exit COMMAND...: run COMMAND (one shell word list) when the script ends,
# before the servers are killed; for daemons that fork and stop by a command.
AT_EXIT=()
at_exit() {
	AT_EXIT+=("$(printf '%q ' "$@")")
}

lib_cleanup() {
	local pid cmd
	# A second signal must not cut the cleanup short and leave daemons behind.
	trap '' HUP INT TERM
	for cmd in "${AT_EXIT[@]}"; do
		eval "$cmd" >/dev/null 2>&1
	done
	AT_EXIT=()
	for pid in "${SERVER_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${SERVER_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	SERVER_PIDS=()
	if [[ -n $T && -d $T ]]; then
		rm -rf "$T"
	fi
}
trap lib_cleanup EXIT
# A signal ends the script through exit, so the EXIT trap still runs.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

T=$(mktemp -d "${TMPDIR:-/tmp}/tls_pin_it.XXXXXX") || {
	echo "Bail out! cannot create a temporary directory"
	exit 1
}

# skip_all REASON: the whole script cannot run here.
skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

bail_out() {
	echo "Bail out! $*"
	exit 1
}

# require_tools TOOL...: skip the script unless every tool is installed.
require_tools() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || skip_all "$tool is not installed"
	done
	[[ -x $PLUGIN ]] || bail_out "plugin not built: $PLUGIN"
}

# ---------------------------------------------------------------- TAP

# The plan goes last: the number of cases is known once they have run.
done_testing() {
	echo "1..$TAP_N"
	exit 0
}

# diag TEXT...: each line of TEXT as a TAP comment.
diag() {
	local line
	while IFS= read -r line; do
		printf '#   %s\n' "$line"
	done <<<"$*"
}

# tap_result DESC WHY: "ok" when WHY is empty, otherwise "not ok" with the
# reason and the last plugin run (command, exit code, stdout, stderr).
tap_result() {
	local desc=$1 why=$2
	TAP_N=$((TAP_N + 1))
	if [[ -z $why ]]; then
		echo "ok $TAP_N - $desc"
		return 0
	fi
	echo "not ok $TAP_N - $desc"
	echo "# reason: $why"
	if [[ -n ${CMD:-} ]]; then
		echo "# command: $CMD"
		echo "# rc: $RC"
		echo "# stdout:"
		diag "$OUT"
		echo "# stderr:"
		diag "$ERR"
	fi
	return 1
}

# t_skip DESC REASON
t_skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

# t_ok DESC COMMAND...: passes when COMMAND succeeds.
t_ok() {
	local desc=$1
	shift
	if "$@"; then
		tap_result "$desc" ""
	else
		tap_result "$desc" "failed: $*"
	fi
}

# run_plugin ARGS...: runs the plugin once. Sets CMD, RC, OUT (stdout),
# ERR (stderr), OUT_LINES (stdout, one element a line) and ELAPSED_MS. A hung
# plugin is killed after 30 s, so that a bug cannot hang the suite.
run_plugin() {
	local start end
	printf -v CMD '%q ' "$PLUGIN" "$@"
	start=$(date +%s%N)
	OUT=$(timeout -k 2 30 "$PLUGIN" "$@" 2>"$T/stderr")
	RC=$?
	end=$(date +%s%N)
	# shellcheck disable=SC2034 # read by the scripts
	ELAPSED_MS=$(((end - start) / 1000000))
	ERR=$(<"$T/stderr")
	OUT_LINES=()
	if [[ -n $OUT ]]; then
		mapfile -t OUT_LINES <<<"$OUT"
	fi
}

# t_check DESC RC REGEX ARGS...: runs the plugin with ARGS and asserts its
# exit code, an extended regex on the first line of stdout, and that nothing
# went to stderr (the guidelines: stdout only).
t_check() {
	local desc=$1 want=$2 re=$3 why=""
	shift 3
	run_plugin "$@"
	[[ $RC == "$want" ]] || why="exit code $RC, expected $want"
	if ! [[ ${OUT_LINES[0]:-} =~ $re ]]; then
		why+="${why:+; }first line does not match: $re"
	fi
	if [[ -n $ERR ]]; then
		why+="${why:+; }output on stderr"
	fi
	tap_result "$desc" "$why"
}

# t_line DESC N REGEX: line N (1 is the first) of the last run's stdout
# matches REGEX.
t_line() {
	local desc=$1 n=$2 re=$3
	if [[ ${OUT_LINES[$((n - 1))]:-} =~ $re ]]; then
		tap_result "$desc" ""
	else
		tap_result "$desc" "line $n does not match: $re"
	fi
}

# t_out DESC REGEX: some line of the last run's stdout matches REGEX.
t_out() {
	local desc=$1 re=$2 line
	for line in "${OUT_LINES[@]}"; do
		if [[ $line =~ $re ]]; then
			tap_result "$desc" ""
			return
		fi
	done
	tap_result "$desc" "no line matches: $re"
}

# re_quote TEXT: TEXT as an extended regex that matches it literally.
re_quote() {
	local text=$1 out="" c i
	for ((i = 0; i < ${#text}; i++)); do
		c=${text:i:1}
		case $c in
		[][\\.*^\$+?\(\)\{\}\|]) out+="\\$c" ;;
		*) out+=$c ;;
		esac
	done
	printf '%s' "$out"
}

# ---------------------------------------------------------------- certificates

# tdate EXPR: a date(1) expression ("+20 days", "-3 hours", "2051-01-01")
# as a certtool template date.
tdate() {
	date -u -d "$1" '+%Y-%m-%d %H:%M:%S UTC'
}

# mk_cert NAME [options]: makes $T/NAME.key and $T/NAME.pem.
#   --ca             a CA certificate (otherwise a TLS server certificate)
#   --issuer CA      signed by $T/CA.{pem,key} (default: self-signed)
#   --key TYPE       rsa (2048), ecdsa (P-256, the default), ecdsa384, ed25519
#   --from EXPR      notBefore as a date(1) expression (default "-1 day")
#   --to EXPR        notAfter (default "+200 days")
#   --cn TEXT        subject CN (default NAME)
#   --san NAME       a DNS name or IP address; repeatable. Default for a
#                    server certificate: the CN.
#   --purpose WORD   the certtool key purpose of a leaf (default tls_www_server;
#                    ocsp_signing_key for a delegated OCSP responder)
#   --ocsp URL       the OCSP responder its Authority Information Access names
#   --crl URL        its CRL distribution point
#   --must-staple    the TLS feature status_request (RFC 7633)
#   --serial N       its serial number, in decimal (default: certtool's)
mk_cert() {
	local name=$1 ca=0 issuer="" key=ecdsa from="-1 day" to="+200 days" cn=$1
	local purpose=tls_www_server ocsp="" crl="" must_staple=0 serial=""
	local -a sans=() keyopts=()
	local tmpl="$T/$name.tmpl" san
	shift
	while (($#)); do
		case $1 in
		--ca) ca=1 ;;
		--issuer) issuer=$2; shift ;;
		--key) key=$2; shift ;;
		--from) from=$2; shift ;;
		--to) to=$2; shift ;;
		--cn) cn=$2; shift ;;
		--san) sans+=("$2"); shift ;;
		--purpose) purpose=$2; shift ;;
		--ocsp) ocsp=$2; shift ;;
		--crl) crl=$2; shift ;;
		--must-staple) must_staple=1 ;;
		--serial) serial=$2; shift ;;
		*) bail_out "mk_cert: unknown option $1" ;;
		esac
		shift
	done
	case $key in
	rsa) keyopts=(--key-type rsa --bits 2048) ;;
	ecdsa) keyopts=(--key-type ecdsa --curve secp256r1) ;;
	ecdsa384) keyopts=(--key-type ecdsa --curve secp384r1) ;;
	ed25519) keyopts=(--key-type ed25519) ;;
	*) bail_out "mk_cert: unknown key type $key" ;;
	esac
	certtool --generate-privkey "${keyopts[@]}" --outfile "$T/$name.key" \
		>/dev/null 2>"$T/certtool.err" ||
		bail_out "certtool cannot make the key of $name: $(<"$T/certtool.err")"
	{
		printf 'cn = "%s"\n' "$cn"
		printf 'activation_date = "%s"\n' "$(tdate "$from")"
		printf 'expiration_date = "%s"\n' "$(tdate "$to")"
		if ((ca)); then
			printf 'ca\ncert_signing_key\ncrl_signing_key\n'
		else
			printf '%s\nsigning_key\n' "$purpose"
			if [[ $key == rsa ]]; then
				printf 'encryption_key\n'
			fi
			if ((${#sans[@]} == 0)); then
				sans=("$cn")
			fi
		fi
		for san in "${sans[@]}"; do
			if [[ $san =~ ^[0-9.]+$ || $san == *:* ]]; then
				printf 'ip_address = "%s"\n' "$san"
			else
				printf 'dns_name = "%s"\n' "$san"
			fi
		done
		[[ -z $ocsp ]] || printf 'ocsp_uri = "%s"\n' "$ocsp"
		[[ -z $crl ]] || printf 'crl_dist_points = "%s"\n' "$crl"
		((must_staple == 0)) || printf 'tls_feature = 5\n'
		[[ -z $serial ]] || printf 'serial = %s\n' "$serial"
	} >"$tmpl"
	if [[ -z $issuer ]]; then
		certtool --generate-self-signed --load-privkey "$T/$name.key" \
			--template "$tmpl" --outfile "$T/$name.pem" >/dev/null 2>"$T/certtool.err"
	else
		certtool --generate-certificate --load-privkey "$T/$name.key" \
			--load-ca-privkey "$T/$issuer.key" --load-ca-certificate "$T/$issuer.pem" \
			--template "$tmpl" --outfile "$T/$name.pem" >/dev/null 2>"$T/certtool.err"
	fi || bail_out "certtool cannot make $name: $(<"$T/certtool.err")"
}

# mk_chain OUT CERT...: concatenates $T/CERT.pem ... into $T/OUT.pem
# (a server's certificate file: leaf first, then its intermediates).
mk_chain() {
	local out=$1 c
	shift
	for c in "$@"; do
		cat "$T/$c.pem"
	done >"$T/$out.pem"
}

# cert_end CERT: notAfter of $T/CERT.pem as the plugin prints it, read by openssl.
cert_end() {
	local end
	end=$(openssl x509 -in "$T/$1.pem" -noout -enddate) || return 1
	date -u -d "${end#notAfter=}" '+%Y-%m-%d %H:%M UTC'
}

# ---------------------------------------------------------------- pins

# The SHA-256 of the DER SubjectPublicKeyInfo of $T/CERT.pem, computed by
# openssl alone: never by the plugin whose output it checks.
spki_der() {
	openssl x509 -in "$T/$1.pem" -pubkey -noout | openssl pkey -pubin -outform der |
		openssl dgst -sha256 -binary
}

# spki_b64 CERT: the pin in base64 (44 characters).
spki_b64() {
	spki_der "$1" | base64 -w0
}

# spki_hex CERT: the pin as 64 lower-case hex digits.
spki_hex() {
	spki_der "$1" | od -An -v -tx1 | tr -d ' \n'
}

# spki_hex_colons CERT: the pin as 32 hex pairs joined by ':' (openssl/DANE style).
spki_hex_colons() {
	spki_hex "$1" | sed -e 's/../&:/g' -e 's/:$//'
}

# tlsa_hex CERT SELECTOR MTYPE: the association data of a TLSA record for
# $T/CERT.pem (selector 0 the certificate, 1 its SubjectPublicKeyInfo;
# matching type 0 the bytes, 1 SHA-256, 2 SHA-512) in hex, by openssl alone.
tlsa_hex() {
	local cert=$T/$1.pem
	{
		if [[ $2 == 0 ]]; then
			openssl x509 -in "$cert" -outform der
		else
			openssl x509 -in "$cert" -pubkey -noout | openssl pkey -pubin -outform der
		fi
	} | case $3 in
		0) cat ;;
		1) openssl dgst -sha256 -binary ;;
		2) openssl dgst -sha512 -binary ;;
	esac | od -An -v -tx1 | tr -d ' \n'
}

# ---------------------------------------------------------------- revocation

# index_line CERT V|R [REASON]: the line of an openssl CA database (the index
# of `openssl ocsp` and `openssl ca`) for $T/CERT.pem: valid, or revoked an
# hour ago for REASON (default keyCompromise).
index_line() {
	local end serial subject revoked=""
	end=$(openssl x509 -in "$T/$1.pem" -noout -enddate) || return 1
	end=$(date -u -d "${end#notAfter=}" '+%y%m%d%H%M%SZ')
	serial=$(openssl x509 -in "$T/$1.pem" -noout -serial)
	subject=$(openssl x509 -in "$T/$1.pem" -noout -subject -nameopt compat)
	if [[ $2 == R ]]; then
		revoked="$(date -u -d '-1 hour' '+%y%m%d%H%M%SZ'),${3:-keyCompromise}"
	fi
	printf '%s\t%s\t%s\t%s\tunknown\t%s\n' "$2" "$end" "$revoked" "${serial#serial=}" \
		"${subject#subject=}"
}

# ocsp_staple CERT ISSUER SIGNER INDEX OUT: the OCSP response about
# $T/CERT.pem that `openssl ocsp` makes as the responder of $T/ISSUER.pem
# from the database INDEX, signed by $T/SIGNER.{pem,key}, current for a
# day, into $T/OUT.der.
ocsp_staple() {
	openssl ocsp -issuer "$T/$2.pem" -cert "$T/$1.pem" -reqout "$T/$5.req" -no_nonce \
		>"$T/openssl.err" 2>&1 &&
		openssl ocsp -reqin "$T/$5.req" -index "$4" -CA "$T/$2.pem" -rsigner "$T/$3.pem" \
			-rkey "$T/$3.key" -ndays 1 -respout "$T/$5.der" >"$T/openssl.err" 2>&1 ||
		bail_out "openssl cannot make the OCSP response $5: $(<"$T/openssl.err")"
}

# crl_make ISSUER INDEX OUT [FROM TO]: the DER CRL of $T/ISSUER.{pem,key}
# that `openssl ca` makes from the database INDEX, into $T/OUT.crl;
# thisUpdate FROM and nextUpdate TO as date(1) expressions (default: an
# hour ago, a day ahead).
crl_make() {
	local from=${4:--1 hour} to=${5:-+1 day}
	printf '[ ca ]\ndefault_ca = own\n[ own ]\ndatabase = %s\ncrlnumber = %s\ndefault_md = sha256\n' \
		"$2" "$T/$3.crlnumber" >"$T/$3.cnf"
	echo 01 >"$T/$3.crlnumber"
	openssl ca -config "$T/$3.cnf" -gencrl -keyfile "$T/$1.key" -cert "$T/$1.pem" \
		-crl_lastupdate "$(date -u -d "$from" '+%Y%m%d%H%M%SZ')" \
		-crl_nextupdate "$(date -u -d "$to" '+%Y%m%d%H%M%SZ')" \
		-out "$T/$3.crl.pem" >"$T/openssl.err" 2>&1 &&
		openssl crl -in "$T/$3.crl.pem" -outform DER -out "$T/$3.crl" >"$T/openssl.err" 2>&1 ||
		bail_out "openssl cannot make the CRL $3: $(<"$T/openssl.err")"
}

# MK_OCSP: tests/integration/mk_ocsp, for a response no real responder
# makes on demand (see its header).
MK_OCSP=${TESTS_BUILDDIR:-$(dirname "${BASH_SOURCE[0]}")/..}/integration/mk_ocsp

# ---------------------------------------------------------------- servers

# find_sbin TOOL: TOOL's path; daemons live in /usr/sbin, which the PATH of
# a user who is not root may lack.
find_sbin() {
	local tool=$1
	if command -v "$tool" 2>/dev/null; then
		return 0
	fi
	[[ -x /usr/sbin/$tool ]] || return 1
	echo "/usr/sbin/$tool"
}


# port_open HOST PORT: something accepts TCP connections there.
port_open() {
	(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# free_port: prints a random port on which nothing listens on loopback.
free_port() {
	local i port
	for ((i = 0; i < 50; i++)); do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		if ! port_open 127.0.0.1 "$port" && ! port_open ::1 "$port"; then
			echo "$port"
			return 0
		fi
	done
	return 1
}

# A TCP server that accepts connections and never says a word; its log
# gets a line "accepted" for each connection.
SILENT_SERVER_PY='
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
print("ready", flush=True)
held = []
while True:
    held.append(s.accept()[0])
    print("accepted", flush=True)
'

# A scripted peer for what no real server does on demand: it plays a script
# to every client, one step a line:
#   send PYTHON-BYTES      e.g. send b"220 mx\r\n"
#   recv                   read one line from the client
#   recvn N                read N bytes from the client
#   recvraw N              read N bytes from the socket itself, none ahead:
#                          for a client that starts TLS right after sending
#                          them (MySQL), before any recv step
#   drip PYTHON-BYTES      send it one byte a second
#   flood N                send N bytes of "a" and no line end
#   hold                   keep the connection open, silent, for 30 s
#   tls CERT KEY           run the server side of a TLS handshake, then close
#   close                  close the connection
# and, for the hostile-peer suite (tests/hostile):
#   sendfile PATH          send the bytes of the file PATH as they are
#   recvrecord             read one TLS record from the client (e.g. its ClientHello)
#   reset                  close with a TCP RST (SO_LINGER 0) instead of a FIN
#   relay PORT RECORDS     connect to the TLS server on 127.0.0.1:PORT, pass it
#                          every byte the client sends, and pass back only the
#                          server's first RECORDS TLS records; then stay silent
#                          (30 s at most). Bytes an earlier recv step buffered
#                          are not passed on: use it first, or after a step
#                          the client answers only once it has read a reply
SCRIPTED_PEER_PY='
import ast, select, socket, ssl, struct, sys, threading, time
def relay(c, port, records):
    b = socket.create_connection(("127.0.0.1", port))
    buf, end = b"", time.time() + 30
    while time.time() < end:
        for r in select.select([c, b] if records else [c], [], [], 1)[0]:
            d = r.recv(65536)
            if not d: end = 0; break
            if r is c: b.sendall(d); continue
            buf += d
            while records and len(buf) >= 5 + int.from_bytes(buf[3:5], "big"):
                n = 5 + int.from_bytes(buf[3:5], "big")
                c.sendall(buf[:n]); buf = buf[n:]; records -= 1
    b.close()
steps = [l.split(" ", 1) for l in open(sys.argv[2]).read().splitlines() if l.strip()]
def play(c):
    f = c.makefile("rb")
    try:
        for step in steps:
            op, arg = step[0], (step[1] if len(step) > 1 else "")
            if op == "send": c.sendall(ast.literal_eval(arg))
            elif op == "recv": f.readline(65536)
            elif op == "recvn": f.read(int(arg))
            elif op == "recvraw":
                want = int(arg)
                while want > 0:
                    d = c.recv(want)
                    if not d: break
                    want -= len(d)
            elif op == "drip":
                for b in ast.literal_eval(arg):
                    c.sendall(bytes([b])); time.sleep(1)
            elif op == "flood": c.sendall(b"a" * int(arg))
            elif op == "hold": time.sleep(30)
            elif op == "tls":
                cert, key = arg.split()
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.load_cert_chain(cert, key)
                ctx.wrap_socket(c, server_side=True).close()
                return
            elif op == "close": break
            elif op == "sendfile": c.sendall(open(arg, "rb").read())
            elif op == "recvrecord":
                h = f.read(5)
                f.read(int.from_bytes(h[3:5], "big") if len(h) == 5 else 0)
            elif op == "reset":
                c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                break
            elif op == "relay":
                port, records = arg.split()
                relay(c, int(port), int(records))
                break
    except OSError:
        pass
    c.close()
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
print("ready", flush=True)
while True:
    c = s.accept()[0]
    threading.Thread(target=play, args=(c,), daemon=True).start()
'

# server_ready KIND PORT LOG: the server wrote that it listens on PORT. The
# server's own words matter: a probe alone could reach another script's server
# that took the port first.
server_ready() {
	local kind=$1 port=$2 log=$3
	case $kind in
	gnutls) grep -qs "IPv4 0.0.0.0 port $port\.\.\.done" "$log" ;;
	openssl) grep -qs '^ACCEPT' "$log" ;;
	silent | peer) grep -qs '^ready' "$log" ;;
	ocsp) grep -qs 'waiting for OCSP client connections' "$log" ;;
	nginx) [[ -s $T/nginx.$port/nginx.pid ]] ;;
	esac
}

# stop_server PID
stop_server() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# start_server KIND ARGS...: starts a server on a free port and stores the
# port in SERVER_PORT; its log is $T/server.PORT.log.
#   gnutls   gnutls-serv -p PORT ARGS (listens on all addresses, IPv4 and IPv6)
#   openssl  openssl s_server -accept 127.0.0.1:PORT -www ARGS
#   silent   the python3 listener above on 127.0.0.1:PORT (no ARGS)
#   peer     the scripted peer above on 127.0.0.1:PORT; ARGS: the script file
#   ocsp     openssl ocsp as a responder on PORT (all addresses); ARGS: the
#            database INDEX, the CA and the signer, names of $T/NAME.pem
#            (the signer's key $T/NAME.key); answers current for a day
#   nginx    nginx on 127.0.0.1:PORT, one process, from a private
#            configuration; ARGS: the directory it serves. Besides the
#            files: /status500/... answers 500, /garbage/... the file
#            garbage.bin, /to-ftp/... redirects to ftp://
# Waits at most 5 s for it to listen; tries up to 8 ports. With START_PORT
# set, only that port is tried (for a server whose URL had to be known
# before it could start, or a second address on the same port); with
# START_HOST, openssl listens on that loopback address instead.
start_server() {
	local kind=$1 try i port pid log=""
	shift
	for ((try = 0; try < 8; try++)); do
		if [[ -n ${START_PORT:-} ]]; then
			((try == 0)) || break
			port=$START_PORT
		else
			port=$(free_port) || continue
		fi
		log="$T/server.${START_HOST:+$START_HOST.}$port.log"
		case $kind in
		gnutls)
			gnutls-serv -p "$port" "$@" </dev/null >"$log" 2>&1 &
			;;
		openssl)
			openssl s_server -accept "${START_HOST:-127.0.0.1}:$port" -www "$@" \
				</dev/null >"$log" 2>&1 &
			;;
		silent)
			python3 -c "$SILENT_SERVER_PY" "$port" </dev/null >"$log" 2>&1 &
			;;
		peer)
			python3 -c "$SCRIPTED_PEER_PY" "$port" "$1" </dev/null >"$log" 2>&1 &
			;;
		ocsp)
			openssl ocsp -index "$1" -port "$port" -CA "$T/$2.pem" -rsigner "$T/$3.pem" \
				-rkey "$T/$3.key" -ndays 1 </dev/null >"$log" 2>&1 &
			;;
		nginx)
			nginx_config "$port" "$1"
			"$(find_sbin nginx)" -p "$T/nginx.$port" -c "$T/nginx.$port/nginx.conf" \
				-e "$T/nginx.$port/error.log" </dev/null >"$log" 2>&1 &
			;;
		*)
			bail_out "start_server: unknown kind $kind"
			;;
		esac
		pid=$!
		SERVER_PIDS+=("$pid")
		for ((i = 0; i < 100; i++)); do
			if ! kill -0 "$pid" 2>/dev/null || grep -qs 'bind() failed' "$log"; then
				break
			fi
			# openssl ocsp waits for ever on a connection that sends nothing,
			# such as the probe: its own words are the readiness there.
			if server_ready "$kind" "$port" "$log" &&
				{ [[ $kind == ocsp ]] || port_open "${START_HOST:-127.0.0.1}" "$port"; }; then
				# shellcheck disable=SC2034 # read by the scripts
				SERVER_PORT=$port
				return 0
			fi
			sleep 0.05
		done
		stop_server "$pid"
		unset 'SERVER_PIDS[-1]'
	done
	bail_out "cannot start a $kind server: $(cat "$log" 2>/dev/null)"
}

# nginx_config PORT ROOT: the private configuration of an nginx that serves
# ROOT on 127.0.0.1:PORT, in the foreground, one process (as the user that
# starts it), every file it writes under $T/nginx.PORT; its access log
# there is access.log.
nginx_config() {
	local dir=$T/nginx.$1
	mkdir -p "$dir/tmp"
	cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 64; }
http {
	access_log $dir/access.log;
	client_body_temp_path $dir/tmp/body;
	proxy_temp_path $dir/tmp/proxy;
	fastcgi_temp_path $dir/tmp/fastcgi;
	uwsgi_temp_path $dir/tmp/uwsgi;
	scgi_temp_path $dir/tmp/scgi;
	default_type application/octet-stream;
	server {
		listen 127.0.0.1:$1;
		root $2;
		location /status500/ { return 500; }
		location /garbage/ { rewrite ^ /garbage.bin break; }
		location /to-ftp/ { return 302 ftp://127.0.0.1/x; }
	}
}
EOF
}

# server_log PORT: the path of the log of the server on PORT.
server_log() {
	echo "$T/server.$1.log"
}

# ipv6_loopback PORT: a server on PORT answers on [::1].
ipv6_loopback() {
	port_open ::1 "$1"
}
