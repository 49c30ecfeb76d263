/*
 * check_tls_pin - the TLS client session: priority, SNI, a handshake that
 * respects the deadline, and the certificates the server presented.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_TLS_H
#define CHECK_TLS_PIN_TLS_H

#include <gnutls/gnutls.h>

#include "cert.h"
#include "net.h"
#include "state.h"

struct tls_ctx {
	gnutls_certificate_credentials_t cred;
	gnutls_priority_t priority;
};

struct tls_info {
	char version[16];	/* "TLS1.3" */
	char suite[128];	/* "TLS_AES_256_GCM_SHA384" */
};

/*
 * Prepares credentials and the priority (NULL: the system default; options.c
 * has already checked a given one). Failures are UNKNOWN. The session does
 * not verify: verification is done afterwards (trust.h), so that a server that
 * fails it is still inspected for expiry and pins.
 */
int tls_ctx_init(struct tls_ctx *ctx, const char *priority, struct error *e);
void tls_ctx_free(struct tls_ctx *ctx);

/*
 * Runs a TLS handshake on the connected non-blocking socket fd, sending sni
 * (NULL: no server_name extension) and asking for OCSP staples, and fills out
 * with the presented chain (each certificate with the OCSP response stapled
 * for it, if any: TLS 1.2 staples the leaf's, TLS 1.3 any certificate's) and
 * info with the version and cipher suite. peer ("ADDR port N") names the server
 * in messages. Failures are CRITICAL, a timeout the deadline's state. The
 * session is closed (close_notify sent) before returning; fd stays open.
 */
int tls_handshake(const struct tls_ctx *ctx, int fd, const char *sni,
		  const struct deadline *d, const char *peer, struct chain *out,
		  struct tls_info *info, struct error *e);

#endif
