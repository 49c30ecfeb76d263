/* Unit tests: threshold syntax, units, percentages, adaptive defaults, states. */
#include <config.h>

#include <string.h>

#include "threshold.h"
#include "unit.h"

#define DAY SECONDS_PER_DAY

static const struct {
	const char *text;
	enum threshold_kind kind;
	double value;
} good[] = {
	{ "30", THRESHOLD_SECONDS, 30.0 * DAY },	/* plain days */
	{ "0.5", THRESHOLD_SECONDS, 0.5 * DAY },
	{ ".25", THRESHOLD_SECONDS, 0.25 * DAY },
	{ "0", THRESHOLD_SECONDS, 0 },
	{ "45s", THRESHOLD_SECONDS, 45 },
	{ "90m", THRESHOLD_SECONDS, 90 * 60 },
	{ "36h", THRESHOLD_SECONDS, 36 * 3600 },
	{ "1.5h", THRESHOLD_SECONDS, 5400 },
	{ "21d", THRESHOLD_SECONDS, 21.0 * DAY },
	{ "2w", THRESHOLD_SECONDS, 14.0 * DAY },
	{ "33%", THRESHOLD_PERCENT, 33 },
	{ "12.5%", THRESHOLD_PERCENT, 12.5 },
	{ "100%", THRESHOLD_PERCENT, 100 },
	{ "36500", THRESHOLD_SECONDS, 36500.0 * DAY },
};

START_TEST(test_good)
{
	struct threshold t;
	struct error e;

	ck_assert_int_eq(threshold_parse(good[_i].text, &t, &e), 0);
	ck_assert_int_eq(t.kind, good[_i].kind);
	ck_assert_double_eq_tol(t.value, good[_i].value, 1e-6);
}
END_TEST

/* Everything else is refused: signs, exponents, hex, words, stray text. */
static const char *const bad[] = {
	"", "-1", "+1", "1e3", "0x10", "inf", "nan", "abc", "1.", "..5", "5 d", "5dd",
	"5y", "5D", "101%", "1%%", "40000", "9999999999999999999999999w", "%", "d", "1,5",
};

START_TEST(test_bad)
{
	struct threshold t;
	struct error e;

	ck_assert_int_eq(threshold_parse(bad[_i], &t, &e), -1);
	ck_assert_int_eq(e.state, STATE_UNKNOWN);
	ck_assert_msg(strstr(e.msg, "invalid threshold") != NULL, "%s", e.msg);
}
END_TEST

/* -C WARN[,CRIT] in days; without CRIT, CRITICAL only once expired. */
static const struct {
	const char *text;
	int rc;
	double warn, crit;
} pairs[] = {
	{ "30,14", 0, 30.0 * DAY, 14.0 * DAY },
	{ "30", 0, 30.0 * DAY, 0 },
	{ "7.5,0.5", 0, 7.5 * DAY, 0.5 * DAY },
	{ "30,", -1, 0, 0 },
	{ ",14", -1, 0, 0 },
	{ "30d", -1, 0, 0 },	/* check_http takes days only: a unit is a mistake here */
	{ "30,14,7", -1, 0, 0 },
	{ "-5", -1, 0, 0 },
};

START_TEST(test_pairs)
{
	struct threshold w, c;
	struct error e;

	ck_assert_int_eq(threshold_parse_days_pair(pairs[_i].text, &w, &c, &e), pairs[_i].rc);
	if (pairs[_i].rc == 0) {
		ck_assert_double_eq_tol(w.value, pairs[_i].warn, 1e-6);
		ck_assert_double_eq_tol(c.value, pairs[_i].crit, 1e-6);
	} else {
		ck_assert_ptr_nonnull(strstr(e.msg, "invalid -C"));
	}
}
END_TEST

