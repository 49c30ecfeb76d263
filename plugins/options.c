/*
 * check_tls_pin - command line.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "file.h"
#include "net.h"
#include "options.h"

#define DEFAULT_PORT 443
#define DEFAULT_TIMEOUT 10.0
#define MAX_TIMEOUT 3600.0
#define NAME_MAX_LEN 253	/* RFC 1035 2.3.4, without the trailing dot */

const char options_usage[] =
	"Usage: check_tls_pin -H HOST [-p PORT] [-I ADDRESS]... [--all-addresses] [-4|-6]\n"
	"                     [--sni NAME | --no-sni] [--max-validity[=DAYS]]\n"
	"                     [--starttls PROTO [--ehlo NAME] [--xmpp-domain NAME]]\n"
	"                     [-w THRESHOLD] [-c THRESHOLD] [-C WARN[,CRIT]] [--check-chain]\n"
	"                     [-P PIN]... [--pin-file FILE] [--pin-scope chain|leaf]\n"
	"                     [--app-config FILE]... [--pin-expiry-warning DAYS]\n"
	"                     [--require-backup-pin] [--ca-file FILE] [--no-verify]\n"
	"                     [--dane [--dns-server ADDR[@PORT]] [--dnssec-anchor FILE]]\n"
	"                     [--revocation[=HOW]] [--revocation-unavailable STATE]\n"
	"                     [--crl-cache DIR]\n"
	"                     [--priority STRING] [-t SECONDS[:STATE]]\n"
	"                     [--print-pins [--format FORMAT]] [--print-tlsa] [-v]...\n"
	"       check_tls_pin --file CERTS [expiry, pin and --ca-file options] [-H NAME]\n"
	"       check_tls_pin -h | -V\n";

