/*
 * check_tls_pin - minimal DER reader.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdbool.h>

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

/*
 * The header of the element at p, in a walk that may end before the element
 * does: 0 when the header is complete and its tag is tag, -2 when p ends
 * inside the header, -1 otherwise.
 */
static int
header(const unsigned char *p, size_t avail, unsigned char tag, struct der *out)
{
	if (der_read(p, avail, out, NULL) < 0)
		return -1;
	if (out->total == 0)
		return -2;
	return out->tag == tag ? 0 : -1;
}

/*
 * Whether the version element el is one INTEGER and nothing else. GnuTLS
 * reads the version by the INTEGER in it, whatever length the [0] around it
 * gives: a walk by that length would take other bytes for the later fields.
 */
static bool
one_integer(const struct der *el)
{
	struct der v;

	return der_read(el->val, el->len, &v, NULL) == 1 && v.tag == 0x02 && v.total == el->len;
}

int
der_tbs_field(const unsigned char *cert, size_t len, enum tbs_field field,
	      const unsigned char **start, size_t *size)
{
	struct der c, tbs, el;
	const unsigned char *p;
	size_t left;
	int r;

	/* A prefix of the certificate will do, when it holds the field. */
	if ((r = header(cert, len, 0x30, &c)) < 0)
		return r;
	left = len - (c.total - c.len);
	if (left > c.len)
		left = c.len;
	if ((r = header(c.val, left, 0x30, &tbs)) < 0)
		return r;
	p = tbs.val;
	left -= tbs.total - tbs.len;
	if (left > tbs.len)
		left = tbs.len;
	for (int i = TBS_VERSION; i <= (int)field; i++) {
		r = der_read(p, left, &el, NULL);
		if (r != 1)
			return r == 0 ? -2 : -1;
		if (i == TBS_VERSION && el.tag != 0xa0) {
			/* No version: v1, and this element is the serial. */
			if (field == TBS_VERSION)
				return -1;
			i++;
		}
		if (el.tag != (i == TBS_VERSION ? 0xa0 : i == TBS_SERIAL ? 0x02 : 0x30))
			return -1;
		if (i == TBS_VERSION && !one_integer(&el))
			return -1;
		if (i == (int)field) {
			*start = p;
			*size = el.total;
			return 0;
		}
		p += el.total;
		left -= el.total;
	}
	return -1;
}