/* Limits for certificates of each lifetime the ecosystem uses. */
static const struct {
	struct threshold t;
	enum threshold_level level;
	int64_t lifetime, limit;
} limits[] = {
	/* defaults: min(30d, 1/3) and min(14d, 1/6) */
	{ { THRESHOLD_DEFAULT, 0 }, LEVEL_WARNING, 398LL * DAY, 30LL * DAY },
	{ { THRESHOLD_DEFAULT, 0 }, LEVEL_CRITICAL, 398LL * DAY, 14LL * DAY },
	{ { THRESHOLD_DEFAULT, 0 }, LEVEL_WARNING, 90LL * DAY, 30LL * DAY },
	{ { THRESHOLD_DEFAULT, 0 }, LEVEL_CRITICAL, 90LL * DAY, 14LL * DAY },
	{ { THRESHOLD_DEFAULT, 0 }, LEVEL_WARNING, 47LL * DAY, 47LL * DAY / 3 },
	{ { THRESHOLD_DEFAULT, 0 }, LEVEL_CRITICAL, 47LL * DAY, 47LL * DAY / 6 },
	{ { THRESHOLD_DEFAULT, 0 }, LEVEL_WARNING, 6LL * DAY, 2LL * DAY },
	{ { THRESHOLD_DEFAULT, 0 }, LEVEL_CRITICAL, 6LL * DAY, 1LL * DAY },
	{ { THRESHOLD_DEFAULT, 0 }, LEVEL_WARNING, 0, 0 },
	{ { THRESHOLD_DEFAULT, 0 }, LEVEL_WARNING, -5, 0 },	/* notAfter before notBefore */
	/* percentages of the lifetime */
	{ { THRESHOLD_PERCENT, 33 }, LEVEL_WARNING, 100LL * DAY, 33LL * DAY },
	{ { THRESHOLD_PERCENT, 50 }, LEVEL_CRITICAL, 6LL * DAY, 3LL * DAY },
	/* absolute thresholds ignore the lifetime */
	{ { THRESHOLD_SECONDS, 36 * 3600 }, LEVEL_WARNING, 6LL * DAY, 36 * 3600 },
	/* a 2050 certificate of 30 years: no overflow */
	{ { THRESHOLD_PERCENT, 10 }, LEVEL_WARNING, 30LL * 365 * DAY, 3LL * 365 * DAY },
};

START_TEST(test_limits)
{
	ck_assert_int_eq(threshold_limit(&limits[_i].t, limits[_i].level, limits[_i].lifetime),
			 limits[_i].limit);
}
END_TEST

/* At or below a threshold alerts; expired is CRITICAL whatever the thresholds. */
static const struct {
	int64_t remaining, warn, crit;
	enum state st;
} states[] = {
	{ 31 * DAY, 30 * DAY, 14 * DAY, STATE_OK },
	{ 30 * DAY, 30 * DAY, 14 * DAY, STATE_WARNING },	/* at the threshold */
	{ 14 * DAY + 1, 30 * DAY, 14 * DAY, STATE_WARNING },
	{ 14 * DAY, 30 * DAY, 14 * DAY, STATE_CRITICAL },
	{ 1, 0, 0, STATE_OK },
	{ 0, 0, 0, STATE_CRITICAL },			/* expires this second */
	{ -1, 0, 0, STATE_CRITICAL },
	{ -40LL * 365 * DAY, 30 * DAY, 14 * DAY, STATE_CRITICAL },	/* long expired: signed */
	{ 5 * DAY, 3 * DAY, 10 * DAY, STATE_CRITICAL },	/* crit above warn: crit wins */
	{ 3000LL * 365 * DAY, 30 * DAY, 14 * DAY, STATE_OK },	/* beyond 2038 and 2050 */
};

START_TEST(test_states)
{
	ck_assert_int_eq(threshold_state(states[_i].remaining, states[_i].warn, states[_i].crit),
			 states[_i].st);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("threshold");
	TCase *tc = tcase_create("threshold");

	tcase_add_loop_test(tc, test_good, 0, N_ELEMENTS(good));
	tcase_add_loop_test(tc, test_bad, 0, N_ELEMENTS(bad));
	tcase_add_loop_test(tc, test_pairs, 0, N_ELEMENTS(pairs));
	tcase_add_loop_test(tc, test_limits, 0, N_ELEMENTS(limits));
	tcase_add_loop_test(tc, test_states, 0, N_ELEMENTS(states));
	suite_add_tcase(s, tc);
	return s;
}
