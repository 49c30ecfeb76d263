/*
 * check_tls_pin - every address behind a name, checked at the same time.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_FLEET_H
#define CHECK_TLS_PIN_FLEET_H

#include <stddef.h>

#include "options.h"
#include "probe.h"

/*
 * The addresses to check: every distinct -I (in its usual spelling), or
 * every address of -H (of o's family), each once, at most
 * OPTIONS_ADDRESSES_MAX. Writes them as text into addrs and their number
 * into *n. Failures to resolve are CRITICAL, a timeout the deadline's state.
 */
int fleet_addresses(const struct options *o, const struct deadline *d,
		    char addrs[][64], size_t *n, struct error *e);

/*
 * Runs the n probes at once, one thread each, and returns when all have
 * ended; each honours the deadline d, so the whole takes about as long as the
 * slowest address, not the sum. A probe whose thread cannot start runs here.
 * The probes share rs: an OCSP answer or CRL that several need is fetched
 * once. With --dane, every probe is judged on the one lookup dane.
 */
void fleet_run(const struct options *o, struct trust_store *ts, struct revcheck_shared *rs,
	       const struct deadline *d, struct dane_query *dane, struct probe *probes,
	       size_t n);

#endif
