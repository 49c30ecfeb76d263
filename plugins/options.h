/*
 * check_tls_pin - the command line: every option parsed and validated once,
 * before any connection is made, and the usage and help texts.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_OPTIONS_H
#define CHECK_TLS_PIN_OPTIONS_H

#include <stdbool.h>

#include "appconfig.h"
#include "pins.h"
#include "starttls.h"
#include "state.h"
#include "threshold.h"

enum pin_scope { SCOPE_CHAIN, SCOPE_LEAF };

/* What --print-pins writes: a pin file, or a snippet of an app's configuration. */
enum pin_format { FORMAT_PINS, FORMAT_ANDROID, FORMAT_TRUSTKIT, FORMAT_ATS };
/* --revocation: what is asked besides the stapled OCSP response, always judged. */
enum revocation_mode { REVOCATION_STAPLE, REVOCATION_OCSP, REVOCATION_CRL, REVOCATION_ANY };

/* The most addresses one run checks, each on a thread of its own. */
#define OPTIONS_ADDRESSES_MAX 64

struct options {
	const char *host;	/* -H as given (NULL in --file mode without -H) */
	char *name;		/* -H in IDNA form, brackets removed; owned */
	bool host_is_ip;
	unsigned port;
	const char *address;	/* the one -I, brackets removed; NULL with several */
	char *addresses[OPTIONS_ADDRESSES_MAX];	/* every -I, owned */
	size_t naddresses;
	bool all_addresses;	/* --all-addresses */
	bool fleet;		/* several addresses: --all-addresses or -I repeated */
	bool max_validity;	/* --max-validity */
	long max_validity_days;	/* its DAYS; 0: the CA/Browser Forum schedule */
	int family;		/* AF_UNSPEC, AF_INET, AF_INET6 */
	char *sni;		/* name to send, NULL for none; owned */
	char *verify_name;	/* name the leaf must match, NULL for none; owned */
	struct threshold warn, crit;
	bool check_chain;
	struct pinset pins;
	enum pin_scope scope;
	bool require_backup;
	struct app_configs apps;	/* --app-config, each reduced to the entry for the name */
	int64_t pin_expiry_warn;	/* --pin-expiry-warning, in seconds */
	enum pin_format format;		/* --format */
	const char *app_name;		/* the name the apps connect to: --sni, else -H */
	const char *ca_file;
	bool no_verify;
	const char *priority;
	double timeout;
	enum state timeout_state;
	bool print_pins;
	int verbose;
	const char *file;	/* --file */
	enum starttls_proto starttls;
	const char *ehlo;	/* --ehlo */
	const char *xmpp_domain; /* --xmpp-domain, or the -H name for XMPP */
	bool dane;		/* --dane */
	char *dns_server;	/* --dns-server as libunbound takes it, "ADDR[@PORT]"; owned */
	const char *dnssec_anchor;	/* --dnssec-anchor */
	bool print_tlsa;	/* --print-tlsa */
	enum revocation_mode revocation;	/* --revocation; STAPLE without it */
	enum state revocation_unavailable;	/* --revocation-unavailable (WARNING) */
	const char *crl_cache;	/* --crl-cache DIR, a directory we may write to */
};

enum options_action { OPTIONS_RUN, OPTIONS_HELP, OPTIONS_VERSION };

/*
 * Parses argv into o (which options_free releases, whatever the result),
 * reading --pin-file, checking that --file and --ca-file can be opened as
 * regular files and that --crl-cache is a directory we may write to. Returns an action, or -1 with e (UNKNOWN) holding one line
 * that names the offending argument.
 */
int options_parse(int argc, char **argv, struct options *o, struct error *e);
void options_free(struct options *o);

/* The one-line synopsis, and the full --help text (without the version line). */
extern const char options_usage[];
extern const char options_help[];

#endif
