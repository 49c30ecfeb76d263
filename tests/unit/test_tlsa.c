/*
 * Unit tests: TLSA records judged on a path (tlsa_judge), one table row an
 * RRset. The certificates are made here by GnuTLS: a CA, a leaf it signed
 * for www.example.com, and an unrelated key's certificate; the records'
 * digests are computed here from their DER, not by the module under test.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "der.h"
#include "tlsa.h"
#include "unit.h"

#define NOW 1800000000

static struct chain served, other;
static struct path path;

static gnutls_x509_privkey_t
new_key(void)
{
	gnutls_x509_privkey_t k;

	ck_assert_int_ge(gnutls_x509_privkey_init(&k), 0);
	ck_assert_int_ge(gnutls_x509_privkey_generate(k, GNUTLS_PK_ECDSA,
						      GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1),
						      0), 0);
	return k;
}

/* A certificate for dn on key, signed by signer (NULL: itself), valid around NOW. */
static void
new_der(const char *dn, const char *san, gnutls_x509_privkey_t key, gnutls_x509_crt_t signer,
	gnutls_x509_privkey_t signer_key, bool ca, gnutls_x509_crt_t *out, gnutls_datum_t *der)
{
	static unsigned char serial;
	gnutls_x509_crt_t crt;

	serial++;
	ck_assert_int_ge(gnutls_x509_crt_init(&crt), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_version(crt, 3), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_serial(crt, &serial, 1), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_dn(crt, dn, NULL), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_key(crt, key), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_activation_time(crt, NOW - 86400), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_expiration_time(crt, NOW + 86400 * 30), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_basic_constraints(crt, ca, -1), 0);
	if (ca)
		ck_assert_int_ge(gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_KEY_CERT_SIGN), 0);
	if (san)
		ck_assert_int_ge(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, san,
								      (unsigned)strlen(san),
								      GNUTLS_FSAN_SET), 0);
	ck_assert_int_ge(gnutls_x509_crt_sign2(crt, signer ? signer : crt,
					       signer ? signer_key : key, GNUTLS_DIG_SHA256, 0), 0);
	ck_assert_int_ge(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, der), 0);
	*out = crt;
}

static void
setup(void)
{
	gnutls_x509_privkey_t ca_key = new_key(), leaf_key = new_key(), other_key = new_key();
	gnutls_x509_crt_t ca, leaf, stray;
	gnutls_datum_t der[2], stray_der;
	struct options o;
	struct error e;

	new_der("CN=Test CA", NULL, ca_key, NULL, NULL, true, &ca, &der[1]);
	new_der("CN=www.example.com", "www.example.com", leaf_key, ca, ca_key, false, &leaf, &der[0]);
	new_der("CN=other", "www.example.com", other_key, NULL, NULL, false, &stray, &stray_der);
	ck_assert_int_eq(chain_from_der(&served, der, 2, &e), 0);
	ck_assert_int_eq(chain_from_der(&other, &stray_der, 1, &e), 0);
	memset(&o, 0, sizeof(o));
	o.dane = true;
	ck_assert_int_eq(path_build(&path, &served, NULL, &o, NOW, &e), 0);
	ck_assert_int_eq(path.n, 2);
	gnutls_x509_crt_deinit(ca);
	gnutls_x509_crt_deinit(leaf);
	gnutls_x509_crt_deinit(stray);
	gnutls_free(der[0].data);
	gnutls_free(der[1].data);
	gnutls_free(stray_der.data);
	gnutls_x509_privkey_deinit(ca_key);
	gnutls_x509_privkey_deinit(leaf_key);
	gnutls_x509_privkey_deinit(other_key);
}

static void
teardown(void)
{
	path_free(&path);
	chain_free(&served);
	chain_free(&other);
}

/* Which certificate a record's data is made from. */
enum subject { LEAF, CA, OTHER };

/* A record: its fields, the certificate its data is of, and a length change. */
struct rec {
	int usage, selector, mtype;
	enum subject of;
	int cut;		/* bytes taken off the data (a wrong length) */
};

#define R(u, s, m, of) { u, s, m, of, 0 }

