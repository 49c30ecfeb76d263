/* Unit tests: escaping of hostile strings, durations, dates, the status line and perfdata. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "fixtures.h"
#include "report.h"
#include "unit.h"

static const struct {
	const char *in;
	size_t len;		/* 0: strlen */
	size_t max;
	const char *out;
} escapes[] = {
	{ "CN=www.example.com", 0, 200, "CN=www.example.com" },
	{ "a|b", 0, 200, "a\\x7cb" },				/* would start perfdata */
	{ "line\nbreak\r", 0, 200, "line\\x0abreak\\x0d" },	/* would start long output */
	{ "tab\there", 0, 200, "tab\\x09here" },
	{ "del\x7f", 0, 200, "del\\x7f" },
	{ "back\\slash", 0, 200, "back\\\\slash" },		/* no forged escapes */
	{ "a\0b", 3, 200, "a\\x00b" },				/* embedded NUL */
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92", 0, 200,
	  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92" },	/* valid UTF-8 kept */
	{ "\xff\xfe", 0, 200, "\\xff\\xfe" },			/* invalid bytes */
	{ "\xc0\xaf", 0, 200, "\\xc0\\xaf" },			/* overlong '/' */
	{ "\xed\xa0\x80", 0, 200, "\\xed\\xa0\\x80" },		/* surrogate */
	{ "\xf4\x90\x80\x80", 0, 200, "\\xf4\\x90\\x80\\x80" },	/* above U+10FFFF */
	{ "\xe2\x82", 0, 200, "\\xe2\\x82" },			/* truncated sequence */
	{ "a\xc2\x85" "b", 0, 200, "a\\xc2\\x85b" },		/* NEL, a C1 line break */
	{ "a\xe2\x80\xa8" "b", 0, 200, "a\\xe2\\x80\\xa8b" },	/* LINE SEPARATOR */
	{ "\xe2\x80\xae" "moc.evil", 0, 200, "\\xe2\\x80\\xaemoc.evil" },	/* RIGHT-TO-LEFT OVERRIDE */
	{ "\xef\xbb\xbf" "x", 0, 200, "\\xef\\xbb\\xbfx" },	/* BOM, invisible */
	{ "\xe2\x82\xac", 0, 200, "\xe2\x82\xac" },		/* an ordinary sign stays */
	{ "abcdefghij", 0, 8, "abcde..." },			/* cut, marked */
	{ "abcdefgh", 0, 8, "abcdefgh" },			/* fits exactly */
	{ "abcd\xc3\xa9xyz", 0, 8, "abcd..." },		/* never half a character */
	{ "ab|||", 0, 8, "ab..." },				/* never half an escape */
	{ "", 0, 8, "" },
};

START_TEST(test_escape)
{
	struct strbuf b;
	size_t len = escapes[_i].len ? escapes[_i].len : strlen(escapes[_i].in);

	strbuf_init(&b);
	report_escape(&b, escapes[_i].in, len, escapes[_i].max);
	ck_assert_str_eq(b.s ? b.s : "", escapes[_i].out);
	strbuf_free(&b);
}
END_TEST

/* Whatever the bytes, nothing that breaks the plugin output format survives. */
START_TEST(test_escape_invariant)
{
	unsigned seed = 12345;

	for (int round = 0; round < 2000; round++) {
		char in[64];
		struct strbuf b;

		for (size_t i = 0; i < sizeof(in); i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (char)(seed >> 16);
		}
		strbuf_init(&b);
		report_escape(&b, in, sizeof(in), 120);
		ck_assert_uint_le(b.len, 120);
		for (size_t i = 0; i < b.len; i++) {
			unsigned char c = (unsigned char)b.s[i];
			ck_assert_msg(c >= 0x20 && c != 0x7f && c != '|', "byte 0x%02x survived", c);
		}
		strbuf_free(&b);
	}
}
END_TEST

static const struct {
	int64_t secs;
	const char *text;
} durations[] = {
	{ 0, "0s" },
	{ 59, "59s" },
	{ 60, "1m" },
	{ 61, "1m 1s" },
	{ 3600, "1h" },
	{ 5400, "1h 30m" },
	{ 86400, "1d" },
	{ 63 * 86400 + 4 * 3600 + 59, "63d 4h" },
	{ -(86400 + 3600), "1d 1h" },
	{ INT64_MIN, "106751991167300d 15h" },	/* no overflow on the magnitude */
};

