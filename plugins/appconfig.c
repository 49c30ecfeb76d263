/*
 * check_tls_pin - app configurations: the model, the format, the rules.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appconfig_read.h"
#include "file.h"
#include "path.h"
#include "xml.h"

void
appconfig_init(struct app_configs *list)
{
	memset(list, 0, sizeof(*list));
}

void
appconfig_clear(struct app_config *c)
{
	free(c->file);
	free(c->entry);
	free(c->pins);
	memset(c, 0, sizeof(*c));
}

void
appconfig_free(struct app_configs *list)
{
	for (size_t i = 0; i < list->n; i++)
		appconfig_clear(&list->v[i]);
	list->n = 0;
}

const char *
appconfig_kind_name(enum app_kind kind)
{
	switch (kind) {
	case APP_ANDROID: return "android";
	case APP_TRUSTKIT: return "trustkit";
	default: return "ats";
	}
}

/* len without one trailing dot. */
static size_t
undotted(const char *s)
{
	size_t n = strlen(s);

	return n > 1 && s[n - 1] == '.' ? n - 1 : n;
}

/* Whether a and b, n bytes each, are equal: in case, when exact_case. */
static bool
same(const char *a, const char *b, size_t n, bool exact_case)
{
	return exact_case ? strncmp(a, b, n) == 0 : strncasecmp(a, b, n) == 0;
}

/*
 * The platforms strip one trailing dot from the name the app connects to,
 * never from a configured domain: "api.example.com." in a configuration
 * matches nothing (Android keeps the dot; TrustKit refuses such a domain).
 */
size_t
appconfig_score(const char *domain, bool include_subdomains, const char *name, bool exact_case)
{
	size_t dn = strlen(domain), nn = strlen(name);

	if (nn > 1 && name[nn - 1] == '.')
		nn--;
	if (dn == 0 || domain[dn - 1] == '.')
		return 0;
	if (dn == nn && same(domain, name, dn, exact_case))
		return (size_t)-1;
	if (include_subdomains && nn > dn + 1 && name[nn - dn - 1] == '.' &&
	    same(domain, name + nn - dn, dn, exact_case))
		return dn;
	return 0;
}

