/*
 * check_tls_pin - one check of one address.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

void
probe_init(struct probe *p, const char *address)
{
	memset(p, 0, sizeof(*p));
	p->address = address;
	chain_init(&p->chain);
	path_init(&p->path);
	transcript_init(&p->dialogue);
	for (int i = 0; i < PHASE_COUNT; i++)
		p->phase[i] = -1;
}

void
probe_free(struct probe *p)
{
	path_free(&p->path);
	trust_result_free(&p->trust);
	chain_free(&p->chain);
	transcript_free(&p->dialogue);
}

/* Connects, runs STARTTLS if asked, and fetches the chain in a handshake. */
static int
fetch(const struct options *o, const struct deadline *d, struct probe *p)
{
	struct tls_ctx ctx;
	struct addrinfo *res = NULL;
	struct error *e = &p->failure;
	char peer[300];
	int64_t t;
	int fd, rc;

	if (tls_ctx_init(&ctx, o->priority, e) < 0)
		return -1;
	t = net_now_ns();
	rc = net_resolve(p->address ? p->address : o->name, o->port, o->family, d, &res, e);
	p->phase[PHASE_RESOLVE] = net_seconds_since(t);
	if (rc < 0) {
		tls_ctx_free(&ctx);
		return -1;
	}
	t = net_now_ns();
	fd = net_connect(res, o->port, d, p->addr, sizeof(p->addr), e);
	p->phase[PHASE_CONNECT] = net_seconds_since(t);
	freeaddrinfo(res);
	if (fd < 0) {
		tls_ctx_free(&ctx);
		return -1;
	}
	snprintf(peer, sizeof(peer), "%s port %u", p->addr, o->port);
	rc = 0;
	if (o->starttls != STARTTLS_NONE) {
		struct starttls_params sp = { .ehlo = o->ehlo, .xmpp_domain = o->xmpp_domain };

		p->dialogue_used = true;
		t = net_now_ns();
		rc = starttls_run(o->starttls, fd, &sp, d, &p->dialogue, e);
		p->phase[PHASE_STARTTLS] = net_seconds_since(t);
	}
	if (rc == 0) {
		t = net_now_ns();
		rc = tls_handshake(&ctx, fd, o->sni, d, peer, &p->chain, &p->info, e);
		p->phase[PHASE_HANDSHAKE] = net_seconds_since(t);
		p->handshaken = rc == 0;
	}
	close(fd);
	tls_ctx_free(&ctx);
	return rc;
}

/* Whether the server stapled an OCSP response for any certificate of c. */
static bool
stapled(const struct chain *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].staple.size > 0)
			return true;
	return false;
}

void
probe_run(const struct options *o, struct trust_store *ts, struct revcheck_shared *rs,
	  const struct deadline *d, struct dane_query *dane, struct probe *p)
{
	int64_t now;
	int rc;

	if (o->file)
		rc = chain_from_file(&p->chain, o->file, &p->failure);
	else
		rc = fetch(o, d, p);
	if (rc == 0 && !o->no_verify && (!o->file || o->ca_file)) {
		int64_t t = net_now_ns();
		rc = trust_verify(ts, &p->chain, o->verify_name, &p->trust, &p->failure);
		p->phase[PHASE_VERIFY] = net_seconds_since(t);
		p->verified = true;
	}
	now = (int64_t)time(NULL);
	if (rc == 0)
		rc = path_build(&p->path, &p->chain,
				p->verified && p->trust.trusted ? &p->trust.links : NULL, o, now,
				&p->failure);
	if (rc == 0 && !o->file) {
		int64_t t = net_now_ns();
		struct options staples_only = *o;

		/*
		 * A chain the verification refused names URLs nobody vouches for:
		 * its staples are judged, but nothing is fetched on its word.
		 */
		staples_only.revocation = REVOCATION_STAPLE;
		revcheck_run(p->verified && !p->trust.trusted ? &staples_only : o, &p->path, rs, d,
			     now, &p->revocation);
		if (o->revocation != REVOCATION_STAPLE || stapled(&p->chain))
			p->phase[PHASE_REVOCATION] = net_seconds_since(t);
		p->revocation_checked = true;
	}
	if (rc == 0)
		evaluate(o, &p->path, p->verified ? &p->trust : NULL,
			 p->revocation_checked ? &p->revocation : NULL, now, &p->ev);
	if (rc == 0 && dane) {
		dane_finish(dane, d);
		p->dane = &dane->answer;
		evaluate_dane(o, &p->path, p->dane, p->verified ? &p->trust : NULL, &p->ev);
	}
	p->failed = rc != 0;
}

void
probe_report(const struct probe *p, struct report *r)
{
	r->address = p->addr[0] ? p->addr : NULL;
	r->dialogue = p->dialogue_used ? &p->dialogue : NULL;
	r->tls = p->handshaken ? &p->info : NULL;
	r->trust = p->verified ? &p->trust : NULL;
	r->dane = p->dane;
	r->revocation = p->revocation_checked && !p->failed ? &p->revocation : NULL;
	if (p->failed) {
		r->failure = &p->failure;
	} else {
		r->chain = &p->chain;
		r->path = &p->path;
		r->ev = &p->ev;
	}
	memcpy(r->phase, p->phase, sizeof(r->phase));
}
