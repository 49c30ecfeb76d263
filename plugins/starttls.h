/*
 * check_tls_pin - the plaintext dialogues that lead to a TLS handshake:
 * STARTTLS and its relatives, one function per protocol, every read bounded
 * and under the check's deadline.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_STARTTLS_H
#define CHECK_TLS_PIN_STARTTLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"
#include "state.h"

/* A line the dialogue holds at most, and the whole dialogue, in bytes. */
#define STARTTLS_LINE_MAX 4096
#define STARTTLS_DIALOGUE_MAX 16384

enum starttls_proto {
	STARTTLS_NONE = 0,
	STARTTLS_SMTP, STARTTLS_LMTP, STARTTLS_IMAP, STARTTLS_POP3, STARTTLS_SIEVE,
	STARTTLS_FTP, STARTTLS_LDAP, STARTTLS_POSTGRES, STARTTLS_MYSQL, STARTTLS_NNTP,
	STARTTLS_XMPP, STARTTLS_XMPP_SERVER
};

/*
 * Finds a protocol by its --starttls name, in any case ("IMAP" is imap); fills
 * its usual port. Returns 0 or -1.
 */
int starttls_lookup(const char *name, enum starttls_proto *proto, unsigned *port);

/* The --starttls name of proto ("smtp"). */
const char *starttls_name(enum starttls_proto proto);

/* "smtp, lmtp, ..., xmpp-server", for messages. */
extern const char starttls_names[];

/* One exchange of the dialogue, as -v shows it. */
struct transcript_line {
	char from;		/* 'C' (we sent) or 'S' (the server sent) */
	double at;		/* seconds since the dialogue started */
	char *text;		/* raw (unescaped) text or a description; owned */
	size_t len;
};

struct transcript {
	struct transcript_line *v;
	size_t n, cap;
	int64_t start_ns;
};

void transcript_init(struct transcript *t);
void transcript_free(struct transcript *t);

struct starttls_params {
	const char *ehlo;		/* SMTP/LMTP greeting name; NULL: this host's name */
	const char *xmpp_domain;	/* the stream's 'to' */
};

/*
 * Runs proto's dialogue on the connected non-blocking socket fd until the
 * server has agreed to TLS, recording it in t. Returns 0 when the TLS
 * handshake may start. Otherwise -1 with e: CRITICAL for a server that does
 * not offer or refuses TLS ("no TLS: ..."), that breaks the protocol, closes
 * the connection, sends more than the bounds allow, or sends anything after
 * its go-ahead (the STARTTLS command-injection class); the deadline's state
 * on a timeout, naming the step.
 */
int starttls_run(enum starttls_proto proto, int fd, const struct starttls_params *p,
		 const struct deadline *d, struct transcript *t, struct error *e);

/*
 * Reply parsers, exposed for the tests. Each reads only the len bytes given.
 *
 * starttls_reply_code: the code of a line of a numeric-reply protocol (SMTP,
 * LMTP, FTP, NNTP: RFC 5321 4.2, RFC 959 4.2): three digits then ' ', '-' or
 * the end. *more is set when '-' announces further lines. -1 if malformed.
 */
int starttls_reply_code(const char *line, size_t len, bool *more);

/* Whether text holds word as a whole, case-insensitive, space-separated token. */
bool starttls_has_word(const char *text, size_t len, const char *word);

/*
 * The LDAP ExtendedResponse in msg (one whole LDAPMessage, RFC 4511 4.12):
 * 1 when complete, with *result the resultCode and diag/diag_len its
 * diagnosticMessage; 0 when more bytes are needed (*need says how many in
 * all, when known); -1 when malformed.
 */
int starttls_ldap_response(const unsigned char *msg, size_t len, size_t *need,
			   long *result, const char **diag, size_t *diag_len);

/*
 * The MySQL initial handshake packet payload (protocol 10): fills the
 * capability flags and the server version. -1 when malformed or another
 * protocol version.
 */
int starttls_mysql_greeting(const unsigned char *payload, size_t len, uint32_t *caps,
			    const char **version, size_t *version_len);

#endif
