/*
 * check_tls_pin - judging revocation data.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <gnutls/abstract.h>
#include <gnutls/ocsp.h>

#include "der.h"
#include "path.h"
#include "revocation.h"

/* Bounds on what one response makes us do: real ones hold one of each. */
#define OCSP_SINGLES_MAX 32
#define OCSP_CERTS_MAX 4
#define EXTENSIONS_MAX 64
#define OID_OCSP_BASIC "1.3.6.1.5.5.7.48.1.1"
#define OID_DELTA_CRL "2.5.29.27"
#define OID_IDP "2.5.29.28"
/* The TLS feature status_request (RFC 7633 4.2, RFC 6066 8). */
#define TLS_FEATURE_STATUS_REQUEST 5

void
revocation_answer_init(struct rev_answer *a)
{
	memset(a, 0, sizeof(*a));
	a->status = REV_NONE;
	a->reason = -1;
}

static void no_answer(struct rev_answer *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
no_answer(struct rev_answer *a, const char *fmt, ...)
{
	va_list ap;

	a->status = REV_NO_ANSWER;
	va_start(ap, fmt);
	vsnprintf(a->why, sizeof(a->why), fmt, ap);
	va_end(ap);
}

static bool
datum_equal(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	return a->size == b->size && (a->size == 0 || memcmp(a->data, b->data, a->size) == 0);
}

/* The words for a non-zero verify output of gnutls_ocsp_resp_verify_direct. */
static const char *
ocsp_verify_words(unsigned v)
{
	if (v & GNUTLS_OCSP_VERIFY_SIGNATURE_FAILURE)
		return "its signature does not verify";
	if (v & GNUTLS_OCSP_VERIFY_UNTRUSTED_SIGNER)
		return "signed by a responder the issuer did not certify";
	if (v & GNUTLS_OCSP_VERIFY_SIGNER_KEYUSAGE_ERROR)
		return "signed by a responder the issuer did not delegate OCSP signing to";
	if (v & GNUTLS_OCSP_VERIFY_SIGNER_NOT_FOUND)
		return "its signer is not found";
	if (v & GNUTLS_OCSP_VERIFY_INSECURE_ALGORITHM)
		return "signed with an insecure algorithm";
	if (v & GNUTLS_OCSP_VERIFY_CERT_NOT_ACTIVATED)
		return "its responder's certificate is not valid yet";
	if (v & GNUTLS_OCSP_VERIFY_CERT_EXPIRED)
		return "its responder's certificate has expired";
	return "it does not verify";
}

/* Whether c's extended key usage names id-kp-OCSPSigning, compared whole. */
static bool
names_ocsp_signing(gnutls_x509_crt_t c)
{
	for (unsigned i = 0; i < EXTENSIONS_MAX; i++) {
		char oid[128];
		size_t size = sizeof(oid);
		int rc = gnutls_x509_crt_get_key_purpose_oid(c, i, oid, &size, NULL);

		if (rc == GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue;
		if (rc < 0)
			return false;
		if (strcmp(oid, GNUTLS_KP_OCSP_SIGNING) == 0)
			return true;
	}
	return false;
}

/* The tbsResponseData element of resp, exactly as signed (inside *body, gnutls_free). */
static int
signed_part(gnutls_ocsp_resp_t resp, gnutls_datum_t *body, gnutls_datum_t *tbs)
{
	struct der outer, inner;

	if (gnutls_ocsp_resp_get_response(resp, NULL, body) < 0)
		return -1;
	if (der_read(body->data, body->size, &outer, NULL) != 1 || outer.tag != 0x30 ||
	    der_read(outer.val, outer.len, &inner, NULL) != 1 || inner.tag != 0x30)
		return -1;
	tbs->data = (unsigned char *)(uintptr_t)outer.val;
	tbs->size = (unsigned)inner.total;
	return 0;
}

/*
 * GnuTLS has found the response signed by issuer or a responder issuer
 * certified. When a certificate the response carries made the signature (a
 * delegated responder, RFC 6960 4.2.2.2), it must also name
 * id-kp-OCSPSigning exactly and be valid at now: asked here, of the
 * certificate whose key verifies the signature. Returns 0, or -1 with a.
 */
static int
check_delegate(gnutls_ocsp_resp_t resp, gnutls_x509_crt_t issuer, int64_t now,
	       struct rev_answer *a)
{
	gnutls_x509_crt_t *certs = NULL;
	size_t n = 0;
	gnutls_datum_t body = { NULL, 0 }, tbs, sig = { NULL, 0 };
	int sigalg, rc = 0;

	/* GnuTLS may hand back an array even when it holds no certificate. */
	if (gnutls_ocsp_resp_get_certs(resp, &certs, &n) < 0 || n == 0) {
		gnutls_free(certs);
		return 0;
	}
	if (n > OCSP_CERTS_MAX) {
		no_answer(a, "it carries %zu certificates, more than %d", n, OCSP_CERTS_MAX);
		rc = -1;
		goto out;
	}
	sigalg = gnutls_ocsp_resp_get_signature_algorithm(resp);
	if (sigalg < 0 || signed_part(resp, &body, &tbs) < 0 ||
	    gnutls_ocsp_resp_get_signature(resp, &sig) < 0) {
		no_answer(a, "its signed part cannot be read");
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		gnutls_pubkey_t key;
		bool signer;
		int64_t from, to;

		/* Only a key issuer certified is tried: it cannot be one of the peer's choosing. */
		if (gnutls_x509_crt_equals(certs[i], issuer) || !path_signed_by(certs[i], issuer))
			continue;
		if (gnutls_pubkey_init(&key) < 0)
			continue;
		signer = gnutls_pubkey_import_x509(key, certs[i], 0) >= 0 &&
			 gnutls_pubkey_verify_data2(key, (gnutls_sign_algorithm_t)sigalg, 0, &tbs,
						    &sig) >= 0;
		gnutls_pubkey_deinit(key);
		if (!signer)
			continue;
		from = (int64_t)gnutls_x509_crt_get_activation_time(certs[i]);
		to = (int64_t)gnutls_x509_crt_get_expiration_time(certs[i]);
		if (!names_ocsp_signing(certs[i])) {
			no_answer(a, "signed by a responder the issuer did not delegate OCSP "
				  "signing to (no id-kp-OCSPSigning)");
			rc = -1;
		} else if (from == -1 || to == -1 || from > now || to < now) {
			no_answer(a, "its responder's certificate is not valid now");
			rc = -1;
		}
		break;
	}
out:
	for (size_t i = 0; i < n; i++)
		gnutls_x509_crt_deinit(certs[i]);
	gnutls_free(certs);
	gnutls_free(body.data);
	gnutls_free(sig.data);
	return rc;
}

/* The CertID (RFC 6960 4.1.1) GnuTLS makes for crt and issuer with digest dig. */
struct cert_id {
	gnutls_digest_algorithm_t digest;
	gnutls_datum_t name, key, serial;
};

static void
cert_id_free(struct cert_id *id)
{
	gnutls_free(id->name.data);
	gnutls_free(id->key.data);
	gnutls_free(id->serial.data);
	memset(id, 0, sizeof(*id));
}

static int
cert_id_make(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer, gnutls_digest_algorithm_t dig,
	     struct cert_id *id)
{
	gnutls_ocsp_req_t req;
	int rc;

	memset(id, 0, sizeof(*id));
	if (gnutls_ocsp_req_init(&req) < 0)
		return -1;
	rc = gnutls_ocsp_req_add_cert(req, dig, issuer, crt);
	if (rc >= 0)
		rc = gnutls_ocsp_req_get_cert_id(req, 0, NULL, &id->name, &id->key, &id->serial);
	gnutls_ocsp_req_deinit(req);
	if (rc < 0) {
		cert_id_free(id);
		return -1;
	}
	id->digest = dig;
	return 0;
}

/* One single response (RFC 6960 4.2.1) as read. */
struct single {
	unsigned status;
	time_t this_update, next_update, revoked_at;
	unsigned reason;
};

/*
 * Finds the single response of resp about crt: its whole CertID (serial,
 * issuer name hash, issuer key hash) the one GnuTLS makes for crt and
 * issuer. Should several be, a "revoked" among them is the one taken.
 * Returns 1 found, 0 none, -1 unreadable.
 */
static int
find_single(gnutls_ocsp_resp_t resp, gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
	    struct single *out)
{
	struct cert_id want;
	int found = 0;

	memset(&want, 0, sizeof(want));
	for (unsigned i = 0; i < OCSP_SINGLES_MAX; i++) {
		gnutls_digest_algorithm_t dig;
		gnutls_datum_t name, key, serial;
		struct single s;
		bool match;
		int rc = gnutls_ocsp_resp_get_single(resp, i, &dig, &name, &key, &serial, &s.status,
						     &s.this_update, &s.next_update, &s.revoked_at,
						     &s.reason);

		if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (rc < 0) {
			found = -1;
			break;
		}
		if (want.digest != dig) {
			cert_id_free(&want);
			if (cert_id_make(crt, issuer, dig, &want) < 0)
				want.digest = GNUTLS_DIG_UNKNOWN;
		}
		match = want.digest != GNUTLS_DIG_UNKNOWN && datum_equal(&name, &want.name) &&
			datum_equal(&key, &want.key) && datum_equal(&serial, &want.serial);
		gnutls_free(name.data);
		gnutls_free(key.data);
		gnutls_free(serial.data);
		if (match && (!found || s.status == GNUTLS_OCSP_CERT_REVOKED)) {
			*out = s;
			found = 1;
		}
	}
	cert_id_free(&want);
	return found;
}

static const char *
response_status_name(int st)
{
	switch (st) {
	case GNUTLS_OCSP_RESP_MALFORMEDREQUEST: return "malformedRequest";
	case GNUTLS_OCSP_RESP_INTERNALERROR: return "internalError";
	case GNUTLS_OCSP_RESP_TRYLATER: return "tryLater";
	case GNUTLS_OCSP_RESP_SIGREQUIRED: return "sigRequired";
	case GNUTLS_OCSP_RESP_UNAUTHORIZED: return "unauthorized";
	default: return "an unknown status";
	}
}

/*
 * The window of an answer (RFC 6960 4.2.2.1, RFC 5280 5.1.2.4-5): current
 * from thisUpdate, no longer after nextUpdate, which must be given. Returns
 * 0, or -1 with a.
 */
static int
check_window(int64_t this_update, int64_t next_update, int64_t now, struct rev_answer *a)
{
	a->this_update = this_update;
	a->next_update = next_update;
	if (this_update == -1)
		no_answer(a, "its thisUpdate cannot be read");
	else if (this_update > now)
		no_answer(a, "its thisUpdate is in the future");
	else if (next_update == -1)
		no_answer(a, "it gives no nextUpdate, so it may be stale");
	else if (next_update < now)
		no_answer(a, "it is stale: its nextUpdate has passed");
	else
		return 0;
	return -1;
}

void
revocation_judge_ocsp(const gnutls_datum_t *der, gnutls_x509_crt_t crt,
		      gnutls_x509_crt_t issuer, int64_t now, struct rev_answer *a)
{
	gnutls_ocsp_resp_t resp = NULL;
	gnutls_datum_t type = { NULL, 0 };
	struct single s;
	unsigned verify = UINT32_MAX;
	int rc, st;

	memset(&s, 0, sizeof(s));
	revocation_answer_init(a);
	if (der->size == 0) {
		no_answer(a, "the response is empty");
		return;
	}
	if (der->size > REVOCATION_OCSP_MAX) {
		no_answer(a, "the response is larger than %d KiB", REVOCATION_OCSP_MAX / 1024);
		return;
	}
	if (gnutls_ocsp_resp_init(&resp) < 0) {
		no_answer(a, "out of memory");
		return;
	}
	rc = gnutls_ocsp_resp_import(resp, der);
	if (rc < 0) {
		no_answer(a, "not an OCSP response (%s)", gnutls_strerror(rc));
		goto out;
	}
	st = gnutls_ocsp_resp_get_status(resp);
	if (st != GNUTLS_OCSP_RESP_SUCCESSFUL) {
		if (st < 0)
			no_answer(a, "its status cannot be read");
		else
			no_answer(a, "the responder says %s", response_status_name(st));
		goto out;
	}
	if (gnutls_ocsp_resp_get_response(resp, &type, NULL) < 0 ||
	    type.size != strlen(OID_OCSP_BASIC) || memcmp(type.data, OID_OCSP_BASIC, type.size) != 0) {
		no_answer(a, "not a basic OCSP response");
		goto out;
	}
	rc = gnutls_ocsp_resp_verify_direct(resp, issuer, &verify, 0);
	if (rc < 0 || verify != 0) {
		no_answer(a, "%s", rc < 0 ? gnutls_strerror(rc) : ocsp_verify_words(verify));
		goto out;
	}
	if (check_delegate(resp, issuer, now, a) < 0)
		goto out;
	rc = find_single(resp, crt, issuer, &s);
	if (rc <= 0) {
		no_answer(a, rc < 0 ? "a single response cannot be read"
			  : "it says nothing of this certificate");
		goto out;
	}
	if (check_window(s.this_update, s.next_update, now, a) < 0)
		goto out;
	switch (s.status) {
	case GNUTLS_OCSP_CERT_GOOD:
		a->status = REV_GOOD;
		break;
	case GNUTLS_OCSP_CERT_REVOKED:
		a->status = REV_REVOKED;
		a->revoked_at = (int64_t)s.revoked_at;
		a->reason = (int)s.reason;
		break;
	case GNUTLS_OCSP_CERT_UNKNOWN:
		a->status = REV_UNKNOWN;
		break;
	default:
		no_answer(a, "its certificate status cannot be read");
		break;
	}
out:
	gnutls_free(type.data);
	gnutls_ocsp_resp_deinit(resp);
}

/* A DER BOOLEAN inside an implicit tag: TRUE only when its one octet is not 0. */
static bool
der_true(const struct der *el)
{
	return el->len == 1 && el->val[0] != 0;
}

/*
 * Whether the DistributionPointName at p names url among its full names
 * (RFC 5280 4.2.1.13): 1 yes, 0 no, -1 unreadable.
 */
static int
names_url(const unsigned char *p, size_t len, const char *url)
{
	struct der dpn, gn;
	size_t ulen = strlen(url);

	if (der_read(p, len, &dpn, NULL) != 1 || dpn.total != len)
		return -1;
	if (dpn.tag == 0xa1)	/* nameRelativeToCRLIssuer: no URL */
		return 0;
	if (dpn.tag != 0xa0)
		return -1;
	for (size_t off = 0; off < dpn.len; off += gn.total) {
		if (der_read(dpn.val + off, dpn.len - off, &gn, NULL) != 1)
			return -1;
		/* [6] uniformResourceIdentifier */
		if (gn.tag == 0x86 && gn.len == ulen && memcmp(gn.val, url, ulen) == 0)
			return 1;
	}
	return 0;
}

/*
 * What keeps the issuing distribution point idp (RFC 5280 5.2.5) of a CRL
 * fetched from url from covering a certificate, a CA's when ca: NULL when
 * nothing does.
 */
static const char *
idp_problem(const gnutls_datum_t *idp, const char *url, bool ca)
{
	static const char unreadable[] = "its issuing distribution point cannot be read";
	struct der seq, el;
	bool named = false, matched = false;

	if (der_read(idp->data, idp->size, &seq, NULL) != 1 || seq.tag != 0x30 ||
	    seq.total != idp->size)
		return unreadable;
	for (size_t off = 0; off < seq.len; off += el.total) {
		int r;

		if (der_read(seq.val + off, seq.len - off, &el, NULL) != 1)
			return unreadable;
		switch (el.tag) {
		case 0xa0:	/* distributionPoint */
			named = true;
			r = names_url(el.val, el.len, url);
			if (r < 0)
				return unreadable;
			matched = r == 1;
			break;
		case 0x81:	/* onlyContainsUserCerts */
			if (der_true(&el) && ca)
				return "it covers only end-entity certificates";
			break;
		case 0x82:	/* onlyContainsCACerts */
			if (der_true(&el) && !ca)
				return "it covers only CA certificates";
			break;
		case 0x83:	/* onlySomeReasons */
		case 0xa3:
			return "it covers only some revocation reasons";
		case 0x84:	/* indirectCRL */
			if (der_true(&el))
				return "it is an indirect CRL";
			break;
		case 0x85:	/* onlyContainsAttributeCerts */
			if (der_true(&el))
				return "it covers only attribute certificates";
			break;
		default:
			return unreadable;
		}
	}
	if (named && !matched)
		return "its issuing distribution point does not name the URL it came from";
	return NULL;
}

/*
 * Whether crl covers crt, fetched from url: no delta CRL, no critical
 * extension but the issuing distribution point, and that one covering crt.
 * Returns 0, or -1 with a.
 */
static int
check_scope(gnutls_x509_crl_t crl, const char *url, gnutls_x509_crt_t crt, struct rev_answer *a)
{
	for (unsigned i = 0; i < EXTENSIONS_MAX; i++) {
		char oid[128];
		size_t size = sizeof(oid);
		unsigned critical = 0;
		gnutls_datum_t data = { NULL, 0 };
		const char *problem;
		int rc = gnutls_x509_crl_get_extension_info(crl, i, oid, &size, &critical);

		if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			return 0;
		if (rc < 0) {
			no_answer(a, "an extension of it cannot be read");
			return -1;
		}
		if (strcmp(oid, OID_DELTA_CRL) == 0) {
			no_answer(a, "it is a delta CRL");
			return -1;
		}
		if (strcmp(oid, OID_IDP) != 0) {
			if (!critical)
				continue;
			no_answer(a, "it has a critical extension this check does not know (%s)", oid);
			return -1;
		}
		if (gnutls_x509_crl_get_extension_data2(crl, i, &data) < 0) {
			no_answer(a, "its issuing distribution point cannot be read");
			return -1;
		}
		problem = idp_problem(&data, url, gnutls_x509_crt_get_ca_status(crt, NULL) > 0);
		gnutls_free(data.data);
		if (problem) {
			no_answer(a, "%s", problem);
			return -1;
		}
	}
	no_answer(a, "it has more than %d extensions", EXTENSIONS_MAX);
	return -1;
}

/* The words for a non-zero status of gnutls_x509_crl_verify. */
static const char *
crl_verify_words(unsigned v)
{
	if (v & GNUTLS_CERT_SIGNER_NOT_FOUND)
		return "it is not issued by the certificate's issuer";
	if (v & GNUTLS_CERT_SIGNATURE_FAILURE)
		return "its signature does not verify";
	if (v & (GNUTLS_CERT_SIGNER_NOT_CA | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE))
		return "its issuer may not sign CRLs";
	if (v & GNUTLS_CERT_INSECURE_ALGORITHM)
		return "signed with an insecure algorithm";
	if (v & GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE)
		return "its thisUpdate is in the future";
	if (v & GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED)
		return "it is stale: its nextUpdate has passed";
	return "it does not verify";
}

/* Skips the elements at *p of tags tag1 or tag2, at most one. */
static bool
skip_optional(const unsigned char **p, const unsigned char *end, unsigned char tag1,
	      unsigned char tag2)
{
	struct der el;

	if (*p >= end)
		return true;
	if (der_read(*p, (size_t)(end - *p), &el, NULL) != 1)
		return false;
	if (el.tag == tag1 || el.tag == tag2)
		*p += el.total;
	return true;
}

/* The reasonCode (RFC 5280 5.3.1) among the entry extensions at p, or -1. */
static int
entry_reason(const unsigned char *p, size_t len)
{
	static const unsigned char reason_oid[] = { 0x55, 0x1d, 0x15 };	/* 2.5.29.21 */
	struct der exts, ext, el, inner;

	if (der_read(p, len, &exts, NULL) != 1 || exts.tag != 0x30)
		return -1;
	for (size_t off = 0; off < exts.len; off += ext.total) {
		const unsigned char *q, *end;

		if (der_read(exts.val + off, exts.len - off, &ext, NULL) != 1 || ext.tag != 0x30)
			return -1;
		q = ext.val;
		end = ext.val + ext.len;
		if (der_read(q, (size_t)(end - q), &el, NULL) != 1 || el.tag != 0x06)
			return -1;
		if (el.len != sizeof(reason_oid) || memcmp(el.val, reason_oid, el.len) != 0)
			continue;
		q += el.total;
		if (!skip_optional(&q, end, 0x01, 0x01) ||
		    der_read(q, (size_t)(end - q), &el, NULL) != 1 || el.tag != 0x04 ||
		    der_read(el.val, el.len, &inner, NULL) != 1 || inner.tag != 0x0a || inner.len != 1)
			return -1;
		return inner.val[0];
	}
	return -1;
}

/*
 * Whether two serial numbers, as INTEGER contents, are the same number: a
 * CA tool that reads the serial as a number writes it in its shortest form,
 * which a certificate may not have used (a leading zero byte).
 */
static bool
same_serial(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
	while (an > 1 && a[0] == 0)
		a++, an--;
	while (bn > 1 && b[0] == 0)
		b++, bn--;
	return an == bn && memcmp(a, b, an) == 0;
}

/*
 * The reason of the entry for serial in the DER CRL crl (RFC 5280 5.1),
 * which GnuTLS has already read and found signed; -1 when it gives none.
 * GnuTLS has no call for entry extensions, so the entries are walked here,
 * each element bounded by its container.
 */
static int
crl_reason(const gnutls_datum_t *crl, const unsigned char *serial, size_t slen)
{
	struct der outer, tbs, el, list, entry, num;
	const unsigned char *p, *end;

	if (der_read(crl->data, crl->size, &outer, NULL) != 1 || outer.tag != 0x30 ||
	    der_read(outer.val, outer.len, &tbs, NULL) != 1 || tbs.tag != 0x30)
		return -1;
	p = tbs.val;
	end = tbs.val + tbs.len;
	/* version, signature, issuer, thisUpdate, nextUpdate: up to the entries */
	if (!skip_optional(&p, end, 0x02, 0x02))
		return -1;
	for (int i = 0; i < 3; i++) {
		if (p >= end || der_read(p, (size_t)(end - p), &el, NULL) != 1)
			return -1;
		p += el.total;
	}
	if (!skip_optional(&p, end, 0x17, 0x18) || p >= end ||
	    der_read(p, (size_t)(end - p), &list, NULL) != 1 || list.tag != 0x30)
		return -1;
	for (size_t off = 0; off < list.len; off += entry.total) {
		const unsigned char *q, *qend;

		if (der_read(list.val + off, list.len - off, &entry, NULL) != 1 || entry.tag != 0x30)
			return -1;
		q = entry.val;
		qend = entry.val + entry.len;
		if (der_read(q, entry.len, &num, NULL) != 1 || num.tag != 0x02)
			return -1;
		if (!same_serial(num.val, num.len, serial, slen))
			continue;
		q += num.total;
		if (q >= qend || der_read(q, (size_t)(qend - q), &el, NULL) != 1)
			return -1;
		q += el.total;
		return q < qend ? entry_reason(q, (size_t)(qend - q)) : -1;
	}
	return -1;
}

/* Looks crt's serial up in crl. Returns 1 listed (with *when), 0 not, -1 unreadable. */
static int
listed(gnutls_x509_crl_t crl, const unsigned char *serial, size_t slen, time_t *when)
{
	gnutls_x509_crl_iter_t it = NULL;
	int found = 0;

	for (;;) {
		unsigned char s[1024];
		size_t n = sizeof(s);
		time_t t;
		int rc = gnutls_x509_crl_iter_crt_serial(crl, &it, s, &n, &t);

		if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (rc < 0) {
			found = -1;
			break;
		}
		if (same_serial(s, n, serial, slen)) {
			*when = t;
			found = 1;
			break;
		}
	}
	gnutls_x509_crl_iter_deinit(it);
	return found;
}

void
revocation_judge_crl(const gnutls_datum_t *der, const char *url, gnutls_x509_crt_t crt,
		     gnutls_x509_crt_t issuer, int64_t now, struct rev_answer *a)
{
	gnutls_x509_crl_t crl = NULL;
	unsigned char serial[128];
	size_t slen = sizeof(serial);
	unsigned verify = UINT32_MAX;
	time_t when = 0;
	int rc;

	revocation_answer_init(a);
	if (der->size == 0) {
		no_answer(a, "the CRL is empty");
		return;
	}
	if (der->size > REVOCATION_CRL_MAX) {
		no_answer(a, "the CRL is larger than %d MiB", REVOCATION_CRL_MAX / (1024 * 1024));
		return;
	}
	if (gnutls_x509_crl_init(&crl) < 0) {
		no_answer(a, "out of memory");
		return;
	}
	rc = gnutls_x509_crl_import(crl, der, GNUTLS_X509_FMT_DER);
	if (rc < 0 && gnutls_x509_crl_import(crl, der, GNUTLS_X509_FMT_PEM) < 0) {
		no_answer(a, "not a CRL (%s)", gnutls_strerror(rc));
		goto out;
	}
	rc = gnutls_x509_crl_verify(crl, &issuer, 1, 0, &verify);
	if (rc < 0 || verify != 0) {
		no_answer(a, "%s", rc < 0 ? gnutls_strerror(rc) : crl_verify_words(verify));
		goto out;
	}
	if (check_window((int64_t)gnutls_x509_crl_get_this_update(crl),
			 (int64_t)gnutls_x509_crl_get_next_update(crl), now, a) < 0 ||
	    check_scope(crl, url, crt, a) < 0)
		goto out;
	if (gnutls_x509_crt_get_serial(crt, serial, &slen) < 0) {
		no_answer(a, "the certificate's serial number cannot be read");
		goto out;
	}
	rc = listed(crl, serial, slen, &when);
	if (rc < 0) {
		no_answer(a, "an entry of it cannot be read");
	} else if (rc == 0) {
		a->status = REV_GOOD;
	} else {
		gnutls_datum_t plain = { NULL, 0 };

		a->status = REV_REVOKED;
		a->revoked_at = (int64_t)when;
		if (gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_DER, &plain) >= 0)
			a->reason = crl_reason(&plain, serial, slen);
		gnutls_free(plain.data);
	}
out:
	gnutls_x509_crl_deinit(crl);
}

bool
revocation_must_staple(gnutls_x509_crt_t crt)
{
	gnutls_x509_tlsfeatures_t f;
	bool must = false;

	if (gnutls_x509_tlsfeatures_init(&f) < 0)
		return false;
	if (gnutls_x509_crt_get_tlsfeatures(crt, f, 0, NULL) >= 0) {
		unsigned feature;

		for (unsigned i = 0; !must && gnutls_x509_tlsfeatures_get(f, i, &feature) >= 0; i++)
			must = feature == TLS_FEATURE_STATUS_REQUEST;
	}
	gnutls_x509_tlsfeatures_deinit(f);
	return must;
}

/* Copies uri into out when it is an http or https URL of printable ASCII that fits. */
static bool
take_url(const unsigned char *uri, size_t len, char *out, size_t size)
{
	if (len >= size || !((len > 7 && strncasecmp((const char *)uri, "http://", 7) == 0) ||
			     (len > 8 && strncasecmp((const char *)uri, "https://", 8) == 0)))
		return false;
	for (size_t i = 0; i < len; i++)
		if (uri[i] <= ' ' || uri[i] >= 0x7f)
			return false;
	memcpy(out, uri, len);
	out[len] = '\0';
	return true;
}

int
revocation_url(gnutls_x509_crt_t crt, enum rev_source source, char *out, size_t size)
{
	out[0] = '\0';
	for (unsigned seq = 0; seq < EXTENSIONS_MAX; seq++) {
		unsigned char buf[REVOCATION_URL_MAX];
		size_t len = sizeof(buf);
		unsigned reasons = 0;
		gnutls_datum_t d = { NULL, 0 };
		bool taken;
		int rc;

		if (source == REV_OCSP) {
			rc = gnutls_x509_crt_get_authority_info_access(crt, seq, GNUTLS_IA_OCSP_URI,
								       &d, NULL);
			if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
				return 0;
			/* Another access method, or a location that is no URI: passed over. */
			taken = rc >= 0 && take_url(d.data, d.size, out, size);
			gnutls_free(d.data);
		} else {
			rc = gnutls_x509_crt_get_crl_dist_points(crt, seq, buf, &len, &reasons, NULL);
			if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
				return 0;
			/* A point for only some reasons would answer only for those. */
			taken = rc == GNUTLS_SAN_URI && reasons == 0 && take_url(buf, len, out, size);
		}
		if (taken)
			return 1;
	}
	return 0;
}

int
revocation_ocsp_request(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer, gnutls_datum_t *der)
{
	gnutls_ocsp_req_t req;
	int rc;

	der->data = NULL;
	der->size = 0;
	if (gnutls_ocsp_req_init(&req) < 0)
		return -1;
	rc = gnutls_ocsp_req_add_cert(req, GNUTLS_DIG_SHA1, issuer, crt);
	if (rc >= 0)
		rc = gnutls_ocsp_req_export(req, der);
	gnutls_ocsp_req_deinit(req);
	return rc < 0 ? -1 : 0;
}

int
revocation_ocsp_get_url(const char *url, const gnutls_datum_t *req, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	gnutls_datum_t b64 = { NULL, 0 };
	size_t ulen = strlen(url), n;
	bool slash = ulen > 0 && url[ulen - 1] == '/';
	int rc = -1;

	if (gnutls_base64_encode2(req, &b64) < 0)
		return -1;
	n = ulen + !slash;
	if (n >= size)
		goto out;
	memcpy(out, url, ulen);
	if (!slash)
		out[ulen] = '/';
	for (size_t i = 0; i < b64.size; i++) {
		unsigned char c = b64.data[i];
		bool plain = c != '+' && c != '/' && c != '=';

		if (n + (plain ? 1 : 3) >= 255 || n + 4 > size)
			goto out;
		if (plain) {
			out[n++] = (char)c;
		} else {
			out[n++] = '%';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 0xf];
		}
	}
	out[n] = '\0';
	rc = 0;
out:
	gnutls_free(b64.data);
	return rc;
}

