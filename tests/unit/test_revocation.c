/*
 * Unit tests: what an OCSP response and a CRL say of a certificate, the
 * verdict from all its answers, must-staple and the URLs a certificate
 * names. Everything is made here, at test time: a CA, its leaves, OCSP
 * responders it delegated (or not), a rogue CA of the same name, and the
 * responses and CRLs each case needs (der_build.h). The time is the real
 * one: GnuTLS checks a responder certificate's validity by the clock.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>
#include <gnutls/x509.h>

#include "der_build.h"
#include "revocation.h"
#include "unit.h"

#define DAY 86400
#define URL "http://crl.example/ca.crl"

static int64_t now;

struct party {
	gnutls_x509_privkey_t xkey;
	gnutls_privkey_t key;
	gnutls_x509_crt_t crt;
};

/* ca signs leaf, other, the two delegates and stale; rogue has ca's name and another key. */
static struct party ca, rogue, leaf, other, delegate, no_eku, rogue_delegate, stale_delegate,
		    intermediate, prefix_eku;

/* What a certificate is: its serial and options. */
struct spec {
	const char *dn;
	unsigned serial;
	bool ca;
	const char *eku;		/* an extended key usage, or NULL */
	int64_t from, to;
	bool must_staple;
	const char *ocsp_url, *ldap_url, *crl_url;
};

static void
make(struct party *p, const struct spec *s, const struct party *signer)
{
	unsigned char serial[2] = { (unsigned char)(s->serial >> 8), (unsigned char)s->serial };
	gnutls_x509_crt_t crt;
	gnutls_datum_t der;

	ck_assert_int_ge(gnutls_x509_privkey_init(&p->xkey), 0);
	ck_assert_int_ge(gnutls_x509_privkey_generate(p->xkey, GNUTLS_PK_ECDSA,
				GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0), 0);
	ck_assert_int_ge(gnutls_privkey_init(&p->key), 0);
	ck_assert_int_ge(gnutls_privkey_import_x509(p->key, p->xkey, GNUTLS_PRIVKEY_IMPORT_COPY), 0);
	ck_assert_int_ge(gnutls_x509_crt_init(&crt), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_version(crt, 3), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_serial(crt, serial, sizeof(serial)), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_dn(crt, s->dn, NULL), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_key(crt, p->xkey), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_activation_time(crt, (time_t)(now + s->from)), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_expiration_time(crt, (time_t)(now + s->to)), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_basic_constraints(crt, s->ca, -1), 0);
	if (s->ca)
		ck_assert_int_ge(gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_KEY_CERT_SIGN |
							       GNUTLS_KEY_CRL_SIGN), 0);
	if (s->eku)
		ck_assert_int_ge(gnutls_x509_crt_set_key_purpose_oid(crt, s->eku, 0), 0);
	if (s->must_staple) {
		gnutls_x509_tlsfeatures_t f;

		ck_assert_int_ge(gnutls_x509_tlsfeatures_init(&f), 0);
		ck_assert_int_ge(gnutls_x509_tlsfeatures_add(f, 5), 0);
		ck_assert_int_ge(gnutls_x509_crt_set_tlsfeatures(crt, f), 0);
		gnutls_x509_tlsfeatures_deinit(f);
	}
	if (s->ocsp_url) {
		gnutls_datum_t u = { (unsigned char *)(uintptr_t)s->ocsp_url,
				     (unsigned)strlen(s->ocsp_url) };

		ck_assert_int_ge(gnutls_x509_crt_set_authority_info_access(crt, GNUTLS_IA_OCSP_URI,
									   &u), 0);
	}
	if (s->ldap_url)
		ck_assert_int_ge(gnutls_x509_crt_set_crl_dist_points(crt, GNUTLS_SAN_URI, s->ldap_url,
								     0), 0);
	if (s->crl_url)
		ck_assert_int_ge(gnutls_x509_crt_set_crl_dist_points(crt, GNUTLS_SAN_URI, s->crl_url,
								     0), 0);
	ck_assert_int_ge(gnutls_x509_crt_sign2(crt, signer ? signer->crt : crt,
					       signer ? signer->xkey : p->xkey, GNUTLS_DIG_SHA256,
					       0), 0);
	/* Read back, as the plugin reads what a server sends: GnuTLS keeps raw names then. */
	ck_assert_int_ge(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der), 0);
	gnutls_x509_crt_deinit(crt);
	ck_assert_int_ge(gnutls_x509_crt_init(&p->crt), 0);
	ck_assert_int_ge(gnutls_x509_crt_import(p->crt, &der, GNUTLS_X509_FMT_DER), 0);
	gnutls_free(der.data);
}

