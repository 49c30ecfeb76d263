/*
 * check_tls_pin - the plugin's output: status line, performance data, long
 * output, --print-pins, with every foreign string escaped.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_REPORT_H
#define CHECK_TLS_PIN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "dane.h"
#include "evaluate.h"
#include "options.h"
#include "path.h"
#include "revcheck.h"
#include "starttls.h"
#include "state.h"
#include "tls.h"
#include "trust.h"

/* A growing text buffer; on allocation failure it keeps what fitted. */
struct strbuf {
	char *s;
	size_t len, cap;
	bool failed;
};

void strbuf_init(struct strbuf *b);
void strbuf_free(struct strbuf *b);
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Appends len bytes of text with everything that could break a monitoring
 * system's parsing made visible: control bytes, DEL, '|', '\' and bytes that
 * are not valid UTF-8 become \xHH (a backslash as \\). At most max bytes are
 * appended; longer text is cut at a character boundary and ends in "...".
 */
void report_escape(struct strbuf *b, const char *text, size_t len, size_t max);

/* "63d 4h", "5h 12m", "42m 10s", "9s"; the magnitude of secs. */
void report_duration(struct strbuf *b, int64_t secs);

/* "2027-01-28 12:00 UTC" (ISO 8601 date and time, UTC). */
void report_date(struct strbuf *b, int64_t t, bool with_time);

/* Phases whose times -vv prints. */
enum phase {
	PHASE_RESOLVE, PHASE_CONNECT, PHASE_STARTTLS, PHASE_HANDSHAKE, PHASE_VERIFY,
	PHASE_REVOCATION, PHASE_COUNT
};

struct report {
	const struct options *opt;
	const char *target;			/* "host:443", or the --file path */
	const char *address;			/* the address connected to, or NULL */
	const struct chain *chain;		/* NULL when no certificate was had */
	const struct path *path;		/* its path; NULL likewise */
	const struct evaluation *ev;		/* NULL likewise */
	const struct trust_result *trust;	/* NULL: not verified */
	const struct dane_answer *dane;		/* the TLSA lookup judged (ev->dane), or NULL */
	const struct rev_result *revocation;	/* NULL: not checked (--file) */
	const struct tls_info *tls;		/* NULL: no handshake (--file) */
	const struct transcript *dialogue;	/* the STARTTLS dialogue, or NULL */
	const struct error *failure;		/* non-NULL: the check could not finish */
	double elapsed;				/* seconds */
	double phase[PHASE_COUNT];		/* seconds, < 0 when not run */
};

/*
 * Renders the whole output of a run into b and returns the exit state. With a
 * failure, the first line is "TLS_PIN STATE - target: message". With
 * --print-pins, pin-file lines come first and the status line follows as a
 * comment, so that the output can be saved as a pin file; with --print-tlsa
 * the same with zone-file lines.
 */
enum state report_render(const struct report *r, struct strbuf *b);

/*
 * Renders the result of several addresses (rs[i].target names each address)
 * into b and returns the worst state. The first line counts the addresses,
 * says which leaf keys they serve when these differ, names every address
 * that is not OK with its reason, and the earliest expiry; perfdata adds
 * addresses= and keys=. -v gives a line per address; --print-pins the union
 * of the pins with the addresses that serve each, --print-tlsa the TLSA
 * records of every leaf key served.
 */
enum state report_render_fleet(const struct options *o, const char *target,
			       const struct report *rs, size_t n, double elapsed,
			       struct strbuf *b);

/*
 * What starts a comment line in o's output: "# " before a pin file's
 * (--print-pins), "; " before a zone file's (--print-tlsa), else "".
 */
const char *report_comment(const struct options *o);

/*
 * The output for a usage error: "TLS_PIN UNKNOWN - message", then a one-line
 * hint. The full synopsis is left to --help: its '|' would read as
 * performance data to a monitoring system.
 */
void report_usage_error(const struct error *e, struct strbuf *b);

#endif
