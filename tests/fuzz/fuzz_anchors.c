/*
 * Fuzz harness, differential: the bytes of an anchors file, read by the
 * anchor index (plugins/anchors.c) and loaded whole by GnuTLS. Names are
 * named to the index a few at a time, as chains name them: the subjects of
 * the blocks the index found, and the subjects and issuers of every anchor
 * of the full load. Invariants:
 * - while the full load holds anchors, the index serves a list, and under
 *   every name named so far GnuTLS consults the same anchors in both lists,
 *   in the same order (see consulted);
 * - once every name is named, both refuse the file in the same words, or
 *   both hold as many anchors. Before that the index may still serve a file
 *   GnuTLS refuses: damage inside a block that keeps every length is noticed
 *   only when a chain names that anchor (anchors.h), the one difference.
 */
#include <config.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "anchors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Names as DER, each once; owned copies. */
struct names {
	gnutls_datum_t *v;
	size_t n, cap;
};

static bool
same(const gnutls_datum_t *a, const unsigned char *data, size_t size)
{
	return a->size == size && memcmp(a->data, data, size) == 0;
}

static void
names_add(struct names *s, const unsigned char *data, size_t size)
{
	for (size_t i = 0; i < s->n; i++)
		if (same(&s->v[i], data, size))
			return;
	if (s->n == s->cap) {
		gnutls_datum_t *v = realloc(s->v, (s->cap = 2 * s->cap + 16) * sizeof(*v));

		if (!v)
			abort();
		s->v = v;
	}
	s->v[s->n].data = malloc(size ? size : 1);
	if (!s->v[s->n].data)
		abort();
	memcpy(s->v[s->n].data, data, size);
	s->v[s->n++].size = (unsigned)size;
}

static void
names_free(struct names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].data);
	free(s->v);
}

/* An anchor of a list: its names and its DER. */
struct listed {
	gnutls_datum_t subject, issuer, der;
};

/* The anchors of list in its order, as copies; *n of them. */
static struct listed *
list_anchors(gnutls_x509_trust_list_t list, size_t *n)
{
	gnutls_x509_trust_list_iter_t it = NULL;
	gnutls_x509_crt_t crt;
	struct listed *v = NULL;
	size_t cap = 0;

	*n = 0;
	while (gnutls_x509_trust_list_iter_get_ca(list, &it, &crt) == 0) {
		if (*n == cap) {
			struct listed *w = realloc(v, (cap = 2 * cap + 16) * sizeof(*v));

			if (!w)
				abort();
			v = w;
		}
		if (gnutls_x509_crt_get_raw_dn(crt, &v[*n].subject) < 0 ||
		    gnutls_x509_crt_get_raw_issuer_dn(crt, &v[*n].issuer) < 0 ||
		    gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &v[*n].der) < 0)
			abort();
		gnutls_x509_crt_deinit(crt);
		(*n)++;
	}
	return v;
}

static void
listed_free(struct listed *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		gnutls_free(v[i].subject.data);
		gnutls_free(v[i].issuer.data);
		gnutls_free(v[i].der.data);
	}
	free(v);
}

/*
 * For each subject met, a list holding one anchor of that subject: GnuTLS's
 * own look-up by name in it says whether GnuTLS consults an anchor of that
 * subject under a name (the name's hash bucket, and a name comparison that
 * is more than the bytes), without this harness repeating either rule.
 */
struct probes {
	struct names subject;		/* subject[i] is the subject of list[i]'s anchor */
	gnutls_x509_trust_list_t *list;
	size_t cap;
};