START_TEST(test_duration)
{
	struct strbuf b;

	strbuf_init(&b);
	report_duration(&b, durations[_i].secs);
	ck_assert_str_eq(b.s, durations[_i].text);
	strbuf_free(&b);
}
END_TEST

static const struct {
	int64_t t;
	const char *text;
} dates[] = {
	{ 0, "1970-01-01 00:00 UTC" },
	{ 2147483648LL, "2038-01-19 03:14 UTC" },	/* past the 32-bit limit */
	{ 2524608000LL, "2050-01-01 00:00 UTC" },	/* GeneralizedTime era (RFC 5280 4.1.2.5) */
	{ 253402300799LL, "9999-12-31 23:59 UTC" },	/* "no well-defined expiration" */
	{ -86400, "1969-12-31 00:00 UTC" },
};

START_TEST(test_date)
{
	struct strbuf b;

	strbuf_init(&b);
	report_date(&b, dates[_i].t, true);
	ck_assert_str_eq(b.s, dates[_i].text);
	strbuf_free(&b);
}
END_TEST

struct fixture {
	struct options o;
	struct chain c;
	struct path p;
	struct evaluation ev;
	struct report r;
	struct strbuf out;
};

/* The example: a pinned, trusted leaf with 63d 4h left. */
static void
setup_example(struct fixture *f, int64_t now)
{
	memset(f, 0, sizeof(*f));
	fixture_options(&f->o);
	fixture_pin(&f->o, 0x10, "current");
	fixture_pin(&f->o, 0x11, "next");
	fixture_chain(&f->c, 2);
	fixture_cert(&f->c.v[0], "CN=www.example.com", "CN=Issuing CA",
		     T_2027_01_28_1200 - 200 * DAY, T_2027_01_28_1200, 0x10);
	fixture_cert(&f->c.v[1], "CN=Issuing CA", "CN=Root", now - 300 * DAY,
		     now + 3000 * DAY, 0x20);
	fixture_path(&f->p, &f->c, NULL);
	f->r.opt = &f->o;
	f->r.target = "www.example.com:443";
	f->r.chain = &f->c;
	f->r.path = &f->p;
	f->r.ev = &f->ev;
	f->r.elapsed = 0.041;
	for (int i = 0; i < PHASE_COUNT; i++)
		f->r.phase[i] = -1;
	strbuf_init(&f->out);
}

static void
teardown(struct fixture *f)
{
	path_free(&f->p);
	chain_free(&f->c);
	pinset_free(&f->o.pins);
	strbuf_free(&f->out);
}

static char *
first_line(const struct strbuf *b)
{
	return strndup(b->s, strcspn(b->s, "\n"));
}

START_TEST(test_status_line_ok)
{
	struct fixture f;
	int64_t now = T_2027_01_28_1200 - (63 * DAY + 4 * 3600 + 5 * 60);
	char *line;

	setup_example(&f, now);
	evaluate(&f.o, &f.p, NULL, NULL, now, &f.ev);
	ck_assert_int_eq(report_render(&f.r, &f.out), STATE_OK);
	line = first_line(&f.out);
	ck_assert_str_eq(line, "TLS_PIN OK - www.example.com:443 expires in 63d 4h "
			 "(2027-01-28 12:00 UTC), key pinned (leaf, \"current\") | "
			 "days=63.17;30:;14:;; time=0.041s;;;0;");
	ck_assert_str_eq(f.out.s + strlen(line), "\n");	/* one line without -v */
	free(line);
	teardown(&f);
}
END_TEST

/* Each non-OK finding is named on the first line. */
static const struct {
	int64_t left;		/* seconds before notAfter */
	bool wrong_pin, untrusted, backup;
	enum state st;
	const char *parts[3];
} findings[] = {
	{ 20 * DAY, false, false, false, STATE_WARNING,
	  { "expires in 20d (", "within the warning threshold of 30d", NULL } },
	{ 3 * DAY + 7200, false, false, false, STATE_CRITICAL,
	  { "expires in 3d 2h", "within the critical threshold of 14d", NULL } },
	{ -(2 * DAY + 3600), false, false, false, STATE_CRITICAL,
	  { "EXPIRED 2d 1h ago (2027-01-28 12:00 UTC)", "days=-2.04;", NULL } },
	{ 60 * DAY, true, false, false, STATE_CRITICAL,
	  { "key NOT pinned, served sha256/", NULL, NULL } },
	{ 60 * DAY, false, true, false, STATE_CRITICAL,
	  { "NOT trusted: issuer unknown", NULL, NULL } },
	{ 60 * DAY, false, false, true, STATE_WARNING,
	  { "no backup pin", NULL, NULL } },
	{ 20 * DAY, true, true, false, STATE_CRITICAL,
	  { "within the warning threshold", "NOT pinned", "NOT trusted" } },
};