static const struct {
	const char *what;
	struct rec recs[4];
	size_t n;
	bool smtp, pkix_checked, pkix_trusted, backup;
	const char *name;
	enum state st;
	long satisfied_by;
	size_t usable;
	enum tlsa_usability first;	/* the first record's usability */
} cases[] = {
	{ "3 1 1 of the leaf", { R(3, 1, 1, LEAF) }, 1, false, false, false, false,
	  "www.example.com", STATE_OK, 0, 1, TLSA_USABLE },
	{ "3 0 1 of the leaf certificate", { R(3, 0, 1, LEAF) }, 1, false, false, false, false,
	  NULL, STATE_OK, 0, 1, TLSA_USABLE },
	{ "3 1 2 and 3 0 0", { R(3, 1, 2, OTHER), R(3, 0, 0, LEAF) }, 2, false, false, false,
	  false, NULL, STATE_OK, 1, 2, TLSA_USABLE },
	{ "3 1 1 ignores the name", { R(3, 1, 1, LEAF) }, 1, false, false, false, false,
	  "mail.example.net", STATE_OK, 0, 1, TLSA_USABLE },
	{ "3 1 1 of another key", { R(3, 1, 1, OTHER) }, 1, false, false, false, false,
	  NULL, STATE_CRITICAL, -1, 1, TLSA_USABLE },
	{ "3 1 1 of the CA is no EE match", { R(3, 1, 1, CA) }, 1, false, false, false, false,
	  NULL, STATE_CRITICAL, -1, 1, TLSA_USABLE },
	{ "2 1 1 of the CA, the name right", { R(2, 1, 1, CA) }, 1, false, false, false, false,
	  "www.example.com", STATE_OK, 0, 1, TLSA_USABLE },
	{ "2 0 1 of the CA certificate", { R(2, 0, 1, CA) }, 1, false, false, false, false,
	  "www.example.com", STATE_OK, 0, 1, TLSA_USABLE },
	{ "2 1 1 of the CA, the name wrong", { R(2, 1, 1, CA) }, 1, false, false, false, false,
	  "mail.example.net", STATE_CRITICAL, -1, 1, TLSA_USABLE },
	{ "2 1 1 of the leaf is no TA match", { R(2, 1, 1, LEAF) }, 1, false, false, false, false,
	  "www.example.com", STATE_CRITICAL, -1, 1, TLSA_USABLE },
	{ "1 1 1 without a verification", { R(1, 1, 1, LEAF) }, 1, false, false, false, false,
	  NULL, STATE_CRITICAL, -1, 1, TLSA_USABLE },
	{ "1 1 1 with an untrusting verification", { R(1, 1, 1, LEAF) }, 1, false, true, false,
	  false, NULL, STATE_CRITICAL, -1, 1, TLSA_USABLE },
	{ "1 1 1 with a trusting verification", { R(1, 1, 1, LEAF) }, 1, false, true, true,
	  false, NULL, STATE_OK, 0, 1, TLSA_USABLE },
	{ "0 1 1 of the CA, trusted", { R(0, 1, 1, CA) }, 1, false, true, true, false, NULL,
	  STATE_OK, 0, 1, TLSA_USABLE },
	{ "SMTP: 1 1 1 is unusable, however trusted", { R(1, 1, 1, LEAF) }, 1, true, true, true,
	  false, NULL, STATE_CRITICAL, -1, 0, TLSA_PKIX_WITH_SMTP },
	{ "SMTP: 3 1 1 beside an unusable 0 1 1", { R(0, 1, 1, CA), R(3, 1, 1, LEAF) }, 2, true,
	  true, true, false, NULL, STATE_OK, 1, 1, TLSA_PKIX_WITH_SMTP },
	{ "unknown usage 4", { R(4, 1, 1, LEAF) }, 1, false, false, false, false, NULL,
	  STATE_CRITICAL, -1, 0, TLSA_UNKNOWN_USAGE },
	{ "unknown selector 2", { R(3, 2, 1, LEAF) }, 1, false, false, false, false, NULL,
	  STATE_CRITICAL, -1, 0, TLSA_UNKNOWN_SELECTOR },
	{ "unknown matching type 3", { R(3, 1, 3, LEAF) }, 1, false, false, false, false, NULL,
	  STATE_CRITICAL, -1, 0, TLSA_UNKNOWN_MTYPE },
	{ "a SHA-256 one byte short", { { 3, 1, 1, LEAF, 1 } }, 1, false, false, false, false,
	  NULL, STATE_CRITICAL, -1, 0, TLSA_BAD_LENGTH },
	{ "a bad length beside a good record", { { 3, 1, 1, LEAF, 1 }, R(3, 1, 1, LEAF) }, 2,
	  false, false, false, false, NULL, STATE_OK, 1, 1, TLSA_BAD_LENGTH },
	{ "full data one byte short", { { 3, 1, 0, LEAF, 1 } }, 1, false, false, false, false,
	  NULL, STATE_CRITICAL, -1, 1, TLSA_USABLE },
	{ "a SHA-512 of another key outranks the SHA-256 of ours (RFC 7671 9)",
	  { R(3, 1, 1, LEAF), R(3, 1, 2, OTHER) }, 2, false, false, false, false, NULL,
	  STATE_CRITICAL, -1, 1, TLSA_WEAKER_DIGEST },
	{ "a SHA-512 for another selector leaves the SHA-256 usable",
	  { R(3, 1, 1, LEAF), R(3, 0, 2, OTHER) }, 2, false, false, false, false, NULL,
	  STATE_OK, 0, 2, TLSA_USABLE },
	{ "backup required, current only", { R(3, 1, 1, LEAF) }, 1, false, false, false, true,
	  NULL, STATE_WARNING, 0, 1, TLSA_USABLE },
	{ "backup required, current and next", { R(3, 1, 1, LEAF), R(3, 1, 1, OTHER) }, 2, false,
	  false, false, true, NULL, STATE_OK, 0, 2, TLSA_USABLE },
	{ "backup required, leaf and CA both served", { R(3, 1, 1, LEAF), R(2, 1, 1, CA) }, 2,
	  false, false, false, true, "www.example.com", STATE_WARNING, 0, 2, TLSA_USABLE },
	{ "no records at all", { R(3, 1, 1, LEAF) }, 0, false, false, false, false, NULL,
	  STATE_CRITICAL, -1, 0, TLSA_USABLE },
};