const char options_help[] =
	"Checks the certificate a TLS server presents: the time left until it expires,\n"
	"whether it is trusted, and whether its public key is one the clients pin.\n"
	"\n"
	"Connection:\n"
	" -H, --hostname=HOST     server name or IP address; also the name sent as SNI\n"
	"                         and the name the certificate must be valid for\n"
	" -p, --port=PORT         TCP port (default 443)\n"
	" -I, --ip-address=ADDR   connect to the IP address ADDR instead of resolving\n"
	"                         HOST (one node behind a load balancer); SNI and the\n"
	"                         name check still use HOST\n"
	"                         Repeated, every address given is checked\n"
	"     --all-addresses     check every address of HOST (A and AAAA, or those of\n"
	"                         -4/-6), at the same time; the worst result counts\n"
	" -4, --ipv4              use only IPv4 addresses\n"
	" -6, --ipv6              use only IPv6 addresses\n"
	"     --sni=NAME          send and verify NAME instead of HOST\n"
	"     --no-sni            send no server name (the name is still verified)\n"
	"     --priority=STRING   GnuTLS priority string, e.g. to get the RSA certificate\n"
	"                         of a server that also has an ECDSA one:\n"
	"                         NORMAL:-SIGN-ALL:+SIGN-RSA-PSS-RSAE-SHA256:+SIGN-RSA-SHA256\n"
	" -t, --timeout=SECONDS[:STATE]\n"
	"                         one deadline for resolve, connect, STARTTLS, handshake,\n"
	"                         the TLSA lookup of --dane and revocation fetches\n"
	"                         (default 10); STATE is the result when it passes\n"
	"                         before the handshake is done: ok, warning,\n"
	"                         critical (default) or unknown (a fetch it cuts\n"
	"                         short is no answer: --revocation-unavailable)\n"
	"     --starttls=PROTO    speak PROTO in plaintext first and upgrade to TLS:\n"
	"                         smtp, lmtp, imap, pop3, sieve, ftp, ldap, postgres,\n"
	"                         mysql, nntp, xmpp, xmpp-server (names in any case);\n"
	"                         without -p, the protocol's port (25, 24, 143, 110,\n"
	"                         4190, 21, 389, 5432, 3306, 119, 5222, 5269). A server\n"
	"                         that does not offer TLS is CRITICAL; there is no\n"
	"                         plaintext fallback\n"
	"     --ehlo=NAME         the name SMTP/LMTP greet with (default: this host's)\n"
	"     --xmpp-domain=NAME  the XMPP stream's 'to' (default: HOST)\n"
	"\n"
	"Expiry:\n"
	" -w, --warning=THRESHOLD WARNING when the time left is at or below THRESHOLD\n"
	" -c, --critical=THRESHOLD\n"
	"                         CRITICAL when the time left is at or below THRESHOLD\n"
	"                         THRESHOLD: days (\"21\", \"0.5\"), a duration with a unit\n"
	"                         s, m, h, d or w (\"36h\", \"90m\", \"2w\"), or a share of\n"
	"                         the certificate's whole lifetime (\"33%\").\n"
	"                         A -w below -c is refused when both are durations;\n"
	"                         with a share on either side they are compared per\n"
	"                         certificate, and one where -w comes out below -c\n"
	"                         goes from OK to CRITICAL with no WARNING.\n"
	"                         Defaults: WARNING at min(30d, 1/3 of the lifetime),\n"
	"                         CRITICAL at min(14d, 1/6 of the lifetime). A default\n"
	"                         that would hide the one threshold given gives way:\n"
	"                         with -w alone at or below the default CRITICAL,\n"
	"                         CRITICAL comes only with expiry; with -c alone above\n"
	"                         the default WARNING, WARNING moves up to -c, so no\n"
	"                         WARNING comes before CRITICAL.\n"
	" -C, --certificate=WARN[,CRIT]\n"
	"                         check_http's spelling, in days; without CRIT,\n"
	"                         CRITICAL only once expired; WARN below CRIT is refused\n"
	"     --check-chain       apply the thresholds to every certificate on the\n"
	"                         path (a self-signed root excepted), and check the\n"
	"                         revocation of each too\n"
	"     --max-validity[=DAYS]\n"
	"                         WARNING when the leaf's whole validity is longer\n"
	"                         than DAYS, or than the CA/Browser Forum limit for\n"
	"                         its issuance date (398 days before 2026-03-15, 200\n"
	"                         from then, 100 from 2027-03-15, 47 from 2029-03-15).\n"
	"                         DAYS may also follow as the next argument, as in\n"
	"                         \"--max-validity 30\", unless it starts with '-':\n"
	"                         that is the next option, and the schedule applies\n"
	"An expired or not yet valid certificate is always CRITICAL.\n"
	"\n"
	"Pins (SHA-256 of the SubjectPublicKeyInfo):\n"
	" -P, --pin=PIN[;PIN...]  a pin the clients carry; repeatable. Spellings:\n"
	"                         sha256/BASE64, sha256//BASE64, pin-sha256=\"BASE64\",\n"
	"                         pin-sha256:BASE64, BASE64, or 64 hex digits (colons\n"
	"                         allowed); several separated by ',' or ';' (in\n"
	"                         Nagios object files ';' starts a comment: use ',')\n"
	"     --pin-file=FILE     one pin per line, '#' starts a comment, the words\n"
	"                         after a pin are its label\n"
	"     --pin-scope=SCOPE   chain (default): a pin may match any certificate on\n"
	"                         the path (the one verified, to its trust anchor;\n"
	"                         unverified, each link one a client accepts: a CA's\n"
	"                         signature, checked by GnuTLS); leaf: only the\n"
	"                         server's own key\n"
	"     --require-backup-pin\n"
	"                         WARNING when every pin is served: the clients would\n"
	"                         have no pin left to rotate to; with --dane, when\n"
	"                         every usable TLSA record matches the served chain\n"
	"     --app-config=FILE   the pins an app ships: its Android network security\n"
	"                         configuration, or its Info.plist (XML or binary)\n"
	"                         with TrustKit's or App Transport Security's pinned\n"
	"                         domains. The entry the platform applies to the\n"
	"                         name (--sni, else -H) is judged by the platform's\n"
	"                         rules; none applies: UNKNOWN. Repeatable; each file,\n"
	"                         and the pins of -P and --pin-file, judged on its own\n"
	"     --pin-expiry-warning=DAYS\n"
	"                         WARNING when an app's pin-set expires within DAYS\n"
	"                         (default 30); once expired the app no longer pins,\n"
	"                         and a mismatch is only a WARNING\n"
	"No pin of the set served: CRITICAL, showing the served pin.\n"
	"\n"
	"Trust:\n"
	"     --ca-file=FILE      verify against the PEM anchors in FILE instead of the\n"
	"                         system trust store\n"
	"     --no-verify         do not verify the chain or the name (pins and expiry\n"
	"                         are still checked)\n"
	"\n"
	"DANE (TLSA records in DNSSEC-signed DNS, RFC 6698 and 7671):\n"
	"     --dane              look up the TLSA records at _PORT._tcp.HOST, validated\n"
	"                         with DNSSEC, and check the served chain against them\n"
	"                         as DANE clients do (with --starttls smtp, by RFC 7672).\n"
	"                         A usable record matches: OK. None: CRITICAL, with the\n"
	"                         record to publish. Records not DNSSEC-signed: WARNING.\n"
	"                         Bogus, no records, or no answer within -t: CRITICAL.\n"
	"                         Judged beside the WebPKI verification and pins\n"
	"     --dns-server=ADDR[@PORT]\n"
	"                         send the TLSA queries to this resolver, or to the\n"
	"                         zone's own server (default: /etc/resolv.conf's)\n"
	"     --dnssec-anchor=FILE\n"
	"                         DNSSEC trust anchors, DS or DNSKEY records in zone-file\n"
	"                         syntax, instead of the root's (" DNSSEC_ROOT_ANCHOR ")\n"
	"\n"
	"Revocation:\n"
	"An OCSP response the server staples is always verified and applied: revoked\n"
	"is CRITICAL with the time and reason, \"unknown\" WARNING, a response that\n"
	"does not verify or is stale no answer. A must-staple certificate (TLS feature\n"
	"status_request) served without a valid staple is CRITICAL.\n"
	"     --revocation[=HOW]  also ask, unless a valid staple said good or revoked:\n"
	"                         HOW is ocsp (the OCSP responder the certificate\n"
	"                         names), crl (its CRL distribution point) or any\n"
	"                         (OCSP, then the CRL; the default). http and https\n"
	"                         only; an answer must be signed by the certificate's\n"
	"                         issuer (or, for OCSP, a responder it delegated) and\n"
	"                         current. With --check-chain, the intermediates too\n"
	"     --revocation-unavailable=STATE\n"
	"                         the result when revocation cannot be found out (no\n"
	"                         responder or CRL named, unreachable, a timeout, an\n"
	"                         HTTP error, an answer that does not verify, a stale\n"
	"                         one): ok, warning (default), critical or unknown\n"
	"     --crl-cache=DIR     keep downloaded CRLs in DIR, an existing directory,\n"
	"                         and reuse each until its nextUpdate\n"
	"\n"
	"Certificate file, instead of a server:\n"
	"     --file=CERTS        check a PEM (leaf first) or DER file: expiry and pins\n"
	"                         as for a server, the chain verified only with\n"
	"                         --ca-file, its name only with -H. The connection\n"
	"                         options are refused with it: -p, -I, -4, -6, -t,\n"
	"                         --all-addresses, --sni, --no-sni, --priority,\n"
	"                         --starttls, --ehlo, --xmpp-domain, --revocation,\n"
	"                         --revocation-unavailable, --crl-cache\n"
	"\n"
	"Output:\n"
	"     --print-pins        print a pin file: the leaf's pin, labelled, the\n"
	"                         path's CA pins commented out (pinning a CA lets any\n"
	"                         key it signs match), then the result as a comment;\n"
	"                         the exit code is the check's\n"
	"     --print-tlsa        print zone-file lines for the served chain: the leaf\n"
	"                         key's TLSA 3 1 1 record, the issuing CA's 2 1 1\n"
	"                         commented out, then the result as a comment; with\n"
	"                         --file, -H and -p: for a key before it is served\n"
	"     --format=FORMAT     what --print-pins writes: pins (the pin file above),\n"
	"                         android, trustkit or ats (the app configuration's\n"
	"                         entry for the name, the CA pins as comments)\n"
	" -v, --verbose           one line per certificate, the TLS parameters and\n"
	"                         each revocation answer (its source, URL, thisUpdate\n"
	"                         and nextUpdate); -vv adds the time of each phase\n"
	" -h, --help              this text\n"
	" -V, --version           the version\n"
	"\n"
	"Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
	"\n"
	"Examples:\n"
	"  check_tls_pin -H api.example.com -P sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
	"  check_tls_pin -H api.example.com --print-pins > /etc/nagios/pins/api\n"
	"  check_tls_pin -H api.example.com --pin-file /etc/nagios/pins/api -w 21d -c 7d\n"
	"  check_tls_pin -H api.example.com --app-config network_security_config.xml\n"
	"  check_tls_pin -H mx.example.com --starttls smtp -P sha256/...\n"
	"  check_tls_pin -H db.example.com --starttls postgres --ca-file /etc/ssl/db-ca.pem\n"
	"  check_tls_pin -H mx.example.com --starttls smtp --no-verify --dane\n"
	"  check_tls_pin -H www.example.com --revocation --check-chain\n";

