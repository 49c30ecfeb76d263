/*
 * check_tls_pin - what the readers of app configurations share: one per
 * format family (appconfig_android.c, appconfig_apple.c), each reducing its
 * file to the entry that applies to a name, with the helpers below. Not
 * for use outside the appconfig module.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_APPCONFIG_READ_H
#define CHECK_TLS_PIN_APPCONFIG_READ_H

#include <libxml/tree.h>

#include "appconfig.h"
#include "ptree.h"

/* The longest domain name, and the longest text a reader takes from a file. */
#define APPCONFIG_NAME_MAX 253
#define APPCONFIG_TEXT_MAX 1024
/*
 * More domains in one file, or pins in one entry, than any app has: refused,
 * so that no file makes the readers' pairwise checks slow.
 */
#define APPCONFIG_DOMAINS_MAX 4096
#define APPCONFIG_PINS_MAX 256

/*
 * How an entry for domain (include_subdomains as it says) covers name, both
 * compared without case and without a trailing dot: 0 not at all; an exact
 * match scores above every parent; a parent with include_subdomains scores
 * its length, so that the most specific parent wins.
 */
size_t appconfig_score(const char *domain, bool include_subdomains, const char *name,
		       bool exact_case);

/*
 * Whether text (len bytes) is a domain name a configuration may hold:
 * 1 to 253 bytes of letters, digits, '-', '_' and '.', optionally one
 * trailing dot.
 */
bool appconfig_domain_ok(const char *text);

/* Parses "yyyy-MM-dd" strictly into 00:00 UTC of that day. Returns 0 or -1. */
int appconfig_date(const char *text, int64_t *out);

/*
 * Starts *c for path's kind and the entry domain (copied, a trailing dot
 * dropped) at line; enforce true, no pins, no expiration. Returns 0 or -1
 * (memory).
 */
int appconfig_start(struct app_config *c, const char *path, enum app_kind kind,
		    const char *domain, unsigned long line, struct error *e);

/*
 * Adds a pin to c (a repeated digest and role counts once). Returns 0, or
 * -1 with e: memory, or more than APPCONFIG_PINS_MAX pins.
 */
int appconfig_add_pin(struct app_config *c, const unsigned char digest[PIN_LEN],
		      enum app_role role, struct error *e);

/* Releases what c owns. */
void appconfig_clear(struct app_config *c);

/*
 * The readers: each appends to list what the document holds for name, or
 * fails with e naming path (and the line where there is one). Neither
 * appends when it fails.
 */
int appconfig_read_android(struct app_configs *list, const char *path, xmlDocPtr doc,
			   const char *name, struct error *e);
int appconfig_read_apple(struct app_configs *list, const char *path, const struct ptree *root,
			 const char *name, struct error *e);

#endif
