/* Unit tests: expiry states, not-yet-valid, --check-chain, pins and scope, backup rule, trust. */
#include <config.h>

#include "evaluate.h"
#include "fixtures.h"
#include "unit.h"

#define NOW T_2027_01_28_1200

/* A 90-day leaf (issued 90 - left days ago), an intermediate, an anchor, and their path. */
static void
make_chain(struct chain *c, struct path *p, double leaf_days_left, double inter_days_left)
{
	struct cert anchor;

	int64_t leaf_end = NOW + (int64_t)(leaf_days_left * DAY);
	int64_t inter_end = NOW + (int64_t)(inter_days_left * DAY);

	fixture_chain(c, 2);
	fixture_cert(&c->v[0], "CN=leaf", "CN=inter", leaf_end - 90 * DAY, leaf_end, 0x10);
	fixture_cert(&c->v[1], "CN=inter", "CN=root", inter_end - 1000 * DAY, inter_end, 0x20);
	fixture_cert(&anchor, "CN=root", "CN=root", NOW - 5000 * DAY, NOW + 5000 * DAY, 0x30);
	fixture_path(p, c, &anchor);
}

/* The leaf's remaining time against the default and explicit thresholds. */
static const struct {
	double days_left;
	const char *warn, *crit;	/* NULL: default */
	enum state st;
} expiry_cases[] = {
	{ 60, NULL, NULL, STATE_OK },
	{ 30.5, NULL, NULL, STATE_OK },
	{ 30, NULL, NULL, STATE_WARNING },	/* min(30d, 90d/3) = 30d, at the limit */
	{ 14.2, NULL, NULL, STATE_WARNING },
	{ 14, NULL, NULL, STATE_CRITICAL },	/* min(14d, 15d) */
	{ 0.01, NULL, NULL, STATE_CRITICAL },
	{ -3, NULL, NULL, STATE_CRITICAL },	/* expired */
	{ 2, "36h", "12h", STATE_OK },
	{ 1.4, "36h", "12h", STATE_WARNING },
	{ 0.4, "36h", "12h", STATE_CRITICAL },
	{ 40, "50%", "10%", STATE_WARNING },	/* 45d is 50% of 90d */
	{ 46, "50%", "10%", STATE_OK },
	{ 8, "50%", "10%", STATE_CRITICAL },
	{ -1, "0", "0", STATE_CRITICAL },	/* no threshold rescues an expired certificate */
};

START_TEST(test_expiry)
{
	struct options o;
	struct chain c;
	struct path p;
	struct evaluation ev;
	struct error e;

	fixture_options(&o);
	if (expiry_cases[_i].warn)
		threshold_parse(expiry_cases[_i].warn, &o.warn, &e);
	if (expiry_cases[_i].crit)
		threshold_parse(expiry_cases[_i].crit, &o.crit, &e);
	make_chain(&c, &p, expiry_cases[_i].days_left, 500);
	evaluate(&o, &p, NULL, NULL, NOW, &ev);
	ck_assert_int_eq(ev.leaf.state, expiry_cases[_i].st);
	ck_assert_int_eq(ev.state, expiry_cases[_i].st);
	ck_assert_int_eq(ev.leaf.remaining, (int64_t)(expiry_cases[_i].days_left * DAY));
	ck_assert(!ev.pins_checked && !ev.trust_checked && ev.chain_n == 0);
	path_free(&p);
	chain_free(&c);
}
END_TEST

START_TEST(test_not_yet_valid)
{
	struct options o;
	struct chain c;
	struct path p;
	struct evaluation ev;

	fixture_options(&o);
	fixture_chain(&c, 1);
	fixture_cert(&c.v[0], "CN=leaf", "CN=ca", NOW + 2 * DAY, NOW + 92 * DAY, 1);
	fixture_path(&p, &c, NULL);
	evaluate(&o, &p, NULL, NULL, NOW, &ev);
	ck_assert(ev.leaf.not_yet_valid);
	ck_assert_int_eq(ev.state, STATE_CRITICAL);
	path_free(&p);
	chain_free(&c);
}
END_TEST

