/*
 * Unit tests: the one link question (path_signed_by) and the path built by
 * signatures. The certificates are made here, at test time, by GnuTLS: a
 * pinned self-signed RSA certificate P, a genuine leaf of P, and forgeries
 * that name P as their issuer without P's key having signed them.
 */
#include <config.h>

#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "cert.h"
#include "path.h"
#include "unit.h"

#define NOW 1800000000

static gnutls_x509_privkey_t rsa_p, rsa_other, ec_other, ed_ca, ed_leaf;

static gnutls_x509_privkey_t
new_key(gnutls_pk_algorithm_t pk, unsigned bits)
{
	gnutls_x509_privkey_t k;

	ck_assert_int_ge(gnutls_x509_privkey_init(&k), 0);
	ck_assert_int_ge(gnutls_x509_privkey_generate(k, pk, bits, 0), 0);
	return k;
}

/*
 * A certificate for dn on key, signed with signer_key under signer's name
 * (signer NULL: self-signed); ski and aki, when not NULL, its 20-byte subject
 * and authority key identifiers.
 */
static gnutls_x509_crt_t
new_crt(const char *dn, gnutls_x509_privkey_t key, gnutls_x509_crt_t signer,
	gnutls_x509_privkey_t signer_key, const unsigned char *ski, const unsigned char *aki,
	bool ca)
{
	static unsigned serial;
	gnutls_x509_crt_t crt;
	unsigned char s[4];

	serial++;
	memcpy(s, &serial, sizeof(s));
	ck_assert_int_ge(gnutls_x509_crt_init(&crt), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_version(crt, 3), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_serial(crt, s, sizeof(s)), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_dn(crt, dn, NULL), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_key(crt, key), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_activation_time(crt, NOW - 86400), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_expiration_time(crt, NOW + 86400 * 30), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_basic_constraints(crt, ca, -1), 0);
	if (ski)
		ck_assert_int_ge(gnutls_x509_crt_set_subject_key_id(crt, ski, 20), 0);
	if (aki)
		ck_assert_int_ge(gnutls_x509_crt_set_authority_key_id(crt, aki, 20), 0);
	/* EdDSA hashes by itself: it takes no digest. */
	ck_assert_int_ge(gnutls_x509_crt_sign2(crt, signer ? signer : crt, signer ? signer_key : key,
					       gnutls_x509_privkey_get_pk_algorithm(signer ? signer_key : key) ==
					       GNUTLS_PK_EDDSA_ED25519 ? GNUTLS_DIG_UNKNOWN : GNUTLS_DIG_SHA256,
					       0), 0);
	return crt;
}

/* crt with every copy of the sha256WithRSAEncryption OID made 1.2.840.113549.1.1.127. */
static gnutls_x509_crt_t
unknown_oid(gnutls_x509_crt_t crt)
{
	static const unsigned char oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
					     0x01, 0x01, 0x0b };
	gnutls_datum_t der;
	gnutls_x509_crt_t out;
	int found = 0;

	ck_assert_int_ge(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der), 0);
	for (size_t i = 0; i + sizeof(oid) <= der.size; i++) {
		if (memcmp(der.data + i, oid, sizeof(oid)) == 0) {
			der.data[i + sizeof(oid) - 1] = 0x7f;
			found++;
		}
	}
	ck_assert_int_eq(found, 2);
	ck_assert_int_ge(gnutls_x509_crt_init(&out), 0);
	ck_assert_int_ge(gnutls_x509_crt_import(out, &der, GNUTLS_X509_FMT_DER), 0);
	ck_assert_int_eq(gnutls_x509_crt_get_signature_algorithm(out), GNUTLS_SIGN_UNKNOWN);
	gnutls_free(der.data);
	return out;
}

static const unsigned char ski_p[20] = { 0xa1, 0xa2, 0xa3 };
static const unsigned char ski_bogus[20] = { 0x01, 0x02, 0x03 };

static gnutls_x509_crt_t crts[16];

/* Which certificate signed which, and whether the library must say so. */
static const struct {
	const char *what;
	int crt, issuer;
	bool linked;
} links[] = {
	{ "a leaf P signed", 1, 0, true },
	{ "P signed itself", 0, 0, true },
	{ "ECDSA signature by another key, P's name (another key type)", 2, 0, false },
	{ "RSA signature by another key, P's name", 3, 0, false },
	{ "an unknown signature algorithm, P's name", 4, 0, false },
	{ "P's key, but another authority key identifier", 5, 0, false },
	{ "P's name on another key, self-issued, signed by that key: not by P", 6, 0, false },
	{ "P's name on another key signed itself", 6, 6, true },
	{ "a leaf does not sign its issuer", 0, 1, false },
	{ "Ed25519: a leaf its CA signed", 8, 7, true },
	{ "Ed25519: that leaf is not P's", 8, 0, false },
	{ "a certificate signed by a leaf's key (not a CA)", 10, 1, false },
	{ "the same, by a CA's key", 11, 0, true },
};