enum {
	OPT_SNI = 256, OPT_NO_SNI, OPT_CHECK_CHAIN, OPT_PIN_FILE, OPT_PIN_SCOPE,
	OPT_REQUIRE_BACKUP, OPT_CA_FILE, OPT_NO_VERIFY, OPT_PRIORITY, OPT_PRINT_PINS,
	OPT_FILE, OPT_STARTTLS, OPT_EHLO, OPT_XMPP_DOMAIN, OPT_ALL_ADDRESSES, OPT_MAX_VALIDITY,
	OPT_DANE, OPT_DNS_SERVER, OPT_DNSSEC_ANCHOR, OPT_PRINT_TLSA,
	OPT_APP_CONFIG, OPT_PIN_EXPIRY_WARNING, OPT_FORMAT,
	OPT_REVOCATION, OPT_REVOCATION_UNAVAILABLE, OPT_CRL_CACHE
};

static const struct option longopts[] = {
	{ "hostname", required_argument, NULL, 'H' },
	{ "port", required_argument, NULL, 'p' },
	{ "ip-address", required_argument, NULL, 'I' },
	{ "ipv4", no_argument, NULL, '4' },
	{ "ipv6", no_argument, NULL, '6' },
	{ "sni", required_argument, NULL, OPT_SNI },
	{ "no-sni", no_argument, NULL, OPT_NO_SNI },
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	{ "certificate", required_argument, NULL, 'C' },
	{ "check-chain", no_argument, NULL, OPT_CHECK_CHAIN },
	{ "pin", required_argument, NULL, 'P' },
	{ "pin-file", required_argument, NULL, OPT_PIN_FILE },
	{ "pin-scope", required_argument, NULL, OPT_PIN_SCOPE },
	{ "require-backup-pin", no_argument, NULL, OPT_REQUIRE_BACKUP },
	{ "app-config", required_argument, NULL, OPT_APP_CONFIG },
	{ "pin-expiry-warning", required_argument, NULL, OPT_PIN_EXPIRY_WARNING },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "ca-file", required_argument, NULL, OPT_CA_FILE },
	{ "no-verify", no_argument, NULL, OPT_NO_VERIFY },
	{ "priority", required_argument, NULL, OPT_PRIORITY },
	{ "timeout", required_argument, NULL, 't' },
	{ "print-pins", no_argument, NULL, OPT_PRINT_PINS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "file", required_argument, NULL, OPT_FILE },
	{ "starttls", required_argument, NULL, OPT_STARTTLS },
	{ "ehlo", required_argument, NULL, OPT_EHLO },
	{ "xmpp-domain", required_argument, NULL, OPT_XMPP_DOMAIN },
	{ "all-addresses", no_argument, NULL, OPT_ALL_ADDRESSES },
	{ "max-validity", optional_argument, NULL, OPT_MAX_VALIDITY },
	{ "dane", no_argument, NULL, OPT_DANE },
	{ "dns-server", required_argument, NULL, OPT_DNS_SERVER },
	{ "dnssec-anchor", required_argument, NULL, OPT_DNSSEC_ANCHOR },
	{ "print-tlsa", no_argument, NULL, OPT_PRINT_TLSA },
	{ "revocation", optional_argument, NULL, OPT_REVOCATION },
	{ "revocation-unavailable", required_argument, NULL, OPT_REVOCATION_UNAVAILABLE },
	{ "crl-cache", required_argument, NULL, OPT_CRL_CACHE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static const char shortopts[] = ":H:p:I:46w:c:C:P:t:vhV";

static int
parse_port(const char *text, unsigned *out, struct error *e)
{
	unsigned long v = 0;
	size_t n = strspn(text, "0123456789");

	if (n == 0 || n > 5 || text[n] != '\0')
		goto bad;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned long)(text[i] - '0');
	if (v == 0 || v > 65535)
		goto bad;
	*out = (unsigned)v;
	return 0;
bad:
	return error_set(e, STATE_UNKNOWN, "invalid port '%s': expected 1 to 65535", text);
}

