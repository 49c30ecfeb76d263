/*
 * check_tls_pin - what the fuzz harnesses that render a report share: the
 * report of a chain checked as fuzz.example:443, and the shape every output
 * must have.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_FUZZ_REPORT_H
#define CHECK_TLS_PIN_FUZZ_REPORT_H

#include <stdlib.h>
#include <string.h>

#include "report.h"

/* A report of c, its path p and their evaluation ev under o; no phase timed. */
static inline void
fuzz_report(struct report *r, const struct options *o, const struct chain *c,
	    const struct path *p, const struct evaluation *ev)
{
	memset(r, 0, sizeof(*r));
	r->opt = o;
	r->target = "fuzz.example:443";
	r->chain = c;
	r->path = p;
	r->ev = ev;
	for (int i = 0; i < PHASE_COUNT; i++)
		r->phase[i] = -1;
}

/* One '|' on the status line, and no control character but line ends. */
static inline void
fuzz_check_output(const struct strbuf *b)
{
	size_t bars = 0, i = 0;

	for (; i < b->len && b->s[i] != '\n'; i++)
		bars += b->s[i] == '|';
	if (bars != 1)
		abort();
	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->s[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f)
			abort();
	}
}

#endif
