/*
 * check_tls_pin - deadline, resolution and connect.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "net.h"

int64_t
net_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

double
net_seconds_since(int64_t start_ns)
{
	return (double)(net_now_ns() - start_ns) / 1e9;
}

void
deadline_start(struct deadline *d, double seconds, enum state on_expiry)
{
	d->start_ns = net_now_ns();
	d->end_ns = d->start_ns + (int64_t)(seconds * 1e9);
	d->seconds = seconds;
	d->on_expiry = on_expiry;
}

int
deadline_ms_left(const struct deadline *d)
{
	int64_t left = d->end_ns - net_now_ns();

	if (left <= 0)
		return 0;
	return (int)((left + 999999) / 1000000);
}

int
deadline_expired(const struct deadline *d, struct error *e, const char *phase)
{
	return error_set(e, d->on_expiry, "timeout after %gs %s", d->seconds, phase);
}

int
net_wait(int fd, short events, const struct deadline *d)
{
	struct pollfd p = { .fd = fd, .events = events };

	for (;;) {
		int ms = deadline_ms_left(d), rc;

		if (ms == 0)
			return 0;
		rc = poll(&p, 1, ms);
		if (rc > 0)
			return 1;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

int
net_is_ip_literal(const char *text)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, text, buf) == 1 || inet_pton(AF_INET6, text, buf) == 1;
}

/*
 * A lookup shared with the resolver thread. Whoever finishes last frees it:
 * the thread when the main thread gave up at the deadline, otherwise main.
 */
struct lookup {
	pthread_mutex_t lock;
	int done, abandoned;
	int notify[2];		/* the thread writes one byte when done */
	char *host, port[8];
	struct addrinfo hints, *res;
	int rc;
	int err;		/* the thread's errno after getaddrinfo: EAI_SYSTEM's reason */
};

static void
lookup_free(struct lookup *l)
{
	if (l->res)
		freeaddrinfo(l->res);
	close(l->notify[0]);
	close(l->notify[1]);
	pthread_mutex_destroy(&l->lock);
	free(l->host);
	free(l);
}

static void *
lookup_run(void *arg)
{
	struct lookup *l = arg;
	int abandoned;

	l->rc = getaddrinfo(l->host, l->port, &l->hints, &l->res);
	l->err = errno;
	/* The wake-up is written under the lock: main frees l only after taking it. */
	pthread_mutex_lock(&l->lock);
	l->done = 1;
	abandoned = l->abandoned;
	if (!abandoned)
		(void)!write(l->notify[1], "", 1);
	pthread_mutex_unlock(&l->lock);
	if (abandoned)
		lookup_free(l);
	return NULL;
}

int
net_resolve(const char *host, unsigned port, int family, const struct deadline *d,
	    struct addrinfo **res, struct error *e)
{
	struct addrinfo hints;
	struct lookup *l;
	pthread_t tid;
	char portstr[8];
	int rc, err, ready, done;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	snprintf(portstr, sizeof(portstr), "%u", port);

	/* An IP literal needs no resolver and no thread. */
	if (net_is_ip_literal(host)) {
		hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
		rc = getaddrinfo(host, portstr, &hints, res);
		if (rc != 0)
			return error_set(e, STATE_CRITICAL, "address %s: %s", host,
					 rc == EAI_FAMILY || rc == EAI_ADDRFAMILY
					 ? "not of the family asked for (-4/-6)"
					 : gai_strerror(rc));
		return 0;
	}

	/*
	 * No AI_ADDRCONFIG: glibc ignores loopback addresses when it decides which
	 * families are configured, so a name for ::1 would vanish on a host with
	 * IPv6 on loopback only. An unreachable family fails at connect, fast.
	 */
	hints.ai_flags = AI_NUMERICSERV;
	l = calloc(1, sizeof(*l));
	if (!l)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	l->host = strdup(host);
	if (!l->host || pipe2(l->notify, O_CLOEXEC) < 0) {
		free(l->host);
		free(l);
		return error_set(e, STATE_UNKNOWN, "cannot start the resolver: %s",
				 strerror(errno));
	}
	pthread_mutex_init(&l->lock, NULL);
	memcpy(l->port, portstr, sizeof(portstr));
	l->hints = hints;
	if (pthread_create(&tid, NULL, lookup_run, l) != 0) {
		lookup_free(l);
		return error_set(e, STATE_UNKNOWN, "cannot start the resolver thread");
	}
	pthread_detach(tid);

