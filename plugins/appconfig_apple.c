/*
 * check_tls_pin - an Apple property list (an app's Info.plist) with
 * TrustKit's configuration (TSKConfiguration > TSKPinnedDomains) or App
 * Transport Security's pinned domains (NSAppTransportSecurity >
 * NSPinnedDomains), or both: each is a configuration of its own, read with
 * the rules its framework applies at start-up.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appconfig_read.h"

struct apple {
	const char *path;
	const char *name;
	struct error *e;
};

/* Fills e with "path:LINE: message" (the line where the tree knows one). */
__attribute__((format(printf, 3, 4)))
static int
bad(const struct apple *x, const struct ptree *t, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (t && t->line)
		return error_set(x->e, STATE_UNKNOWN, "%s:%lu: %s", x->path, t->line, msg);
	return error_set(x->e, STATE_UNKNOWN, "%s: %s", x->path, msg);
}

/* v is of type want, or the message says what key of domain holds instead. */
static int
want(const struct apple *x, const struct ptree *v, enum ptree_type type, const char *key,
     const char *domain)
{
	if (v->type == type)
		return 0;
	return bad(x, v, "%s%s%s is %s, expected %s", key, domain ? " of " : "",
		   domain ? domain : "", ptree_type_name(v->type), ptree_type_name(type));
}

/* An optional boolean key of dictionary d: *out keeps its default when absent. */
static int
opt_bool(const struct apple *x, const struct ptree *d, const char *key, const char *domain,
	 bool *out)
{
	const struct ptree *v = ptree_get(d, key);

	if (!v)
		return 0;
	if (want(x, v, PTREE_BOOL, key, domain) < 0)
		return -1;
	*out = v->b;
	return 0;
}

/* One base64 pin, the text of string node s. */
static int
pin_of(const struct apple *x, const struct ptree *s, const char *what, const char *domain,
       unsigned char out[PIN_LEN])
{
	struct error sub;

	if (want(x, s, PTREE_STRING, what, domain) < 0)
		return -1;
	if (pins_parse_base64(s->str, strlen(s->str), out, &sub) < 0)
		return bad(x, s, "%s of %s: %s", what, domain, sub.msg);
	return 0;
}

/* What a kind of configuration holds for the name. */
struct found {
	bool present;		/* the file has this kind of configuration */
	struct app_config c;	/* the entry that applies, when c.entry is set */
	char why[300];		/* otherwise, why none does */
};

/* The TrustKit domain policy entry d (a dictionary value of TSKPinnedDomains). */
struct tsk_entry {
	const struct ptree *t;
	bool exclude, include;
};

static int
tsk_check_entry(const struct apple *x, const struct ptree *t, struct tsk_entry *out)
{
	const char *domain = t->key;
	bool enforce = true;
	size_t npins = 0, required;
	const struct ptree *hashes, *date;

	out->t = t;
	out->exclude = out->include = false;
	if (!appconfig_domain_ok(domain))
		return bad(x, t, "TrustKit pinned domain '%.64s' is not a domain name", domain);
	if (want(x, t, PTREE_DICT, "the policy", domain) < 0 ||
	    opt_bool(x, t, "TSKExcludeSubdomainFromParentPolicy", domain, &out->exclude) < 0)
		return -1;
	if (out->exclude) {
		if (t->child && t->child->next)
			return bad(x, t, "TrustKit refuses %s: TSKExcludeSubdomainFromParentPolicy "
				   "with other keys", domain);
		return 0;
	}
	if (opt_bool(x, t, "TSKIncludeSubdomains", domain, &out->include) < 0 ||
	    opt_bool(x, t, "TSKEnforcePinning", domain, &enforce) < 0)
		return -1;
	date = ptree_get(t, "TSKExpirationDate");
	if (date) {
		int64_t when;

		if (want(x, date, PTREE_STRING, "TSKExpirationDate", domain) < 0)
			return -1;
		if (appconfig_date(date->str, &when) < 0)
			return bad(x, date, "TSKExpirationDate of %s '%.64s' is not a date yyyy-MM-dd",
				   domain, date->str);
	}
	hashes = ptree_get(t, "TSKPublicKeyHashes");
	if (hashes) {
		size_t count = 0;

		if (want(x, hashes, PTREE_ARRAY, "TSKPublicKeyHashes", domain) < 0)
			return -1;
		for (const struct ptree *h = hashes->child; h; h = h->next)
			if (++count > APPCONFIG_PINS_MAX)
				return bad(x, hashes, "more than %d TSKPublicKeyHashes for %s",
					   APPCONFIG_PINS_MAX, domain);
		for (const struct ptree *h = hashes->child; h; h = h->next) {
			unsigned char d[PIN_LEN];
			bool repeated = false;

			if (pin_of(x, h, "TSKPublicKeyHashes", domain, d) < 0)
				return -1;
			for (const struct ptree *g = hashes->child; g != h && !repeated; g = g->next)
				repeated = strcmp(g->str, h->str) == 0;
			npins += !repeated;
		}
	}
	/* TrustKit asks for a backup pin unless the app only reports. */
	required = enforce ? 2 : 1;
	if (npins < required)
		return bad(x, hashes ? hashes : t, "TrustKit refuses %s: %zu pin%s, it needs at "
			   "least %zu%s", domain, npins, npins == 1 ? "" : "s", required,
			   enforce ? " (a backup pin)" : "");
	return 0;
}

