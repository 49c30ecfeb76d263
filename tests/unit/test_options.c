/* Unit tests: the command line, valid and invalid, and the names derived from it. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "options.h"
#include "unit.h"

#define PIN "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
/* A --file that exists (made by the fixture): --file is opened at option time. */
#define CERT "test_options.pem"
#define MAX_ARGS 16

/* Usage errors: UNKNOWN with a message naming the problem. */
static const struct {
	const char *argv[MAX_ARGS];
	const char *msg;
} bad[] = {
	{ { NULL }, "no host given" },
	{ { "-p", "443", NULL }, "no host given" },
	{ { "-H", "h", "--bogus", NULL }, "unknown option '--bogus'" },
	{ { "-H", "h", "-Z", NULL }, "unknown option '-Z'" },
	{ { "--no-sni", "-xv", "-H", "h", NULL }, "unknown option '-x'" },	/* in a cluster */
	{ { "--no-sni=3", "-H", "h", NULL }, "option '--no-sni' takes no value" },
	{ { "--bogus=1", NULL }, "unknown option '--bogus'" },
	{ { "--hostname", NULL }, "option '--hostname' needs a value" },
	{ { "-H", "exa'm<ple>", NULL }, "only letters, digits, '-' and '_'" },
	{ { "-H", "h", "-I", "node1.example", NULL }, "invalid -I 'node1.example'" },
	{ { "-H", "h", "--all-addresses", "-I", "192.0.2.1", NULL }, "either --all-addresses or -I" },
	{ { "-H", "h", "--max-validity=0", NULL }, "invalid --max-validity '0'" },
	{ { "-H", "h", "--max-validity=47d", NULL }, "invalid --max-validity '47d'" },
	/* The word after --max-validity that is not an option is its DAYS, checked alike. */
	{ { "-H", "h", "--max-validity", "47d", NULL }, "invalid --max-validity '47d'" },
	{ { "--max-validity", "", "-H", "h", NULL }, "invalid --max-validity ''" },
	{ { "--file", CERT, "--all-addresses", NULL }, "--all-addresses makes no sense with --file" },
	{ { "-H", "h", "--ca-file", "/nonexistent/ca.pem", NULL }, "cannot open CA file /nonexistent/ca.pem" },
	{ { "-H", "h", "--ca-file", "/dev/null", NULL }, "not a regular file" },
	{ { "-H", "h", "--pin-file", "/dev/zero", NULL }, "not a regular file" },
	/* A certificate file is opened at option time, like a pin or CA file. */
	{ { "--file", "/nonexistent/c.pem", NULL }, "cannot open certificate file /nonexistent/c.pem" },
	{ { "--file", "/dev/null", NULL }, "cannot read certificate file /dev/null: not a regular file" },
	{ { "-H", NULL }, "option '-H' needs a value" },
	{ { "-H", "h", "extra", NULL }, "unexpected argument 'extra'" },
	{ { "-H", "h", "-p", "0", NULL }, "invalid port '0'" },
	{ { "-H", "h", "-p", "65536", NULL }, "invalid port" },
	{ { "-H", "h", "-p", "44x", NULL }, "invalid port" },
	{ { "-H", "h", "-p", "-1", NULL }, "invalid port" },
	{ { "-H", "h", "-w", "soon", NULL }, "invalid threshold 'soon'" },
	{ { "-H", "h", "-c", "3y", NULL }, "unknown unit" },
	{ { "-H", "h", "-C", "30", "-w", "5", NULL }, "either -C or -w/-c" },
	/* Both durations, the warning one shorter: WARNING could never fire. */
	{ { "-H", "h", "-w", "5", "-c", "10", NULL }, "-w 5 is below -c 10: WARNING could never fire" },
	{ { "-H", "h", "-c", "2d", "-w", "36h", NULL }, "-w 36h is below -c 2d" },
	{ { "-H", "h", "-C", "7,14", NULL }, "invalid -C '7,14': WARN is below CRIT" },
	{ { "-H", "h", "-P", "sha1/abc", NULL }, "SHA-1" },
	{ { "-H", "h", "-P", "nope", NULL }, "invalid pin 'nope'" },
	{ { "-H", "h", "--pin-file", "/nonexistent", NULL }, "cannot open pin file" },
	{ { "-H", "h", "--pin-scope", "root", NULL }, "invalid --pin-scope 'root'" },
	{ { "-H", "h", "--require-backup-pin", NULL }, "needs pins" },
	{ { "-H", "h", "-4", "-6", NULL }, "either -4 or -6" },
	{ { "-H", "h", "--sni", "x", "--no-sni", NULL }, "either --sni or --no-sni" },
	{ { "-H", "h", "--sni", "192.0.2.1", NULL }, "never sent as SNI" },
	{ { "-H", "h", "--ca-file", "f", "--no-verify", NULL }, "either --ca-file or --no-verify" },
	{ { "-H", "h", "-t", "0", NULL }, "invalid timeout '0'" },
	{ { "-H", "h", "-t", "5:later", NULL }, "invalid timeout state 'later'" },
	{ { "-H", "h", "-t", "99999", NULL }, "invalid timeout" },
	{ { "-H", "bad name", NULL }, "white space" },
	{ { "-H", "", NULL }, "empty" },
	{ { "-H", "[not-an-ip]", NULL }, "not an IPv6 address" },
	{ { "-H", "a..b", NULL }, "invalid host name" },
	{ { "-H", "h", "--priority", "NORMAL:-BOGUS", NULL }, "invalid --priority 'NORMAL:-BOGUS'" },
	{ { "--file", CERT, "-p", "443", NULL }, "-p makes no sense with --file" },
	{ { "--file", CERT, "-t", "5", NULL }, "-t makes no sense with --file" },
	{ { "--file", CERT, "--dane", NULL }, "--dane makes no sense with --file" },
	{ { "-H", "192.0.2.1", "--dane", NULL }, "--dane needs -H to be a name" },
	{ { "-H", "h", "--dns-server", "192.0.2.53", NULL }, "need --dane" },
	{ { "-H", "h", "--dnssec-anchor", "/etc/hostname", NULL }, "need --dane" },
	{ { "-H", "h", "--dane", "--dns-server", "ns.example", NULL },
	  "invalid --dns-server 'ns.example'" },
	{ { "-H", "h", "--dane", "--dns-server", "192.0.2.53@0", NULL }, "invalid --dns-server" },
	{ { "-H", "h", "--dane", "--dns-server", "@53", NULL }, "invalid --dns-server" },
	{ { "-H", "h", "--dane", "--dns-server", "[192.0.2.53", NULL }, "invalid --dns-server" },
	{ { "-H", "h", "--dane", "--dnssec-anchor", "/nonexistent", NULL },
	  "cannot open DNSSEC anchor file" },
	{ { "-H", "h", "--dane", "--dnssec-anchor", "/dev/zero", NULL }, "not a regular file" },
	{ { "-H", "h", "--print-pins", "--print-tlsa", NULL }, "either --print-pins or --print-tlsa" },
	{ { "-H", "192.0.2.1", "--print-tlsa", NULL }, "--print-tlsa needs -H to be a name" },
	{ { "-H", "h.example", "--sni", "other.example", "--dane", NULL },
	  "--dane looks up the records of -H: --sni 'other.example'" },
	{ { "--file", CERT, "--print-tlsa", NULL }, "--print-tlsa with --file needs -H" },
	{ { "--file", CERT, "-H", "h", "-p", "25", "-t", "5", "--print-tlsa", NULL },
	  "-t makes no sense with --file" },
	{ { "-H", "h", "--revocation=ocps", NULL }, "invalid --revocation 'ocps': expected ocsp, crl or any" },
	/* Only ocsp, crl and any are taken as the next argument; another word is an operand. */
	{ { "-H", "h", "--revocation", "ocps", NULL }, "unexpected argument 'ocps'" },
	{ { "-H", "h", "--revocation-unavailable", "maybe", NULL },
	  "invalid --revocation-unavailable 'maybe'" },
	{ { "-H", "h", "--revocation", "--crl-cache", "/nonexistent", NULL },
	  "--crl-cache /nonexistent: No such file or directory" },
	{ { "-H", "h", "--revocation", "--crl-cache", CERT, NULL }, "not a directory" },
	{ { "-H", "h", "--crl-cache", ".", NULL }, "--crl-cache needs --revocation crl or any" },
	{ { "-H", "h", "--revocation=ocsp", "--crl-cache", ".", NULL },
	  "--crl-cache needs --revocation crl or any" },
	{ { "--file", CERT, "--revocation", NULL }, "--revocation makes no sense with --file" },
	{ { "--file", CERT, "--revocation-unavailable", "ok", NULL },
	  "--revocation-unavailable makes no sense with --file" },
};

