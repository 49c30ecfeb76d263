/*
 * Unit tests: name resolution failures, as net_resolve reports them. The
 * resolver is the stand-in below, so each case is the same on every host.
 */
#include <config.h>

#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#include "net.h"
#include "unit.h"

/*
 * Takes the C library's place for every caller in this program, the
 * resolver thread of net.c included. The name says the answer: a system
 * error with its own errno, or no such name.
 */
int
getaddrinfo(const char *restrict node, const char *restrict service,
	    const struct addrinfo *restrict hints, struct addrinfo **restrict res)
{
	(void)service;
	(void)hints;
	*res = NULL;
	if (strcmp(node, "system-error.test") == 0) {
		errno = ENFILE;
		return EAI_SYSTEM;
	}
	return EAI_NONAME;
}

static const struct {
	const char *what;
	const char *host;
	int family;
	const char *msg;	/* the whole message */
} resolve_cases[] = {
	/* errno belongs to the thread that ran getaddrinfo, not to the caller. */
	{ "EAI_SYSTEM: the resolver thread's errno", "system-error.test", AF_UNSPEC,
	  "cannot resolve system-error.test: Too many open files in system" },
	{ "no such name", "nowhere.test", AF_UNSPEC, "cannot resolve nowhere.test: no address" },
	{ "no such name, -4", "nowhere.test", AF_INET,
	  "cannot resolve nowhere.test: no IPv4 address" },
};

START_TEST(test_resolve_failure)
{
	struct addrinfo *res = NULL;
	struct deadline d;
	struct error e;

	deadline_start(&d, 5.0, STATE_WARNING);
	/* What the caller's errno holds must not leak into the message. */
	errno = EDOM;
	ck_assert_int_eq(net_resolve(resolve_cases[_i].host, 443, resolve_cases[_i].family, &d,
				     &res, &e), -1);
	ck_assert_ptr_null(res);
	ck_assert_msg(e.state == STATE_CRITICAL, "%s: state %d", resolve_cases[_i].what, e.state);
	ck_assert_msg(strcmp(e.msg, resolve_cases[_i].msg) == 0, "%s: '%s', expected '%s'",
		      resolve_cases[_i].what, e.msg, resolve_cases[_i].msg);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("net");
	TCase *tc = tcase_create("net");

	tcase_add_loop_test(tc, test_resolve_failure, 0, N_ELEMENTS(resolve_cases));
	suite_add_tcase(s, tc);
	return s;
}
