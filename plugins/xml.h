/*
 * check_tls_pin - XML from a local file, parsed by libxml2 as untrusted
 * input: no network, no external DTD or entity ever loaded, no entity
 * declared at all (so none can be expanded), every error with its line.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_XML_H
#define CHECK_TLS_PIN_XML_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "state.h"

/*
 * Parses len bytes (the caller caps the size) of the file called name into
 * a document, which the caller frees with xmlFreeDoc. A DOCTYPE is read as
 * a name only: its external subset is never fetched nor read, whatever it
 * names (Apple's property list DTD included). An entity declaration stops
 * the parse: no configuration needs one, and it is how an entity-expansion
 * bomb or an external entity starts. Returns NULL with e (UNKNOWN)
 * "name:LINE: message" when the bytes are not well-formed XML or declare
 * an entity.
 */
xmlDocPtr xml_parse(const char *buf, size_t len, const char *name, struct error *e);

/* The line of node in its file (0 when libxml2 does not know it). */
unsigned long xml_line(const xmlNode *node);

/* Whether node is the element called name (no namespace). */
bool xml_is(const xmlNode *node, const char *name);

/* The first element child of node, and the element after node; NULL when there is none. */
xmlNode *xml_first(const xmlNode *node);
xmlNode *xml_next(const xmlNode *node);

/*
 * The text content of element node, when it holds text only (text and
 * CDATA, comments skipped): a new string of at most max bytes, trimmed of
 * XML white space when trim is set, which the caller frees with free().
 * Returns NULL with e "name:LINE: ..." for a child element, an entity
 * reference, or text longer than max.
 */
char *xml_text(const xmlNode *node, const char *name, size_t max, bool trim, struct error *e);

/*
 * The value of attribute attr of node (no namespace), a new string the
 * caller frees with free(), or NULL when node has no such attribute; *bad
 * is set (e filled) when it has one that holds an entity reference or is
 * longer than max bytes.
 */
char *xml_attr(const xmlNode *node, const char *attr, const char *name, size_t max, bool *bad,
	       struct error *e);

#endif