/* Command lines that are valid, some of them close to an error above. */
static const struct {
	const char *argv[MAX_ARGS];
} good[] = {
	{ { "-H", "h", "-w", "7d", "-c", "1w", NULL } },	/* equal: a chosen absence of WARNING */
	{ { "-H", "h", "-w", "10", "-c", "5", NULL } },
	{ { "-H", "h", "-w", "5%", "-c", "10d", NULL } },	/* a share: up to each certificate */
	{ { "-H", "h", "-w", "5d", "-c", "50%", NULL } },
	{ { "-H", "h", "-w", "5", NULL } },		/* the default CRITICAL yields */
	{ { "-H", "h", "-C", "14,7", NULL } },
	{ { "-H", "h", "-C", "5", NULL } },
	{ { "-H", "h", "--starttls", "IMAP", NULL } },	/* protocol names in any case */
	{ { "-H", "h", "--revocation=crl", "--crl-cache", ".", NULL } },
};

static int
count(const char *const *argv)
{
	int n = 0;
	while (argv[n])
		n++;
	return n;
}

static int
parse(const char *const *args, struct options *o, struct error *e)
{
	char *argv[MAX_ARGS + 2];
	int argc = count(args) + 1;

	ck_assert_int_le(argc, MAX_ARGS + 1);

	argv[0] = (char *)(uintptr_t)"check_tls_pin";
	for (int i = 1; i < argc; i++)
		argv[i] = (char *)(uintptr_t)args[i - 1];
	argv[argc] = NULL;
	return options_parse(argc, argv, o, e);
}

