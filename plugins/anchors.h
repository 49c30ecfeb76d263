/*
 * check_tls_pin - the trust anchors: the system store or a CA file, read
 * once, indexed by subject, and handed to GnuTLS only as far as a chain
 * needs them.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_ANCHORS_H
#define CHECK_TLS_PIN_ANCHORS_H

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/x509.h>

#include "cert.h"

/* One anchor of the anchors file, known by its name until a chain names it. */
struct anchor {
	size_t pem;			/* where its PEM block starts in the copy of the file */
	const char *label;		/* "CERTIFICATE" or "X509 CERTIFICATE" */
	size_t subject, subject_len;	/* its subject Name as encoded, in names */
	enum { ANCHOR_IDLE, ANCHOR_NAMED, ANCHOR_LISTED } use;	/* named by a chain, in the list */
};

/*
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
 * the verdict is the same. An anchor equal to one before it is left out, as
 * GnuTLS's loaders leave it out. The blocks are found and read as GnuTLS's
 * PEM reader finds and reads them (an "X509 CERTIFICATE" block only when no
 * "CERTIFICATE" block follows; a header ends at the first "-----" after its
 * start, not at its line's end).
 *
 * Anything in the file the index does not read with certainty makes GnuTLS
 * load every anchor itself, as without the index: a block with a character
 * that is not base64, padding its decoder refuses (GnuTLS then reads the
 * next "X509 CERTIFICATE" block in its place), a header inside a block, a
 * length its certificate's outer length does not match, or a start that is
 * not a certificate up to its subject as GnuTLS reads one (der_tbs_field);
 * no block at all; a named anchor GnuTLS cannot parse. Damage inside a block
 * that keeps every length, which GnuTLS's own loader may refuse the whole
 * file for, is noticed only when a chain names that anchor. The system store
 * takes this path only when configure found it to be one PEM file (see
 * configure.ac); otherwise GnuTLS loads it. No anchor leaves a list while
 * the store lives: verified chains keep pointers to them.
 *
 * Not thread-safe: the trust store's lock serialises every call.
 */
struct anchors {
	const char *ca_file;		/* NULL: the system store */
	bool load_all;			/* always load every anchor (the tests compare) */
	gnutls_x509_trust_list_t list;	/* NULL until needed, or when loading failed */
	struct anchor *index;		/* NULL when every anchor was loaded */
	size_t n_index;
	char *file;			/* the file, which the index points into */
	size_t file_len;
	unsigned char *names;		/* the anchors' subjects, one after another */
	bool loaded;
	char error[512];		/* why there is no list, or anchors_prepare failed */
};

void anchors_init(struct anchors *as, const char *ca_file);
void anchors_free(struct anchors *as);

/*
 * Reads the anchors on first use and makes as->list hold every anchor that
 * verifying c can consult. Returns 0; then as->list is the list, or NULL
 * with as->error saying why there is none (for good). -1 with as->error
 * saying why, when the names c carries cannot be read or memory ran out;
 * the store is as it was, and a later call may succeed.
 */
int anchors_prepare(struct anchors *as, const struct chain *c);

/*
 * For tests, the two halves of anchors_prepare. anchors_load_buffer reads
 * the anchors from buf (len bytes and a NUL after them, from malloc; the
 * store takes it) as the file's content is read; on a store already read it
 * only frees buf. anchors_prepare_names does the rest for n names (DER
 * Names, as certificates carry them), with anchors_prepare's results.
 */
void anchors_load_buffer(struct anchors *as, char *buf, size_t len);
int anchors_prepare_names(struct anchors *as, const gnutls_datum_t *names, size_t n);

/* Whether the index still serves (no fall-back to a full load happened). */
bool anchors_indexed(const struct anchors *as);

#endif
