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
#include "dane.h"
#include "options.h"
#include "path.h"
#include "revcheck.h"
#include "state.h"
#include "trust.h"

struct expiry {
	size_t index;			/* the certificate, as its depth on the path */
	int64_t remaining;		/* not_after - now; negative once expired */
	int64_t warn_limit, crit_limit;	/* seconds, for this certificate */
	bool not_yet_valid;
	enum state state;
};

struct evaluation {
	enum state state;		/* the worst of the findings below */
	int64_t now;

	struct expiry leaf;
	/* --check-chain: the path's other served certificates but a self-signed top */
	struct expiry chain[CHAIN_MAX];
	size_t chain_n;
	long chain_first;		/* the one of them that expires first, or -1 */
	/*
	 * The expiry that sets the expiry state: the worst state of the leaf's
	 * and the chain's, the earliest among equals. Performance data shows it.
	 */
	struct expiry expiry;

	bool pins_checked;
	enum state pin_state;
	long match_depth;		/* depth on the path of the match nearest the leaf, -1: none */
	long match_pin;			/* index of the matching pin, or -1 */
	size_t pins_served;		/* distinct pins of the set found in scope */
	bool no_backup;			/* --require-backup-pin and every pin served */

	/* --app-config: each configuration's verdict, in the order of o->apps */
	struct app_verdict apps[APPCONFIG_MAX];
	size_t napps;

	bool trust_checked;
	enum state trust_state;

	bool revocation_checked;
	enum state revocation_state;	/* the worst of the certificates' verdicts */

	bool validity_checked;		/* --max-validity */
	int64_t validity_days;		/* the leaf's, counted as the BR count them */
	int64_t validity_limit;		/* days allowed */
	enum state validity_state;

	bool dane_checked;		/* --dane */
	enum state dane_state;
	struct tlsa_verdict dane;	/* the records judged: SECURE and INSECURE answers */
};

/*
 * Evaluates the path p (at least the leaf) under o. trust is NULL when no
 * verification was made, rev when no revocation check was (--file).
 */
void evaluate(const struct options *o, const struct path *p,
	      const struct trust_result *trust, const struct rev_result *rev, int64_t now,
	      struct evaluation *ev);

/*
 * Adds the DANE finding to ev (evaluated by evaluate on p): the lookup's
 * answer a, and with records, their verdict on p (tlsa_judge; trust is the
 * WebPKI verification, NULL when none was made). The state: that verdict
 * for a secure RRset; WARNING for one not DNSSEC-signed (DANE clients ignore
 * it); CRITICAL for bogus, no RRset, or a failed lookup (a timeout: -t's
 * state; a set-up we could not make: UNKNOWN).
 */
void evaluate_dane(const struct options *o, const struct path *p, const struct dane_answer *a,
		   const struct trust_result *trust, struct evaluation *ev);

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
 * How many certificates of the path, from the leaf up, a pin may match:
 * the leaf alone with --pin-scope leaf, else the path (the anchor included,
 * when verification found one) up to an issuer out of its validity.
 */
size_t evaluate_scope(const struct options *o, const struct path *p);

#endif
