/*
 * check_tls_pin - the --crl-cache directory: a CRL kept per URL, so that a
 * check every few minutes does not download it every time. What is read
 * back is judged again like a download, never trusted for being there.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_CRLCACHE_H
#define CHECK_TLS_PIN_CRLCACHE_H

#include <stddef.h>

#include "state.h"

/*
 * The CRL kept in dir for url (the file crl-<SHA-256 of url, hex>.der, a
 * name no URL can steer out of dir): 0 with *data (malloc'd) and *len, or
 * -1 when there is none, or it is no regular file or larger than a CRL may
 * be.
 */
int crlcache_load(const char *dir, const char *url, unsigned char **data, size_t *len);

/*
 * Keeps len bytes as the CRL of url in dir: written to a new temporary file
 * in dir, then renamed over the old one, so that a reader (another check
 * running at the same time) sees the old file or the new one, whole.
 * Returns 0, or -1 with e.
 */
int crlcache_store(const char *dir, const char *url, const unsigned char *data, size_t len,
		   struct error *e);

#endif