static void
setup(void)
{
	static const struct spec s_ca = { "CN=Revocation Test CA", 1, true, NULL, -DAY, 365 * DAY,
					  false, NULL, NULL, NULL };
	static const struct spec s_leaf = { "CN=leaf.example", 0x1001, false, NULL, -DAY, 90 * DAY,
					    true, "http://ocsp.example/", "ldap://ldap.example/cn=crl",
					    URL };
	static const struct spec s_other = { "CN=other.example", 0x1002, false, NULL, -DAY,
					     90 * DAY, false, NULL, NULL, NULL };
	static const struct spec s_delegate = { "CN=OCSP Responder", 0x2001, false, GNUTLS_KP_OCSP_SIGNING, -DAY,
						30 * DAY, false, NULL, NULL, NULL };
	static const struct spec s_no_eku = { "CN=Not A Responder", 0x2002, false, NULL, -DAY,
					      30 * DAY, false, NULL, NULL, NULL };
	static const struct spec s_stale = { "CN=Old Responder", 0x2003, false, GNUTLS_KP_OCSP_SIGNING, -30 * DAY,
					     -DAY, false, NULL, NULL, NULL };
	/* The id-kp arc itself, a prefix of id-kp-OCSPSigning: not it. */
	static const struct spec s_prefix = { "CN=Prefix Responder", 0x2004, false, "1.3.6.1.5.5.7.3",
					      -DAY, 30 * DAY, false, NULL, NULL, NULL };
	static const struct spec s_inter = { "CN=Intermediate", 0x3001, true, NULL, -DAY, 90 * DAY,
					     false, NULL, NULL, NULL };

	now = (int64_t)time(NULL);
	make(&ca, &s_ca, NULL);
	make(&rogue, &s_ca, NULL);
	make(&leaf, &s_leaf, &ca);
	make(&other, &s_other, &ca);
	make(&delegate, &s_delegate, &ca);
	make(&no_eku, &s_no_eku, &ca);
	make(&rogue_delegate, &s_delegate, &rogue);
	make(&stale_delegate, &s_stale, &ca);
	make(&intermediate, &s_inter, &ca);
	make(&prefix_eku, &s_prefix, &ca);
}

static void
drop(struct party *p)
{
	gnutls_x509_crt_deinit(p->crt);
	gnutls_privkey_deinit(p->key);
	gnutls_x509_privkey_deinit(p->xkey);
}

static void
teardown(void)
{
	struct party *all[] = { &ca, &rogue, &leaf, &other, &delegate, &no_eku, &rogue_delegate,
				&stale_delegate, &intermediate, &prefix_eku };

	for (size_t i = 0; i < N_ELEMENTS(all); i++)
		drop(all[i]);
}

/* An OCSP response about the leaf, as a case describes it. */
enum about { ABOUT_LEAF, ABOUT_OTHER, ABOUT_ROGUE_ISSUER, ABOUT_OTHER_THEN_LEAF,
	     ABOUT_LEAF_TWICE };
enum signer { BY_CA, BY_ROGUE, BY_DELEGATE, BY_NO_EKU, BY_ROGUE_DELEGATE, BY_STALE_DELEGATE,
	      BY_PREFIX_EKU };

