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

#include "anchors.h"
#include "cert.h"
#include "state.h"

struct trust_result {
	enum state state;	/* OK trusted, CRITICAL not trusted, UNKNOWN not verifiable */
	bool trusted;
	unsigned status;	/* gnutls_certificate_status_t bits */
	char reason[512];	/* words for a failure, "" when trusted */
};

/* The anchors (see anchors.h), shared under a lock by the checks of every address. */
struct trust_store {
	struct anchors anchors;
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
