/*
 * check_tls_pin - monitoring plugin: expiry, trust and SPKI pins of the
 * certificate a TLS server presents.
 *
 *   options -> connect -> TLS handshake -> chain -> verify -> revocation
 *           -> evaluate -> report
 *
 * Copyright (C) 2026 the check_tls_pin authors.
 *
 * This program is free software: you can redistribute it and/or modify it
 * under the terms of the GNU General Public License as published by the Free
 * Software Foundation, either version 3 of the License, or (at your option)
 * any later version. It is distributed WITHOUT ANY WARRANTY; see COPYING.
 */
#include <config.h>

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "dane.h"
#include "fetch.h"
#include "net.h"
#include "options.h"
#include "fleet.h"
#include "probe.h"
#include "report.h"
#include "trust.h"

/*
 * The last line of defence against a hang: every network wait already honours
 * the deadline, but should anything else block (a slow trust store on a network
 * file system, say), SIGALRM prints a prepared line and exits. It is armed
 * before the options are read (they read files) and disarmed before output.
 *
 * The handler may run at any moment, on any thread: it reads only a line that
 * is whole. Re-arming writes the slot the handler does not read, then
 * switches backstop_slot, with SIGALRM blocked meanwhile.
 */
#define BACKSTOP_GRACE 2.0
#define BACKSTOP_LINE_MAX 600
_Static_assert(SIG_ATOMIC_MAX >= BACKSTOP_LINE_MAX, "a line's length fits a sig_atomic_t");
static char backstop_line[2][BACKSTOP_LINE_MAX];
static volatile sig_atomic_t backstop_len[2], backstop_state[2];
static volatile sig_atomic_t backstop_slot = -1;	/* -1: no line yet */
static int64_t process_start_ns;

static void
backstop(int sig)
{
	int slot = backstop_slot;

	(void)sig;
	/* A SIGALRM from outside, before the first line, still ends the check. */
	if (slot < 0)
		_exit(STATE_UNKNOWN);
	(void)!write(STDOUT_FILENO, backstop_line[slot], (size_t)backstop_len[slot]);
	_exit(backstop_state[slot]);
}

/*
 * (Re)starts the timer, timeout + BACKSTOP_GRACE from now, with the line for
 * target (NULL: not known yet), after comment (the prefix that makes it a
 * comment of a pin file or zone file). The line counts from the process start, so
 * that the time it states has passed when it is printed.
 */
static void
arm_backstop(double timeout, enum state st, const char *target, const char *comment)
{
	struct itimerval it;
	double secs = timeout + BACKSTOP_GRACE;
	/* In whole tenths, rounded down: the line never claims more time than passed. */
	double total = (double)(int64_t)((net_seconds_since(process_start_ns) + secs) * 10) / 10;
	sigset_t alrm, old, pending;
	struct strbuf b;

	strbuf_init(&b);
	strbuf_printf(&b, "%sTLS_PIN %s - ", comment, state_name(st));
	if (target) {
		report_escape(&b, target, strlen(target), 200);
		strbuf_printf(&b, ": ");
	}
	strbuf_printf(&b, "no result %.1fs after the start\n", total);

	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)secs;
	it.it_value.tv_usec = (suseconds_t)((secs - (double)(time_t)secs) * 1e6);
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, &old);
	setitimer(ITIMER_REAL, &it, NULL);
	/* A timer that fired before it was replaced keeps the line it was armed with. */
	if (sigpending(&pending) == 0 && !sigismember(&pending, SIGALRM)) {
		int next = backstop_slot == 0 ? 1 : 0;
		int n = snprintf(backstop_line[next], BACKSTOP_LINE_MAX, "%s", b.s ? b.s : "");

		backstop_len[next] = n < 0 ? 0 : n < BACKSTOP_LINE_MAX ? n : BACKSTOP_LINE_MAX - 1;
		backstop_state[next] = st;
		atomic_signal_fence(memory_order_seq_cst);
		backstop_slot = next;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	strbuf_free(&b);
}

static void
disarm_backstop(void)
{
	struct itimerval it;
	sigset_t alrm, old;

	/* A timer that fired meanwhile is dropped: the result is ready to print. */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, &old);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_IGN);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void
install_signals(void)
{
	struct sigaction sa;

	/* A peer that resets the connection must give an error, not kill us silently. */
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = backstop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
}

/* "host:port", with brackets around an IPv6 literal. */
static void
make_target(const struct options *o, char *out, size_t size)
{
	if (o->file)
		snprintf(out, size, "%s", o->file);
	else if (o->host_is_ip && strchr(o->name, ':'))
		snprintf(out, size, "[%s]:%u", o->name, o->port);
	else
		snprintf(out, size, "%s:%u", o->host, o->port);
}

