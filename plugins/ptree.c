/*
 * check_tls_pin - property lists.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <plist/plist.h>

#include "ptree.h"
#include "xml.h"

/* The file's size cap bounds a string as well. */
#define STRING_MAX (1024 * 1024)

struct build {
	const char *name;
	size_t nodes;
	struct error *e;
};

static struct ptree *
node_new(struct build *b, enum ptree_type type, unsigned long line, unsigned depth)
{
	struct ptree *t;

	if (depth > PTREE_DEPTH_MAX) {
		error_set(b->e, STATE_UNKNOWN, "%s:%lu: nested deeper than %d levels", b->name,
			  line, PTREE_DEPTH_MAX);
		return NULL;
	}
	if (++b->nodes > PTREE_NODES_MAX) {
		error_set(b->e, STATE_UNKNOWN, "%s: more than %d values", b->name, PTREE_NODES_MAX);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		error_set(b->e, STATE_UNKNOWN, "out of memory");
		return NULL;
	}
	t->type = type;
	t->line = line;
	return t;
}

void
ptree_free(struct ptree *t)
{
	while (t) {
		struct ptree *next = t->next;

		ptree_free(t->child);
		free(t->key);
		free(t->str);
		free(t);
		t = next;
	}
}

/* Appends t to parent's children; *last is the last one so far. */
static void
link_child(struct ptree *parent, struct ptree **last, struct ptree *t)
{
	if (*last)
		(*last)->next = t;
	else
		parent->child = t;
	*last = t;
}

/* Whether the text and comments between the elements of n are white space only. */
static bool
only_elements(const xmlNode *n, const struct build *b)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE) {
			for (const xmlChar *s = c->content; s && *s; s++)
				if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
					goto text;
		} else if (c->type != XML_ELEMENT_NODE && c->type != XML_COMMENT_NODE &&
			   c->type != XML_PI_NODE) {
			goto text;
		}
	}
	return true;
text:
	error_set(b->e, STATE_UNKNOWN, "%s:%lu: text inside <%s>, expected elements only",
		  b->name, xml_line(n), (const char *)n->name);
	return false;
}

static struct ptree *from_xml(const xmlNode *n, struct build *b, unsigned depth);

/*
 * Whether dictionary d already holds key. A key twice is refused: Apple's
 * XML reader keeps the last value, its binary reader likely the first, so
 * what the app reads would depend on the parser (and on the build step that
 * converts Info.plist).
 */
static bool
duplicate_key(const struct ptree *d, const char *key, struct build *b, unsigned long line)
{
	for (const struct ptree *t = d->child; t; t = t->next) {
		if (t->key && strcmp(t->key, key) == 0) {
			char where[32] = "";

			if (line)
				snprintf(where, sizeof(where), ":%lu", line);
			error_set(b->e, STATE_UNKNOWN, "%s%s: the key '%.64s' twice in one dictionary: "
				  "which value the app reads depends on the parser", b->name, where,
				  key);
			return true;
		}
	}
	return false;
}

static struct ptree *
dict_from_xml(const xmlNode *n, struct build *b, unsigned depth)
{
	struct ptree *d = node_new(b, PTREE_DICT, xml_line(n), depth), *last = NULL;
	const xmlNode *c;

	if (!d || !only_elements(n, b))
		goto fail;
	for (c = xml_first(n); c; c = xml_next(c)) {
		const xmlNode *v = xml_next(c);
		struct ptree *t;
		char *key;

		if (!xml_is(c, "key")) {
			error_set(b->e, STATE_UNKNOWN, "%s:%lu: <%.64s> in a <dict> where a <key> "
				  "belongs", b->name, xml_line(c), (const char *)c->name);
			goto fail;
		}
		if (!v || xml_is(v, "key")) {
			error_set(b->e, STATE_UNKNOWN, "%s:%lu: a <key> without its value",
				  b->name, xml_line(c));
			goto fail;
		}
		key = xml_text(c, b->name, STRING_MAX, false, b->e);
		if (!key)
			goto fail;
		if (duplicate_key(d, key, b, xml_line(c))) {
			free(key);
			goto fail;
		}
		t = from_xml(v, b, depth + 1);
		if (!t) {
			free(key);
			goto fail;
		}
		t->key = key;
		link_child(d, &last, t);
		c = v;
	}
	return d;
fail:
	ptree_free(d);
	return NULL;
}