START_TEST(test_findings)
{
	struct fixture f;
	struct trust_result t = { .state = STATE_CRITICAL, .trusted = false };
	int64_t now = T_2027_01_28_1200 - findings[_i].left;
	char *line;

	setup_example(&f, now);
	if (findings[_i].wrong_pin)
		f.c.v[0].pin[0] = 0x77;
	if (findings[_i].backup) {
		pinset_free(&f.o.pins);
		fixture_pin(&f.o, 0x10, NULL);
		f.o.require_backup = true;
	}
	snprintf(t.reason, sizeof(t.reason), "issuer unknown (no trusted anchor)");
	f.r.trust = findings[_i].untrusted ? &t : NULL;
	evaluate(&f.o, &f.p, f.r.trust, NULL, now, &f.ev);
	ck_assert_int_eq(report_render(&f.r, &f.out), findings[_i].st);
	line = first_line(&f.out);
	ck_assert_msg(strncmp(line, "TLS_PIN ", 8) == 0, "%s", line);
	ck_assert_ptr_nonnull(strstr(line, state_name(findings[_i].st)));
	for (int i = 0; i < 3 && findings[_i].parts[i]; i++)
		ck_assert_msg(strstr(line, findings[_i].parts[i]) != NULL,
			      "'%s' not in '%s'", findings[_i].parts[i], line);
	free(line);
	teardown(&f);
}
END_TEST

/* A hostile subject cannot add perfdata or lines, even with -v and --check-chain. */
START_TEST(test_hostile_subject)
{
	struct fixture f;
	int64_t now = T_2027_01_28_1200 - 60 * DAY;
	char *line;
	size_t lines = 0;

	setup_example(&f, now);
	free(f.c.v[1].subject);
	f.c.v[1].subject = strdup("CN=evil | days=999;1;1 \n TLS_PIN OK - fake");
	f.c.v[1].not_after = now + 2 * DAY;
	f.o.check_chain = true;
	f.o.verbose = 1;
	evaluate(&f.o, &f.p, NULL, NULL, now, &f.ev);
	ck_assert_int_eq(report_render(&f.r, &f.out), STATE_CRITICAL);
	line = first_line(&f.out);
	ck_assert_ptr_eq(strchr(line, '|'), strrchr(line, '|'));
	ck_assert_ptr_nonnull(strstr(line, "depth 1 (CN=evil \\x7c days=999;1;1 \\x0a TLS_PIN OK"));
	for (const char *p = f.out.s; *p; p++)
		lines += *p == '\n';
	ck_assert_uint_eq(lines, 4);	/* status, two certificates, trust */
	ck_assert_ptr_null(strstr(f.out.s, "\n TLS_PIN"));
	free(line);
	teardown(&f);
}
END_TEST

/* --check-chain names every certificate in a non-OK state, not only the worst. */
START_TEST(test_check_chain_all_named)
{
	struct fixture f;
	int64_t now = T_2027_01_28_1200 - 60 * DAY;
	char *line;

	setup_example(&f, now);
	path_free(&f.p);
	chain_free(&f.c);
	fixture_chain(&f.c, 3);
	fixture_cert(&f.c.v[0], "CN=www.example.com", "CN=Issuing CA", now - 30 * DAY,
		     now + 60 * DAY, 0x10);
	fixture_cert(&f.c.v[1], "CN=Issuing CA", "CN=Cross", now - 900 * DAY, now + 20 * DAY, 0x20);
	fixture_cert(&f.c.v[2], "CN=Cross", "CN=Root", now - 900 * DAY, now + 5 * DAY, 0x30);
	fixture_path(&f.p, &f.c, NULL);
	f.o.check_chain = true;
	evaluate(&f.o, &f.p, NULL, NULL, now, &f.ev);
	ck_assert_int_eq(report_render(&f.r, &f.out), STATE_CRITICAL);
	line = first_line(&f.out);
	ck_assert_ptr_nonnull(strstr(line, ", depth 1 (CN=Issuing CA) expires in 20d"));
	ck_assert_ptr_nonnull(strstr(line, "within the warning threshold"));
	ck_assert_ptr_nonnull(strstr(line, ", depth 2 (CN=Cross) expires in 5d"));
	ck_assert_ptr_nonnull(strstr(line, "within the critical threshold"));
	free(line);
	teardown(&f);
}
END_TEST

