/*
 * check_tls_pin - certificate facts.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "cert.h"
#include "der.h"
#include "file.h"

#define CERT_FILE_MAX (4 * 1024 * 1024)

void
cert_free(struct cert *ct)
{
	if (ct->crt)
		gnutls_x509_crt_deinit(ct->crt);
	free(ct->der);
	free(ct->subject);
	free(ct->issuer);
	free(ct->staple.data);
	memset(ct, 0, sizeof(*ct));
}

void
chain_init(struct chain *c)
{
	memset(c, 0, sizeof(*c));
}

void
chain_free(struct chain *c)
{
	for (size_t i = 0; i < c->n; i++)
		cert_free(&c->v[i]);
	free(c->v);
	chain_init(c);
}

static char *
dn_text(gnutls_x509_crt_t crt, int issuer)
{
	gnutls_datum_t d = { NULL, 0 };
	char *s;
	int rc = issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &d, 0)
			: gnutls_x509_crt_get_dn3(crt, &d, 0);

	if (rc == GNUTLS_E_MEMORY_ERROR)
		return NULL;
	if (rc < 0) {
		/* An empty name is legal (RFC 5280 4.1.2.6, with a SAN instead). */
		return strdup("");
	}
	s = malloc(d.size + 1);
	if (s) {
		memcpy(s, d.data, d.size);
		s[d.size] = '\0';
	}
	gnutls_free(d.data);
	return s;
}

static void
describe_key(gnutls_x509_crt_t crt, char *out, size_t size)
{
	unsigned bits = 0;
	int pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);

	switch (pk) {
	case GNUTLS_PK_RSA:
		snprintf(out, size, "RSA %u", bits);
		break;
	case GNUTLS_PK_RSA_PSS:
		snprintf(out, size, "RSA-PSS %u", bits);
		break;
	case GNUTLS_PK_ECDSA:
		/* GnuTLS reports the curve's size; the NIST curves are told apart by it. */
		if (bits == 256 || bits == 384 || bits == 521)
			snprintf(out, size, "ECDSA P-%u", bits);
		else
			snprintf(out, size, "ECDSA %u", bits);
		break;
	case GNUTLS_PK_EDDSA_ED25519:
		snprintf(out, size, "Ed25519");
		break;
	case GNUTLS_PK_EDDSA_ED448:
		snprintf(out, size, "Ed448");
		break;
	default: {
		const char *name = pk >= 0 ? gnutls_pk_get_name((gnutls_pk_algorithm_t)pk) : NULL;
		snprintf(out, size, "%s %u", name ? name : "unknown", bits);
		break;
	}
	}
}

/*
 * gcc 12's -fanalyzer loses the names cert_fill (and the staple
 * cert_keep_staple) stores in ct, an element of the chain's calloc'd array,
 * and reports them as leaked; chain_free() frees them (LeakSanitizer and
 * valgrind, run over every chain test, agree).
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif

/* Whether the integer at p (n bytes, big-endian) is b, leading zeros aside. */
static bool
same_integer(const unsigned char *p, size_t n, const gnutls_datum_t *b)
{
	const unsigned char *q = b->data;
	size_t m = b->size;

	while (n > 0 && *p == 0)
		p++, n--;
	while (m > 0 && *q == 0)
		q++, m--;
	return n == m && (n == 0 || memcmp(p, q, n) == 0);
}

/* The subjectPublicKey bits of the SubjectPublicKeyInfo spki (a whole octets BIT STRING). */
static int
spki_key(const unsigned char *spki, size_t len, const unsigned char **key, size_t *n)
{
	struct der outer, alg, bits;

	if (der_read(spki, len, &outer, NULL) != 1 || outer.tag != 0x30 ||
	    der_read(outer.val, outer.len, &alg, NULL) != 1 || alg.tag != 0x30 ||
	    der_read(outer.val + alg.total, outer.len - alg.total, &bits, NULL) != 1 ||
	    bits.tag != 0x03 || bits.len < 1 || bits.val[0] != 0 ||
	    alg.total + bits.total != outer.len)
		return -1;
	*key = bits.val + 1;
	*n = bits.len - 1;
	return 0;
}

/*
 * The common keys, by their numbers: GnuTLS's (the modulus and exponent, the
 * curve point, the EdDSA key) against those in the bytes the pin hashes.
 * Returns 1 same, 0 different, -1 when this cannot tell (another algorithm).
 */