static struct ptree *
array_from_xml(const xmlNode *n, struct build *b, unsigned depth)
{
	struct ptree *a = node_new(b, PTREE_ARRAY, xml_line(n), depth), *last = NULL;

	if (!a || !only_elements(n, b))
		goto fail;
	for (const xmlNode *c = xml_first(n); c; c = xml_next(c)) {
		struct ptree *t = from_xml(c, b, depth + 1);

		if (!t)
			goto fail;
		link_child(a, &last, t);
	}
	return a;
fail:
	ptree_free(a);
	return NULL;
}

static struct ptree *
from_xml(const xmlNode *n, struct build *b, unsigned depth)
{
	static const char *const others[] = { "integer", "real", "date", "data" };
	struct ptree *t;

	if (xml_is(n, "dict"))
		return dict_from_xml(n, b, depth);
	if (xml_is(n, "array"))
		return array_from_xml(n, b, depth);
	if (xml_is(n, "string")) {
		t = node_new(b, PTREE_STRING, xml_line(n), depth);
		if (t && !(t->str = xml_text(n, b->name, STRING_MAX, false, b->e))) {
			ptree_free(t);
			return NULL;
		}
		return t;
	}
	if (xml_is(n, "true") || xml_is(n, "false")) {
		if (xml_first(n)) {
			error_set(b->e, STATE_UNKNOWN, "%s:%lu: <%s/> holds an element", b->name,
				  xml_line(n), (const char *)n->name);
			return NULL;
		}
		t = node_new(b, PTREE_BOOL, xml_line(n), depth);
		if (t)
			t->b = xml_is(n, "true");
		return t;
	}
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (xml_is(n, others[i]))
			return node_new(b, PTREE_OTHER, xml_line(n), depth);
	error_set(b->e, STATE_UNKNOWN, "%s:%lu: <%.64s> is not a property list element",
		  b->name, xml_line(n), (const char *)n->name);
	return NULL;
}

struct ptree *
ptree_from_xml(const xmlNode *plist, const char *name, struct error *e)
{
	struct build b = { name, 0, e };
	const xmlNode *v = xml_first(plist);

	if (!only_elements(plist, &b))
		return NULL;
	if (!v || xml_next(v)) {
		error_set(e, STATE_UNKNOWN, "%s:%lu: <plist> must hold exactly one value", name,
			  xml_line(plist));
		return NULL;
	}
	return from_xml(v, &b, 0);
}

static struct ptree *from_binary(plist_t node, struct build *b, unsigned depth);

static struct ptree *
dict_from_binary(plist_t node, struct build *b, unsigned depth)
{
	struct ptree *d = node_new(b, PTREE_DICT, 0, depth), *last = NULL;
	plist_dict_iter it = NULL;

	if (!d)
		return NULL;
	plist_dict_new_iter(node, &it);
	if (!it)
		goto memory;
	for (;;) {
		char *key = NULL;
		plist_t v = NULL;
		struct ptree *t;

		plist_dict_next_item(node, it, &key, &v);
		if (!key || !v) {
			free(key);
			break;
		}
		if (duplicate_key(d, key, b, 0)) {
			free(key);
			goto fail;
		}
		t = from_binary(v, b, depth + 1);
		if (!t) {
			free(key);
			goto fail;
		}
		t->key = key;
		link_child(d, &last, t);
	}
	free(it);
	return d;
memory:
	error_set(b->e, STATE_UNKNOWN, "out of memory");
fail:
	free(it);
	ptree_free(d);
	return NULL;
}