static int
parse_timeout(const char *text, struct options *o, struct error *e)
{
	const char *end;
	double v;

	if (threshold_parse_number(text, &v, &end) < 0 || (*end != '\0' && *end != ':') ||
	    v <= 0 || v > MAX_TIMEOUT)
		return error_set(e, STATE_UNKNOWN, "invalid timeout '%s': expected "
				 "SECONDS[:STATE], more than 0 and at most %.0f s",
				 text, MAX_TIMEOUT);
	if (*end == ':' && state_parse(end + 1, &o->timeout_state) < 0)
		return error_set(e, STATE_UNKNOWN, "invalid timeout state '%s': expected "
				 "ok, warning, critical or unknown", end + 1);
	o->timeout = v;
	return 0;
}

/*
 * A DNS name is dot-separated labels of 1 to 63 octets (RFC 1035 2.3.4). One
 * trailing dot (a fully qualified name) is dropped: SNI carries the name
 * without it (RFC 6066 3).
 */
static int
check_labels(const char *what, const char *text, char *name, struct error *e)
{
	size_t len = strlen(name), label = 0;

	if (len > 1 && name[len - 1] == '.')
		name[--len] = '\0';
	for (size_t i = 0; i <= len; i++) {
		if (i < len && name[i] != '.' && !isalnum((unsigned char)name[i]) &&
		    name[i] != '-' && name[i] != '_')
			return error_set(e, STATE_UNKNOWN, "invalid %s '%s': only letters, digits, "
					 "'-' and '_' may form a name", what, text);
		if (i == len || name[i] == '.') {
			if (label == 0 || label > 63)
				return error_set(e, STATE_UNKNOWN, "invalid %s '%s': %s", what, text,
						 label ? "a label is longer than 63 characters"
						       : "empty label");
			label = 0;
		} else {
			label++;
		}
	}
	return 0;
}

/*
 * Turns a host name into the form used on the wire and for verification: IPv6
 * brackets removed, an IP literal kept as it is, a name mapped to IDNA
 * (RFC 5891) so that Unicode names work.
 */
static int
normalize_name(const char *what, const char *text, char **out, bool *is_ip,
	       struct error *e)
{
	size_t len = strlen(text);
	gnutls_datum_t mapped = { NULL, 0 };
	char *plain;
	int rc;

	if (len >= 2 && text[0] == '[' && text[len - 1] == ']') {
		plain = strndup(text + 1, len - 2);
		if (!plain)
			return error_set(e, STATE_UNKNOWN, "out of memory");
		if (!net_is_ip_literal(plain)) {
			free(plain);
			return error_set(e, STATE_UNKNOWN, "invalid %s '%s': not an IPv6 address "
					 "in brackets", what, text);
		}
		*out = plain;
		*is_ip = true;
		return 0;
	}
	if (len == 0)
		return error_set(e, STATE_UNKNOWN, "invalid %s: empty", what);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] <= ' ' || text[i] == 0x7f || text[i] == '/')
			return error_set(e, STATE_UNKNOWN, "invalid %s '%s': contains "
					 "white space, a control character or '/'", what, text);
	if (net_is_ip_literal(text)) {
		*out = strdup(text);
		*is_ip = true;
		return *out ? 0 : error_set(e, STATE_UNKNOWN, "out of memory");
	}
	*is_ip = false;
	rc = gnutls_idna_map(text, (unsigned)len, &mapped, 0);
	if (rc < 0)
		return error_set(e, STATE_UNKNOWN, "invalid %s '%s': %s", what, text,
				 gnutls_strerror(rc));
	if (mapped.size == 0 || mapped.size > NAME_MAX_LEN) {
		gnutls_free(mapped.data);
		return error_set(e, STATE_UNKNOWN, "invalid %s '%s': %s", what, text,
				 mapped.size == 0 ? "empty" : "longer than 253 characters");
	}
	*out = strndup((const char *)mapped.data, mapped.size);
	gnutls_free(mapped.data);
	if (!*out)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	return check_labels(what, text, *out, e);
}

/* -I: an IPv4 or IPv6 address, the latter with or without brackets; repeatable. */
static int
parse_address(const char *text, struct options *o, struct error *e)
{
	size_t len = strlen(text);
	char *a;

	if (o->naddresses == OPTIONS_ADDRESSES_MAX)
		return error_set(e, STATE_UNKNOWN, "more than %d -I addresses",
				 OPTIONS_ADDRESSES_MAX);
	if (len >= 2 && text[0] == '[' && text[len - 1] == ']')
		a = strndup(text + 1, len - 2);
	else
		a = strdup(text);
	if (!a)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	o->addresses[o->naddresses++] = a;
	if (!net_is_ip_literal(a))
		return error_set(e, STATE_UNKNOWN, "invalid -I '%s': expected an IPv4 or IPv6 "
				 "address", text);
	return 0;
}

/* --max-validity[=DAYS]: DAYS a whole number from 1 to 3650. */
static int
parse_max_validity(const char *text, struct options *o, struct error *e)
{
	size_t n = text ? strspn(text, "0123456789") : 0;
	long v = 0;

	o->max_validity = true;
	if (!text)
		return 0;
	if (n == 0 || n > 4 || text[n] != '\0')
		goto bad;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (text[i] - '0');
	if (v < 1 || v > 3650)
		goto bad;
	o->max_validity_days = v;
	return 0;
bad:
	return error_set(e, STATE_UNKNOWN, "invalid --max-validity '%s': expected whole days "
			 "from 1 to 3650", text);
}

