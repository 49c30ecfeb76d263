/*
 * check_tls_pin - from the facts (chain, verification, options, the time) to
 * findings and a state. Pure: no I/O, the time is passed in.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_EVALUATE_H
#define CHECK_TLS_PIN_EVALUATE_H

#include <stdbool.h>
#include <stdint.h>

#include "cert.h"
#include "options.h"
#include "state.h"
#include "trust.h"

struct expiry {
	size_t index;			/* the certificate, in the chain */
	int64_t remaining;		/* not_after - now; negative once expired */
	int64_t warn_limit, crit_limit;	/* seconds, for this certificate */
	bool not_yet_valid;
	enum state state;
};

struct evaluation {
	enum state state;		/* the worst of the findings below */
	int64_t now;

	struct expiry leaf;
	/* --check-chain: every other certificate but self-signed ones */
	struct expiry chain[CHAIN_MAX];
	size_t chain_n;
	long chain_first;		/* the one of them that expires first, or -1 */

	bool pins_checked;
	enum state pin_state;
	long match_depth;		/* -1: none; chain->n: the trust anchor */
	long match_pin;			/* index of the matching pin, or -1 */
	size_t pins_served;		/* distinct pins of the set found in scope */
	bool no_backup;			/* --require-backup-pin and every pin served */

	bool trust_checked;
	enum state trust_state;

	bool validity_checked;		/* --max-validity */
	int64_t validity_days;		/* the leaf's, counted as the BR count them */
	int64_t validity_limit;		/* days allowed */
	enum state validity_state;
};

/*
 * Evaluates chain c (at least one certificate; c->anchor set when verification
 * found one) under o. trust is NULL when no verification was made.
 */
void evaluate(const struct options *o, const struct chain *c,
	      const struct trust_result *trust, int64_t now, struct evaluation *ev);

/*
 * A validity period in days as the CA/Browser Forum Baseline Requirements
 * count it (6.3.2): notAfter - notBefore + 1 second, any part of a day
 * counting as a whole day. 0 for a period that does not end after it starts.
 */
int64_t evaluate_br_days(int64_t not_before, int64_t not_after);

/*
 * The longest validity in days that the Baseline Requirements (ballot SC-081)
 * allow a certificate issued at not_before: 398 before 2026-03-15, 200 from
 * then, 100 from 2027-03-15, 47 from 2029-03-15 (all 00:00 UTC).
 */
int64_t evaluate_br_limit(int64_t not_before);

/*
 * Whether the pin of certificate depth (chain->n: the anchor) is in scope:
 * leaf scope, the leaf only; chain scope, the certificates on the path from
 * the leaf and the anchor that completes it.
 */
bool evaluate_in_scope(const struct options *o, const struct chain *c, size_t depth);

#endif