bool
appconfig_domain_ok(const char *text)
{
	size_t n = undotted(text);

	if (n == 0 || n > APPCONFIG_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];

		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') &&
		    c != '-' && c != '_' && c != '.')
			return false;
	}
	return true;
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int
appconfig_date(const char *text, int64_t *out)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned y = 0, m, d;

	if (strlen(text) != 10 || text[4] != '-' || text[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9'))
			return -1;
	for (int i = 0; i < 4; i++)
		y = y * 10 + (unsigned)(text[i] - '0');
	m = (unsigned)(text[5] - '0') * 10 + (unsigned)(text[6] - '0');
	d = (unsigned)(text[8] - '0') * 10 + (unsigned)(text[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	*out = days_from_civil(y, m, d) * 86400;
	return 0;
}

int
appconfig_start(struct app_config *c, const char *path, enum app_kind kind, const char *domain,
		unsigned long line, struct error *e)
{
	const char *slash;

	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->line = line;
	c->enforce = true;
	c->file = strdup(path);
	c->entry = strndup(domain, undotted(domain));
	if (!c->file || !c->entry) {
		appconfig_clear(c);
		return error_set(e, STATE_UNKNOWN, "out of memory");
	}
	slash = strrchr(c->file, '/');
	c->base = slash && slash[1] ? slash + 1 : c->file;
	return 0;
}

int
appconfig_add_pin(struct app_config *c, const unsigned char digest[PIN_LEN], enum app_role role,
		  struct error *e)
{
	struct app_pin *v;

	for (size_t i = 0; i < c->npins; i++)
		if (c->pins[i].role == role && memcmp(c->pins[i].digest, digest, PIN_LEN) == 0)
			return 0;
	if (c->npins == APPCONFIG_PINS_MAX)
		return error_set(e, STATE_UNKNOWN, "%s: more than %d pins in the entry of %s",
				 c->file, APPCONFIG_PINS_MAX, c->entry);
	v = realloc(c->pins, (c->npins + 1) * sizeof(*v));
	if (!v)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	c->pins = v;
	memcpy(v[c->npins].digest, digest, PIN_LEN);
	v[c->npins].role = role;
	c->npins++;
	if (role == APP_ROLE_LEAF)
		c->nleaf++;
	else if (role == APP_ROLE_CA)
		c->nca++;
	return 0;
}

int
appconfig_parse(struct app_configs *list, const char *path, const char *buf, size_t len,
		const char *name, struct error *e)
{
	xmlDocPtr doc;
	xmlNode *root;
	struct ptree *t;
	int rc;

	if (len >= 8 && memcmp(buf, "bplist", 6) == 0) {
		if (memcmp(buf + 6, "00", 2) != 0)
			return error_set(e, STATE_UNKNOWN, "%s: binary property list version "
					 "'%.2s' is not supported (only 00)", path, buf + 6);
		t = ptree_from_binary(buf, len, path, e);
		if (!t)
			return -1;
		rc = appconfig_read_apple(list, path, t, name, e);
		ptree_free(t);
		return rc;
	}
	doc = xml_parse(buf, len, path, e);
	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (xml_is(root, "network-security-config")) {
		rc = appconfig_read_android(list, path, doc, name, e);
	} else if (xml_is(root, "plist")) {
		t = ptree_from_xml(root, path, e);
		rc = t ? appconfig_read_apple(list, path, t, name, e) : -1;
		ptree_free(t);
	} else {
		rc = error_set(e, STATE_UNKNOWN, "%s:%lu: root element <%.64s>: neither an Android "
			       "network security configuration (<network-security-config>) nor a "
			       "property list (<plist>)", path, xml_line(root),
			       (const char *)root->name);
	}
	xmlFreeDoc(doc);
	return rc;
}

int
appconfig_load(struct app_configs *list, const char *path, const char *name, struct error *e)
{
	char *buf;
	size_t len;
	int rc;

	if (file_read(path, "app config", APPCONFIG_FILE_MAX, &buf, &len, e) < 0)
		return -1;
	rc = appconfig_parse(list, path, buf, len, name, e);
	free(buf);
	return rc;
}

/* Whether a pin of role may match the certificate at depth d of a path. */
static bool
role_allows(enum app_role role, size_t d)
{
	return role == APP_ROLE_ANY || (role == APP_ROLE_LEAF) == (d == 0);
}

/* The depth of the certificate nearest the leaf that pin matches within its role, or -1. */
static long
pin_depth(const struct app_pin *pin, const struct path *p)
{
	/*
	 * No higher than an issuer out of its validity (see struct path); a CA
	 * identity never on a certificate with the leaf's key, such as a
	 * self-signed leaf that is its own trust anchor: the app has no CA there.
	 */
	for (size_t d = 0; d < p->usable; d++)
		if (role_allows(pin->role, d) && memcmp(pin->digest, p->v[d]->pin, PIN_LEN) == 0 &&
		    (pin->role != APP_ROLE_CA || memcmp(p->v[d]->pin, p->v[0]->pin, PIN_LEN) != 0))
			return (long)d;
	return -1;
}

void
appconfig_evaluate(const struct app_config *c, const struct path *p, int64_t now,
		   int64_t expiry_warn, bool require_backup, struct app_verdict *v)
{
	/* ATS with both kinds: a leaf identity and a CA identity must each match. */
	bool both = c->nleaf > 0 && c->nca > 0;

	memset(v, 0, sizeof(*v));
	v->pin = v->depth = v->ca_pin = v->ca_depth = -1;
	for (size_t i = 0; i < c->npins; i++) {
		long d = pin_depth(&c->pins[i], p);
		bool ca = both && c->pins[i].role == APP_ROLE_CA;
		long *best_pin = ca ? &v->ca_pin : &v->pin, *best_depth = ca ? &v->ca_depth : &v->depth;

		if (d < 0)
			continue;
		v->served++;
		if (*best_pin < 0 || d < *best_depth) {
			*best_pin = (long)i;
			*best_depth = d;
		}
	}
	v->leaf_ok = v->pin >= 0;
	v->ca_ok = v->ca_pin >= 0;
	v->matched = both ? v->leaf_ok && v->ca_ok : v->leaf_ok;
	v->expired = c->expires && now >= c->expiration;
	v->expiring = c->expires && !v->expired && c->expiration - now <= expiry_warn;
	if (v->expired)
		v->state = STATE_WARNING;
	else if (!v->matched)
		v->state = c->enforce ? STATE_CRITICAL : STATE_WARNING;
	else
		v->state = STATE_OK;
	if (v->matched && require_backup && v->served == c->npins) {
		v->no_backup = true;
		v->state = state_worst(v->state, STATE_WARNING);
	}
	if (v->expiring)
		v->state = state_worst(v->state, STATE_WARNING);
}

bool
appconfig_leaf_decides(const struct app_configs *list, const unsigned char leaf[PIN_LEN],
		       bool require_backup)
{
	if (require_backup)
		return list->n == 0;
	for (size_t i = 0; i < list->n; i++) {
		const struct app_config *c = &list->v[i];
		bool hit = false;

		if (c->nca > 0)
			return false;
		for (size_t k = 0; k < c->npins && !hit; k++)
			hit = memcmp(c->pins[k].digest, leaf, PIN_LEN) == 0;
		if (!hit)
			return false;
	}
	return true;
}