/* Fills f->c from the TrustKit policy t for domain. */
static int
tsk_config(const struct apple *x, const struct ptree *t, struct found *f)
{
	struct app_config *c = &f->c;
	const struct ptree *hashes = ptree_get(t, "TSKPublicKeyHashes");
	const struct ptree *date = ptree_get(t, "TSKExpirationDate");
	const struct ptree *enforce = ptree_get(t, "TSKEnforcePinning");

	if (appconfig_start(c, x->path, APP_TRUSTKIT, t->key, t->line, x->e) < 0)
		return -1;
	for (const struct ptree *h = hashes->child; h; h = h->next) {
		unsigned char d[PIN_LEN];

		if (pin_of(x, h, "TSKPublicKeyHashes", t->key, d) < 0 ||
		    appconfig_add_pin(c, d, APP_ROLE_ANY, x->e) < 0)
			goto fail;
	}
	if (date) {
		c->expires = true;
		appconfig_date(date->str, &c->expiration);
	}
	if (enforce && !enforce->b) {
		c->enforce = false;
		c->enforce_key = "TSKEnforcePinning false";
	}
	return 0;
fail:
	appconfig_clear(c);
	return -1;
}

static int
read_trustkit(const struct apple *x, const struct ptree *root, struct found *f)
{
	const struct ptree *tsk = ptree_get(root, "TSKConfiguration"), *domains;
	struct tsk_entry *v = NULL;
	size_t n = 0, best = 0, best_score = 0;
	int rc = -1;

	if (!tsk)
		return 0;
	f->present = true;
	if (want(x, tsk, PTREE_DICT, "TSKConfiguration", NULL) < 0)
		return -1;
	domains = ptree_get(tsk, "TSKPinnedDomains");
	if (domains && want(x, domains, PTREE_DICT, "TSKPinnedDomains", NULL) < 0)
		return -1;
	if (!domains || !domains->child)
		return bad(x, tsk, "TrustKit refuses a TSKConfiguration without TSKPinnedDomains");
	for (const struct ptree *t = domains->child; t; t = t->next)
		if (++n > APPCONFIG_DOMAINS_MAX)
			return bad(x, domains, "more than %d TSKPinnedDomains", APPCONFIG_DOMAINS_MAX);
	v = calloc(n, sizeof(*v));
	if (!v)
		return error_set(x->e, STATE_UNKNOWN, "out of memory");
	n = 0;
	for (const struct ptree *t = domains->child; t; t = t->next)
		if (tsk_check_entry(x, t, &v[n++]) < 0)
			goto out;
	/* An excluded subdomain needs a parent whose policy includes subdomains. */
	for (size_t i = 0; i < n; i++) {
		bool parent = false;

		for (size_t k = 0; v[i].exclude && k < n && !parent; k++)
			parent = !v[k].exclude && v[k].include && k != i &&
				 appconfig_score(v[k].t->key, true, v[i].t->key, true) != (size_t)-1 &&
				 appconfig_score(v[k].t->key, true, v[i].t->key, true) > 0;
		if (v[i].exclude && !parent) {
			bad(x, v[i].t, "TrustKit refuses %s: TSKExcludeSubdomainFromParentPolicy "
			    "without a parent policy that includes subdomains", v[i].t->key);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		/* TrustKit compares domains as they are written, case included. */
		size_t s = appconfig_score(v[i].t->key, v[i].include && !v[i].exclude, x->name,
					   true);

		if (s > best_score) {
			best_score = s;
			best = i;
		}
	}
	if (best_score == 0) {
		snprintf(f->why, sizeof(f->why), "no TrustKit pinned domain applies to %s", x->name);
		rc = 0;
	} else if (v[best].exclude) {
		snprintf(f->why, sizeof(f->why), "TrustKit excludes %s from its parent's policy "
			 "(TSKExcludeSubdomainFromParentPolicy): the app does not pin it", x->name);
		rc = 0;
	} else {
		rc = tsk_config(x, v[best].t, f);
	}
out:
	free(v);
	return rc;
}

/* The identities of an ATS entry t under key (NSPinnedLeafIdentities, NSPinnedCAIdentities). */
static int
ats_identities(const struct apple *x, const struct ptree *t, const char *key, enum app_role role,
	       struct app_config *c)
{
	const struct ptree *a = ptree_get(t, key);

	if (!a)
		return 0;
	if (want(x, a, PTREE_ARRAY, key, t->key) < 0)
		return -1;
	for (const struct ptree *id = a->child; id; id = id->next) {
		const struct ptree *s;
		unsigned char d[PIN_LEN];

		if (want(x, id, PTREE_DICT, key, t->key) < 0)
			return -1;
		s = ptree_get(id, "SPKI-SHA256-BASE64");
		if (!s)
			return bad(x, id, "an identity of %s of %s without SPKI-SHA256-BASE64", key,
				   t->key);
		if (pin_of(x, s, "SPKI-SHA256-BASE64", t->key, d) < 0 ||
		    (c && appconfig_add_pin(c, d, role, x->e) < 0))
			return -1;
	}
	return 0;
}

static int
read_ats(const struct apple *x, const struct ptree *root, struct found *f)
{
	const struct ptree *ats = ptree_get(root, "NSAppTransportSecurity"), *domains, *best = NULL;
	size_t best_score = 0, n = 0;

	if (!ats)
		return 0;
	if (want(x, ats, PTREE_DICT, "NSAppTransportSecurity", NULL) < 0)
		return -1;
	domains = ptree_get(ats, "NSPinnedDomains");
	if (!domains)
		return 0;
	f->present = true;
	if (want(x, domains, PTREE_DICT, "NSPinnedDomains", NULL) < 0)
		return -1;
	for (const struct ptree *t = domains->child; t; t = t->next) {
		bool include = false;
		size_t s;

		if (++n > APPCONFIG_DOMAINS_MAX)
			return bad(x, domains, "more than %d NSPinnedDomains", APPCONFIG_DOMAINS_MAX);
		if (!appconfig_domain_ok(t->key))
			return bad(x, t, "ATS pinned domain '%.64s' is not a domain name", t->key);
		if (want(x, t, PTREE_DICT, "the entry", t->key) < 0 ||
		    opt_bool(x, t, "NSIncludesSubdomains", t->key, &include) < 0 ||
		    ats_identities(x, t, "NSPinnedLeafIdentities", APP_ROLE_LEAF, NULL) < 0 ||
		    ats_identities(x, t, "NSPinnedCAIdentities", APP_ROLE_CA, NULL) < 0)
			return -1;
		s = appconfig_score(t->key, include, x->name, false);
		if (s > best_score) {
			best_score = s;
			best = t;
		}
	}
	if (!best) {
		snprintf(f->why, sizeof(f->why), "no ATS pinned domain applies to %s", x->name);
		return 0;
	}
	if (appconfig_start(&f->c, x->path, APP_ATS, best->key, best->line, x->e) < 0)
		return -1;
	if (ats_identities(x, best, "NSPinnedLeafIdentities", APP_ROLE_LEAF, &f->c) < 0 ||
	    ats_identities(x, best, "NSPinnedCAIdentities", APP_ROLE_CA, &f->c) < 0) {
		appconfig_clear(&f->c);
		return -1;
	}
	if (f->c.npins == 0) {
		snprintf(f->why, sizeof(f->why), "the ATS pinned domain %s that applies to %s has "
			 "no identity: the app does not pin it", best->key, x->name);
		appconfig_clear(&f->c);
	}
	return 0;
}

int
appconfig_read_apple(struct app_configs *list, const char *path, const struct ptree *root,
		     const char *name, struct error *e)
{
	struct apple x = { path, name, e };
	struct found f[2];
	size_t applies = 0;

	memset(f, 0, sizeof(f));
	if (root->type != PTREE_DICT)
		return bad(&x, root, "the property list is %s, expected a dictionary",
			   ptree_type_name(root->type));
	if (read_trustkit(&x, root, &f[0]) < 0 || read_ats(&x, root, &f[1]) < 0)
		goto fail;
	if (!f[0].present && !f[1].present) {
		bad(&x, NULL, "a property list without TSKConfiguration or "
		    "NSAppTransportSecurity NSPinnedDomains: no pins");
		goto fail;
	}
	for (int i = 0; i < 2; i++)
		applies += f[i].c.entry != NULL;
	if (applies == 0) {
		bad(&x, NULL, "%s%s%s", f[0].why, f[0].why[0] && f[1].why[0] ? "; " : "", f[1].why);
		goto fail;
	}
	if (list->n + applies > APPCONFIG_MAX) {
		error_set(e, STATE_UNKNOWN, "more than %d app configurations", APPCONFIG_MAX);
		goto fail;
	}
	for (int i = 0; i < 2; i++)
		if (f[i].c.entry)
			list->v[list->n++] = f[i].c;
	return 0;
fail:
	appconfig_clear(&f[0].c);
	appconfig_clear(&f[1].c);
	return -1;
}
