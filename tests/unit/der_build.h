/*
 * Revocation data made at test time: OCSP responses (RFC 6960 4.2.1) and
 * CRLs (RFC 5280 5.1), DER written here element by element and signed by
 * GnuTLS, so that every field can be what a case needs, wrong ones
 * included. The CertID comes from GnuTLS's own OCSP request, never from
 * the code under test. Used by the unit tests and by tests/integration's
 * mk_ocsp, for what no real tool makes on demand (a stale staple).
 */
#ifndef CHECK_TLS_PIN_DER_BUILD_H
#define CHECK_TLS_PIN_DER_BUILD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>
#include <gnutls/x509.h>

/* DER under construction: each builder takes its arguments' buffers. */
struct dbuf {
	unsigned char *p;
	size_t n;
};

static inline void
db_fail(const char *what)
{
	fprintf(stderr, "der_build: %s\n", what);
	abort();
}

static inline struct dbuf
db_raw(const void *data, size_t n)
{
	struct dbuf b = { malloc(n ? n : 1), n };

	if (!b.p)
		db_fail("out of memory");
	if (n)
		memcpy(b.p, data, n);
	return b;
}

/* The concatenation of n buffers, which it frees. */
static inline struct dbuf
db_cat(int n, ...)
{
	struct dbuf out = { NULL, 0 };
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		struct dbuf b = va_arg(ap, struct dbuf);
		unsigned char *p = realloc(out.p, out.n + b.n + 1);

		if (!p)
			db_fail("out of memory");
		out.p = p;
		if (b.n)
			memcpy(out.p + out.n, b.p, b.n);
		out.n += b.n;
		free(b.p);
	}
	va_end(ap);
	if (!out.p)
		out = db_raw("", 0);
	return out;
}

/* tag, length, content (freed). */
static inline struct dbuf
db_tlv(unsigned char tag, struct dbuf content)
{
	unsigned char h[6];
	size_t hn = 0, n = content.n;

	h[hn++] = tag;
	if (n < 0x80) {
		h[hn++] = (unsigned char)n;
	} else if (n < 0x100) {
		h[hn++] = 0x81;
		h[hn++] = (unsigned char)n;
	} else if (n < 0x10000) {
		h[hn++] = 0x82;
		h[hn++] = (unsigned char)(n >> 8);
		h[hn++] = (unsigned char)n;
	} else {
		h[hn++] = 0x83;
		h[hn++] = (unsigned char)(n >> 16);
		h[hn++] = (unsigned char)(n >> 8);
		h[hn++] = (unsigned char)n;
	}
	return db_cat(2, db_raw(h, hn), content);
}

static inline struct dbuf
db_datum(const gnutls_datum_t *d)
{
	return db_raw(d->data, d->size);
}

/* A time as UTCTime (tag 0x17) or GeneralizedTime (0x18). */
static inline struct dbuf
db_time(unsigned char tag, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char text[32];

	gmtime_r(&tt, &tm);
	strftime(text, sizeof(text), "%Y%m%d%H%M%SZ", &tm);
	/* UTCTime has the year's last two digits. */
	return tag == 0x17 ? db_tlv(tag, db_raw(text + 2, strlen(text) - 2))
			   : db_tlv(tag, db_raw(text, strlen(text)));
}

static inline struct dbuf
db_small_int(unsigned char tag, unsigned v)
{
	unsigned char b = (unsigned char)v;

	return db_tlv(tag, db_raw(&b, 1));
}

/* An OID from its encoded bytes. */
static inline struct dbuf
db_oid(const unsigned char *der, size_t n)
{
	return db_tlv(0x06, db_raw(der, n));
}

