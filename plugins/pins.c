/*
 * check_tls_pin - SPKI pins.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "file.h"
#include "pins.h"

#define B64_PIN_LEN 44		/* 32 bytes: 43 symbols and one '=' */
#define PIN_FILE_MAX (1024 * 1024)
#define PIN_LINE_MAX 4096
/* How much of a bad entry an error message quotes. */
#define QUOTE_MAX 64

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Exact-length decoding, after signify: 44 characters, the last one '=', the
 * 43rd with its two unused low bits clear, so that exactly one spelling decodes
 * to a given digest and a truncated or padded paste is refused.
 */
static const char *
b64_decode_pin(const char *s, size_t len, unsigned char out[PIN_LEN])
{
	uint32_t acc = 0;
	size_t o = 0;

	if (len != B64_PIN_LEN)
		return "base64 pin must be 44 characters long";
	if (s[43] != '=')
		return "base64 pin must end with one '='";
	for (size_t i = 0; i < 43; i++) {
		int v = b64_value((unsigned char)s[i]);
		if (v < 0)
			return "invalid base64 character";
		acc = (acc << 6) | (uint32_t)v;
		if (i % 4 == 3) {
			out[o++] = (unsigned char)(acc >> 16);
			out[o++] = (unsigned char)(acc >> 8);
			out[o++] = (unsigned char)acc;
			acc = 0;
		}
	}
	/* 40 symbols gave 30 bytes; 3 symbols (18 bits) remain: 2 bytes + 2 bits. */
	if (acc & 3)
		return "base64 pin is not canonical (stray low bits)";
	out[o++] = (unsigned char)(acc >> 10);
	out[o++] = (unsigned char)(acc >> 2);
	return NULL;
}

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)(c | 0x20);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* 64 hex digits, or 32 pairs separated by single colons (DANE/openssl style). */
static const char *
hex_decode_pin(const char *s, size_t len, unsigned char out[PIN_LEN])
{
	size_t step;

	if (len == 2 * PIN_LEN)
		step = 2;
	else if (len == 3 * PIN_LEN - 1)
		step = 3;
	else
		return "hex pin must be 64 digits";
	for (size_t i = 0; i < PIN_LEN; i++) {
		const char *p = s + i * step;
		int hi = hex_value((unsigned char)p[0]);
		int lo = hex_value((unsigned char)p[1]);
		if (hi < 0 || lo < 0)
			return "invalid hex digit";
		if (step == 3 && i + 1 < PIN_LEN && p[2] != ':')
			return "hex digits must be separated by ':'";
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return NULL;
}

static bool
has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && strncasecmp(s, prefix, n) == 0;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_space((*s)[*len - 1]))
		(*len)--;
}

static int
bad_entry(struct error *e, const char *s, size_t len, const char *why)
{
	if (len > QUOTE_MAX)
		return error_set(e, STATE_UNKNOWN, "invalid pin '%.*s...': %s",
				 QUOTE_MAX, s, why);
	return error_set(e, STATE_UNKNOWN, "invalid pin '%.*s': %s", (int)len, s, why);
}

int
pins_parse_one(const char *text, size_t len, unsigned char out[PIN_LEN],
	       struct error *e)
{
	const char *s = text, *why;
	size_t n = len;

	trim(&s, &n);
	if (n == 0)
		return error_set(e, STATE_UNKNOWN, "invalid pin: empty entry");
	if (memchr(s, '\0', n))
		return bad_entry(e, s, strlen(s), "contains a NUL byte");

	if (has_prefix(s, n, "sha1/") || has_prefix(s, n, "pin-sha1"))
		return bad_entry(e, s, n, "SHA-1 pins are not supported; use the SHA-256 pin");

	/* The length tells curl's "sha256//" from OkHttp's "sha256/" + a base64 '/'. */
	if (has_prefix(s, n, "sha256//") && n == 8 + B64_PIN_LEN) {	/* curl */
		why = b64_decode_pin(s + 8, n - 8, out);
	} else if (has_prefix(s, n, "sha256/")) {	/* OkHttp, Android */
		why = b64_decode_pin(s + 7, n - 7, out);
	} else if (has_prefix(s, n, "pin-sha256=")) {	/* HPKP, RFC 7469 2.1.1 */
		const char *v = s + 11;
		size_t vn = n - 11;
		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
			v++;
			vn -= 2;
		}
		why = b64_decode_pin(v, vn, out);
	} else if (has_prefix(s, n, "pin-sha256:")) {	/* certtool, GnuTLS */
		why = b64_decode_pin(s + 11, n - 11, out);
	} else if (n == B64_PIN_LEN) {
		why = b64_decode_pin(s, n, out);
	} else if (n == 2 * PIN_LEN || n == 3 * PIN_LEN - 1) {
		why = hex_decode_pin(s, n, out);
	} else {
		why = "not a SHA-256 pin (expected sha256/BASE64, sha256//BASE64, "
		      "pin-sha256=\"BASE64\", pin-sha256:BASE64, BASE64 or 64 hex digits)";
	}
	if (why)
		return bad_entry(e, s, n, why);
	return 0;
}