static const struct {
	const char *what;		/* what the case proves */
	enum about about;
	enum db_status status;
	int64_t this_update, next_update;	/* from now; next 0: none */
	int reason;
	enum signer signer;
	bool corrupt;
	enum rev_status want;
	const char *why;		/* in the reason of a REV_NO_ANSWER */
} ocsp_cases[] = {
	{ "good, signed by the issuer", ABOUT_LEAF, DB_GOOD, -60, DAY, -1, BY_CA, false,
	  REV_GOOD, NULL },
	{ "revoked, with the time and reason", ABOUT_LEAF, DB_REVOKED, -60, DAY, 1, BY_CA, false,
	  REV_REVOKED, NULL },
	{ "revoked without a reason", ABOUT_LEAF, DB_REVOKED, -60, DAY, -1, BY_CA, false,
	  REV_REVOKED, NULL },
	{ "unknown", ABOUT_LEAF, DB_UNKNOWN, -60, DAY, -1, BY_CA, false, REV_UNKNOWN, NULL },
	{ "stale: nextUpdate passed", ABOUT_LEAF, DB_GOOD, -2 * DAY, -60, -1, BY_CA, false,
	  REV_NO_ANSWER, "stale" },
	{ "thisUpdate in the future", ABOUT_LEAF, DB_GOOD, 3600, DAY, -1, BY_CA, false,
	  REV_NO_ANSWER, "in the future" },
	{ "no nextUpdate", ABOUT_LEAF, DB_GOOD, -60, 0, -1, BY_CA, false, REV_NO_ANSWER,
	  "no nextUpdate" },
	{ "signed by another key of the issuer's name", ABOUT_LEAF, DB_GOOD, -60, DAY, -1,
	  BY_ROGUE, false, REV_NO_ANSWER, "signature does not verify" },
	{ "a signature that does not verify", ABOUT_LEAF, DB_GOOD, -60, DAY, -1, BY_CA, true,
	  REV_NO_ANSWER, "signature does not verify" },
	{ "a delegated responder with id-kp-OCSPSigning", ABOUT_LEAF, DB_REVOKED, -60, DAY, 4,
	  BY_DELEGATE, false, REV_REVOKED, NULL },
	{ "a responder of the issuer without id-kp-OCSPSigning", ABOUT_LEAF, DB_GOOD, -60, DAY, -1,
	  BY_NO_EKU, false, REV_NO_ANSWER, "did not delegate" },
	{ "a responder whose key usage is only a prefix of id-kp-OCSPSigning", ABOUT_LEAF, DB_GOOD,
	  -60, DAY, -1, BY_PREFIX_EKU, false, REV_NO_ANSWER, "did not delegate" },
	{ "a responder another key certified", ABOUT_LEAF, DB_GOOD, -60, DAY, -1,
	  BY_ROGUE_DELEGATE, false, REV_NO_ANSWER, "did not certify" },
	{ "a delegated responder whose certificate has expired", ABOUT_LEAF, DB_GOOD, -60, DAY, -1,
	  BY_STALE_DELEGATE, false, REV_NO_ANSWER, "expired" },
	{ "about another certificate", ABOUT_OTHER, DB_GOOD, -60, DAY, -1, BY_CA, false,
	  REV_NO_ANSWER, "nothing of this certificate" },
	{ "about the leaf's serial under another issuer key", ABOUT_ROGUE_ISSUER, DB_GOOD, -60, DAY,
	  -1, BY_CA, false, REV_NO_ANSWER, "nothing of this certificate" },
	{ "the leaf's answer second among two", ABOUT_OTHER_THEN_LEAF, DB_UNKNOWN, -60, DAY, -1,
	  BY_CA, false, REV_UNKNOWN, NULL },
	{ "good then revoked for the leaf: revoked", ABOUT_LEAF_TWICE, DB_REVOKED, -60, DAY, 1,
	  BY_CA, false, REV_REVOKED, NULL },
};

static const struct party *
signer_of(enum signer s)
{
	switch (s) {
	case BY_ROGUE: return &rogue;
	case BY_DELEGATE: return &delegate;
	case BY_NO_EKU: return &no_eku;
	case BY_ROGUE_DELEGATE: return &rogue_delegate;
	case BY_STALE_DELEGATE: return &stale_delegate;
	case BY_PREFIX_EKU: return &prefix_eku;
	default: return &ca;
	}
}

START_TEST(test_ocsp)
{
	const struct party *signer = signer_of(ocsp_cases[_i].signer);
	struct db_single s[2];
	size_t n = 1;
	struct rev_answer a;
	struct dbuf der;
	gnutls_datum_t d;

	memset(s, 0, sizeof(s));
	s[0].crt = leaf.crt;
	s[0].issuer = ca.crt;
	s[0].status = ocsp_cases[_i].status;
	s[0].this_update = now + ocsp_cases[_i].this_update;
	s[0].next_update = ocsp_cases[_i].next_update ? now + ocsp_cases[_i].next_update : 0;
	s[0].revoked_at = now - 3600;
	s[0].reason = ocsp_cases[_i].reason;
	switch (ocsp_cases[_i].about) {
	case ABOUT_OTHER:
		s[0].crt = other.crt;
		break;
	case ABOUT_ROGUE_ISSUER:
		s[0].issuer = rogue.crt;
		break;
	case ABOUT_OTHER_THEN_LEAF:
		s[1] = s[0];
		s[0].crt = other.crt;
		s[0].status = DB_GOOD;
		n = 2;
		break;
	case ABOUT_LEAF_TWICE:
		s[1] = s[0];
		s[0].status = DB_GOOD;
		n = 2;
		break;
	default:
		break;
	}
	der = db_ocsp(s, n, signer->crt, signer->key, signer == &ca || signer == &rogue ? NULL
		      : signer->crt, ocsp_cases[_i].corrupt);
	d.data = der.p;
	d.size = (unsigned)der.n;
	revocation_judge_ocsp(&d, leaf.crt, ca.crt, now, &a);
	ck_assert_msg(a.status == ocsp_cases[_i].want, "%s: status %d, want %d (%s)",
		      ocsp_cases[_i].what, a.status, ocsp_cases[_i].want, a.why);
	if (ocsp_cases[_i].why)
		ck_assert_msg(strstr(a.why, ocsp_cases[_i].why) != NULL, "%s: '%s' lacks '%s'",
			      ocsp_cases[_i].what, a.why, ocsp_cases[_i].why);
	if (a.status == REV_REVOKED) {
		ck_assert_int_eq(a.revoked_at, now - 3600);
		/* An absent reason reads as unspecified (RFC 5280 5.3.1). */
		ck_assert_int_eq(a.reason, ocsp_cases[_i].reason < 0 ? 0 : ocsp_cases[_i].reason);
	}
	if (a.status != REV_NO_ANSWER) {
		ck_assert_int_eq(a.this_update, now + ocsp_cases[_i].this_update);
		ck_assert_int_eq(a.next_update, now + ocsp_cases[_i].next_update);
	}
	free(der.p);
}
END_TEST

