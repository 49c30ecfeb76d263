/*
 * check_tls_pin - fetching revocation data over HTTP(S) with libcurl: http
 * and https only, redirects too, within the deadline, never more than a
 * stated size.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_FETCH_H
#define CHECK_TLS_PIN_FETCH_H

#include <stddef.h>

#include "net.h"
#include "state.h"

struct fetch_request {
	const char *url;
	const unsigned char *body;	/* POSTed when not NULL, else a GET */
	size_t body_len;
	const char *content_type;	/* of the body */
	size_t max;			/* the most bytes taken of the reply */
};

/*
 * Loads libcurl (configure found its file name, CURL_LIBRARY) and runs its
 * process-wide set-up: once, before any thread starts (the set-up is not
 * thread-safe), and only in a run that fetches, so that the others do not
 * pay for loading it. A library that is not the GnuTLS flavour or older
 * than 7.85 is refused. fetch_global_cleanup undoes the set-up. Returns 0,
 * or -1 with e (UNKNOWN).
 */
int fetch_global_init(struct error *e);
void fetch_global_cleanup(void);

/*
 * Fetches rq->url (redirects followed, at most 3, each to http or https
 * only), giving up when d passes. Returns 0 with the body of a "200" reply
 * in *data (malloc'd, *len bytes), or -1 with e saying why not in a few
 * words: a timeout, a refused connection, "HTTP 500", a reply over rq->max
 * bytes (announced or received). e's state is UNKNOWN: what a failure
 * means is the caller's to decide. Needs fetch_global_init first.
 */
int fetch_run(const struct fetch_request *rq, const struct deadline *d, unsigned char **data,
	      size_t *len, struct error *e);

#endif