START_TEST(test_bad)
{
	struct options o;
	struct error e;

	ck_assert_int_eq(parse(bad[_i].argv, &o, &e), -1);
	ck_assert_int_eq(e.state, STATE_UNKNOWN);
	ck_assert_msg(strstr(e.msg, bad[_i].msg) != NULL, "got '%s', want '%s'", e.msg, bad[_i].msg);
	options_free(&o);
}
END_TEST

START_TEST(test_good)
{
	struct options o;
	struct error e;
	int rc = parse(good[_i].argv, &o, &e);

	ck_assert_msg(rc == OPTIONS_RUN, "refused: '%s'", rc < 0 ? e.msg : "");
	options_free(&o);
}
END_TEST

/* Names on the wire and for verification. */
static const struct {
	const char *argv[MAX_ARGS];
	const char *name, *sni, *verify;
	bool ip;
} names[] = {
	{ { "-H", "www.example.com", NULL }, "www.example.com", "www.example.com", "www.example.com", false },
	{ { "-H", "192.0.2.7", NULL }, "192.0.2.7", NULL, "192.0.2.7", true },	/* RFC 6066: no SNI */
	{ { "-H", "::1", NULL }, "::1", NULL, "::1", true },
	{ { "-H", "[2001:db8::1]", NULL }, "2001:db8::1", NULL, "2001:db8::1", true },
	{ { "-H", "b\xc3\xbc" "cher.example", NULL }, "xn--bcher-kva.example",
	  "xn--bcher-kva.example", "xn--bcher-kva.example", false },		/* IDNA */
	{ { "-H", "www.example.com", "--no-sni", NULL }, "www.example.com", NULL, "www.example.com", false },
	{ { "-H", "lb.example.com", "--sni", "api.example.com", NULL }, "lb.example.com",
	  "api.example.com", "api.example.com", false },
	{ { "-H", "192.0.2.7", "--sni", "api.example.com", NULL }, "192.0.2.7", "api.example.com",
	  "api.example.com", true },
	{ { "-H", "www.example.com", "--no-verify", NULL }, "www.example.com", "www.example.com", NULL, false },
	{ { "--file", CERT, NULL }, NULL, NULL, NULL, false },
	{ { "-H", "_sip._tls.example.com.", NULL }, "_sip._tls.example.com", "_sip._tls.example.com",
	  "_sip._tls.example.com", false },	/* '_' allowed, the trailing dot dropped */
	{ { "--file", CERT, "-H", "www.example.com", NULL }, "www.example.com", NULL,
	  "www.example.com", false },
};

static void
assert_str_or_null(const char *got, const char *want)
{
	if (want)
		ck_assert_str_eq(got ? got : "(null)", want);
	else
		ck_assert_ptr_null(got);
}

START_TEST(test_names)
{
	struct options o;
	struct error e;

	ck_assert_int_eq(parse(names[_i].argv, &o, &e), OPTIONS_RUN);
	assert_str_or_null(o.name, names[_i].name);
	assert_str_or_null(o.sni, names[_i].sni);
	assert_str_or_null(o.verify_name, names[_i].verify);
	ck_assert_int_eq(o.host_is_ip, names[_i].ip);
	options_free(&o);
}
END_TEST

