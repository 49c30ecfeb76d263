#!/bin/bash
# Hostile local files given to --file (and to --ca-file and --pin-file):
# empty, truncated, binary garbage, 100 MiB (sparse, refused without being
# read whole), symlinks (to a certificate, dangling, looping, to a device,
# to a directory), a FIFO, PEM with junk between its certificates, and file
# names with '|' and a newline; and the same for --app-config, with one
# nested 100000 deep. A file the plugin cannot use is UNKNOWN,
# fast, with the name escaped; junk between PEM certificates is ignored.
#
# Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.

# shellcheck source-path=SCRIPTDIR source=common.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/hostile/common.sh"
h_require python3 certtool openssl

mk_cert root --ca --to "+3650 days" --cn "Files Test Root"
mk_cert leaf --issuer root --cn files.test.example
mk_chain chain leaf root
openssl x509 -in "$T/leaf.pem" -outform der -out "$T/leaf.der" || bail_out "openssl cannot write DER"

: >"$T/empty.pem"
# PEM cut in the middle of its base64, and a chain whose second certificate is cut.
head -c 300 "$T/leaf.pem" >"$T/cut.pem"
{ cat "$T/leaf.pem"; head -c 300 "$T/root.pem"; } >"$T/cut2.pem"
# DER cut in half.
head -c "$(($(stat -c %s "$T/leaf.der") / 2))" "$T/leaf.der" >"$T/cut.der"
# Binary garbage, the same every run; and garbage behind a PEM header.
python3 -c 'import random, sys; random.seed(7); sys.stdout.buffer.write(bytes(random.randrange(256) for _ in range(8192)))' \
	>"$T/garbage.bin"
{ printf -- '-----BEGIN CERTIFICATE-----\n'; head -c 2000 "$T/garbage.bin"; printf -- '\n-----END CERTIFICATE-----\n'; } \
	>"$T/garbage.pem"
{ printf -- '-----BEGIN CERTIFICATE-----\n'; printf 'QUJD%.0s' {1..200}; printf -- '\n-----END CERTIFICATE-----\n'; } \
	>"$T/notder.pem"
# 100 MiB without using the disk; and the same with a good certificate first.
truncate -s 100M "$T/huge.pem"
cp "$T/leaf.pem" "$T/hugecert.pem"
truncate -s 100M "$T/hugecert.pem"
# Junk around and between the certificates: text, binary bytes, another PEM
# type, CR LF line ends.
{
	printf 'Bag Attributes\n    friendlyName: leaf |days=1;2\n'
	sed 's/$/\r/' "$T/leaf.pem"
	head -c 512 "$T/garbage.bin"
	printf '\n-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n'
	printf 'subject=/CN=Files Test Root\x1b[31m\n'
	cat "$T/root.pem"
	printf 'trailing text\n'
} >"$T/junk.pem"
# A chain with an undecodable CERTIFICATE block between its certificates.
{ cat "$T/leaf.pem" "$T/notder.pem" "$T/root.pem"; } >"$T/badblock.pem"
# Symbolic links and special files.
ln -s "$T/chain.pem" "$T/link.pem"
ln -s "$T/missing.pem" "$T/dangling.pem"
ln -s "$T/loop2.pem" "$T/loop1.pem"
ln -s "$T/loop1.pem" "$T/loop2.pem"
ln -s /dev/zero "$T/zero.pem"
ln -s "$T" "$T/dir.pem"
mkfifo "$T/fifo.pem" || bail_out "cannot make a FIFO"
# A file name with '|', a newline and an escape sequence.
WEIRD="$T/a|b;c=d"$'\n'"TLS_PIN OK - x"$'\e'"[2J.pem"
cp "$T/leaf.pem" "$WEIRD"
# A pin file of 100 MiB, and a CA file of garbage.
truncate -s 100M "$T/huge.pins"
# App configurations: 100 MiB, nested 100000 deep, and under a hostile name.
truncate -s 100M "$T/huge.xml"
python3 -c 'import sys; sys.stdout.write("<plist>" + "<array>" * 100000)' >"$T/deep.plist"
printf '<network-security-config/>\n' >"$WEIRD.xml"

