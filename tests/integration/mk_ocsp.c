/*
 * mk_ocsp: an OCSP response no real responder makes on demand, for the
 * stapling servers of tests/integration: one whose thisUpdate and
 * nextUpdate are any time, stale ones included.
 *
 *   mk_ocsp CERT ISSUER SIGNER SIGNER_KEY good|revoked|unknown THIS NEXT > OUT
 *
 * CERT, ISSUER and SIGNER are PEM certificates, SIGNER_KEY the signer's
 * ECDSA key in PEM; THIS and NEXT are seconds from now (NEXT 0: no
 * nextUpdate). A revoked answer is revoked an hour ago, keyCompromise. The
 * DER response goes to stdout.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../unit/der_build.h"

static gnutls_datum_t
slurp(const char *path)
{
	gnutls_datum_t d = { NULL, 0 };

	if (gnutls_load_file(path, &d) < 0) {
		fprintf(stderr, "mk_ocsp: cannot read %s\n", path);
		exit(1);
	}
	return d;
}

static gnutls_x509_crt_t
crt_of(const char *path)
{
	gnutls_datum_t d = slurp(path);
	gnutls_x509_crt_t crt;

	if (gnutls_x509_crt_init(&crt) < 0 || gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM) < 0) {
		fprintf(stderr, "mk_ocsp: %s is not a PEM certificate\n", path);
		exit(1);
	}
	gnutls_free(d.data);
	return crt;
}

/* A number of seconds, signed, whole. */
static long
seconds(const char *text)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (*text == '\0' || *end != '\0') {
		fprintf(stderr, "mk_ocsp: '%s' is not a number of seconds\n", text);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	struct db_single s;
	gnutls_x509_crt_t signer;
	gnutls_privkey_t key;
	gnutls_datum_t kd;
	struct dbuf der;
	int64_t now = (int64_t)time(NULL);
	long next;

	if (argc != 8) {
		fprintf(stderr, "usage: mk_ocsp CERT ISSUER SIGNER SIGNER_KEY good|revoked|unknown "
			"THIS NEXT > OUT\n");
		return 2;
	}
	memset(&s, 0, sizeof(s));
	s.crt = crt_of(argv[1]);
	s.issuer = crt_of(argv[2]);
	if (strcmp(argv[5], "good") == 0)
		s.status = DB_GOOD;
	else if (strcmp(argv[5], "revoked") == 0)
		s.status = DB_REVOKED;
	else if (strcmp(argv[5], "unknown") == 0)
		s.status = DB_UNKNOWN;
	else
		return 2;
	s.this_update = now + seconds(argv[6]);
	next = seconds(argv[7]);
	s.next_update = next ? now + next : 0;
	s.revoked_at = now - 3600;
	s.reason = 1;
	kd = slurp(argv[4]);
	if (gnutls_privkey_init(&key) < 0 ||
	    gnutls_privkey_import_x509_raw(key, &kd, GNUTLS_X509_FMT_PEM, NULL, 0) < 0) {
		fprintf(stderr, "mk_ocsp: %s is not a PEM private key\n", argv[4]);
		return 1;
	}
	signer = crt_of(argv[3]);
	der = db_ocsp(&s, 1, signer, key, NULL, false);
	if (fwrite(der.p, 1, der.n, stdout) != der.n || fflush(stdout) != 0)
		return 1;
	free(der.p);
	gnutls_free(kd.data);
	gnutls_privkey_deinit(key);
	gnutls_x509_crt_deinit(signer);
	gnutls_x509_crt_deinit(s.crt);
	gnutls_x509_crt_deinit(s.issuer);
	return 0;
}
