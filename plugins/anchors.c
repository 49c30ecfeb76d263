/*
 * check_tls_pin - the trust anchors file, indexed by subject.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "anchors.h"
#include "der.h"
#include "file.h"

/* Far more than any CA bundle (Debian's holds some 140 anchors in 200 KiB). */
#define CA_FILE_MAX (16 * 1024 * 1024)

void
anchors_init(struct anchors *as, const char *ca_file)
{
	memset(as, 0, sizeof(*as));
	as->ca_file = ca_file;
}

static void
index_free(struct anchors *as)
{
	free(as->index);
	free(as->file);
	free(as->names);
	as->index = NULL;
	as->n_index = 0;
	as->file = NULL;
	as->names = NULL;
}

void
anchors_free(struct anchors *as)
{
	if (as->list)
		gnutls_x509_trust_list_deinit(as->list, 1);
	index_free(as);
	memset(as, 0, sizeof(*as));
}

/*
 * The PEM blocks GnuTLS reads as certificates (gnutls_x509_crt_list_import):
 * the first "-----BEGIN CERTIFICATE" of the file, or when there is none the
 * first "-----BEGIN X509 CERTIFICATE"; after each, the same search again from
 * one byte past its start. So an "X509" block is read only when no
 * "CERTIFICATE" block follows it. A block's header ends at the first "-----"
 * after its start, wherever that is, and its body runs from there to the
 * first '-' (white space left out); "-----END " must follow.
 */
#define PEM_CERT "-----BEGIN CERTIFICATE"
#define PEM_X509 "-----BEGIN X509 CERTIFICATE"
#define PEM_DASHES "-----"
#define PEM_END "-----END "

/* The next block GnuTLS would read at or after p, and its label; NULL when none is left. */
static const char *
next_block(const char *p, const char *end, const char **label)
{
	const char *q = memmem(p, (size_t)(end - p), PEM_CERT, strlen(PEM_CERT));

	if (q) {
		*label = "CERTIFICATE";
		return q;
	}
	q = memmem(p, (size_t)(end - p), PEM_X509, strlen(PEM_X509));
	*label = "X509 CERTIFICATE";
	return q;
}

/* Enough of a certificate for its subject in all but freak cases. */
#define PREFIX_MAX 1536

/* base64 values; 64 white space, 65 padding, -1 anything else. */
static signed char b64[256];
static pthread_once_t b64_once = PTHREAD_ONCE_INIT;

static void
b64_init(void)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	memset(b64, -1, sizeof(b64));
	for (int i = 0; i < 64; i++)
		b64[(unsigned char)alphabet[i]] = (signed char)i;
	b64[' '] = b64['\t'] = b64['\r'] = b64['\n'] = 64;
	b64['='] = 65;
}

/* A walk through a PEM body: where it is, and what it has seen. */
struct b64_walk {
	const unsigned char *c;
	uint32_t acc;
	unsigned bits;
	size_t chars;		/* base64 digits so far */
	size_t pads;		/* '=' so far */
};

/*
 * Decodes base64 digits into out until out holds want bytes or the text
 * reaches anything else than a digit or white space. Returns the bytes now in
 * out (have before the call).
 */
static size_t
b64_decode(struct b64_walk *w, unsigned char *out, size_t have, size_t want)
{
	const unsigned char *c = w->c;
	uint32_t acc = w->acc;	/* locals: stores to out may alias the walk */
	unsigned bits = w->bits;
	size_t chars = 0;

	while (have < want) {
		signed char v = b64[*c];

		if (v < 0 || v == 65)
			break;
		c++;
		if (v == 64)
			continue;
		chars++;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[have++] = (unsigned char)(acc >> bits);
		}
	}
	w->c = c;
	w->acc = acc;
	w->bits = bits;
	w->chars += chars;
	return have;
}

/*
 * Counts the rest of a PEM body, up to end at most: digits, then '=' padding,
 * with white space anywhere. Returns 0 at the first character that is none
 * of these (the end line) when the digits and padding are what GnuTLS's
 * base64 decoder accepts (nettle: as much padding as the last group lacks,
 * at most two, and no bits left over under it); -1 otherwise.
 */
