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
 * A link is what a client would accept as one, asked of GnuTLS: the issuer
 * is a CA allowed to sign certificates (basicConstraints, keyUsage; a
 * version 1 certificate never is), knows every critical extension it
 * carries, and its signature on crt uses an algorithm GnuTLS still trusts
 * for certificates. Validity times are left out here: crt's own are the
 * check's expiry finding, and the issuers' decide how far pins may match
 * (see struct path), while --check-chain still sees every certificate.
 * DO_NOT_ALLOW_SAME stops GnuTLS from answering "yes" without a signature
 * check when crt and issuer are the same certificate.
 */
#define LINK_FLAGS (GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS | \
		    GNUTLS_VERIFY_DO_NOT_ALLOW_X509_V1_CA_CRT | GNUTLS_VERIFY_DO_NOT_ALLOW_SAME)

/* Whether a certificate signed itself is a question of its signature alone. */
#define SELF_FLAGS (LINK_FLAGS | GNUTLS_VERIFY_DISABLE_CA_SIGN | \
		    GNUTLS_VERIFY_IGNORE_UNKNOWN_CRIT_EXTENSIONS | GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1)

/*
 * Keys whose signature checks cost a bounded time whatever a peer chose:
 * the fixed curves (ECDSA, EdDSA, GOST), and RSA up to 8192 bits with a
 * public exponent up to 2^32 - 1 (an exponent of thousands of bits makes
 * one check take a tenth of a second). DSA, whose cost grows with a group
 * order nothing bounds and which no TLS 1.3 client accepts, and anything
 * else, make no link.
 */
static bool
key_affordable(gnutls_x509_crt_t issuer)
{
	unsigned bits = 0;
	int pk = gnutls_x509_crt_get_pk_algorithm(issuer, &bits);
	gnutls_datum_t m = { NULL, 0 }, e = { NULL, 0 };
	size_t zeros = 0;
	bool ok;

	switch (pk) {
	case GNUTLS_PK_ECDSA:
	case GNUTLS_PK_EDDSA_ED25519:
	case GNUTLS_PK_EDDSA_ED448:
	case GNUTLS_PK_GOST_01:
	case GNUTLS_PK_GOST_12_256:
	case GNUTLS_PK_GOST_12_512:
		return true;
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
		break;
	default:
		return false;
	}
	if (bits > 8192 || gnutls_x509_crt_get_pk_rsa_raw(issuer, &m, &e) < 0)
		return false;
	/* Leading zero bytes aside, at most four bytes. */
	while (zeros < e.size && e.data[zeros] == 0)
		zeros++;
	ok = e.size - zeros <= 4;
	gnutls_free(m.data);
	gnutls_free(e.data);
	return ok;
}

/*
 * GnuTLS's verification of crt against issuer alone, with flags; a link only
 * at status 0. But when crt is itself a CA, GnuTLS, taking it for the end of
 * a chain, holds the issuer's name constraints against crt's own names: a
 * CA named outside them is refused although it is no server. Such a status
 * alone (SIGNER_CONSTRAINTS_FAILURE) counts as a link for now, provided the
 * issuer may sign certificates at all; settle(), verifying the whole path,
 * applies the constraints where they belong.
 */
static bool
verified_by(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer, unsigned flags)
{
	unsigned status = UINT32_MAX, usage = 0, critical = 0;
	int rc;

	if (gnutls_x509_crt_verify(crt, &issuer, 1, flags, &status) < 0)
		return false;
	if (status == 0)
		return true;
	if (status != (GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE) ||
	    gnutls_x509_crt_get_ca_status(crt, &critical) != 1)
		return false;
	rc = gnutls_x509_crt_get_key_usage(issuer, &usage, &critical);
	return rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE ||
	       (rc >= 0 && (usage & GNUTLS_KEY_KEY_CERT_SIGN));
}

bool
path_signed_by(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer)
{
	/* The names first: most candidates fail here, without a signature check. */
	if (!gnutls_x509_crt_check_issuer(crt, issuer))
		return false;
	return key_affordable(issuer) && verified_by(crt, issuer, LINK_FLAGS);
}