/* Every address of -H, or every -I, checked at once. */
static enum state
run_fleet(const struct options *o, struct trust_store *ts, struct revcheck_shared *rs,
	  const struct deadline *d, struct dane_query *dane, const char *target, struct strbuf *out)
{
	static char addrs[OPTIONS_ADDRESSES_MAX][64];
	static struct probe probes[OPTIONS_ADDRESSES_MAX];
	static struct report reports[OPTIONS_ADDRESSES_MAX];
	struct report r;
	struct error e;
	size_t n;
	enum state st;

	if (fleet_addresses(o, d, addrs, &n, &e) < 0) {
		memset(&r, 0, sizeof(r));
		r.opt = o;
		r.target = target;
		r.failure = &e;
		r.elapsed = net_seconds_since(d->start_ns);
		return report_render(&r, out);
	}
	for (size_t i = 0; i < n; i++)
		probe_init(&probes[i], addrs[i]);
	fleet_run(o, ts, rs, d, dane, probes, n);
	for (size_t i = 0; i < n; i++) {
		memset(&reports[i], 0, sizeof(reports[i]));
		reports[i].opt = o;
		reports[i].target = addrs[i];
		probe_report(&probes[i], &reports[i]);
	}
	st = report_render_fleet(o, target, reports, n, net_seconds_since(d->start_ns), out);
	for (size_t i = 0; i < n; i++)
		probe_free(&probes[i]);
	return st;
}

static enum state
run(const struct options *o, struct strbuf *out)
{
	struct report r;
	struct deadline d;
	struct trust_store ts;
	struct revcheck_shared rs;
	struct probe p;
	static struct dane_query dane;
	char target[600];
	enum state st;

	memset(&r, 0, sizeof(r));
	r.opt = o;
	make_target(o, target, sizeof(target));
	r.target = target;
	deadline_start(&d, o->timeout, o->timeout_state);
	arm_backstop(o->timeout, o->timeout_state, target, report_comment(o));
	trust_store_init(&ts, o->ca_file);
	revcheck_shared_init(&rs, o->crl_cache);
	/* The TLSA lookup runs while the addresses are resolved and connected to. */
	if (o->dane)
		dane_start(&dane, o);
	if (o->fleet) {
		st = run_fleet(o, &ts, &rs, &d, o->dane ? &dane : NULL, target, out);
	} else {
		probe_init(&p, o->address);
		probe_run(o, &ts, &rs, &d, o->dane ? &dane : NULL, &p);
		probe_report(&p, &r);
		r.elapsed = net_seconds_since(d.start_ns);
		st = report_render(&r, out);
		probe_free(&p);
	}
	if (o->dane)
		dane_query_free(&dane);
	revcheck_shared_free(&rs);
	trust_store_free(&ts);
	return st;
}

static void
emit(const struct strbuf *b)
{
	if (b->s)
		fwrite(b->s, 1, b->len, stdout);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct options o;
	struct error e;
	struct strbuf out;
	enum state st = STATE_UNKNOWN;
	bool fetching;
	int action;

	process_start_ns = net_now_ns();
	strbuf_init(&out);
	install_signals();
	/* Reading --pin-file happens here: covered by a backstop at the default -t. */
	arm_backstop(10.0, STATE_UNKNOWN, NULL, "");
	action = options_parse(argc, argv, &o, &e);
	switch (action) {
	case OPTIONS_HELP:
		strbuf_printf(&out, "check_tls_pin %s\nCopyright (C) 2026 the check_tls_pin "
			      "authors. License GPLv3+: GNU GPL version 3 or later.\n\n%s\n%s",
			      PACKAGE_VERSION, options_usage, options_help);
		st = STATE_OK;
		break;
	case OPTIONS_VERSION:
		strbuf_printf(&out, "check_tls_pin %s (GnuTLS %s)\n", PACKAGE_VERSION,
			      gnutls_check_version(NULL));
		st = STATE_OK;
		break;
	case OPTIONS_RUN:
		/*
		 * libcurl is loaded only by a run that fetches, and set up before
		 * any thread starts: its set-up is not thread-safe.
		 */
		fetching = !o.file && o.revocation != REVOCATION_STAPLE;
		if (fetching && fetch_global_init(&e) < 0) {
			strbuf_printf(&out, "TLS_PIN UNKNOWN - ");
			report_escape(&out, e.msg, strlen(e.msg), sizeof(e.msg));
			strbuf_printf(&out, "\n");
			break;
		}
		st = run(&o, &out);
		if (fetching)
			fetch_global_cleanup();
		break;
	default:
		report_usage_error(&e, &out);
		st = STATE_UNKNOWN;
		break;
	}
	disarm_backstop();
	emit(&out);
	strbuf_free(&out);
	options_free(&o);
	return (int)st;
}
