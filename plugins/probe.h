/*
 * check_tls_pin - one check of one server address, from connect to verdict:
 * resolve (unless given an address), connect, STARTTLS, handshake, verify,
 * evaluate. Several probes may run at once, one per thread.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_PROBE_H
#define CHECK_TLS_PIN_PROBE_H

#include <stdbool.h>

#include "cert.h"
#include "dane.h"
#include "evaluate.h"
#include "net.h"
#include "options.h"
#include "path.h"
#include "report.h"
#include "revcheck.h"
#include "starttls.h"
#include "tls.h"
#include "trust.h"

struct probe {
	const char *address;		/* IP address to connect to; NULL: resolve -H */
	char addr[64];			/* the address used, "" before connecting */
	struct chain chain;
	struct path path;
	struct tls_info info;
	struct transcript dialogue;
	struct trust_result trust;
	struct rev_result revocation;
	struct evaluation ev;
	struct error failure;
	const struct dane_answer *dane;	/* the TLSA lookup judged, NULL: none */
	bool failed;			/* no verdict: failure says why */
	bool handshaken, verified, dialogue_used, revocation_checked;
	double phase[PHASE_COUNT];	/* seconds, < 0 when not run */
};

/* Prepares p for address (see struct probe); probe_free releases it. */
void probe_init(struct probe *p, const char *address);
void probe_free(struct probe *p);

/*
 * Runs the check of o against p's address (or o's host, or o's --file) under
 * the deadline d, verifying against ts unless o says not to, and checking
 * the revocation of a server's certificates with what rs shares (not for
 * --file); with --dane, once the chain is in, it waits (within d) for the
 * TLSA lookup dane and judges the chain on its answer. Never fails as a
 * call: the outcome, verdict or failure, is in p.
 */
void probe_run(const struct options *o, struct trust_store *ts, struct revcheck_shared *rs,
	       const struct deadline *d, struct dane_query *dane, struct probe *p);

/* Points the fields of r at p's results, for report_render. */
void probe_report(const struct probe *p, struct report *r);

#endif
