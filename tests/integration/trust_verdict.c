/*
 * trust_verdict - the verdict of the plugin's trust module on certificate
 * files, once through the anchor index (what the plugin does) and once with
 * every anchor loaded by GnuTLS, for tests/integration/anchors.sh to compare.
 *
 *   trust_verdict CA_FILE|- NAME|- CHAIN_FILE...
 *
 * CA_FILE "-" is the system store; NAME "-" verifies no host name. All chains
 * go through one store of each kind, in order, as a fleet's addresses do.
 * For each chain it prints two lines, "index ..." and "full ...", each with
 * the state, GnuTLS's status bits, the anchor found and the reason; it exits
 * 0 when every pair is the same, 1 when one differs, 2 on a usage error.
 *
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "cert.h"
#include "trust.h"

/* One verification, as probe_run does it; the verdict as one line in out. */
static void
verdict(struct trust_store *ts, const char *file, const char *name, char *out, size_t size)
{
	struct chain c;
	struct trust_result r;
	struct error e = { 0 };

	chain_init(&c);
	if (chain_from_file(&c, file, &e) < 0) {
		snprintf(out, size, "cannot read %s: %s", file, e.msg);
		return;
	}
	if (trust_verify(ts, &c, name, &r, &e) < 0) {
		snprintf(out, size, "error: %s", e.msg);
	} else {
		chain_mark_path(&c);
		if (r.trusted && trust_anchor(ts, &c, &e) < 0)
			snprintf(out, size, "error: %s", e.msg);
		else
			snprintf(out, size, "%s status=0x%x anchor=%s reason=%s",
				 state_name(r.state), r.status,
				 c.has_anchor ? c.anchor.subject : "-", r.reason);
	}
	chain_free(&c);
}

int
main(int argc, char **argv)
{
	struct trust_store indexed, full;
	const char *ca, *name;
	int differ = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: trust_verdict CA_FILE|- NAME|- CHAIN_FILE...\n");
		return 2;
	}
	ca = strcmp(argv[1], "-") ? argv[1] : NULL;
	name = strcmp(argv[2], "-") ? argv[2] : NULL;
	trust_store_init(&indexed, ca);
	trust_store_init(&full, ca);
	full.load_all = true;
	for (int i = 3; i < argc; i++) {
		char a[1024], b[1024];

		verdict(&indexed, argv[i], name, a, sizeof(a));
		verdict(&full, argv[i], name, b, sizeof(b));
		printf("%s\n  index %s\n  full  %s\n", argv[i], a, b);
		differ |= strcmp(a, b) != 0;
	}
	/* The index served every chain: no silent fall-back hid a difference. */
	printf("index kept: %s\n", indexed.anchors ? "yes" : "no");
	trust_store_free(&indexed);
	trust_store_free(&full);
	return differ;
}
