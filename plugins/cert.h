/*
 * check_tls_pin - the facts of the certificates a server presented (or a file
 * holds): validity, names, SPKI pin, key and signature algorithm.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_CERT_H
#define CHECK_TLS_PIN_CERT_H

#include <stdbool.h>
#include <stdint.h>

#include <gnutls/x509.h>

#include "pins.h"
#include "state.h"

/* More certificates than any real chain has; a peer that sends more is refused. */
#define CHAIN_MAX 32

struct cert {
	gnutls_x509_crt_t crt;		/* owned */
	int64_t not_before, not_after;	/* seconds since the epoch, UTC */
	unsigned char pin[PIN_LEN];	/* SHA-256 of the DER SubjectPublicKeyInfo */
	char *subject, *issuer;		/* RFC 4514 text, owned, unescaped */
	char key[24];			/* "RSA 2048", "ECDSA P-256", "Ed25519" */
	const char *signature;		/* "RSA-SHA256", static */
	bool self_signed;
	bool on_path;			/* on the path from the leaf up (chain_mark_path) */
};

/* The certificates in the order presented (leaf first), and the trust anchor. */
struct chain {
	struct cert *v;
	size_t n;
	/*
	 * The path from the leaf up through the presented certificates, each
	 * issued (name and signature) by the next: what a client can build.
	 * Extra certificates a server sends are not on it. Empty until
	 * chain_mark_path has run.
	 */
	size_t path[CHAIN_MAX];
	size_t path_len;
	/*
	 * For each certificate, the issuer GnuTLS verified it against with no
	 * finding, signature included, when the chain was verified (NULL: none,
	 * or not verified): a link chain_mark_path and the search for the
	 * anchor need not check again. Not owned.
	 */
	gnutls_x509_crt_t verified_issuer[CHAIN_MAX];
	struct cert anchor;		/* valid when has_anchor */
	bool has_anchor;
};

void chain_init(struct chain *c);
void chain_free(struct chain *c);

/*
 * Fills c from n DER certificates (n >= 1, at most CHAIN_MAX). The data is
 * copied. Returns 0, or -1 with e naming the certificate that failed and why;
 * failures are CRITICAL (the peer sent something unusable).
 */
int chain_from_der(struct chain *c, const gnutls_datum_t *der, unsigned n,
		   struct error *e);

/*
 * Fills c from a local PEM file (one or more certificates, leaf first, text
 * between them ignored) or a DER file holding one certificate. At most 4 MiB.
 * Unreadable or unparsable input is UNKNOWN, naming the file.
 */
int chain_from_file(struct chain *c, const char *path, struct error *e);

/* The same, from len bytes of a file's content (at most 4 MiB). */
int chain_from_buffer(struct chain *c, const char *buf, size_t len, struct error *e);

/* Records crt (ownership taken) as the trust anchor of c. */
int chain_set_anchor(struct chain *c, gnutls_x509_crt_t crt, struct error *e);

/* The certificate at depth (c->n: the trust anchor, which must be set). */
const struct cert *chain_cert(const struct chain *c, size_t depth);

/* Whether issuer issued crt: matching names and a valid signature. */
bool cert_issued(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer);

/*
 * Fills c->path and the on_path marks, checking a signature per link (unless
 * verification already did, see verified_issuer): done only when pins,
 * --print-pins or -v need the path (see probe_run).
 */
void chain_mark_path(struct chain *c);

/* Marks the leaf alone as the path: all that a check needs when its leaf is pinned. */
void chain_mark_leaf(struct chain *c);

#endif
