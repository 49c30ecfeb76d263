/*
 * check_tls_pin - the Android Network Security Configuration
 * (res/xml/network_security_config.xml), read as the platform reads it:
 * <domain-config> elements, nested ones inheriting what they do not set,
 * each with its <domain includeSubdomains="..."> names, at most one
 * <pin-set expiration="yyyy-MM-dd"> of <pin digest="SHA-256"> elements,
 * and TrustKit for Android's <trustkit-config enforcePinning="...">.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appconfig_read.h"
#include "xml.h"

/* One <domain-config>. */
struct nsc_config {
	long parent;			/* the enclosing one, -1 at the top */
	unsigned long line;
	bool has_pins;			/* it has a <pin-set> */
	unsigned char (*pins)[PIN_LEN];
	size_t npins;
	bool expires;
	int64_t expiration;
	int enforce;			/* <trustkit-config enforcePinning>: -1 unset */
};

/* One <domain>, in the configuration it belongs to. */
struct nsc_domain {
	char *name;
	bool include_subdomains;
	unsigned long line;
	size_t config;
};

struct nsc {
	const char *path;
	struct error *e;
	struct nsc_config *c;
	size_t nc;
	struct nsc_domain *d;
	size_t nd;
	bool trustkit;			/* a <trustkit-config> anywhere: TrustKit's rules apply */
};

static void
nsc_free(struct nsc *x)
{
	for (size_t i = 0; i < x->nc; i++)
		free(x->c[i].pins);
	for (size_t i = 0; i < x->nd; i++)
		free(x->d[i].name);
	free(x->c);
	free(x->d);
}

static int
fail(struct nsc *x, const xmlNode *n, const char *what)
{
	return error_set(x->e, STATE_UNKNOWN, "%s:%lu: %s", x->path, xml_line(n), what);
}

/* A "true" or "false" attribute (any case, as Android reads it); *out keeps its default when absent. */
static int
bool_attr(struct nsc *x, const xmlNode *n, const char *attr, int *out)
{
	bool bad;
	char *v = xml_attr(n, attr, x->path, APPCONFIG_TEXT_MAX, &bad, x->e);
	int rc = 0;

	if (bad)
		return -1;
	if (!v)
		return 0;
	/* What aapt2 compiles to a boolean; "tRUE" stays a string, read as false. */
	if (strcmp(v, "true") == 0 || strcmp(v, "TRUE") == 0 || strcmp(v, "True") == 0)
		*out = 1;
	else if (strcmp(v, "false") == 0 || strcmp(v, "FALSE") == 0 || strcmp(v, "False") == 0)
		*out = 0;
	else
		rc = error_set(x->e, STATE_UNKNOWN, "%s:%lu: %s=\"%.64s\": expected true or false",
			       x->path, xml_line(n), attr, v);
	free(v);
	return rc;
}

static int
read_domain(struct nsc *x, const xmlNode *n, size_t config)
{
	int include = 0;
	char *name;
	struct nsc_domain *v;

	if (bool_attr(x, n, "includeSubdomains", &include) < 0)
		return -1;
	name = xml_text(n, x->path, APPCONFIG_TEXT_MAX, true, x->e);
	if (!name)
		return -1;
	if (!appconfig_domain_ok(name)) {
		error_set(x->e, STATE_UNKNOWN, "%s:%lu: <domain> '%.64s' is not a domain name",
			  x->path, xml_line(n), name);
		goto fail;
	}
	if (x->nd == APPCONFIG_DOMAINS_MAX) {
		error_set(x->e, STATE_UNKNOWN, "%s:%lu: more than %d domains", x->path, xml_line(n),
			  APPCONFIG_DOMAINS_MAX);
		goto fail;
	}
	for (size_t i = 0; i < x->nd; i++) {
		if (appconfig_score(x->d[i].name, false, name, false)) {
			error_set(x->e, STATE_UNKNOWN, "%s:%lu: domain %s is already configured at "
				  "line %lu (Android refuses the file)", x->path, xml_line(n),
				  name, x->d[i].line);
			goto fail;
		}
	}
	v = realloc(x->d, (x->nd + 1) * sizeof(*v));
	if (!v) {
		error_set(x->e, STATE_UNKNOWN, "out of memory");
		goto fail;
	}
	x->d = v;
	v[x->nd].name = name;
	v[x->nd].include_subdomains = include == 1;
	v[x->nd].line = xml_line(n);
	v[x->nd].config = config;
	x->nd++;
	return 0;
fail:
	free(name);
	return -1;
}