static int
same_key_numbers(gnutls_x509_crt_t crt, const unsigned char *spki, size_t len)
{
	gnutls_datum_t x = { NULL, 0 }, y = { NULL, 0 };
	gnutls_ecc_curve_t curve;
	const unsigned char *key;
	size_t n;
	int pk = gnutls_x509_crt_get_pk_algorithm(crt, NULL), same = 0;

	if (pk != GNUTLS_PK_RSA && pk != GNUTLS_PK_ECDSA && pk != GNUTLS_PK_EDDSA_ED25519 &&
	    pk != GNUTLS_PK_EDDSA_ED448)
		return -1;
	if (spki_key(spki, len, &key, &n) < 0)
		return 0;
	if (pk == GNUTLS_PK_RSA) {
		struct der seq, m, e;

		if (gnutls_x509_crt_get_pk_rsa_raw(crt, &x, &y) < 0)
			return -1;
		same = der_read(key, n, &seq, NULL) == 1 && seq.tag == 0x30 && seq.total == n &&
		       der_read(seq.val, seq.len, &m, NULL) == 1 && m.tag == 0x02 &&
		       der_read(seq.val + m.total, seq.len - m.total, &e, NULL) == 1 &&
		       e.tag == 0x02 && m.total + e.total == seq.len &&
		       same_integer(m.val, m.len, &x) && same_integer(e.val, e.len, &y);
	} else if (pk == GNUTLS_PK_ECDSA) {
		size_t half = (n - 1) / 2;

		if (gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, &x, &y) < 0)
			return -1;
		same = n % 2 == 1 && key[0] == 0x04 && (int)half == gnutls_ecc_curve_get_size(curve) &&
		       same_integer(key + 1, half, &x) && same_integer(key + 1 + half, half, &y);
	} else {
		if (gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, &x, &y) < 0)
			return -1;
		same = x.size == n && memcmp(x.data, key, n) == 0;
	}
	gnutls_free(x.data);
	gnutls_free(y.data);
	return same;
}

/* See cert.h. */
bool
cert_spki_agrees(gnutls_x509_crt_t crt, const unsigned char *spki, size_t len)
{
	gnutls_pubkey_t held = NULL, hashed = NULL;
	gnutls_datum_t a = { NULL, 0 }, b = { NULL, 0 };
	gnutls_datum_t raw = { (unsigned char *)(uintptr_t)spki, (unsigned)len };
	int numbers = same_key_numbers(crt, spki, len);
	bool same = false;

	if (numbers >= 0)
		return numbers == 1;
	if (gnutls_pubkey_init(&held) < 0 || gnutls_pubkey_import_x509(held, crt, 0) < 0 ||
	    gnutls_pubkey_export2(held, GNUTLS_X509_FMT_DER, &a) < 0 ||
	    gnutls_pubkey_init(&hashed) < 0 ||
	    gnutls_pubkey_import(hashed, &raw, GNUTLS_X509_FMT_DER) < 0 ||
	    gnutls_pubkey_export2(hashed, GNUTLS_X509_FMT_DER, &b) < 0)
		goto out;
	same = a.size == b.size && memcmp(a.data, b.data, a.size) == 0;
out:
	gnutls_free(a.data);
	gnutls_free(b.data);
	if (held)
		gnutls_pubkey_deinit(held);
	if (hashed)
		gnutls_pubkey_deinit(hashed);
	return same;
}

/* Takes ownership of crt and fills ct with its facts; der is its encoding. */
static int
cert_fill(struct cert *ct, gnutls_x509_crt_t crt, const gnutls_datum_t *der,
	  const char *what, struct error *e)
{
	const unsigned char *spki;
	size_t spki_len;
	time_t t;
	int sig;

	memset(ct, 0, sizeof(*ct));
	ct->crt = crt;

	/*
	 * The pin hashes the SubjectPublicKeyInfo exactly as the certificate
	 * encodes it: a re-encoding (as GnuTLS's key ID makes for RSA-PSS keys
	 * with parameters) could differ from what the clients hashed.
	 */
	if (der_tbs_field(der->data, der->size, TBS_SPKI, &spki, &spki_len) < 0 ||
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, spki, spki_len, ct->pin) < 0)
		return error_set(e, STATE_CRITICAL, "%s: cannot find its public key", what);
	if (!cert_spki_agrees(crt, spki, spki_len))
		return error_set(e, STATE_CRITICAL, "%s: its public key reads two ways", what);
	ct->der = malloc(der->size);
	if (!ct->der)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	memcpy(ct->der, der->data, der->size);
	ct->der_len = der->size;
	ct->spki_off = (size_t)(spki - der->data);
	ct->spki_len = spki_len;
	t = gnutls_x509_crt_get_activation_time(crt);
	if (t == (time_t)-1)
		return error_set(e, STATE_CRITICAL, "%s: unreadable notBefore date", what);
	ct->not_before = (int64_t)t;
	t = gnutls_x509_crt_get_expiration_time(crt);
	if (t == (time_t)-1)
		return error_set(e, STATE_CRITICAL, "%s: unreadable notAfter date", what);
	ct->not_after = (int64_t)t;

	ct->subject = dn_text(crt, 0);
	ct->issuer = dn_text(crt, 1);
	if (!ct->subject || !ct->issuer)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	describe_key(crt, ct->key, sizeof(ct->key));
	sig = gnutls_x509_crt_get_signature_algorithm(crt);
	ct->signature = sig >= 0 ? gnutls_sign_get_name((gnutls_sign_algorithm_t)sig) : NULL;
	if (!ct->signature)
		ct->signature = "unknown";
	return 0;
}

