/*
 * Fuzz harness: the app configuration readers, built twice. As
 * fuzz_appconfig_xml the input is an XML file (an Android network security
 * configuration or a property list); as fuzz_appconfig_bplist, a binary
 * property list (the input after a "bplist00" header, unless it has one).
 * Invariants: a refusal is UNKNOWN with a message and adds nothing; what is
 * read holds, for the name, an entry that covers it and at least one pin,
 * with roles that fit its kind; and the verdict on a path of the entry's own
 * pins is a match.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "appconfig.h"
#include "appconfig_read.h"
#include "path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The names a configuration is read for: a subdomain and its parent. */
static const char *const names[] = { "api.example.com", "example.com" };

static void
check(const struct app_configs *list, const char *name)
{
	for (size_t i = 0; i < list->n; i++) {
		const struct app_config *c = &list->v[i];
		struct cert certs[2];
		struct path p;
		struct app_verdict v;
		size_t leaf = 0, ca = 0;

		if (!c->entry || !appconfig_domain_ok(c->entry) || c->npins == 0 ||
		    appconfig_score(c->entry, true, name, false) == 0)
			abort();
		for (size_t k = 0; k < c->npins; k++) {
			enum app_role role = c->pins[k].role;

			if ((c->kind == APP_ATS) == (role == APP_ROLE_ANY))
				abort();
			leaf += role == APP_ROLE_LEAF;
			ca += role == APP_ROLE_CA;
		}
		if (leaf != c->nleaf || ca != c->nca)
			abort();
		/* A path whose leaf is the first leaf-capable pin and whose CA is the first CA pin. */
		memset(certs, 0, sizeof(certs));
		memset(&p, 0, sizeof(p));
		for (size_t k = 0; k < c->npins; k++) {
			size_t at = c->pins[k].role == APP_ROLE_CA ? 1 : 0;

			if (!p.v[at]) {
				memcpy(certs[at].pin, c->pins[k].digest, PIN_LEN);
				p.v[at] = &certs[at];
			}
		}
		if (!p.v[0])
			p.v[0] = &certs[0];
		if (!p.v[1])
			p.v[1] = &certs[1];
		p.n = 2;
		p.usable = 2;
		appconfig_evaluate(c, &p, 0, 0, false, &v);
		/* Unless the CA pin is the leaf's key: no CA of a real path has it. */
		if (!v.matched && memcmp(certs[0].pin, certs[1].pin, PIN_LEN) != 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf;
	size_t len = size, at = 0;

#ifdef FUZZ_BPLIST
	if (size < 8 || memcmp(data, "bplist00", 8) != 0)
		at = 8;
#else
	if (size >= 6 && memcmp(data, "bplist", 6) == 0)
		return 0;
#endif
	if (size > APPCONFIG_FILE_MAX - at)
		return 0;
	len = size + at;
	buf = malloc(len + 1);
	if (!buf)
		return 0;
	memcpy(buf, "bplist00", at);
	memcpy(buf + at, data, size);
	buf[len] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct app_configs list;
		struct error e;

		appconfig_init(&list);
		memset(&e, 0, sizeof(e));
		if (appconfig_parse(&list, "fuzz", buf, len, names[i], &e) == 0)
			check(&list, names[i]);
		else if (e.state != STATE_UNKNOWN || e.msg[0] == '\0' || list.n != 0)
			abort();
		appconfig_free(&list);
	}
	free(buf);
	return 0;
}
