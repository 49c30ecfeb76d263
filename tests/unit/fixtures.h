/*
 * Hand-made chains for the evaluation and report tests: only the facts the
 * modules read are filled in (no GnuTLS certificate behind them).
 */
#ifndef CHECK_TLS_PIN_FIXTURES_H
#define CHECK_TLS_PIN_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "options.h"

#define DAY 86400LL
/* 2027-01-28 12:00:00 UTC */
#define T_2027_01_28_1200 1801137600LL

static inline void
fixture_cert(struct cert *ct, const char *subject, const char *issuer,
	     int64_t not_before, int64_t not_after, unsigned char pin_byte)
{
	memset(ct, 0, sizeof(*ct));
	ct->subject = strdup(subject);
	ct->issuer = strdup(issuer);
	ct->not_before = not_before;
	ct->not_after = not_after;
	memset(ct->pin, pin_byte, PIN_LEN);
	snprintf(ct->key, sizeof(ct->key), "RSA 2048");
	ct->signature = "RSA-SHA256";
	ct->self_signed = strcmp(subject, issuer) == 0;
}

/*
 * A chain of n certificates, allocated like cert.c does, freed by chain_free.
 * Call fixture_path after filling them: by default every certificate is on
 * the path, in order.
 */
static inline void
fixture_chain(struct chain *c, size_t n)
{
	chain_init(c);
	c->v = calloc(n, sizeof(*c->v));
	c->n = n;
}

static inline void
fixture_path(struct chain *c)
{
	c->path_len = c->n;
	for (size_t i = 0; i < c->n; i++) {
		c->path[i] = i;
		c->v[i].on_path = true;
	}
}

/* Default options, as options_parse leaves them for "-H www.example.com". */
static inline void
fixture_options(struct options *o)
{
	memset(o, 0, sizeof(*o));
	pinset_init(&o->pins);
	o->host = "www.example.com";
	o->port = 443;
	o->timeout = 10;
	o->timeout_state = STATE_CRITICAL;
}

/* Adds the pin whose digest is 32 times pin_byte, with an optional label. */
static inline void
fixture_pin(struct options *o, unsigned char pin_byte, const char *label)
{
	unsigned char d[PIN_LEN];
	char pin[PIN_TEXT_SIZE], text[PIN_TEXT_SIZE + 64];
	struct error e;

	memset(d, pin_byte, PIN_LEN);
	pins_format(d, pin);
	snprintf(text, sizeof(text), "%s %s", pin, label ? label : "");
	pins_parse_file_buf(&o->pins, "fixture", text, strlen(text), &e);
}

#endif
