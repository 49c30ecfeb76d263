/*
 * check_tls_pin - output.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "snippet.h"

/* How much of one foreign string (a subject, an error text) is shown. */
#define FOREIGN_MAX 200

void
strbuf_init(struct strbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void
strbuf_free(struct strbuf *b)
{
	free(b->s);
	strbuf_init(b);
}

static bool
strbuf_reserve(struct strbuf *b, size_t more)
{
	size_t cap;
	char *s;

	if (b->failed)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	s = realloc(b->s, cap);
	if (!s) {
		b->failed = true;
		return false;
	}
	b->s = s;
	b->cap = cap;
	return true;
}

static void
strbuf_append(struct strbuf *b, const char *text, size_t len)
{
	if (!strbuf_reserve(b, len))
		return;
	memcpy(b->s + b->len, text, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void
strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !strbuf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629 4), or 0 if there is none. */
static size_t
utf8_length(const unsigned char *s, size_t len)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;	/* overlong */
	else if (c == 0xed)
		hi = 0x9f;	/* surrogates */
	else if (c == 0xf0)
		lo = 0x90;	/* overlong */
	else if (c == 0xf4)
		hi = 0x8f;	/* above U+10FFFF */
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * Valid UTF-8 that still must not reach a monitoring system raw: C1 controls
 * (U+0085 is a line break to some), the line and paragraph separators, and
 * the invisible marks and overrides that reorder text (Unicode TR 9), which
 * could make a subject read differently from what it is.
 */
static bool
invisible(const unsigned char *s, size_t n)
{
	uint32_t cp;

	if (n == 2)
		cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	else if (n == 3)
		cp = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	else
		return false;
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0xfeff;
}

/*
 * The output form of the character at s[0]: into piece (at most 16 bytes),
 * returning its length; *used is how many input bytes it stands for.
 */
static size_t
escape_one(const unsigned char *s, size_t len, char piece[16], size_t *used)
{
	size_t n;

	*used = 1;
	if (s[0] == '\\') {
		memcpy(piece, "\\\\", 2);
		return 2;
	}
	if (s[0] < 0x20 || s[0] == 0x7f || s[0] == '|')
		return (size_t)snprintf(piece, 16, "\\x%02x", s[0]);
	if (s[0] < 0x80) {
		piece[0] = (char)s[0];
		return 1;
	}
	n = utf8_length(s, len);
	if (n == 0)
		return (size_t)snprintf(piece, 16, "\\x%02x", s[0]);
	*used = n;
	if (invisible(s, n)) {
		size_t o = 0;
		for (size_t i = 0; i < n; i++)
			o += (size_t)snprintf(piece + o, 16 - o, "\\x%02x", s[i]);
		return o;
	}
	memcpy(piece, s, n);
	return n;
}

void
report_escape(struct strbuf *b, const char *text, size_t len, size_t max)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t total = 0, out = 0, used;
	char piece[16];

	for (size_t i = 0; i < len; i += used)
		total += escape_one(s + i, len - i, piece, &used);
	/* Text that does not fit is cut at a character and marked with "...". */
	for (size_t i = 0; i < len; i += used) {
		size_t plen = escape_one(s + i, len - i, piece, &used);

		if (total > max && out + plen > max - 3) {
			strbuf_append(b, "...", 3);
			return;
		}
		strbuf_append(b, piece, plen);
		out += plen;
	}
}

static void
escape_str(struct strbuf *b, const char *text)
{
	report_escape(b, text, strlen(text), FOREIGN_MAX);
}

void
report_duration(struct strbuf *b, int64_t secs)
{
	uint64_t v = secs < 0 ? (uint64_t)0 - (uint64_t)secs : (uint64_t)secs;
	uint64_t d = v / 86400, h = v % 86400 / 3600, m = v % 3600 / 60, s = v % 60;
	uint64_t big, small;
	const char *units;

	if (d > 0) {
		big = d, small = h, units = "dh";
	} else if (h > 0) {
		big = h, small = m, units = "hm";
	} else if (m > 0) {
		big = m, small = s, units = "ms";
	} else {
		strbuf_printf(b, "%llus", (unsigned long long)s);
		return;
	}
	if (small)
		strbuf_printf(b, "%llu%c %llu%c", (unsigned long long)big, units[0],
			      (unsigned long long)small, units[1]);
	else
		strbuf_printf(b, "%llu%c", (unsigned long long)big, units[0]);
}

void
report_date(struct strbuf *b, int64_t t, bool with_time)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char text[48];

	if ((int64_t)tt != t || !gmtime_r(&tt, &tm) ||
	    strftime(text, sizeof(text), with_time ? "%Y-%m-%d %H:%M UTC" : "%Y-%m-%d",
		     &tm) == 0) {
		strbuf_printf(b, "@%lld", (long long)t);
		return;
	}
	strbuf_printf(b, "%s", text);
}

/* A number of days for perfdata: at most 2 decimals, no trailing zeros. */
static void
perf_days(struct strbuf *b, int64_t secs)
{
	char text[48];
	size_t n;

	snprintf(text, sizeof(text), "%.2f", (double)secs / 86400.0);
	n = strlen(text);
	while (n > 0 && text[n - 1] == '0')
		n--;
	if (n > 0 && text[n - 1] == '.')
		n--;
	text[n] = '\0';
	strbuf_printf(b, "%s", text);
}

/* What certificate depth is on path p: "leaf", "depth 2" or "trust anchor". */
static void
depth_name(struct strbuf *b, const struct path *p, size_t depth)
{
	if (path_is_anchor(p, depth))
		strbuf_printf(b, "trust anchor");
	else if (depth == 0)
		strbuf_printf(b, "leaf");
	else
		strbuf_printf(b, "depth %zu", depth);
}

static void
expiry_phrase(struct strbuf *b, const struct cert *ct, const struct expiry *x, int64_t now)
{
	if (x->not_yet_valid) {
		strbuf_printf(b, "NOT YET VALID, starts in ");
		report_duration(b, ct->not_before - now);
		strbuf_printf(b, " (");
		report_date(b, ct->not_before, true);
		strbuf_printf(b, ")");
		return;
	}
	if (x->remaining <= 0) {
		strbuf_printf(b, "EXPIRED ");
		report_duration(b, x->remaining);
		strbuf_printf(b, " ago (");
		report_date(b, ct->not_after, true);
		strbuf_printf(b, ")");
		return;
	}
	strbuf_printf(b, "expires in ");
	report_duration(b, x->remaining);
	strbuf_printf(b, " (");
	report_date(b, ct->not_after, true);
	strbuf_printf(b, ")");
	if (x->state == STATE_CRITICAL || x->state == STATE_WARNING) {
		bool crit = x->state == STATE_CRITICAL;
		strbuf_printf(b, ", within the %s threshold of ", crit ? "critical" : "warning");
		report_duration(b, crit ? x->crit_limit : x->warn_limit);
	}
}

