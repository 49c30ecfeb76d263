/* Unit tests: state precedence and names. */
#include <config.h>

#include <string.h>

#include "state.h"
#include "unit.h"

/* Precedence CRITICAL > WARNING > UNKNOWN > OK, in both argument orders. */
static const struct {
	enum state a, b, worst;
} worst_cases[] = {
	{ STATE_OK, STATE_OK, STATE_OK },
	{ STATE_OK, STATE_UNKNOWN, STATE_UNKNOWN },
	{ STATE_UNKNOWN, STATE_WARNING, STATE_WARNING },	/* a finding outranks a doubt */
	{ STATE_WARNING, STATE_CRITICAL, STATE_CRITICAL },
	{ STATE_UNKNOWN, STATE_CRITICAL, STATE_CRITICAL },
	{ STATE_OK, STATE_WARNING, STATE_WARNING },
};

START_TEST(test_worst)
{
	ck_assert_int_eq(state_worst(worst_cases[_i].a, worst_cases[_i].b), worst_cases[_i].worst);
	ck_assert_int_eq(state_worst(worst_cases[_i].b, worst_cases[_i].a), worst_cases[_i].worst);
}
END_TEST

static const struct {
	const char *text;
	int rc;
	enum state st;
} parse_cases[] = {
	{ "ok", 0, STATE_OK },
	{ "WARNING", 0, STATE_WARNING },
	{ "Critical", 0, STATE_CRITICAL },
	{ "unknown", 0, STATE_UNKNOWN },
	{ "crit", -1, STATE_OK },	/* no abbreviations: a typo must not pass */
	{ "", -1, STATE_OK },
	{ "2", -1, STATE_OK },
};

START_TEST(test_parse)
{
	enum state st = STATE_OK;

	ck_assert_int_eq(state_parse(parse_cases[_i].text, &st), parse_cases[_i].rc);
	if (parse_cases[_i].rc == 0)
		ck_assert_int_eq(st, parse_cases[_i].st);
}
END_TEST

START_TEST(test_names_and_error)
{
	struct error e;

	ck_assert_str_eq(state_name(STATE_CRITICAL), "CRITICAL");
	ck_assert_str_eq(state_name((enum state)42), "UNKNOWN");
	ck_assert_int_eq(error_set(&e, STATE_WARNING, "%s-%d", "x", 7), -1);
	ck_assert_int_eq(e.state, STATE_WARNING);
	ck_assert_str_eq(e.msg, "x-7");
	/* Long messages are cut, never overflow. */
	error_set(&e, STATE_OK, "%0600d", 1);
	ck_assert_uint_eq(strlen(e.msg), sizeof(e.msg) - 1);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("state");

	tcase_add_loop_test(tc, test_worst, 0, N_ELEMENTS(worst_cases));
	tcase_add_loop_test(tc, test_parse, 0, N_ELEMENTS(parse_cases));
	tcase_add_test(tc, test_names_and_error);
	suite_add_tcase(s, tc);
	return s;
}
