/*
 * trust_verdict - the verdict of the plugin's trust module on certificate
 * files, once through the anchor index (what the plugin does) and once with
 * every anchor loaded by GnuTLS, for tests/integration/anchors.sh to compare.
 *
 *   trust_verdict CA_FILE|- NAME|- CHAIN_FILE...
 *
 * CA_FILE "-" is the system store; NAME "-" verifies no host name. All chains
 * go through one store of each kind, as a fleet's addresses do (see through).
 * For each chain it prints two lines, "index ..." and "full ...", each with
 * the state, GnuTLS's status bits, the anchor found and the reason, and a
 * line "held: index ..., full ..." with the anchors each list held under the
 * chain's names once it was verified (see held); it exits 0 when every pair
 * is the same, 1 when one differs, 2 on a usage error.
 *
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>

#include "cert.h"
#include "path.h"
#include "trust.h"

/* A chain through a store: verified first, its path and anchor found later. */
struct run {
	struct chain c;
	struct trust_result r;
	char line[1024];	/* the verdict, or why there is none */
	char held[512];		/* the anchors under its names, after its verification */
	bool done;		/* line is final */
};

/*
 * Under each name the chain carries (a certificate's issuer or subject, each
 * name once, in chain order), the anchors of list with exactly that subject:
 * how many, and the start of the SHA-256 of their DER in list order. The
 * anchors GnuTLS finds under a name and the order it finds them in are what
 * decide; the order across names (their hash buckets) is not. Equal anchors
 * that a full load holds once count once.
 */
static void
held(gnutls_x509_trust_list_t list, const struct chain *c, char *out, size_t size)
{
	gnutls_datum_t names[2 * CHAIN_MAX];
	gnutls_hash_hd_t digest[2 * CHAIN_MAX];
	size_t count[2 * CHAIN_MAX] = { 0 };
	gnutls_x509_trust_list_iter_t it = NULL;
	gnutls_x509_crt_t crt;
	size_t n = 0, len = 0;

	if (!list) {
		snprintf(out, size, "no list");
		return;
	}
	/* Each certificate's issuer, then its subject. */
	for (size_t i = 0; i < 2 * c->n; i++) {
		bool seen = false;

		if ((i % 2 ? gnutls_x509_crt_get_raw_dn(c->v[i / 2].crt, &names[n])
			   : gnutls_x509_crt_get_raw_issuer_dn(c->v[i / 2].crt, &names[n])) < 0)
			abort();
		for (size_t k = 0; k < n && !seen; k++)
			seen = names[k].size == names[n].size &&
			       memcmp(names[k].data, names[n].data, names[n].size) == 0;
		if (seen)
			gnutls_free(names[n].data);
		else if (gnutls_hash_init(&digest[n++], GNUTLS_DIG_SHA256) < 0)
			abort();
	}
	/* One pass over the list, each anchor into the digest of its name. */
	while (gnutls_x509_trust_list_iter_get_ca(list, &it, &crt) == 0) {
		gnutls_datum_t subject, der;

		if (gnutls_x509_crt_get_raw_dn(crt, &subject) < 0 ||
		    gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) < 0)
			abort();
		for (size_t k = 0; k < n; k++) {
			if (names[k].size == subject.size &&
			    memcmp(names[k].data, subject.data, subject.size) == 0) {
				gnutls_hash(digest[k], der.data, der.size);
				count[k]++;
			}
		}
		gnutls_free(subject.data);
		gnutls_free(der.data);
		gnutls_x509_crt_deinit(crt);
	}
	out[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		unsigned char d[32];
		int w;

		gnutls_hash_deinit(digest[k], d);
		gnutls_free(names[k].data);
		if (count[k] == 0 || len >= size)
			continue;
		w = snprintf(out + len, size - len, "%s%zu %02x%02x%02x%02x", len ? " " : "",
			     count[k], d[0], d[1], d[2], d[3]);
		len = w < 0 ? size : len + (size_t)w;
	}
	if (len == 0)
		snprintf(out, size, "none");
}

/* Verifies the chain of file, as probe_run does. */
static void
verify(struct trust_store *ts, const char *file, const char *name, struct run *run)
{
	struct error e = { 0 };

	chain_init(&run->c);
	if (chain_from_file(&run->c, file, &e) < 0) {
		snprintf(run->line, sizeof(run->line), "cannot read %s: %s", file, e.msg);
		run->done = true;
	} else if (trust_verify(ts, &run->c, name, &run->r, &e) < 0) {
		snprintf(run->line, sizeof(run->line), "error: %s", e.msg);
		run->done = true;
	}
	if (run->done)
		snprintf(run->held, sizeof(run->held), "-");
	else
		held(ts->anchors.list, &run->c, run->held, sizeof(run->held));
}

/* Then the path and its anchor, and the verdict as one line. */
static void
finish(struct run *run)
{
	struct options o;
	struct path p;
	struct error e = { 0 };

	memset(&o, 0, sizeof(o));
	pinset_init(&o.pins);
	o.verbose = 1;		/* the whole path */
	path_init(&p);
	if (!run->done) {
		if (path_build(&p, &run->c, run->r.trusted ? &run->r.links : NULL, &o,
			       (int64_t)time(NULL), &e) < 0)
			snprintf(run->line, sizeof(run->line), "error: %s", e.msg);
		else
			snprintf(run->line, sizeof(run->line), "%s status=0x%x anchor=%s reason=%s",
				 state_name(run->r.state), run->r.status,
				 p.has_anchor ? p.anchor.subject : "-", run->r.reason);
	}
	path_free(&p);
	trust_result_free(&run->r);
	chain_free(&run->c);
}

/*
 * Every chain through one store, as a fleet's addresses share one: all are
 * verified before any path or anchor is looked for, so that what a later
 * verification does to the store (new anchors, a fall-back to a full load)
 * happens between an earlier chain's verification and its anchor.
 */
static struct run *
through(struct trust_store *ts, int n, char **files, const char *name)
{
	struct run *runs = calloc((size_t)n, sizeof(*runs));

	if (!runs)
		return NULL;
	for (int i = 0; i < n; i++)
		verify(ts, files[i], name, &runs[i]);
	for (int i = 0; i < n; i++)
		finish(&runs[i]);
	return runs;
}

int
main(int argc, char **argv)
{
	struct trust_store indexed, full;
	struct run *a, *b;
	const char *ca, *name;
	int differ = 0, n = argc - 3;

	if (argc < 4) {
		fprintf(stderr, "usage: trust_verdict CA_FILE|- NAME|- CHAIN_FILE...\n");
		return 2;
	}
	ca = strcmp(argv[1], "-") ? argv[1] : NULL;
	name = strcmp(argv[2], "-") ? argv[2] : NULL;
	trust_store_init(&indexed, ca);
	trust_store_init(&full, ca);
	full.anchors.load_all = true;
	a = through(&indexed, n, argv + 3, name);
	b = through(&full, n, argv + 3, name);
	if (!a || !b)
		return 2;
	for (int i = 0; i < n; i++) {
		printf("%s\n  index %s\n  full  %s\n  held: index %s, full %s\n", argv[3 + i],
		       a[i].line, b[i].line, a[i].held, b[i].held);
		differ |= strcmp(a[i].line, b[i].line) != 0 || strcmp(a[i].held, b[i].held) != 0;
	}
	/* Whether the index served every chain, or a fall-back to a full load came. */
	printf("index kept: %s\n", anchors_indexed(&indexed.anchors) ? "yes" : "no");
	free(a);
	free(b);
	trust_store_free(&indexed);
	trust_store_free(&full);
	return differ;
}