/* ", key pinned (depth 1, "label")": where r's pin matched, and which. */
static void
pinned_phrase(struct strbuf *b, const struct report *r)
{
	const struct evaluation *ev = r->ev;
	const struct pinset *pins = &r->opt->pins;

	strbuf_printf(b, ", key pinned (");
	depth_name(b, r->path, (size_t)ev->match_depth);
	if (pins->v[ev->match_pin].label) {
		strbuf_printf(b, ", \"");
		escape_str(b, pins->v[ev->match_pin].label);
		strbuf_printf(b, "\"");
	}
	strbuf_printf(b, ")");
}

static void
pin_phrase(struct strbuf *b, const struct report *r)
{
	const struct evaluation *ev = r->ev;

	if (ev->match_depth < 0) {
		char text[PIN_TEXT_SIZE];
		pins_format(r->chain->v[0].pin, text);
		strbuf_printf(b, ", key NOT pinned, served %s", text);
		return;
	}
	pinned_phrase(b, r);
	if (ev->no_backup)
		strbuf_printf(b, ", no backup pin: every pin of the set (%zu) is served",
			      r->opt->pins.n);
}

/* ", TLSA 3 1 1 matched", or why DANE clients would not connect (evaluate_dane). */
static void
dane_phrase(const struct report *r, struct strbuf *b)
{
	const struct dane_answer *a = r->dane;
	const struct tlsa_verdict *v = &r->ev->dane;
	char hex[TLSA_HEX_SIZE];

	switch (a->status) {
	case DANE_FAILURE:
		strbuf_printf(b, ", TLSA lookup of ");
		escape_str(b, a->owner);
		strbuf_printf(b, " failed: ");
		escape_str(b, a->why);
		return;
	case DANE_BOGUS:
		strbuf_printf(b, ", TLSA records of ");
		escape_str(b, a->owner);
		strbuf_printf(b, " are bogus, DANE clients will not connect: ");
		escape_str(b, a->why);
		return;
	case DANE_NXDOMAIN:
	case DANE_NODATA:
		strbuf_printf(b, ", no TLSA records at ");
		escape_str(b, a->owner);
		strbuf_printf(b, " (%s%s)", a->status == DANE_NXDOMAIN ? "no such name" : "no TLSA RRset",
			      a->secure ? "" : ", and the zone is not DNSSEC-signed");
		return;
	case DANE_INSECURE:
		strbuf_printf(b, ", TLSA records are not DNSSEC-signed: DANE clients ignore them");
		return;
	case DANE_SECURE:
		break;
	}
	if (v->satisfied_by >= 0) {
		const struct tlsa *t = &a->records.v[v->satisfied_by];

		strbuf_printf(b, ", TLSA %u %u %u matched", t->usage, t->selector, t->mtype);
		if (v->no_backup)
			strbuf_printf(b, ", no TLSA record for a next key: every usable record (%zu) "
				      "matches the chain served now", v->usable);
		return;
	}
	strbuf_printf(b, ", no usable TLSA record matches (%zu usable of %zu)", v->usable,
		      a->records.n);
	if (tlsa_digest_hex(r->path->v[0], TLSA_SPKI, TLSA_SHA256, hex) == 0)
		strbuf_printf(b, ", publish: 3 1 1 %s", hex);
}

/* "android network_security_config.xml: api.example.com": the configuration and its entry. */
static void
app_source(struct strbuf *b, const struct app_config *c, bool entry)
{
	strbuf_printf(b, "%s ", appconfig_kind_name(c->kind));
	escape_str(b, c->base);
	if (entry) {
		strbuf_printf(b, ": ");
		escape_str(b, c->entry);
	}
}

/* "pin 1 of 2", "CA identity 2 of 3 at depth 1": pin i of c, matched at depth on p. */
static void
app_pin_name(struct strbuf *b, const struct app_config *c, long i, long depth,
	     const struct path *p)
{
	enum app_role role = c->pins[i].role;
	size_t of = role == APP_ROLE_LEAF ? c->nleaf : role == APP_ROLE_CA ? c->nca : c->npins;
	long at = 0;

	for (long k = 0; k < i; k++)
		at += c->pins[k].role == role;
	strbuf_printf(b, "%s %ld of %zu", role == APP_ROLE_LEAF ? "leaf identity"
		      : role == APP_ROLE_CA ? "CA identity" : "pin", at + 1, of);
	if (depth > 0) {
		strbuf_printf(b, path_is_anchor(p, (size_t)depth) ? " at the " : " at ");
		depth_name(b, p, (size_t)depth);
	}
}

/* What an ATS entry with both kinds of identity lacked. */
static void
ats_lack(struct strbuf *b, const struct app_config *c, const struct app_verdict *v)
{
	if (c->nleaf == 0 || c->nca == 0)
		return;
	if (v->leaf_ok)
		strbuf_printf(b, ", a leaf identity matches, no CA identity does");
	else if (v->ca_ok)
		strbuf_printf(b, ", a CA identity matches, no leaf identity does");
}

