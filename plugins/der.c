/*
 * check_tls_pin - minimal DER reader.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include "der.h"

int
der_read(const unsigned char *p, size_t avail, struct der *out, size_t *need)
{
	size_t hdr = 2, len;

	out->total = 0;
	if (need)
		*need = 0;
	if (avail < 2)
		return 0;
	if ((p[0] & 0x1f) == 0x1f)
		return -1;
	len = p[1];
	if (len & 0x80) {
		size_t nbytes = len & 0x7f;

		if (nbytes == 0 || nbytes > 3)
			return -1;
		hdr += nbytes;
		if (avail < hdr)
			return 0;
		len = 0;
		for (size_t i = 0; i < nbytes; i++)
			len = len << 8 | p[2 + i];
	}
	out->tag = p[0];
	out->val = p + hdr;
	out->len = len;
	out->total = hdr + len;
	if (need)
		*need = out->total;
	return avail >= out->total ? 1 : 0;
}

int
der_tbs_field(const unsigned char *cert, size_t len, enum tbs_field field,
	      const unsigned char **start, size_t *size)
{
	struct der c, tbs, el;
	const unsigned char *p;
	size_t left;

	/* A prefix of the certificate will do, when it holds the field. */
	if (der_read(cert, len, &c, NULL) < 0 || c.total == 0 || c.tag != 0x30)
		return c.total == 0 ? -2 : -1;
	left = len - (c.total - c.len);
	if (der_read(c.val, left < c.len ? left : c.len, &tbs, NULL) < 0 || tbs.total == 0 ||
	    tbs.tag != 0x30)
		return tbs.total == 0 ? -2 : -1;
	p = tbs.val;
	left -= tbs.total - tbs.len;
	if (left > tbs.len)
		left = tbs.len;
	for (int i = TBS_VERSION; i <= (int)field; i++) {
		int r = der_read(p, left, &el, NULL);

		if (r != 1)
			return r == 0 && el.total > 0 ? -2 : -1;
		if (i == TBS_VERSION && el.tag != 0xa0) {
			/* No version: v1, and this element is the serial. */
			if (field == TBS_VERSION)
				return -1;
			i++;
		}
		if (i == (int)field) {
			if (el.tag != (i == TBS_VERSION ? 0xa0 : i == TBS_SERIAL ? 0x02 : 0x30))
				return -1;
			*start = p;
			*size = el.total;
			return 0;
		}
		p += el.total;
		left -= el.total;
	}
	return -1;
}