/* --revocation[=HOW]: HOW ocsp, crl or any (the default). */
static int
parse_revocation(const char *text, struct options *o, struct error *e)
{
	static const char *const names[] = { "ocsp", "crl", "any" };
	static const enum revocation_mode modes[] = {
		REVOCATION_OCSP, REVOCATION_CRL, REVOCATION_ANY
	};

	if (!text) {
		o->revocation = REVOCATION_ANY;
		return 0;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(text, names[i]) == 0) {
			o->revocation = modes[i];
			return 0;
		}
	}
	return error_set(e, STATE_UNKNOWN, "invalid --revocation '%s': expected ocsp, crl or any",
			 text);
}

/* --crl-cache: a directory that exists and that we may write into. */
static int
check_cache_dir(const char *dir, struct error *e)
{
	struct stat st;

	if (dir[0] == '\0')
		return error_set(e, STATE_UNKNOWN, "invalid --crl-cache: empty");
	if (stat(dir, &st) < 0)
		return error_set(e, STATE_UNKNOWN, "--crl-cache %s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return error_set(e, STATE_UNKNOWN, "--crl-cache %s: not a directory", dir);
	if (access(dir, W_OK | X_OK) < 0)
		return error_set(e, STATE_UNKNOWN, "--crl-cache %s: %s", dir, strerror(errno));
	return 0;
}

/*
 * --dns-server ADDR[@PORT]: an IPv4 or IPv6 address (brackets allowed), and
 * a port, written as libunbound takes it.
 */
static int
parse_dns_server(const char *arg, struct options *o, struct error *e)
{
	const char *text = arg, *at = strrchr(text, '@');
	size_t alen = at ? (size_t)(at - text) : strlen(text);
	unsigned port = 53;
	char addr[64];

	if (alen >= 2 && text[0] == '[' && text[alen - 1] == ']') {
		text++;
		alen -= 2;
	}
	if (alen == 0 || alen >= sizeof(addr))
		goto bad;
	memcpy(addr, text, alen);
	addr[alen] = '\0';
	if (!net_is_ip_literal(addr) || (at && parse_port(at + 1, &port, e) < 0))
		goto bad;
	free(o->dns_server);
	o->dns_server = malloc(alen + 8);
	if (!o->dns_server)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	snprintf(o->dns_server, alen + 8, "%s@%u", addr, port);
	return 0;
bad:
	return error_set(e, STATE_UNKNOWN, "invalid --dns-server '%s': expected an IPv4 or IPv6 "
			 "address, optionally followed by @PORT", arg);
}

/*
 * --dnssec-anchor FILE: libunbound reads it when the lookup starts; here it
 * must be a regular file of a size that anchors have (at most 1 MiB).
 */
static int
check_anchor_file(const char *path, struct error *e)
{
	char *data;
	size_t len;

	if (file_read(path, "DNSSEC anchor file", 1024 * 1024, &data, &len, e) < 0)
		return -1;
	free(data);
	if (len == 0)
		return error_set(e, STATE_UNKNOWN, "DNSSEC anchor file '%s' is empty", path);
	return 0;
}

/*
 * GnuTLS parses the priority string again when the session is set up; doing
 * it here too costs microseconds and lets a typo be a usage error.
 */
static int
check_priority(const char *text, struct error *e)
{
	gnutls_priority_t p;
	const char *where = NULL;
	int rc = gnutls_priority_init(&p, text, &where);

	if (rc >= 0) {
		gnutls_priority_deinit(p);
		return 0;
	}
	if (rc == GNUTLS_E_INVALID_REQUEST && where)
		return error_set(e, STATE_UNKNOWN, "invalid --priority '%s': error at '%s'",
				 text, where);
	return error_set(e, STATE_UNKNOWN, "invalid --priority '%s': %s", text,
			 gnutls_strerror(rc));
}

/*
 * A name sent inside a protocol (EHLO, an XMPP stream attribute): printable
 * ASCII without white space, quotes or markup, so that it cannot break the
 * command or the XML it goes into.
 */
static int
check_word(const char *what, const char *text, struct error *e)
{
	size_t len = strlen(text);

	if (len == 0 || len > NAME_MAX_LEN)
		return error_set(e, STATE_UNKNOWN, "invalid %s '%s': 1 to %d characters",
				 what, text, NAME_MAX_LEN);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] <= ' ' || (unsigned char)text[i] >= 0x7f ||
		    strchr("'\"<>&", text[i]))
			return error_set(e, STATE_UNKNOWN, "invalid %s '%s': only printable "
					 "ASCII without spaces, quotes, '<', '>' or '&'", what, text);
	return 0;
}

/* --pin-expiry-warning=DAYS: a whole number from 0 to 3650. */
static int
parse_expiry_warning(const char *text, struct options *o, struct error *e)
{
	size_t n = strspn(text, "0123456789");
	int64_t v = 0;

	if (n == 0 || n > 4 || text[n] != '\0')
		goto bad;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (text[i] - '0');
	if (v > 3650)
		goto bad;
	o->pin_expiry_warn = v * 86400;
	return 0;
bad:
	return error_set(e, STATE_UNKNOWN, "invalid --pin-expiry-warning '%s': expected whole "
			 "days from 0 to 3650", text);
}

static int
parse_format(const char *text, struct options *o, struct error *e)
{
	static const struct {
		enum pin_format format;
		const char *name;
	} formats[] = {
		{ FORMAT_PINS, "pins" }, { FORMAT_ANDROID, "android" },
		{ FORMAT_TRUSTKIT, "trustkit" }, { FORMAT_ATS, "ats" },
	};

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strcmp(text, formats[i].name) == 0) {
			o->format = formats[i].format;
			return 0;
		}
	}
	return error_set(e, STATE_UNKNOWN, "invalid --format '%s': expected pins, android, "
			 "trustkit or ats", text);
}