/* The verdict of one app configuration on the path of r. */
static void
app_phrase(struct strbuf *b, const struct report *r, const struct app_config *c,
	   const struct app_verdict *v)
{
	char served[PIN_TEXT_SIZE];

	pins_format(r->chain->v[0].pin, served);
	if (v->expired) {
		strbuf_printf(b, ", the app no longer pins ");
		escape_str(b, r->opt->app_name);
		strbuf_printf(b, " since ");
		report_date(b, c->expiration, false);
		strbuf_printf(b, " (");
		app_source(b, c, true);
		strbuf_printf(b, ", pin-set expired");
		if (!v->matched)
			strbuf_printf(b, ", served %s not in it", served);
		strbuf_printf(b, ")");
		return;
	}
	if (!v->matched) {
		strbuf_printf(b, ", key NOT pinned (");
		app_source(b, c, true);
		ats_lack(b, c, v);
		strbuf_printf(b, "), served %s", served);
		if (!c->enforce)
			strbuf_printf(b, ", the app only reports it (%s)", c->enforce_key);
	} else {
		strbuf_printf(b, ", key pinned (");
		app_source(b, c, true);
		strbuf_printf(b, ", ");
		app_pin_name(b, c, v->pin, v->depth, r->path);
		if (v->ca_pin >= 0) {
			strbuf_printf(b, " and ");
			app_pin_name(b, c, v->ca_pin, v->ca_depth, r->path);
		}
		strbuf_printf(b, ")");
		if (v->no_backup)
			strbuf_printf(b, ", no backup pin: every pin of the entry (%zu) is served",
				      c->npins);
	}
	if (v->expiring) {
		strbuf_printf(b, ", its pin-set expires ");
		report_date(b, c->expiration, false);
		strbuf_printf(b, " (in ");
		report_duration(b, c->expiration - r->ev->now);
		strbuf_printf(b, ")");
	}
}

static void
chain_phrase(const struct report *r, const struct expiry *x, struct strbuf *b)
{
	const struct cert *ct = r->path->v[x->index];

	strbuf_printf(b, ", depth %zu (", x->index);
	escape_str(b, ct->subject);
	strbuf_printf(b, ") ");
	expiry_phrase(b, ct, x, r->ev->now);
}

/*
 * --check-chain: every other certificate in a non-OK state is named; when all
 * are OK, the one that expires first is named if it expires before the leaf.
 */
static void
chain_phrases(const struct report *r, struct strbuf *b)
{
	const struct evaluation *ev = r->ev;
	bool named = false;

	for (size_t i = 0; i < ev->chain_n; i++) {
		if (ev->chain[i].state != STATE_OK) {
			chain_phrase(r, &ev->chain[i], b);
			named = true;
		}
	}
	if (!named && ev->chain_first >= 0 &&
	    ev->chain[ev->chain_first].remaining < ev->leaf.remaining)
		chain_phrase(r, &ev->chain[ev->chain_first], b);
}

/* "OCSP staple", "OCSP http://...", "CRL http://...": where c's answer s came from. */
static void
source_phrase(struct strbuf *b, const struct rev_cert *c, enum rev_source s)
{
	strbuf_printf(b, "%s", revocation_source_name(s));
	if (s != REV_STAPLE && c->url[s][0]) {
		strbuf_printf(b, " ");
		escape_str(b, c->url[s]);
	}
}

/* Why c has no answer: each source's reason, then why nothing was asked. */
static void
no_answer_reasons(struct strbuf *b, const struct rev_cert *c)
{
	const char *sep = "";

	for (int s = 0; s < REV_SOURCES; s++) {
		if (c->answer[s].status != REV_NO_ANSWER)
			continue;
		strbuf_printf(b, "%s", sep);
		source_phrase(b, c, (enum rev_source)s);
		strbuf_printf(b, ": ");
		escape_str(b, c->answer[s].why);
		sep = "; ";
	}
	if (c->unasked[0]) {
		strbuf_printf(b, "%s", sep);
		escape_str(b, c->unasked);
	}
}

/* Whether c's only reason for no answer is its staple, already named as must-staple's. */
static bool
said_by_must_staple(const struct rev_cert *c)
{
	return c->staple_missing && !c->unasked[0] && c->answer[REV_OCSP].status != REV_NO_ANSWER &&
	       c->answer[REV_CRL].status != REV_NO_ANSWER;
}

/* ", " and the certificate a revocation finding is about: "leaf", "depth 1". */
static void
rev_clause(struct strbuf *b, const struct report *r, const struct rev_cert *c)
{
	strbuf_printf(b, ", ");
	depth_name(b, r->path, c->depth);
}

/* One certificate's revocation finding when it is not "good"; false when it is. */
static bool
revocation_problem(const struct report *r, const struct rev_cert *c, struct strbuf *b)
{
	const struct rev_answer *a = &c->answer[c->source];
	bool said = false;

	if (c->staple_missing) {
		rev_clause(b, r, c);
		if (c->answer[REV_STAPLE].status == REV_NONE) {
			strbuf_printf(b, " is must-staple, but no OCSP response was stapled");
		} else {
			strbuf_printf(b, " is must-staple, but the stapled OCSP response is no "
				      "answer: ");
			escape_str(b, c->answer[REV_STAPLE].why);
		}
		said = true;
	}
	switch (c->status) {
	case REV_REVOKED:
		rev_clause(b, r, c);
		strbuf_printf(b, " REVOKED (");
		source_phrase(b, c, c->source);
		strbuf_printf(b, ")");
		if (a->revoked_at > 0) {
			strbuf_printf(b, " on ");
			report_date(b, a->revoked_at, true);
		}
		strbuf_printf(b, ", reason %s", revocation_reason_name(a->reason));
		return true;
	case REV_UNKNOWN:
		rev_clause(b, r, c);
		strbuf_printf(b, " revocation unknown: the ");
		source_phrase(b, c, c->source);
		strbuf_printf(b, " says \"unknown\"");
		return true;
	case REV_NO_ANSWER:
		if (said_by_must_staple(c))
			return true;
		rev_clause(b, r, c);
		strbuf_printf(b, " revocation not known: ");
		no_answer_reasons(b, c);
		return true;
	default:
		return said;
	}
}

/*
 * Revocation on the status line: every certificate that is not known good
 * is named with why; when all are good, how it is known.
 */
static void
revocation_phrases(const struct report *r, struct strbuf *b)
{
	const struct rev_result *rv = r->revocation;
	size_t good = 0, problems = 0;

	for (size_t i = 0; i < rv->n; i++) {
		if (revocation_problem(r, &rv->v[i], b))
			problems++;
		else if (rv->v[i].status == REV_GOOD)
			good++;
	}
	if (good == 0 || problems > 0)
		return;
	strbuf_printf(b, ", not revoked (");
	for (size_t i = 0, k = 0; i < rv->n; i++) {
		const struct rev_cert *c = &rv->v[i];

		if (c->status != REV_GOOD)
			continue;
		strbuf_printf(b, k++ ? ", " : "");
		if (good > 1) {
			depth_name(b, r->path, c->depth);
			strbuf_printf(b, ": ");
		}
		strbuf_printf(b, "%s", revocation_source_name(c->source));
	}
	strbuf_printf(b, ")");
}

