/*
 * check_tls_pin - a minimal, bounded reader of DER/BER elements (X.690 8.1),
 * for the few places that need raw bytes rather than a parsed structure: the
 * exact SubjectPublicKeyInfo of a certificate, and the LDAP StartTLS answer.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_DER_H
#define CHECK_TLS_PIN_DER_H

#include <stddef.h>

struct der {
	unsigned char tag;
	const unsigned char *val;	/* the content, inside the input */
	size_t len;			/* the content's length */
	size_t total;			/* tag, length and content */
};

/*
 * Reads the element at p (avail bytes). Returns 1 when it is complete, 0 when
 * more bytes are needed (with *need, when not NULL, set to the element's whole
 * size once its length is known, else 0), -1 when it is not DER we accept:
 * multi-byte tags, indefinite lengths or lengths of more than 3 bytes.
 */
int der_read(const unsigned char *p, size_t avail, struct der *out, size_t *need);

#endif
