/*
 * check_tls_pin - the revocation check of a certificate path: for each
 * certificate it covers, what the server stapled, then what --revocation
 * asks (the OCSP responder, then the CRL), under the one deadline. What is
 * fetched is shared by every address of a fleet, and CRLs may be kept in
 * --crl-cache. The judging itself is revocation.h's.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_REVCHECK_H
#define CHECK_TLS_PIN_REVCHECK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "cert.h"
#include "net.h"
#include "options.h"
#include "path.h"
#include "revocation.h"
#include "state.h"

struct rev_result {
	struct rev_cert v[CHAIN_MAX + 1];	/* the certificates covered, leaf first */
	size_t n;
	bool cached[CHAIN_MAX + 1];		/* v[i]'s CRL came from --crl-cache */
	enum state state;			/* the worst of their states */
	char cache_error[512];			/* why --crl-cache could not keep a CRL, "" */
};

/*
 * What the fetches of every address bring back, each URL and request once:
 * a fetch another address has started is waited for, not repeated. One
 * per run, shared by its threads; it owns the bytes fetched.
 */
struct memo_entry;
struct revcheck_shared {
	pthread_mutex_t lock;
	pthread_cond_t changed;		/* an entry became done */
	struct memo_entry *entries;
	const char *crl_cache;		/* --crl-cache, or NULL */
};

void revcheck_shared_init(struct revcheck_shared *s, const char *crl_cache);
void revcheck_shared_free(struct revcheck_shared *s);

/*
 * Checks the revocation of the certificates of path p that o covers: the
 * leaf, and with --check-chain each served certificate above it but the
 * anchor and a self-signed top; a certificate whose issuer is itself is
 * left out. For each: its staple, judged against its issuer on the path;
 * with --revocation, unless the staple answered good or revoked, its OCSP
 * responder and then its CRL, as o's mode says, stopping at the first
 * answer good or revoked. Each fetch gets an equal share of what is left
 * of d among the fetches still to come, so that one silent responder
 * cannot leave the CRL without time. now is the time of the check. The
 * outcome, with each certificate's verdict, is in out.
 */
void revcheck_run(const struct options *o, const struct path *p, struct revcheck_shared *s,
		  const struct deadline *d, int64_t now, struct rev_result *out);

#endif
