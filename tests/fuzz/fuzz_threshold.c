/*
 * Fuzz harness: -w/-c thresholds and -C pairs. Invariant: an accepted
 * threshold is finite, not negative, at most 100 years, a percentage at most
 * 100, and its limit for any lifetime is not negative.
 */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "threshold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct threshold *t)
{
	if (!isfinite(t->value) || t->value < 0)
		abort();
	if (t->kind == THRESHOLD_PERCENT && t->value > 100)
		abort();
	if (t->kind == THRESHOLD_SECONDS && t->value > 100.0 * 365.25 * SECONDS_PER_DAY + 1)
		abort();
	if (threshold_limit(t, LEVEL_WARNING, 398LL * SECONDS_PER_DAY) < 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct threshold t, w, c;
	struct error e;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (threshold_parse(text, &t, &e) == 0)
		check(&t);
	if (threshold_parse_days_pair(text, &w, &c, &e) == 0) {
		check(&w);
		check(&c);
	}
	free(text);
	return 0;
}