static int
b64_count(struct b64_walk *w, const unsigned char *end)
{
	const unsigned char *c = w->c;
	size_t chars = 0, pads = 0;
	signed char last;	/* the value of the last digit */

	for (;;) {
		signed char v;

		/* Eight digits at once: the values of anything else have a high bit set. */
		if (!pads && end - c >= 8 &&
		    !((b64[c[0]] | b64[c[1]] | b64[c[2]] | b64[c[3]] | b64[c[4]] | b64[c[5]] |
		       b64[c[6]] | b64[c[7]]) & 0xc0)) {
			c += 8;
			chars += 8;
			continue;
		}
		if (c == end || (v = b64[*c]) < 0)
			break;
		if (v < 64) {
			if (pads)
				return -1;
			chars++;
		} else if (v == 65) {
			pads++;
		}
		c++;
	}
	w->c = c;
	w->chars += chars;
	w->pads += pads;
	if (w->pads == 0 || w->chars % 4 < 2)
		return w->chars % 4 == 0 && w->pads == 0 ? 0 : -1;
	/* The last digit: back over the padding and white space. */
	do
		last = b64[*--c];
	while (last >= 64);
	/* Two digits left four bits over, three two; each '=' covers two. */
	if (w->chars % 4 == 2)
		return w->pads == 2 && (last & 0x0f) == 0 ? 0 : -1;
	if (w->chars % 4 == 3)
		return w->pads == 1 && (last & 0x03) == 0 ? 0 : -1;
	return -1;
}

/* The first "-----" after the block start p, as GnuTLS ends a header; NULL when none. */
static const char *
header_end(const char *p, const char *end)
{
	const char *q = p + 1;

	while ((q = memchr(q, '-', (size_t)(end - q)))) {
		if ((size_t)(end - q) < strlen(PEM_DASHES))
			return NULL;
		if (memcmp(q, PEM_DASHES, strlen(PEM_DASHES)) == 0)
			return q;
		q++;
	}
	return NULL;
}

/* Whether the text at q, before end, starts with s. */
static bool
starts(const char *q, const char *end, const char *s)
{
	return (size_t)(end - q) >= strlen(s) && memcmp(q, s, strlen(s)) == 0;
}

/*
 * Finds the subject of the certificate in the PEM block at p, decoding no
 * more of it than that needs, and checks the rest of the block as GnuTLS
 * reads it: base64 from the end of the header up to "-----END ", as many
 * bytes as the certificate's outer length says. Returns 0 with *subject in
 * prefix (PREFIX_MAX bytes), *body and *stop where the body starts and
 * ends (digits, white space and padding between them); -2 when the
 * subject lies further than PREFIX_MAX; -1 when the block is not one this
 * index reads with certainty. The file ends at end, with a NUL there
 * (file_read), so every scan stops at its end.
 */
static int
block_subject(const char *p, const unsigned char *end, unsigned char *prefix,
	      const unsigned char **subject, size_t *subject_len, const char **body,
	      const char **stop)
{
	const char *dashes = header_end(p, (const char *)end);
	struct b64_walk w = { 0 };
	struct der cert;
	size_t n = 0;
	int r = -2;

	if (!dashes)
		return -1;
	w.c = (const unsigned char *)dashes + strlen(PEM_DASHES);
	/* Most subjects end within the first 300 bytes (Debian's anchors: 250, at most 500). */
	for (size_t want = 256; r == -2 && want <= PREFIX_MAX; want += 128) {
		n = b64_decode(&w, prefix, n, want);
		r = der_tbs_field(prefix, n, TBS_SUBJECT, subject, subject_len);
		if (n < want)
			break;	/* the digits ended */
	}
	if (r != 0)
		return r == -2 ? -2 : -1;
	if (b64_count(&w, end) < 0 ||
	    (size_t)(end - w.c) < strlen(PEM_END) ||
	    memcmp(w.c, PEM_END, strlen(PEM_END)) != 0)
		return -1;
	/* A block cut short or run on is GnuTLS's to judge. */
	if (der_read(prefix, n, &cert, NULL) < 0 || cert.total != w.chars * 6 / 8)
		return -1;
	*body = dashes + strlen(PEM_DASHES);
	*stop = (const char *)w.c;
	return 0;
}