Q() { re_quote "$T/$1"; }
# shellcheck disable=SC2016 # the regexes hold no shell expansion
{
h_case "an empty file: UNKNOWN" 3 "^TLS_PIN UNKNOWN - $(Q empty.pem): the certificate file is empty \| time=" \
	--file "$T/empty.pem"
h_case "PEM cut inside its base64: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - $(Q cut.pem): no readable certificate in the file: [^|]+ \| time=" --file "$T/cut.pem"
h_case "a PEM chain whose second certificate is cut: UNKNOWN, not a shorter chain" 3 \
	"^TLS_PIN UNKNOWN - $(Q cut2.pem): [^|]+ \| time=" --file "$T/cut2.pem"
h_case "DER cut in half: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - $(Q cut.der): no readable certificate in the file: [^|]+ \| time=" --file "$T/cut.der"
h_case "binary garbage: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - $(Q garbage.bin): no readable certificate in the file: [^|]+ \| time=" \
	--file "$T/garbage.bin"
h_case "binary garbage inside PEM armour: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - $(Q garbage.pem): no readable certificate in the file: [^|]+ \| time=" \
	--file "$T/garbage.pem"
h_case "base64 that is not DER inside PEM armour: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - $(Q notder.pem): no readable certificate in the file: [^|]+ \| time=" \
	--file "$T/notder.pem"
h_case "100 MiB (sparse): UNKNOWN at once, never read whole" 3 \
	"^TLS_PIN UNKNOWN - $(Q huge.pem): certificate file $(Q huge.pem) is larger than 4096 KiB \| time=" \
	--file "$T/huge.pem"
h_case "100 MiB starting with a good certificate: UNKNOWN, refused" 3 \
	"^TLS_PIN UNKNOWN - $(Q hugecert.pem): certificate file $(Q hugecert.pem) is larger than 4096 KiB \| time=" \
	--file "$T/hugecert.pem"
h_case "PEM with text, binary bytes, a key block and CR LF around its certificates: OK" 0 \
	"^TLS_PIN OK - $(Q junk.pem) expires in " --file "$T/junk.pem" -v
t_line "-v: the leaf, at depth 0" 2 '^depth 0: subject "CN=files\.test\.example", issuer "CN=Files Test Root", '
t_line "-v: the root, at depth 1" 3 '^depth 1: subject "CN=Files Test Root", issuer "CN=Files Test Root", '
h_case "the junk PEM verified against its root: OK, the chain intact" 0 \
	"^TLS_PIN OK - $(Q junk.pem) expires in " --file "$T/junk.pem" --ca-file "$T/root.pem" -H files.test.example
h_case "an undecodable CERTIFICATE block between two certificates: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - $(Q badblock.pem): [^|]+ \| time=" --file "$T/badblock.pem"

h_case "a symlink to a chain: followed, OK" 0 "^TLS_PIN OK - $(Q link.pem) expires in " --file "$T/link.pem"
h_case "a dangling symlink: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - cannot open certificate file $(Q dangling.pem): No such file or directory$" \
	--file "$T/dangling.pem"
h_case "a symlink loop: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - cannot open certificate file $(Q loop1.pem): Too many levels of symbolic links$" \
	--file "$T/loop1.pem"
h_case "a symlink to /dev/zero: UNKNOWN at once, not an endless read" 3 \
	"^TLS_PIN UNKNOWN - cannot read certificate file $(Q zero.pem): not a regular file$" \
	--file "$T/zero.pem"
h_case "a symlink to a directory: UNKNOWN" 3 \
	"^TLS_PIN UNKNOWN - cannot read certificate file $(Q dir.pem): it is a directory$" \
	--file "$T/dir.pem"
h_case "a FIFO without a writer: UNKNOWN at once, never waited on" 3 \
	"^TLS_PIN UNKNOWN - cannot read certificate file $(Q fifo.pem): not a regular file$" \
	--file "$T/fifo.pem"
h_case "/dev/urandom: UNKNOWN at once" 3 \
	"^TLS_PIN UNKNOWN - cannot read certificate file /dev/urandom: not a regular file$" \
	--file /dev/urandom
h_case "a file name with '|', ';', '=', a newline and ESC: OK, the name escaped" 0 \
	"^TLS_PIN OK - $(re_quote "$T/a\\x7cb;c=d\\x0aTLS_PIN OK - x\\x1b[2J.pem") expires in " --file "$WEIRD"
h_case "the same name, a missing file: UNKNOWN, the name escaped in the error too" 3 \
	"^TLS_PIN UNKNOWN - cannot open certificate file $(re_quote "$T/a\\x7cb;c=d\\x0aTLS_PIN OK - x\\x1b[2J.pem").missing: No such file or directory$" \
	--file "$WEIRD.missing"

h_case "a pin file of 100 MiB: UNKNOWN at once" 3 "^TLS_PIN UNKNOWN - [^|]*$(Q huge.pins)[^|]* larger than [^|]*" \
	--file "$T/leaf.pem" --pin-file "$T/huge.pins"
h_case "a pin file that is /dev/zero: UNKNOWN at once" 3 "^TLS_PIN UNKNOWN - [^|]*/dev/zero[^|]*not a regular file" \
	--file "$T/leaf.pem" --pin-file /dev/zero
h_case "a pin file of binary garbage: UNKNOWN" 3 "^TLS_PIN UNKNOWN - [^|]*$(Q garbage.bin)" \
	--file "$T/leaf.pem" --pin-file "$T/garbage.bin"
h_case "a CA file of binary garbage: UNKNOWN" 3 "^TLS_PIN UNKNOWN - [^|]*$(Q garbage.bin)" \
	--file "$T/leaf.pem" --ca-file "$T/garbage.bin"
h_case "an app config of 100 MiB: UNKNOWN at once" 3 \
	"^TLS_PIN UNKNOWN - app config $(Q huge.xml) is larger than 1024 KiB" \
	--file "$T/leaf.pem" -H files.test.example --app-config "$T/huge.xml"
h_case "an app config that is /dev/zero: UNKNOWN at once" 3 \
	"^TLS_PIN UNKNOWN - [^|]*/dev/zero[^|]*not a regular file" \
	--file "$T/leaf.pem" -H files.test.example --app-config /dev/zero
h_case "an app config that is a FIFO: UNKNOWN at once" 3 "^TLS_PIN UNKNOWN - [^|]*not a regular file" \
	--file "$T/leaf.pem" -H files.test.example --app-config "$T/fifo.pem"
h_case "an app config of binary garbage: UNKNOWN, the file and a line" 3 \
	"^TLS_PIN UNKNOWN - $(Q garbage.bin):[0-9]+: " \
	--file "$T/leaf.pem" -H files.test.example --app-config "$T/garbage.bin"
h_case "an app config nested 100000 deep: UNKNOWN, memory bounded" 3 \
	"^TLS_PIN UNKNOWN - $(Q deep.plist):1: " \
	--file "$T/leaf.pem" -H files.test.example --app-config "$T/deep.plist"
h_case "an app config under a hostile name: UNKNOWN, the name escaped" 3 \
	"^TLS_PIN UNKNOWN - $(re_quote "$T/a\\x7cb;c=d\\x0aTLS_PIN OK - x\\x1b[2J.pem.xml"): no domain-config applies to files\.test\.example" \
	--file "$T/leaf.pem" -H files.test.example --app-config "$WEIRD.xml"
# Like the certificate and pin files, a CA file is refused, not loaded whole.
h_case "a CA file of 100 MiB: UNKNOWN at once, memory bounded" 3 "^TLS_PIN UNKNOWN - [^|]*$(Q huge.pem)" \
	--file "$T/leaf.pem" --ca-file "$T/huge.pem"
h_case "a CA file that is a FIFO: UNKNOWN at once" 3 "^TLS_PIN UNKNOWN - [^|]*not a regular file" \
	--file "$T/leaf.pem" --ca-file "$T/fifo.pem"
}

done_testing