/* Options that only make sense with a connection, for the --file check. */
struct seen {
	const char *connection_option;	/* the first one given, for the message */
	const char *connection_not_port;	/* the first besides -p (--print-tlsa takes -p) */
	const char *warn_arg, *crit_arg, *cert_arg;	/* -w, -c, -C as given */
	bool sni, no_sni, v4, v6, backup, port, dns, expiry_warning, format;
	const char *apps[APPCONFIG_MAX];	/* --app-config, read once the name is known */
	size_t napps;
};

/*
 * Names the offending option. getopt leaves optind past the argument only
 * once it is done with it, so argv[optind - 1] is not always the culprit (in
 * "-xv" it can be the argument before): a long option is recognised by its
 * spelling and the table, anything else is the short option in optopt.
 */
static int
unknown_option(int c, char **argv, struct error *e)
{
	const char *arg = argv[optind - 1];
	size_t len = strcspn(arg, "=");

	if (c == ':') {
		if (strncmp(arg, "--", 2) == 0 || optopt <= 0 || optopt >= 256)
			return error_set(e, STATE_UNKNOWN, "option '%s' needs a value", arg);
		return error_set(e, STATE_UNKNOWN, "option '-%c' needs a value", optopt);
	}
	if (strncmp(arg, "--", 2) == 0 && (optopt == 0 || arg[len] == '=')) {
		for (const struct option *lo = longopts; lo->name; lo++)
			if (lo->has_arg == no_argument && strlen(lo->name) == len - 2 &&
			    strncmp(lo->name, arg + 2, len - 2) == 0)
				return error_set(e, STATE_UNKNOWN, "option '--%s' takes no value",
						 lo->name);
		return error_set(e, STATE_UNKNOWN, "unknown option '%.*s'", (int)len, arg);
	}
	if (optopt > 0 && optopt < 256)
		return error_set(e, STATE_UNKNOWN, "unknown option '-%c'", optopt);
	return error_set(e, STATE_UNKNOWN, "unknown option '%.*s'", (int)len, arg);
}

/*
 * CRITICAL is tested first, so a warning threshold below the critical one
 * could never fire. Two durations compare now; a share of the lifetime
 * depends on each certificate, so a pair with one is left as it is.
 */
static int
check_threshold_order(const struct options *o, const struct seen *s, struct error *e)
{
	if (o->warn.kind != THRESHOLD_SECONDS || o->crit.kind != THRESHOLD_SECONDS ||
	    o->warn.value >= o->crit.value)
		return 0;
	if (s->cert_arg)
		return error_set(e, STATE_UNKNOWN, "invalid -C '%s': WARN is below CRIT, so "
				 "WARNING could never fire", s->cert_arg);
	return error_set(e, STATE_UNKNOWN, "-w %s is below -c %s: WARNING could never fire, "
			 "as CRITICAL comes first", s->warn_arg, s->crit_arg);
}

static int
check_combinations(struct options *o, const struct seen *s, struct error *e)
{
	if (s->cert_arg && (s->warn_arg || s->crit_arg))
		return error_set(e, STATE_UNKNOWN, "use either -C or -w/-c, not both");
	if (check_threshold_order(o, s, e) < 0)
		return -1;
	if (s->v4 && s->v6)
		return error_set(e, STATE_UNKNOWN, "use either -4 or -6, not both");
	if (s->sni && s->no_sni)
		return error_set(e, STATE_UNKNOWN, "use either --sni or --no-sni, not both");
	if (o->ca_file && o->no_verify)
		return error_set(e, STATE_UNKNOWN, "use either --ca-file or --no-verify, not both");
	if (s->backup && o->pins.n == 0 && s->napps == 0 && !o->dane)
		return error_set(e, STATE_UNKNOWN, "--require-backup-pin needs pins (-P, --pin-file "
				 "or --app-config) or --dane");
	if (s->dns && !o->dane)
		return error_set(e, STATE_UNKNOWN, "--dns-server and --dnssec-anchor need --dane");
	if (o->print_pins && o->print_tlsa)
		return error_set(e, STATE_UNKNOWN, "use either --print-pins or --print-tlsa, not both");
	if (s->expiry_warning && s->napps == 0)
		return error_set(e, STATE_UNKNOWN, "--pin-expiry-warning needs --app-config");
	if (s->format && !o->print_pins)
		return error_set(e, STATE_UNKNOWN, "--format needs --print-pins");
	if (o->all_addresses && o->naddresses > 0)
		return error_set(e, STATE_UNKNOWN, "use either --all-addresses or -I, not both");
	if (o->ehlo && o->starttls != STARTTLS_SMTP && o->starttls != STARTTLS_LMTP)
		return error_set(e, STATE_UNKNOWN, "--ehlo needs --starttls smtp or lmtp");
	if (o->xmpp_domain && o->starttls != STARTTLS_XMPP && o->starttls != STARTTLS_XMPP_SERVER)
		return error_set(e, STATE_UNKNOWN, "--xmpp-domain needs --starttls xmpp or xmpp-server");
	if (o->crl_cache && o->revocation != REVOCATION_CRL && o->revocation != REVOCATION_ANY)
		return error_set(e, STATE_UNKNOWN, "--crl-cache needs --revocation crl or any");
	if (o->file) {
		const char *bad = o->print_tlsa ? s->connection_not_port : s->connection_option;

		if (bad)
			return error_set(e, STATE_UNKNOWN, "%s makes no sense with --file", bad);
		if (o->print_tlsa && !o->host)
			return error_set(e, STATE_UNKNOWN, "--print-tlsa with --file needs -H NAME "
					 "(and -p PORT): the records are named after them");
		return 0;
	}
	if (!o->host)
		return error_set(e, STATE_UNKNOWN, "no host given (-H HOST, or --file CERTS)");
	return 0;
}

