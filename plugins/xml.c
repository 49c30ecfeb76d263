/*
 * check_tls_pin - XML as untrusted input.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "xml.h"

/*
 * No NOENT (entities would be substituted), no DTDLOAD, DTDATTR or DTDVALID
 * (the external subset would be read), no HUGE (libxml2's own limits stay),
 * no XINCLUDE. NONET on top, in case anything still asked for a URL; errors
 * are kept in the context instead of printed.
 */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR | \
		     XML_PARSE_NOWARNING)

/* Whatever libxml2 would load (a DTD, an external entity) is not loaded. */
static xmlParserInputPtr
load_nothing(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

/* Printing is the entry point's business; errors are read from the context. */
static void
quiet(void *user, xmlErrorPtr err)
{
	(void)user;
	(void)err;
}

/*
 * What a parse found, kept in the context's _private: an entity declared
 * (where), and libxml2's first error, the one that names the mistake (later
 * ones are often its consequences, such as "premature end of data").
 */
struct stop {
	bool entity;
	unsigned long line;
	bool failed;
	int error_line;
	char error[200];
};

static void
first_error(void *user, xmlErrorPtr err)
{
	xmlParserCtxtPtr ctxt = user;
	struct stop *s = ctxt ? ctxt->_private : NULL;
	size_t n;

	if (!s || s->failed || !err || err->level < XML_ERR_ERROR)
		return;
	s->failed = true;
	s->error_line = err->line;
	snprintf(s->error, sizeof(s->error), "%s", err->message ? err->message : "not well-formed XML");
	n = strlen(s->error);
	while (n > 0 && (s->error[n - 1] == '\n' || s->error[n - 1] == ' '))
		s->error[--n] = '\0';
}

static void
stop_at_entity(xmlParserCtxtPtr ctxt)
{
	struct stop *s = ctxt->_private;

	if (s && !s->entity) {
		s->entity = true;
		s->line = (unsigned long)xmlSAX2GetLineNumber(ctxt);
	}
	xmlStopParser(ctxt);
}

static void
entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
	    const xmlChar *system_id, xmlChar *content)
{
	(void)name;
	(void)type;
	(void)public_id;
	(void)system_id;
	(void)content;
	stop_at_entity(ctx);
}

static void
unparsed_entity_decl(void *ctx, const xmlChar *name, const xmlChar *public_id,
		     const xmlChar *system_id, const xmlChar *notation)
{
	(void)name;
	(void)public_id;
	(void)system_id;
	(void)notation;
	stop_at_entity(ctx);
}


/*
 * Whether an element below (or at) n is in a namespace: the platforms read
 * an element by its local name, and one the readers here skip would then be
 * read by the app alone. Namespaced attributes (tools:ignore) stay allowed.
 */
static bool
namespaced(const xmlNode *n, const char *name, struct error *e)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (n->ns) {
			error_set(e, STATE_UNKNOWN, "%s:%lu: <%.64s> in a namespace: refused, the "
				  "platform would read it by its local name", name, xml_line(n),
				  (const char *)n->name);
			return true;
		}
		if (namespaced(n->children, name, e))
			return true;
	}
	return false;
}

xmlDocPtr
xml_parse(const char *buf, size_t len, const char *name, struct error *e)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	struct stop s;

	memset(&s, 0, sizeof(s));
	if (len > INT_MAX) {
		error_set(e, STATE_UNKNOWN, "%s: too large", name);
		return NULL;
	}
	xmlSetExternalEntityLoader(load_nothing);
	xmlSetStructuredErrorFunc(NULL, quiet);
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		error_set(e, STATE_UNKNOWN, "out of memory");
		return NULL;
	}
	ctxt->_private = &s;
	ctxt->sax->entityDecl = entity_decl;
	ctxt->sax->unparsedEntityDecl = unparsed_entity_decl;
	ctxt->sax->serror = first_error;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, name, NULL, XML_OPTIONS);
	if (s.entity) {
		error_set(e, STATE_UNKNOWN, "%s:%lu: an entity declaration: refused, none is "
			  "needed and none is expanded", name, s.line);
	} else if (!doc || !ctxt->wellFormed || s.failed) {
		error_set(e, STATE_UNKNOWN, "%s:%d: %s", name, s.error_line,
			  s.failed ? s.error : "not well-formed XML");
	} else if (!xmlDocGetRootElement(doc)) {
		error_set(e, STATE_UNKNOWN, "%s: no root element", name);
	} else if (doc->intSubset && doc->intSubset->children) {
		/* Declared attribute defaults, which the platforms' readers apply and libxml2 does not. */
		error_set(e, STATE_UNKNOWN, "%s:%lu: a DOCTYPE with declarations: refused, none is "
			  "needed", name, xml_line((xmlNodePtr)doc->intSubset->children));
	} else if (namespaced(xmlDocGetRootElement(doc), name, e)) {
		;
	} else {
		xmlFreeParserCtxt(ctxt);
		return doc;
	}
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return NULL;
}