static const unsigned char DB_OID_SHA1[] = { 0x2b, 0x0e, 0x03, 0x02, 0x1a };
static const unsigned char DB_OID_ECDSA_SHA256[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
static const unsigned char DB_OID_OCSP_BASIC[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01 };
static const unsigned char DB_OID_REASON[] = { 0x55, 0x1d, 0x15 };
static const unsigned char DB_OID_IDP[] = { 0x55, 0x1d, 0x1c };
static const unsigned char DB_OID_DELTA[] = { 0x55, 0x1d, 0x1b };

/* tbs, its ECDSA-SHA256 AlgorithmIdentifier and the signature of key on it. */
static inline struct dbuf
db_signed(struct dbuf tbs, gnutls_privkey_t key, bool corrupt)
{
	gnutls_datum_t data = { tbs.p, (unsigned)tbs.n }, sig = { NULL, 0 };
	struct dbuf s;

	if (gnutls_privkey_sign_data2(key, GNUTLS_SIGN_ECDSA_SHA256, 0, &data, &sig) < 0)
		db_fail("cannot sign");
	s = db_cat(2, db_raw("", 1), db_datum(&sig));	/* no unused bits */
	gnutls_free(sig.data);
	if (corrupt)
		s.p[s.n - 2] ^= 0x01;
	return db_cat(3, tbs, db_tlv(0x30, db_oid(DB_OID_ECDSA_SHA256, sizeof(DB_OID_ECDSA_SHA256))),
		      db_tlv(0x03, s));
}

static inline struct dbuf
db_raw_dn(gnutls_x509_crt_t crt)
{
	gnutls_datum_t dn;
	struct dbuf b;

	if (gnutls_x509_crt_get_raw_dn(crt, &dn) < 0)
		db_fail("no subject");
	b = db_datum(&dn);
	gnutls_free(dn.data);
	return b;
}

static inline struct dbuf
db_cert(gnutls_x509_crt_t crt)
{
	gnutls_datum_t der;
	struct dbuf b;

	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) < 0)
		db_fail("cannot export a certificate");
	b = db_datum(&der);
	gnutls_free(der.data);
	return b;
}

/* The serial number of crt as INTEGER content bytes. */
static inline struct dbuf
db_serial(gnutls_x509_crt_t crt)
{
	unsigned char s[64];
	size_t n = sizeof(s);

	if (gnutls_x509_crt_get_serial(crt, s, &n) < 0)
		db_fail("no serial");
	return db_raw(s, n);
}

/* The CertID GnuTLS makes for crt issued by issuer (SHA-1, RFC 6960 4.1.1). */
static inline struct dbuf
db_cert_id(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer)
{
	gnutls_ocsp_req_t req;
	gnutls_datum_t name, key, serial;
	struct dbuf b;

	if (gnutls_ocsp_req_init(&req) < 0 ||
	    gnutls_ocsp_req_add_cert(req, GNUTLS_DIG_SHA1, issuer, crt) < 0 ||
	    gnutls_ocsp_req_get_cert_id(req, 0, NULL, &name, &key, &serial) < 0)
		db_fail("cannot make a CertID");
	gnutls_ocsp_req_deinit(req);
	b = db_tlv(0x30, db_cat(4,
		db_tlv(0x30, db_cat(2, db_oid(DB_OID_SHA1, sizeof(DB_OID_SHA1)), db_raw("\x05\x00", 2))),
		db_tlv(0x04, db_datum(&name)), db_tlv(0x04, db_datum(&key)),
		db_tlv(0x02, db_datum(&serial))));
	gnutls_free(name.data);
	gnutls_free(key.data);
	gnutls_free(serial.data);
	return b;
}

enum db_status { DB_GOOD, DB_REVOKED, DB_UNKNOWN };

/* One SingleResponse. next_update 0: none; reason -1: none. */
struct db_single {
	gnutls_x509_crt_t crt, issuer;	/* what the CertID names */
	enum db_status status;
	int64_t this_update, next_update, revoked_at;
	int reason;
};

static inline struct dbuf
db_single(const struct db_single *s)
{
	struct dbuf status, next = { NULL, 0 };

	if (s->status == DB_GOOD) {
		status = db_tlv(0x80, db_raw("", 0));
	} else if (s->status == DB_UNKNOWN) {
		status = db_tlv(0x82, db_raw("", 0));
	} else {
		status = db_time(0x18, s->revoked_at);
		if (s->reason >= 0)
			status = db_cat(2, status, db_tlv(0xa0, db_small_int(0x0a, (unsigned)s->reason)));
		status = db_tlv(0xa1, status);
	}
	if (s->next_update)
		next = db_tlv(0xa0, db_time(0x18, s->next_update));
	else
		next = db_raw("", 0);
	return db_tlv(0x30, db_cat(4, db_cert_id(s->crt, s->issuer), status,
				   db_time(0x18, s->this_update), next));
}

