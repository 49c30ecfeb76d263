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
 * the state, GnuTLS's status bits, the anchor found and the reason; it exits
 * 0 when every pair is the same, 1 when one differs, 2 on a usage error.
 *
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cert.h"
#include "path.h"
#include "trust.h"

/* A chain through a store: verified first, its path and anchor found later. */
struct run {
	struct chain c;
	struct trust_result r;
	char line[1024];	/* the verdict, or why there is none */
	bool done;		/* line is final */
};

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
		printf("%s\n  index %s\n  full  %s\n", argv[3 + i], a[i].line, b[i].line);
		differ |= strcmp(a[i].line, b[i].line) != 0;
	}
	/* Whether the index served every chain, or a fall-back to a full load came. */
	printf("index kept: %s\n", anchors_indexed(&indexed.anchors) ? "yes" : "no");
	free(a);
	free(b);
	trust_store_free(&indexed);
	trust_store_free(&full);
	return differ;
}