static void
setup(void)
{
	gnutls_x509_crt_t fake;

	rsa_p = new_key(GNUTLS_PK_RSA, 2048);
	rsa_other = new_key(GNUTLS_PK_RSA, 2048);
	ec_other = new_key(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1));
	ed_ca = new_key(GNUTLS_PK_EDDSA_ED25519, 256);
	ed_leaf = new_key(GNUTLS_PK_EDDSA_ED25519, 256);
	crts[0] = new_crt("CN=pinned service", rsa_p, NULL, NULL, ski_p, ski_p, true);
	crts[1] = new_crt("CN=genuine.test", rsa_other, crts[0], rsa_p, NULL, ski_p, false);
	/* The attacker's stand-ins for P: P's name, the attacker's keys, no key identifier. */
	fake = new_crt("CN=pinned service", ec_other, NULL, NULL, NULL, NULL, true);
	crts[2] = new_crt("CN=forged.test", ec_other, fake, ec_other, NULL, NULL, false);
	gnutls_x509_crt_deinit(fake);
	fake = new_crt("CN=pinned service", rsa_other, NULL, NULL, NULL, NULL, true);
	crts[3] = new_crt("CN=forged.test", rsa_other, fake, rsa_other, NULL, NULL, false);
	crts[9] = new_crt("CN=forged.test", rsa_other, fake, rsa_other, NULL, NULL, false);
	crts[4] = unknown_oid(crts[9]);
	crts[6] = fake;
	/* P's own key under P's name, announcing another key identifier. */
	fake = new_crt("CN=pinned service", rsa_p, NULL, NULL, ski_bogus, NULL, true);
	crts[5] = new_crt("CN=forged.test", rsa_other, fake, rsa_p, NULL, ski_bogus, false);
	gnutls_x509_crt_deinit(fake);
	crts[10] = new_crt("CN=below.test", ec_other, crts[1], rsa_other, NULL, NULL, false);
	crts[11] = new_crt("CN=below.test", ec_other, crts[0], rsa_p, NULL, ski_p, false);
	crts[7] = new_crt("CN=Ed CA", ed_ca, NULL, NULL, NULL, NULL, true);
	crts[8] = new_crt("CN=ed.test", ed_leaf, crts[7], ed_ca, NULL, NULL, false);
}

static void
teardown(void)
{
	for (size_t i = 0; i < N_ELEMENTS(crts); i++)
		if (crts[i])
			gnutls_x509_crt_deinit(crts[i]);
	memset(crts, 0, sizeof(crts));
	gnutls_x509_privkey_deinit(rsa_p);
	gnutls_x509_privkey_deinit(rsa_other);
	gnutls_x509_privkey_deinit(ec_other);
	gnutls_x509_privkey_deinit(ed_ca);
	gnutls_x509_privkey_deinit(ed_leaf);
}

START_TEST(test_signed_by)
{
	ck_assert_msg(path_signed_by(crts[links[_i].crt], crts[links[_i].issuer]) == links[_i].linked,
		      "%s", links[_i].what);
}
END_TEST

/* Only the genuine P is self-signed; its stand-in under P's name is of itself only. */
START_TEST(test_self_signed)
{
	ck_assert(path_self_signed(crts[0]));
	ck_assert(path_self_signed(crts[6]));
	ck_assert(!path_self_signed(crts[1]));
	ck_assert(!path_self_signed(crts[4]));
}
END_TEST

/* A chain of the given certificates, leaf first, as chain_from_der makes it. */
static void
chain_of(struct chain *c, const int *which, size_t n)
{
	gnutls_datum_t der[8] = { { NULL, 0 } };
	struct error e;

	ck_assert_uint_le(n, N_ELEMENTS(der));
	for (size_t i = 0; i < n; i++)
		ck_assert_int_ge(gnutls_x509_crt_export2(crts[which[i]], GNUTLS_X509_FMT_DER, &der[i]),
				 0);
	ck_assert_int_eq(chain_from_der(c, der, (unsigned)n, &e), 0);
	for (size_t i = 0; i < n; i++)
		gnutls_free(der[i].data);
}

/* The unverified path: each forgery stands alone, the genuine leaf reaches P. */
static const struct {
	const char *what;
	int chain[4];
	size_t n, path_len;
	bool top_self_signed;
} walks[] = {
	{ "genuine leaf, then P", { 1, 0 }, 2, 2, true },
	{ "P sent first of the CAs, after a stray", { 1, 6, 0 }, 3, 2, true },
	{ "key type forgery, then P", { 2, 0 }, 2, 1, false },
	{ "unknown algorithm, then P", { 4, 0 }, 2, 1, false },
	{ "other key, then P and the attacker's stand-in", { 3, 0, 6 }, 3, 2, true },
	{ "AKI forgery, then P", { 5, 0 }, 2, 1, false },
};

