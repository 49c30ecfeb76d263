/*
 * check_tls_pin - SPKI pins: parse every accepted spelling into 32-byte
 * SHA-256 digests, load pin files, look digests up.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_PINS_H
#define CHECK_TLS_PIN_PINS_H

#include <stdbool.h>
#include <stddef.h>

#include "state.h"

#define PIN_LEN 32
/* "sha256/" + 44 base64 characters + NUL */
#define PIN_TEXT_SIZE 52

struct pin {
	unsigned char digest[PIN_LEN];
	char *label;		/* owned; NULL when the pin has none */
};

/* A set of distinct pins, in the order they were first given. */
struct pinset {
	struct pin *v;
	size_t n, cap;
};

void pinset_init(struct pinset *set);
void pinset_free(struct pinset *set);

/*
 * Decodes one pin of len bytes (not NUL-terminated) in any accepted spelling:
 * sha256/B64, sha256//B64, pin-sha256="B64", pin-sha256:B64, a bare 44-character
 * B64, or 64 hex digits with or without a colon between bytes. Surrounding
 * white space is ignored. The base64 must be canonical and decode to exactly
 * 32 bytes. Returns 0, or -1 with e (UNKNOWN) naming the entry and the reason.
 */
int pins_parse_one(const char *text, size_t len, unsigned char out[PIN_LEN],
		   struct error *e);

/*
 * Decodes the one spelling app configurations use: exactly 44 characters of
 * canonical base64 ending in one '=', 32 bytes. Returns 0, or -1 with e
 * (UNKNOWN) quoting the text and saying why.
 */
int pins_parse_base64(const char *text, size_t len, unsigned char out[PIN_LEN],
		      struct error *e);

/*
 * Adds the pins of one --pin argument: one or more entries separated by ';'
 * or ','. Empty entries (as in "a;;b" or a trailing ';') are an error: they are
 * almost always a pasting mistake. Returns 0 or -1 (e filled, set unchanged
 * beyond the entries before the bad one).
 */
int pins_add_list(struct pinset *set, const char *arg, struct error *e);

/*
 * Adds the pins of a pin file held in buf (len bytes, need not be terminated):
 * one pin per line, '#' starts a comment, blank lines are skipped, the words
 * after the pin are its label. name is used in messages ("FILE:LINE: ...").
 * Returns the number of pin lines read (0 for a file of comments only), or -1.
 */
int pins_parse_file_buf(struct pinset *set, const char *name, const char *buf,
			size_t len, struct error *e);

/*
 * Reads path (at most 1 MiB) and parses it as above. A file without a single
 * pin is an error: it would silently turn the pin check off.
 */
int pins_load_file(struct pinset *set, const char *path, struct error *e);

/* Index of digest in set, or -1. */
long pins_find(const struct pinset *set, const unsigned char digest[PIN_LEN]);

/* Writes "sha256/B64" for digest into out. */
void pins_format(const unsigned char digest[PIN_LEN], char out[PIN_TEXT_SIZE]);

#endif