static int
read_pin(struct nsc *x, const xmlNode *n, struct nsc_config *c)
{
	bool bad;
	char *digest = xml_attr(n, "digest", x->path, APPCONFIG_TEXT_MAX, &bad, x->e);
	char *text = NULL;
	unsigned char d[PIN_LEN], (*v)[PIN_LEN];
	struct error sub;
	int rc = -1;

	if (bad)
		return -1;
	if (!digest || strcasecmp(digest, "SHA-256") != 0) {
		error_set(x->e, STATE_UNKNOWN, "%s:%lu: pin digest '%.64s' is not supported "
			  "(only SHA-256)", x->path, xml_line(n), digest ? digest : "");
		goto out;
	}
	text = xml_text(n, x->path, APPCONFIG_TEXT_MAX, true, x->e);
	if (!text)
		goto out;
	if (pins_parse_base64(text, strlen(text), d, &sub) < 0) {
		error_set(x->e, STATE_UNKNOWN, "%s:%lu: %s", x->path, xml_line(n), sub.msg);
		goto out;
	}
	for (size_t i = 0; i < c->npins; i++)
		if (memcmp(c->pins[i], d, PIN_LEN) == 0) {
			rc = 0;
			goto out;
		}
	if (c->npins == APPCONFIG_PINS_MAX) {
		error_set(x->e, STATE_UNKNOWN, "%s:%lu: more than %d pins in one pin-set", x->path,
			  xml_line(n), APPCONFIG_PINS_MAX);
		goto out;
	}
	v = realloc(c->pins, (c->npins + 1) * sizeof(*v));
	if (!v) {
		error_set(x->e, STATE_UNKNOWN, "out of memory");
		goto out;
	}
	c->pins = v;
	memcpy(v[c->npins++], d, PIN_LEN);
	rc = 0;
out:
	free(digest);
	free(text);
	return rc;
}

static int
read_pin_set(struct nsc *x, const xmlNode *n, size_t config)
{
	bool bad;
	char *date = xml_attr(n, "expiration", x->path, APPCONFIG_TEXT_MAX, &bad, x->e);
	int rc = 0;

	if (bad)
		return -1;
	if (x->c[config].has_pins) {
		free(date);
		return fail(x, n, "a second <pin-set> in one <domain-config> (Android refuses the file)");
	}
	x->c[config].has_pins = true;
	if (date) {
		if (appconfig_date(date, &x->c[config].expiration) < 0)
			rc = error_set(x->e, STATE_UNKNOWN, "%s:%lu: pin-set expiration '%.64s' is "
				       "not a date yyyy-MM-dd", x->path, xml_line(n), date);
		x->c[config].expires = true;
		free(date);
	}
	for (const xmlNode *p = xml_first(n); rc == 0 && p; p = xml_next(p))
		if (xml_is(p, "pin"))
			rc = read_pin(x, p, &x->c[config]);
	return rc;
}

static int
read_domain_config(struct nsc *x, const xmlNode *n, long parent)
{
	struct nsc_config *v = realloc(x->c, (x->nc + 1) * sizeof(*v));
	size_t self = x->nc, domains = x->nd;
	bool trustkit_seen = false;

	if (!v)
		return error_set(x->e, STATE_UNKNOWN, "out of memory");
	x->c = v;
	memset(&v[self], 0, sizeof(v[self]));
	v[self].parent = parent;
	v[self].line = xml_line(n);
	v[self].enforce = -1;
	x->nc++;
	for (const xmlNode *c = xml_first(n); c; c = xml_next(c)) {
		int rc = 0;

		if (xml_is(c, "domain")) {
			rc = read_domain(x, c, self);
		} else if (xml_is(c, "pin-set")) {
			rc = read_pin_set(x, c, self);
		} else if (xml_is(c, "domain-config")) {
			rc = read_domain_config(x, c, (long)self);
		} else if (xml_is(c, "trustkit-config")) {
			if (trustkit_seen)
				return fail(x, c, "a second <trustkit-config> in one <domain-config>");
			trustkit_seen = x->trustkit = true;
			rc = bool_attr(x, c, "enforcePinning", &x->c[self].enforce);
		}
		if (rc < 0)
			return -1;
	}
	/* Domains of nested configurations come after this one's own. */
	for (size_t i = domains; i < x->nd; i++)
		if (x->d[i].config == self)
			return 0;
	return fail(x, n, "a <domain-config> without a <domain> (Android refuses the file)");
}