/* The verdict on one address, as it follows the target: findings, or the failure. */
static void
summary(const struct report *r, struct strbuf *b)
{
	const struct evaluation *ev = r->ev;

	if (r->failure) {
		report_escape(b, r->failure->msg, strlen(r->failure->msg), sizeof(r->failure->msg));
		return;
	}
	expiry_phrase(b, &r->chain->v[0], &ev->leaf, ev->now);
	chain_phrases(r, b);
	if (ev->pins_checked)
		pin_phrase(b, r);
	if (ev->dane_checked)
		dane_phrase(r, b);
	for (size_t i = 0; i < ev->napps; i++)
		app_phrase(b, r, &r->opt->apps.v[i], &ev->apps[i]);
	if (ev->validity_checked && ev->validity_state != STATE_OK)
		strbuf_printf(b, ", validity of %lld days exceeds the %lld-day maximum",
			      (long long)ev->validity_days, (long long)ev->validity_limit);
	if (ev->trust_checked && ev->trust_state != STATE_OK) {
		strbuf_printf(b, ev->trust_state == STATE_CRITICAL ? ", NOT trusted: "
				 : ", trust not verified: ");
		escape_str(b, r->trust->reason);
	}
	if (r->revocation)
		revocation_phrases(r, b);
}

/* "days=63.17;30:;14:;;" for the certificate that sets r's expiry state. */
static void
perf_expiry(const struct report *r, struct strbuf *b)
{
	const struct expiry *x = &r->ev->expiry;

	strbuf_printf(b, "days=%.2f;", (double)x->remaining / 86400.0);
	perf_days(b, x->warn_limit);
	strbuf_printf(b, ":;");
	perf_days(b, x->crit_limit);
	strbuf_printf(b, ":;;");
}

static void
status_line(const struct report *r, enum state st, struct strbuf *b)
{
	strbuf_printf(b, "TLS_PIN %s - ", state_name(st));
	escape_str(b, r->target);
	if (r->address && r->opt->address) {
		strbuf_printf(b, " (");
		escape_str(b, r->address);
		strbuf_printf(b, ")");
	}
	strbuf_printf(b, r->failure ? ": " : " ");
	summary(r, b);
	strbuf_printf(b, " | ");
	if (!r->failure) {
		perf_expiry(r, b);
		strbuf_printf(b, " ");
	}
	strbuf_printf(b, "time=%.3fs;;;0;\n", r->elapsed);
}

/* What the pin set says of pin, on a -v line of a certificate in_scope or not. */
static void
pin_status(const struct report *r, const unsigned char *pin, const char *outside,
	   struct strbuf *b)
{
	long at = pins_find(&r->opt->pins, pin);

	if (at < 0) {
		strbuf_printf(b, ", not pinned");
	} else if (outside) {
		strbuf_printf(b, ", in the pin set but %s", outside);
	} else if (r->opt->pins.v[at].label) {
		strbuf_printf(b, ", pinned \"");
		escape_str(b, r->opt->pins.v[at].label);
		strbuf_printf(b, "\"");
	} else {
		strbuf_printf(b, ", pinned");
	}
}

/* One -v line: the facts of ct, introduced by what the caller wrote before. */
static void
cert_facts(const struct report *r, const struct cert *ct, const char *outside, struct strbuf *b)
{
	char pin[PIN_TEXT_SIZE];

	pins_format(ct->pin, pin);
	strbuf_printf(b, "subject \"");
	escape_str(b, ct->subject);
	strbuf_printf(b, "\", issuer \"");
	escape_str(b, ct->issuer);
	strbuf_printf(b, "\", valid ");
	report_date(b, ct->not_before, true);
	strbuf_printf(b, " to ");
	report_date(b, ct->not_after, true);
	strbuf_printf(b, " (%.2f days left), %s, %s, %s", (double)(ct->not_after - r->ev->now) / 86400.0,
		      pin, ct->key, ct->signature);
	if (r->opt->pins.n)
		pin_status(r, ct->pin, outside, b);
	strbuf_printf(b, "\n");
}

/*
 * -v: the path from the leaf up, then what the server sent beyond it, which
 * no client uses and which changes no state.
 */
static void
cert_lines(const struct report *r, struct strbuf *b)
{
	const struct path *p = r->path;
	size_t scope = evaluate_scope(r->opt, p);

	for (size_t d = 0; d < p->n; d++) {
		if (path_is_anchor(p, d))
			strbuf_printf(b, "trust anchor: ");
		else
			strbuf_printf(b, "depth %zu: ", d);
		cert_facts(r, p->v[d], d < scope ? NULL : d < p->usable ? "outside --pin-scope"
			   : "above an issuer out of its validity", b);
	}
	for (size_t i = 0; p->whole && i < r->chain->n; i++) {
		const struct cert *ct = &r->chain->v[i];
		const struct cert *anchor = p->has_anchor ? p->v[p->n - 1] : NULL;

		if (path_has_served(p, i))
			continue;
		if (anchor && memcmp(ct->pin, anchor->pin, PIN_LEN) == 0 &&
		    strcmp(ct->subject, anchor->subject) == 0) {
			/* The anchor stands in its place on the path (see path_build). */
			strbuf_printf(b, "sent as certificate %zu, a copy of the trust anchor: ", i + 1);
			cert_facts(r, ct, NULL, b);
			continue;
		}
		strbuf_printf(b, "sent as certificate %zu, on no path: ", i + 1);
		cert_facts(r, ct, "not on the path", b);
	}
}

/* A record's association data in hex; data longer than 64 bytes is cut. */
static void
tlsa_data(const struct tlsa *t, struct strbuf *b)
{
	size_t shown = t->len > 64 ? 32 : t->len;

	for (size_t i = 0; i < shown; i++)
		strbuf_printf(b, "%02x", t->data[i]);
	if (shown < t->len)
		strbuf_printf(b, "... (%zu bytes)", t->len);
}