/* The RDATA of r: fields, then the data computed from its certificate's DER. */
static size_t
rdata_of(const struct rec *r, unsigned char *out, size_t size)
{
	const struct cert *ct = r->of == LEAF ? &served.v[0] : r->of == CA ? &served.v[1]
				: &other.v[0];
	const unsigned char *p = r->selector == 0 ? ct->der : ct->der + ct->spki_off;
	size_t len = r->selector == 0 ? ct->der_len : ct->spki_len, n;

	out[0] = (unsigned char)r->usage;
	out[1] = (unsigned char)r->selector;
	out[2] = (unsigned char)r->mtype;
	if (r->mtype == 1 || r->mtype == 3) {
		ck_assert_int_eq(gnutls_hash_fast(GNUTLS_DIG_SHA256, p, len, out + 3), 0);
		n = 32;
	} else if (r->mtype == 2) {
		ck_assert_int_eq(gnutls_hash_fast(GNUTLS_DIG_SHA512, p, len, out + 3), 0);
		n = 64;
	} else {
		ck_assert_uint_le(len + 3, size);
		memcpy(out + 3, p, len);
		n = len;
	}
	return 3 + n - (size_t)r->cut;
}

START_TEST(test_judge)
{
	struct tlsa_set s;
	struct tlsa_verdict v;
	struct tlsa_context cx = {
		.smtp = cases[_i].smtp, .name = cases[_i].name,
		.pkix_checked = cases[_i].pkix_checked, .pkix_trusted = cases[_i].pkix_trusted,
		.now = NOW,
	};
	static unsigned char rdata[8192];
	struct error e;

	tlsa_set_init(&s);
	for (size_t i = 0; i < cases[_i].n; i++) {
		size_t len = rdata_of(&cases[_i].recs[i], rdata, sizeof(rdata));

		ck_assert_int_eq(tlsa_set_add(&s, rdata, len, &e), 0);
	}
	tlsa_judge(&s, &path, &cx, cases[_i].backup, &v);
	ck_assert_msg(v.state == cases[_i].st, "%s: state %d", cases[_i].what, v.state);
	ck_assert_msg(v.satisfied_by == cases[_i].satisfied_by, "%s: satisfied by %ld",
		      cases[_i].what, v.satisfied_by);
	ck_assert_msg(v.usable == cases[_i].usable, "%s: %zu usable", cases[_i].what, v.usable);
	if (cases[_i].n)
		ck_assert_msg(v.r[0].usability == cases[_i].first, "%s: usability %d",
			      cases[_i].what, v.r[0].usability);
	tlsa_set_free(&s);
}
END_TEST

