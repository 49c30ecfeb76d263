# The modules live in a convenience library that the plugin and every unit
# test link, so tests exercise exactly the code that ships.
noinst_LIBRARIES += plugins/libtlspin.a
plugins_libtlspin_a_SOURCES = \
	plugins/state.c plugins/state.h \
	plugins/options.c plugins/options.h \
	plugins/net.c plugins/net.h \
	plugins/tls.c plugins/tls.h \
	plugins/starttls.c plugins/starttls.h \
	plugins/cert.c plugins/cert.h \
	plugins/path.c plugins/path.h \
	plugins/der.c plugins/der.h \
	plugins/file.c plugins/file.h \
	plugins/anchors.c plugins/anchors.h \
	plugins/trust.c plugins/trust.h \
	plugins/revocation.c plugins/revocation.h \
	plugins/fetch.c plugins/fetch.h \
	plugins/crlcache.c plugins/crlcache.h \
	plugins/revcheck.c plugins/revcheck.h \
	plugins/pins.c plugins/pins.h \
	plugins/tlsa.c plugins/tlsa.h \
	plugins/dane.c plugins/dane.h \
	plugins/xml.c plugins/xml.h \
	plugins/ptree.c plugins/ptree.h \
	plugins/appconfig.c plugins/appconfig.h plugins/appconfig_read.h \
	plugins/appconfig_android.c plugins/appconfig_apple.c \
	plugins/threshold.c plugins/threshold.h \
	plugins/evaluate.c plugins/evaluate.h \
	plugins/probe.c plugins/probe.h \
	plugins/fleet.c plugins/fleet.h \
	plugins/snippet.c plugins/snippet.h \
	plugins/report.c plugins/report.h

plugin_PROGRAMS += plugins/check_tls_pin
plugins_check_tls_pin_SOURCES = plugins/check_tls_pin.c
plugins_check_tls_pin_LDADD = plugins/libtlspin.a $(LIBTLSPIN_LIBS)

dist_man1_MANS = plugins/check_tls_pin.1
