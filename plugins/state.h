/*
 * check_tls_pin - monitoring states and the error record every module fills.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_STATE_H
#define CHECK_TLS_PIN_STATE_H

#include <stddef.h>

/* Exit codes of the Monitoring Plugins API. */
enum state {
	STATE_OK = 0,
	STATE_WARNING = 1,
	STATE_CRITICAL = 2,
	STATE_UNKNOWN = 3
};

/*
 * The more severe of two states, in the order CRITICAL > WARNING > UNKNOWN > OK:
 * a server that is certainly broken outranks a finding we could not make.
 */
enum state state_worst(enum state a, enum state b);

/* "OK", "WARNING", "CRITICAL" or "UNKNOWN". */
const char *state_name(enum state s);

/* Parses a state name, case-insensitively. Returns 0, or -1 if it is none. */
int state_parse(const char *text, enum state *out);

/*
 * What went wrong, for the entry point to print: the state the failure maps to
 * and one line of text (never more; callers escape foreign text into it).
 */
struct error {
	enum state state;
	char msg[512];
};

/* Fills *e; the message is truncated to fit. Returns -1 for `return error_set(...)`. */
int error_set(struct error *e, enum state st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
