/*
 * check_tls_pin - chain verification.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "trust.h"

/* The verification failures, in words an operator can act on. */
static const struct {
	unsigned bit;
	const char *words;
} reasons[] = {
	{ GNUTLS_CERT_REVOKED, "a certificate is revoked" },
	{ GNUTLS_CERT_SIGNER_NOT_FOUND, "issuer unknown (no trusted anchor)" },
	{ GNUTLS_CERT_SIGNER_NOT_CA, "issuer is not a CA" },
	{ GNUTLS_CERT_INSECURE_ALGORITHM, "insecure signature algorithm" },
	{ GNUTLS_CERT_NOT_ACTIVATED, "a certificate in the chain is not yet valid" },
	{ GNUTLS_CERT_EXPIRED, "a certificate in the chain has expired" },
	{ GNUTLS_CERT_SIGNATURE_FAILURE, "bad signature" },
	{ GNUTLS_CERT_UNEXPECTED_OWNER, "name mismatch" },
	{ GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE, "issuer constraints violated" },
	{ GNUTLS_CERT_PURPOSE_MISMATCH, "not valid for TLS server use" },
	{ GNUTLS_CERT_MISMATCH, "certificate mismatch" },
	{ GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED, "stale revocation data" },
	{ GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE, "revocation data from the future" },
	{ GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS, "unknown critical extension" },
	{ GNUTLS_CERT_MISSING_OCSP_STATUS, "missing OCSP status" },
	{ GNUTLS_CERT_INVALID_OCSP_STATUS, "invalid OCSP status" },
};

static void
describe(unsigned status, const char *name, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		int w;

		if (!(status & reasons[i].bit))
			continue;
		if (reasons[i].bit == GNUTLS_CERT_UNEXPECTED_OWNER && name)
			w = snprintf(out + len, size - len, "%sname mismatch (%s)",
				     len ? ", " : "", name);
		else
			w = snprintf(out + len, size - len, "%s%s", len ? ", " : "",
				     reasons[i].words);
		if (w < 0 || (size_t)w >= size - len)
			return;
		len += (size_t)w;
	}
	if (len == 0) {
		/* A status bit this table does not know: GnuTLS's own words. */
		gnutls_datum_t text = { NULL, 0 };

		if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509,
								 &text, 0) >= 0 && text.data)
			snprintf(out, size, "%s", (const char *)text.data);
		else
			snprintf(out, size, "verification failed (status 0x%x)", status);
		gnutls_free(text.data);
	}
}

/*
 * Walks the path from the leaf up until a certificate on it is issued by an
 * anchor of list; that anchor completes the verified path (RFC 5280 6.1).
 * The issuer is confirmed by its signature: anchors may share a name.
 */
static int
find_anchor(struct chain *c, gnutls_x509_trust_list_t list, struct error *e)
{
	for (size_t i = 0; i < c->path_len; i++) {
		gnutls_x509_crt_t cur = c->v[c->path[i]].crt, issuer = NULL;

		if (gnutls_x509_trust_list_get_issuer(list, cur, &issuer, GNUTLS_TL_GET_COPY) < 0 ||
		    !issuer)
			continue;
		if (cert_issued(cur, issuer))
			return chain_set_anchor(c, issuer, e);
		gnutls_x509_crt_deinit(issuer);
	}
	return 0;
}

int
trust_verify(struct chain *c, const char *ca_file, const char *name,
	     struct trust_result *out, struct error *e)
{
	gnutls_x509_trust_list_t list = NULL;
	gnutls_x509_crt_t crts[CHAIN_MAX];
	gnutls_typed_vdata_st data[2];
	unsigned ndata = 0, status = 0;
	int rc = -1, n;

	memset(out, 0, sizeof(*out));
	out->state = STATE_UNKNOWN;
	if (gnutls_x509_trust_list_init(&list, 0) < 0)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	rc = 0;
	if (ca_file) {
		n = gnutls_x509_trust_list_add_trust_file(list, ca_file, NULL,
							  GNUTLS_X509_FMT_PEM, 0, 0);
		if (n <= 0) {
			snprintf(out->reason, sizeof(out->reason), "cannot load CA file %s: %s",
				 ca_file, n < 0 ? gnutls_strerror(n) : "no certificates in it");
			goto out;
		}
	} else {
		n = gnutls_x509_trust_list_add_system_trust(list, 0, 0);
		if (n <= 0) {
			snprintf(out->reason, sizeof(out->reason),
				 "cannot load the system trust store: %s",
				 n < 0 ? gnutls_strerror(n) : "it is empty");
			goto out;
		}
	}

	for (size_t i = 0; i < c->n; i++)
		crts[i] = c->v[i].crt;
	if (name) {
		data[ndata].type = GNUTLS_DT_DNS_HOSTNAME;
		data[ndata].data = (unsigned char *)(uintptr_t)name;
		data[ndata].size = 0;
		ndata++;
	}
	data[ndata].type = GNUTLS_DT_KEY_PURPOSE_OID;
	data[ndata].data = (unsigned char *)(uintptr_t)GNUTLS_KP_TLS_WWW_SERVER;
	data[ndata].size = 0;
	ndata++;

	rc = gnutls_x509_trust_list_verify_crt2(list, crts, (unsigned)c->n, data, ndata,
						0, &status, NULL);
	if (rc < 0) {
		snprintf(out->reason, sizeof(out->reason), "chain verification failed: %s",
			 gnutls_strerror(rc));
		rc = 0;
		goto out;
	}
	out->status = status;
	out->trusted = status == 0;
	out->state = out->trusted ? STATE_OK : STATE_CRITICAL;
	if (out->trusted)
		rc = find_anchor(c, list, e);
	else
		describe(status, name, out->reason, sizeof(out->reason));
out:
	gnutls_x509_trust_list_deinit(list, 1);
	return rc;
}