/* Appends an anchor and a copy of its subject to the index. Returns 0, -1. */
static int
add_anchor(struct anchors *as, size_t *cap, size_t *names_cap, size_t *names_len,
	   const char *pem, const char *label, const unsigned char *subject, size_t subject_len)
{
	struct anchor *a;

	if (as->n_index == *cap) {
		size_t c = *cap ? 2 * *cap : 256;
		struct anchor *v = realloc(as->index, c * sizeof(*v));

		if (!v)
			return -1;
		as->index = v;
		*cap = c;
	}
	if (*names_len + subject_len > *names_cap) {
		size_t c = *names_cap ? 2 * *names_cap : 32768;
		unsigned char *v;

		while (c < *names_len + subject_len)
			c *= 2;
		v = realloc(as->names, c);
		if (!v)
			return -1;
		as->names = v;
		*names_cap = c;
	}
	memcpy(as->names + *names_len, subject, subject_len);
	a = &as->index[as->n_index++];
	a->pem = (size_t)(pem - as->file);
	a->label = label;
	a->subject = *names_len;
	a->subject_len = subject_len;
	a->use = ANCHOR_IDLE;
	*names_len += subject_len;
	return 0;
}

/*
 * Indexes the certificates of a PEM file (kept in as) by subject. Returns 0,
 * or -1 when a block is not one this index reads with certainty (GnuTLS then
 * judges the whole file) or when there is none.
 */
static int
index_pem(struct anchors *as, char *buf, size_t len)
{
	const char *end = buf + len, *p = buf, *label;
	size_t cap = 0, names_len = 0, names_cap = 0;

	pthread_once(&b64_once, b64_init);
	as->file = buf;
	as->file_len = len;
	for (p = next_block(p, end, &label); p; ) {
		unsigned char prefix[PREFIX_MAX];
		const unsigned char *subject;
		const char *body = NULL, *stop = NULL;	/* where its body starts and ends */
		struct der cert;
		size_t subject_len;
		int r = block_subject(p, (const unsigned char *)end, prefix, &subject,
				      &subject_len, &body, &stop);

		gnutls_datum_t der = { NULL, 0 };

		if (r == -2) {
			/* A freak subject further in: GnuTLS decodes the whole block. */
			gnutls_datum_t text = { (unsigned char *)(uintptr_t)p,
						(unsigned)(end - p) };

			if (gnutls_pem_base64_decode2(label, &text, &der) < 0)
				goto irregular;
			r = der_tbs_field(der.data, der.size, TBS_SUBJECT, &subject, &subject_len);
			if (r == 0 && (der_read(der.data, der.size, &cert, NULL) != 1 ||
				       cert.total != der.size))
				r = -1;
		}
		if (r == 0)
			r = add_anchor(as, &cap, &names_cap, &names_len, p, label, subject,
				       subject_len);
		gnutls_free(der.data);
		if (r < 0)
			goto irregular;
		/*
		 * GnuTLS looks for the next block from one byte past this one's
		 * start. No header can start between p and the "-----" that ends
		 * this one's (each starts with "-----"), nor in the body (no '-'
		 * there): only in those five dashes. From stop on the search is
		 * GnuTLS's.
		 */
		if (body) {
			for (const char *q = body - strlen(PEM_DASHES); q < body; q++)
				if (starts(q, end, PEM_CERT) || starts(q, end, PEM_X509))
					goto irregular;	/* a header inside this block */
			p = next_block(stop, end, &label);
		} else {
			p = next_block(p + 1, end, &label);
		}
	}
	if (as->n_index > 0)
		return 0;
irregular:
	as->file = NULL;	/* the caller's still */
	index_free(as);
	return -1;
}

/*
 * GnuTLS loads every anchor: those of buf (len bytes, the file's content)
 * when the file was read, else the system store as GnuTLS reads it. A
 * failure is remembered as words for the verdict.
 */
