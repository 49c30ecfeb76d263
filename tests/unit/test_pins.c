/* Unit tests: pin spellings, malformed pins, pin lists, pin files, formatting. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pins.h"
#include "unit.h"

/* SHA-256("abc"), the FIPS 180-2 example, as the digest every spelling names. */
static const unsigned char abc[PIN_LEN] = {
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde,
	0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
	0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad
};
#define ABC_B64 "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
#define ABC_HEX "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define ABC_HEXC "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD"
#define EMPTY_B64 "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

/* Every accepted spelling of the same pin decodes to the same digest. */
static const char *const good[] = {
	"sha256/" ABC_B64,		/* OkHttp */
	"sha256//" ABC_B64,		/* curl */
	"pin-sha256=\"" ABC_B64 "\"",	/* HPKP */
	"pin-sha256=" ABC_B64,		/* HPKP token form */
	"PIN-SHA256=\"" ABC_B64 "\"",	/* HPKP directive names are case-insensitive */
	"pin-sha256:" ABC_B64,		/* GnuTLS certtool */
	ABC_B64,			/* bare */
	ABC_HEX,			/* DANE 3 1 1 */
	ABC_HEXC,			/* openssl -c style, upper case */
	"  sha256/" ABC_B64 "\t",	/* surrounding white space */
	"SHA256/" ABC_B64,
};

START_TEST(test_good)
{
	unsigned char d[PIN_LEN];
	struct error e;

	memset(d, 0, sizeof(d));
	ck_assert_int_eq(pins_parse_one(good[_i], strlen(good[_i]), d, &e), 0);
	ck_assert_mem_eq(d, abc, PIN_LEN);
}
END_TEST

/* Malformed pins are refused with a reason; none is silently accepted. */
static const struct {
	const char *text;
	const char *reason;	/* a part of the message */
} bad[] = {
	{ "", "empty" },
	{ "   ", "empty" },
	{ "sha1/" ABC_B64, "SHA-1" },
	{ "pin-sha1=\"AAAAAAAAAAAAAAAAAAAAAAAAAAA=\"", "SHA-1" },
	{ "sha256/" "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0", "44 characters" },	/* no '=' */
	{ "sha256/" "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0==", "44 characters" },
	{ "sha256/" "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0A", "end with one '='" },
	{ "sha256/" "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0=", "invalid base64" },	/* base64url */
	{ "sha256/" "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa1=", "not canonical" },
	{ "sha256/" "ungWv48Bz+pBQUDeXa4iI7A=YaOWF3qctBD/YfIAFa0=", "invalid base64" },
	{ "sha256/ " ABC_B64, "44 characters" },
	{ "sha384/" ABC_B64, "not a SHA-256 pin" },
	{ "pin-sha256=\"" ABC_B64, "44 characters" },	/* unbalanced quote */
	{ "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ag", "hex digit" },
	{ "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015", "not a SHA-256 pin" },
	{ "BA-78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD", "separated by ':'" },
	{ "max-age=5184000", "not a SHA-256 pin" },
	{ "hello", "not a SHA-256 pin" },
};

START_TEST(test_bad)
{
	unsigned char d[PIN_LEN];
	struct error e;

	ck_assert_int_eq(pins_parse_one(bad[_i].text, strlen(bad[_i].text), d, &e), -1);
	ck_assert_int_eq(e.state, STATE_UNKNOWN);
	ck_assert_msg(strstr(e.msg, bad[_i].reason) != NULL, "'%s' gave '%s'", bad[_i].text, e.msg);
}
END_TEST

START_TEST(test_bad_entry_is_quoted)
{
	unsigned char d[PIN_LEN];
	struct error e;
	char longpin[300];

	pins_parse_one("sha256/oops", 11, d, &e);
	ck_assert_ptr_nonnull(strstr(e.msg, "'sha256/oops'"));
	/* An absurdly long entry is quoted in part only. */
	memset(longpin, 'A', sizeof(longpin) - 1);
	longpin[sizeof(longpin) - 1] = '\0';
	pins_parse_one(longpin, strlen(longpin), d, &e);
	ck_assert_ptr_nonnull(strstr(e.msg, "...'"));
	ck_assert_uint_lt(strlen(e.msg), 300);
}
END_TEST

/* Lists: ';' and ',' separate; duplicates collapse; an empty entry is an error. */
static const struct {
	const char *arg;
	int rc;
	size_t n;
} lists[] = {
	{ "sha256/" ABC_B64, 0, 1 },
	{ "sha256/" ABC_B64 ";sha256/" EMPTY_B64, 0, 2 },
	{ "sha256/" ABC_B64 ", " EMPTY_B64, 0, 2 },
	{ "pin-sha256=\"" ABC_B64 "\"; pin-sha256=\"" EMPTY_B64 "\"", 0, 2 },	/* HPKP header */
	{ ABC_B64 ";" ABC_HEX, 0, 1 },	/* the same pin twice */
	{ ABC_B64 ";", -1, 1 },
	{ ABC_B64 ";;" EMPTY_B64, -1, 1 },
	{ "pin-sha256=\"" ABC_B64 "\"; max-age=600", -1, 1 },
};