/* -v: the TLSA answer, then each record and what it says of the path. */
static void
dane_lines(const struct report *r, struct strbuf *b)
{
	const struct dane_answer *a = r->dane;
	const struct tlsa_verdict *v = &r->ev->dane;

	strbuf_printf(b, "TLSA ");
	escape_str(b, a->owner);
	strbuf_printf(b, ": %s", dane_status_name(a->status));
	if (a->status == DANE_NODATA || a->status == DANE_NXDOMAIN)
		strbuf_printf(b, a->secure ? " (secure)" : " (insecure)");
	if (a->status == DANE_BOGUS || a->status == DANE_FAILURE) {
		strbuf_printf(b, ": ");
		escape_str(b, a->why);
	}
	if (a->status == DANE_SECURE || a->status == DANE_INSECURE)
		strbuf_printf(b, ", %zu record%s, %zu usable", a->records.n,
			      a->records.n == 1 ? "" : "s", v->usable);
	strbuf_printf(b, "\n");
	if (a->status != DANE_SECURE && a->status != DANE_INSECURE)
		return;
	for (size_t i = 0; i < a->records.n; i++) {
		const struct tlsa *t = &a->records.v[i];
		const struct tlsa_outcome *out = &v->r[i];

		if (t->short_rdata) {
			strbuf_printf(b, "TLSA record %zu: unusable: %s\n", i + 1,
				      tlsa_usability_text(out->usability));
			continue;
		}
		strbuf_printf(b, "TLSA %u %u %u ", t->usage, t->selector, t->mtype);
		tlsa_data(t, b);
		if (out->usability != TLSA_USABLE) {
			strbuf_printf(b, ": unusable, %s\n", tlsa_usability_text(out->usability));
			continue;
		}
		if (out->depth < 0) {
			strbuf_printf(b, ": matches nothing on the path\n");
			continue;
		}
		strbuf_printf(b, ": matches %s", out->depth == 0 || path_is_anchor(r->path,
			      (size_t)out->depth) ? "the " : "");
		depth_name(b, r->path, (size_t)out->depth);
		if (out->satisfied)
			strbuf_printf(b, ", accepted\n");
		else
			strbuf_printf(b, ", refused: %s\n", out->refused ? out->refused : "?");
	}
}

/* -v: each app configuration, as read for the name. */
static void
app_lines(const struct report *r, struct strbuf *b)
{
	for (size_t i = 0; i < r->opt->apps.n; i++) {
		const struct app_config *c = &r->opt->apps.v[i];

		strbuf_printf(b, "app config: ");
		app_source(b, c, false);
		if (c->line)
			strbuf_printf(b, " line %lu", c->line);
		strbuf_printf(b, ": ");
		escape_str(b, c->entry);
		strbuf_printf(b, " applies to ");
		escape_str(b, r->opt->app_name);
		if (c->kind == APP_ATS)
			strbuf_printf(b, ", %zu leaf and %zu CA identities", c->nleaf, c->nca);
		else
			strbuf_printf(b, ", %zu pins", c->npins);
		if (c->expires) {
			strbuf_printf(b, ", pin-set expires ");
			report_date(b, c->expiration, false);
		}
		if (!c->enforce)
			strbuf_printf(b, ", not enforced (%s)", c->enforce_key);
		strbuf_printf(b, "\n");
	}
}

/* -v: each answer of each certificate, with its source, URL and times. */
static void
revocation_lines(const struct report *r, struct strbuf *b)
{
	const struct rev_result *rv = r->revocation;

	for (size_t i = 0; i < rv->n; i++) {
		const struct rev_cert *c = &rv->v[i];

		if (c->must_staple) {
			strbuf_printf(b, "revocation, ");
			depth_name(b, r->path, c->depth);
			strbuf_printf(b, ": must-staple (TLS feature status_request)\n");
		}
		for (int s = 0; s < REV_SOURCES; s++) {
			const struct rev_answer *a = &c->answer[s];

			if (a->status == REV_NONE)
				continue;
			strbuf_printf(b, "revocation, ");
			depth_name(b, r->path, c->depth);
			strbuf_printf(b, ", ");
			source_phrase(b, c, (enum rev_source)s);
			if (s == REV_CRL && rv->cached[i])
				strbuf_printf(b, " (from --crl-cache)");
			strbuf_printf(b, ": %s", a->status == REV_GOOD ? "good"
				      : a->status == REV_REVOKED ? "REVOKED"
				      : a->status == REV_UNKNOWN ? "unknown" : "no answer: ");
			if (a->status == REV_NO_ANSWER)
				escape_str(b, a->why);
			if (a->status == REV_REVOKED) {
				if (a->revoked_at > 0) {
					strbuf_printf(b, " on ");
					report_date(b, a->revoked_at, true);
				}
				strbuf_printf(b, ", reason %s", revocation_reason_name(a->reason));
			}
			if (a->this_update > 0) {
				strbuf_printf(b, ", this update ");
				report_date(b, a->this_update, true);
				strbuf_printf(b, ", next update ");
				if (a->next_update > 0)
					report_date(b, a->next_update, true);
				else
					strbuf_printf(b, "none");
			}
			strbuf_printf(b, "\n");
		}
		if (c->unasked[0]) {
			strbuf_printf(b, "revocation, ");
			depth_name(b, r->path, c->depth);
			strbuf_printf(b, ": nothing asked: ");
			escape_str(b, c->unasked);
			strbuf_printf(b, "\n");
		}
	}
	if (rv->cache_error[0]) {
		strbuf_printf(b, "revocation: a CRL was not kept: ");
		escape_str(b, rv->cache_error);
		strbuf_printf(b, "\n");
	}
}

/* The STARTTLS dialogue, one line per exchange: "C: EHLO ...", "S: 250-..." */
static void
dialogue_lines(const struct report *r, struct strbuf *b)
{
	for (size_t i = 0; i < r->dialogue->n; i++) {
		const struct transcript_line *l = &r->dialogue->v[i];

		strbuf_printf(b, "%c: ", l->from);
		report_escape(b, l->text, l->len, FOREIGN_MAX);
		if (r->opt->verbose >= 2)
			strbuf_printf(b, " [%.3fs]", l->at);
		strbuf_printf(b, "\n");
	}
}

