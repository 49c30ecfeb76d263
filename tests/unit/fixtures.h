/*
 * Hand-made chains for the evaluation and report tests: only the facts the
 * modules read are filled in (no GnuTLS certificate behind them).
 */
#ifndef CHECK_TLS_PIN_FIXTURES_H
#define CHECK_TLS_PIN_FIXTURES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "options.h"
#include "path.h"

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
}

/* A chain of n certificates, allocated like cert.c does, freed by chain_free. */
static inline void
fixture_chain(struct chain *c, size_t n)
{
	chain_init(c);
	c->v = calloc(n, sizeof(*c->v));
	c->n = n;
}

/*
 * The path over the first n certificates of c, in order, and the anchor
 * (taken, when not NULL), as path_build would leave it; a top whose names
 * are equal counts as self-signed. Freed by path_free.
 */
static inline void
fixture_path_n(struct path *p, const struct chain *c, size_t n, struct cert *anchor)
{
	const struct cert *top = &c->v[n - 1];

	path_init(p);
	for (size_t i = 0; i < n; i++) {
		p->v[i] = &c->v[i];
		p->served[i] = i;
	}
	p->n = n;
	p->usable = n;
	p->whole = true;
	p->top_self_signed = strcmp(top->subject, top->issuer) == 0;
	if (anchor) {
		p->anchor = *anchor;
		p->has_anchor = true;
		p->v[p->n] = &p->anchor;
		p->served[p->n] = SIZE_MAX;
		p->n++;
		p->usable++;
	}
}

/* The path over every certificate of c. */
static inline void
fixture_path(struct path *p, const struct chain *c, struct cert *anchor)
{
	fixture_path_n(p, c, c->n, anchor);
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