static void
load_all(struct anchors *as, const char *buf, size_t len)
{
	int n;

	if (gnutls_x509_trust_list_init(&as->list, 0) < 0) {
		as->list = NULL;
		snprintf(as->error, sizeof(as->error), "out of memory");
		return;
	}
	if (buf) {
		gnutls_datum_t data = { (unsigned char *)(uintptr_t)buf, (unsigned)len };

		n = gnutls_x509_trust_list_add_trust_mem(as->list, &data, NULL,
							 GNUTLS_X509_FMT_PEM, 0, 0);
	} else {
		n = gnutls_x509_trust_list_add_system_trust(as->list, 0, 0);
	}
	if (n > 0)
		return;
	if (as->ca_file)
		snprintf(as->error, sizeof(as->error), "cannot load CA file %s: %s", as->ca_file,
			 n < 0 ? gnutls_strerror(n) : "no certificates in it");
	else
		snprintf(as->error, sizeof(as->error), "cannot load the system trust store: %s",
			 n < 0 ? gnutls_strerror(n) : "it is empty");
	gnutls_x509_trust_list_deinit(as->list, 1);
	as->list = NULL;
}

void
anchors_load_buffer(struct anchors *as, char *buf, size_t len)
{
	if (as->loaded) {
		free(buf);
		return;
	}
	as->loaded = true;
	if (len > CA_FILE_MAX) {
		snprintf(as->error, sizeof(as->error), "the anchors are larger than %d KiB",
			 CA_FILE_MAX / 1024);
		free(buf);
		return;
	}
	if (!as->load_all && index_pem(as, buf, len) == 0) {
		/* The index keeps the file: no more than its size. */
		char *shrunk = realloc(buf, len + 1);

		if (shrunk)
			as->file = shrunk;
		return;
	}
	load_all(as, buf, len);
	free(buf);
}

/*
 * Reads the anchors file once and indexes it, or has GnuTLS load it whole
 * when the index cannot serve (see struct anchors).
 */
static void
load(struct anchors *as)
{
	const char *path = as->ca_file;

#ifdef SYSTEM_TRUST_FILE
	if (!path)
		path = SYSTEM_TRUST_FILE;
#endif
	if (path && (as->ca_file || !as->load_all)) {
		/* Read here, bounded, rather than by GnuTLS, which reads any size. */
		struct error e;
		char *buf;
		size_t len;

		if (file_read(path, "CA file", CA_FILE_MAX, &buf, &len, &e) == 0) {
			anchors_load_buffer(as, buf, len);
			return;
		}
		if (as->ca_file) {
			as->loaded = true;
			snprintf(as->error, sizeof(as->error), "%s", e.msg);
			return;
		}
		/* The system store as GnuTLS reads it, with its words for a failure. */
	}
	as->loaded = true;
	load_all(as, NULL, 0);
}

/* Remembers that memory ran out, for anchors_prepare's caller. Returns -1. */
static int
no_memory(struct anchors *as)
{
	snprintf(as->error, sizeof(as->error), "out of memory");
	return -1;
}

/*
 * Drops the index's list. Nothing outside the store points into it once a
 * verification has returned: the path keeps a copy of the anchor it used.
 */
static void
drop_list(struct anchors *as)
{
	if (as->list)
		gnutls_x509_trust_list_deinit(as->list, 1);
	as->list = NULL;
}

/* Whether der is the DER of one of the n certificates of v. */
static bool
among(const gnutls_x509_crt_t *v, size_t n, const gnutls_datum_t *der)
{
	for (size_t i = 0; i < n; i++)
		if (gnutls_x509_crt_equals2(v[i], der))
			return true;
	return false;
}

/*
 * Adds to the list, in file order, the anchors whose subject is one of the n
 * names and that are not in it yet, leaving out an anchor equal to one
 * before it as GnuTLS's loaders do (its equals share its subject, so they
 * join in this same call). Then the list holds what a full load holds under
 * those names. A named anchor GnuTLS cannot parse makes the full load
 * decide; a list that takes only some anchors (memory ran out) makes the
 * store fail for good. Returns 0; -1 with as->error when memory ran out,
 * the store as it was.
 */
