/*
 * check_tls_pin - the certificate path.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "path.h"

/*
 * Everything but the signature (and the names that say who signed) is policy
 * that a link does not decide: validity times, whether the issuer may act as
 * a CA, extensions GnuTLS does not know. DO_NOT_ALLOW_SAME stops GnuTLS from
 * answering "yes" without a signature check when crt and issuer are the same
 * certificate (as they are for a self-signed question).
 */
#define LINK_FLAGS (GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS | \
		    GNUTLS_VERIFY_DISABLE_CA_SIGN | GNUTLS_VERIFY_IGNORE_UNKNOWN_CRIT_EXTENSIONS | \
		    GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 | GNUTLS_VERIFY_DO_NOT_ALLOW_SAME)

bool
path_signed_by(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer)
{
	unsigned status = UINT32_MAX;

	/* The names first: most candidates fail here, without a signature check. */
	if (!gnutls_x509_crt_check_issuer(crt, issuer))
		return false;
	if (gnutls_x509_crt_verify(crt, &issuer, 1, LINK_FLAGS, &status) < 0)
		return false;
	return status == 0;
}

bool
path_self_signed(gnutls_x509_crt_t crt)
{
	return path_signed_by(crt, crt);
}

void
path_links_init(struct path_links *l, const struct chain *c)
{
	memset(l, 0, sizeof(*l));
	l->chain = c;
	l->anchor_for = -1;
}

void
path_links_free(struct path_links *l)
{
	gnutls_free(l->anchor.data);
	path_links_init(l, NULL);
}

/* GnuTLS's callback has no argument of ours: the links of this thread's verification. */
static _Thread_local struct path_links *recording;

void
path_links_start(struct path_links *l)
{
	recording = l;
}

void
path_links_stop(void)
{
	recording = NULL;
}

/* The index of crt in the chain being recorded, or -1 when it is none of its certificates. */
static long
served_index(const struct chain *c, gnutls_x509_crt_t crt)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].crt == crt)
			return (long)i;
	return -1;
}

/*
 * GnuTLS reports each link it checked, and a served certificate that is
 * itself an anchor (same name and key) as checked against that anchor; a
 * status of 0 is its positive answer. A link from an issuer outside the
 * chain is from an anchor: its DER is copied now, since the list that holds
 * it is not ours.
 */
int
path_links_record(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer, gnutls_x509_crl_t crl,
		  unsigned status)
{
	struct path_links *l = recording;
	long child, parent;

	if (!l || crl || !issuer || status != 0)
		return 0;
	child = served_index(l->chain, crt);
	if (child < 0)
		return 0;
	parent = served_index(l->chain, issuer);
	if (parent >= 0) {
		if (parent != child)
			l->issuer[child] = (size_t)parent + 1;
		return 0;
	}
	gnutls_free(l->anchor.data);
	l->anchor.data = NULL;
	l->anchor.size = 0;
	l->anchor_for = -1;
	if (gnutls_x509_crt_export2(issuer, GNUTLS_X509_FMT_DER, &l->anchor) >= 0)
		l->anchor_for = child;
	return 0;
}

void
path_init(struct path *p)
{
	memset(p, 0, sizeof(*p));
}

void
path_free(struct path *p)
{
	if (p->has_anchor)
		cert_free(&p->anchor);
	path_init(p);
}

bool
path_is_anchor(const struct path *p, size_t i)
{
	return p->has_anchor && i + 1 == p->n;
}

bool
path_has_served(const struct path *p, size_t index)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->served[i] == index)
			return true;
	return false;
}

static void
append(struct path *p, const struct chain *c, size_t index)
{
	p->v[p->n] = &c->v[index];
	p->served[p->n] = index;
	p->n++;
}

/* Whether o could read anything of the path above the leaf (see path_build). */
static bool
whole_needed(const struct options *o, const struct chain *c)
{
	if (o->verbose || o->print_pins || o->check_chain)
		return true;
	if (!appconfig_leaf_decides(&o->apps, c->v[0].pin, o->require_backup))
		return true;
	if (o->pins.n == 0 || o->scope == SCOPE_LEAF)
		return false;
	return o->require_backup || pins_find(&o->pins, c->v[0].pin) < 0;
}

/* Whether a and b have the same subject, byte for byte, and the same key. */
static bool
same_name_and_key(const struct cert *a, const struct cert *b)
{
	gnutls_datum_t na = { NULL, 0 }, nb = { NULL, 0 };
	bool same = false;

	if (memcmp(a->pin, b->pin, PIN_LEN) == 0 &&
	    gnutls_x509_crt_get_raw_dn(a->crt, &na) >= 0 &&
	    gnutls_x509_crt_get_raw_dn(b->crt, &nb) >= 0)
		same = na.size == nb.size && memcmp(na.data, nb.data, na.size) == 0;
	gnutls_free(na.data);
	gnutls_free(nb.data);
	return same;
}

/* The links GnuTLS verified, from the leaf up to the anchor. */
static int
follow(struct path *p, const struct chain *c, const struct path_links *l, struct error *e)
{
	size_t cur = 0;

	for (;;) {
		size_t next = l->issuer[cur];

		if (next == 0 || path_has_served(p, next - 1))
			break;
		append(p, c, next - 1);
		cur = next - 1;
	}
	if (l->anchor_for != (long)cur)
		return 0;
	if (cert_from_der(&p->anchor, &l->anchor, "the trust anchor", STATE_UNKNOWN, e) < 0) {
		cert_free(&p->anchor);
		return -1;
	}
	/*
	 * GnuTLS sets aside a self-issued certificate at the end of what the
	 * server sent and uses its own anchor instead: a sent copy of the
	 * anchor (same name and key) is on the path, just below it.
	 */
	for (size_t i = 0; i < c->n; i++) {
		if (!path_has_served(p, i) && same_name_and_key(&c->v[i], &p->anchor)) {
			append(p, c, i);
			break;
		}
	}
	p->has_anchor = true;
	p->v[p->n] = &p->anchor;
	p->served[p->n] = SIZE_MAX;
	p->n++;
	return 0;
}

/* Each link a signature the next certificate's key verifies. */
static void
walk(struct path *p, const struct chain *c)
{
	size_t cur = 0;

	for (;;) {
		size_t next;

		for (next = 0; next < c->n; next++)
			if (!path_has_served(p, next) && path_signed_by(c->v[cur].crt, c->v[next].crt))
				break;
		if (next == c->n)
			break;
		append(p, c, next);
		cur = next;
	}
}

int
path_build(struct path *p, const struct chain *c, const struct path_links *trusted,
	   const struct options *o, struct error *e)
{
	size_t top;

	path_init(p);
	if (c->n == 0)
		return 0;
	append(p, c, 0);
	p->whole = whole_needed(o, c);
	if (!p->whole)
		return 0;
	if (trusted) {
		if (follow(p, c, trusted, e) < 0)
			return -1;
	} else {
		walk(p, c);
	}
	top = p->n - (p->has_anchor ? 2 : 1);
	p->top_self_signed = path_self_signed(p->v[top]->crt);
	return 0;
}