static void
long_output(const struct report *r, struct strbuf *b)
{
	static const char *const phase_names[PHASE_COUNT] = {
		"resolve", "connect", "starttls", "handshake", "verify", "revocation"
	};

	if (r->chain && r->ev) {
		cert_lines(r, b);
		app_lines(r, b);
		if (r->tls)
			strbuf_printf(b, "TLS: %s, %s\n", r->tls->version, r->tls->suite);
		if (!r->trust) {
			strbuf_printf(b, "trust: not verified%s\n",
				      r->opt->no_verify ? " (--no-verify)" : " (no --ca-file)");
		} else {
			strbuf_printf(b, "trust: %s against ", r->trust->trusted ? "verified"
				      : r->trust->state == STATE_CRITICAL ? "NOT verified"
				      : "could not verify");
			if (r->opt->ca_file)
				escape_str(b, r->opt->ca_file);
			else
				strbuf_printf(b, "the system trust store");
			if (r->opt->verify_name) {
				strbuf_printf(b, " for ");
				escape_str(b, r->opt->verify_name);
			}
			if (!r->trust->trusted) {
				strbuf_printf(b, ": ");
				escape_str(b, r->trust->reason);
			}
			strbuf_printf(b, "\n");
		}
		if (r->dane && r->ev->dane_checked)
			dane_lines(r, b);
		if (r->revocation)
			revocation_lines(r, b);
	}
	if (r->dialogue)
		dialogue_lines(r, b);
	if (r->address && r->opt->verbose >= 1 && !r->opt->address) {
		strbuf_printf(b, "address: ");
		escape_str(b, r->address);
		strbuf_printf(b, "\n");
	}
	if (r->opt->verbose >= 2) {
		strbuf_printf(b, "timing:");
		for (int i = 0; i < PHASE_COUNT; i++)
			if (r->phase[i] >= 0)
				strbuf_printf(b, " %s %.3fs,", phase_names[i], r->phase[i]);
		if (r->dane && r->dane->seconds >= 0)
			strbuf_printf(b, " tlsa lookup %.3fs,", r->dane->seconds);
		strbuf_printf(b, " total %.3fs\n", r->elapsed);
	}
}

/* The first depth on path p whose pin is pin, or -1. */
static long
path_depth_of(const struct path *p, const unsigned char *pin)
{
	for (size_t d = 0; p && d < p->n; d++)
		if (memcmp(p->v[d]->pin, pin, PIN_LEN) == 0)
			return (long)d;
	return -1;
}

/* Whether pin is the leaf's at any of the n reports. */
static bool
leaf_anywhere(const struct report *rs, size_t n, const unsigned char *pin)
{
	for (size_t i = 0; i < n; i++)
		if (rs[i].path && memcmp(rs[i].path->v[0]->pin, pin, PIN_LEN) == 0)
			return true;
	return false;
}

/*
 * The label of depth d of report i's path: every role it has there
 * ("depth 2 and trust anchor"), the subject and the expiry; for a fleet,
 * the addresses whose path holds it, after sep.
 */
static void
pin_label(const struct report *rs, size_t n, bool fleet, size_t i, size_t d, const char *sep,
	  struct strbuf *b)
{
	const struct path *p = rs[i].path;
	const struct cert *ct = p->v[d];
	size_t roles = 0;

	for (size_t k = d; k < p->n; k++) {
		if (memcmp(p->v[k]->pin, ct->pin, PIN_LEN) != 0)
			continue;
		strbuf_printf(b, roles++ ? " and " : "");
		depth_name(b, p, k);
	}
	strbuf_printf(b, ": ");
	escape_str(b, ct->subject);
	strbuf_printf(b, ", expires ");
	report_date(b, ct->not_after, false);
	for (size_t j = i, k = 0; fleet && j < n; j++) {
		if (path_depth_of(rs[j].path, ct->pin) < 0)
			continue;
		strbuf_printf(b, "%s ", k++ ? "," : sep);
		escape_str(b, rs[j].target);
	}
}

/* The pin-file line of depth d of report i's path: the pin, then its label. */
static void
pin_line(const struct report *rs, size_t n, bool fleet, size_t i, size_t d, struct strbuf *b)
{
	char pin[PIN_TEXT_SIZE];

	pins_format(rs[i].path->v[d]->pin, pin);
	strbuf_printf(b, "%s  ", pin);
	pin_label(rs, n, fleet, i, d, "  # served by", b);
	strbuf_printf(b, "\n");
}

/* A pin --print-pins writes: depth d of report i's path; a leaf's or not. */
struct printed {
	size_t i, d;
	bool leaf;
};

/*
 * Every distinct pin of the paths of rs once, into out (room for every
 * certificate of every path): the leaves' first, then the CAs'. Returns
 * how many.
 */
static size_t
printed_pins(const struct report *rs, size_t n, struct printed *out)
{
	size_t k = 0;

	for (int leaves = 1; leaves >= 0; leaves--) {
		for (size_t i = 0; i < n; i++) {
			const struct path *p = rs[i].path;

			for (size_t d = 0; p && d < p->n; d++) {
				const unsigned char *pin = p->v[d]->pin;
				bool seen = path_depth_of(p, pin) < (long)d;

				for (size_t j = 0; j < i && !seen; j++)
					seen = path_depth_of(rs[j].path, pin) >= 0;
				if (seen || leaf_anywhere(rs, n, pin) != (leaves == 1))
					continue;
				out[k].i = i;
				out[k].d = d;
				out[k].leaf = leaves == 1;
				k++;
			}
		}
	}
	return k;
}

/* A list of what --print-pins writes for rs, freed by the caller; NULL when out of memory. */
static struct printed *
printed_list(const struct report *rs, size_t n, size_t *count)
{
	struct printed *v = calloc(n * (CHAIN_MAX + 1) + 1, sizeof(*v));

	*count = v ? printed_pins(rs, n, v) : 0;
	return v;
}

/*
 * --print-pins: every distinct pin of the paths of rs once. A leaf's pin is
 * an active line: what a client that pins the server's key holds. A CA's is
 * commented out, since pinning it lets any key that CA signs match.
 */
static void
pin_file(const struct report *rs, size_t n, bool fleet, struct strbuf *b)
{
	size_t count;
	struct printed *v = printed_list(rs, n, &count);
	bool noted = false;

	for (size_t k = 0; k < count; k++) {
		if (!v[k].leaf && !noted) {
			strbuf_printf(b, "# Not pinned: the CA keys below. Uncommenting one "
				      "pins that CA: any key it signs then matches.\n");
			noted = true;
		}
		if (!v[k].leaf)
			strbuf_printf(b, "# ");
		pin_line(rs, n, fleet, v[k].i, v[k].d, b);
	}
	free(v);
}