int
pins_parse_base64(const char *text, size_t len, unsigned char out[PIN_LEN], struct error *e)
{
	const char *why;

	if (memchr(text, '\0', len))
		return bad_entry(e, text, strlen(text), "contains a NUL byte");
	why = b64_decode_pin(text, len, out);
	return why ? bad_entry(e, text, len, why) : 0;
}

void
pinset_init(struct pinset *set)
{
	set->v = NULL;
	set->n = set->cap = 0;
}

void
pinset_free(struct pinset *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->v[i].label);
	free(set->v);
	pinset_init(set);
}

long
pins_find(const struct pinset *set, const unsigned char digest[PIN_LEN])
{
	for (size_t i = 0; i < set->n; i++)
		if (memcmp(set->v[i].digest, digest, PIN_LEN) == 0)
			return (long)i;
	return -1;
}

/* Adds digest with an optional label (len bytes); a repeated pin keeps the first label. */
static int
pinset_add(struct pinset *set, const unsigned char digest[PIN_LEN],
	   const char *label, size_t label_len, struct error *e)
{
	long at = pins_find(set, digest);
	struct pin *p;

	if (at < 0) {
		if (set->n == set->cap) {
			size_t cap = set->cap ? set->cap * 2 : 8;
			struct pin *v = realloc(set->v, cap * sizeof(*v));
			if (!v)
				return error_set(e, STATE_UNKNOWN, "out of memory");
			set->v = v;
			set->cap = cap;
		}
		p = &set->v[set->n++];
		memcpy(p->digest, digest, PIN_LEN);
		p->label = NULL;
	} else {
		p = &set->v[at];
	}
	if (label_len > 0 && !p->label) {
		p->label = strndup(label, label_len);
		if (!p->label)
			return error_set(e, STATE_UNKNOWN, "out of memory");
	}
	return 0;
}

int
pins_add_list(struct pinset *set, const char *arg, struct error *e)
{
	const char *s = arg;

	for (;;) {
		size_t len = strcspn(s, ";,");
		unsigned char d[PIN_LEN];

		if (pins_parse_one(s, len, d, e) < 0 || pinset_add(set, d, NULL, 0, e) < 0)
			return -1;
		if (s[len] == '\0')
			return 0;
		s += len + 1;
	}
}

int
pins_parse_file_buf(struct pinset *set, const char *name, const char *buf,
		    size_t len, struct error *e)
{
	size_t pos = 0;
	unsigned long lineno = 0;
	int count = 0;

	while (pos < len) {
		const char *line = buf + pos, *nl, *hash;
		size_t n, word;
		unsigned char d[PIN_LEN];
		struct error sub;

		nl = memchr(line, '\n', len - pos);
		n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + (nl ? 1 : 0);
		lineno++;

		if (n > PIN_LINE_MAX)
			return error_set(e, STATE_UNKNOWN, "%s:%lu: line longer than %d bytes",
					 name, lineno, PIN_LINE_MAX);
		if (memchr(line, '\0', n))
			return error_set(e, STATE_UNKNOWN, "%s:%lu: NUL byte (not a text file?)",
					 name, lineno);
		hash = memchr(line, '#', n);
		if (hash)
			n = (size_t)(hash - line);
		trim(&line, &n);
		if (n == 0)
			continue;
		for (word = 0; word < n && !is_space(line[word]); word++)
			;
		if (pins_parse_one(line, word, d, &sub) < 0)
			return error_set(e, STATE_UNKNOWN, "%s:%lu: %s", name, lineno, sub.msg);
		line += word;
		n -= word;
		trim(&line, &n);
		if (pinset_add(set, d, line, n, e) < 0)
			return -1;
		count++;
	}
	return count;
}

int
pins_load_file(struct pinset *set, const char *path, struct error *e)
{
	char *buf;
	size_t len;
	int rc;

	if (file_read(path, "pin file", PIN_FILE_MAX, &buf, &len, e) < 0)
		return -1;
	rc = pins_parse_file_buf(set, path, buf, len, e);
	free(buf);
	if (rc == 0)
		return error_set(e, STATE_UNKNOWN, "pin file %s holds no pins", path);
	return rc < 0 ? -1 : 0;
}

void
pins_format(const unsigned char digest[PIN_LEN], char out[PIN_TEXT_SIZE])
{
	size_t o = 0;

	memcpy(out, "sha256/", 7);
	o = 7;
	for (size_t i = 0; i < PIN_LEN; i += 3) {
		uint32_t v = (uint32_t)digest[i] << 16;
		size_t left = PIN_LEN - i;
		if (left > 1)
			v |= (uint32_t)digest[i + 1] << 8;
		if (left > 2)
			v |= digest[i + 2];
		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = left > 1 ? b64_alphabet[(v >> 6) & 63] : '=';
		out[o++] = left > 2 ? b64_alphabet[v & 63] : '=';
	}
	out[o] = '\0';
}