/*
 * The leaf is never its own trust anchor: not even on a path that holds it
 * twice, as a server that sends its self-signed leaf twice would make one.
 */
START_TEST(test_leaf_twice)
{
	struct tlsa_set s;
	struct tlsa_verdict v;
	struct tlsa_context cx = { .name = "www.example.com", .now = NOW };
	struct rec rec = R(2, 1, 1, LEAF);
	static unsigned char rdata[8192];
	struct path twice = path;
	struct error e;
	size_t len = rdata_of(&rec, rdata, sizeof(rdata));

	twice.v[1] = path.v[0];
	twice.served[1] = 0;
	twice.n = 2;
	twice.has_anchor = false;
	tlsa_set_init(&s);
	ck_assert_int_eq(tlsa_set_add(&s, rdata, len, &e), 0);
	tlsa_judge(&s, &twice, &cx, false, &v);
	ck_assert_int_eq(v.satisfied_by, -1);
	ck_assert_int_eq(v.state, STATE_CRITICAL);
	tlsa_set_free(&s);
}
END_TEST

/* RDATA shorter than its three fields is kept, and never usable. */
START_TEST(test_short_rdata)
{
	static const unsigned char rd[] = { 3, 1 };
	struct tlsa_set s;
	struct tlsa_verdict v;
	struct tlsa_context cx = { .now = NOW };
	struct error e;

	tlsa_set_init(&s);
	ck_assert_int_eq(tlsa_set_add(&s, rd, sizeof(rd), &e), 0);
	ck_assert_int_eq(tlsa_set_add(&s, rd, 0, &e), 0);
	ck_assert(s.v[0].short_rdata && s.v[1].short_rdata);
	tlsa_judge(&s, &path, &cx, false, &v);
	ck_assert_int_eq(v.r[0].usability, TLSA_SHORT_RDATA);
	ck_assert_int_eq(v.usable, 0);
	ck_assert_int_eq(v.state, STATE_CRITICAL);
	tlsa_set_free(&s);
}
END_TEST

/* A set holds TLSA_RECORDS_MAX records; one more is refused. */
START_TEST(test_set_full)
{
	static const unsigned char rd[] = { 3, 1, 1, 0 };
	struct tlsa_set s;
	struct error e;

	tlsa_set_init(&s);
	for (int i = 0; i < TLSA_RECORDS_MAX; i++)
		ck_assert_int_eq(tlsa_set_add(&s, rd, sizeof(rd), &e), 0);
	ck_assert_int_eq(tlsa_set_add(&s, rd, sizeof(rd), &e), -1);
	ck_assert_int_eq(e.state, STATE_CRITICAL);
	tlsa_set_free(&s);
}
END_TEST

/* The hex a zone file takes: the leaf key's SHA-256, as computed here. */
START_TEST(test_digest_hex)
{
	unsigned char md[32];
	char want[65], got[TLSA_HEX_SIZE];

	ck_assert_int_eq(gnutls_hash_fast(GNUTLS_DIG_SHA256, served.v[0].der + served.v[0].spki_off,
					  served.v[0].spki_len, md), 0);
	for (int i = 0; i < 32; i++)
		snprintf(want + 2 * i, 3, "%02x", md[i]);
	ck_assert_int_eq(tlsa_digest_hex(&served.v[0], TLSA_SPKI, TLSA_SHA256, got), 0);
	ck_assert_str_eq(got, want);
	ck_assert_int_eq(tlsa_digest_hex(&served.v[0], TLSA_CERT, TLSA_SHA512, got), 0);
	ck_assert_uint_eq(strlen(got), 128);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("tlsa");
	TCase *tc = tcase_create("tlsa");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_judge, 0, (int)N_ELEMENTS(cases));
	tcase_add_test(tc, test_short_rdata);
	tcase_add_test(tc, test_leaf_twice);
	tcase_add_test(tc, test_set_full);
	tcase_add_test(tc, test_digest_hex);
	suite_add_tcase(s, tc);
	return s;
}
