/*
 * check_tls_pin - certificate facts.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "cert.h"

#define CERT_FILE_MAX (4 * 1024 * 1024)

static void
cert_free(struct cert *ct)
{
	if (ct->crt)
		gnutls_x509_crt_deinit(ct->crt);
	free(ct->subject);
	free(ct->issuer);
	memset(ct, 0, sizeof(*ct));
}

void
chain_init(struct chain *c)
{
	memset(c, 0, sizeof(*c));
}

void
chain_free(struct chain *c)
{
	for (size_t i = 0; i < c->n; i++)
		cert_free(&c->v[i]);
	free(c->v);
	if (c->has_anchor)
		cert_free(&c->anchor);
	chain_init(c);
}

static char *
dn_text(gnutls_x509_crt_t crt, int issuer)
{
	gnutls_datum_t d = { NULL, 0 };
	char *s;
	int rc = issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &d, 0)
			: gnutls_x509_crt_get_dn3(crt, &d, 0);

	if (rc < 0) {
		/* An empty name is legal (RFC 5280 4.1.2.6, with a SAN instead). */
		return strdup("");
	}
	s = malloc(d.size + 1);
	if (s) {
		memcpy(s, d.data, d.size);
		s[d.size] = '\0';
	}
	gnutls_free(d.data);
	return s;
}

static void
describe_key(gnutls_x509_crt_t crt, char *out, size_t size)
{
	unsigned bits = 0;
	int pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);

	switch (pk) {
	case GNUTLS_PK_RSA:
		snprintf(out, size, "RSA %u", bits);
		break;
	case GNUTLS_PK_RSA_PSS:
		snprintf(out, size, "RSA-PSS %u", bits);
		break;
	case GNUTLS_PK_ECDSA:
		/* GnuTLS reports the curve's size; the NIST curves are told apart by it. */
		if (bits == 256 || bits == 384 || bits == 521)
			snprintf(out, size, "ECDSA P-%u", bits);
		else
			snprintf(out, size, "ECDSA %u", bits);
		break;
	case GNUTLS_PK_EDDSA_ED25519:
		snprintf(out, size, "Ed25519");
		break;
	case GNUTLS_PK_EDDSA_ED448:
		snprintf(out, size, "Ed448");
		break;
	default: {
		const char *name = pk >= 0 ? gnutls_pk_get_name((gnutls_pk_algorithm_t)pk) : NULL;
		snprintf(out, size, "%s %u", name ? name : "unknown", bits);
		break;
	}
	}
}

/* Takes ownership of crt and fills ct with its facts. */
static int
cert_fill(struct cert *ct, gnutls_x509_crt_t crt, const char *what, struct error *e)
{
	size_t size = PIN_LEN;
	time_t t;
	int rc, sig;

	memset(ct, 0, sizeof(*ct));
	ct->crt = crt;

	/* The key ID with SHA-256 is the hash of the DER SubjectPublicKeyInfo. */
	rc = gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, ct->pin, &size);
	if (rc < 0 || size != PIN_LEN)
		return error_set(e, STATE_CRITICAL, "%s: cannot read its public key: %s",
				 what, gnutls_strerror(rc));
	t = gnutls_x509_crt_get_activation_time(crt);
	if (t == (time_t)-1)
		return error_set(e, STATE_CRITICAL, "%s: unreadable notBefore date", what);
	ct->not_before = (int64_t)t;
	t = gnutls_x509_crt_get_expiration_time(crt);
	if (t == (time_t)-1)
		return error_set(e, STATE_CRITICAL, "%s: unreadable notAfter date", what);
	ct->not_after = (int64_t)t;

	ct->subject = dn_text(crt, 0);
	ct->issuer = dn_text(crt, 1);
	if (!ct->subject || !ct->issuer)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	describe_key(crt, ct->key, sizeof(ct->key));
	sig = gnutls_x509_crt_get_signature_algorithm(crt);
	ct->signature = sig >= 0 ? gnutls_sign_get_name((gnutls_sign_algorithm_t)sig) : NULL;
	if (!ct->signature)
		ct->signature = "unknown";
	ct->self_signed = gnutls_x509_crt_check_issuer(crt, crt) != 0;
	return 0;
}

static int
chain_alloc(struct chain *c, size_t n, struct error *e)
{
	c->v = calloc(n, sizeof(*c->v));
	if (!c->v)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	return 0;
}

