/*
 * check_tls_pin - expiry thresholds.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "threshold.h"

#define MAX_SECONDS (100.0 * 365.25 * SECONDS_PER_DAY)

/* The characters are vetted before strtod, which would take far more. */
int
threshold_parse_number(const char *text, double *out, const char **end)
{
	size_t digits = strspn(text, "0123456789");
	const char *p = text + digits;
	char *stop;

	if (*p == '.') {
		size_t frac = strspn(p + 1, "0123456789");
		if (frac == 0)
			return -1;
		digits += frac;
		p += 1 + frac;
	}
	if (digits == 0)
		return -1;
	errno = 0;
	*out = strtod(text, &stop);
	if (errno != 0 || stop != p || !isfinite(*out))
		return -1;
	*end = p;
	return 0;
}

int
threshold_parse(const char *text, struct threshold *out, struct error *e)
{
	const char *unit;
	double v, scale;

	if (threshold_parse_number(text, &v, &unit) < 0)
		return error_set(e, STATE_UNKNOWN,
				 "invalid threshold '%s': expected days, a duration "
				 "with a unit (s, m, h, d, w) or a percentage", text);
	switch (*unit) {
	case '\0': case 'd': scale = SECONDS_PER_DAY; break;
	case 's': scale = 1; break;
	case 'm': scale = 60; break;
	case 'h': scale = 3600; break;
	case 'w': scale = 7.0 * SECONDS_PER_DAY; break;
	case '%': scale = 0; break;
	default:
		return error_set(e, STATE_UNKNOWN,
				 "invalid threshold '%s': unknown unit '%s' "
				 "(use s, m, h, d, w or %%)", text, unit);
	}
	if (*unit != '\0' && unit[1] != '\0')
		return error_set(e, STATE_UNKNOWN,
				 "invalid threshold '%s': unexpected text after the unit", text);
	if (scale == 0) {
		if (v > 100)
			return error_set(e, STATE_UNKNOWN,
					 "invalid threshold '%s': a percentage is at most 100%%", text);
		out->kind = THRESHOLD_PERCENT;
		out->value = v;
		return 0;
	}
	if (v * scale > MAX_SECONDS)
		return error_set(e, STATE_UNKNOWN,
				 "invalid threshold '%s': more than 100 years", text);
	out->kind = THRESHOLD_SECONDS;
	out->value = v * scale;
	return 0;
}

static int
parse_days(const char *text, size_t len, struct threshold *out)
{
	char buf[32];
	const char *end;
	double v;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (threshold_parse_number(buf, &v, &end) < 0 || *end != '\0')
		return -1;
	if (v * SECONDS_PER_DAY > MAX_SECONDS)
		return -1;
	out->kind = THRESHOLD_SECONDS;
	out->value = v * SECONDS_PER_DAY;
	return 0;
}

int
threshold_parse_days_pair(const char *text, struct threshold *warn,
			  struct threshold *crit, struct error *e)
{
	const char *comma = strchr(text, ',');
	size_t wlen = comma ? (size_t)(comma - text) : strlen(text);

	if (parse_days(text, wlen, warn) < 0 ||
	    (comma && parse_days(comma + 1, strlen(comma + 1), crit) < 0))
		return error_set(e, STATE_UNKNOWN,
				 "invalid -C '%s': expected WARN[,CRIT] in days", text);
	if (!comma) {
		crit->kind = THRESHOLD_SECONDS;
		crit->value = 0;
	}
	return 0;
}

int64_t
threshold_limit(const struct threshold *t, enum threshold_level level,
		int64_t lifetime)
{
	double cap, part;

	if (lifetime < 0)
		lifetime = 0;
	switch (t->kind) {
	case THRESHOLD_SECONDS:
		return (int64_t)llround(t->value);
	case THRESHOLD_PERCENT:
		return (int64_t)llround((double)lifetime * t->value / 100.0);
	default:
		break;
	}
	if (level == LEVEL_WARNING) {
		cap = 30.0 * SECONDS_PER_DAY;
		part = (double)lifetime / 3.0;
	} else {
		cap = 14.0 * SECONDS_PER_DAY;
		part = (double)lifetime / 6.0;
	}
	return (int64_t)llround(part < cap ? part : cap);
}

enum state
threshold_state(int64_t remaining, int64_t warn_limit, int64_t crit_limit)
{
	if (remaining <= 0 || remaining <= crit_limit)
		return STATE_CRITICAL;
	if (remaining <= warn_limit)
		return STATE_WARNING;
	return STATE_OK;
}
