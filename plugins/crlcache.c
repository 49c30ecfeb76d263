/*
 * check_tls_pin - the CRL cache.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "crlcache.h"
#include "file.h"
#include "revocation.h"

/* dir/crl-<hex SHA-256 of url>.der into out. */
static int
entry_path(const char *dir, const char *url, char *out, size_t size)
{
	unsigned char digest[32];
	char hex[65];
	int n;

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, url, strlen(url), digest) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	n = snprintf(out, size, "%s/crl-%s.der", dir, hex);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int
crlcache_load(const char *dir, const char *url, unsigned char **data, size_t *len)
{
	char path[4096];
	struct error e;
	char *buf;

	*data = NULL;
	*len = 0;
	if (entry_path(dir, url, path, sizeof(path)) < 0 ||
	    file_read(path, "cached CRL", REVOCATION_CRL_MAX, &buf, len, &e) < 0)
		return -1;
	*data = (unsigned char *)buf;
	return 0;
}

int
crlcache_store(const char *dir, const char *url, const unsigned char *data, size_t len,
	       struct error *e)
{
	char path[4096], tmp[4096];
	size_t done = 0;
	int fd, n;

	n = snprintf(tmp, sizeof(tmp), "%s/.crl-XXXXXX", dir);
	if (n < 0 || (size_t)n >= sizeof(tmp) || entry_path(dir, url, path, sizeof(path)) < 0)
		return error_set(e, STATE_UNKNOWN, "--crl-cache %s: the path is too long", dir);
	fd = mkstemp(tmp);
	if (fd < 0)
		return error_set(e, STATE_UNKNOWN, "--crl-cache %s: %s", dir, strerror(errno));
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		done += (size_t)w;
	}
	/* CRLs are public: other users' checks may read them too. */
	if (fchmod(fd, 0644) < 0 || fsync(fd) < 0)
		goto fail;
	n = close(fd);
	fd = -1;
	if (n < 0)
		goto fail;
	if (rename(tmp, path) < 0)
		goto fail;
	return 0;
fail:
	error_set(e, STATE_UNKNOWN, "--crl-cache %s: %s", dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}