/* Bytes that are no usable OCSP response at all. */
START_TEST(test_ocsp_not_a_response)
{
	static const struct {
		const char *what;
		unsigned status;	/* an error status, or 0 for bytes below */
		const char *bytes;
		size_t len;
		const char *why;
	} cases[] = {
		{ "tryLater", 3, NULL, 0, "the responder says tryLater" },
		{ "unauthorized", 6, NULL, 0, "the responder says unauthorized" },
		{ "empty", 0, "", 0, "empty" },
		{ "garbage", 0, "<html>500</html>", 16, "not an OCSP response" },
		{ "a truncated SEQUENCE", 0, "\x30\x82\x01\x00\x0a\x01", 6, "not an OCSP response" },
	};
	struct rev_answer a;

	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		struct dbuf der = cases[i].status ? db_ocsp_status(cases[i].status)
				  : db_raw(cases[i].bytes, cases[i].len);
		gnutls_datum_t d = { der.p, (unsigned)der.n };

		revocation_judge_ocsp(&d, leaf.crt, ca.crt, now, &a);
		ck_assert_msg(a.status == REV_NO_ANSWER && strstr(a.why, cases[i].why),
			      "%s: %d '%s'", cases[i].what, a.status, a.why);
		free(der.p);
	}
}
END_TEST

/* Over 64 KiB is not parsed. */
START_TEST(test_ocsp_too_large)
{
	static unsigned char big[REVOCATION_OCSP_MAX + 1];
	gnutls_datum_t d = { big, sizeof(big) };
	struct rev_answer a;

	revocation_judge_ocsp(&d, leaf.crt, ca.crt, now, &a);
	ck_assert_int_eq(a.status, REV_NO_ANSWER);
	ck_assert_ptr_nonnull(strstr(a.why, "larger than 64 KiB"));
}
END_TEST

/* DER of the extensions a CRL case carries. */
static const unsigned char idp_url[] = {
	0x30, 0x1f, 0xa0, 0x1d, 0xa0, 0x1b, 0x86, 0x19,
	'h', 't', 't', 'p', ':', '/', '/', 'c', 'r', 'l', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e',
	'/', 'c', 'a', '.', 'c', 'r', 'l'
};
static const unsigned char idp_other_url[] = {
	0x30, 0x1f, 0xa0, 0x1d, 0xa0, 0x1b, 0x86, 0x19,
	'h', 't', 't', 'p', ':', '/', '/', 'c', 'r', 'l', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e',
	'/', 'c', 'a', '.', 'c', 'r', 'x'
};
static const unsigned char idp_ca_only[] = { 0x30, 0x03, 0x82, 0x01, 0xff };
static const unsigned char idp_user_only[] = { 0x30, 0x03, 0x81, 0x01, 0xff };
static const unsigned char idp_some_reasons[] = { 0x30, 0x04, 0x83, 0x02, 0x06, 0x40 };
static const unsigned char idp_indirect[] = { 0x30, 0x03, 0x84, 0x01, 0xff };
static const unsigned char idp_garbage[] = { 0x30, 0x03, 0x99, 0x01, 0xff };
static const unsigned char crl_number[] = { 0x02, 0x01, 0x07 };
static const unsigned char oid_crl_number[] = { 0x55, 0x1d, 0x14 };
static const unsigned char oid_private[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x7f };

enum crl_ext { EXT_NONE, EXT_IDP_URL, EXT_IDP_OTHER_URL, EXT_IDP_CA_ONLY, EXT_IDP_USER_ONLY,
	       EXT_IDP_SOME_REASONS, EXT_IDP_INDIRECT, EXT_IDP_GARBAGE, EXT_DELTA,
	       EXT_UNKNOWN_CRITICAL, EXT_UNKNOWN, EXT_NUMBER };