START_TEST(test_defaults_and_values)
{
	const char *const args[] = { "-H", "h", "-p", "993", "-6", "-w", "36h", "-c", "10%",
				     "-P", PIN ";" PIN, "-t", "2.5:unknown", NULL };
	const char *const args2[] = { "-H", "h", "-C", "21,7", "--pin-scope", "leaf", "-vv",
				      "--print-pins", "--check-chain", NULL };
	struct options o;
	struct error e;

	ck_assert_int_eq(parse(args, &o, &e), OPTIONS_RUN);
	ck_assert_uint_eq(o.port, 993);
	ck_assert_int_eq(o.family, AF_INET6);
	ck_assert_int_eq(o.warn.kind, THRESHOLD_SECONDS);
	ck_assert_double_eq(o.warn.value, 36 * 3600);
	ck_assert_int_eq(o.crit.kind, THRESHOLD_PERCENT);
	ck_assert_uint_eq(o.pins.n, 1);
	ck_assert_double_eq(o.timeout, 2.5);
	ck_assert_int_eq(o.timeout_state, STATE_UNKNOWN);
	ck_assert_int_eq(o.scope, SCOPE_CHAIN);

	ck_assert(!o.fleet && !o.max_validity);
	options_free(&o);
	{
		const char *const fleet[] = { "-H", "h", "-I", "192.0.2.1", "-I", "[2001:db8::1]",
					      "--max-validity", NULL };
		const char *const fleet2[] = { "-H", "h", "--all-addresses", "--max-validity=100",
					       NULL };
		ck_assert_int_eq(parse(fleet, &o, &e), OPTIONS_RUN);
		ck_assert(o.fleet && o.max_validity);
		ck_assert_int_eq(o.max_validity_days, 0);
		ck_assert_uint_eq(o.naddresses, 2);
		ck_assert_str_eq(o.addresses[1], "2001:db8::1");
		ck_assert_ptr_null(o.address);
		options_free(&o);
		ck_assert_int_eq(parse(fleet2, &o, &e), OPTIONS_RUN);
		ck_assert(o.fleet && o.all_addresses);
		ck_assert_int_eq(o.max_validity_days, 100);
	}
	options_free(&o);
	{
		/* DAYS as the next argument; an option there is the next option. */
		const char *const spaced[] = { "-H", "h", "--max-validity", "30", "-p", "8443", NULL };
		const char *const flag[] = { "--max-validity", "-H", "h", NULL };
		const char *const last[] = { "-H", "h", "--max-validity", NULL };
		ck_assert_int_eq(parse(spaced, &o, &e), OPTIONS_RUN);
		ck_assert(o.max_validity);
		ck_assert_int_eq(o.max_validity_days, 30);
		ck_assert_uint_eq(o.port, 8443);
		options_free(&o);
		ck_assert_int_eq(parse(flag, &o, &e), OPTIONS_RUN);
		ck_assert(o.max_validity);
		ck_assert_int_eq(o.max_validity_days, 0);
		ck_assert_str_eq(o.host, "h");
		options_free(&o);
		ck_assert_int_eq(parse(last, &o, &e), OPTIONS_RUN);
		ck_assert(o.max_validity);
		ck_assert_int_eq(o.max_validity_days, 0);
	}
	options_free(&o);

	ck_assert_int_eq(parse(args2, &o, &e), OPTIONS_RUN);
	ck_assert_uint_eq(o.port, 443);
	ck_assert_int_eq(o.family, AF_UNSPEC);
	ck_assert_double_eq(o.timeout, 10);
	ck_assert_int_eq(o.timeout_state, STATE_CRITICAL);
	ck_assert_double_eq(o.warn.value, 21 * 86400);
	ck_assert_double_eq(o.crit.value, 7 * 86400);
	ck_assert_int_eq(o.scope, SCOPE_LEAF);
	ck_assert_int_eq(o.verbose, 2);
	ck_assert(o.print_pins && o.check_chain);
	options_free(&o);
}
END_TEST

/* --dane and its resolver: the server as libunbound takes it, port 53 by default. */
static const struct {
	const char *arg, *want;
} dns_servers[] = {
	{ "192.0.2.53", "192.0.2.53@53" },
	{ "192.0.2.53@5353", "192.0.2.53@5353" },
	{ "2001:db8::53", "2001:db8::53@53" },
	{ "[2001:db8::53]@853", "2001:db8::53@853" },
	{ "::1@5300", "::1@5300" },
};

