/*
 * check_tls_pin - monitoring states and the error record.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <strings.h>

#include "state.h"

static int
severity(enum state s)
{
	switch (s) {
	case STATE_CRITICAL: return 3;
	case STATE_WARNING: return 2;
	case STATE_UNKNOWN: return 1;
	default: return 0;
	}
}

enum state
state_worst(enum state a, enum state b)
{
	return severity(a) >= severity(b) ? a : b;
}

static const char *const names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

const char *
state_name(enum state s)
{
	if ((unsigned)s > STATE_UNKNOWN)
		return "UNKNOWN";
	return names[s];
}

int
state_parse(const char *text, enum state *out)
{
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(text, names[i]) == 0) {
			*out = (enum state)i;
			return 0;
		}
	}
	return -1;
}

int
error_set(struct error *e, enum state st, const char *fmt, ...)
{
	va_list ap;

	e->state = st;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}
