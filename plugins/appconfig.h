/*
 * check_tls_pin - pins where the apps keep them: an Android Network
 * Security Configuration (TrustKit for Android's additions included), an
 * Apple property list with TrustKit's or App Transport Security's pinned
 * domains. Each file is read once, at option time, and reduced to the one
 * entry the platform would apply to the name the app connects to; each
 * check then judges the path against that entry by the platform's rules.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_APPCONFIG_H
#define CHECK_TLS_PIN_APPCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pins.h"
#include "state.h"

/* The most configurations one run reads (--app-config repeated). */
#define APPCONFIG_MAX 16
/* The largest configuration file read. */
#define APPCONFIG_FILE_MAX (1024 * 1024)

enum app_kind { APP_ANDROID, APP_TRUSTKIT, APP_ATS };

/* Which certificates of the path a pin may match, as the platform checks it. */
enum app_role {
	APP_ROLE_ANY,	/* Android, TrustKit: any, the trust anchor included */
	APP_ROLE_LEAF,	/* ATS NSPinnedLeafIdentities: the leaf only */
	APP_ROLE_CA	/* ATS NSPinnedCAIdentities: any but the leaf */
};

struct app_pin {
	unsigned char digest[PIN_LEN];
	enum app_role role;
};

struct path;

/* One configuration, as it applies to the checked name. */
struct app_config {
	char *file;		/* the path given, owned */
	const char *base;	/* its last component, for messages */
	enum app_kind kind;
	char *entry;		/* the domain of the entry that applies, owned */
	unsigned long line;	/* where that entry is (XML); 0 when unknown */
	struct app_pin *pins;	/* the entry's pins (inherited ones included), owned */
	size_t npins, nleaf, nca;	/* ATS: how many of them are leaf and CA identities */
	bool enforce;		/* false: the app only reports a mismatch */
	const char *enforce_key;	/* the setting that says so, for messages */
	bool expires;		/* the pin-set has an expiration date */
	int64_t expiration;	/* 00:00 UTC of that date: the app stops pinning then */
};

struct app_configs {
	struct app_config v[APPCONFIG_MAX];
	size_t n;
};

void appconfig_init(struct app_configs *list);
void appconfig_free(struct app_configs *list);

/*
 * Reads the configuration file path (at most APPCONFIG_FILE_MAX bytes), the
 * format recognised from its content, and appends the configurations it
 * holds for name (a DNS name, the one the app connects to): one for an
 * Android file; for a property list, TrustKit's and ATS's, each when
 * present and one of them applies to name. Returns 0, or -1 with e
 * (UNKNOWN) naming the file, and for XML the line: a file that cannot be
 * read, is malformed, breaks a rule the platform enforces at start-up
 * (TrustKit's backup pin, Android's one pin-set per domain-config, ...),
 * or has no entry that applies to name.
 */
int appconfig_load(struct app_configs *list, const char *path, const char *name,
		   struct error *e);

/* The same for len bytes of content, the file called path in messages. */
int appconfig_parse(struct app_configs *list, const char *path, const char *buf, size_t len,
		    const char *name, struct error *e);

/* "android", "trustkit" or "ats". */
const char *appconfig_kind_name(enum app_kind kind);

/* A configuration's verdict on one path. */
struct app_verdict {
	enum state state;
	bool matched;		/* the platform accepts the path */
	long pin;		/* the matching pin nearest the leaf (ATS: a leaf identity), -1: none */
	long depth;		/* its depth on the path */
	long ca_pin, ca_depth;	/* ATS with both kinds: the matching CA identity, -1: none */
	bool leaf_ok, ca_ok;	/* ATS: whether each kind present matched */
	size_t served;		/* pins of the entry found within their role */
	bool no_backup;		/* --require-backup-pin and every pin served */
	bool expired;		/* the pin-set's date has passed: the app no longer pins */
	bool expiring;		/* it passes within the warning time */
};

/*
 * Judges path p (at least the leaf) against c at time now: a mismatch is
 * CRITICAL, or WARNING when the app only reports it or its pin-set has
 * expired; an expired pin-set, or one expiring within expiry_warn seconds,
 * is WARNING; with require_backup, every pin served is WARNING.
 */
void appconfig_evaluate(const struct app_config *c, const struct path *p, int64_t now,
			int64_t expiry_warn, bool require_backup, struct app_verdict *v);

/*
 * Whether the leaf alone settles every configuration of list: each has a
 * pin the leaf matches within its role, ATS needs no CA identity, and
 * require_backup does not ask whether the others are served.
 */
bool appconfig_leaf_decides(const struct app_configs *list, const unsigned char leaf[PIN_LEN],
			    bool require_backup);

#endif
