/*
 * check_tls_pin - the TLSA lookup.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <unbound.h>

#include "dane.h"
#include "file.h"

#define RR_TYPE_TLSA 52
#define RR_CLASS_IN 1
#define RCODE_NXDOMAIN 3

int
dane_owner(unsigned port, const char *name, char *out, size_t size)
{
	int n = snprintf(out, size, "_%u._tcp.%s.", port, name);

	return n > 0 && (size_t)n < size ? 0 : -1;
}

const char *
dane_status_name(enum dane_status s)
{
	switch (s) {
	case DANE_SECURE: return "secure";
	case DANE_INSECURE: return "insecure";
	case DANE_BOGUS: return "bogus";
	case DANE_NODATA: return "NODATA";
	case DANE_NXDOMAIN: return "NXDOMAIN";
	case DANE_FAILURE: return "failure";
	}
	return "?";
}

static void fail(struct dane_answer *a, enum state st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
fail(struct dane_answer *a, enum state st, const char *fmt, ...)
{
	va_list ap;

	a->status = DANE_FAILURE;
	a->failure_state = st;
	va_start(ap, fmt);
	vsnprintf(a->why, sizeof(a->why), fmt, ap);
	va_end(ap);
}

/* The words for a DNS rcode (RFC 1035 4.1.1, RFC 6895 2.3) a resolver answered with. */
static const char *
rcode_name(int rcode)
{
	switch (rcode) {
	case 1: return "FORMERR";
	case 2: return "SERVFAIL";
	case 4: return "NOTIMP";
	case 5: return "REFUSED";
	}
	return NULL;
}

/*
 * The first error libunbound logged (its set-up errors say which file and
 * line it could not read), without its time and process prefix; "" when
 * there is none.
 */
static const char *
first_logged_error(struct dane_query *q)
{
	char *at, *end;

	if (!q->log || fflush(q->log) != 0)
		return "";
	at = strstr(q->logbuf, "error: ");
	if (!at)
		return "";
	at += strlen("error: ");
	end = strchr(at, '\n');
	if (end)
		*end = '\0';
	return at;
}

/*
 * The answer, as the validator gave it (libunbound's struct ub_result):
 * bogus first, since a bogus answer also comes as SERVFAIL; then the rcode;
 * then the data, secure only when the validator says secure.
 */
static void
take_result(struct dane_answer *a, struct ub_result *r)
{
	struct error e = { STATE_CRITICAL, "" };

	if (r->bogus) {
		a->status = DANE_BOGUS;
		snprintf(a->why, sizeof(a->why), "%s",
			 r->why_bogus ? r->why_bogus : "the validator gave no reason");
		return;
	}
	if (r->rcode == RCODE_NXDOMAIN) {
		a->status = DANE_NXDOMAIN;
		a->secure = r->secure != 0;
		return;
	}
	if (r->rcode != 0) {
		if (rcode_name(r->rcode))
			fail(a, STATE_CRITICAL, "the resolver answered %s", rcode_name(r->rcode));
		else
			fail(a, STATE_CRITICAL, "the resolver answered rcode %d", r->rcode);
		return;
	}
	if (!r->havedata) {
		a->status = DANE_NODATA;
		a->secure = r->secure != 0;
		return;
	}
	for (int i = 0; r->data[i]; i++) {
		if (r->len[i] < 0 || tlsa_set_add(&a->records, (const unsigned char *)r->data[i],
						  (size_t)r->len[i], &e) < 0) {
			tlsa_set_free(&a->records);
			fail(a, e.state, "%s", r->len[i] < 0 ? "a record of negative length" : e.msg);
			return;
		}
	}
	a->status = r->secure ? DANE_SECURE : DANE_INSECURE;
}

/* libunbound's callback, run inside ub_process on the waiting thread. */
static void
answered(void *arg, int err, struct ub_result *r)
{
	struct dane_query *q = arg;

	q->pending = false;
	q->answer.seconds = net_seconds_since(q->start_ns);
	if (err != 0)
		fail(&q->answer, STATE_CRITICAL, "%s", ub_strerror(err));
	else if (r)
		take_result(&q->answer, r);
	else
		fail(&q->answer, STATE_CRITICAL, "no result");
	if (r)
		ub_resolve_free(r);
}

/*
 * Where the queries go: to --dns-server (a resolver, or the authoritative
 * server itself: RD is set, and an authoritative server answers anyway), or
 * to the resolvers of /etc/resolv.conf. Loopback servers are allowed, as
 * local resolvers are common. The trust anchors: --dnssec-anchor, or the
 * root's.
 */