START_TEST(test_walk)
{
	struct options o;
	struct chain c;
	struct path p;
	struct error e;

	memset(&o, 0, sizeof(o));
	pinset_init(&o.pins);
	o.verbose = 1;
	chain_of(&c, walks[_i].chain, walks[_i].n);
	ck_assert_int_eq(path_build(&p, &c, NULL, &o, NOW, &e), 0);
	ck_assert_msg(p.n == walks[_i].path_len, "%s: a path of %zu", walks[_i].what, p.n);
	ck_assert(!p.has_anchor);
	ck_assert_uint_eq(p.served[0], 0);
	ck_assert(p.top_self_signed == walks[_i].top_self_signed);
	/* Whatever the forgery, P is on the path only when P signed what is below it. */
	for (size_t i = 1; i < p.n; i++)
		ck_assert(path_signed_by(p.v[i - 1]->crt, p.v[i]->crt));
	path_free(&p);
	chain_free(&c);
}
END_TEST

/* Without -v, --print-pins, --check-chain or a need, a pinned leaf is the whole look. */
START_TEST(test_leaf_only)
{
	static const int genuine[] = { 1, 0 };
	char leaf[PIN_TEXT_SIZE];
	struct options o;
	struct chain c;
	struct path p;
	struct error e;

	memset(&o, 0, sizeof(o));
	pinset_init(&o.pins);
	chain_of(&c, genuine, 2);
	ck_assert_int_eq(pins_add_list(&o.pins, "0000000000000000000000000000000000000000000000000000000000000000", &e), 0);
	ck_assert_int_eq(path_build(&p, &c, NULL, &o, NOW, &e), 0);
	ck_assert(p.whole);	/* the leaf is not pinned: the CAs may be */
	path_free(&p);
	pinset_free(&o.pins);
	pinset_init(&o.pins);
	pins_format(c.v[0].pin, leaf);
	ck_assert_int_eq(pins_add_list(&o.pins, leaf, &e), 0);
	ck_assert_int_eq(path_build(&p, &c, NULL, &o, NOW, &e), 0);
	ck_assert(!p.whole);
	ck_assert_uint_eq(p.n, 1);
	path_free(&p);
	o.require_backup = true;	/* counts the pins the whole path serves */
	ck_assert_int_eq(path_build(&p, &c, NULL, &o, NOW, &e), 0);
	ck_assert(p.whole);
	ck_assert_uint_eq(p.n, 2);
	path_free(&p);
	pinset_free(&o.pins);
	chain_free(&c);
}
END_TEST

/* The SubjectPublicKeyInfo of crt, as GnuTLS writes it. */
static gnutls_datum_t
spki_of(gnutls_x509_crt_t crt)
{
	gnutls_pubkey_t k;
	gnutls_datum_t d;

	ck_assert_int_ge(gnutls_pubkey_init(&k), 0);
	ck_assert_int_ge(gnutls_pubkey_import_x509(k, crt, 0), 0);
	ck_assert_int_ge(gnutls_pubkey_export2(k, GNUTLS_X509_FMT_DER, &d), 0);
	gnutls_pubkey_deinit(k);
	return d;
}

/* A pin hashes the key the certificate holds, of whatever type, and no other. */
static const struct {
	int crt, key;	/* whose certificate, whose key */
	bool same;
} agree[] = {
	{ 0, 0, true }, { 0, 1, false }, { 1, 1, true },	/* RSA */
	{ 2, 2, true }, { 2, 7, false }, { 0, 2, false },	/* ECDSA */
	{ 8, 8, true }, { 8, 7, false }, { 7, 0, false },	/* Ed25519 */
};

START_TEST(test_spki_agrees)
{
	gnutls_datum_t d = spki_of(crts[agree[_i].key]);

	ck_assert(cert_spki_agrees(crts[agree[_i].crt], d.data, d.size) == agree[_i].same);
	if (d.size > 40) {
		d.data[d.size - 1] ^= 1;	/* the last bit of the key itself */
		ck_assert(!cert_spki_agrees(crts[agree[_i].crt], d.data, d.size));
	}
	gnutls_free(d.data);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("path");
	TCase *tc = tcase_create("path");

	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_signed_by, 0, N_ELEMENTS(links));
	tcase_add_test(tc, test_self_signed);
	tcase_add_loop_test(tc, test_walk, 0, N_ELEMENTS(walks));
	tcase_add_test(tc, test_leaf_only);
	tcase_add_loop_test(tc, test_spki_agrees, 0, N_ELEMENTS(agree));
	suite_add_tcase(s, tc);
	return s;
}