/* --check-chain: the intermediate's expiry counts; self-signed certificates do not. */
START_TEST(test_check_chain)
{
	struct options o;
	struct chain c;
	struct path p;
	struct evaluation ev;

	fixture_options(&o);
	make_chain(&c, &p, 60, 5);
	evaluate(&o, &p, NULL, NULL, NOW, &ev);
	ck_assert_int_eq(ev.state, STATE_OK);	/* off by default */
	o.check_chain = true;
	evaluate(&o, &p, NULL, NULL, NOW, &ev);
	ck_assert_uint_eq(ev.chain_n, 1);
	ck_assert_int_eq(ev.chain_first, 0);
	ck_assert_uint_eq(ev.chain[0].index, 1);
	ck_assert_int_eq(ev.chain[0].state, STATE_CRITICAL);
	ck_assert_int_eq(ev.state, STATE_CRITICAL);
	path_free(&p);
	chain_free(&c);

	/* A self-signed root sent by the server is ignored even if it expires soon. */
	fixture_chain(&c, 2);
	fixture_cert(&c.v[0], "CN=leaf", "CN=root", NOW - DAY, NOW + 80 * DAY, 1);
	fixture_cert(&c.v[1], "CN=root", "CN=root", NOW - 900 * DAY, NOW + DAY, 2);
	fixture_path(&p, &c, NULL);
	evaluate(&o, &p, NULL, NULL, NOW, &ev);
	ck_assert_uint_eq(ev.chain_n, 0);
	ck_assert_int_eq(ev.state, STATE_OK);
	path_free(&p);
	chain_free(&c);
}
END_TEST

/* Pins: which certificates a scope covers, and what is reported. */
static const struct {
	unsigned char pins[3];	/* pin bytes; 0 ends */
	enum pin_scope scope;
	bool backup;
	enum state st;
	long depth;		/* reported match; -1 none; 2 = the anchor */
	size_t served;
} pin_cases[] = {
	{ { 0x10 }, SCOPE_CHAIN, false, STATE_OK, 0, 1 },		/* leaf */
	{ { 0x20 }, SCOPE_CHAIN, false, STATE_OK, 1, 1 },		/* intermediate */
	{ { 0x30 }, SCOPE_CHAIN, false, STATE_OK, 2, 1 },		/* anchor */
	{ { 0x20 }, SCOPE_LEAF, false, STATE_CRITICAL, -1, 0 },	/* leaf scope */
	{ { 0x30 }, SCOPE_LEAF, false, STATE_CRITICAL, -1, 0 },
	{ { 0x99 }, SCOPE_CHAIN, false, STATE_CRITICAL, -1, 0 },
	{ { 0x99, 0x30, 0x20 }, SCOPE_CHAIN, false, STATE_OK, 1, 2 },	/* nearest the leaf */
	/* --require-backup-pin: WARNING only when every pin is served */
	{ { 0x10 }, SCOPE_CHAIN, true, STATE_WARNING, 0, 1 },
	{ { 0x10, 0x20 }, SCOPE_CHAIN, true, STATE_WARNING, 0, 2 },
	{ { 0x10, 0x99 }, SCOPE_CHAIN, true, STATE_OK, 0, 1 },
	{ { 0x10, 0x20 }, SCOPE_LEAF, true, STATE_OK, 0, 1 },	/* 0x20 out of scope: a backup */
	{ { 0x99, 0x98 }, SCOPE_CHAIN, true, STATE_CRITICAL, -1, 0 },
};

START_TEST(test_pins)
{
	struct options o;
	struct chain c;
	struct path p;
	struct evaluation ev;

	fixture_options(&o);
	for (int i = 0; i < 3 && pin_cases[_i].pins[i]; i++)
		fixture_pin(&o, pin_cases[_i].pins[i], NULL);
	o.scope = pin_cases[_i].scope;
	o.require_backup = pin_cases[_i].backup;
	make_chain(&c, &p, 60, 500);
	evaluate(&o, &p, NULL, NULL, NOW, &ev);
	ck_assert(ev.pins_checked);
	ck_assert_int_eq(ev.pin_state, pin_cases[_i].st);
	ck_assert_int_eq(ev.state, pin_cases[_i].st);
	ck_assert_int_eq(ev.match_depth, pin_cases[_i].depth);
	ck_assert_uint_eq(ev.pins_served, pin_cases[_i].served);
	if (pin_cases[_i].depth >= 0)
		ck_assert_int_ge(ev.match_pin, 0);
	path_free(&p);
	chain_free(&c);
	pinset_free(&o.pins);
}
END_TEST

