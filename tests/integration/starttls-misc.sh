#!/bin/bash
# STARTTLS against the real servers Debian packages for file transfer and
# chat: vsftpd (FTP AUTH TLS, RFC 4217) and prosody (XMPP client-to-server and
# server-to-server, RFC 6120). NNTP is proven in starttls-peers.sh: Debian's
# only NNTP server with STARTTLS is INN, whose package fails to configure on a
# host whose name has no domain, which would break the quick start.
# Each runs twice from a private configuration in $T, on free loopback ports:
# once with its certificate, once without TLS. Nothing under /etc is
# changed, and no system instance is used, started or stopped.
#
# The expected pins are computed by openssl (lib.sh spki_*), never by the plugin.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/integration/lib.sh"
require_tools certtool openssl

VSFTPD=/usr/sbin/vsftpd
[[ -x $VSFTPD ]] || skip_all "vsftpd is not installed (Debian package vsftpd)"
command -v prosody >/dev/null 2>&1 || skip_all "prosody is not installed (Debian package prosody)"
# vsftpd starts as root and drops to its own user.
((EUID == 0)) || skip_all "vsftpd needs to be started as root"

D=test.example
FTP=ftp.$D
XMPP=xmpp.$D
CHAT=chat.$D

mk_cert root --ca --to "+3650 days" --cn "STARTTLS Misc Test Root"
# vsftpd loads only RSA (or DSA) keys.
mk_cert ftp --issuer root --key rsa --cn "$FTP"
# chat.$D is a name of the certificate but not a host of the XMPP server.
mk_cert xmpp --issuer root --cn "$XMPP" --san "$XMPP" --san "$CHAT"
mk_cert stranger --cn "stranger.$D"
ROOT=$T/root.pem