static int
select_anchors(struct anchors *as, const gnutls_datum_t *names, size_t n_names)
{
	gnutls_x509_crt_t *add = NULL;
	size_t n_new = 0, n_add = 0;
	int rc = -1, n;

	if (!as->list && gnutls_x509_trust_list_init(&as->list, 0) < 0) {
		as->list = NULL;
		return no_memory(as);
	}
	for (size_t i = 0; i < as->n_index; i++) {
		struct anchor *a = &as->index[i];

		if (a->use != ANCHOR_IDLE)
			continue;
		for (size_t j = 0; j < n_names; j++) {
			if (names[j].size == a->subject_len &&
			    memcmp(names[j].data, as->names + a->subject, a->subject_len) == 0) {
				a->use = ANCHOR_NAMED;
				n_new++;
				break;
			}
		}
	}
	rc = 0;
	if (n_new == 0)
		goto out;
	add = calloc(n_new, sizeof(*add));
	if (!add) {
		rc = no_memory(as);
		goto out;
	}
	for (size_t i = 0; i < as->n_index; i++) {
		struct anchor *a = &as->index[i];
		gnutls_datum_t text, der;
		int r;

		if (a->use != ANCHOR_NAMED)
			continue;
		text.data = (unsigned char *)as->file + a->pem;
		text.size = (unsigned)(as->file_len - a->pem);
		if (gnutls_pem_base64_decode2(a->label, &text, &der) < 0)
			goto full;
		/* GnuTLS's flag for this would free an equal a verified chain may point to. */
		if (among(add, n_add, &der)) {
			gnutls_free(der.data);
			continue;
		}
		if (gnutls_x509_crt_init(&add[n_add]) < 0) {
			gnutls_free(der.data);
			rc = no_memory(as);
			goto out;
		}
		r = gnutls_x509_crt_import(add[n_add++], &der, GNUTLS_X509_FMT_DER);
		gnutls_free(der.data);
		if (r < 0)
			goto full;
	}
	n = gnutls_x509_trust_list_add_cas(as->list, add, (unsigned)n_add, 0);
	if (n < 0 || (size_t)n < n_add) {
		/* Some anchors of a name in the list, others not: no later call can mend that. */
		size_t taken = n < 0 ? 0 : (size_t)n;

		/* The list owns the first taken; the others are still ours. */
		memmove(add, add + taken, (n_add - taken) * sizeof(*add));
		n_add -= taken;
		drop_list(as);
		index_free(as);
		snprintf(as->error, sizeof(as->error), "out of memory");
		goto out;
	}
	n_add = 0;
	for (size_t i = 0; i < as->n_index; i++)
		if (as->index[i].use == ANCHOR_NAMED)
			as->index[i].use = ANCHOR_LISTED;
	goto out;
full:
	/* GnuTLS judges the whole file: the copy already read. */
	drop_list(as);
	load_all(as, as->file, as->file_len);
	index_free(as);
out:
	for (size_t i = 0; i < as->n_index; i++)
		if (as->index[i].use == ANCHOR_NAMED)
			as->index[i].use = ANCHOR_IDLE;	/* named again next time */
	for (size_t i = 0; i < n_add; i++)
		gnutls_x509_crt_deinit(add[i]);
	free(add);
	return rc;
}

int
anchors_prepare_names(struct anchors *as, const gnutls_datum_t *names, size_t n)
{
	if (!as->loaded)
		load(as);
	return as->index ? select_anchors(as, names, n) : 0;
}

int
anchors_prepare(struct anchors *as, const struct chain *c)
{
	gnutls_datum_t names[2 * CHAIN_MAX];
	size_t n = 0;
	int rc = -1;

	if (!as->loaded)
		load(as);
	if (!as->index)
		return 0;
	/* The names GnuTLS looks anchors up under: each certificate's issuer and subject. */
	for (size_t i = 0; i < c->n; i++) {
		const char *which = "issuer";
		int r = gnutls_x509_crt_get_raw_issuer_dn(c->v[i].crt, &names[n]);

		if (r >= 0) {
			n++;
			which = "subject";
			r = gnutls_x509_crt_get_raw_dn(c->v[i].crt, &names[n]);
		}
		if (r < 0) {
			snprintf(as->error, sizeof(as->error),
				 "cannot read the %s name of the certificate at depth %zu: %s", which,
				 i, gnutls_strerror(r));
			goto out;
		}
		n++;
	}
	rc = anchors_prepare_names(as, names, n);
out:
	for (size_t j = 0; j < n; j++)
		gnutls_free(names[j].data);
	return rc;
}

bool
anchors_indexed(const struct anchors *as)
{
	return as->index != NULL;
}
