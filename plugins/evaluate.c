/*
 * check_tls_pin - evaluation.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <string.h>

#include "evaluate.h"

static void
expiry_of(const struct options *o, const struct cert *ct, size_t index, int64_t now,
	  struct expiry *x)
{
	int64_t lifetime = ct->not_after - ct->not_before;

	x->index = index;
	x->remaining = ct->not_after - now;
	x->warn_limit = threshold_limit(&o->warn, LEVEL_WARNING, lifetime);
	x->crit_limit = threshold_limit(&o->crit, LEVEL_CRITICAL, lifetime);
	/*
	 * One threshold given, the other left to a default that would hide it:
	 * "-w 5d" alone would never warn under a 14-day CRITICAL, so CRITICAL
	 * then comes only with expiry (as check_http's -C WARN does); "-c 40d"
	 * alone makes no shorter warning precede it.
	 */
	if (o->crit.kind == THRESHOLD_DEFAULT && o->warn.kind != THRESHOLD_DEFAULT &&
	    x->crit_limit >= x->warn_limit)
		x->crit_limit = 0;
	if (o->warn.kind == THRESHOLD_DEFAULT && o->crit.kind != THRESHOLD_DEFAULT &&
	    x->warn_limit < x->crit_limit)
		x->warn_limit = x->crit_limit;
	x->not_yet_valid = ct->not_before > now;
	x->state = x->not_yet_valid ? STATE_CRITICAL
		 : threshold_state(x->remaining, x->warn_limit, x->crit_limit);
}

size_t
evaluate_scope(const struct options *o, const struct path *p)
{
	return o->scope == SCOPE_LEAF ? 1 : p->usable;
}

static void
evaluate_pins(const struct options *o, const struct path *p, struct evaluation *ev)
{
	size_t scope = evaluate_scope(o, p);

	ev->match_depth = -1;
	ev->match_pin = -1;
	if (o->pins.n == 0)
		return;
	ev->pins_checked = true;
	/* The match reported is the one nearest the leaf. */
	for (size_t d = 0; d < scope && ev->match_depth < 0; d++) {
		ev->match_pin = pins_find(&o->pins, p->v[d]->pin);
		if (ev->match_pin >= 0)
			ev->match_depth = (long)d;
	}
	for (size_t i = 0; i < o->pins.n; i++) {
		for (size_t d = 0; d < scope; d++) {
			if (memcmp(o->pins.v[i].digest, p->v[d]->pin, PIN_LEN) == 0) {
				ev->pins_served++;
				break;
			}
		}
	}
	if (ev->match_depth < 0) {
		ev->pin_state = STATE_CRITICAL;
	} else if (o->require_backup && ev->pins_served == o->pins.n) {
		ev->no_backup = true;
		ev->pin_state = STATE_WARNING;
	} else {
		ev->pin_state = STATE_OK;
	}
}

void
evaluate_dane(const struct options *o, const struct path *p, const struct dane_answer *a,
	      const struct trust_result *trust, struct evaluation *ev)
{
	struct tlsa_context cx = {
		.smtp = o->starttls == STARTTLS_SMTP,
		.name = o->sni ? o->sni : o->name,
		.pkix_checked = trust != NULL,
		.pkix_trusted = trust && trust->trusted,
		.now = ev->now,
	};

	ev->dane_checked = true;
	memset(&ev->dane, 0, sizeof(ev->dane));
	ev->dane.satisfied_by = -1;
	switch (a->status) {
	case DANE_SECURE:
	case DANE_INSECURE:
		tlsa_judge(&a->records, p, &cx, o->require_backup, &ev->dane);
		ev->dane_state = a->status == DANE_SECURE ? ev->dane.state : STATE_WARNING;
		break;
	case DANE_FAILURE:
		ev->dane_state = a->failure_state;
		break;
	case DANE_BOGUS:
	case DANE_NODATA:
	case DANE_NXDOMAIN:
		ev->dane_state = STATE_CRITICAL;
		break;
	}
	ev->state = state_worst(ev->state, ev->dane_state);
}