bool
path_self_signed(gnutls_x509_crt_t crt)
{
	return gnutls_x509_crt_check_issuer(crt, crt) && key_affordable(crt) &&
	       verified_by(crt, crt, SELF_FLAGS);
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
	/*
	 * DANE-TA and PKIX-TA records match above the leaf; --print-tlsa names its
	 * issuer; a staple is verified against the leaf's issuer, --revocation asks it.
	 */
	if (o->verbose || o->print_pins || o->check_chain || o->dane || o->print_tlsa ||
	    o->revocation != REVOCATION_STAPLE || c->v[0].staple.size > 0)
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

	/* Nothing above the certificate the anchor signed (or is) belongs to this path. */
	while ((long)cur != l->anchor_for) {
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
	 * A served certificate GnuTLS took for the anchor itself (same name and
	 * key, a cross-signed or expired copy, say) stands for nothing else
	 * than the anchor: the anchor takes its place, so that the copy's own
	 * dates and issuer do not count. The leaf stays the leaf.
	 */
	if (cur != 0 && same_name_and_key(p->v[p->n - 1], &p->anchor))
		p->n--;
	p->has_anchor = true;
	p->v[p->n] = &p->anchor;
	p->served[p->n] = SIZE_MAX;
	p->n++;
	return 0;
}

/*
 * Whether ct has the name and key of a certificate already on p: a path
 * never holds one twice (RFC 5280 6.1), and a repeat would let a
 * verification of the whole path stop early at the copy.
 */
static bool
repeats(const struct path *p, const struct cert *ct)
{
	for (size_t i = 0; i < p->n; i++)
		if (same_name_and_key(p->v[i], ct))
			return true;
	return false;
}

/*
 * Each link one that path_signed_by makes, among the served certificates.
 * A peer chooses how many candidates carry the right name and what their
 * keys cost: the signature checks are counted, 2 per certificate at most.
 */
static void
walk(struct path *p, const struct chain *c)
{
	size_t cur = 0, budget = 2 * c->n;

	for (;;) {
		size_t next;

		for (next = 0; next < c->n; next++) {
			if (path_has_served(p, next) ||
			    !gnutls_x509_crt_check_issuer(c->v[cur].crt, c->v[next].crt) ||
			    repeats(p, &c->v[next]))
				continue;
			if (budget == 0)
				return;
			budget--;
			if (path_signed_by(c->v[cur].crt, c->v[next].crt))
				break;
		}
		if (next == c->n)
			break;
		append(p, c, next);
		cur = next;
	}
}

/*
 * What one link cannot see, the path as a whole must pass: that the leaf
 * may serve TLS (extended key usage), the issuers' path length
 * constraints, and the name constraints every CA above imposes. GnuTLS
 * verifies the walked path once, its top the one trusted certificate and
 * times aside as for each link; a path it refuses is no path a client
 * builds, and only the leaf is left.
 */
static void
settle(struct path *p)
{
	gnutls_x509_trust_list_t top = NULL;
	gnutls_x509_crt_t list[CHAIN_MAX];
	gnutls_typed_vdata_st purpose = { GNUTLS_DT_KEY_PURPOSE_OID,
					   (unsigned char *)(uintptr_t)GNUTLS_KP_TLS_WWW_SERVER, 0 };
	unsigned status = UINT32_MAX;

	if (p->n < 2)
		return;
	for (size_t i = 0; i < p->n; i++)
		list[i] = p->v[i]->crt;
	if (gnutls_x509_trust_list_init(&top, 0) < 0 ||
	    gnutls_x509_trust_list_add_cas(top, &list[p->n - 1], 1, 0) != 1 ||
	    gnutls_x509_trust_list_verify_crt2(top, list, (unsigned)p->n, &purpose, 1,
					       LINK_FLAGS & ~GNUTLS_VERIFY_DO_NOT_ALLOW_SAME,
					       &status, NULL) < 0 || status != 0)
		p->n = 1;
	/* The list holds a certificate of the chain, which frees it: not this list. */
	if (top)
		gnutls_x509_trust_list_deinit(top, 0);
}

int
path_build(struct path *p, const struct chain *c, const struct path_links *trusted,
	   const struct options *o, int64_t now, struct error *e)
{
	size_t top;

	path_init(p);
	if (c->n == 0)
		return 0;
	append(p, c, 0);
	p->usable = 1;
	p->whole = whole_needed(o, c);
	if (!p->whole)
		return 0;
	if (trusted) {
		if (follow(p, c, trusted, e) < 0)
			return -1;
	} else {
		walk(p, c);
		settle(p);
	}
	top = p->n - (p->has_anchor ? 2 : 1);
	p->top_self_signed = path_self_signed(p->v[top]->crt);
	/* An issuer out of its validity signs nothing a client takes now (its key may have leaked since). */
	while (p->usable < p->n && p->v[p->usable]->not_before <= now &&
	       p->v[p->usable]->not_after >= now)
		p->usable++;
	return 0;
}