static struct ptree *
from_binary(plist_t node, struct build *b, unsigned depth)
{
	struct ptree *t, *last = NULL;
	uint8_t v = 0;

	switch (plist_get_node_type(node)) {
	case PLIST_DICT:
		return dict_from_binary(node, b, depth);
	case PLIST_ARRAY:
		t = node_new(b, PTREE_ARRAY, 0, depth);
		for (uint32_t i = 0, n = plist_array_get_size(node); t && i < n; i++) {
			struct ptree *c = from_binary(plist_array_get_item(node, i), b, depth + 1);

			if (!c) {
				ptree_free(t);
				return NULL;
			}
			link_child(t, &last, c);
		}
		return t;
	case PLIST_STRING:
		t = node_new(b, PTREE_STRING, 0, depth);
		if (t) {
			plist_get_string_val(node, &t->str);
			if (!t->str) {
				error_set(b->e, STATE_UNKNOWN, "out of memory");
				ptree_free(t);
				return NULL;
			}
		}
		return t;
	case PLIST_BOOLEAN:
		t = node_new(b, PTREE_BOOL, 0, depth);
		if (t) {
			plist_get_bool_val(node, &v);
			t->b = v != 0;
		}
		return t;
	default:
		return node_new(b, PTREE_OTHER, 0, depth);
	}
}

/*
 * The structure of a binary property list, read before libplist sees it:
 * libplist builds a node for every reference to an object, so that a few
 * hundred bytes of arrays referring to arrays expand to billions of nodes,
 * and it aborts on a string or key with a NUL byte (an assertion in its
 * getters). The trailer, the offset table and every container's references
 * are checked here; what libplist is then given expands to at most
 * PTREE_NODES_MAX nodes, PTREE_DEPTH_MAX deep, without a NUL in any string.
 */
struct bplist {
	const unsigned char *buf;
	size_t table;			/* where the offset table starts: objects end there */
	unsigned offsize, refsize;
	uint64_t nobjects;
	uint32_t *nodes;		/* per object: 0 not seen, 1 on the way, else 2 + its expanded size */
	const char *why;
};