static int
configure(struct dane_query *q, const struct options *o)
{
	struct dane_answer *a = &q->answer;
	const char *anchor = o->dnssec_anchor ? o->dnssec_anchor : DNSSEC_ROOT_ANCHOR;
	struct error e;
	int rc;

	q->log = fmemopen(q->logbuf, sizeof(q->logbuf) - 1, "w");
	if (q->log)
		ub_ctx_debugout(q->ctx, q->log);
	ub_ctx_debuglevel(q->ctx, 0);
	if (ub_ctx_async(q->ctx, 1) != 0 ||
	    ub_ctx_set_option(q->ctx, "do-not-query-localhost:", "no") != 0) {
		fail(a, STATE_UNKNOWN, "cannot set up the resolver");
		return -1;
	}
	rc = o->dns_server ? ub_ctx_set_fwd(q->ctx, o->dns_server)
			   : ub_ctx_resolvconf(q->ctx, NULL);
	if (rc != 0) {
		fail(a, STATE_UNKNOWN, o->dns_server ? "cannot use --dns-server: %s"
		     : "cannot read /etc/resolv.conf: %s", ub_strerror(rc));
		return -1;
	}
	if (!o->dnssec_anchor && file_check(anchor, "DNSSEC root trust anchor", &e) < 0) {
		fail(a, STATE_UNKNOWN, "%s (package dns-root-data, or --dnssec-anchor)", e.msg);
		return -1;
	}
	if (ub_ctx_add_ta_file(q->ctx, anchor) != 0) {
		fail(a, STATE_UNKNOWN, "cannot use the trust anchors of %s", anchor);
		return -1;
	}
	return 0;
}

void
dane_start(struct dane_query *q, const struct options *o)
{
	struct dane_answer *a = &q->answer;
	int rc;

	memset(q, 0, sizeof(*q));
	pthread_mutex_init(&q->lock, NULL);
	tlsa_set_init(&a->records);
	a->seconds = -1;
	q->start_ns = net_now_ns();
	if (dane_owner(o->port, o->name, a->owner, sizeof(a->owner)) < 0) {
		fail(a, STATE_UNKNOWN, "the TLSA owner name is too long");
		return;
	}
	q->ctx = ub_ctx_create();
	if (!q->ctx) {
		fail(a, STATE_UNKNOWN, "cannot create the resolver");
		return;
	}
	if (configure(q, o) < 0)
		return;
	/* The set-up (the anchors read) happens here, on this thread. */
	rc = ub_resolve_async(q->ctx, a->owner, RR_TYPE_TLSA, RR_CLASS_IN, q, answered, &q->id);
	if (rc != 0) {
		const char *logged = first_logged_error(q);
		char why[400];

		snprintf(why, sizeof(why), "%s%s%s", ub_strerror(rc), *logged ? ": " : "", logged);
		fail(a, rc == UB_INITFAIL ? STATE_UNKNOWN : STATE_CRITICAL,
		     "cannot start the lookup: %s", why);
		return;
	}
	q->pending = true;
}

/* Waits for the callback until d passes; the caller holds q->lock. */
static void
wait_answer(struct dane_query *q, const struct deadline *d)
{
	struct pollfd pfd = { .fd = ub_fd(q->ctx), .events = POLLIN };

	while (q->pending) {
		int ms, rc;

		if (ub_poll(q->ctx)) {
			if (ub_process(q->ctx) != 0) {
				fail(&q->answer, STATE_CRITICAL, "the resolver thread failed");
				break;
			}
			continue;
		}
		ms = deadline_ms_left(d);
		if (ms == 0) {
			/* A DANE client defers without an answer: -t's state does not soften it. */
			fail(&q->answer, STATE_CRITICAL, "timeout after %gs while waiting for the answer",
			     d->seconds);
			break;
		}
		rc = poll(&pfd, 1, ms);
		if (rc < 0 && errno != EINTR) {
			fail(&q->answer, STATE_UNKNOWN, "poll: %s", strerror(errno));
			break;
		}
	}
	if (q->pending) {
		ub_cancel(q->ctx, q->id);
		q->pending = false;
	}
}

void
dane_finish(struct dane_query *q, const struct deadline *d)
{
	pthread_mutex_lock(&q->lock);
	if (q->pending)
		wait_answer(q, d);
	pthread_mutex_unlock(&q->lock);
}

void
dane_query_free(struct dane_query *q)
{
	/* Stops libunbound's thread, and with it a lookup still under way. */
	if (q->ctx)
		ub_ctx_delete(q->ctx);
	if (q->log)
		fclose(q->log);
	tlsa_set_free(&q->answer.records);
	pthread_mutex_destroy(&q->lock);
	q->ctx = NULL;
	q->log = NULL;
}
