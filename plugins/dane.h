/*
 * check_tls_pin - the TLSA lookup of --dane: the RRset at _PORT._tcp.NAME,
 * validated with DNSSEC by libunbound, within the check's one deadline. The
 * answer is typed by what the validator said, exactly: secure, insecure,
 * bogus, no such name or RRset, or no answer at all.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_DANE_H
#define CHECK_TLS_PIN_DANE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "net.h"
#include "options.h"
#include "state.h"
#include "tlsa.h"

enum dane_status {
	DANE_SECURE,	/* records, and the validator said secure */
	DANE_INSECURE,	/* records, and the validator said neither secure nor bogus */
	DANE_BOGUS,	/* the validator said bogus: validation failed */
	DANE_NODATA,	/* the name exists without a TLSA RRset */
	DANE_NXDOMAIN,	/* the name does not exist */
	DANE_FAILURE,	/* no answer to judge: resolver error, SERVFAIL, timeout */
};

struct dane_answer {
	enum dane_status status;
	bool secure;		/* NODATA, NXDOMAIN: the validator said secure */
	enum state failure_state;	/* FAILURE: CRITICAL, UNKNOWN for our set-up, or -t's */
	char owner[300];	/* "_443._tcp.www.example.com." */
	char why[512];		/* BOGUS: the validator's reason; FAILURE: what failed */
	struct tlsa_set records;	/* SECURE, INSECURE */
	double seconds;		/* from the start of the lookup to its answer, < 0: none came */
};

/* One lookup, shared by every address of a check. */
struct dane_query {
	pthread_mutex_t lock;
	struct ub_ctx *ctx;	/* NULL when the lookup could not start */
	FILE *log;		/* what libunbound logs, kept off stderr */
	char logbuf[2048];
	int id;
	bool pending;		/* started, no answer taken yet */
	int64_t start_ns;
	struct dane_answer answer;
};

/*
 * The owner name of the TLSA records of a TCP service (RFC 6698 3):
 * "_PORT._tcp.NAME." from the name in IDNA form. Returns 0, or -1 when it
 * does not fit size.
 */
int dane_owner(unsigned port, const char *name, char *out, size_t size);

/*
 * Starts the lookup for o (-H, -p, --dns-server, --dnssec-anchor): the query
 * runs on libunbound's own thread while the caller connects. Never fails as
 * a call: a lookup that cannot start leaves its failure in q->answer.
 * dane_query_free releases q, whatever happened.
 */
void dane_start(struct dane_query *q, const struct options *o);

/*
 * Waits for the answer until the deadline d and fills q->answer (a timeout
 * is a FAILURE in d's state). Safe to call from several threads: the first
 * waits, the others find the answer taken.
 */
void dane_finish(struct dane_query *q, const struct deadline *d);

void dane_query_free(struct dane_query *q);

/* "secure", "insecure", "bogus", "NODATA", "NXDOMAIN", "failure". */
const char *dane_status_name(enum dane_status s);

#endif
