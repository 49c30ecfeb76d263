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

void
trust_store_init(struct trust_store *ts, const char *ca_file)
{
	anchors_init(&ts->anchors, ca_file);
	pthread_mutex_init(&ts->lock, NULL);
}

void
trust_store_free(struct trust_store *ts)
{
	anchors_free(&ts->anchors);
	pthread_mutex_destroy(&ts->lock);
}


int
trust_verify(struct trust_store *ts, const struct chain *c, const char *name,
	     struct trust_result *out, struct error *e)
{
	gnutls_x509_crt_t crts[CHAIN_MAX];
	gnutls_typed_vdata_st data[2];
	unsigned ndata, status = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	path_links_init(&out->links, c);
	out->state = STATE_UNKNOWN;
	/* GnuTLS before 3.8.4 copies the chain into an array of 16 (CVE-2024-28835). */
	if (c->n > TRUST_CHAIN_MAX) {
		out->state = STATE_CRITICAL;
		snprintf(out->reason, sizeof(out->reason),
			 "%zu certificates, more than the %d a verification takes",
			 c->n, TRUST_CHAIN_MAX);
		return 0;
	}
	/* One store serves every address of a fleet: loaded once, used by one at a time. */
	pthread_mutex_lock(&ts->lock);
	if (anchors_prepare(&ts->anchors, c) < 0) {
		rc = error_set(e, STATE_UNKNOWN, "%s", ts->anchors.error);
		goto out;
	}
	if (!ts->anchors.list) {
		snprintf(out->reason, sizeof(out->reason), "%s", ts->anchors.error);
		goto out;
	}
	for (size_t i = 0; i < c->n; i++)
		crts[i] = c->v[i].crt;
	ndata = trust_server_data(data, name);

	path_links_start(&out->links);
	rc = gnutls_x509_trust_list_verify_crt2(ts->anchors.list, crts, (unsigned)c->n, data, ndata,
						0, &status, path_links_record);
	path_links_stop();
	if (rc < 0) {
		snprintf(out->reason, sizeof(out->reason), "chain verification failed: %s",
			 gnutls_strerror(rc));
		rc = 0;
		goto out;
	}
	out->status = status;
	out->trusted = status == 0;
	out->state = out->trusted ? STATE_OK : STATE_CRITICAL;
	if (!out->trusted)
		describe(status, name, out->reason, sizeof(out->reason));
out:
	pthread_mutex_unlock(&ts->lock);
	/* Without a trusted verdict no link GnuTLS reported makes a path. */
	if (!out->trusted)
		path_links_free(&out->links);
	return rc;
}

void
trust_result_free(struct trust_result *r)
{
	path_links_free(&r->links);
}

unsigned
trust_server_data(gnutls_typed_vdata_st data[2], const char *name)
{
	unsigned n = 0;

	if (name) {
		data[n].type = GNUTLS_DT_DNS_HOSTNAME;
		data[n].data = (unsigned char *)(uintptr_t)name;
		data[n].size = 0;
		n++;
	}
	data[n].type = GNUTLS_DT_KEY_PURPOSE_OID;
	data[n].data = (unsigned char *)(uintptr_t)GNUTLS_KP_TLS_WWW_SERVER;
	data[n].size = 0;
	return n + 1;
}