/* The configuration whose <pin-set> applies to config: its own or the nearest enclosing one's. */
static long
pins_of(const struct nsc *x, size_t config)
{
	long c = (long)config;

	while (c >= 0 && !x->c[c].has_pins)
		c = x->c[c].parent;
	return c;
}

/* TrustKit for Android refuses, at start-up, a pinned domain with fewer than two pins. */
static int
check_trustkit(struct nsc *x)
{
	for (size_t i = 0; x->trustkit && i < x->nd; i++) {
		long c = pins_of(x, x->d[i].config);

		if (c >= 0 && x->c[c].npins < 2)
			return error_set(x->e, STATE_UNKNOWN, "%s:%lu: TrustKit refuses domain %s: "
					 "%zu pin, it needs at least 2 (a backup pin)", x->path,
					 x->d[i].line, x->d[i].name, x->c[c].npins);
	}
	return 0;
}

int
appconfig_read_android(struct app_configs *list, const char *path, xmlDocPtr doc,
		       const char *name, struct error *e)
{
	struct nsc x;
	const xmlNode *root = xmlDocGetRootElement(doc);
	const struct nsc_domain *best = NULL;
	size_t best_score = 0;
	struct app_config *c;
	long pc, ec;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	x.path = path;
	x.e = e;
	for (const xmlNode *n = xml_first(root); n; n = xml_next(n)) {
		if (xml_is(n, "domain-config")) {
			if (read_domain_config(&x, n, -1) < 0)
				goto out;
		} else if (xml_is(n, "base-config") || xml_is(n, "debug-overrides")) {
			for (const xmlNode *k = xml_first(n); k; k = xml_next(k))
				if (xml_is(k, "pin-set")) {
					fail(&x, k, "a <pin-set> outside <domain-config> (Android "
					     "refuses the file)");
					goto out;
				}
		}
	}
	if (check_trustkit(&x) < 0)
		goto out;
	for (size_t i = 0; i < x.nd; i++) {
		size_t s = appconfig_score(x.d[i].name, x.d[i].include_subdomains, name, false);

		if (s > best_score) {
			best_score = s;
			best = &x.d[i];
		}
	}
	if (!best) {
		error_set(e, STATE_UNKNOWN, "%s: no domain-config applies to %s", path, name);
		goto out;
	}
	pc = pins_of(&x, best->config);
	if (pc < 0 || x.c[pc].npins == 0) {
		error_set(e, STATE_UNKNOWN, "%s:%lu: the domain-config of %s that applies to %s "
			  "%s: the app does not pin it", path, best->line, best->name, name,
			  pc < 0 ? "has no pin-set" : "has an empty pin-set");
		goto out;
	}
	if (list->n == APPCONFIG_MAX) {
		error_set(e, STATE_UNKNOWN, "more than %d app configurations", APPCONFIG_MAX);
		goto out;
	}
	c = &list->v[list->n];
	if (appconfig_start(c, path, APP_ANDROID, best->name, best->line, e) < 0)
		goto out;
	for (size_t i = 0; i < x.c[pc].npins; i++)
		if (appconfig_add_pin(c, x.c[pc].pins[i], APP_ROLE_ANY, e) < 0) {
			appconfig_clear(c);
			goto out;
		}
	c->expires = x.c[pc].expires;
	c->expiration = x.c[pc].expiration;
	for (ec = (long)best->config; ec >= 0 && x.c[ec].enforce < 0; ec = x.c[ec].parent)
		;
	if (ec >= 0 && x.c[ec].enforce == 0) {
		c->enforce = false;
		c->enforce_key = "enforcePinning=\"false\"";
	}
	list->n++;
	rc = 0;
out:
	nsc_free(&x);
	return rc;
}
