/*
 * check_tls_pin - every address behind a name.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fleet.h"

/* The usual text of the IP address literal text (as options checked it), into out. */
static void
canonical(const char *text, char out[64])
{
	unsigned char bin[sizeof(struct in6_addr)];
	int family = strchr(text, ':') ? AF_INET6 : AF_INET;

	if (inet_pton(family, text, bin) != 1 || !inet_ntop(family, bin, out, 64))
		snprintf(out, 64, "%s", text);
}

int
fleet_addresses(const struct options *o, const struct deadline *d,
		char addrs[][64], size_t *n, struct error *e)
{
	struct addrinfo *res = NULL;

	*n = 0;
	if (!o->all_addresses) {
		/* Each address once, however it was spelled ("::1", "0::1"). */
		for (size_t i = 0; i < o->naddresses; i++) {
			char text[64];
			bool seen = false;

			canonical(o->addresses[i], text);
			for (size_t j = 0; j < *n && !seen; j++)
				seen = strcmp(addrs[j], text) == 0;
			if (!seen)
				snprintf(addrs[(*n)++], 64, "%s", text);
		}
		return 0;
	}
	if (net_resolve(o->name, o->port, o->family, d, &res, e) < 0)
		return -1;
	for (const struct addrinfo *ai = res; ai && *n < OPTIONS_ADDRESSES_MAX; ai = ai->ai_next) {
		char text[64];
		bool seen = false;

		if (net_address_text(ai, text, sizeof(text)) < 0)
			continue;
		for (size_t i = 0; i < *n && !seen; i++)
			seen = strcmp(addrs[i], text) == 0;
		if (!seen)
			snprintf(addrs[(*n)++], 64, "%s", text);
	}
	freeaddrinfo(res);
	if (*n == 0)
		return error_set(e, STATE_CRITICAL, "no usable address for %s", o->name);
	return 0;
}

struct job {
	const struct options *o;
	struct trust_store *ts;
	struct revcheck_shared *rs;
	const struct deadline *d;
	struct dane_query *dane;
	struct probe *p;
};

static void *
job_run(void *arg)
{
	struct job *j = arg;

	probe_run(j->o, j->ts, j->rs, j->d, j->dane, j->p);
	return NULL;
}

void
fleet_run(const struct options *o, struct trust_store *ts, struct revcheck_shared *rs,
	  const struct deadline *d, struct dane_query *dane, struct probe *probes, size_t n)
{
	pthread_t tid[OPTIONS_ADDRESSES_MAX];
	struct job jobs[OPTIONS_ADDRESSES_MAX];
	bool started[OPTIONS_ADDRESSES_MAX];

	for (size_t i = 0; i < n && i < OPTIONS_ADDRESSES_MAX; i++) {
		jobs[i] = (struct job){ o, ts, rs, d, dane, &probes[i] };
		started[i] = pthread_create(&tid[i], NULL, job_run, &jobs[i]) == 0;
		if (!started[i])
			job_run(&jobs[i]);
	}
	for (size_t i = 0; i < n && i < OPTIONS_ADDRESSES_MAX; i++)
		if (started[i])
			pthread_join(tid[i], NULL);
}