static struct db_ext
ext_of(enum crl_ext x)
{
	struct db_ext e = { DB_OID_IDP, sizeof(DB_OID_IDP), true, NULL, 0 };

#define VALUE(v) (e.value = (v), e.len = sizeof(v))
	switch (x) {
	case EXT_IDP_URL: VALUE(idp_url); break;
	case EXT_IDP_OTHER_URL: VALUE(idp_other_url); break;
	case EXT_IDP_CA_ONLY: VALUE(idp_ca_only); break;
	case EXT_IDP_USER_ONLY: VALUE(idp_user_only); break;
	case EXT_IDP_SOME_REASONS: VALUE(idp_some_reasons); break;
	case EXT_IDP_INDIRECT: VALUE(idp_indirect); break;
	case EXT_IDP_GARBAGE: VALUE(idp_garbage); break;
	case EXT_DELTA:
		e.oid = DB_OID_DELTA;
		e.oid_len = sizeof(DB_OID_DELTA);
		VALUE(crl_number);
		break;
	case EXT_UNKNOWN_CRITICAL:
	case EXT_UNKNOWN:
		e.oid = oid_private;
		e.oid_len = sizeof(oid_private);
		e.critical = x == EXT_UNKNOWN_CRITICAL;
		VALUE(crl_number);
		break;
	default:
		e.oid = oid_crl_number;
		e.oid_len = sizeof(oid_crl_number);
		e.critical = false;
		VALUE(crl_number);
		break;
	}
#undef VALUE
	return e;
}

enum listing { LIST_NONE, LIST_LEAF, LIST_LEAF_NO_REASON, LIST_OTHER, LIST_BOTH };

static const struct {
	const char *what;
	enum listing listed;
	int64_t this_update, next_update;	/* from now; next 0: none */
	enum crl_ext ext;
	bool rogue, corrupt, pem, about_intermediate;
	enum rev_status want;
	const char *why;
} crl_cases[] = {
	{ "no entries: good", LIST_NONE, -60, DAY, EXT_NUMBER, false, false, false, false,
	  REV_GOOD, NULL },
	{ "the leaf listed, keyCompromise", LIST_LEAF, -60, DAY, EXT_NONE, false, false, false,
	  false, REV_REVOKED, NULL },
	{ "the leaf listed without a reason", LIST_LEAF_NO_REASON, -60, DAY, EXT_NONE, false, false,
	  false, false, REV_REVOKED, NULL },
	{ "the leaf listed after another", LIST_BOTH, -60, DAY, EXT_NONE, false, false, false,
	  false, REV_REVOKED, NULL },
	{ "another certificate listed: good", LIST_OTHER, -60, DAY, EXT_NONE, false, false, false,
	  false, REV_GOOD, NULL },
	{ "PEM", LIST_LEAF, -60, DAY, EXT_NONE, false, false, true, false, REV_REVOKED, NULL },
	{ "signed by another key of the issuer's name", LIST_NONE, -60, DAY, EXT_NONE, true, false,
	  false, false, REV_NO_ANSWER, "signature does not verify" },
	{ "a signature that does not verify", LIST_NONE, -60, DAY, EXT_NONE, false, true, false,
	  false, REV_NO_ANSWER, "signature does not verify" },
	{ "stale: nextUpdate passed", LIST_NONE, -2 * DAY, -60, EXT_NONE, false, false, false, false,
	  REV_NO_ANSWER, "stale" },
	{ "thisUpdate in the future", LIST_NONE, 3600, DAY, EXT_NONE, false, false, false, false,
	  REV_NO_ANSWER, "in the future" },
	{ "no nextUpdate", LIST_NONE, -60, 0, EXT_NONE, false, false, false, false, REV_NO_ANSWER,
	  "no nextUpdate" },
	{ "an IDP naming the URL", LIST_LEAF, -60, DAY, EXT_IDP_URL, false, false, false, false,
	  REV_REVOKED, NULL },
	{ "an IDP naming another URL: another shard", LIST_NONE, -60, DAY, EXT_IDP_OTHER_URL, false,
	  false, false, false, REV_NO_ANSWER, "does not name the URL" },
	{ "an IDP for CA certificates only, of a leaf", LIST_NONE, -60, DAY, EXT_IDP_CA_ONLY, false,
	  false, false, false, REV_NO_ANSWER, "only CA certificates" },
	{ "an IDP for CA certificates only, of a CA", LIST_NONE, -60, DAY, EXT_IDP_CA_ONLY, false,
	  false, false, true, REV_GOOD, NULL },
	{ "an IDP for end-entity certificates only, of a leaf", LIST_NONE, -60, DAY,
	  EXT_IDP_USER_ONLY, false, false, false, false, REV_GOOD, NULL },
	{ "an IDP for end-entity certificates only, of a CA", LIST_NONE, -60, DAY, EXT_IDP_USER_ONLY,
	  false, false, false, true, REV_NO_ANSWER, "only end-entity" },
	{ "an IDP for some reasons", LIST_NONE, -60, DAY, EXT_IDP_SOME_REASONS, false, false, false,
	  false, REV_NO_ANSWER, "some revocation reasons" },
	{ "an indirect CRL", LIST_NONE, -60, DAY, EXT_IDP_INDIRECT, false, false, false, false,
	  REV_NO_ANSWER, "indirect" },
	{ "an IDP that cannot be read", LIST_NONE, -60, DAY, EXT_IDP_GARBAGE, false, false, false,
	  false, REV_NO_ANSWER, "cannot be read" },
	{ "a delta CRL", LIST_NONE, -60, DAY, EXT_DELTA, false, false, false, false, REV_NO_ANSWER,
	  "delta" },
	{ "an unknown critical extension", LIST_NONE, -60, DAY, EXT_UNKNOWN_CRITICAL, false, false,
	  false, false, REV_NO_ANSWER, "critical extension" },
	{ "an unknown extension, not critical", LIST_NONE, -60, DAY, EXT_UNKNOWN, false, false,
	  false, false, REV_GOOD, NULL },
};

