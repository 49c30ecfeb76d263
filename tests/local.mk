# Every test speaks TAP: the Check suites through srunner_set_tap, the
# integration scripts directly.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TEST_EXTENSIONS = .sh
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = bash
AM_TESTS_ENVIRONMENT = \
	PLUGIN='$(abs_top_builddir)/plugins/check_tls_pin'; export PLUGIN; \
	TESTS_SRCDIR='$(abs_top_srcdir)/tests'; export TESTS_SRCDIR; \
	TESTS_BUILDDIR='$(abs_top_builddir)/tests'; export TESTS_BUILDDIR;

include tests/unit/local.mk
include tests/integration/local.mk

# make demo: the README's first taste of the plugin against a local server.
EXTRA_DIST += tests/demo.sh
demo: plugins/check_tls_pin
	@PLUGIN='$(abs_top_builddir)/plugins/check_tls_pin' bash $(top_srcdir)/tests/demo.sh
.PHONY: demo

TESTS += tests/docs.sh tests/quickstart.sh
EXTRA_DIST += tests/docs.sh tests/quickstart.sh
include tests/fuzz/local.mk

# make check-valgrind: the integration scripts that make no timing claims,
# with the plugin under valgrind's memcheck; any error or definite leak fails.
VALGRIND_TESTS = tests/integration/expiry.sh tests/integration/trust.sh \
	tests/integration/pins.sh tests/integration/keys.sh tests/integration/file.sh \
	tests/integration/output.sh
EXTRA_DIST += tests/valgrind-plugin.sh
check-valgrind: plugins/check_tls_pin
	rm -rf valgrind-logs && mkdir valgrind-logs
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(VALGRIND_TESTS)' \
		AM_TESTS_ENVIRONMENT='REAL_PLUGIN=$(abs_top_builddir)/plugins/check_tls_pin; export REAL_PLUGIN; VALGRIND_LOGDIR=$(abs_top_builddir)/valgrind-logs; export VALGRIND_LOGDIR; PLUGIN=$(abs_top_srcdir)/tests/valgrind-plugin.sh; export PLUGIN; TESTS_SRCDIR=$(abs_top_srcdir)/tests; export TESTS_SRCDIR;'
	@if grep -l -E 'ERROR SUMMARY: [1-9]|definitely lost: [1-9]' valgrind-logs/*.log; then \
		echo "check-valgrind: memcheck found errors (logs above)"; exit 1; fi
	@echo "check-valgrind: no memcheck errors in $$(ls valgrind-logs | wc -l) runs"
.PHONY: check-valgrind
CLEANFILES += -r valgrind-logs
include tests/hostile/local.mk
