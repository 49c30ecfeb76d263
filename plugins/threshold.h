/*
 * check_tls_pin - expiry thresholds: durations with units, percentages of a
 * certificate's lifetime, the lifetime-aware defaults, and the state they give.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_THRESHOLD_H
#define CHECK_TLS_PIN_THRESHOLD_H

#include <stdint.h>

#include "state.h"

#define SECONDS_PER_DAY 86400

enum threshold_kind {
	THRESHOLD_DEFAULT,	/* not given: adapt to the lifetime */
	THRESHOLD_SECONDS,
	THRESHOLD_PERCENT
};

enum threshold_level { LEVEL_WARNING, LEVEL_CRITICAL };

struct threshold {
	enum threshold_kind kind;
	double value;		/* seconds, or percent (0..100) */
};

/*
 * Reads an unsigned decimal number ("12", "1.5", ".5") at the start of text,
 * refusing what strtod alone would take (signs, exponents, hex, inf, nan).
 * Sets *end past it. Returns 0, or -1 when text does not start with one.
 */
int threshold_parse_number(const char *text, double *out, const char **end);

/*
 * Parses a -w/-c threshold: a number of days (fractions allowed), a number with
 * a unit s, m, h, d or w ("36h", "90m", "2w"), or a percentage of the whole
 * validity period ("33%"). No sign, no exponent, no hex; at most 100 years.
 * Returns 0, or -1 with e (UNKNOWN) saying why, quoting text.
 */
int threshold_parse(const char *text, struct threshold *out, struct error *e);

/*
 * Parses check_http's -C WARN[,CRIT]: whole or fractional days. A missing CRIT
 * means CRITICAL only once expired (check_http's meaning), i.e. 0 seconds.
 */
int threshold_parse_days_pair(const char *text, struct threshold *warn,
			      struct threshold *crit, struct error *e);

/*
 * The threshold in seconds for a certificate whose whole validity period is
 * lifetime seconds. The default is min(30 days, lifetime/3) for WARNING and
 * min(14 days, lifetime/6) for CRITICAL, so that short-lived certificates
 * (6 days, 47 days) warn in proportion rather than from the day they are issued.
 */
int64_t threshold_limit(const struct threshold *t, enum threshold_level level,
			int64_t lifetime);

/*
 * The state for remaining seconds of validity: CRITICAL at or below crit_limit
 * or once expired (remaining <= 0), WARNING at or below warn_limit, else OK.
 */
enum state threshold_state(int64_t remaining, int64_t warn_limit, int64_t crit_limit);

#endif
