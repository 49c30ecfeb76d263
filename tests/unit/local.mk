# Unit tests: one Check program per module, all sharing tap_main.c.
UNIT_TESTS = \
	tests/unit/test_state \
	tests/unit/test_pins \
	tests/unit/test_appconfig \
	tests/unit/test_threshold \
	tests/unit/test_report \
	tests/unit/test_evaluate \
	tests/unit/test_options \
	tests/unit/test_starttls \
	tests/unit/test_path \
	tests/unit/test_net \
	tests/unit/test_tlsa \
	tests/unit/test_revocation

if HAVE_CHECK
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
else
TESTS += tests/unit/no-check.sh
endif
EXTRA_DIST += tests/unit/unit.h tests/unit/fixtures.h tests/unit/der_build.h tests/unit/no-check.sh

UNIT_LDADD = plugins/libtlspin.a $(CHECK_LIBS) $(LIBTLSPIN_LIBS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)

tests_unit_test_state_SOURCES = tests/unit/test_state.c tests/unit/tap_main.c
tests_unit_test_state_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_state_LDADD = $(UNIT_LDADD)
tests_unit_test_pins_SOURCES = tests/unit/test_pins.c tests/unit/tap_main.c
tests_unit_test_pins_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pins_LDADD = $(UNIT_LDADD)
tests_unit_test_appconfig_SOURCES = tests/unit/test_appconfig.c tests/unit/tap_main.c
tests_unit_test_appconfig_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_appconfig_LDADD = $(UNIT_LDADD)
tests_unit_test_threshold_SOURCES = tests/unit/test_threshold.c tests/unit/tap_main.c
tests_unit_test_threshold_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_threshold_LDADD = $(UNIT_LDADD)
tests_unit_test_report_SOURCES = tests/unit/test_report.c tests/unit/tap_main.c
tests_unit_test_report_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_report_LDADD = $(UNIT_LDADD)
tests_unit_test_evaluate_SOURCES = tests/unit/test_evaluate.c tests/unit/tap_main.c
tests_unit_test_evaluate_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_evaluate_LDADD = $(UNIT_LDADD)
tests_unit_test_options_SOURCES = tests/unit/test_options.c tests/unit/tap_main.c
tests_unit_test_options_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_options_LDADD = $(UNIT_LDADD)
tests_unit_test_starttls_SOURCES = tests/unit/test_starttls.c tests/unit/tap_main.c
tests_unit_test_starttls_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_starttls_LDADD = $(UNIT_LDADD)
tests_unit_test_path_SOURCES = tests/unit/test_path.c tests/unit/tap_main.c
tests_unit_test_path_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_path_LDADD = $(UNIT_LDADD)
tests_unit_test_net_SOURCES = tests/unit/test_net.c tests/unit/tap_main.c
tests_unit_test_net_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_net_LDADD = $(UNIT_LDADD)
tests_unit_test_tlsa_SOURCES = tests/unit/test_tlsa.c tests/unit/tap_main.c
tests_unit_test_tlsa_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_tlsa_LDADD = $(UNIT_LDADD)
tests_unit_test_revocation_SOURCES = tests/unit/test_revocation.c tests/unit/tap_main.c
tests_unit_test_revocation_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_revocation_LDADD = $(UNIT_LDADD)
