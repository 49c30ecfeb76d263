/*
 * check_tls_pin - verify a chain against the trust anchors and a name.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_TRUST_H
#define CHECK_TLS_PIN_TRUST_H

#include <pthread.h>
#include <stdbool.h>

#include <gnutls/x509.h>

#include "anchors.h"
#include "cert.h"
#include "path.h"
#include "state.h"

/* The longest chain a verification takes: GnuTLS's own limit. */
#define TRUST_CHAIN_MAX 16

struct trust_result {
	enum state state;	/* OK trusted, CRITICAL not trusted, UNKNOWN not verifiable */
	bool trusted;
	unsigned status;	/* gnutls_certificate_status_t bits */
	char reason[512];	/* words for a failure, "" when trusted */
	struct path_links links;	/* what GnuTLS verified, when trusted (for path_build) */
};

/* The anchors (see anchors.h), shared under a lock by the checks of every address. */
struct trust_store {
	struct anchors anchors;
	pthread_mutex_t lock;
};

void trust_store_init(struct trust_store *ts, const char *ca_file);
void trust_store_free(struct trust_store *ts);

/*
 * Verifies c (leaf first, any order after it) against the anchors of ts
 * (loading them on first use), for TLS server use; when name is not NULL
 * the leaf must also be valid for it (a DNS name in IDNA form, or an IP
 * address, checked against IP SANs). A chain longer than TRUST_CHAIN_MAX is
 * not trusted, without a verification. When trusted, out->links holds the
 * path GnuTLS verified. Every verdict, including anchors that could not be
 * loaded (out->state UNKNOWN, with the reason), is a result, so that the
 * other findings still count; -1 only when memory ran out or the chain's
 * names cannot be read, with e saying which. out must be
 * released with trust_result_free, and c must outlive it.
 */
int trust_verify(struct trust_store *ts, const struct chain *c, const char *name,
		 struct trust_result *out, struct error *e);

void trust_result_free(struct trust_result *r);

/*
 * Fills data with what a verification for TLS server use asks: the name
 * (when not NULL; it must outlive data) and the server purpose. Returns how
 * many entries it filled, 1 or 2.
 */
unsigned trust_server_data(gnutls_typed_vdata_st data[2], const char *name);

#endif