START_TEST(test_crl)
{
	const struct party *subject = crl_cases[_i].about_intermediate ? &intermediate : &leaf;
	const struct party *signer = crl_cases[_i].rogue ? &rogue : &ca;
	struct db_entry e[2];
	struct db_ext x = ext_of(crl_cases[_i].ext);
	struct rev_answer a;
	struct dbuf der;
	gnutls_datum_t d, pem = { NULL, 0 };
	size_t n = 0;
	int reason = -1;

	e[0].crt = e[1].crt = subject->crt;
	e[0].at = e[1].at = now - 7200;
	e[0].reason = e[1].reason = 1;
	switch (crl_cases[_i].listed) {
	case LIST_LEAF: n = 1; reason = 1; break;
	case LIST_LEAF_NO_REASON: n = 1; e[0].reason = -1; break;
	case LIST_OTHER: n = 1; e[0].crt = other.crt; break;
	case LIST_BOTH: n = 2; e[0].crt = other.crt; e[0].reason = 4; reason = 1; break;
	default: break;
	}
	der = db_crl(signer->crt, signer->key, now + crl_cases[_i].this_update,
		     crl_cases[_i].next_update ? now + crl_cases[_i].next_update : 0, e, n, &x,
		     crl_cases[_i].ext == EXT_NONE ? 0 : 1, crl_cases[_i].corrupt);
	d.data = der.p;
	d.size = (unsigned)der.n;
	if (crl_cases[_i].pem) {
		ck_assert_int_ge(gnutls_pem_base64_encode2("X509 CRL", &d, &pem), 0);
		d = pem;
	}
	revocation_judge_crl(&d, URL, subject->crt, ca.crt, now, &a);
	ck_assert_msg(a.status == crl_cases[_i].want, "%s: status %d, want %d (%s)",
		      crl_cases[_i].what, a.status, crl_cases[_i].want, a.why);
	if (crl_cases[_i].why)
		ck_assert_msg(strstr(a.why, crl_cases[_i].why) != NULL, "%s: '%s' lacks '%s'",
			      crl_cases[_i].what, a.why, crl_cases[_i].why);
	if (a.status == REV_REVOKED) {
		/* UTCTime: whole seconds. */
		ck_assert_int_eq(a.revoked_at, now - 7200);
		ck_assert_int_eq(a.reason, reason);
	}
	gnutls_free(pem.data);
	free(der.p);
}
END_TEST

START_TEST(test_crl_not_a_crl)
{
	static unsigned char big[REVOCATION_CRL_MAX + 1];
	const struct {
		const unsigned char *bytes;
		size_t len;
		const char *why;
	} cases[] = {
		{ (const unsigned char *)"", 0, "empty" },
		{ (const unsigned char *)"404 Not Found", 13, "not a CRL" },
		{ big, sizeof(big), "larger than 16 MiB" },
	};
	struct rev_answer a;

	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		gnutls_datum_t d = { (unsigned char *)(uintptr_t)cases[i].bytes,
				     (unsigned)cases[i].len };

		revocation_judge_crl(&d, URL, leaf.crt, ca.crt, now, &a);
		ck_assert_msg(a.status == REV_NO_ANSWER && strstr(a.why, cases[i].why),
			      "case %zu: %d '%s'", i, a.status, a.why);
	}
}
END_TEST