/* --print-pins --format android|trustkit|ats: the same pins as a snippet, text as comments. */
static void
pin_snippet(const struct options *o, const struct report *rs, size_t n, bool fleet,
	    const struct strbuf *text, struct strbuf *b)
{
	size_t count;
	struct printed *v = printed_list(rs, n, &count);
	struct snippet_pin *pins = calloc(count + 1, sizeof(*pins));
	struct strbuf *labels = calloc(count + 1, sizeof(*labels));

	if (!v || !pins || !labels) {
		count = 0;
	}
	for (size_t k = 0; k < count; k++) {
		strbuf_init(&labels[k]);
		pin_label(rs, n, fleet, v[k].i, v[k].d, ", served by", &labels[k]);
		pins[k].digest = rs[v[k].i].path->v[v[k].d]->pin;
		pins[k].active = v[k].leaf;
		pins[k].label = labels[k].s ? labels[k].s : "";
	}
	snippet_write(o->format, o->app_name, pins, count, text->s, b);
	for (size_t k = 0; k < count; k++)
		strbuf_free(&labels[k]);
	free(labels);
	free(pins);
	free(v);
}

static void append_commented(struct strbuf *b, const struct strbuf *text, const char *prefix);

/* --print-pins: the pins in o's format, then text (the check's output) as comments. */
static void
print_pins(const struct options *o, const struct report *rs, size_t n, bool fleet,
	   const struct strbuf *text, struct strbuf *b)
{
	if (o->format != FORMAT_PINS) {
		pin_snippet(o, rs, n, fleet, text, b);
		return;
	}
	pin_file(rs, n, fleet, b);
	append_commented(b, text, "# ");
}

/* The TLSA record line for ct: owner, the 3 1 1 or 2 1 1 data, and a comment on ct. */
static void
tlsa_line(const char *owner, const struct cert *ct, int usage, const char *role, struct strbuf *b)
{
	char hex[TLSA_HEX_SIZE];

	if (tlsa_digest_hex(ct, TLSA_SPKI, TLSA_SHA256, hex) < 0)
		return;
	strbuf_printf(b, "%s%s IN TLSA %d 1 1 %s ; %s: ", usage == TLSA_DANE_TA ? "; " : "",
		      owner, usage, hex, role);
	escape_str(b, ct->subject);
	strbuf_printf(b, ", expires ");
	report_date(b, ct->not_after, false);
	strbuf_printf(b, "\n");
}

/* Whether depth d of rs[i]'s path holds the same key as an earlier one of kind leaf or not. */
static bool
seen_before(const struct report *rs, size_t i, size_t d, bool leaf)
{
	const unsigned char *pin = rs[i].path->v[d]->pin;

	for (size_t j = 0; j <= i; j++) {
		const struct path *p = rs[j].path;
		size_t from = leaf ? 0 : 1, to = leaf ? 1 : p ? p->n : 0;

		for (size_t k = from; p && k < to && (j < i || k < d); k++)
			if (memcmp(p->v[k]->pin, pin, PIN_LEN) == 0)
				return true;
	}
	return false;
}

/*
 * --print-tlsa: zone-file lines for the owner of o's service. The 3 1 1
 * record of each distinct leaf key served is active: DANE-EE, what survives
 * a renewal with the same key and needs no CA. The issuing CA's 2 1 1 is
 * commented out: it would let any key that CA signs match, and holds only
 * while the server sends that CA.
 */
static void
tlsa_file(const struct options *o, const struct report *rs, size_t n, struct strbuf *b)
{
	char owner[300];
	bool noted = false;

	if (dane_owner(o->port, o->name ? o->name : "", owner, sizeof(owner)) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (rs[i].path && rs[i].path->n > 0 && !seen_before(rs, i, 0, true))
			tlsa_line(owner, rs[i].path->v[0], TLSA_DANE_EE, "leaf", b);
	for (size_t i = 0; i < n; i++) {
		const struct path *p = rs[i].path;

		/* DANE-TA needs the CA among what the server sends (RFC 7671 5.2). */
		if (!p || p->n < 2 || path_is_anchor(p, 1) || seen_before(rs, i, 1, false))
			continue;
		if (!noted) {
			strbuf_printf(b, "; Not published: the issuing CA's record. Uncommented, any key "
				      "that CA signs matches, while the server sends the CA.\n");
			noted = true;
		}
		tlsa_line(owner, p->v[1], TLSA_DANE_TA, "issuing CA", b);
	}
}

/* Appends text with prefix before each line: a comment of a pin file or zone file. */
static void
append_commented(struct strbuf *b, const struct strbuf *text, const char *prefix)
{
	for (const char *line = text->s; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);

		strbuf_append(b, prefix, strlen(prefix));
		strbuf_append(b, line, n);
		line += n;
	}
}

enum state
report_render(const struct report *r, struct strbuf *b)
{
	enum state st = r->failure ? r->failure->state : r->ev->state;
	struct strbuf text;

	strbuf_init(&text);
	status_line(r, st, &text);
	if (r->opt->verbose > 0)
		long_output(r, &text);
	if (r->opt->print_pins) {
		/* Everything but the pins becomes a comment of the pin file. */
		print_pins(r->opt, r, 1, false, &text, b);
	} else if (r->opt->print_tlsa) {
		tlsa_file(r->opt, r, 1, b);
		append_commented(b, &text, report_comment(r->opt));
	} else {
		strbuf_append(b, text.s ? text.s : "", text.len);
	}
	strbuf_free(&text);
	return st;
}

const char *
report_comment(const struct options *o)
{
	return o->print_pins ? "# " : o->print_tlsa ? "; " : "";
}

void
report_usage_error(const struct error *e, struct strbuf *b)
{
	strbuf_printf(b, "TLS_PIN UNKNOWN - ");
	report_escape(b, e->msg, strlen(e->msg), sizeof(e->msg));
	strbuf_printf(b, "\nUsage: check_tls_pin -H HOST [OPTION]... or --file CERTS [OPTION]...; "
		      "see 'check_tls_pin --help'.\n");
}

static enum state
report_state(const struct report *r)
{
	return r->failure ? r->failure->state : r->ev->state;
}

