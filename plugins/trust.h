/*
 * check_tls_pin - verify a chain against trust anchors and a name, and find
 * the anchor that completes the path.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_TRUST_H
#define CHECK_TLS_PIN_TRUST_H

#include <pthread.h>
#include <stdbool.h>

#include <gnutls/x509.h>

#include "cert.h"
#include "state.h"

struct trust_result {
	enum state state;	/* OK trusted, CRITICAL not trusted, UNKNOWN not verifiable */
	bool trusted;
	unsigned status;	/* gnutls_certificate_status_t bits */
	char reason[512];	/* words for a failure, "" when trusted */
};

/* One anchor of the anchors file, known by its name until a chain names it. */
struct anchor {
	size_t pem;			/* where its PEM block starts in the store's copy of the file */
	const char *label;		/* "CERTIFICATE" or "X509 CERTIFICATE" */
	size_t subject, subject_len;	/* its subject Name as encoded, in the store's names */
	enum { ANCHOR_IDLE, ANCHOR_NAMED, ANCHOR_LISTED } use;	/* named by a chain, in the list */
};

/*
 * The anchors: the system trust store, or ca_file's. Read when first needed
 * (a check that fails before the handshake never pays for it) and then
 * shared, under a lock, by the checks of every address.
 *
 * GnuTLS looks anchors up only under a name a chain carries: it hashes the
 * exact bytes of a certificate's issuer name (or, to trust a presented
 * certificate that is itself an anchor, its subject) and looks in that
 * bucket alone. So the file is indexed by each anchor's subject, decoding no
 * more of each block than the subject needs, and an anchor is parsed and
 * added to the list only when a chain being verified carries its subject as
 * one of those names; the others, most of a system store, cannot take part
 * in that verification. Anchors join the list in file order and all anchors
 * of one name at once: among anchors of one name (the only ones whose order
 * GnuTLS's choice depends on) the list holds them as a full load would, and
 * the verdict is the same. The blocks are found as GnuTLS's PEM reader finds
 * them (an "X509 CERTIFICATE" block only when no "CERTIFICATE" block
 * follows).
 *
 * Anything in the file the index does not read with certainty makes GnuTLS
 * load every anchor itself, as without the index: a block with a character
 * that is not base64, padding in its middle, a length its certificate's
 * outer length does not match, or a start that is not a certificate; no
 * block at all; a named anchor GnuTLS cannot parse. Damage inside a block
 * that keeps every length, which GnuTLS's own loader may refuse the whole
 * file for, is noticed only when a chain names that anchor. The system store
 * takes this path only when configure found it to be one PEM file (see
 * configure.ac); otherwise GnuTLS loads it.
 */
struct trust_store {
	const char *ca_file;		/* NULL: the system store */
	bool load_all;			/* always load every anchor (the tests compare) */
	gnutls_x509_trust_list_t list;	/* NULL until needed, or when loading failed */
	gnutls_x509_trust_list_t retired;	/* the index's list, after a fall-back */
	struct anchor *anchors;		/* the index, NULL when every anchor was loaded */
	size_t n_anchors;
	char *file;			/* the file, which the index points into */
	size_t file_len;
	unsigned char *names;		/* the anchors' subjects, one after another */
	bool loaded;
	char error[512];		/* why loading failed */
	pthread_mutex_t lock;
};

void trust_store_init(struct trust_store *ts, const char *ca_file);
void trust_store_free(struct trust_store *ts);

/*
 * Verifies c (leaf first, any order after it) against the anchors of ts (loading
 * them on first use), for TLS server use; when name
 * is not NULL the leaf must also be valid for it (a DNS name in IDNA form, or an
 * IP address, checked against IP SANs). The links it verifies are kept in
 * c->verified_issuer. Every verdict, including anchors that could
 * not be loaded (out->state UNKNOWN, with the reason), is a result, so that
 * the other findings still count; -1 only when memory ran out.
 */
int trust_verify(struct trust_store *ts, struct chain *c, const char *name,
		 struct trust_result *out, struct error *e);

/*
 * After a verification that trusted c, and once c's path is marked: stores in
 * c the anchor that issued the path's top (the first certificate, from the
 * leaf up, an anchor issued). Returns 0, or -1 when memory ran out.
 */
int trust_anchor(struct trust_store *ts, struct chain *c, struct error *e);

#endif