const char *
revocation_reason_name(int reason)
{
	static const char *const names[] = {
		"unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
		"superseded", "cessationOfOperation", "certificateHold", NULL,
		"removeFromCRL", "privilegeWithdrawn", "aACompromise"
	};

	if (reason < 0)
		return names[0];
	if ((size_t)reason >= sizeof(names) / sizeof(names[0]) || !names[reason])
		return "an unknown reason";
	return names[reason];
}

const char *
revocation_source_name(enum rev_source source)
{
	switch (source) {
	case REV_STAPLE: return "OCSP staple";
	case REV_OCSP: return "OCSP";
	case REV_CRL: return "CRL";
	default: return "?";
	}
}

void
revocation_cert_init(struct rev_cert *c, size_t depth)
{
	memset(c, 0, sizeof(*c));
	c->depth = depth;
	for (int s = 0; s < REV_SOURCES; s++)
		revocation_answer_init(&c->answer[s]);
	c->status = REV_NONE;
	c->state = STATE_OK;
}

void
revocation_verdict(struct rev_cert *c, enum state unavailable)
{
	static const enum rev_status order[] = { REV_REVOKED, REV_GOOD, REV_UNKNOWN, REV_NO_ANSWER };
	enum rev_status staple = c->answer[REV_STAPLE].status;

	c->status = REV_NONE;
	c->source = REV_STAPLE;
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]) && c->status == REV_NONE; k++) {
		for (int s = 0; s < REV_SOURCES; s++) {
			if (c->answer[s].status == order[k]) {
				c->status = order[k];
				c->source = (enum rev_source)s;
				break;
			}
		}
	}
	if (c->status == REV_NONE && c->unasked[0])
		c->status = REV_NO_ANSWER;
	switch (c->status) {
	case REV_REVOKED: c->state = STATE_CRITICAL; break;
	case REV_UNKNOWN: c->state = STATE_WARNING; break;
	case REV_NO_ANSWER: c->state = unavailable; break;
	default: c->state = STATE_OK; break;
	}
	/* RFC 7633 4.2.3: a client that enforces it refuses the certificate. */
	c->staple_missing = c->must_staple && staple != REV_GOOD && staple != REV_REVOKED &&
			    staple != REV_UNKNOWN;
	if (c->staple_missing)
		c->state = STATE_CRITICAL;
}
