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
 * size once its length is known, else 0; out is filled once its header is
 * complete, else out->total is 0), -1 when it is not DER we accept:
 * multi-byte tags, indefinite lengths or lengths of more than 3 bytes.
 */
int der_read(const unsigned char *p, size_t avail, struct der *out, size_t *need);

/* The fields of a certificate's tbsCertificate (RFC 5280 4.1), in order. */
enum tbs_field {
	TBS_VERSION, TBS_SERIAL, TBS_SIGNATURE, TBS_ISSUER, TBS_VALIDITY,
	TBS_SUBJECT, TBS_SPKI
};

/*
 * Finds field in the DER certificate cert (len bytes): *start and *size then
 * cover the field's whole element, tag and length included, exactly as
 * encoded. A version-1 certificate has no TBS_VERSION. cert may be only the
 * first len bytes of a certificate. Returns 0; -2 when cert ends before the
 * field does; -1 when it is not a certificate up to that field: a field up
 * to it whose tag is not the one RFC 5280 gives it, or a version that is
 * more or less than its INTEGER.
 */
int der_tbs_field(const unsigned char *cert, size_t len, enum tbs_field field,
		  const unsigned char **start, size_t *size);

#endif