START_TEST(test_lists)
{
	struct pinset set;
	struct error e;

	pinset_init(&set);
	ck_assert_int_eq(pins_add_list(&set, lists[_i].arg, &e), lists[_i].rc);
	ck_assert_uint_eq(set.n, lists[_i].n);
	ck_assert_int_eq(pins_find(&set, abc), 0);
	pinset_free(&set);
}
END_TEST

START_TEST(test_file)
{
	static const char text[] =
		"# pins of the app, release 42\n"
		"\n"
		"sha256/" ABC_B64 "   current key \r\n"
		"   pin-sha256:" EMPTY_B64 " # backup, no label\n"
		ABC_HEX " another label is ignored for a repeat\n"
		"\t# indented comment";
	struct pinset set;
	struct error e;
	unsigned char empty[PIN_LEN];

	pinset_init(&set);
	ck_assert_int_eq(pins_parse_file_buf(&set, "f", text, strlen(text), &e), 3);
	ck_assert_uint_eq(set.n, 2);
	ck_assert_str_eq(set.v[0].label, "current key");
	ck_assert_ptr_null(set.v[1].label);
	ck_assert_int_eq(pins_parse_one(EMPTY_B64, 44, empty, &e), 0);
	ck_assert_int_eq(pins_find(&set, empty), 1);
	pinset_free(&set);
}
END_TEST

/* A bad file names the file and line. */
static const struct {
	const char *text;
	size_t len;		/* 0: strlen */
	const char *msg;
} bad_files[] = {
	{ "# ok\nsha256/short\n", 0, "pins:2: invalid pin 'sha256/short'" },
	{ "\n\n\nsha1/" ABC_B64 " old\n", 0, "pins:4:" },
	{ "sha256/" ABC_B64 "\0junk\n", 7 + 44 + 5, "pins:1: NUL byte" },
};

START_TEST(test_bad_file)
{
	struct pinset set;
	struct error e;
	size_t len = bad_files[_i].len ? bad_files[_i].len : strlen(bad_files[_i].text);

	pinset_init(&set);
	ck_assert_int_eq(pins_parse_file_buf(&set, "pins", bad_files[_i].text, len, &e), -1);
	ck_assert_int_eq(e.state, STATE_UNKNOWN);
	ck_assert_msg(strncmp(e.msg, bad_files[_i].msg, strlen(bad_files[_i].msg)) == 0,
		      "got '%s'", e.msg);
	pinset_free(&set);
}
END_TEST

START_TEST(test_long_line)
{
	static char text[5000];
	struct pinset set;
	struct error e;

	memset(text, ' ', sizeof(text) - 1);
	pinset_init(&set);
	ck_assert_int_eq(pins_parse_file_buf(&set, "p", text, sizeof(text) - 1, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "p:1: line longer"));
	pinset_free(&set);
}
END_TEST

START_TEST(test_load_file_errors)
{
	struct pinset set;
	struct error e;
	char path[] = "/tmp/tls_pin_unit.XXXXXX";
	int fd;

	pinset_init(&set);
	ck_assert_int_eq(pins_load_file(&set, "/nonexistent/pins", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "cannot open pin file /nonexistent/pins"));
	ck_assert_int_eq(pins_load_file(&set, "/", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "directory"));
	/* Devices and FIFOs would block or never end: only regular files are read. */
	ck_assert_int_eq(pins_load_file(&set, "/dev/null", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "not a regular file"));
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "# only a comment\n", 17), 17);
	close(fd);
	ck_assert_int_eq(pins_load_file(&set, path, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "holds no pins"));
	unlink(path);
	pinset_free(&set);
}
END_TEST

START_TEST(test_format_roundtrip)
{
	char text[PIN_TEXT_SIZE];
	unsigned char d[PIN_LEN];
	struct error e;

	pins_format(abc, text);
	ck_assert_str_eq(text, "sha256/" ABC_B64);
	/* Every byte value survives the round trip. */
	for (unsigned v = 0; v < 256; v++) {
		unsigned char in[PIN_LEN];
		for (unsigned i = 0; i < PIN_LEN; i++)
			in[i] = (unsigned char)(v + i * 7);
		pins_format(in, text);
		ck_assert_int_eq(pins_parse_one(text, strlen(text), d, &e), 0);
		ck_assert_mem_eq(in, d, PIN_LEN);
	}
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("pins");
	TCase *tc = tcase_create("pins");

	tcase_add_loop_test(tc, test_good, 0, N_ELEMENTS(good));
	tcase_add_loop_test(tc, test_bad, 0, N_ELEMENTS(bad));
	tcase_add_test(tc, test_bad_entry_is_quoted);
	tcase_add_loop_test(tc, test_lists, 0, N_ELEMENTS(lists));
	tcase_add_test(tc, test_file);
	tcase_add_loop_test(tc, test_bad_file, 0, N_ELEMENTS(bad_files));
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_load_file_errors);
	tcase_add_test(tc, test_format_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
