/*
 * check_tls_pin - app configuration snippets.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <string.h>

#include "snippet.h"

static const char not_pinned[] =
	"Not pinned: the CA keys below. Uncommenting one pins that CA: any key it signs then "
	"matches.";

/*
 * "<!-- text -->" on one line, indented: "--" cannot occur inside an XML
 * comment (XML 1.0 2.5), nor can a '-' end it, so each '-' that follows
 * another is written after a space.
 */
static void
comment(struct strbuf *b, const char *indent, const char *text, size_t len, const char *tail)
{
	strbuf_printf(b, "%s<!-- ", indent);
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '-' && i > 0 && text[i - 1] == '-')
			strbuf_printf(b, " ");
		strbuf_printf(b, "%c", text[i]);
	}
	if (len > 0 && text[len - 1] == '-')
		strbuf_printf(b, " ");
	strbuf_printf(b, "%s -->\n", tail ? tail : "");
}

static void
comment_str(struct strbuf *b, const char *indent, const char *text)
{
	comment(b, indent, text, strlen(text), NULL);
}

/* Each line of text as a comment of its own. */
static void
comment_lines(struct strbuf *b, const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);

		comment(b, "", text, n, NULL);
		text += n + (nl ? 1 : 0);
	}
}

/* The base64 of a digest, without the "sha256/" of pins_format. */
static void
base64(const unsigned char *digest, char out[PIN_TEXT_SIZE])
{
	char text[PIN_TEXT_SIZE];

	pins_format(digest, text);
	memcpy(out, text + 7, strlen(text + 7) + 1);
}

/* The pin elements of one format: what an active pin is, in the entry. */
struct shape {
	const char *indent;
	const char *open, *close;	/* around the base64 */
};

static const struct shape android_pin = { "            ", "<pin digest=\"SHA-256\">", "</pin>" };
static const struct shape trustkit_pin = { "\t\t\t\t\t", "<string>", "</string>" };
static const struct shape ats_pin = {
	"\t\t\t\t\t", "<dict><key>SPKI-SHA256-BASE64</key><string>", "</string></dict>"
};
/* ATS CA keys go beside the leaf identities, as the entry's NSPinnedCAIdentities would. */
static const struct shape ats_ca = {
	"\t\t\t\t", "<dict><key>SPKI-SHA256-BASE64</key><string>", "</string></dict>"
};

/* The pins of an entry: the active ones with their label before them, then the CAs' as comments. */
static void
pin_lines(struct strbuf *b, const struct shape *s, const struct snippet_pin *pins, size_t n,
	  bool active, const char *ca_note)
{
	char b64[PIN_TEXT_SIZE];
	struct strbuf tail;
	bool noted = false;

	for (size_t i = 0; i < n; i++) {
		if (pins[i].active != active)
			continue;
		base64(pins[i].digest, b64);
		if (active) {
			comment_str(b, s->indent, pins[i].label);
			strbuf_printf(b, "%s%s%s%s\n", s->indent, s->open, b64, s->close);
			continue;
		}
		if (!noted) {
			comment_str(b, s->indent, ca_note);
			noted = true;
		}
		strbuf_init(&tail);
		strbuf_printf(&tail, ": %s%s%s", s->open, b64, s->close);
		comment(b, s->indent, pins[i].label, strlen(pins[i].label), tail.s);
		strbuf_free(&tail);
	}
}

static size_t
active_count(const struct snippet_pin *pins, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += pins[i].active;
	return k;
}

static void
android(struct strbuf *b, const char *name, const struct snippet_pin *pins, size_t n)
{
	strbuf_printf(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
	comment_str(b, "", "res/xml/network_security_config.xml: the keys this server serves");
	strbuf_printf(b, "<network-security-config>\n    <domain-config>\n"
		      "        <domain includeSubdomains=\"false\">%s</domain>\n"
		      "        <pin-set>\n", name);
	pin_lines(b, &android_pin, pins, n, true, NULL);
	pin_lines(b, &android_pin, pins, n, false, not_pinned);
	strbuf_printf(b, "        </pin-set>\n    </domain-config>\n</network-security-config>\n");
}

static void
plist_head(struct strbuf *b, const char *what)
{
	strbuf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
		      "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
	comment_str(b, "", what);
	strbuf_printf(b, "<plist version=\"1.0\">\n<dict>\n");
}

static void
trustkit(struct strbuf *b, const char *name, const struct snippet_pin *pins, size_t n)
{
	plist_head(b, "Info.plist: TrustKit's configuration of the keys this server serves");
	strbuf_printf(b, "\t<key>TSKConfiguration</key>\n\t<dict>\n"
		      "\t\t<key>TSKPinnedDomains</key>\n\t\t<dict>\n"
		      "\t\t\t<key>%s</key>\n\t\t\t<dict>\n"
		      "\t\t\t\t<key>TSKPublicKeyHashes</key>\n\t\t\t\t<array>\n", name);
	pin_lines(b, &trustkit_pin, pins, n, true, NULL);
	if (active_count(pins, n) < 2)
		comment_str(b, trustkit_pin.indent, "TrustKit needs a second (backup) pin and "
			    "refuses a domain without one: add the next key's pin here.");
	pin_lines(b, &trustkit_pin, pins, n, false, not_pinned);
	strbuf_printf(b, "\t\t\t\t</array>\n\t\t\t</dict>\n\t\t</dict>\n\t</dict>\n</dict>\n"
		      "</plist>\n");
}

static void
ats(struct strbuf *b, const char *name, const struct snippet_pin *pins, size_t n)
{
	plist_head(b, "Info.plist: App Transport Security's pinned domain for the keys this "
		   "server serves");
	strbuf_printf(b, "\t<key>NSAppTransportSecurity</key>\n\t<dict>\n"
		      "\t\t<key>NSPinnedDomains</key>\n\t\t<dict>\n"
		      "\t\t\t<key>%s</key>\n\t\t\t<dict>\n"
		      "\t\t\t\t<key>NSPinnedLeafIdentities</key>\n\t\t\t\t<array>\n", name);
	pin_lines(b, &ats_pin, pins, n, true, NULL);
	strbuf_printf(b, "\t\t\t\t</array>\n");
	pin_lines(b, &ats_ca, pins, n, false,
		  "Not pinned: the CA keys below. Pinning them takes an NSPinnedCAIdentities "
		  "array of these dicts, and then a CA key must match as well as a leaf key.");
	strbuf_printf(b, "\t\t\t</dict>\n\t\t</dict>\n\t</dict>\n</dict>\n</plist>\n");
}

void
snippet_write(enum pin_format format, const char *name, const struct snippet_pin *pins,
	      size_t n, const char *text, struct strbuf *b)
{
	if (active_count(pins, n) > 0) {
		if (format == FORMAT_ANDROID)
			android(b, name, pins, n);
		else if (format == FORMAT_TRUSTKIT)
			trustkit(b, name, pins, n);
		else
			ats(b, name, pins, n);
	}
	comment_lines(b, text);
}