static uint64_t
big_endian(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* The count of the object at off (the marker's low nibble, or an integer after it), and where its content starts. */
static bool
object_count(struct bplist *x, size_t off, uint64_t *count, size_t *content)
{
	unsigned n;

	if ((x->buf[off] & 0x0f) != 0x0f) {
		*count = x->buf[off] & 0x0f;
		*content = off + 1;
		return true;
	}
	if (off + 2 > x->table || (x->buf[off + 1] & 0xf0) != 0x10 || (x->buf[off + 1] & 0x0f) > 3)
		return false;
	n = 1u << (x->buf[off + 1] & 0x0f);
	if (off + 2 + n > x->table)
		return false;
	*count = big_endian(x->buf + off + 2, n);
	*content = off + 2 + n;
	return true;
}

/* The expanded size of object i, at depth; 0 when the structure is refused (x->why says why). */
static uint64_t
bplist_nodes(struct bplist *x, uint64_t i, unsigned depth)
{
	uint64_t count, refs, total = 1, off;
	size_t content;
	unsigned type;

	if (depth > PTREE_DEPTH_MAX) {
		x->why = "nested deeper than the limit";
		return 0;
	}
	if (x->nodes[i] == 1) {
		x->why = "an object contains itself";
		return 0;
	}
	if (x->nodes[i] > 1)
		return x->nodes[i] - 2;
	x->nodes[i] = 1;
	off = big_endian(x->buf + x->table + i * x->offsize, x->offsize);
	if (off < 8 || off >= x->table)
		goto malformed;
	type = x->buf[off] >> 4;
	if (type == 0x5 || type == 0x6 || type == 0xa || type == 0xc || type == 0xd) {
		if (!object_count(x, (size_t)off, &count, &content))
			goto malformed;
		if (type == 0x5 || type == 0x6) {
			uint64_t bytes = type == 0x6 ? count * 2 : count;

			if (count > x->table || bytes > x->table - content)
				goto malformed;
			for (uint64_t k = 0; k < count; k++) {
				if (type == 0x5 ? x->buf[content + k] == 0
				    : (x->buf[content + 2 * k] | x->buf[content + 2 * k + 1]) == 0) {
					x->why = "a string holds a NUL character";
					return 0;
				}
			}
		} else {
			refs = type == 0xd ? count * 2 : count;
			if (count > x->table || refs * x->refsize > x->table - content)
				goto malformed;
			for (uint64_t k = 0; k < refs; k++) {
				uint64_t ref = big_endian(x->buf + content + k * x->refsize, x->refsize);
				uint64_t n;

				if (ref >= x->nobjects)
					goto malformed;
				n = bplist_nodes(x, ref, depth + 1);
				if (n == 0)
					return 0;
				total += n;
				if (total > PTREE_NODES_MAX) {
					x->why = "its objects expand to more values than the limit";
					return 0;
				}
			}
		}
	}
	x->nodes[i] = (uint32_t)total + 2;
	return total;
malformed:
	x->why = "malformed";
	return 0;
}

/* NULL when buf (len bytes, "bplist00" first) may go to libplist, else why not. */
static const char *
bplist_check(const unsigned char *buf, size_t len)
{
	struct bplist x;
	const unsigned char *t;
	uint64_t top, table;

	if (len < 8 + 1 + 32)
		return "malformed";
	t = buf + len - 32;
	memset(&x, 0, sizeof(x));
	x.buf = buf;
	x.offsize = t[6];
	x.refsize = t[7];
	x.nobjects = big_endian(t + 8, 8);
	top = big_endian(t + 16, 8);
	table = big_endian(t + 24, 8);
	if (x.offsize < 1 || x.offsize > 8 || x.refsize < 1 || x.refsize > 8 || x.nobjects == 0 ||
	    x.nobjects > len || top >= x.nobjects || table < 9 || table > len - 32 ||
	    x.nobjects * x.offsize > len - 32 - table)
		return "malformed";
	x.table = (size_t)table;
	x.nodes = calloc((size_t)x.nobjects, sizeof(*x.nodes));
	if (!x.nodes)
		return "too large";
	if (bplist_nodes(&x, top, 0) == 0 && !x.why)
		x.why = "malformed";
	free(x.nodes);
	return x.why;
}

struct ptree *
ptree_from_binary(const char *buf, size_t len, const char *name, struct error *e)
{
	struct build b = { name, 0, e };
	plist_t root = NULL;
	struct ptree *t;
	const char *why;

	if (len > UINT32_MAX) {
		error_set(e, STATE_UNKNOWN, "%s: too large", name);
		return NULL;
	}
	why = bplist_check((const unsigned char *)buf, len);
	if (why && strcmp(why, "malformed") == 0) {
		error_set(e, STATE_UNKNOWN, "%s: not a valid binary property list", name);
		return NULL;
	}
	if (why) {
		error_set(e, STATE_UNKNOWN, "%s: binary property list refused: %s", name, why);
		return NULL;
	}
	plist_from_bin(buf, (uint32_t)len, &root);
	if (!root) {
		error_set(e, STATE_UNKNOWN, "%s: not a valid binary property list", name);
		return NULL;
	}
	t = from_binary(root, &b, 0);
	plist_free(root);
	return t;
}

const struct ptree *
ptree_get(const struct ptree *d, const char *key)
{
	if (!d || d->type != PTREE_DICT)
		return NULL;
	for (const struct ptree *t = d->child; t; t = t->next)
		if (t->key && strcmp(t->key, key) == 0)
			return t;
	return NULL;
}

const char *
ptree_type_name(enum ptree_type type)
{
	switch (type) {
	case PTREE_DICT: return "a dictionary";
	case PTREE_ARRAY: return "an array";
	case PTREE_STRING: return "a string";
	case PTREE_BOOL: return "a boolean";
	default: return "another type";
	}
}