/* A CRL of another issuer's name is not the issuer's. */
START_TEST(test_crl_other_issuer)
{
	struct rev_answer a;
	struct dbuf der = db_crl(intermediate.crt, intermediate.key, now - 60, now + DAY, NULL, 0,
				 NULL, 0, false);
	gnutls_datum_t d = { der.p, (unsigned)der.n };

	revocation_judge_crl(&d, URL, leaf.crt, ca.crt, now, &a);
	ck_assert_int_eq(a.status, REV_NO_ANSWER);
	ck_assert_ptr_nonnull(strstr(a.why, "not issued by the certificate's issuer"));
	free(der.p);
}
END_TEST

/* The verdict from a certificate's answers. */
#define N REV_NONE
#define G REV_GOOD
#define R REV_REVOKED
#define U REV_UNKNOWN
#define X REV_NO_ANSWER
static const struct {
	const char *what;
	enum rev_status staple, ocsp, crl;
	bool unasked, must_staple;
	enum state unavailable;
	enum rev_status status;
	enum rev_source source;
	bool staple_missing;
	enum state state;
} verdicts[] = {
	{ "nothing stapled, nothing asked", N, N, N, false, false, STATE_WARNING, N, REV_STAPLE,
	  false, STATE_OK },
	{ "a good staple", G, N, N, false, false, STATE_WARNING, G, REV_STAPLE, false, STATE_OK },
	{ "a revoked staple", R, N, N, false, false, STATE_WARNING, R, REV_STAPLE, false,
	  STATE_CRITICAL },
	{ "a bad staple, a good responder", X, G, N, false, false, STATE_WARNING, G, REV_OCSP, false,
	  STATE_OK },
	{ "an unknown staple, a silent responder", U, X, N, false, false, STATE_WARNING, U,
	  REV_STAPLE, false, STATE_WARNING },
	{ "an unknown responder, a good CRL", N, U, G, false, false, STATE_WARNING, G, REV_CRL, false,
	  STATE_OK },
	{ "a good responder, a revoked CRL: revoked", N, G, R, false, false, STATE_WARNING, R,
	  REV_CRL, false, STATE_CRITICAL },
	{ "no answer anywhere: WARNING by default", N, X, X, false, false, STATE_WARNING, X,
	  REV_OCSP, false, STATE_WARNING },
	{ "no answer anywhere, --revocation-unavailable ok", N, X, X, false, false, STATE_OK, X,
	  REV_OCSP, false, STATE_OK },
	{ "no answer anywhere, --revocation-unavailable critical", X, N, N, false, false,
	  STATE_CRITICAL, X, REV_STAPLE, false, STATE_CRITICAL },
	{ "nothing to ask", N, N, N, true, false, STATE_UNKNOWN, X, REV_STAPLE, false,
	  STATE_UNKNOWN },
	{ "must-staple, a good staple", G, N, N, false, true, STATE_WARNING, G, REV_STAPLE, false,
	  STATE_OK },
	{ "must-staple, an unknown staple: not missing", U, N, N, false, true, STATE_WARNING, U,
	  REV_STAPLE, false, STATE_WARNING },
	{ "must-staple, no staple, a good responder", N, G, N, false, true, STATE_WARNING, G,
	  REV_OCSP, true, STATE_CRITICAL },
	{ "must-staple, a stale staple, unavailable ok: still CRITICAL", X, N, N, false, true,
	  STATE_OK, X, REV_STAPLE, true, STATE_CRITICAL },
};
#undef N
#undef G
#undef R
#undef U
#undef X

START_TEST(test_verdict)
{
	struct rev_cert c;

	revocation_cert_init(&c, 0);
	c.answer[REV_STAPLE].status = verdicts[_i].staple;
	c.answer[REV_OCSP].status = verdicts[_i].ocsp;
	c.answer[REV_CRL].status = verdicts[_i].crl;
	if (verdicts[_i].unasked)
		snprintf(c.unasked, sizeof(c.unasked), "it names nothing");
	c.must_staple = verdicts[_i].must_staple;
	revocation_verdict(&c, verdicts[_i].unavailable);
	ck_assert_msg(c.status == verdicts[_i].status, "%s: status %d", verdicts[_i].what, c.status);
	if (c.status != REV_NONE)
		ck_assert_msg(c.source == verdicts[_i].source, "%s: source %d", verdicts[_i].what,
			      c.source);
	ck_assert_msg(c.staple_missing == verdicts[_i].staple_missing, "%s: staple_missing",
		      verdicts[_i].what);
	ck_assert_msg(c.state == verdicts[_i].state, "%s: state %d", verdicts[_i].what, c.state);
}
END_TEST

