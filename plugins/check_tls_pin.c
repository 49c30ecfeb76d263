/*
 * check_tls_pin - monitoring plugin: expiry, trust and SPKI pins of the
 * certificate a TLS server presents.
 *
 *   options -> connect -> TLS handshake -> chain -> verify -> evaluate -> report
 *
 * Copyright (C) 2026 the check_tls_pin authors.
 *
 * This program is free software: you can redistribute it and/or modify it
 * under the terms of the GNU General Public License as published by the Free
 * Software Foundation, either version 3 of the License, or (at your option)
 * any later version. It is distributed WITHOUT ANY WARRANTY; see COPYING.
 */
#include <config.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

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
 */
#define BACKSTOP_GRACE 2.0
static char backstop_line[600];
static size_t backstop_len;
static int backstop_state;

static void
backstop(int sig)
{
	(void)sig;
	(void)!write(STDOUT_FILENO, backstop_line, backstop_len);
	_exit(backstop_state);
}

/* Prepares the line for target (NULL: not known yet) and (re)starts the timer. */
static void
arm_backstop(double timeout, enum state st, const char *target, bool comment)
{
	struct itimerval it;
	double secs = timeout + BACKSTOP_GRACE;
	struct strbuf b;

	strbuf_init(&b);
	strbuf_printf(&b, "%sTLS_PIN %s - ", comment ? "# " : "", state_name(st));
	if (target) {
		report_escape(&b, target, strlen(target), 200);
		strbuf_printf(&b, ": ");
	}
	strbuf_printf(&b, "no result %gs after the start\n", secs);
	backstop_len = b.s ? (size_t)snprintf(backstop_line, sizeof(backstop_line), "%s", b.s) : 0;
	if (backstop_len >= sizeof(backstop_line))
		backstop_len = sizeof(backstop_line) - 1;
	strbuf_free(&b);
	backstop_state = st;

	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)secs;
	it.it_value.tv_usec = (suseconds_t)((secs - (double)(time_t)secs) * 1e6);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void
disarm_backstop(void)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
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
run_fleet(const struct options *o, struct trust_store *ts, const struct deadline *d,
	  const char *target, struct strbuf *out)
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
	fleet_run(o, ts, d, probes, n);
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
	struct probe p;
	char target[600];
	enum state st;

	memset(&r, 0, sizeof(r));
	r.opt = o;
	make_target(o, target, sizeof(target));
	r.target = target;
	deadline_start(&d, o->timeout, o->timeout_state);
	arm_backstop(o->timeout, o->timeout_state, target, o->print_pins);
	trust_store_init(&ts, o->ca_file);
	if (o->fleet) {
		st = run_fleet(o, &ts, &d, target, out);
	} else {
		probe_init(&p, o->address);
		probe_run(o, &ts, &d, &p);
		probe_report(&p, &r);
		r.elapsed = net_seconds_since(d.start_ns);
		st = report_render(&r, out);
		probe_free(&p);
	}
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
	int action;

	strbuf_init(&out);
	install_signals();
	/* Reading --pin-file happens here: covered by a backstop at the default -t. */
	arm_backstop(10.0, STATE_UNKNOWN, NULL, false);
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
		st = run(&o, &out);
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
