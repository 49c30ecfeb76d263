/*
 * check_tls_pin - TLSA records and their verdict on a path.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "tlsa.h"
#include "trust.h"

void
tlsa_set_init(struct tlsa_set *s)
{
	memset(s, 0, sizeof(*s));
}

void
tlsa_set_free(struct tlsa_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].data);
	tlsa_set_init(s);
}

int
tlsa_set_add(struct tlsa_set *s, const unsigned char *rdata, size_t len, struct error *e)
{
	struct tlsa *t;

	if (s->n == TLSA_RECORDS_MAX)
		return error_set(e, STATE_CRITICAL, "more than %d TLSA records", TLSA_RECORDS_MAX);
	t = &s->v[s->n];
	memset(t, 0, sizeof(*t));
	if (len < 3) {
		t->short_rdata = true;
		s->n++;
		return 0;
	}
	t->usage = rdata[0];
	t->selector = rdata[1];
	t->mtype = rdata[2];
	t->len = len - 3;
	if (t->len > 0) {
		t->data = malloc(t->len);
		if (!t->data)
			return error_set(e, STATE_UNKNOWN, "out of memory");
		memcpy(t->data, rdata + 3, t->len);
	}
	s->n++;
	return 0;
}

const char *
tlsa_usability_text(enum tlsa_usability u)
{
	switch (u) {
	case TLSA_USABLE: return "usable";
	case TLSA_SHORT_RDATA: return "RDATA shorter than 3 bytes";
	case TLSA_UNKNOWN_USAGE: return "unknown certificate usage";
	case TLSA_UNKNOWN_SELECTOR: return "unknown selector";
	case TLSA_UNKNOWN_MTYPE: return "unknown matching type";
	case TLSA_BAD_LENGTH: return "data of the wrong length for its matching type";
	case TLSA_PKIX_WITH_SMTP: return "PKIX usages are unusable for SMTP (RFC 7672 3.1.3)";
	case TLSA_WEAKER_DIGEST: return "a stronger digest is published for its usage and "
					"selector (RFC 7671 9)";
	}
	return "?";
}

/* The digest length of a matching type, 0 for Full, -1 for one unknown. */
static long
digest_len(int mtype)
{
	switch (mtype) {
	case TLSA_FULL: return 0;
	case TLSA_SHA256: return 32;
	case TLSA_SHA512: return 64;
	}
	return -1;
}

/* Usability of t on its own, before the RRset's digest agility is applied. */
static enum tlsa_usability
usability(const struct tlsa *t, bool smtp)
{
	long dl;

	if (t->short_rdata)
		return TLSA_SHORT_RDATA;
	if (t->usage > TLSA_DANE_EE)
		return TLSA_UNKNOWN_USAGE;
	if (t->selector > TLSA_SPKI)
		return TLSA_UNKNOWN_SELECTOR;
	dl = digest_len(t->mtype);
	if (dl < 0)
		return TLSA_UNKNOWN_MTYPE;
	if (t->len == 0 || (dl > 0 && t->len != (size_t)dl))
		return TLSA_BAD_LENGTH;
	if (smtp && (t->usage == TLSA_PKIX_TA || t->usage == TLSA_PKIX_EE))
		return TLSA_PKIX_WITH_SMTP;
	return TLSA_USABLE;
}

/* The bytes selector picks from ct (RFC 6698 2.1.2); false when ct has no encoding. */
static bool
selected(const struct cert *ct, int selector, const unsigned char **p, size_t *len)
{
	if (!ct->der)
		return false;
	if (selector == TLSA_CERT) {
		*p = ct->der;
		*len = ct->der_len;
	} else {
		*p = ct->der + ct->spki_off;
		*len = ct->spki_len;
	}
	return true;
}

bool
tlsa_matches(const struct tlsa *t, const struct cert *ct)
{
	unsigned char md[64];
	const unsigned char *p;
	size_t len;

	if (usability(t, false) != TLSA_USABLE || !selected(ct, t->selector, &p, &len))
		return false;
	switch (t->mtype) {
	case TLSA_FULL:
		return t->len == len && memcmp(t->data, p, len) == 0;
	case TLSA_SHA256:
		return gnutls_hash_fast(GNUTLS_DIG_SHA256, p, len, md) == 0 &&
		       memcmp(t->data, md, 32) == 0;
	case TLSA_SHA512:
		return gnutls_hash_fast(GNUTLS_DIG_SHA512, p, len, md) == 0 &&
		       memcmp(t->data, md, 64) == 0;
	}
	return false;
}