START_TEST(test_dane)
{
	const char *args[] = { "-H", "mx.example", "--starttls", "smtp", "--dane", "--dns-server",
			       dns_servers[_i].arg, "--require-backup-pin", NULL };
	struct options o;
	struct error e;

	ck_assert_int_eq(parse(args, &o, &e), OPTIONS_RUN);
	ck_assert(o.dane && o.require_backup);
	ck_assert_uint_eq(o.port, 25);
	ck_assert_str_eq(o.dns_server, dns_servers[_i].want);
	ck_assert_ptr_null(o.dnssec_anchor);
	options_free(&o);
}
END_TEST

/* --print-tlsa with --file takes -p: the records are named after the port. */
START_TEST(test_print_tlsa_file)
{
	const char *const args[] = { "--file", CERT, "-p", "25", "-H", "mx.example",
				     "--print-tlsa", NULL };
	struct options o;
	struct error e;

	ck_assert_int_eq(parse(args, &o, &e), OPTIONS_RUN);
	ck_assert(o.print_tlsa && !o.dane);
	ck_assert_uint_eq(o.port, 25);
	ck_assert_str_eq(o.name, "mx.example");
	options_free(&o);
}
END_TEST

/* --revocation and its companions. */
static const struct {
	const char *argv[MAX_ARGS];
	enum revocation_mode mode;
	enum state unavailable;
	const char *cache;
} revocation[] = {
	{ { "-H", "h", NULL }, REVOCATION_STAPLE, STATE_WARNING, NULL },	/* staples only */
	{ { "-H", "h", "--revocation", NULL }, REVOCATION_ANY, STATE_WARNING, NULL },
	{ { "-H", "h", "--revocation=ocsp", NULL }, REVOCATION_OCSP, STATE_WARNING, NULL },
	{ { "-H", "h", "--revocation", "crl", "--crl-cache", ".", NULL }, REVOCATION_CRL,
	  STATE_WARNING, "." },
	{ { "-H", "h", "--revocation", "-p", "1", NULL }, REVOCATION_ANY, STATE_WARNING, NULL },
	{ { "-H", "h", "--revocation-unavailable", "CRITICAL", NULL }, REVOCATION_STAPLE,
	  STATE_CRITICAL, NULL },
	{ { "-H", "h", "--revocation=any", "--revocation-unavailable=ok", NULL }, REVOCATION_ANY,
	  STATE_OK, NULL },
};

START_TEST(test_revocation)
{
	struct options o;
	struct error e;

	ck_assert_int_eq(parse(revocation[_i].argv, &o, &e), OPTIONS_RUN);
	ck_assert_int_eq(o.revocation, revocation[_i].mode);
	ck_assert_int_eq(o.revocation_unavailable, revocation[_i].unavailable);
	if (revocation[_i].cache)
		ck_assert_str_eq(o.crl_cache, revocation[_i].cache);
	else
		ck_assert_ptr_null(o.crl_cache);
	options_free(&o);
}
END_TEST

START_TEST(test_help_version)
{
	const char *const help[] = { "-H", "h", "--help", NULL };
	const char *const version[] = { "-V", NULL };
	struct options o;
	struct error e;

	ck_assert_int_eq(parse(help, &o, &e), OPTIONS_HELP);
	options_free(&o);
	ck_assert_int_eq(parse(version, &o, &e), OPTIONS_VERSION);
	options_free(&o);
	/* Every long option is documented in --help. */
	ck_assert_ptr_nonnull(strstr(options_help, "--require-backup-pin"));
	ck_assert_ptr_nonnull(strstr(options_help, "--pin-scope"));
	ck_assert_ptr_nonnull(strstr(options_help, "--print-pins"));
}
END_TEST

static void
make_cert_file(void)
{
	FILE *f = fopen(CERT, "w");

	ck_assert_ptr_nonnull(f);
	fclose(f);
}

static void
remove_cert_file(void)
{
	remove(CERT);
}

Suite *
unit_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("options");

	tcase_add_unchecked_fixture(tc, make_cert_file, remove_cert_file);

	tcase_add_loop_test(tc, test_bad, 0, N_ELEMENTS(bad));
	tcase_add_loop_test(tc, test_good, 0, N_ELEMENTS(good));
	tcase_add_loop_test(tc, test_names, 0, N_ELEMENTS(names));
	tcase_add_test(tc, test_defaults_and_values);
	tcase_add_loop_test(tc, test_dane, 0, N_ELEMENTS(dns_servers));
	tcase_add_test(tc, test_print_tlsa_file);
	tcase_add_loop_test(tc, test_revocation, 0, N_ELEMENTS(revocation));
	tcase_add_test(tc, test_help_version);
	suite_add_tcase(s, tc);
	return s;
}