int64_t
evaluate_br_days(int64_t not_before, int64_t not_after)
{
	int64_t secs;

	if (not_after < not_before)
		return 0;
	secs = not_after - not_before + 1;
	return secs / 86400 + (secs % 86400 ? 1 : 0);
}

int64_t
evaluate_br_limit(int64_t not_before)
{
	static const struct {
		int64_t from;		/* 00:00:00 UTC of the date the limit starts */
		int64_t days;
	} schedule[] = {
		{ 1868227200, 47 },	/* 2029-03-15 */
		{ 1805068800, 100 },	/* 2027-03-15 */
		{ 1773532800, 200 },	/* 2026-03-15 */
	};

	for (size_t i = 0; i < sizeof(schedule) / sizeof(schedule[0]); i++)
		if (not_before >= schedule[i].from)
			return schedule[i].days;
	return 398;
}

void
evaluate(const struct options *o, const struct path *p,
	 const struct trust_result *trust, const struct rev_result *rev, int64_t now,
	 struct evaluation *ev)
{
	const struct cert *leaf = p->v[0];

	memset(ev, 0, sizeof(*ev));
	ev->now = now;
	ev->chain_first = -1;
	expiry_of(o, leaf, 0, now, &ev->leaf);
	ev->state = ev->leaf.state;

	/*
	 * --check-chain: the certificates a client's path holds above the leaf,
	 * but a self-signed top (the client uses its own copy of a root) and the
	 * anchor (the trust store's business).
	 */
	if (o->check_chain) {
		size_t served = p->n - (p->has_anchor ? 1 : 0);

		for (size_t i = 1; i < served; i++) {
			struct expiry *x = &ev->chain[ev->chain_n];

			if (i + 1 == served && p->top_self_signed)
				continue;
			expiry_of(o, p->v[i], i, now, x);
			ev->state = state_worst(ev->state, x->state);
			if (ev->chain_first < 0 || x->remaining < ev->chain[ev->chain_first].remaining)
				ev->chain_first = (long)ev->chain_n;
			ev->chain_n++;
		}
	}

	ev->expiry = ev->leaf;
	for (size_t i = 0; i < ev->chain_n; i++) {
		const struct expiry *x = &ev->chain[i];
		enum state worse = state_worst(x->state, ev->expiry.state);

		if ((worse == x->state && x->state != ev->expiry.state) ||
		    (x->state == ev->expiry.state && x->remaining < ev->expiry.remaining))
			ev->expiry = *x;
	}

	if (o->max_validity) {
		ev->validity_checked = true;
		ev->validity_days = evaluate_br_days(leaf->not_before, leaf->not_after);
		ev->validity_limit = o->max_validity_days ? o->max_validity_days
				     : evaluate_br_limit(leaf->not_before);
		ev->validity_state = ev->validity_days > ev->validity_limit ? STATE_WARNING : STATE_OK;
		ev->state = state_worst(ev->state, ev->validity_state);
	}

	evaluate_pins(o, p, ev);
	if (ev->pins_checked)
		ev->state = state_worst(ev->state, ev->pin_state);

	/* Each app configuration is a source of its own, judged by its platform's rules. */
	for (size_t i = 0; i < o->apps.n; i++) {
		appconfig_evaluate(&o->apps.v[i], p, now, o->pin_expiry_warn, o->require_backup,
				   &ev->apps[i]);
		ev->state = state_worst(ev->state, ev->apps[i].state);
	}
	ev->napps = o->apps.n;

	if (trust) {
		ev->trust_checked = true;
		ev->trust_state = trust->state;
		ev->state = state_worst(ev->state, ev->trust_state);
	}

	if (rev) {
		ev->revocation_checked = true;
		ev->revocation_state = rev->state;
		ev->state = state_worst(ev->state, rev->state);
	}
}