/* Without an anchor (no verification), an anchor pin cannot match. */
START_TEST(test_anchor_needs_verification)
{
	struct options o;
	struct chain c;
	struct path p;
	struct evaluation ev;

	fixture_options(&o);
	fixture_pin(&o, 0x30, NULL);
	make_chain(&c, &p, 60, 500);
	path_free(&p);
	fixture_path(&p, &c, NULL);
	evaluate(&o, &p, NULL, NULL, NOW, &ev);
	ck_assert_int_eq(ev.pin_state, STATE_CRITICAL);
	path_free(&p);
	chain_free(&c);
	pinset_free(&o.pins);
}
END_TEST

/*
 * A certificate the server sends that did not issue the leaf (nor anything on
 * its path) is not what clients check: its pin must not make the check OK.
 */
START_TEST(test_pin_off_path)
{
	struct options o;
	struct chain c;
	struct path p;
	struct evaluation ev;

	fixture_options(&o);
	fixture_pin(&o, 0x20, NULL);
	make_chain(&c, &p, 60, 500);
	path_free(&p);
	fixture_path_n(&p, &c, 1, NULL);
	evaluate(&o, &p, NULL, NULL, NOW, &ev);
	ck_assert_int_eq(ev.pin_state, STATE_CRITICAL);
	ck_assert_int_eq(ev.match_depth, -1);
	path_free(&p);
	chain_free(&c);
	pinset_free(&o.pins);
}
END_TEST

/* One threshold given: the other's default yields to it. */
static const struct {
	const char *warn, *crit;
	double days_left;
	enum state st;
} yield_cases[] = {
	{ "5d", NULL, 10, STATE_OK },		/* the default CRITICAL (14d) would hide -w */
	{ "5d", NULL, 5, STATE_WARNING },
	{ "5d", NULL, 0.1, STATE_WARNING },	/* CRITICAL only once expired */
	{ "5d", NULL, -0.1, STATE_CRITICAL },
	{ "20d", NULL, 14, STATE_CRITICAL },	/* the default stays where it does not hide -w */
	{ NULL, "40d", 41, STATE_OK },		/* default WARNING (30d) raised to 40d */
	{ NULL, "40d", 40, STATE_CRITICAL },
	{ "5d", "2d", 3, STATE_WARNING },	/* both given: as given */
};

START_TEST(test_threshold_yields)
{
	struct options o;
	struct chain c;
	struct path p;
	struct evaluation ev;
	struct error e;

	fixture_options(&o);
	if (yield_cases[_i].warn)
		threshold_parse(yield_cases[_i].warn, &o.warn, &e);
	if (yield_cases[_i].crit)
		threshold_parse(yield_cases[_i].crit, &o.crit, &e);
	fixture_chain(&c, 1);
	fixture_cert(&c.v[0], "CN=leaf", "CN=ca", NOW - 300 * DAY,
		     NOW + (int64_t)(yield_cases[_i].days_left * DAY), 1);
	fixture_path(&p, &c, NULL);
	evaluate(&o, &p, NULL, NULL, NOW, &ev);
	ck_assert_int_eq(ev.state, yield_cases[_i].st);
	ck_assert_int_le(ev.leaf.crit_limit, ev.leaf.warn_limit);
	path_free(&p);
	chain_free(&c);
}
END_TEST

/* Trust combines with the rest by precedence. */
START_TEST(test_trust)
{
	struct options o;
	struct chain c;
	struct path p;
	struct evaluation ev;
	struct trust_result t = { .state = STATE_CRITICAL, .trusted = false, .status = 0x40 };

	fixture_options(&o);
	make_chain(&c, &p, 20, 500);	/* WARNING by expiry */
	evaluate(&o, &p, &t, NULL, NOW, &ev);
	ck_assert(ev.trust_checked);
	ck_assert_int_eq(ev.trust_state, STATE_CRITICAL);
	ck_assert_int_eq(ev.state, STATE_CRITICAL);
	t.trusted = true;
	t.state = STATE_OK;
	evaluate(&o, &p, &t, NULL, NOW, &ev);
	ck_assert_int_eq(ev.state, STATE_WARNING);
	/* Anchors that could not be loaded: UNKNOWN, which the WARNING outranks. */
	t.trusted = false;
	t.state = STATE_UNKNOWN;
	evaluate(&o, &p, &t, NULL, NOW, &ev);
	ck_assert_int_eq(ev.trust_state, STATE_UNKNOWN);
	ck_assert_int_eq(ev.state, STATE_WARNING);
	path_free(&p);
	chain_free(&c);
	make_chain(&c, &p, 60, 500);
	evaluate(&o, &p, &t, NULL, NOW, &ev);
	ck_assert_int_eq(ev.state, STATE_UNKNOWN);
	path_free(&p);
	chain_free(&c);
}
END_TEST