int
tlsa_digest_hex(const struct cert *ct, int selector, int mtype, char out[TLSA_HEX_SIZE])
{
	unsigned char md[64];
	const unsigned char *p;
	size_t len, n = mtype == TLSA_SHA512 ? 64 : 32;

	out[0] = '\0';
	if (!selected(ct, selector, &p, &len) ||
	    gnutls_hash_fast(mtype == TLSA_SHA512 ? GNUTLS_DIG_SHA512 : GNUTLS_DIG_SHA256,
			     p, len, md) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

/* Whether ct is within its validity period at now. */
static bool
valid_at(const struct cert *ct, int64_t now)
{
	return ct->not_before <= now && now <= ct->not_after;
}

/*
 * DANE-TA (RFC 7671 5.2): the certificates below depth ta on p verify up to
 * the certificate at ta taken as the only trust anchor, for TLS server use
 * and for name, each within its validity at now. GnuTLS is asked with its
 * time checks off, so that the time is the one passed in; its answer counts
 * only as status exactly 0. Returns NULL when the chain is accepted, else
 * the words for why not.
 */
static const char *
dane_ta_refusal(const struct path *p, size_t ta, const char *name, int64_t now)
{
	gnutls_x509_trust_list_t list;
	gnutls_x509_crt_t crts[CHAIN_MAX];
	gnutls_typed_vdata_st data[2];
	gnutls_datum_t der;
	unsigned ndata, status = UINT32_MAX;
	const char *why = NULL;

	if (ta > CHAIN_MAX)
		return "the path is too long";
	for (size_t d = 0; d < ta; d++) {
		if (!valid_at(p->v[d], now))
			return d == 0 ? "the leaf is expired or not yet valid"
				      : "a certificate below it is expired or not yet valid";
		crts[d] = p->v[d]->crt;
	}
	if (gnutls_x509_trust_list_init(&list, 0) < 0)
		return "out of memory";
	der.data = p->v[ta]->der;
	der.size = (unsigned)p->v[ta]->der_len;
	if (gnutls_x509_trust_list_add_trust_mem(list, &der, NULL, GNUTLS_X509_FMT_DER, 0, 0) != 1) {
		gnutls_x509_trust_list_deinit(list, 1);
		return "it cannot be used as a trust anchor";
	}
	ndata = trust_server_data(data, name);
	if (gnutls_x509_trust_list_verify_crt2(list, crts, (unsigned)ta, data, ndata,
					       GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
					       GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
					       &status, NULL) < 0)
		why = "the chain cannot be verified up to it";
	else if (status & GNUTLS_CERT_UNEXPECTED_OWNER)
		why = "the leaf is not valid for the name";
	else if (status != 0)
		why = "the chain does not verify up to it";
	gnutls_x509_trust_list_deinit(list, 1);
	return why;
}

/* The first depth in [from, to) whose certificate t matches, or -1. */
static long
match_depth(const struct tlsa *t, const struct path *p, size_t from, size_t to)
{
	for (size_t d = from; d < to && d < p->n; d++)
		if (tlsa_matches(t, p->v[d]))
			return (long)d;
	return -1;
}

/* How many certificates of p the server sent: all but a trust anchor at the top. */
static size_t
served_count(const struct path *p)
{
	return p->n - (p->has_anchor ? 1 : 0);
}

/* One usable record on p: where it matches, and whether a client accepts on it. */
static void
judge_one(const struct tlsa *t, const struct path *p, const struct tlsa_context *cx,
	  struct tlsa_outcome *out)
{
	switch (t->usage) {
	case TLSA_DANE_EE:
		out->depth = match_depth(t, p, 0, 1);
		out->satisfied = out->depth == 0;
		return;
	case TLSA_DANE_TA:
		out->depth = match_depth(t, p, 1, served_count(p));
		/* The leaf is never its own trust anchor, even sent twice (RFC 7671 5.2). */
		if (out->depth > 0 && tlsa_matches(t, p->v[0]))
			out->depth = -1;
		if (out->depth > 0) {
			out->refused = dane_ta_refusal(p, (size_t)out->depth, cx->name, cx->now);
			out->satisfied = out->refused == NULL;
		}
		return;
	case TLSA_PKIX_EE:
	case TLSA_PKIX_TA:
		if (t->usage == TLSA_PKIX_EE)
			out->depth = match_depth(t, p, 0, 1);
		else
			out->depth = match_depth(t, p, 1, p->n);
		if (out->depth < 0)
			return;
		if (!cx->pkix_checked)
			out->refused = "its usage needs the WebPKI verification, which --no-verify "
				       "turns off";
		else if (!cx->pkix_trusted)
			out->refused = "its usage needs a chain the WebPKI trusts";
		out->satisfied = out->refused == NULL;
		return;
	}
}

void
tlsa_judge(const struct tlsa_set *s, const struct path *p, const struct tlsa_context *cx,
	   bool require_backup, struct tlsa_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->satisfied_by = -1;
	for (size_t i = 0; i < s->n; i++) {
		v->r[i].usability = usability(&s->v[i], cx->smtp);
		v->r[i].depth = -1;
	}
	/*
	 * Digest agility (RFC 7671 9): of the digests published for one usage
	 * and selector, a client uses only the strongest it knows. Full data is
	 * no digest and always counts.
	 */
	for (size_t i = 0; i < s->n; i++) {
		if (v->r[i].usability != TLSA_USABLE || s->v[i].mtype != TLSA_SHA256)
			continue;
		for (size_t j = 0; j < s->n; j++) {
			if (v->r[j].usability == TLSA_USABLE && s->v[j].mtype == TLSA_SHA512 &&
			    s->v[j].usage == s->v[i].usage && s->v[j].selector == s->v[i].selector) {
				v->r[i].usability = TLSA_WEAKER_DIGEST;
				break;
			}
		}
	}
	for (size_t i = 0; i < s->n; i++) {
		if (v->r[i].usability != TLSA_USABLE)
			continue;
		v->usable++;
		judge_one(&s->v[i], p, cx, &v->r[i]);
		if (v->r[i].depth >= 0)
			v->matched++;
		if (v->r[i].satisfied && v->satisfied_by < 0)
			v->satisfied_by = (long)i;
	}
	if (v->satisfied_by < 0) {
		v->state = STATE_CRITICAL;
	} else if (require_backup && v->matched == v->usable) {
		v->no_backup = true;
		v->state = STATE_WARNING;
	} else {
		v->state = STATE_OK;
	}
}
