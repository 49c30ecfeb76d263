/*
 * check_tls_pin - TLSA records (RFC 6698): their RDATA read with explicit
 * lengths, which of them a DANE client can use, and the verdict of a whole
 * RRset on a certificate path, the way DANE clients judge it (RFC 7671; with
 * the SMTP rules of RFC 7672). Pure: no I/O, the time is passed in.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_TLSA_H
#define CHECK_TLS_PIN_TLSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "path.h"
#include "state.h"

/* Certificate usages, selectors and matching types (RFC 6698 2.1, RFC 7218 names). */
enum { TLSA_PKIX_TA = 0, TLSA_PKIX_EE = 1, TLSA_DANE_TA = 2, TLSA_DANE_EE = 3 };
enum { TLSA_CERT = 0, TLSA_SPKI = 1 };
enum { TLSA_FULL = 0, TLSA_SHA256 = 1, TLSA_SHA512 = 2 };

/* The most records of one RRset judged; a larger RRset is not judged at all. */
#define TLSA_RECORDS_MAX 64

/* One record as it came from DNS. */
struct tlsa {
	bool short_rdata;		/* fewer than 3 bytes: no fields, never usable */
	uint8_t usage, selector, mtype;
	unsigned char *data;		/* the association data, owned (NULL when len is 0) */
	size_t len;
};

/* The records of one RRset, in the order the resolver gave them. */
struct tlsa_set {
	struct tlsa v[TLSA_RECORDS_MAX];
	size_t n;
};

void tlsa_set_init(struct tlsa_set *s);
void tlsa_set_free(struct tlsa_set *s);

/*
 * Appends the record whose RDATA is the len bytes at rdata (usage, selector,
 * matching type, then the data: RFC 6698 2.1), copying them. RDATA shorter
 * than 3 bytes is kept as a record with short_rdata set. Returns 0, or -1
 * with e when the set is full (CRITICAL) or memory ran out (UNKNOWN).
 */
int tlsa_set_add(struct tlsa_set *s, const unsigned char *rdata, size_t len, struct error *e);

/* Why a DANE client leaves a record aside, or TLSA_USABLE. */
enum tlsa_usability {
	TLSA_USABLE,
	TLSA_SHORT_RDATA,		/* fewer than 3 bytes of RDATA */
	TLSA_UNKNOWN_USAGE,
	TLSA_UNKNOWN_SELECTOR,
	TLSA_UNKNOWN_MTYPE,
	TLSA_BAD_LENGTH,		/* a digest of the wrong length, or no data */
	TLSA_PKIX_WITH_SMTP,		/* usages 0 and 1 under RFC 7672 3.1.3 */
	TLSA_WEAKER_DIGEST,		/* a stronger digest for its usage and selector (RFC 7671 9) */
};

/* The words for u, for a -v line ("unknown certificate usage"). */
const char *tlsa_usability_text(enum tlsa_usability u);

/* What the verdict needs besides the records and the path. */
struct tlsa_context {
	bool smtp;		/* RFC 7672: PKIX usages unusable */
	const char *name;	/* the name DANE-TA and PKIX records require the leaf to carry */
	bool pkix_checked;	/* a WebPKI verification was made (none with --no-verify) */
	bool pkix_trusted;	/* and it trusted the chain, for name */
	int64_t now;
};

/* What one record says of the path. */
struct tlsa_outcome {
	enum tlsa_usability usability;
	long depth;		/* the path depth whose certificate the data matches, -1: none */
	bool satisfied;		/* a DANE client accepts the chain on this record */
	const char *refused;	/* matched but not satisfied: why, static words */
};

struct tlsa_verdict {
	enum state state;	/* OK: some record satisfied; CRITICAL: none (see tlsa_judge) */
	struct tlsa_outcome r[TLSA_RECORDS_MAX];	/* one per record of the set */
	size_t usable, matched;	/* usable records; of them, those matching the path */
	long satisfied_by;	/* the first record a client accepts on, -1: none */
	bool no_backup;		/* require_backup and every usable record matches */
};

/*
 * Judges the RRset s on path p (the path built with DANE in mind: see
 * path_build) as a DANE client would:
 *   DANE-EE (3)  the leaf matches; names and dates do not matter (RFC 7671 5.1)
 *   DANE-TA (2)  a certificate the server sent, above the leaf on the path,
 *                matches, the certificates below it chain to it as a PKIX
 *                trust anchor (signatures, CA constraints, purpose, validity
 *                at cx->now), and the leaf is valid for cx->name (RFC 7671 5.2)
 *   PKIX-EE (1)  the leaf matches and the WebPKI verification trusted the chain
 *   PKIX-TA (0)  a CA on that verified path, its anchor included, matches
 * Only usable records count (RFC 7671 4, 9; RFC 7672 3.1.3). v->state is OK
 * when a record is satisfied, CRITICAL otherwise; with require_backup, a
 * satisfied RRset whose usable records all match the path is WARNING
 * (no_backup): nothing is published for a next key.
 */
void tlsa_judge(const struct tlsa_set *s, const struct path *p, const struct tlsa_context *cx,
		bool require_backup, struct tlsa_verdict *v);

/* Whether data of record t matches certificate ct under t's selector and matching type. */
bool tlsa_matches(const struct tlsa *t, const struct cert *ct);

/* Size of the hex of a SHA-512 digest and its NUL. */
#define TLSA_HEX_SIZE 129

/*
 * The association data for ct under selector and mtype (TLSA_SHA256 or
 * TLSA_SHA512) in lower-case hex, as a zone file writes it. Returns 0, or -1
 * when ct has no encoding to digest.
 */
int tlsa_digest_hex(const struct cert *ct, int selector, int mtype, char out[TLSA_HEX_SIZE]);

#endif