/* Derives the names used on the wire and for verification from -H and --sni. */
static int
derive_names(struct options *o, const char *sni_arg, const struct seen *s, struct error *e)
{
	bool ip;

	if (o->host && normalize_name("host name", o->host, &o->name, &o->host_is_ip, e) < 0)
		return -1;
	if (sni_arg) {
		if (normalize_name("--sni name", sni_arg, &o->sni, &ip, e) < 0)
			return -1;
		if (ip)
			return error_set(e, STATE_UNKNOWN, "invalid --sni name '%s': an IP address "
					 "is never sent as SNI (RFC 6066 3)", sni_arg);
	} else if (o->name && !o->host_is_ip && !s->no_sni && !o->file) {
		o->sni = strdup(o->name);
		if (!o->sni)
			return error_set(e, STATE_UNKNOWN, "out of memory");
	}
	if (o->no_verify)
		return 0;
	if (sni_arg)
		o->verify_name = strdup(o->sni);
	else if (o->name)
		o->verify_name = strdup(o->name);
	else
		return 0;
	return o->verify_name ? 0 : error_set(e, STATE_UNKNOWN, "out of memory");
}

/*
 * The apps connect to the name sent as SNI, which is -H unless --sni says
 * otherwise; each --app-config is reduced to its entry for that name now,
 * so that a bad file is found before any connection.
 */
static int
load_apps(struct options *o, const char *sni_arg, const struct seen *s, struct error *e)
{
	o->app_name = sni_arg ? o->sni : o->name;
	if ((s->napps > 0 || o->format != FORMAT_PINS) && (!o->app_name || o->host_is_ip) &&
	    !sni_arg)
		return error_set(e, STATE_UNKNOWN, "%s needs the name the app connects to: -H NAME%s",
				 s->napps > 0 ? "--app-config" : "--format", o->file ? "" : " or --sni");
	for (size_t i = 0; i < s->napps; i++)
		if (appconfig_load(&o->apps, s->apps[i], o->app_name, e) < 0)
			return -1;
	return 0;
}

