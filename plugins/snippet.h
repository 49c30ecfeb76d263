/*
 * check_tls_pin - --print-pins --format android|trustkit|ats: the served
 * pins as an app configuration of that format with one entry for a name,
 * ready to paste, and one that --app-config reads back.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_SNIPPET_H
#define CHECK_TLS_PIN_SNIPPET_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"
#include "pins.h"
#include "report.h"

/* One pin to write: a leaf's, active, or a CA's, as a comment. */
struct snippet_pin {
	const unsigned char *digest;
	bool active;
	const char *label;	/* its role, subject and expiry, output-safe, one line */
};

/*
 * Appends to b the configuration of format (not FORMAT_PINS) with one entry
 * for name (a DNS name), pinning the n pins in order, then comment, the
 * check's text (lines ending in '\n'), as comments. Every comment is made
 * safe for the format (no "--" inside an XML comment). Without an active
 * pin only the comments are written.
 */
void snippet_write(enum pin_format format, const char *name, const struct snippet_pin *pins,
		   size_t n, const char *comment, struct strbuf *b);

#endif
