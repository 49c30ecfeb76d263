# Integration tests: real TLS servers (gnutls-serv, openssl s_server) on
# loopback, certificates made at test time by certtool. Each script is a TAP
# producer run by bash with PLUGIN and TESTS_SRCDIR from tests/local.mk; a
# script whose tools are missing reports SKIP.
INTEGRATION_TESTS = \
	tests/integration/expiry.sh \
	tests/integration/trust.sh \
	tests/integration/pins.sh \
	tests/integration/appconfig.sh \
	tests/integration/keys.sh \
	tests/integration/file.sh \
	tests/integration/connection.sh \
	tests/integration/output.sh \
	tests/integration/fleet.sh \
	tests/integration/dane.sh

TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += tests/integration/lib.sh tests/integration/dns-lib.sh $(INTEGRATION_TESTS)

# The trust module's verdict through the anchor index and with every anchor
# loaded, side by side: anchors.sh compares them.
check_PROGRAMS += tests/integration/trust_verdict
tests_integration_trust_verdict_SOURCES = tests/integration/trust_verdict.c
tests_integration_trust_verdict_LDADD = plugins/libtlspin.a $(LIBTLSPIN_LIBS)
TESTS += tests/integration/anchors.sh
EXTRA_DIST += tests/integration/anchors.sh

# Revocation: staples, OCSP responders and CRLs, real ones (openssl ocsp,
# openssl ca, nginx) and, for what no real tool makes on demand (a stale
# staple), mk_ocsp.
check_PROGRAMS += tests/integration/mk_ocsp
tests_integration_mk_ocsp_SOURCES = tests/integration/mk_ocsp.c
tests_integration_mk_ocsp_LDADD = $(GNUTLS_LIBS)
REVOCATION_TESTS = \
	tests/integration/revocation.sh \
	tests/integration/crl.sh
TESTS += $(REVOCATION_TESTS)
EXTRA_DIST += $(REVOCATION_TESTS)

# STARTTLS against real servers, one script per family of servers.
STARTTLS_TESTS = \
	tests/integration/starttls-mail.sh \
	tests/integration/starttls-db.sh \
	tests/integration/starttls-misc.sh \
	tests/integration/starttls-peers.sh
TESTS += $(STARTTLS_TESTS)
EXTRA_DIST += $(STARTTLS_TESTS)

# The definitions of contrib/ in real engines (Icinga 2 alone and as a
# master with a satellite, Nagios 4), each with a private configuration, and
# checked against the plugin's options.
ENGINE_TESTS = \
	tests/integration/icinga2.sh \
	tests/integration/icinga2-distributed.sh \
	tests/integration/nagios.sh \
	tests/integration/contrib.sh
TESTS += $(ENGINE_TESTS)
EXTRA_DIST += tests/integration/engines-lib.sh $(ENGINE_TESTS)

# Every command the README, the man page and --help show, run as written
# against test servers (the mapping is in the script's header).
TESTS += tests/integration/examples.sh
EXTRA_DIST += tests/integration/examples.sh