/*
 * --print-pins output is a pin file that pins what a client pins: the leaf's
 * key, labelled; the CA's key only as a comment, each pin once (the anchor
 * that has the served CA's key shares its line), the status as a comment.
 */
START_TEST(test_print_pins)
{
	struct fixture f;
	struct pinset back;
	struct error e;
	struct cert anchor;
	char ca[PIN_TEXT_SIZE], text[200];
	int64_t now = T_2027_01_28_1200 - 60 * DAY;

	setup_example(&f, now);
	path_free(&f.p);
	fixture_cert(&anchor, "CN=Issuing CA", "CN=Issuing CA", now - 300 * DAY, now + 3000 * DAY,
		     0x20);
	fixture_path(&f.p, &f.c, &anchor);
	f.o.print_pins = true;
	evaluate(&f.o, &f.p, NULL, NULL, now, &f.ev);
	report_render(&f.r, &f.out);
	ck_assert_ptr_nonnull(strstr(f.out.s, "=  leaf: CN=www.example.com, expires 2027-01-28\n"));
	pins_format(f.c.v[1].pin, ca);
	snprintf(text, sizeof(text), "\n# %s  depth 1 and trust anchor: CN=Issuing CA, expires ", ca);
	ck_assert_msg(strstr(f.out.s, text) != NULL, "%s", f.out.s);
	ck_assert_ptr_null(strstr(strstr(f.out.s, ca) + 1, ca));	/* once */
	ck_assert_ptr_nonnull(strstr(f.out.s, "\n# TLS_PIN OK - "));
	pinset_init(&back);
	ck_assert_int_eq(pins_parse_file_buf(&back, "out", f.out.s, f.out.len, &e), 1);
	ck_assert_int_eq(pins_find(&back, f.c.v[0].pin), 0);
	ck_assert_str_eq(back.v[0].label, "leaf: CN=www.example.com, expires 2027-01-28");
	ck_assert_int_lt(pins_find(&back, f.c.v[1].pin), 0);
	pinset_free(&back);
	teardown(&f);
}
END_TEST

START_TEST(test_failure_and_usage)
{
	struct fixture f;
	struct error e;

	setup_example(&f, 0);
	f.r.chain = NULL;
	f.r.ev = NULL;
	error_set(&e, STATE_CRITICAL, "cannot connect to www.example.com port 443 (refused)");
	f.r.failure = &e;
	ck_assert_int_eq(report_render(&f.r, &f.out), STATE_CRITICAL);
	ck_assert_str_eq(f.out.s, "TLS_PIN CRITICAL - www.example.com:443: cannot connect to "
			 "www.example.com port 443 (refused) | time=0.041s;;;0;\n");
	strbuf_free(&f.out);
	error_set(&e, STATE_UNKNOWN, "invalid pin 'x|y'");
	report_usage_error(&e, &f.out);
	ck_assert_str_eq(f.out.s, "TLS_PIN UNKNOWN - invalid pin 'x\\x7cy'\n"
			 "Usage: check_tls_pin -H HOST [OPTION]... or --file CERTS [OPTION]...; "
			 "see 'check_tls_pin --help'.\n");
	ck_assert_ptr_eq(strchr(f.out.s, '|'), NULL);
	teardown(&f);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_loop_test(tc, test_escape, 0, N_ELEMENTS(escapes));
	tcase_add_test(tc, test_escape_invariant);
	tcase_add_loop_test(tc, test_duration, 0, N_ELEMENTS(durations));
	tcase_add_loop_test(tc, test_date, 0, N_ELEMENTS(dates));
	tcase_add_test(tc, test_status_line_ok);
	tcase_add_loop_test(tc, test_findings, 0, N_ELEMENTS(findings));
	tcase_add_test(tc, test_hostile_subject);
	tcase_add_test(tc, test_check_chain_all_named);
	tcase_add_test(tc, test_print_pins);
	tcase_add_test(tc, test_failure_and_usage);
	suite_add_tcase(s, tc);
	return s;
}
