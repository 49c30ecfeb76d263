# libFuzzer harnesses, one per parser of untrusted or user input. Built with
# ./configure CC=clang --enable-fuzzing; "make fuzz" runs each for
# FUZZ_SECONDS from the seed corpus in tests/fuzz/corpus/NAME (the inputs it
# finds go to fuzz-corpus/NAME in the build tree, the tree's seeds stay as
# they are). A crash stops make with the input that caused it. fuzz_anchors
# is differential: the anchor index against GnuTLS loading the same file;
# its dictionary (tests/fuzz/NAME.dict, used when there is one) holds the
# PEM pieces whose combinations GnuTLS reads in surprising ways.
FUZZ_TARGETS = fuzz_pins fuzz_threshold fuzz_starttls fuzz_cert fuzz_escape fuzz_print_pins \
	fuzz_anchors fuzz_tlsa fuzz_appconfig_xml fuzz_appconfig_bplist \
	fuzz_revocation
FUZZ_SECONDS = 60

EXTRA_DIST += tests/fuzz/fuzz_pins.c tests/fuzz/fuzz_threshold.c tests/fuzz/fuzz_starttls.c \
	tests/fuzz/fuzz_cert.c tests/fuzz/fuzz_escape.c tests/fuzz/fuzz_print_pins.c \
	tests/fuzz/fuzz_anchors.c tests/fuzz/fuzz_tlsa.c tests/fuzz/fuzz_appconfig.c \
	tests/fuzz/fuzz_revocation.c tests/fuzz/fuzz_report.h tests/fuzz/corpus tests/fuzz/fuzz_anchors.dict

if ENABLE_FUZZING
noinst_PROGRAMS = tests/fuzz/fuzz_pins tests/fuzz/fuzz_threshold tests/fuzz/fuzz_starttls \
	tests/fuzz/fuzz_cert tests/fuzz/fuzz_escape tests/fuzz/fuzz_print_pins tests/fuzz/fuzz_anchors \
	tests/fuzz/fuzz_tlsa tests/fuzz/fuzz_appconfig_xml tests/fuzz/fuzz_appconfig_bplist \
	tests/fuzz/fuzz_revocation
FUZZ_LDADD = plugins/libtlspin.a $(LIBTLSPIN_LIBS)
tests_fuzz_fuzz_pins_SOURCES = tests/fuzz/fuzz_pins.c
tests_fuzz_fuzz_pins_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_pins_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_threshold_SOURCES = tests/fuzz/fuzz_threshold.c
tests_fuzz_fuzz_threshold_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_threshold_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_starttls_SOURCES = tests/fuzz/fuzz_starttls.c
tests_fuzz_fuzz_starttls_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_starttls_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_cert_SOURCES = tests/fuzz/fuzz_cert.c
tests_fuzz_fuzz_cert_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_cert_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_escape_SOURCES = tests/fuzz/fuzz_escape.c
tests_fuzz_fuzz_escape_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_escape_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_print_pins_SOURCES = tests/fuzz/fuzz_print_pins.c
tests_fuzz_fuzz_print_pins_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_print_pins_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_anchors_SOURCES = tests/fuzz/fuzz_anchors.c
tests_fuzz_fuzz_anchors_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_anchors_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_tlsa_SOURCES = tests/fuzz/fuzz_tlsa.c
tests_fuzz_fuzz_tlsa_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_tlsa_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
# One source, two readers: FUZZ_BPLIST makes every input a binary property list.
tests_fuzz_fuzz_appconfig_xml_SOURCES = tests/fuzz/fuzz_appconfig.c
tests_fuzz_fuzz_appconfig_xml_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_appconfig_xml_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_appconfig_bplist_SOURCES = tests/fuzz/fuzz_appconfig.c
tests_fuzz_fuzz_appconfig_bplist_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_BPLIST
tests_fuzz_fuzz_appconfig_bplist_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_appconfig_bplist_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_revocation_SOURCES = tests/fuzz/fuzz_revocation.c
tests_fuzz_fuzz_revocation_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_revocation_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)

fuzz: $(noinst_PROGRAMS)
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p fuzz-corpus/$$t; \
		echo "== $$t, $(FUZZ_SECONDS) s"; \
		dict=$(srcdir)/tests/fuzz/$$t.dict; test -f $$dict || dict=; \
		tests/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-print_final_stats=1 $${dict:+-dict=$$dict} fuzz-corpus/$$t \
			$(srcdir)/tests/fuzz/corpus/$$t; \
	done
else
fuzz:
	@echo "make fuzz: configure with CC=clang --enable-fuzzing first" >&2; exit 1
endif
.PHONY: fuzz
CLEANFILES += -r fuzz-corpus
