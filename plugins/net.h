/*
 * check_tls_pin - one deadline for the whole network dialogue; name resolution
 * and TCP connect that never outlive it.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_NET_H
#define CHECK_TLS_PIN_NET_H

#include <stdint.h>
#include <netdb.h>
#include <sys/socket.h>

#include "state.h"

struct deadline {
	int64_t start_ns, end_ns;	/* CLOCK_MONOTONIC */
	double seconds;
	enum state on_expiry;		/* the -t STATE */
};

/* Monotonic time in nanoseconds. */
int64_t net_now_ns(void);

/* Seconds from start_ns (net_now_ns) to now. */
double net_seconds_since(int64_t start_ns);

void deadline_start(struct deadline *d, double seconds, enum state on_expiry);

/* Milliseconds left, rounded up, 0 once passed; for poll(). */
int deadline_ms_left(const struct deadline *d);

/* Sets e to the timeout result: "timeout after Ns <phase>". Returns -1. */
int deadline_expired(const struct deadline *d, struct error *e, const char *phase);

/*
 * Waits until fd is ready for events (POLLIN/POLLOUT) or the deadline passes.
 * Returns 1 when ready, 0 on timeout, -1 on a poll error (errno set).
 */
int net_wait(int fd, short events, const struct deadline *d);

/* Whether text is a numeric IPv4 or IPv6 address (no brackets). */
int net_is_ip_literal(const char *text);

/*
 * Resolves host (a name or an IP literal; family AF_UNSPEC, AF_INET or
 * AF_INET6) into *res (freeaddrinfo's to free). A name is resolved on a
 * helper thread, so that a stalled resolver cannot hold the check past the
 * deadline. Failures are CRITICAL, a timeout the deadline's state.
 */
int net_resolve(const char *host, unsigned port, int family, const struct deadline *d,
		struct addrinfo **res, struct error *e);

/* ai's address as text ("192.0.2.1", "2001:db8::1"); "?" and -1 if it has none. */
int net_address_text(const struct addrinfo *ai, char *out, size_t size);

/*
 * Connects to the first of the addresses res that accepts, in order, each
 * attempt getting an equal share of the time left. Returns a non-blocking
 * socket and writes the address used as text ("192.0.2.1") to addr. Refusals
 * are CRITICAL naming each address; when the last attempt times out, the
 * deadline's state.
 */
int net_connect(const struct addrinfo *res, unsigned port, const struct deadline *d,
		char *addr, size_t addr_size, struct error *e);

#endif