START_TEST(test_must_staple_and_urls)
{
	char url[REVOCATION_URL_MAX];

	ck_assert(revocation_must_staple(leaf.crt));
	ck_assert(!revocation_must_staple(other.crt));
	ck_assert_int_eq(revocation_url(leaf.crt, REV_OCSP, url, sizeof(url)), 1);
	ck_assert_str_eq(url, "http://ocsp.example/");
	/* The ldap:// point is passed over for the http one. */
	ck_assert_int_eq(revocation_url(leaf.crt, REV_CRL, url, sizeof(url)), 1);
	ck_assert_str_eq(url, URL);
	ck_assert_int_eq(revocation_url(leaf.crt, REV_CRL, url, 10), 0);
	ck_assert_int_eq(revocation_url(other.crt, REV_OCSP, url, sizeof(url)), 0);
	ck_assert_int_eq(revocation_url(other.crt, REV_CRL, url, sizeof(url)), 0);
}
END_TEST

/* RFC 6960 A.1: GET carries the base64 request URL-encoded after a '/'. */
START_TEST(test_get_url)
{
	gnutls_datum_t req, b64;
	char url[1024], want[1024];
	size_t n = 0;

	ck_assert_int_eq(revocation_ocsp_request(leaf.crt, ca.crt, &req), 0);
	ck_assert_int_ge(gnutls_base64_encode2(&req, &b64), 0);
	n = (size_t)snprintf(want, sizeof(want), "http://ocsp.example/");
	for (unsigned i = 0; i < b64.size; i++)
		n += (size_t)snprintf(want + n, sizeof(want) - n, b64.data[i] == '+' ? "%%2B"
				      : b64.data[i] == '/' ? "%%2F" : b64.data[i] == '=' ? "%%3D"
				      : "%c", b64.data[i]);
	ck_assert_int_eq(revocation_ocsp_get_url("http://ocsp.example/", &req, url, sizeof(url)), 0);
	ck_assert_str_eq(url, want);
	/* Without the trailing '/', one is added. */
	ck_assert_int_eq(revocation_ocsp_get_url("http://ocsp.example", &req, url, sizeof(url)), 0);
	ck_assert_str_eq(url, want);
	/* Too small a buffer: POST instead. */
	ck_assert_int_eq(revocation_ocsp_get_url("http://ocsp.example/", &req, url, 40), -1);
	gnutls_free(b64.data);
	gnutls_free(req.data);
}
END_TEST

/* A GET URL of 255 bytes or more is POSTed instead. */
START_TEST(test_get_url_long)
{
	static unsigned char zeros[200];
	gnutls_datum_t req = { zeros, sizeof(zeros) };
	char url[2048], long_url[256];

	/* A responder URL of 230 bytes leaves no room for 40 bytes of request. */
	memset(long_url, 'a', 230);
	memcpy(long_url, "http://ocsp.example/", 20);
	long_url[230] = '\0';

	ck_assert_int_eq(revocation_ocsp_get_url("http://ocsp.example/", &req, url, sizeof(url)), -1);
	req.size = 171;	/* 228 base64 characters, none encoded: 248 in all */
	ck_assert_int_eq(revocation_ocsp_get_url("http://ocsp.example/", &req, url, sizeof(url)), 0);
	ck_assert_uint_eq(strlen(url), 248);
	req.size = 30;
	ck_assert_int_eq(revocation_ocsp_get_url(long_url, &req, url, sizeof(url)), -1);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(revocation_reason_name(-1), "unspecified");
	ck_assert_str_eq(revocation_reason_name(1), "keyCompromise");
	ck_assert_str_eq(revocation_reason_name(6), "certificateHold");
	ck_assert_str_eq(revocation_reason_name(7), "an unknown reason");
	ck_assert_str_eq(revocation_reason_name(10), "aACompromise");
	ck_assert_str_eq(revocation_reason_name(11), "an unknown reason");
	ck_assert_str_eq(revocation_source_name(REV_STAPLE), "OCSP staple");
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("revocation");
	TCase *tc = tcase_create("revocation");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_ocsp, 0, N_ELEMENTS(ocsp_cases));
	tcase_add_test(tc, test_ocsp_not_a_response);
	tcase_add_test(tc, test_ocsp_too_large);
	tcase_add_loop_test(tc, test_crl, 0, N_ELEMENTS(crl_cases));
	tcase_add_test(tc, test_crl_not_a_crl);
	tcase_add_test(tc, test_crl_other_issuer);
	tcase_add_loop_test(tc, test_verdict, 0, N_ELEMENTS(verdicts));
	tcase_add_test(tc, test_must_staple_and_urls);
	tcase_add_test(tc, test_get_url);
	tcase_add_test(tc, test_get_url_long);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}