int
chain_from_der(struct chain *c, const gnutls_datum_t *der, unsigned n, struct error *e)
{
	chain_init(c);
	if (n == 0)
		return error_set(e, STATE_CRITICAL, "the server sent no certificate");
	if (n > CHAIN_MAX)
		return error_set(e, STATE_CRITICAL,
				 "the server sent %u certificates, more than %d", n, CHAIN_MAX);
	if (chain_alloc(c, n, e) < 0)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		gnutls_x509_crt_t crt;
		char what[48];
		int rc;

		snprintf(what, sizeof(what), "certificate at depth %u", i);
		if (gnutls_x509_crt_init(&crt) < 0)
			return error_set(e, STATE_UNKNOWN, "out of memory");
		rc = gnutls_x509_crt_import(crt, &der[i], GNUTLS_X509_FMT_DER);
		if (rc < 0) {
			gnutls_x509_crt_deinit(crt);
			return error_set(e, STATE_CRITICAL, "%s is not valid X.509: %s",
					 what, gnutls_strerror(rc));
		}
		c->n = i + 1;
		if (cert_fill(&c->v[i], crt, what, e) < 0)
			return -1;
	}
	return 0;
}

static int
read_file(const char *path, gnutls_datum_t *out, struct error *e)
{
	struct stat st;
	size_t len = 0;
	int fd;

	out->data = NULL;
	out->size = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return error_set(e, STATE_UNKNOWN, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		error_set(e, STATE_UNKNOWN, "cannot read %s: %s", path,
			  S_ISDIR(st.st_mode) ? "is a directory" : strerror(errno));
		goto fail;
	}
	out->data = malloc(CERT_FILE_MAX + 1);
	if (!out->data) {
		error_set(e, STATE_UNKNOWN, "out of memory");
		goto fail;
	}
	while (len <= CERT_FILE_MAX) {
		ssize_t r = read(fd, out->data + len, CERT_FILE_MAX + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			error_set(e, STATE_UNKNOWN, "cannot read %s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > CERT_FILE_MAX) {
		error_set(e, STATE_UNKNOWN, "%s is larger than 4 MiB", path);
		goto fail;
	}
	if (len == 0) {
		error_set(e, STATE_UNKNOWN, "%s is empty", path);
		goto fail;
	}
	close(fd);
	out->size = (unsigned)len;
	return 0;
fail:
	free(out->data);
	out->data = NULL;
	close(fd);
	return -1;
}

int
chain_from_file(struct chain *c, const char *path, struct error *e)
{
	gnutls_datum_t data;
	gnutls_x509_crt_t *list = NULL;
	unsigned n = 0;
	int rc;

	chain_init(c);
	if (read_file(path, &data, e) < 0)
		return -1;
	if (memmem(data.data, data.size, "-----BEGIN", 10)) {
		rc = gnutls_x509_crt_list_import2(&list, &n, &data, GNUTLS_X509_FMT_PEM, 0);
	} else {
		list = gnutls_malloc(sizeof(*list));
		rc = list ? gnutls_x509_crt_init(&list[0]) : GNUTLS_E_MEMORY_ERROR;
		if (rc >= 0) {
			rc = gnutls_x509_crt_import(list[0], &data, GNUTLS_X509_FMT_DER);
			if (rc < 0)
				gnutls_x509_crt_deinit(list[0]);
			else
				n = 1;
		}
	}
	free(data.data);
	if (rc < 0 || n == 0) {
		gnutls_free(list);
		return error_set(e, STATE_UNKNOWN, "%s holds no readable certificate: %s",
				 path, rc < 0 ? gnutls_strerror(rc) : "none found");
	}
	rc = 0;
	if (n > CHAIN_MAX)
		rc = error_set(e, STATE_UNKNOWN, "%s holds %u certificates, more than %d",
			       path, n, CHAIN_MAX);
	else
		rc = chain_alloc(c, n, e);
	for (unsigned i = 0; i < n; i++) {
		char what[64];

		if (rc < 0) {
			gnutls_x509_crt_deinit(list[i]);
			continue;
		}
		snprintf(what, sizeof(what), "certificate %u in the file", i + 1);
		c->n = i + 1;
		rc = cert_fill(&c->v[i], list[i], what, e);
		if (rc < 0)
			e->state = STATE_UNKNOWN;
	}
	gnutls_free(list);
	return rc;
}

int
chain_set_anchor(struct chain *c, gnutls_x509_crt_t crt, struct error *e)
{
	if (c->has_anchor)
		cert_free(&c->anchor);
	c->has_anchor = true;
	return cert_fill(&c->anchor, crt, "trust anchor", e);
}
