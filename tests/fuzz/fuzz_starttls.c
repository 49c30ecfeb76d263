/*
 * Fuzz harness: every STARTTLS dialogue fed with arbitrary server bytes, and
 * the reply parsers on their own. The first byte picks the protocol; the rest
 * is what the server says, after which it closes. Invariants: the dialogue
 * ends (the server's end of file stops every read), and a failure's message
 * (which quotes the server raw; the report escapes it) is a terminated
 * string that escapes to one line.
 */
#include <config.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "report.h"
#include "starttls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct starttls_params p = { .ehlo = "fuzz.example", .xmpp_domain = "example.org" };
	struct transcript t;
	struct deadline d;
	struct error e;
	const char *text;
	size_t n, need;
	long result;
	uint32_t caps;
	bool more;
	int sv[2], rc;

	(void)starttls_reply_code((const char *)data, size, &more);
	(void)starttls_ldap_response(data, size, &need, &result, &text, &n);
	(void)starttls_mysql_greeting(data, size, &caps, &text, &n);
	if (size < 1 || size > 65536)
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 0;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	if (write(sv[1], data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(sv[0]);
		close(sv[1]);
		return 0;
	}
	shutdown(sv[1], SHUT_WR);
	transcript_init(&t);
	deadline_start(&d, 5.0, STATE_CRITICAL);
	rc = starttls_run((enum starttls_proto)(1 + data[0] % STARTTLS_XMPP_SERVER), sv[0], &p,
			  &d, &t, &e);
	if (rc < 0) {
		struct strbuf b;

		if (strnlen(e.msg, sizeof(e.msg)) == sizeof(e.msg))
			abort();
		strbuf_init(&b);
		report_escape(&b, e.msg, strlen(e.msg), sizeof(e.msg));
		if (b.s && strpbrk(b.s, "\r\n|"))
			abort();
		strbuf_free(&b);
	}
	transcript_free(&t);
	close(sv[0]);
	close(sv[1]);
	return 0;
}