unsigned long
xml_line(const xmlNode *node)
{
	long line = xmlGetLineNo(node);

	return line > 0 ? (unsigned long)line : 0;
}

bool
xml_is(const xmlNode *node, const char *name)
{
	return node && node->type == XML_ELEMENT_NODE && !node->ns &&
	       strcmp((const char *)node->name, name) == 0;
}

static xmlNode *
element_from(xmlNode *n)
{
	while (n && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

xmlNode *
xml_first(const xmlNode *node)
{
	return element_from(node->children);
}

xmlNode *
xml_next(const xmlNode *node)
{
	return element_from(node->next);
}

static bool
xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Appends s to *out (*len bytes so far); false when it would pass max. */
static bool
append(char **out, size_t *len, const char *s, size_t max)
{
	size_t n = strlen(s);
	char *p;

	if (n > max - *len)
		return false;
	p = realloc(*out, *len + n + 1);
	if (!p)
		return false;
	memcpy(p + *len, s, n + 1);
	*out = p;
	*len += n;
	return true;
}

char *
xml_text(const xmlNode *node, const char *name, size_t max, bool trim, struct error *e)
{
	char *out = calloc(1, 1);
	size_t len = 0, start = 0;

	if (!out) {
		error_set(e, STATE_UNKNOWN, "out of memory");
		return NULL;
	}
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
			continue;
		if (c->type == XML_ELEMENT_NODE) {
			error_set(e, STATE_UNKNOWN, "%s:%lu: <%s> holds an element <%.64s>, "
				  "expected text", name, xml_line(c), (const char *)node->name,
				  (const char *)c->name);
			goto fail;
		}
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) {
			error_set(e, STATE_UNKNOWN, "%s:%lu: <%s> holds an entity reference, "
				  "expected text", name, xml_line(node), (const char *)node->name);
			goto fail;
		}
		if (c->content && !append(&out, &len, (const char *)c->content, max)) {
			error_set(e, STATE_UNKNOWN, "%s:%lu: the text of <%s> is longer than "
				  "%zu bytes", name, xml_line(node), (const char *)node->name, max);
			goto fail;
		}
	}
	if (trim) {
		while (start < len && xml_space(out[start]))
			start++;
		while (len > start && xml_space(out[len - 1]))
			len--;
		memmove(out, out + start, len - start);
		out[len - start] = '\0';
	}
	return out;
fail:
	free(out);
	return NULL;
}

char *
xml_attr(const xmlNode *node, const char *attr, const char *name, size_t max, bool *bad,
	 struct error *e)
{
	const xmlAttr *a;
	char *out = NULL;
	size_t len = 0;

	*bad = false;
	for (a = node->properties; a; a = a->next)
		if (!a->ns && strcmp((const char *)a->name, attr) == 0)
			break;
	if (!a)
		return NULL;
	out = calloc(1, 1);
	if (!out)
		goto fail;
	for (const xmlNode *c = a->children; c; c = c->next) {
		if (c->type != XML_TEXT_NODE) {
			error_set(e, STATE_UNKNOWN, "%s:%lu: attribute %s holds an entity reference",
				  name, xml_line(node), attr);
			goto bad;
		}
		if (c->content && !append(&out, &len, (const char *)c->content, max)) {
			error_set(e, STATE_UNKNOWN, "%s:%lu: attribute %s is longer than %zu bytes",
				  name, xml_line(node), attr, max);
			goto bad;
		}
	}
	return out;
fail:
	error_set(e, STATE_UNKNOWN, "out of memory");
bad:
	free(out);
	*bad = true;
	return NULL;
}