/* BR day counting (6.3.2): notAfter - notBefore + 1 s, any excess a further day. */
static const struct {
	int64_t not_before, not_after, days;
} br_days[] = {
	{ 0, 398 * DAY - 1, 398 },		/* exactly 398 days with the +1 s */
	{ 0, 398 * DAY, 399 },			/* one second more: a further day */
	{ 0, 200 * DAY - 1, 200 },
	{ 0, 0, 1 },				/* one second is a day */
	{ 100, 50, 0 },				/* ends before it starts */
	{ 2524608000LL, 2524608000LL + 47 * DAY - 1, 47 },	/* 2050: no overflow */
};

START_TEST(test_br_days)
{
	ck_assert_int_eq(evaluate_br_days(br_days[_i].not_before, br_days[_i].not_after),
			 br_days[_i].days);
}
END_TEST

/* The SC-081 schedule at and around each boundary (00:00:00 UTC). */
static const struct {
	int64_t not_before, limit;
} br_limits[] = {
	{ 1773532800LL - 1, 398 },	/* 2026-03-14 23:59:59 */
	{ 1773532800LL, 200 },		/* 2026-03-15 00:00:00 */
	{ 1805068800LL - 1, 200 },
	{ 1805068800LL, 100 },		/* 2027-03-15 */
	{ 1868227200LL - 1, 100 },
	{ 1868227200LL, 47 },		/* 2029-03-15 */
	{ 2524608000LL, 47 },		/* 2050 */
	{ 0, 398 },
};

START_TEST(test_br_limit)
{
	ck_assert_int_eq(evaluate_br_limit(br_limits[_i].not_before), br_limits[_i].limit);
}
END_TEST

/* --max-validity: WARNING above the limit, by the schedule or by DAYS. */
START_TEST(test_max_validity)
{
	struct options o;
	struct chain c;
	struct path p;
	struct evaluation ev;
	int64_t issued = 1775001600LL;	/* 2026-04-01: the 200-day era */

	fixture_options(&o);
	fixture_chain(&c, 1);
	fixture_cert(&c.v[0], "CN=leaf", "CN=ca", issued, issued + 201 * DAY - 1, 1);
	fixture_path(&p, &c, NULL);
	evaluate(&o, &p, NULL, NULL, issued + DAY, &ev);
	ck_assert(!ev.validity_checked);	/* off by default */
	ck_assert_int_eq(ev.state, STATE_OK);
	o.max_validity = true;
	evaluate(&o, &p, NULL, NULL, issued + DAY, &ev);
	ck_assert_int_eq(ev.validity_days, 201);
	ck_assert_int_eq(ev.validity_limit, 200);
	ck_assert_int_eq(ev.state, STATE_WARNING);
	o.max_validity_days = 398;
	evaluate(&o, &p, NULL, NULL, issued + DAY, &ev);
	ck_assert_int_eq(ev.state, STATE_OK);
	path_free(&p);
	chain_free(&c);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("evaluate");
	TCase *tc = tcase_create("evaluate");

	tcase_add_loop_test(tc, test_expiry, 0, N_ELEMENTS(expiry_cases));
	tcase_add_test(tc, test_not_yet_valid);
	tcase_add_test(tc, test_check_chain);
	tcase_add_loop_test(tc, test_pins, 0, N_ELEMENTS(pin_cases));
	tcase_add_test(tc, test_anchor_needs_verification);
	tcase_add_test(tc, test_pin_off_path);
	tcase_add_loop_test(tc, test_br_days, 0, N_ELEMENTS(br_days));
	tcase_add_loop_test(tc, test_br_limit, 0, N_ELEMENTS(br_limits));
	tcase_add_test(tc, test_max_validity);
	tcase_add_loop_test(tc, test_threshold_yields, 0, N_ELEMENTS(yield_cases));
	tcase_add_test(tc, test_trust);
	suite_add_tcase(s, tc);
	return s;
}