FTP_PIN=$(spki_b64 ftp)
XMPP_PIN=$(spki_b64 xmpp)
WRONG_PIN=$(spki_b64 stranger)
for p in "$FTP_PIN" "$XMPP_PIN" "$WRONG_PIN"; do
	[[ ${#p} == 44 ]] || bail_out "openssl gave a pin of ${#p} characters: $p"
done

# ---------------------------------------------------------------- daemons

# listens PID PORT: process PID holds a socket listening on 127.0.0.1:PORT.
# Asks the kernel (/proc/net/tcp, state 0A, matched by socket inode) rather
# than probing the port, which another script's server may have taken first.
listens() {
	local pid=$1 want fd link addr st inode
	local -A mine=()
	printf -v want '0100007F:%04X' "$2"
	for fd in /proc/"$pid"/fd/*; do
		link=$(readlink "$fd" 2>/dev/null) || continue
		if [[ $link =~ ^socket:\[([0-9]+)\]$ ]]; then
			mine[${BASH_REMATCH[1]}]=1
		fi
	done
	while read -r _ addr _ st _ _ _ _ _ inode _; do
		if [[ $addr == "$want" && $st == 0A && -n ${mine[$inode]:-} ]]; then
			return 0
		fi
	done </proc/net/tcp
	return 1
}

# spawn NAME NPORTS SETUP: starts a daemon in the foreground on NPORTS free
# loopback ports, stored in PORTS. SETUP NAME PORT... writes its private
# configuration and sets DAEMON to its command line; its output goes to
# $T/NAME.out. Ready when it listens on every port; a daemon that dies first
# (a port taken meanwhile) is retried on other ports, up to 8 times, each
# waited for at most 15 s. It is stopped by lib.sh on exit, like start_server's.
PORTS=()
DAEMON=()
spawn() {
	local name=$1 n=$2 setup=$3 try i p pid up
	for ((try = 0; try < 8; try++)); do
		PORTS=()
		while ((${#PORTS[@]} < n)); do
			p=$(free_port) || bail_out "no free loopback port for $name"
			if [[ " ${PORTS[*]} " != *" $p "* ]]; then
				PORTS+=("$p")
			fi
		done
		"$setup" "$name" "${PORTS[@]}"
		"${DAEMON[@]}" </dev/null >"$T/$name.out" 2>&1 &
		pid=$!
		SERVER_PIDS+=("$pid")
		for ((i = 0; i < 300; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			up=1
			for p in "${PORTS[@]}"; do
				listens "$pid" "$p" || up=0
			done
			((up)) && return 0
			sleep 0.05
		done
		stop_server "$pid"
		unset 'SERVER_PIDS[-1]'
	done
	bail_out "cannot start $name (${DAEMON[*]}): $(tail -n 20 "$T/$name.out" 2>/dev/null)"
}

# vsftpd_setup NAME PORT: vsftpd on 127.0.0.1:PORT; NAME ftp-tls serves the
# ftp certificate, anything else has ssl_enable=NO. Anonymous access is on
# only because vsftpd drops every connection ("500 OOPS") when no login
# method is enabled; nobody logs in, and its root is an empty directory.
# shellcheck disable=SC2317 # called through spawn
vsftpd_setup() {
	local name=$1 port=$2
	mkdir -p "$T/empty"
	chmod 755 "$T/empty"
	{
		cat <<-EOF
			listen=YES
			listen_ipv6=NO
			listen_address=127.0.0.1
			listen_port=$port
			background=NO
			anonymous_enable=YES
			ftp_username=nobody
			anon_root=$T/empty
			local_enable=NO
			write_enable=NO
			secure_chroot_dir=$T/empty
			xferlog_enable=NO
			vsftpd_log_file=$T/$name.vsftpd.log
		EOF
		if [[ $name == ftp-tls ]]; then
			cat <<-EOF
				ssl_enable=YES
				rsa_cert_file=$T/ftp.pem
				rsa_private_key_file=$T/ftp.key
			EOF
		else
			echo "ssl_enable=NO"
		fi
	} >"$T/$name.conf"
	DAEMON=("$VSFTPD" "$T/$name.conf")
}

# prosody_setup NAME C2S_PORT S2S_PORT: prosody with the virtual host $XMPP;
# NAME xmpp-tls loads mod_tls with the xmpp certificate, anything else has
# neither mod_tls nor certificates and allows unencrypted streams, so that it
# offers stream features without <starttls/>.
# shellcheck disable=SC2317 # called through spawn
prosody_setup() {
	local name=$1 c2s=$2 s2s=$3 dir=$T/$1
	mkdir -p "$dir/data" "$dir/certs"
	{
		cat <<-EOF
			pidfile = "$dir/prosody.pid"
			data_path = "$dir/data"
			certificates = "$dir/certs"
			run_as_root = true
			interfaces = { "127.0.0.1" }
			c2s_ports = { $c2s }
			s2s_ports = { $s2s }
			c2s_direct_tls_ports = { }
			s2s_direct_tls_ports = { }
			legacy_ssl_ports = { }
			log = { debug = "$T/$name.log" }
		EOF
		if [[ $name == xmpp-tls ]]; then
			cat <<-EOF
				modules_enabled = { "tls"; "saslauth"; "dialback"; "disco" }
				VirtualHost "$XMPP"
				    ssl = { certificate = "$T/xmpp.pem"; key = "$T/xmpp.key" }
			EOF
		else
			cat <<-EOF
				c2s_require_encryption = false
				s2s_require_encryption = false
				modules_enabled = { "saslauth"; "dialback"; "disco" }
				VirtualHost "$XMPP"
			EOF
		fi
	} >"$dir/prosody.cfg.lua"
	DAEMON=(prosody --config "$dir/prosody.cfg.lua" -F)
}

spawn ftp-tls 1 vsftpd_setup
FTP_PORT=${PORTS[0]}
spawn ftp-plain 1 vsftpd_setup
FTP_PLAIN=${PORTS[0]}
spawn xmpp-tls 2 prosody_setup
C2S_PORT=${PORTS[0]}
S2S_PORT=${PORTS[1]}
spawn xmpp-plain 2 prosody_setup
C2S_PLAIN=${PORTS[0]}
S2S_PLAIN=${PORTS[1]}

# ---------------------------------------------------------------- checks

# The verdicts on NAME:PORT, as the direct-TLS checks print them.
ok_pinned() {
	echo "^TLS_PIN OK - $(re_quote "$1:$2") \(127\.0\.0\.1\) expires in [^,|]*, key pinned \(leaf\) \| days="
}
not_pinned() {
	echo "^TLS_PIN CRITICAL - $(re_quote "$1:$2") \(127\.0\.0\.1\) expires in [^,|]*, key NOT pinned, served sha256/$(re_quote "$3") \| days="
}
no_tls() {
	echo "^TLS_PIN CRITICAL - $(re_quote "$1:$2") \(127\.0\.0\.1\): no TLS: [^|]+"
}

# st DESC RC REGEX NAME PORT PROTO ARGS...: t_check of NAME on
# 127.0.0.1:PORT upgraded by --starttls PROTO, verified against the test root.
st() {
	local desc=$1 rc=$2 re=$3 name=$4 port=$5 proto=$6
	shift 6
	t_check "$desc" "$rc" "$re" \
		-H "$name" -I 127.0.0.1 -p "$port" --starttls "$proto" --ca-file "$ROOT" "$@"
}
# stream_attr NAME VALUE: the stream header the client sent (after an XML
# declaration, if any) has the attribute NAME='VALUE', in either quotes.
stream_attr() {
	echo "^C: (<\\?xml [^>]*>)?<stream:stream [^>]*$1=['\"]$(re_quote "$2")['\"]"
}

# --- FTP: vsftpd, AUTH TLS (RFC 4217 section 4)
st "ftp: vsftpd, right pin: OK" 0 "$(ok_pinned "$FTP" "$FTP_PORT")" \
	"$FTP" "$FTP_PORT" ftp -P "sha256/$FTP_PIN" -v
t_out "ftp: -v shows the client's AUTH TLS" '^C: AUTH TLS$'
t_out "ftp: -v shows vsftpd's 234 go-ahead" '^S: 234 '
st "ftp: vsftpd, wrong pin: CRITICAL, shows the served pin" 2 \
	"$(not_pinned "$FTP" "$FTP_PORT" "$FTP_PIN")" \
	"$FTP" "$FTP_PORT" ftp -P "sha256/$WRONG_PIN"
st "ftp: vsftpd with ssl_enable=NO: CRITICAL, no TLS" 2 "$(no_tls "$FTP" "$FTP_PLAIN")" \
	"$FTP" "$FTP_PLAIN" ftp -P "sha256/$FTP_PIN" -v
t_out "ftp: -v shows vsftpd refusing AUTH TLS" '^S: 5[0-9][0-9] '

# --- XMPP client to server: prosody (RFC 6120 section 5.4)
st "xmpp: prosody c2s, right pin: OK" 0 "$(ok_pinned "$XMPP" "$C2S_PORT")" \
	"$XMPP" "$C2S_PORT" xmpp -P "sha256/$XMPP_PIN" -v
t_out "xmpp: -v shows a jabber:client stream" "$(stream_attr xmlns jabber:client)"
t_out "xmpp: the stream's to= defaults to the -H name" "$(stream_attr to "$XMPP")"
t_out "xmpp: -v shows prosody's <proceed/>" \
	"^S: .*<proceed xmlns=['\"]urn:ietf:params:xml:ns:xmpp-tls['\"]"
st "xmpp: prosody c2s, wrong pin: CRITICAL, shows the served pin" 2 \
	"$(not_pinned "$XMPP" "$C2S_PORT" "$XMPP_PIN")" \
	"$XMPP" "$C2S_PORT" xmpp -P "sha256/$WRONG_PIN"
st "xmpp: prosody c2s without mod_tls: CRITICAL, no TLS" 2 "$(no_tls "$XMPP" "$C2S_PLAIN")" \
	"$XMPP" "$C2S_PLAIN" xmpp -P "sha256/$XMPP_PIN" -v
t_out "xmpp: -v shows the stream features prosody offered instead" '^S: .*<stream:features>'

# --xmpp-domain: -H names the certificate, the stream goes to the XMPP domain.
st "xmpp: -H $CHAT --xmpp-domain $XMPP: OK" 0 "$(ok_pinned "$CHAT" "$C2S_PORT")" \
	"$CHAT" "$C2S_PORT" xmpp --xmpp-domain "$XMPP" -P "sha256/$XMPP_PIN" -v
t_out "xmpp: --xmpp-domain sets the stream's to=" "$(stream_attr to "$XMPP")"
st "xmpp: -H $CHAT alone, not a prosody host: CRITICAL, host-unknown" 2 \
	"^TLS_PIN CRITICAL - $(re_quote "$CHAT:$C2S_PORT") \(127\.0\.0\.1\): [^|]*host-unknown" \
	"$CHAT" "$C2S_PORT" xmpp -P "sha256/$XMPP_PIN" -v
t_out "xmpp: without --xmpp-domain the stream's to= is the -H name" "$(stream_attr to "$CHAT")"

# --- XMPP server to server: prosody (RFC 6120 section 5.4, jabber:server)
st "xmpp-server: prosody s2s, right pin: OK" 0 "$(ok_pinned "$XMPP" "$S2S_PORT")" \
	"$XMPP" "$S2S_PORT" xmpp-server -P "sha256/$XMPP_PIN" -v
t_out "xmpp-server: -v shows a jabber:server stream" "$(stream_attr xmlns jabber:server)"
t_out "xmpp-server: the stream's to= is the -H name" "$(stream_attr to "$XMPP")"
st "xmpp-server: prosody s2s, wrong pin: CRITICAL, shows the served pin" 2 \
	"$(not_pinned "$XMPP" "$S2S_PORT" "$XMPP_PIN")" \
	"$XMPP" "$S2S_PORT" xmpp-server -P "sha256/$WRONG_PIN"
st "xmpp-server: prosody s2s without mod_tls: CRITICAL, no TLS" 2 \
	"$(no_tls "$XMPP" "$S2S_PLAIN")" \
	"$XMPP" "$S2S_PLAIN" xmpp-server -P "sha256/$XMPP_PIN" -v
t_out "xmpp-server: -v shows the stream features prosody offered instead" \
	'^S: .*<stream:features><dialback '
st "xmpp-server: --xmpp-domain sets the stream's to=" 0 "$(ok_pinned "$CHAT" "$S2S_PORT")" \
	"$CHAT" "$S2S_PORT" xmpp-server --xmpp-domain "$XMPP" -P "sha256/$XMPP_PIN" -v
t_out "xmpp-server: the stream goes to --xmpp-domain" "$(stream_attr to "$XMPP")"

done_testing