int
options_parse(int argc, char **argv, struct options *o, struct error *e)
{
	struct seen s;
	const char *sni_arg = NULL;
	unsigned starttls_port = 0;
	int c;

	memset(o, 0, sizeof(*o));
	memset(&s, 0, sizeof(s));
	pinset_init(&o->pins);
	appconfig_init(&o->apps);
	o->pin_expiry_warn = 30 * 86400;
	o->port = DEFAULT_PORT;
	o->family = AF_UNSPEC;
	o->timeout = DEFAULT_TIMEOUT;
	o->timeout_state = STATE_CRITICAL;
	o->revocation_unavailable = STATE_WARNING;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const char *conn = NULL, *days, *how;

		switch (c) {
		case 'H': o->host = optarg; break;
		case 'p':
			conn = "-p";
			s.port = true;
			if (parse_port(optarg, &o->port, e) < 0)
				return -1;
			break;
		case 'I':
			conn = "-I";
			if (parse_address(optarg, o, e) < 0)
				return -1;
			break;
		case '4': conn = "-4"; s.v4 = true; o->family = AF_INET; break;
		case '6': conn = "-6"; s.v6 = true; o->family = AF_INET6; break;
		case OPT_SNI: conn = "--sni"; s.sni = true; sni_arg = optarg; break;
		case OPT_NO_SNI: conn = "--no-sni"; s.no_sni = true; break;
		case 'w':
			s.warn_arg = optarg;
			if (threshold_parse(optarg, &o->warn, e) < 0)
				return -1;
			break;
		case 'c':
			s.crit_arg = optarg;
			if (threshold_parse(optarg, &o->crit, e) < 0)
				return -1;
			break;
		case 'C':
			s.cert_arg = optarg;
			if (threshold_parse_days_pair(optarg, &o->warn, &o->crit, e) < 0)
				return -1;
			break;
		case OPT_CHECK_CHAIN: o->check_chain = true; break;
		case 'P':
			if (pins_add_list(&o->pins, optarg, e) < 0)
				return -1;
			break;
		case OPT_PIN_FILE:
			if (pins_load_file(&o->pins, optarg, e) < 0)
				return -1;
			break;
		case OPT_PIN_SCOPE:
			if (strcmp(optarg, "chain") == 0)
				o->scope = SCOPE_CHAIN;
			else if (strcmp(optarg, "leaf") == 0)
				o->scope = SCOPE_LEAF;
			else
				return error_set(e, STATE_UNKNOWN, "invalid --pin-scope '%s': "
						 "expected chain or leaf", optarg);
			break;
		case OPT_REQUIRE_BACKUP: s.backup = true; o->require_backup = true; break;
		case OPT_APP_CONFIG:
			if (s.napps == APPCONFIG_MAX)
				return error_set(e, STATE_UNKNOWN, "more than %d --app-config files",
						 APPCONFIG_MAX);
			s.apps[s.napps++] = optarg;
			break;
		case OPT_PIN_EXPIRY_WARNING:
			s.expiry_warning = true;
			if (parse_expiry_warning(optarg, o, e) < 0)
				return -1;
			break;
		case OPT_FORMAT:
			s.format = true;
			if (parse_format(optarg, o, e) < 0)
				return -1;
			break;
		case OPT_CA_FILE: o->ca_file = optarg; break;
		case OPT_NO_VERIFY: o->no_verify = true; break;
		case OPT_PRIORITY: conn = "--priority"; o->priority = optarg; break;
		case 't':
			conn = "-t";
			if (parse_timeout(optarg, o, e) < 0)
				return -1;
			break;
		case OPT_PRINT_PINS: o->print_pins = true; break;
		case 'v': o->verbose++; break;
		case OPT_FILE: o->file = optarg; break;
		case OPT_ALL_ADDRESSES:
			conn = "--all-addresses";
			o->all_addresses = true;
			break;
		case OPT_MAX_VALIDITY:
			/*
			 * The plugin takes no operands, so a word after the option
			 * that is not an option itself can only be meant as DAYS.
			 */
			days = optarg;
			if (!days && optind < argc && argv[optind][0] != '-')
				days = argv[optind++];
			if (parse_max_validity(days, o, e) < 0)
				return -1;
			break;
		case OPT_DANE: conn = "--dane"; o->dane = true; break;
		case OPT_DNS_SERVER:
			conn = "--dns-server";
			s.dns = true;
			if (parse_dns_server(optarg, o, e) < 0)
				return -1;
			break;
		case OPT_DNSSEC_ANCHOR:
			conn = "--dnssec-anchor";
			s.dns = true;
			o->dnssec_anchor = optarg;
			break;
		case OPT_PRINT_TLSA: o->print_tlsa = true; break;
		case OPT_REVOCATION:
			conn = "--revocation";
			/* Like --max-validity's DAYS, HOW may be the next argument. */
			how = optarg;
			if (!how && optind < argc && (strcmp(argv[optind], "ocsp") == 0 ||
						      strcmp(argv[optind], "crl") == 0 ||
						      strcmp(argv[optind], "any") == 0))
				how = argv[optind++];
			if (parse_revocation(how, o, e) < 0)
				return -1;
			break;
		case OPT_REVOCATION_UNAVAILABLE:
			conn = "--revocation-unavailable";
			if (state_parse(optarg, &o->revocation_unavailable) < 0)
				return error_set(e, STATE_UNKNOWN, "invalid --revocation-unavailable "
						 "'%s': expected ok, warning, critical or unknown",
						 optarg);
			break;
		case OPT_CRL_CACHE:
			conn = "--crl-cache";
			if (check_cache_dir(optarg, e) < 0)
				return -1;
			o->crl_cache = optarg;
			break;
		case OPT_STARTTLS:
			conn = "--starttls";
			if (starttls_lookup(optarg, &o->starttls, &starttls_port) < 0)
				return error_set(e, STATE_UNKNOWN, "invalid --starttls '%s': "
						 "expected one of %s", optarg, starttls_names);
			break;
		case OPT_EHLO:
			conn = "--ehlo";
			if (check_word("--ehlo", optarg, e) < 0)
				return -1;
			o->ehlo = optarg;
			break;
		case OPT_XMPP_DOMAIN:
			conn = "--xmpp-domain";
			if (check_word("--xmpp-domain", optarg, e) < 0)
				return -1;
			o->xmpp_domain = optarg;
			break;
		case 'h': return OPTIONS_HELP;
		case 'V': return OPTIONS_VERSION;
		default: return unknown_option(c, argv, e);
		}
		if (conn && !s.connection_option)
			s.connection_option = conn;
		if (conn && c != 'p' && !s.connection_not_port)
			s.connection_not_port = conn;
	}
	if (optind < argc)
		return error_set(e, STATE_UNKNOWN, "unexpected argument '%s'", argv[optind]);
	if (o->priority && check_priority(o->priority, e) < 0)
		return -1;
	if (check_combinations(o, &s, e) < 0 || derive_names(o, sni_arg, &s, e) < 0)
		return -1;
	if (load_apps(o, sni_arg, &s, e) < 0)
		return -1;
	/*
	 * Both are read later (the anchors only if the chain gets that far); a
	 * typo shows now, as a usage error like a missing --pin-file.
	 */
	if (o->file && file_check(o->file, "certificate file", e) < 0)
		return -1;
	if (o->ca_file && file_check(o->ca_file, "CA file", e) < 0)
		return -1;
	if (o->dnssec_anchor && check_anchor_file(o->dnssec_anchor, e) < 0)
		return -1;
	/* The records of a service are named after its host name (RFC 6698 3). */
	if ((o->dane || o->print_tlsa) && o->host_is_ip)
		return error_set(e, STATE_UNKNOWN, "%s needs -H to be a name: TLSA records are at "
				 "_PORT._tcp.NAME", o->dane ? "--dane" : "--print-tlsa");
	/*
	 * A DANE client asks for the name it connects to and sends it as SNI:
	 * another --sni would check one name's records against the certificate
	 * served for another.
	 */
	if ((o->dane || o->print_tlsa) && o->sni && o->name && strcmp(o->sni, o->name) != 0)
		return error_set(e, STATE_UNKNOWN, "%s looks up the records of -H: --sni '%s' would "
				 "check them against another name's certificate",
				 o->dane ? "--dane" : "--print-tlsa", o->sni);
	if (o->starttls != STARTTLS_NONE && !s.port)
		o->port = starttls_port;
	if (o->naddresses == 1)
		o->address = o->addresses[0];
	o->fleet = o->all_addresses || o->naddresses > 1;
	if (o->xmpp_domain == NULL && (o->starttls == STARTTLS_XMPP ||
				       o->starttls == STARTTLS_XMPP_SERVER))
		o->xmpp_domain = o->name;
	return OPTIONS_RUN;
}

void
options_free(struct options *o)
{
	pinset_free(&o->pins);
	appconfig_free(&o->apps);
	free(o->name);
	free(o->sni);
	free(o->verify_name);
	free(o->dns_server);
	o->dns_server = NULL;
	for (size_t i = 0; i < o->naddresses; i++)
		free(o->addresses[i]);
	o->naddresses = 0;
	o->name = o->sni = o->verify_name = NULL;
}
