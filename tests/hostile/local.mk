# The hostile-peer suite (issue 5): scripted peers and real servers on
# loopback that stall, hang up, reset, speak another protocol or serve
# hostile certificates, and hostile local files. Each case checks its exit
# code and first line, a wall-clock bound (-t + 1 s), a memory bound (peak
# RSS, by GNU time) and the output invariants of tests/hostile/common.sh.
# `make check-hostile` runs only these.
HOSTILE_TESTS = \
	tests/hostile/tls.sh \
	tests/hostile/starttls.sh \
	tests/hostile/certs.sh \
	tests/hostile/files.sh \
	tests/hostile/forgery.sh

TESTS += $(HOSTILE_TESTS)
EXTRA_DIST += tests/hostile/common.sh $(HOSTILE_TESTS)

check-hostile:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(HOSTILE_TESTS)'
.PHONY: check-hostile