static gnutls_x509_trust_list_t
probe(struct probes *p, const struct listed *a)
{
	gnutls_x509_crt_t crt;

	size_t n = p->subject.n;

	for (size_t i = 0; i < n; i++)
		if (same(&p->subject.v[i], a->subject.data, a->subject.size))
			return p->list[i];
	if (n == p->cap) {
		gnutls_x509_trust_list_t *l = realloc(p->list, (p->cap = 2 * p->cap + 16) * sizeof(*l));

		if (!l)
			abort();
		p->list = l;
	}
	if (gnutls_x509_crt_init(&crt) < 0 ||
	    gnutls_x509_crt_import(crt, &a->der, GNUTLS_X509_FMT_DER) < 0 ||
	    gnutls_x509_trust_list_init(&p->list[n], 0) < 0 ||
	    gnutls_x509_trust_list_add_cas(p->list[n], &crt, 1, 0) != 1)
		abort();
	names_add(&p->subject, a->subject.data, a->subject.size);
	return p->list[n];
}

static void
probes_free(struct probes *p)
{
	for (size_t i = 0; i < p->subject.n; i++)
		gnutls_x509_trust_list_deinit(p->list[i], 1);
	names_free(&p->subject);
	free(p->list);
}

/* Whether GnuTLS, looking for an issuer called name, consults anchor a. */
static bool
consulted(struct probes *p, const gnutls_datum_t *name, const struct listed *a)
{
	gnutls_x509_crt_t found;

	if (gnutls_x509_trust_list_get_issuer_by_dn(probe(p, a), name, &found, 0) < 0)
		return false;
	gnutls_x509_crt_deinit(found);
	return true;
}

/*
 * Under name, the anchors GnuTLS consults in a (the index's list) and in b
 * (the full load's), in list order: the same DER one for one. Both lists
 * have one hash table size, so a name's anchors share a bucket and list
 * order is bucket order.
 */
static void
compare_under(struct probes *p, const gnutls_datum_t *name, const struct listed *a, size_t na,
	      const struct listed *b, size_t nb)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < na && !consulted(p, name, &a[i]))
			i++;
		while (j < nb && !consulted(p, name, &b[j]))
			j++;
		if (i == na || j == nb)
			break;
		if (!same(&a[i].der, b[j].der.data, b[j].der.size))
			abort();
		i++;
		j++;
	}
	if (i != na || j != nb)
		abort();
}

/* A store's own copy of the input, as anchors_load_buffer takes it. */
static char *
copy(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);

	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct anchors ix, full;
	struct names names = { 0 };
	struct probes p = { 0 };
	struct listed *f = NULL;
	size_t nf = 0, nx = 0, step = 0;

	anchors_init(&ix, "fuzz.pem");
	anchors_init(&full, "fuzz.pem");
	full.load_all = true;
	anchors_load_buffer(&ix, copy(data, size), size);
	anchors_load_buffer(&full, copy(data, size), size);
	for (size_t i = 0; ix.index && i < ix.n_index; i++)
		names_add(&names, ix.names + ix.index[i].subject, ix.index[i].subject_len);
	if (full.list)
		f = list_anchors(full.list, &nf);
	for (size_t i = 0; i < nf; i++) {
		names_add(&names, f[i].subject.data, f[i].subject.size);
		names_add(&names, f[i].issuer.data, f[i].issuer.size);
	}
	/* The last names first, one, two or three at a time. */
	for (size_t left = names.n; left > 0; left -= step) {
		struct listed *x;

		step = step % 3 + 1;
		if (step > left)
			step = left;
		if (anchors_prepare_names(&ix, &names.v[left - step], step) < 0)
			goto out;	/* memory ran out: no verdict to compare */
		if (!full.list)
			continue;
		if (!ix.list)
			abort();	/* the index refused anchors GnuTLS loads */
		x = list_anchors(ix.list, &nx);
		for (size_t i = left - step; i < names.n; i++)
			compare_under(&p, &names.v[i], x, nx, f, nf);
		listed_free(x, nx);
	}
	if (!full.list != !ix.list)
		abort();
	if (!full.list && strcmp(full.error, ix.error) != 0)
		abort();
	if (full.list && nx != nf)
		abort();
out:
	listed_free(f, nf);
	probes_free(&p);
	names_free(&names);
	anchors_free(&ix);
	anchors_free(&full);
	return 0;
}