/* Whether every address has a verdict, and a pin of o matched at each. */
static bool
all_pinned(const struct options *o, const struct report *rs, size_t n)
{
	if (o->pins.n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (rs[i].failure || rs[i].ev->match_depth < 0)
			return false;
	return true;
}

/* The name of the pin that matched at r: its label, else its place in the set. */
static void
matched_pin_name(const struct options *o, const struct report *r, struct strbuf *b)
{
	const struct pin *pin = &o->pins.v[r->ev->match_pin];

	if (pin->label) {
		strbuf_printf(b, "\"");
		escape_str(b, pin->label);
		strbuf_printf(b, "\"");
	} else {
		strbuf_printf(b, "pin %ld of %zu", r->ev->match_pin + 1, o->pins.n);
	}
}

/*
 * Every address pinned: on one key, which pin matched; on several (a
 * rotation under way), which address serves which pin.
 */
static void
fleet_pins_phrase(const struct options *o, const struct report *rs, size_t n, size_t ng,
		  struct strbuf *b)
{
	if (ng == 1) {
		pinned_phrase(b, &rs[0]);
		return;
	}
	strbuf_printf(b, ", keys pinned: ");
	for (size_t i = 0; i < n; i++) {
		strbuf_printf(b, i ? ", " : "");
		escape_str(b, rs[i].target);
		strbuf_printf(b, " ");
		matched_pin_name(o, &rs[i], b);
	}
}

/*
 * --dane, every address accepted on the one lookup's records: the record
 * they share, or that each was accepted.
 */
static void
fleet_dane_phrase(const struct report *rs, size_t n, struct strbuf *b)
{
	long first;

	for (size_t i = 0; i < n; i++)
		if (rs[i].failure || !rs[i].dane || rs[i].dane->status != DANE_SECURE ||
		    rs[i].ev->dane.satisfied_by < 0)
			return;
	first = rs[0].ev->dane.satisfied_by;
	for (size_t i = 1; i < n; i++) {
		if (rs[i].ev->dane.satisfied_by != first) {
			strbuf_printf(b, ", TLSA matched at every address");
			return;
		}
	}
	strbuf_printf(b, ", TLSA %u %u %u matched", rs[0].dane->records.v[first].usage,
		      rs[0].dane->records.v[first].selector, rs[0].dane->records.v[first].mtype);
}

/* One leaf key of a fleet, and the addresses that serve it. */
struct key_group {
	const unsigned char *pin;
	size_t count, first;	/* how many addresses; the first of them */
};

/* Groups the addresses with a certificate by leaf key, most served first. */
static size_t
key_groups(const struct report *rs, size_t n, struct key_group *g)
{
	size_t ng = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k;

		if (rs[i].failure)
			continue;
		for (k = 0; k < ng; k++)
			if (memcmp(g[k].pin, rs[i].chain->v[0].pin, PIN_LEN) == 0)
				break;
		if (k == ng) {
			g[ng].pin = rs[i].chain->v[0].pin;
			g[ng].count = 0;
			g[ng].first = i;
			ng++;
		}
		g[k].count++;
	}
	/* Insertion sort by count, stable: a handful of groups at most. */
	for (size_t i = 1; i < ng; i++) {
		struct key_group t = g[i];
		size_t j = i;

		for (; j > 0 && g[j - 1].count < t.count; j--)
			g[j] = g[j - 1];
		g[j] = t;
	}
	return ng;
}

enum state
report_render_fleet(const struct options *o, const char *target, const struct report *rs,
		    size_t n, double elapsed, struct strbuf *b)
{
	struct key_group g[OPTIONS_ADDRESSES_MAX];
	enum state st = STATE_OK;
	long earliest = -1;
	size_t ng = key_groups(rs, n, g);
	struct strbuf text;

	for (size_t i = 0; i < n; i++) {
		st = state_worst(st, report_state(&rs[i]));
		if (!rs[i].failure && (earliest < 0 || rs[i].ev->expiry.remaining <
				       rs[earliest].ev->expiry.remaining))
			earliest = (long)i;
	}

	strbuf_init(&text);
	strbuf_printf(&text, "TLS_PIN %s - ", state_name(st));
	escape_str(&text, target);
	strbuf_printf(&text, ": %zu address%s", n, n == 1 ? "" : "es");
	if (all_pinned(o, rs, n))
		fleet_pins_phrase(o, rs, n, ng, &text);
	if (o->dane && n > 0)
		fleet_dane_phrase(rs, n, &text);
	/* One key everywhere, every address OK: the apps' verdict is the same at each. */
	for (size_t i = 0; ng == 1 && st == STATE_OK && i < o->apps.n; i++)
		app_phrase(&text, &rs[g[0].first], &o->apps.v[i], &rs[g[0].first].ev->apps[i]);
	for (size_t k = 0; ng > 1 && !all_pinned(o, rs, n) && k < ng; k++) {
		const struct report *r = &rs[g[k].first];
		char pin[PIN_TEXT_SIZE];

		pins_format(g[k].pin, pin);
		strbuf_printf(&text, ", %zu of %zu serve %s", g[k].count, n, pin);
		if (r->ev->pins_checked)
			strbuf_printf(&text, r->ev->match_depth >= 0 ? " (pinned)" : " (NOT pinned)");
	}
	for (size_t i = 0; i < n; i++) {
		if (report_state(&rs[i]) == STATE_OK)
			continue;
		strbuf_printf(&text, "; ");
		escape_str(&text, rs[i].target);
		strbuf_printf(&text, ": ");
		summary(&rs[i], &text);
	}
	if (earliest >= 0) {
		const struct report *r = &rs[earliest];
		const struct expiry *x = &r->ev->expiry;

		strbuf_printf(&text, x->remaining > 0 ? "; earliest expiry in "
			      : "; earliest expiry: EXPIRED ");
		report_duration(&text, x->remaining);
		strbuf_printf(&text, x->remaining > 0 ? " (" : " ago (");
		report_date(&text, r->path->v[x->index]->not_after, true);
		strbuf_printf(&text, ") at ");
		escape_str(&text, r->target);
		strbuf_printf(&text, " | ");
		perf_expiry(r, &text);
		strbuf_printf(&text, " ");
	} else {
		strbuf_printf(&text, " | ");
	}
	strbuf_printf(&text, "addresses=%zu keys=%zu time=%.3fs;;;0;\n", n, ng, elapsed);
	for (size_t i = 0; o->verbose > 0 && i < n; i++) {
		escape_str(&text, rs[i].target);
		strbuf_printf(&text, ": ");
		summary(&rs[i], &text);
		strbuf_printf(&text, "\n");
	}
	if (o->print_pins) {
		print_pins(o, rs, n, true, &text, b);
	} else if (o->print_tlsa) {
		tlsa_file(o, rs, n, b);
		append_commented(b, &text, report_comment(o));
	} else {
		strbuf_append(b, text.s ? text.s : "", text.len);
	}
	strbuf_free(&text);
	return st;
}
