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