/*
 * A basic OCSP response holding n singles, its responder named by
 * signer's subject, signed with key (corrupted when asked), carrying
 * certificate include when not NULL; wrapped in a "successful"
 * OCSPResponse.
 */
static inline struct dbuf
db_ocsp(const struct db_single *singles, size_t n, gnutls_x509_crt_t signer,
	gnutls_privkey_t key, gnutls_x509_crt_t include, bool corrupt)
{
	struct dbuf list = db_raw("", 0), tbs, basic;

	for (size_t i = 0; i < n; i++)
		list = db_cat(2, list, db_single(&singles[i]));
	tbs = db_tlv(0x30, db_cat(3, db_tlv(0xa1, db_raw_dn(signer)),
				  db_time(0x18, singles[0].this_update), db_tlv(0x30, list)));
	basic = db_signed(tbs, key, corrupt);
	if (include)
		basic = db_cat(2, basic, db_tlv(0xa0, db_tlv(0x30, db_cert(include))));
	basic = db_tlv(0x30, basic);
	return db_tlv(0x30, db_cat(2, db_small_int(0x0a, 0),
		db_tlv(0xa0, db_tlv(0x30, db_cat(2, db_oid(DB_OID_OCSP_BASIC, sizeof(DB_OID_OCSP_BASIC)),
						 db_tlv(0x04, basic))))));
}

/* An OCSPResponse with an error status and no response (RFC 6960 4.2.1). */
static inline struct dbuf
db_ocsp_status(unsigned status)
{
	return db_tlv(0x30, db_small_int(0x0a, status));
}

/* One revoked entry: crt's serial, revoked at, with reason unless -1. */
struct db_entry {
	gnutls_x509_crt_t crt;
	int64_t at;
	int reason;
};

/* One extension of a CRL: its OID, criticality and DER value. */
struct db_ext {
	const unsigned char *oid;
	size_t oid_len;
	bool critical;
	const unsigned char *value;
	size_t len;
};

/*
 * A v2 CRL of issuer's name, signed with key (corrupted when asked):
 * thisUpdate, nextUpdate (0: none), the entries and the extensions.
 */
static inline struct dbuf
db_crl(gnutls_x509_crt_t issuer, gnutls_privkey_t key, int64_t this_update, int64_t next_update,
       const struct db_entry *entries, size_t n, const struct db_ext *exts, size_t n_ext,
       bool corrupt)
{
	struct dbuf tbs, list = db_raw("", 0), ext = db_raw("", 0);

	for (size_t i = 0; i < n; i++) {
		struct dbuf e = db_cat(2, db_tlv(0x02, db_serial(entries[i].crt)),
				       db_time(0x17, entries[i].at));

		if (entries[i].reason >= 0)
			e = db_cat(2, e, db_tlv(0x30, db_tlv(0x30, db_cat(2,
				db_oid(DB_OID_REASON, sizeof(DB_OID_REASON)),
				db_tlv(0x04, db_small_int(0x0a, (unsigned)entries[i].reason))))));
		list = db_cat(2, list, db_tlv(0x30, e));
	}
	for (size_t i = 0; i < n_ext; i++)
		ext = db_cat(2, ext, db_tlv(0x30, db_cat(3, db_oid(exts[i].oid, exts[i].oid_len),
			exts[i].critical ? db_raw("\x01\x01\xff", 3) : db_raw("", 0),
			db_tlv(0x04, db_raw(exts[i].value, exts[i].len)))));
	tbs = db_cat(5, db_small_int(0x02, 1),
		     db_tlv(0x30, db_oid(DB_OID_ECDSA_SHA256, sizeof(DB_OID_ECDSA_SHA256))),
		     db_raw_dn(issuer), db_time(0x17, this_update),
		     next_update ? db_time(0x17, next_update) : db_raw("", 0));
	if (n)
		tbs = db_cat(2, tbs, db_tlv(0x30, list));
	else
		free(list.p);
	if (n_ext)
		tbs = db_cat(2, tbs, db_tlv(0xa0, db_tlv(0x30, ext)));
	else
		free(ext.p);
	return db_tlv(0x30, db_signed(db_tlv(0x30, tbs), key, corrupt));
}

#endif
