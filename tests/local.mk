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

TESTS += tests/docs.sh
EXTRA_DIST += tests/docs.sh
