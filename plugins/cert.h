/*
 * check_tls_pin - the facts of the certificates a server presented (or a file
 * holds): validity, names, SPKI pin, key and signature algorithm.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_CERT_H
#define CHECK_TLS_PIN_CERT_H

#include <stdbool.h>
#include <stdint.h>

#include <gnutls/x509.h>

#include "pins.h"
#include "state.h"

/* More certificates than any real chain has; a peer that sends more is refused. */
#define CHAIN_MAX 32

struct cert {
	gnutls_x509_crt_t crt;		/* owned */
	int64_t not_before, not_after;	/* seconds since the epoch, UTC */
	unsigned char pin[PIN_LEN];	/* SHA-256 of the DER SubjectPublicKeyInfo */
	char *subject, *issuer;		/* RFC 4514 text, owned, unescaped */
	char key[24];			/* "RSA 2048", "ECDSA P-256", "Ed25519" */
	const char *signature;		/* "RSA-SHA256", static */
	/*
	 * The certificate exactly as encoded, owned, and where its
	 * SubjectPublicKeyInfo lies in it: what TLSA records select (RFC 6698
	 * 2.1.2). NULL in hand-made test certificates.
	 */
	unsigned char *der;
	size_t der_len, spki_off, spki_len;
	gnutls_datum_t staple;		/* the OCSP response stapled for it, owned; size 0: none */
};

/* The certificates in the order presented, leaf first (see path.h for their path). */
struct chain {
	struct cert *v;
	size_t n;
};

void chain_init(struct chain *c);
void chain_free(struct chain *c);

/*
 * Fills c from n DER certificates (n >= 1, at most CHAIN_MAX). The data is
 * copied. Returns 0, or -1 with e naming the certificate that failed and why;
 * failures are CRITICAL (the peer sent something unusable).
 */
int chain_from_der(struct chain *c, const gnutls_datum_t *der, unsigned n,
		   struct error *e);

/*
 * Fills c from a local PEM file (one or more certificates, leaf first, text
 * between them ignored) or a DER file holding one certificate. At most 4 MiB.
 * Unreadable or unparsable input is UNKNOWN, naming the file.
 */
int chain_from_file(struct chain *c, const char *path, struct error *e);

/*
 * Copies staple as the OCSP response stapled for ct (see struct cert).
 * Returns 0, or -1 with e (UNKNOWN) when memory ran out.
 */
int cert_keep_staple(struct cert *ct, const gnutls_datum_t *staple, struct error *e);

/* The same, from len bytes of a file's content (at most 4 MiB). */
int chain_from_buffer(struct chain *c, const char *buf, size_t len, struct error *e);

/*
 * Fills ct from one DER certificate (copied), the certificate called what;
 * cert_free releases it, also after a failure. Returns 0, or -1 with e: in
 * state bad when the bytes are not a certificate.
 */
int cert_from_der(struct cert *ct, const gnutls_datum_t *der, const char *what,
		  enum state bad, struct error *e);
void cert_free(struct cert *ct);

/*
 * Whether spki (a DER SubjectPublicKeyInfo, len bytes: what a pin hashes) is
 * the key GnuTLS took from crt, the one the handshake and every signature
 * check use. A certificate that reads two ways would let a pin match one key
 * while the server holds another. RSA, ECDSA and EdDSA keys are compared by
 * their numbers; others as GnuTLS encodes both (its encoding of the key it
 * holds may differ from the certificate's, as for RSA-PSS parameters).
 */
bool cert_spki_agrees(gnutls_x509_crt_t crt, const unsigned char *spki, size_t len);

#endif
