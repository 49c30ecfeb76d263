/*
 * check_tls_pin - TLS client session.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "tls.h"

int
tls_ctx_init(struct tls_ctx *ctx, const char *priority, struct error *e)
{
	const char *where = NULL;
	int rc;

	memset(ctx, 0, sizeof(*ctx));
	rc = gnutls_priority_init(&ctx->priority, priority, &where);
	if (rc < 0) {
		ctx->priority = NULL;
		return error_set(e, STATE_UNKNOWN, "invalid --priority '%s': %s",
				 priority ? priority : "", gnutls_strerror(rc));
	}
	rc = gnutls_certificate_allocate_credentials(&ctx->cred);
	if (rc < 0) {
		ctx->cred = NULL;
		tls_ctx_free(ctx);
		return error_set(e, STATE_UNKNOWN, "cannot set up TLS: %s", gnutls_strerror(rc));
	}
	return 0;
}

void
tls_ctx_free(struct tls_ctx *ctx)
{
	if (ctx->priority)
		gnutls_priority_deinit(ctx->priority);
	if (ctx->cred)
		gnutls_certificate_free_credentials(ctx->cred);
	memset(ctx, 0, sizeof(*ctx));
}

static void
describe_session(gnutls_session_t s, struct tls_info *info)
{
	const char *v = gnutls_protocol_get_name(gnutls_protocol_get_version(s));

	snprintf(info->version, sizeof(info->version), "%s", v ? v : "unknown");
#ifdef HAVE_GNUTLS_CIPHERSUITE_GET
	{
		const char *suite = gnutls_ciphersuite_get(s);
		snprintf(info->suite, sizeof(info->suite), "%s", suite ? suite : "unknown");
	}
#else
	{
		char *desc = gnutls_session_get_desc(s);
		snprintf(info->suite, sizeof(info->suite), "%s", desc ? desc : "unknown");
		gnutls_free(desc);
	}
#endif
}

/*
 * Warning alerts (and the other non-fatal returns) a handshake may bring
 * before it is given up. They need no wait, so the deadline alone would let
 * a peer that sends them without end keep the loop busy until it passes; a
 * real server sends one or two. GnuTLS 3.7 gives up after 16 of its own,
 * with only "internal error" to say why: this cap comes first.
 */
#define HANDSHAKE_WARNINGS_MAX 8

static int
handshake_failed(gnutls_session_t s, int rc, const char *peer, struct error *e)
{
	if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED) {
		const char *alert = gnutls_alert_get_name(gnutls_alert_get(s));
		return error_set(e, STATE_CRITICAL, "TLS handshake with %s failed: "
				 "the server sent the alert '%s'", peer,
				 alert ? alert : "unknown");
	}
	if (rc == GNUTLS_E_PREMATURE_TERMINATION || rc == GNUTLS_E_PULL_ERROR ||
	    rc == GNUTLS_E_PUSH_ERROR)
		return error_set(e, STATE_CRITICAL, "TLS handshake with %s failed: "
				 "the server closed the connection", peer);
	return error_set(e, STATE_CRITICAL, "TLS handshake with %s failed: %s", peer,
			 gnutls_strerror(rc));
}

/* The handshake was given up after HANDSHAKE_WARNINGS_MAX non-fatal returns; rc the last. */
static int
handshake_warnings(gnutls_session_t s, int rc, const char *peer, struct error *e)
{
	if (rc == GNUTLS_E_WARNING_ALERT_RECEIVED) {
		const char *alert = gnutls_alert_get_name(gnutls_alert_get(s));
		return error_set(e, STATE_CRITICAL, "TLS handshake with %s failed: the server "
				 "sent %d warning alerts without finishing it (the last: '%s')",
				 peer, HANDSHAKE_WARNINGS_MAX, alert ? alert : "unknown");
	}
	return error_set(e, STATE_CRITICAL, "TLS handshake with %s failed: %d interruptions "
			 "without finishing it (the last: %s)", peer, HANDSHAKE_WARNINGS_MAX,
			 gnutls_strerror(rc));
}