int
cert_keep_staple(struct cert *ct, const gnutls_datum_t *staple, struct error *e)
{
	free(ct->staple.data);
	ct->staple.size = 0;
	ct->staple.data = malloc(staple->size ? staple->size : 1);
	if (!ct->staple.data)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	if (staple->size)
		memcpy(ct->staple.data, staple->data, staple->size);
	ct->staple.size = staple->size;
	return 0;
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

static int
chain_alloc(struct chain *c, size_t n, struct error *e)
{
	c->v = calloc(n, sizeof(*c->v));
	if (!c->v)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	return 0;
}

int
cert_from_der(struct cert *ct, const gnutls_datum_t *der, const char *what, enum state bad,
	      struct error *e)
{
	gnutls_x509_crt_t crt;
	int rc;

	memset(ct, 0, sizeof(*ct));
	if (gnutls_x509_crt_init(&crt) < 0)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	rc = gnutls_x509_crt_import(crt, der, GNUTLS_X509_FMT_DER);
	if (rc < 0) {
		gnutls_x509_crt_deinit(crt);
		return error_set(e, bad, "%s is not valid X.509: %s", what, gnutls_strerror(rc));
	}
	return cert_fill(ct, crt, der, what, e);
}

int
chain_from_der(struct chain *c, const gnutls_datum_t *der, unsigned n, struct error *e)
{
	chain_init(c);
	if (n == 0)
		return error_set(e, STATE_CRITICAL, "the server sent no certificate");
	if (n > CHAIN_MAX)
		return error_set(e, STATE_CRITICAL,
				 "the server sent %u certificates, more than %d", n, CHAIN_MAX);
	if (chain_alloc(c, n, e) < 0)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		char what[48];

		snprintf(what, sizeof(what), "certificate at depth %u", i);
		c->n = i + 1;
		if (cert_from_der(&c->v[i], &der[i], what, STATE_CRITICAL, e) < 0)
			return -1;
	}
	return 0;
}

/* Fills ct from crt (ownership taken), exporting its DER for the pin. */
static int
cert_fill_crt(struct cert *ct, gnutls_x509_crt_t crt, const char *what, struct error *e)
{
	gnutls_datum_t der = { NULL, 0 };
	int rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der);

	if (rc < 0) {
		memset(ct, 0, sizeof(*ct));
		ct->crt = crt;
		return error_set(e, STATE_UNKNOWN, "%s: %s", what, gnutls_strerror(rc));
	}
	rc = cert_fill(ct, crt, &der, what, e);
	gnutls_free(der.data);
	return rc;
}

int
chain_from_file(struct chain *c, const char *path, struct error *e)
{
	char *buf;
	size_t len;
	int rc;

	chain_init(c);
	if (file_read(path, "certificate file", CERT_FILE_MAX, &buf, &len, e) < 0)
		return -1;
	rc = chain_from_buffer(c, buf, len, e);
	free(buf);
	return rc;
}

int
chain_from_buffer(struct chain *c, const char *buf, size_t len, struct error *e)
{
	gnutls_datum_t data;
	gnutls_x509_crt_t *list = NULL;
	unsigned n = 0;
	int rc;

	chain_init(c);
	if (len == 0)
		return error_set(e, STATE_UNKNOWN, "the certificate file is empty");
	if (len > CERT_FILE_MAX)
		return error_set(e, STATE_UNKNOWN, "the certificate file is too large");
	data.data = (unsigned char *)(uintptr_t)buf;
	data.size = (unsigned)len;
	if (memmem(buf, len, "-----BEGIN", 10)) {
		rc = gnutls_x509_crt_list_import2(&list, &n, &data, GNUTLS_X509_FMT_PEM, 0);
	} else {
		list = gnutls_malloc(sizeof(*list));
		rc = list ? gnutls_x509_crt_init(&list[0]) : GNUTLS_E_MEMORY_ERROR;
		if (rc >= 0) {
			rc = gnutls_x509_crt_import(list[0], &data, GNUTLS_X509_FMT_DER);
			if (rc < 0)
				gnutls_x509_crt_deinit(list[0]);
			else
				n = 1;
		}
	}
	if (rc < 0 || n == 0) {
		gnutls_free(list);
		return error_set(e, STATE_UNKNOWN, "no readable certificate in the file: %s",
				 rc < 0 ? gnutls_strerror(rc) : "none found");
	}
	rc = 0;
	if (n > CHAIN_MAX)
		rc = error_set(e, STATE_UNKNOWN, "the file holds %u certificates, more than %d",
			       n, CHAIN_MAX);
	else
		rc = chain_alloc(c, n, e);
	for (unsigned i = 0; i < n; i++) {
		char what[64];

		if (rc < 0) {
			gnutls_x509_crt_deinit(list[i]);
			continue;
		}
		snprintf(what, sizeof(what), "certificate %u in the file", i + 1);
		c->n = i + 1;
		rc = cert_fill_crt(&c->v[i], list[i], what, e);
		if (rc < 0)
			e->state = STATE_UNKNOWN;
	}
	gnutls_free(list);
	return rc;
}
