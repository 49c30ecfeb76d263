/*
 * check_tls_pin - the revocation check of a path.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>

#include "crlcache.h"
#include "fetch.h"
#include "revcheck.h"

/* One URL (and, for OCSP, one request) fetched once for the whole run. */
struct memo_entry {
	struct memo_entry *next;
	char *key;
	bool done;		/* the fetch has ended; what follows is set */
	bool ok;		/* data holds the reply, else why says why not */
	bool cached;		/* the CRL came from --crl-cache */
	unsigned char *data;
	size_t len;
	char why[512];
};

void
revcheck_shared_init(struct revcheck_shared *s, const char *crl_cache)
{
	pthread_condattr_t attr;

	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	/* The deadline is on the monotonic clock: so are the waits. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&s->changed, &attr);
	pthread_condattr_destroy(&attr);
	s->crl_cache = crl_cache;
}

void
revcheck_shared_free(struct revcheck_shared *s)
{
	struct memo_entry *e = s->entries;

	while (e) {
		struct memo_entry *next = e->next;

		free(e->key);
		free(e->data);
		free(e);
		e = next;
	}
	pthread_cond_destroy(&s->changed);
	pthread_mutex_destroy(&s->lock);
	s->entries = NULL;
}

/*
 * The entry of key, found or added; *mine is true when it was added, and the
 * caller is then the one to fetch it and memo_publish it. NULL: no memory.
 */
static struct memo_entry *
memo_claim(struct revcheck_shared *s, const char *key, bool *mine)
{
	struct memo_entry *e;

	pthread_mutex_lock(&s->lock);
	for (e = s->entries; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			break;
	*mine = e == NULL;
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (e && !(e->key = strdup(key))) {
			free(e);
			e = NULL;
		}
		if (e) {
			e->next = s->entries;
			s->entries = e;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return e;
}

static void
memo_publish(struct revcheck_shared *s, struct memo_entry *e)
{
	pthread_mutex_lock(&s->lock);
	e->done = true;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
}

/* Waits for another thread's fetch of e until d passes. Returns 0 when it is done. */
static int
memo_wait(struct revcheck_shared *s, struct memo_entry *e, const struct deadline *d)
{
	struct timespec until = { (time_t)(d->end_ns / 1000000000), (long)(d->end_ns % 1000000000) };
	bool done;

	pthread_mutex_lock(&s->lock);
	/* 0 is a wake-up, maybe not for e; anything else (ETIMEDOUT) ends the wait. */
	while (!e->done && pthread_cond_timedwait(&s->changed, &s->lock, &until) == 0)
		;
	done = e->done;
	pthread_mutex_unlock(&s->lock);
	return done ? 0 : -1;
}

/* An equal share of what is left of d among parts fetches, as a deadline of its own. */
static void
share(const struct deadline *d, unsigned parts, struct deadline *out)
{
	int64_t now = net_now_ns(), left = d->end_ns - now;

	*out = *d;
	if (left > 0 && parts > 1)
		out->end_ns = now + left / parts;
}

/* The fetch of rq into e, a memo entry this thread claimed. */
static void
fill(struct memo_entry *e, const struct fetch_request *rq, const struct deadline *d)
{
	struct error err;

	if (fetch_run(rq, d, &e->data, &e->len, &err) == 0)
		e->ok = true;
	else
		snprintf(e->why, sizeof(e->why), "%s", err.msg);
}

/* What a certificate is checked with, and where its answers go. */
struct subject {
	gnutls_x509_crt_t crt, issuer;
	int64_t now;
	struct rev_cert *c;
	bool cached;
};

/* The entry for key: fetched by fetch_one when first, else waited for. NULL: no answer, set. */
static struct memo_entry *
shared_entry(struct revcheck_shared *s, const char *key, const struct deadline *d,
	     struct rev_answer *a, bool *mine)
{
	struct memo_entry *e = memo_claim(s, key, mine);

	if (!e) {
		a->status = REV_NO_ANSWER;
		snprintf(a->why, sizeof(a->why), "out of memory");
		return NULL;
	}
	if (!*mine && memo_wait(s, e, d) < 0) {
		a->status = REV_NO_ANSWER;
		snprintf(a->why, sizeof(a->why), "no reply within the time left");
		return NULL;
	}
	return e;
}

/* Asks the OCSP responder at url about sj (RFC 6960 A.1: GET when short, else POST). */
static void
ask_ocsp(struct revcheck_shared *s, const char *url, const struct deadline *d,
	 struct subject *sj)
{
	struct rev_answer *a = &sj->c->answer[REV_OCSP];
	gnutls_datum_t req = { NULL, 0 }, reply;
	unsigned char digest[32];
	char key[REVOCATION_URL_MAX + 80], get[REVOCATION_URL_MAX + 300];
	struct memo_entry *e;
	bool mine;
	int n;

	if (revocation_ocsp_request(sj->crt, sj->issuer, &req) < 0 ||
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, req.data, req.size, digest) < 0) {
		a->status = REV_NO_ANSWER;
		snprintf(a->why, sizeof(a->why), "the OCSP request cannot be made");
		goto out;
	}
	n = snprintf(key, sizeof(key), "OCSP %s ", url);
	for (size_t i = 0; i < sizeof(digest) && n > 0 && (size_t)n + 3 <= sizeof(key); i++)
		n += snprintf(key + n, sizeof(key) - (size_t)n, "%02x", digest[i]);
	e = shared_entry(s, key, d, a, &mine);
	if (!e)
		goto out;
	if (mine) {
		struct fetch_request rq = { .url = url, .max = REVOCATION_OCSP_MAX };

		if (revocation_ocsp_get_url(url, &req, get, sizeof(get)) == 0) {
			rq.url = get;
		} else {
			rq.body = req.data;
			rq.body_len = req.size;
			rq.content_type = "application/ocsp-request";
		}
		fill(e, &rq, d);
		memo_publish(s, e);
	}
	if (!e->ok) {
		a->status = REV_NO_ANSWER;
		snprintf(a->why, sizeof(a->why), "%s", e->why);
		goto out;
	}
	reply.data = e->data;
	reply.size = (unsigned)e->len;
	revocation_judge_ocsp(&reply, sj->crt, sj->issuer, sj->now, a);
out:
	gnutls_free(req.data);
}

/*
 * Fills e, claimed by this thread, with the CRL at url: the one kept in
 * --crl-cache while it still answers for sj, else a download, kept there
 * when it answers.
 */
static void
fill_crl(struct revcheck_shared *s, struct memo_entry *e, const char *url,
	 const struct deadline *d, struct subject *sj, char *cache_error, size_t size)
{
	struct fetch_request rq = { .url = url, .max = REVOCATION_CRL_MAX };
	struct rev_answer t;
	gnutls_datum_t crl;
	struct error err;

	if (s->crl_cache && crlcache_load(s->crl_cache, url, &e->data, &e->len) == 0) {
		crl.data = e->data;
		crl.size = (unsigned)e->len;
		revocation_judge_crl(&crl, url, sj->crt, sj->issuer, sj->now, &t);
		if (t.status == REV_GOOD || t.status == REV_REVOKED) {
			e->ok = e->cached = true;
			return;
		}
		/* Stale, damaged, another issuer's: fetched again. */
		free(e->data);
		e->data = NULL;
		e->len = 0;
	}
	fill(e, &rq, d);
	if (!e->ok || !s->crl_cache)
		return;
	crl.data = e->data;
	crl.size = (unsigned)e->len;
	revocation_judge_crl(&crl, url, sj->crt, sj->issuer, sj->now, &t);
	if ((t.status == REV_GOOD || t.status == REV_REVOKED) &&
	    crlcache_store(s->crl_cache, url, e->data, e->len, &err) < 0)
		snprintf(cache_error, size, "%s", err.msg);
}

/* Asks the CRL at url about sj. */
static void
ask_crl(struct revcheck_shared *s, const char *url, const struct deadline *d,
	struct subject *sj, char *cache_error, size_t size)
{
	struct rev_answer *a = &sj->c->answer[REV_CRL];
	char key[REVOCATION_URL_MAX + 8];
	gnutls_datum_t crl;
	struct memo_entry *e;
	bool mine;

	snprintf(key, sizeof(key), "CRL %s", url);
	e = shared_entry(s, key, d, a, &mine);
	if (!e)
		return;
	if (mine) {
		fill_crl(s, e, url, d, sj, cache_error, size);
		memo_publish(s, e);
	}
	if (!e->ok) {
		a->status = REV_NO_ANSWER;
		snprintf(a->why, sizeof(a->why), "%s", e->why);
		return;
	}
	sj->cached = e->cached;
	crl.data = e->data;
	crl.size = (unsigned)e->len;
	revocation_judge_crl(&crl, url, sj->crt, sj->issuer, sj->now, a);
}

static bool
decided(const struct rev_answer *a)
{
	return a->status == REV_GOOD || a->status == REV_REVOKED;
}

/* Whether depth i of p is a certificate o covers (see revcheck_run). */
static bool
covered(const struct options *o, const struct path *p, size_t i)
{
	size_t top = p->n - (p->has_anchor ? 2 : 1);

	if (path_is_anchor(p, i))
		return false;
	if (i == 0)
		return true;
	return o->check_chain && !(i == top && p->top_self_signed);
}

/*
 * --revocation: the sources o's mode names that sj's certificate names
 * too, in order, until one answers good or revoked. later counts the
 * certificates still to check after this one, for the share of time.
 */
static void
ask(const struct options *o, struct revcheck_shared *s, const struct deadline *d,
    size_t later, struct subject *sj, struct rev_result *out)
{
	struct rev_cert *c = sj->c;
	bool want_ocsp = o->revocation == REVOCATION_OCSP || o->revocation == REVOCATION_ANY;
	bool want_crl = o->revocation == REVOCATION_CRL || o->revocation == REVOCATION_ANY;
	bool ocsp = want_ocsp && revocation_url(sj->crt, REV_OCSP, c->url[REV_OCSP],
						 sizeof(c->url[REV_OCSP]));
	bool crl = want_crl && revocation_url(sj->crt, REV_CRL, c->url[REV_CRL],
					      sizeof(c->url[REV_CRL]));
	unsigned parts = (unsigned)(ocsp + crl + later);
	struct deadline sub;

	if (!sj->issuer) {
		snprintf(c->unasked, sizeof(c->unasked), "its issuer is not known (not sent, and "
			 "not found by a verification), so nothing can be asked");
		return;
	}
	if (!ocsp && !crl) {
		snprintf(c->unasked, sizeof(c->unasked), "it names no %s (http or https)",
			 !want_crl ? "OCSP responder" : !want_ocsp ? "CRL distribution point"
			 : "OCSP responder and no CRL distribution point");
		return;
	}
	if (ocsp) {
		share(d, parts--, &sub);
		ask_ocsp(s, c->url[REV_OCSP], &sub, sj);
		if (decided(&c->answer[REV_OCSP]))
			return;
	}
	if (crl) {
		share(d, parts, &sub);
		ask_crl(s, c->url[REV_CRL], &sub, sj, out->cache_error, sizeof(out->cache_error));
		out->cached[out->n - 1] = sj->cached;
	}
}

void
revcheck_run(const struct options *o, const struct path *p, struct revcheck_shared *s,
	     const struct deadline *d, int64_t now, struct rev_result *out)
{
	size_t later = 0;

	memset(out, 0, sizeof(*out));
	out->state = STATE_OK;
	for (size_t i = 0; i < p->n; i++)
		later += covered(o, p, i);
	for (size_t i = 0; i < p->n; i++) {
		const struct cert *ct = p->v[i];
		struct subject sj = { .crt = ct->crt, .now = now };
		struct rev_cert *c;

		if (!covered(o, p, i))
			continue;
		later--;
		sj.issuer = i + 1 < p->n ? p->v[i + 1]->crt : NULL;
		/*
		 * A trust anchor that is this very certificate (a leaf trusted as
		 * itself) is no issuer: the issuer is not known then, and the
		 * revocation question stays open. Only a self-signed certificate
		 * has nothing that revokes it.
		 */
		if (sj.issuer && gnutls_x509_crt_equals(sj.crt, sj.issuer) != 0)
			sj.issuer = NULL;
		if (!sj.issuer && (ct->staple.size > 0 || o->revocation != REVOCATION_STAPLE ||
				   i == 0) && path_self_signed(sj.crt))
			continue;
		c = sj.c = &out->v[out->n++];
		revocation_cert_init(c, i);
		if (i == 0)
			c->must_staple = revocation_must_staple(sj.crt);
		if (ct->staple.size > 0 && sj.issuer) {
			revocation_judge_ocsp(&ct->staple, sj.crt, sj.issuer, now,
					      &c->answer[REV_STAPLE]);
		} else if (ct->staple.size > 0) {
			c->answer[REV_STAPLE].status = REV_NO_ANSWER;
			snprintf(c->answer[REV_STAPLE].why, sizeof(c->answer[REV_STAPLE].why),
				 "its issuer is not known, so it cannot be verified");
		}
		if (o->revocation != REVOCATION_STAPLE && !decided(&c->answer[REV_STAPLE]))
			ask(o, s, d, later, &sj, out);
		revocation_verdict(c, o->revocation_unavailable);
		out->state = state_worst(out->state, c->state);
	}
}
