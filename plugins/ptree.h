/*
 * check_tls_pin - a property list as a small tree, from either of its two
 * encodings: XML (through xml.h, so with its line numbers) or binary
 * ("bplist00", through libplist). Only what a pinning configuration can
 * hold is kept as a value: dictionaries, arrays, strings and booleans;
 * every other type is kept as a node of type PTREE_OTHER.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_PTREE_H
#define CHECK_TLS_PIN_PTREE_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "state.h"

/* Nesting deeper than this is refused: no configuration comes near it. */
#define PTREE_DEPTH_MAX 32
/* More nodes than this are refused, whatever the encoding packs into 1 MiB. */
#define PTREE_NODES_MAX 100000

enum ptree_type { PTREE_DICT, PTREE_ARRAY, PTREE_STRING, PTREE_BOOL, PTREE_OTHER };

struct ptree {
	enum ptree_type type;
	unsigned long line;	/* in the XML file; 0 in a binary one */
	char *key;		/* its key, in a dictionary; owned */
	char *str;		/* PTREE_STRING: the text, owned */
	bool b;			/* PTREE_BOOL */
	struct ptree *child;	/* a dictionary's values, an array's elements, in order */
	struct ptree *next;
};

/*
 * The tree of an XML property list whose root element is plist (the
 * document from xml_parse); name is the file, for messages. Returns NULL
 * with e (UNKNOWN, "name:LINE: ...") for an element a property list does
 * not have, a dictionary whose keys and values do not alternate, or
 * anything past the limits above.
 */
struct ptree *ptree_from_xml(const xmlNode *plist, const char *name, struct error *e);

/* The tree of len bytes of a binary property list; NULL with e when it is not one. */
struct ptree *ptree_from_binary(const char *buf, size_t len, const char *name, struct error *e);

void ptree_free(struct ptree *t);

/* The value of key in dictionary d, or NULL (also when d is no dictionary). */
const struct ptree *ptree_get(const struct ptree *d, const char *key);

/* "a dictionary", "an array", "a string", "a boolean", "another type". */
const char *ptree_type_name(enum ptree_type type);

#endif
