/*
 * check_tls_pin - the certificate path: the leaf, each certificate above it
 * signed by the next, and the trust anchor that completes it when a
 * verification found one. The one module that decides a link; evaluation,
 * report and --print-pins read the path it builds.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_PATH_H
#define CHECK_TLS_PIN_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gnutls/x509.h>

#include "cert.h"
#include "options.h"
#include "state.h"

/*
 * Whether issuer signed crt, as a client would take it: crt names issuer
 * (its issuer name is issuer's subject, and an authority key identifier,
 * when both carry one, matches), and GnuTLS, verifying crt against issuer
 * alone with times aside, finds nothing at all (status exactly 0): so issuer is a CA allowed to sign certificates, knows its critical
 * extensions, and its key verifies crt's signature with an algorithm GnuTLS
 * trusts for certificates. A signature GnuTLS could not check at all (an
 * unknown algorithm, a key of another type) is no link. An issuer key too
 * costly to check (RSA above 8192 bits or with an exponent above 2^32 - 1,
 * DSA above 3072 bits) makes no link either.
 */
bool path_signed_by(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer);

/* Whether crt is self-signed: self-issued, and its own key verifies its signature (only that). */
bool path_self_signed(gnutls_x509_crt_t crt);

/*
 * The links a verification made, as GnuTLS reported them: every link it
 * checked with status 0, by chain index, and the anchor it reached. Filled
 * by path_links_record while path_links_start has this thread recording.
 */
struct path_links {
	const struct chain *chain;
	size_t issuer[CHAIN_MAX];	/* 1 + the index of the certificate that signed i; 0: none */
	long anchor_for;		/* the certificate the anchor signed or is, -1: none */
	gnutls_datum_t anchor;		/* that anchor's DER, owned */
};

void path_links_init(struct path_links *l, const struct chain *c);
void path_links_free(struct path_links *l);

/* This thread's verification callbacks go to l until path_links_stop. */
void path_links_start(struct path_links *l);
void path_links_stop(void);

/* A gnutls_verify_output_function: records a link checked with status 0. */
int path_links_record(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
		      gnutls_x509_crl_t crl, unsigned status);

struct path {
	const struct cert *v[CHAIN_MAX + 1];	/* leaf first, then its issuers; the anchor last */
	size_t n;
	size_t served[CHAIN_MAX + 1];	/* chain index of v[i]; SIZE_MAX for the anchor */
	bool has_anchor;		/* v[n - 1] is the trust anchor */
	/*
	 * v[0] to v[usable - 1]: the leaf and the issuers above it up to the
	 * first one out of its validity at the time of the check, which signs
	 * nothing a client takes (its key may have leaked since). Pins match
	 * only these; --check-chain still sees the whole path.
	 */
	size_t usable;
	bool top_self_signed;		/* the highest served certificate is self-signed */
	bool whole;			/* false: the leaf alone, nothing above it looked for */
	struct cert anchor;		/* owned, when has_anchor */
};

/*
 * Builds the path of c. With trusted links (a verification that trusted c),
 * it is the path GnuTLS verified, up to its anchor (which takes the place
 * of a served certificate GnuTLS took for it: same name and key). Otherwise each
 * link is a path_signed_by question among the served certificates (at most
 * 2 signature checks per certificate, never the same name and key twice),
 * there is no anchor, and GnuTLS then verifies it whole with its top
 * trusted, for TLS server use: a path it refuses (path length, name
 * constraints, extended key usage) is the leaf alone. As the one saving, the
 * path is the leaf alone when nothing o asks for could read further (a leaf
 * that matches a pin by itself, and a pin of every app configuration, none
 * of them an ATS CA identity; no -v, --print-pins, --check-chain,
 * --require-backup-pin, --dane, --print-tlsa or --revocation, and no OCSP
 * response stapled for the leaf, which its issuer verifies): no signature
 * to check, no anchor to parse. now is the time of the check (see usable).
 * p must be freed with path_free, and c must outlive it. Returns 0, or -1
 * with e when memory ran out or the anchor GnuTLS reported cannot be read.
 */
int path_build(struct path *p, const struct chain *c, const struct path_links *trusted,
	       const struct options *o, int64_t now, struct error *e);

void path_init(struct path *p);
void path_free(struct path *p);

/* Whether v[i] is the trust anchor, not a certificate the server sent. */
bool path_is_anchor(const struct path *p, size_t i);

/* Whether chain certificate index is on the path. */
bool path_has_served(const struct path *p, size_t index);

#endif