	ready = net_wait(l->notify[0], POLLIN, d);
	pthread_mutex_lock(&l->lock);
	done = l->done;
	if (!done)
		l->abandoned = 1;
	pthread_mutex_unlock(&l->lock);
	if (!done) {
		char phase[300];
		snprintf(phase, sizeof(phase), "while resolving %s", host);
		return ready < 0 ? error_set(e, STATE_UNKNOWN, "poll: %s", strerror(errno))
				 : deadline_expired(d, e, phase);
	}
	rc = l->rc;
	err = l->err;
	*res = l->res;
	l->res = NULL;
	lookup_free(l);
	if (rc != 0) {
		if (rc == EAI_NONAME || rc == EAI_NODATA || rc == EAI_ADDRFAMILY)
			return error_set(e, STATE_CRITICAL, "cannot resolve %s: no %saddress",
					 host, family == AF_INET ? "IPv4 "
					 : family == AF_INET6 ? "IPv6 " : "");
		return error_set(e, STATE_CRITICAL, "cannot resolve %s: %s", host,
				 rc == EAI_SYSTEM ? strerror(err) : gai_strerror(rc));
	}
	return 0;
}

int
net_address_text(const struct addrinfo *ai, char *out, size_t size)
{
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, out, (socklen_t)size, NULL, 0,
			NI_NUMERICHOST) != 0) {
		snprintf(out, size, "?");
		return -1;
	}
	return 0;
}

/* One connect attempt; returns the socket, -1 on failure (errno), -2 on timeout. */
static int
connect_one(const struct addrinfo *ai, const struct deadline *d)
{
	int fd, err = 0, ready;
	socklen_t len = sizeof(err);

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		err = errno;
		goto fail;
	}
	ready = net_wait(fd, POLLOUT, d);
	if (ready == 0) {
		close(fd);
		return -2;
	}
	if (ready < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err == 0)
		return fd;
fail:
	close(fd);
	errno = err;
	return -1;
}

int
net_connect(const struct addrinfo *res, unsigned port, const struct deadline *d,
	    char *addr, size_t addr_size, struct error *e)
{
	char failed[400] = "";
	size_t flen = 0, left = 0;
	int fd = -1;

	for (const struct addrinfo *ai = res; ai; ai = ai->ai_next)
		left++;
	for (const struct addrinfo *ai = res; ai; ai = ai->ai_next, left--) {
		struct deadline share = *d;
		char text[INET6_ADDRSTRLEN];
		int w;

		/*
		 * Each address gets an equal share of the time that is left, so that
		 * one that swallows packets cannot keep the others from being tried.
		 */
		if (left > 1)
			share.end_ns = net_now_ns() + (d->end_ns - net_now_ns()) / (int64_t)left;
		net_address_text(ai, text, sizeof(text));
		snprintf(addr, addr_size, "%s", text);
		fd = connect_one(ai, &share);
		if (fd >= 0)
			break;
		w = snprintf(failed + flen, sizeof(failed) - flen, "%s%s: %s", flen ? ", " : "",
			     text, fd == -2 ? "no answer" : strerror(errno));
		if (w > 0 && (size_t)w < sizeof(failed) - flen)
			flen += (size_t)w;
		if (fd == -2 && left == 1) {
			char phase[300];
			snprintf(phase, sizeof(phase), "while connecting to %s port %u", text, port);
			return deadline_expired(d, e, phase);
		}
	}
	if (fd < 0)
		return error_set(e, STATE_CRITICAL, "cannot connect: %s", failed);
	return fd;
}