/*
 * Copies the OCSP response stapled for each certificate of c. GnuTLS holds
 * each within the handshake's limits; judging it is revocation.h's.
 */
static int
keep_staples(gnutls_session_t s, struct chain *c, struct error *e)
{
	for (size_t i = 0; i < c->n; i++) {
		gnutls_datum_t r = { NULL, 0 };

		if (gnutls_ocsp_status_request_get2(s, (unsigned)i, &r) < 0 || r.size == 0)
			continue;
		if (cert_keep_staple(&c->v[i], &r, e) < 0)
			return -1;
	}
	return 0;
}

int
tls_handshake(const struct tls_ctx *ctx, int fd, const char *sni,
	      const struct deadline *d, const char *peer, struct chain *out,
	      struct tls_info *info, struct error *e)
{
	gnutls_session_t s;
	const gnutls_datum_t *certs;
	unsigned n = 0;
	int rc, warnings = 0;

	chain_init(out);
	rc = gnutls_init(&s, GNUTLS_CLIENT | GNUTLS_NONBLOCK);
	if (rc < 0)
		return error_set(e, STATE_UNKNOWN, "cannot set up TLS: %s", gnutls_strerror(rc));
	rc = gnutls_priority_set(s, ctx->priority);
	if (rc >= 0)
		rc = gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, ctx->cred);
	if (rc >= 0 && sni)
		rc = gnutls_server_name_set(s, GNUTLS_NAME_DNS, sni, strlen(sni));
	/* The status_request extension (RFC 6066 8, RFC 8446 4.4.2.1): staples are always judged. */
	if (rc >= 0)
		rc = gnutls_ocsp_status_request_enable_client(s, NULL, 0, NULL);
	if (rc < 0) {
		error_set(e, STATE_UNKNOWN, "cannot set up TLS: %s", gnutls_strerror(rc));
		goto out;
	}
	gnutls_transport_set_int(s, fd);

	for (;;) {
		char phase[300];
		int ready;

		/* Checked on every turn: warning alerts alone never reach the wait below. */
		if (deadline_ms_left(d) == 0) {
			snprintf(phase, sizeof(phase), "during the TLS handshake with %s", peer);
			rc = deadline_expired(d, e, phase);
			goto out;
		}
		rc = gnutls_handshake(s);
		if (rc == 0)
			break;
		if (rc != GNUTLS_E_AGAIN && rc != GNUTLS_E_INTERRUPTED) {
			if (gnutls_error_is_fatal(rc)) {
				handshake_failed(s, rc, peer, e);
				goto out;
			}
			if (++warnings >= HANDSHAKE_WARNINGS_MAX) {
				rc = handshake_warnings(s, rc, peer, e);
				goto out;
			}
			continue;	/* a warning alert: the handshake goes on */
		}
		ready = net_wait(fd, gnutls_record_get_direction(s) ? POLLOUT : POLLIN, d);
		if (ready < 0) {
			rc = error_set(e, STATE_UNKNOWN, "poll: %s", strerror(errno));
			goto out;
		}
		if (ready == 0) {
			snprintf(phase, sizeof(phase), "during the TLS handshake with %s", peer);
			rc = deadline_expired(d, e, phase);
			goto out;
		}
	}

	certs = gnutls_certificate_get_peers(s, &n);
	if (!certs || n == 0) {
		rc = error_set(e, STATE_CRITICAL, "%s presented no certificate", peer);
		goto out;
	}
	rc = chain_from_der(out, certs, n, e);
	if (rc < 0)
		goto out;
	rc = keep_staples(s, out, e);
	if (rc < 0)
		goto out;
	describe_session(s, info);
	/* Best effort: tell the server we are done, without waiting for its reply. */
	gnutls_bye(s, GNUTLS_SHUT_WR);
out:
	gnutls_deinit(s);
	return rc < 0 ? -1 : 0;
}
