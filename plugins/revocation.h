/*
 * check_tls_pin - what revocation data says of one certificate: an OCSP
 * response (RFC 6960), stapled or fetched, and a CRL (RFC 5280 5), each
 * judged against the certificate's issuer at the time of the check; the
 * addresses a certificate names for them; and the verdict on a certificate
 * from all its answers. Pure: no I/O, the time is passed in.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_REVOCATION_H
#define CHECK_TLS_PIN_REVOCATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "state.h"

/* The largest OCSP response and CRL taken: anything bigger is no answer. */
#define REVOCATION_OCSP_MAX (64 * 1024)
#define REVOCATION_CRL_MAX (16 * 1024 * 1024)
/* The longest URL taken from a certificate, NUL included. */
#define REVOCATION_URL_MAX 512

enum rev_status {
	REV_NONE,	/* nothing known: not stapled, not asked */
	REV_GOOD,
	REV_REVOKED,
	REV_UNKNOWN,	/* a verified OCSP answer "unknown" */
	REV_NO_ANSWER	/* stapled or asked, but nothing usable: why says why */
};

/* Where an answer comes from, in the order they are consulted. */
enum rev_source { REV_STAPLE, REV_OCSP, REV_CRL, REV_SOURCES };

struct rev_answer {
	enum rev_status status;
	int64_t this_update, next_update;	/* of a verified answer */
	int64_t revoked_at;			/* REV_REVOKED */
	int reason;				/* RFC 5280 5.3.1 CRLReason, -1: none given */
	char why[512];				/* REV_NO_ANSWER; may hold foreign text, unescaped */
};

void revocation_answer_init(struct rev_answer *a);

/*
 * Judges the DER OCSP response der about crt, whose issuer is issuer, at
 * now. An answer (good, revoked, unknown) only from a response that is
 * "successful" and basic, whose signature gnutls_ocsp_resp_verify_direct
 * finds valid (its verify output exactly 0) for issuer: signed by issuer
 * itself, or by a certificate in the response that issuer signed, that is
 * valid at now and names id-kp-OCSPSigning exactly (RFC 6960 4.2.2.2); one
 * of its single responses must be about crt (serial, issuer name hash and
 * issuer key hash), with thisUpdate not after now and a nextUpdate not
 * before it. Anything else is REV_NO_ANSWER, with why. A response over
 * REVOCATION_OCSP_MAX bytes is not parsed.
 */
void revocation_judge_ocsp(const gnutls_datum_t *der, gnutls_x509_crt_t crt,
			   gnutls_x509_crt_t issuer, int64_t now, struct rev_answer *a);

/*
 * Judges the CRL der (DER, or PEM) fetched from url, crt's CRL distribution
 * point, at now: good or revoked only when gnutls_x509_crl_verify finds it
 * issued and signed by issuer (status exactly 0), thisUpdate is not after
 * now, nextUpdate is given and not before now, and its scope covers crt: no
 * delta CRL, no unknown critical extension, and an issuing distribution
 * point (RFC 5280 5.2.5), if any, that names url, covers every reason and
 * crt's kind (CA or not) and is not indirect. Revoked gives the entry's
 * time and reason. Anything else is REV_NO_ANSWER, with why. A CRL over
 * REVOCATION_CRL_MAX bytes is not parsed.
 */
void revocation_judge_crl(const gnutls_datum_t *der, const char *url, gnutls_x509_crt_t crt,
			  gnutls_x509_crt_t issuer, int64_t now, struct rev_answer *a);

/* Whether crt carries the TLS feature status_request (RFC 7633 4.2: "must-staple"). */
bool revocation_must_staple(gnutls_x509_crt_t crt);

/*
 * The first http or https URL crt names for source (REV_OCSP: an OCSP
 * responder of its Authority Information Access; REV_CRL: a CRL
 * distribution point for every reason), into out (NUL-terminated). URLs of
 * other schemes, with bytes other than printable ASCII, or not fitting in
 * size are passed over. Returns 1 when found, 0 when none.
 */
int revocation_url(gnutls_x509_crt_t crt, enum rev_source source, char *out, size_t size);

/* The DER OCSP request for crt (SHA-1 CertID, no nonce) into *der (gnutls_free). 0 or -1. */
int revocation_ocsp_request(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer, gnutls_datum_t *der);

/*
 * The GET URL of the OCSP request req at responder url (RFC 6960 A.1: the
 * URL, '/', the URL-encoded base64 of the request) into out. Returns 0, or
 * -1 when that URL would be 255 bytes or longer (RFC 5019 5 keeps GET to
 * short requests; a whole URL that short passes any server or proxy), or
 * does not fit in size: the request is then POSTed.
 */
int revocation_ocsp_get_url(const char *url, const gnutls_datum_t *req, char *out, size_t size);

/* "keyCompromise", ..., the RFC 5280 name of a CRLReason; "unspecified" for -1 or 0. */
const char *revocation_reason_name(int reason);

/* "OCSP staple", "OCSP", "CRL". */
const char *revocation_source_name(enum rev_source source);

/* Everything known of the revocation of one certificate of the path. */
struct rev_cert {
	size_t depth;				/* on the path */
	struct rev_answer answer[REV_SOURCES];	/* REV_NONE: not stapled, not asked */
	char url[REV_SOURCES][REVOCATION_URL_MAX];	/* the URL asked; "" none */
	char unasked[200];			/* why nothing could be asked, "" if not so */
	bool must_staple;			/* the leaf, carrying status_request */
	/* The verdict, by revocation_verdict. */
	enum rev_status status;
	enum rev_source source;			/* of the answer that decided, when one did */
	bool staple_missing;			/* must-staple without a valid staple */
	enum state state;
};

void revocation_cert_init(struct rev_cert *c, size_t depth);

/*
 * Decides c's verdict from its answers: revoked if any answer says so
 * (CRITICAL); else good if one does (OK); else unknown if one does
 * (WARNING); else no answer when something was stapled, asked or could not
 * be asked (unavailable, the --revocation-unavailable state); else nothing
 * (OK, REV_NONE). A must-staple certificate whose staple is not a verified
 * answer is CRITICAL whatever the rest says.
 */
void revocation_verdict(struct rev_cert *c, enum state unavailable);

#endif
