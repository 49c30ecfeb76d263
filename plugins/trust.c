/*
 * check_tls_pin - chain verification.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "file.h"
#include "trust.h"

/* Far more than any CA bundle (Debian's holds some 140 anchors in 200 KiB). */
#define CA_FILE_MAX (16 * 1024 * 1024)

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

void
trust_store_init(struct trust_store *ts, const char *ca_file)
{
	memset(ts, 0, sizeof(*ts));
	ts->ca_file = ca_file;
	pthread_mutex_init(&ts->lock, NULL);
}

void
trust_store_free(struct trust_store *ts)
{
	if (ts->list)
		gnutls_x509_trust_list_deinit(ts->list, 1);
	pthread_mutex_destroy(&ts->lock);
	memset(ts, 0, sizeof(*ts));
}

/* Loads the anchors once; a failure is remembered as words for the verdict. */
static void
load(struct trust_store *ts)
{
	int n;

	ts->loaded = true;
	if (gnutls_x509_trust_list_init(&ts->list, 0) < 0) {
		ts->list = NULL;
		snprintf(ts->error, sizeof(ts->error), "out of memory");
		return;
	}
	if (ts->ca_file) {
		/* Read here, bounded, rather than by GnuTLS, which reads any size. */
		struct error e;
		char *buf;
		size_t len;

		if (file_read(ts->ca_file, "CA file", CA_FILE_MAX, &buf, &len, &e) < 0) {
			snprintf(ts->error, sizeof(ts->error), "%s", e.msg);
			n = 0;
		} else {
			gnutls_datum_t data = { (unsigned char *)buf, (unsigned)len };

			n = gnutls_x509_trust_list_add_trust_mem(ts->list, &data, NULL,
								 GNUTLS_X509_FMT_PEM, 0, 0);
			free(buf);
			if (n <= 0)
				snprintf(ts->error, sizeof(ts->error), "cannot load CA file %s: %s",
					 ts->ca_file,
					 n < 0 ? gnutls_strerror(n) : "no certificates in it");
		}
	} else {
		n = gnutls_x509_trust_list_add_system_trust(ts->list, 0, 0);
		if (n <= 0)
			snprintf(ts->error, sizeof(ts->error), "cannot load the system trust store: %s",
				 n < 0 ? gnutls_strerror(n) : "it is empty");
	}
	if (n <= 0) {
		gnutls_x509_trust_list_deinit(ts->list, 1);
		ts->list = NULL;
	}
}

int
trust_verify(struct trust_store *ts, struct chain *c, const char *name,
	     struct trust_result *out, struct error *e)
{
	gnutls_x509_crt_t crts[CHAIN_MAX];
	gnutls_typed_vdata_st data[2];
	unsigned ndata = 0, status = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->state = STATE_UNKNOWN;
	/* One store serves every address of a fleet: loaded once, used by one at a time. */
	pthread_mutex_lock(&ts->lock);
	if (!ts->loaded)
		load(ts);
	if (!ts->list) {
		snprintf(out->reason, sizeof(out->reason), "%s", ts->error);
		goto out;
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

	rc = gnutls_x509_trust_list_verify_crt2(ts->list, crts, (unsigned)c->n, data, ndata,
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
		rc = find_anchor(c, ts->list, e);
	else
		describe(status, name, out->reason, sizeof(out->reason));
out:
	pthread_mutex_unlock(&ts->lock);
	return rc;
}
