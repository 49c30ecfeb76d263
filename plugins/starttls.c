/*
 * check_tls_pin - STARTTLS dialogues.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/socket.h>

#include "der.h"
#include "starttls.h"

/* How much of a server's reply an error message quotes. */
#define QUOTE_MAX 240
/* The largest LDAP response or MySQL packet accepted before TLS. */
#define PACKET_MAX 4096

struct dialogue {
	int fd;
	const struct deadline *d;
	const char *proto;		/* display name: "SMTP" */
	struct transcript *t;
	struct error *e;
	/*
	 * Everything the server sent, never compacted: the buffer's size is the
	 * cap on the whole dialogue, and replies stay addressable for quoting.
	 */
	unsigned char buf[STARTTLS_DIALOGUE_MAX];
	size_t len, pos;		/* bytes received; bytes consumed */
};

/* ------------------------------------------------------------ transcript */

void
transcript_init(struct transcript *t)
{
	memset(t, 0, sizeof(*t));
}

void
transcript_free(struct transcript *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].text);
	free(t->v);
	transcript_init(t);
}

/* Best effort: a transcript line that cannot be stored is left out. */
static void
record(struct dialogue *dl, char from, const void *text, size_t len)
{
	struct transcript *t = dl->t;
	char *copy = malloc(len + 1);

	if (!copy)
		return;
	memcpy(copy, text, len);
	copy[len] = '\0';
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct transcript_line *v = realloc(t->v, cap * sizeof(*v));
		if (!v) {
			free(copy);
			return;
		}
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n++] = (struct transcript_line){
		.from = from,
		.at = (double)(net_now_ns() - t->start_ns) / 1e9,
		.text = copy,
		.len = len,
	};
}

static void
recordf(struct dialogue *dl, char from, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
recordf(struct dialogue *dl, char from, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n > 0)
		record(dl, from, text, strnlen(text, sizeof(text)));
}

/* ------------------------------------------------------------ I/O */

static int
timeout(struct dialogue *dl, const char *step)
{
	char phase[200];

	snprintf(phase, sizeof(phase), "while waiting for %s", step);
	return deadline_expired(dl->d, dl->e, phase);
}

/* Reads at least one more byte into the buffer. */
static int
fill(struct dialogue *dl, const char *step)
{
	for (;;) {
		ssize_t r;
		int ready;

		if (dl->len == sizeof(dl->buf))
			return error_set(dl->e, STATE_CRITICAL, "%s: the server sent more than "
					 "%d bytes before TLS (waiting for %s)", dl->proto,
					 STARTTLS_DIALOGUE_MAX, step);
		r = recv(dl->fd, dl->buf + dl->len, sizeof(dl->buf) - dl->len, 0);
		if (r > 0) {
			dl->len += (size_t)r;
			return 0;
		}
		if (r == 0)
			return error_set(dl->e, STATE_CRITICAL, "%s: the server closed the "
					 "connection while we waited for %s", dl->proto, step);
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return error_set(dl->e, STATE_CRITICAL, "%s: read error while waiting "
					 "for %s: %s", dl->proto, step, strerror(errno));
		ready = net_wait(dl->fd, POLLIN, dl->d);
		if (ready == 0)
			return timeout(dl, step);
		if (ready < 0)
			return error_set(dl->e, STATE_UNKNOWN, "poll: %s", strerror(errno));
	}
}

/* Makes n unconsumed bytes available. */
static int
need(struct dialogue *dl, size_t n, const char *step)
{
	while (dl->len - dl->pos < n)
		if (fill(dl, step) < 0)
			return -1;
	return 0;
}

/*
 * The next line, without its CR LF, recorded in the transcript. A line longer
 * than STARTTLS_LINE_MAX, or with a NUL byte, ends the dialogue.
 */
static int
get_line(struct dialogue *dl, const char *step, const char **line, size_t *len)
{
	size_t scanned = dl->pos;

	for (;;) {
		unsigned char *nl = memchr(dl->buf + scanned, '\n', dl->len - scanned);

		if (nl) {
			size_t n = (size_t)(nl - (dl->buf + dl->pos));

			*line = (const char *)dl->buf + dl->pos;
			if (n > STARTTLS_LINE_MAX)
				return error_set(dl->e, STATE_CRITICAL, "%s: a line longer than %d "
						 "bytes in %s", dl->proto, STARTTLS_LINE_MAX, step);
			dl->pos += n + 1;
			if (n > 0 && (*line)[n - 1] == '\r')
				n--;
			record(dl, 'S', *line, n);
			if (memchr(*line, '\0', n))
				return error_set(dl->e, STATE_CRITICAL, "%s: NUL byte in %s",
						 dl->proto, step);
			*len = n;
			return 0;
		}
		scanned = dl->len;
		if (dl->len - dl->pos > STARTTLS_LINE_MAX)
			return error_set(dl->e, STATE_CRITICAL, "%s: a line longer than %d bytes "
					 "in %s", dl->proto, STARTTLS_LINE_MAX, step);
		if (fill(dl, step) < 0)
			return -1;
	}
}

static int
send_all(struct dialogue *dl, const void *data, size_t len, const char *step)
{
	const unsigned char *p = data;

	while (len > 0) {
		ssize_t w = send(dl->fd, p, len, MSG_NOSIGNAL);
		int ready;

		if (w > 0) {
			p += w;
			len -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return error_set(dl->e, STATE_CRITICAL, "%s: cannot send %s: %s",
					 dl->proto, step, strerror(errno));
		ready = net_wait(dl->fd, POLLOUT, dl->d);
		if (ready == 0)
			return timeout(dl, step);
		if (ready < 0)
			return error_set(dl->e, STATE_UNKNOWN, "poll: %s", strerror(errno));
	}
	return 0;
}

/* Sends one command line; CR LF is added here, the transcript shows it without. */
static int
send_line(struct dialogue *dl, const char *cmd, const char *step)
{
	char line[600];
	int n = snprintf(line, sizeof(line), "%s\r\n", cmd);

	if (n < 0 || (size_t)n >= sizeof(line))
		return error_set(dl->e, STATE_UNKNOWN, "%s: command too long", dl->proto);
	record(dl, 'C', cmd, strlen(cmd));
	return send_all(dl, line, (size_t)n, step);
}

/*
 * After the server's go-ahead, the next bytes must be the TLS handshake, and
 * the client speaks first: anything the server already sent was injected or
 * is garbage, and must never reach the TLS layer as if it came over TLS.
 */
static int
check_clean(struct dialogue *dl)
{
	unsigned char b;
	size_t extra = dl->len - dl->pos;

	if (extra == 0 && recv(dl->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 1)
		extra = 1;
	if (extra > 0)
		return error_set(dl->e, STATE_CRITICAL, "%s: the server sent %zu byte%s after "
				 "its go-ahead and before the TLS handshake (STARTTLS "
				 "injection flaw)", dl->proto, extra, extra == 1 ? "" : "s");
	return 0;
}

/* Text of buf[start, end) with line ends shown as " / ", for a message. */
static void
quote(const struct dialogue *dl, size_t start, size_t end, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = start; i < end && o + 4 < size; i++) {
		unsigned char c = dl->buf[i];

		if (c == '\r' && i + 1 < end && dl->buf[i + 1] == '\n')
			continue;	/* a line end; a bare CR stays, to be escaped */
		if (c == '\n') {
			if (i + 1 < end) {
				memcpy(out + o, " / ", 3);
				o += 3;
			}
			continue;
		}
		out[o++] = (char)c;
	}
	if (o + 4 >= size && size > 4) {
		memcpy(out + size - 4, "...", 3);
		o = size - 1;
	}
	out[o < size ? o : size - 1] = '\0';
}

/* ------------------------------------------------------------ parsers */

int
starttls_reply_code(const char *line, size_t len, bool *more)
{
	int code = 0;

	if (len < 3)
		return -1;
	for (int i = 0; i < 3; i++) {
		if (line[i] < '0' || line[i] > '9')
			return -1;
		code = code * 10 + (line[i] - '0');
	}
	if (len == 3 || line[3] == ' ') {
		*more = false;
		return code;
	}
	if (line[3] == '-') {
		*more = true;
		return code;
	}
	return -1;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

bool
starttls_has_word(const char *text, size_t len, const char *word)
{
	size_t wl = strlen(word);

	for (size_t i = 0; i + wl <= len; i++) {
		if ((i == 0 || is_blank(text[i - 1])) && strncasecmp(text + i, word, wl) == 0 &&
		    (i + wl == len || is_blank(text[i + wl])))
			return true;
	}
	return false;
}

/* Whether the first space-separated word of text is word. */
static bool
first_word_is(const char *text, size_t len, const char *word)
{
	size_t n = 0;

	while (n < len && !is_blank(text[n]))
		n++;
	return n == strlen(word) && strncasecmp(text, word, n) == 0;
}

int
starttls_ldap_response(const unsigned char *msg, size_t len, size_t *need,
		       long *result, const char **diag, size_t *diag_len)
{
	struct der m, id, op, rc, dn, text;
	const unsigned char *p;
	size_t left;
	int r;

	*need = 0;
	r = der_read(msg, len, &m, need);
	if (r <= 0)
		return r;
	if (m.tag != 0x30)
		return -1;	/* LDAPMessage is a SEQUENCE */
	p = m.val;
	left = m.len;
	if (der_read(p, left, &id, NULL) != 1 || id.tag != 0x02)
		return -1;	/* messageID INTEGER */
	p += id.total;
	left -= id.total;
	if (der_read(p, left, &op, NULL) != 1 || op.tag != 0x78)
		return -1;	/* [APPLICATION 24] ExtendedResponse */
	p = op.val;
	left = op.len;
	if (der_read(p, left, &rc, NULL) != 1 || rc.tag != 0x0a || rc.len < 1 || rc.len > 4)
		return -1;	/* resultCode ENUMERATED */
	*result = 0;
	for (size_t i = 0; i < rc.len; i++)
		*result = *result << 8 | rc.val[i];
	p += rc.total;
	left -= rc.total;
	*diag = "";
	*diag_len = 0;
	if (der_read(p, left, &dn, NULL) != 1 || dn.tag != 0x04)
		return -1;	/* matchedDN */
	p += dn.total;
	left -= dn.total;
	if (der_read(p, left, &text, NULL) != 1 || text.tag != 0x04)
		return -1;	/* diagnosticMessage */
	*diag = (const char *)text.val;
	*diag_len = text.len;
	return 1;
}

#define MYSQL_CLIENT_PROTOCOL_41 0x00000200u
#define MYSQL_CLIENT_SSL 0x00000800u
#define MYSQL_CLIENT_SECURE_CONNECTION 0x00008000u

int
starttls_mysql_greeting(const unsigned char *payload, size_t len, uint32_t *caps,
			const char **version, size_t *version_len)
{
	const unsigned char *end, *p;

	if (len < 1 || payload[0] != 10)
		return -1;
	end = memchr(payload + 1, '\0', len - 1);
	if (!end)
		return -1;
	*version = (const char *)payload + 1;
	*version_len = (size_t)(end - (payload + 1));
	/* version NUL, thread id 4, auth data 8, filler 1, capabilities (low) 2 */
	p = end + 1;
	if ((size_t)(payload + len - p) < 4 + 8 + 1 + 2)
		return -1;
	p += 13;
	*caps = (uint32_t)p[0] | (uint32_t)p[1] << 8;
	p += 2;
	/* charset 1, status 2, capabilities (high) 2: absent in very old servers */
	if ((size_t)(payload + len - p) >= 5)
		*caps |= ((uint32_t)p[3] | (uint32_t)p[4] << 8) << 16;
	return 0;
}

/* ------------------------------------------------------------ dialogues */

/* A numeric reply (SMTP, LMTP, FTP, NNTP), multi-line ones read to the end. */
struct reply {
	int code;
	size_t start, end;	/* its bytes in the buffer, for quoting and scanning */
};

static int
read_reply(struct dialogue *dl, const char *step, struct reply *r)
{
	const char *line;
	size_t n;
	bool more;

	r->start = dl->pos;
	if (get_line(dl, step, &line, &n) < 0)
		return -1;
	r->code = starttls_reply_code(line, n, &more);
	if (r->code < 0) {
		char q[QUOTE_MAX];
		quote(dl, r->start, dl->pos, q, sizeof(q));
		return error_set(dl->e, STATE_CRITICAL, "%s: %s is malformed: '%s'",
				 dl->proto, step, q);
	}
	/* RFC 959 4.2: the reply ends at a line that starts with its code and a space. */
	while (more) {
		bool m;
		if (get_line(dl, step, &line, &n) < 0)
			return -1;
		if (starttls_reply_code(line, n, &m) == r->code && !m)
			more = false;
	}
	r->end = dl->pos;
	return 0;
}

/* Reads a reply and fails unless its code is want; no_tls marks a refusal of TLS. */
static int
expect_code(struct dialogue *dl, const char *step, int want, bool no_tls, struct reply *r)
{
	char q[QUOTE_MAX];

	if (read_reply(dl, step, r) < 0)
		return -1;
	if (r->code == want)
		return 0;
	quote(dl, r->start, r->end, q, sizeof(q));
	if (no_tls)
		return error_set(dl->e, STATE_CRITICAL, "no TLS: the %s server refused TLS: '%s'",
				 dl->proto, q);
	return error_set(dl->e, STATE_CRITICAL, "%s: %s was '%s'",
			 dl->proto, step, q);
}

/* Whether a line of the reply, after its code, starts with keyword (EHLO keywords). */
static bool
reply_has_keyword(const struct dialogue *dl, const struct reply *r, const char *keyword)
{
	size_t i = r->start;

	while (i < r->end) {
		const char *line = (const char *)dl->buf + i;
		const char *nl = memchr(line, '\n', r->end - i);
		size_t n = nl ? (size_t)(nl - line) : r->end - i, skip = n + 1;

		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n > 4 && first_word_is(line + 4, n - 4, keyword))
			return true;
		i += skip;
	}
	return false;
}

static int
not_offered(struct dialogue *dl, const char *what, size_t start, size_t end)
{
	char q[QUOTE_MAX];

	quote(dl, start, end, q, sizeof(q));
	return error_set(dl->e, STATE_CRITICAL, "no TLS: the %s server does not offer "
			 "STARTTLS (%s: '%s')", dl->proto, what, q);
}

/* This host's name for EHLO (RFC 5321 4.1.1.1), or "localhost" if it has none usable. */
static const char *
local_name(char *buf, size_t size)
{
	if (gethostname(buf, size) != 0 || buf[0] == '\0' || strnlen(buf, size) == size)
		return "localhost";
	for (const char *c = buf; *c; c++)
		if (*c <= ' ' || *c >= 0x7f)
			return "localhost";
	return buf;
}

/* SMTP (RFC 3207) and LMTP (RFC 2033): greeting, EHLO/LHLO, STARTTLS. */
static int
smtp_dialogue(struct dialogue *dl, const struct starttls_params *p, const char *hello)
{
	char cmd[300], host[256], step[64];
	struct reply r;

	if (expect_code(dl, "the greeting", 220, false, &r) < 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "%s %s", hello, p->ehlo ? p->ehlo : local_name(host, sizeof(host)));
	snprintf(step, sizeof(step), "the %s reply", hello);
	if (send_line(dl, cmd, step) < 0 || expect_code(dl, step, 250, false, &r) < 0)
		return -1;
	if (!reply_has_keyword(dl, &r, "STARTTLS"))
		return not_offered(dl, hello, r.start, r.end);
	if (send_line(dl, "STARTTLS", "the STARTTLS reply") < 0 ||
	    expect_code(dl, "the STARTTLS reply", 220, true, &r) < 0)
		return -1;
	return 0;
}

static int
smtp(struct dialogue *dl, const struct starttls_params *p)
{
	return smtp_dialogue(dl, p, "EHLO");
}

static int
lmtp(struct dialogue *dl, const struct starttls_params *p)
{
	return smtp_dialogue(dl, p, "LHLO");
}

/* FTP (RFC 4217 4): greeting, AUTH TLS. */
static int
ftp(struct dialogue *dl, const struct starttls_params *p)
{
	struct reply r;

	(void)p;
	if (expect_code(dl, "the greeting", 220, false, &r) < 0 ||
	    send_line(dl, "AUTH TLS", "the AUTH TLS reply") < 0 ||
	    expect_code(dl, "the AUTH TLS reply", 234, true, &r) < 0)
		return -1;
	return 0;
}

/* Reads a dot-terminated list (RFC 3977 3.1.1, RFC 2449 5); true if a line starts with word. */
static int
dot_list_has(struct dialogue *dl, const char *step, const char *word, bool *found,
	     size_t *start)
{
	const char *line;
	size_t n;

	*found = false;
	*start = dl->pos;
	for (;;) {
		if (get_line(dl, step, &line, &n) < 0)
			return -1;
		if (n == 1 && line[0] == '.')
			return 0;
		if (first_word_is(line, n, word))
			*found = true;
	}
}

/* NNTP (RFC 4642, RFC 3977 5.2): greeting, CAPABILITIES, STARTTLS. */
static int
nntp(struct dialogue *dl, const struct starttls_params *p)
{
	struct reply r;
	size_t start;
	bool found;

	(void)p;
	if (read_reply(dl, "the greeting", &r) < 0)
		return -1;
	if (r.code != 200 && r.code != 201) {
		char q[QUOTE_MAX];
		quote(dl, r.start, r.end, q, sizeof(q));
		return error_set(dl->e, STATE_CRITICAL, "NNTP: the server refused the session: '%s'", q);
	}
	if (send_line(dl, "CAPABILITIES", "the CAPABILITIES reply") < 0 ||
	    expect_code(dl, "the CAPABILITIES reply", 101, false, &r) < 0 ||
	    dot_list_has(dl, "the capability list", "STARTTLS", &found, &start) < 0)
		return -1;
	if (!found)
		return not_offered(dl, "CAPABILITIES", r.start, dl->pos);
	if (send_line(dl, "STARTTLS", "the STARTTLS reply") < 0 ||
	    expect_code(dl, "the STARTTLS reply", 382, true, &r) < 0)
		return -1;
	return 0;
}

/* A status line of POP3 ("+OK", "-ERR"); fails unless it is +OK. */
static int
pop3_ok(struct dialogue *dl, const char *step, bool no_tls)
{
	const char *line;
	size_t n, start = dl->pos;
	char q[QUOTE_MAX];

	if (get_line(dl, step, &line, &n) < 0)
		return -1;
	if (n >= 3 && strncmp(line, "+OK", 3) == 0 && (n == 3 || line[3] == ' '))
		return 0;
	quote(dl, start, dl->pos, q, sizeof(q));
	if (no_tls)
		return error_set(dl->e, STATE_CRITICAL, "no TLS: the POP3 server refused TLS: '%s'", q);
	return error_set(dl->e, STATE_CRITICAL, "POP3: %s was '%s'", step, q);
}

/* POP3 (RFC 2595 4, RFC 2449): greeting, CAPA, STLS. */
static int
pop3(struct dialogue *dl, const struct starttls_params *p)
{
	size_t start;
	bool found;

	(void)p;
	if (pop3_ok(dl, "the greeting", false) < 0)
		return -1;
	start = dl->pos;
	if (send_line(dl, "CAPA", "the CAPA reply") < 0)
		return -1;
	/* A server without CAPA cannot announce STLS: RFC 2595 4 makes STLS a capability. */
	if (pop3_ok(dl, "the CAPA reply", true) < 0 ||
	    dot_list_has(dl, "the capability list", "STLS", &found, &start) < 0)
		return -1;
	if (!found)
		return not_offered(dl, "CAPA", start, dl->pos);
	if (send_line(dl, "STLS", "the STLS reply") < 0 || pop3_ok(dl, "the STLS reply", true) < 0)
		return -1;
	return 0;
}

/*
 * Reads IMAP lines up to the tagged status of tag; untagged CAPABILITY data
 * is searched for STARTTLS. Returns the tagged line's offset in *status.
 */
static int
imap_command(struct dialogue *dl, const char *tag, const char *step, bool *starttls,
	     size_t *status)
{
	size_t tl = strlen(tag);

	for (;;) {
		const char *line;
		size_t n, start = dl->pos;

		if (get_line(dl, step, &line, &n) < 0)
			return -1;
		if (n > 13 && strncasecmp(line, "* CAPABILITY ", 13) == 0 && starttls &&
		    starttls_has_word(line + 13, n - 13, "STARTTLS"))
			*starttls = true;
		if (n > tl && strncmp(line, tag, tl) == 0 && line[tl] == ' ') {
			*status = start;
			return strncasecmp(line + tl + 1, "OK", 2) == 0 &&
			       (n == tl + 3 || line[tl + 3] == ' ') ? 1 : 0;
		}
	}
}

/* IMAP (RFC 2595 3.1, RFC 3501 6.2.1): greeting, CAPABILITY, STARTTLS. */
static int
imap(struct dialogue *dl, const struct starttls_params *p)
{
	const char *line;
	size_t n, start = dl->pos, status;
	bool starttls = false;
	char q[QUOTE_MAX];
	int ok;

	(void)p;
	if (get_line(dl, "the greeting", &line, &n) < 0)
		return -1;
	if (n >= 9 && strncasecmp(line, "* PREAUTH", 9) == 0) {
		quote(dl, start, dl->pos, q, sizeof(q));
		return error_set(dl->e, STATE_CRITICAL, "no TLS: the IMAP server greets with "
				 "PREAUTH, after which STARTTLS is impossible (RFC 3501 6.2.1): '%s'", q);
	}
	if (n < 4 || strncasecmp(line, "* OK", 4) != 0 || (n > 4 && line[4] != ' ')) {
		quote(dl, start, dl->pos, q, sizeof(q));
		return error_set(dl->e, STATE_CRITICAL, "IMAP: unexpected greeting: '%s'", q);
	}
	start = dl->pos;
	if (send_line(dl, "a001 CAPABILITY", "the CAPABILITY reply") < 0)
		return -1;
	ok = imap_command(dl, "a001", "the CAPABILITY reply", &starttls, &status);
	if (ok < 0)
		return -1;
	if (!ok || !starttls)
		return not_offered(dl, "CAPABILITY", start, dl->pos);
	if (send_line(dl, "a002 STARTTLS", "the STARTTLS reply") < 0)
		return -1;
	ok = imap_command(dl, "a002", "the STARTTLS reply", NULL, &status);
	if (ok < 0)
		return -1;
	if (!ok) {
		quote(dl, status, dl->pos, q, sizeof(q));
		return error_set(dl->e, STATE_CRITICAL, "no TLS: the IMAP server refused TLS: '%s'", q);
	}
	return 0;
}

/*
 * A ManageSieve response line (RFC 5804 1.2): 1 for OK, 0 for NO or BYE, -1
 * for anything else (capability lines, which start with a quoted string).
 */
static int
sieve_response(const char *line, size_t n)
{
	if (n >= 2 && strncasecmp(line, "OK", 2) == 0 && (n == 2 || line[2] == ' '))
		return 1;
	if ((n >= 2 && strncasecmp(line, "NO", 2) == 0 && (n == 2 || line[2] == ' ')) ||
	    (n >= 3 && strncasecmp(line, "BYE", 3) == 0 && (n == 3 || line[3] == ' ')))
		return 0;
	return -1;
}

/* ManageSieve (RFC 5804 2.2): the greeting is the capability list; STARTTLS. */
static int
sieve(struct dialogue *dl, const struct starttls_params *p)
{
	const char *line;
	size_t n, start = dl->pos, last;
	bool starttls = false;
	char q[QUOTE_MAX];
	int r;

	(void)p;
	for (;;) {
		if (get_line(dl, "the capability list", &line, &n) < 0)
			return -1;
		r = sieve_response(line, n);
		if (r == 1)
			break;
		if (r == 0) {
			quote(dl, start, dl->pos, q, sizeof(q));
			return error_set(dl->e, STATE_CRITICAL, "ManageSieve: the server refused "
					 "the session: '%s'", q);
		}
		if (n >= 10 && strncasecmp(line, "\"STARTTLS\"", 10) == 0)
			starttls = true;
	}
	if (!starttls)
		return not_offered(dl, "capabilities", start, dl->pos);
	if (send_line(dl, "STARTTLS", "the STARTTLS reply") < 0)
		return -1;
	last = dl->pos;
	if (get_line(dl, "the STARTTLS reply", &line, &n) < 0)
		return -1;
	if (sieve_response(line, n) != 1) {
		quote(dl, last, dl->pos, q, sizeof(q));
		return error_set(dl->e, STATE_CRITICAL, "no TLS: the ManageSieve server refused "
				 "TLS: '%s'", q);
	}
	return 0;
}

/* The LDAP StartTLS ExtendedRequest (RFC 4511 4.14.1), messageID 1. */
static const unsigned char ldap_starttls[] = {
	0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16,
	'1', '.', '3', '.', '6', '.', '1', '.', '4', '.', '1', '.',
	'1', '4', '6', '6', '.', '2', '0', '0', '3', '7'
};

/* LDAP (RFC 4511 4.14): StartTLS extended operation; resultCode 0 is the go-ahead. */
static int
ldap(struct dialogue *dl, const struct starttls_params *p)
{
	const char *step = "the StartTLS ExtendedResponse";
	const char *diag;
	size_t want = 0, diag_len;
	long result;
	int r;

	(void)p;
	record(dl, 'C', "ExtendedRequest StartTLS (1.3.6.1.4.1.1466.20037)", 49);
	if (send_all(dl, ldap_starttls, sizeof(ldap_starttls), step) < 0)
		return -1;
	for (;;) {
		r = starttls_ldap_response(dl->buf + dl->pos, dl->len - dl->pos, &want,
					   &result, &diag, &diag_len);
		if (r != 0)
			break;
		if (want > PACKET_MAX)
			return error_set(dl->e, STATE_CRITICAL, "LDAP: a response of %zu bytes "
					 "to StartTLS, more than %d", want, PACKET_MAX);
		if (fill(dl, step) < 0)
			return -1;
	}
	if (r < 0) {
		recordf(dl, 'S', "(%zu bytes that are not an ExtendedResponse)", dl->len - dl->pos);
		return error_set(dl->e, STATE_CRITICAL, "LDAP: malformed answer to StartTLS");
	}
	dl->pos += want;
	if (diag_len > QUOTE_MAX)
		diag_len = QUOTE_MAX;
	recordf(dl, 'S', "ExtendedResponse resultCode %ld, diagnosticMessage '%.*s'", result,
		(int)diag_len, diag);
	if (result != 0)
		return error_set(dl->e, STATE_CRITICAL, "no TLS: the LDAP server refused StartTLS: "
				 "resultCode %ld%s%.*s%s", result, diag_len ? " '" : "",
				 (int)diag_len, diag, diag_len ? "'" : "");
	return 0;
}

/* PostgreSQL: SSLRequest (protocol 3, 53.2.9); exactly 'S' is the go-ahead. */
static int
postgres(struct dialogue *dl, const struct starttls_params *p)
{
	static const unsigned char ssl_request[8] = { 0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f };
	const char *step = "the answer to SSLRequest";
	unsigned char a;

	(void)p;
	record(dl, 'C', "SSLRequest", 10);
	if (send_all(dl, ssl_request, sizeof(ssl_request), step) < 0 || need(dl, 1, step) < 0)
		return -1;
	a = dl->buf[dl->pos++];
	if (a == 'S') {
		record(dl, 'S', "'S' (go ahead with TLS)", 23);
		return 0;
	}
	if (a == 'N') {
		record(dl, 'S', "'N' (no TLS)", 12);
		return error_set(dl->e, STATE_CRITICAL, "no TLS: the PostgreSQL server answered 'N' "
				 "to SSLRequest (ssl is off)");
	}
	if (a >= 0x20 && a < 0x7f)
		recordf(dl, 'S', "'%c'", a);
	else
		recordf(dl, 'S', "0x%02x", a);
	if (a == 'E')
		return error_set(dl->e, STATE_CRITICAL, "no TLS: the PostgreSQL server answered "
				 "SSLRequest with an error message");
	return error_set(dl->e, STATE_CRITICAL, "PostgreSQL: unexpected answer 0x%02x to "
			 "SSLRequest", a);
}

/* MySQL/MariaDB: the server greets; the client's SSL Request packet starts TLS. */
static int
mysql(struct dialogue *dl, const struct starttls_params *p)
{
	const char *step = "the MySQL server greeting";
	const unsigned char *hdr, *payload;
	unsigned char req[4 + 32];
	const char *version;
	size_t len, vlen;
	uint32_t caps, flags;

	(void)p;
	if (need(dl, 4, step) < 0)
		return -1;
	hdr = dl->buf + dl->pos;
	len = (size_t)hdr[0] | (size_t)hdr[1] << 8 | (size_t)hdr[2] << 16;
	if (len == 0 || len > PACKET_MAX) {
		recordf(dl, 'S', "a packet of %zu bytes", len);
		return error_set(dl->e, STATE_CRITICAL, "MySQL: a greeting of %zu bytes is not "
				 "a MySQL greeting", len);
	}
	if (need(dl, 4 + len, step) < 0)
		return -1;
	hdr = dl->buf + dl->pos;
	payload = hdr + 4;
	dl->pos += 4 + len;
	if (payload[0] == 0xff && len >= 3) {
		/* ERR packet: 0xff, error code (2), text (with a '#' SQL state first in 4.1+) */
		const char *msg = (const char *)payload + 3;
		size_t mlen = len - 3;
		unsigned code = (unsigned)payload[1] | (unsigned)payload[2] << 8;
		if (mlen > QUOTE_MAX)
			mlen = QUOTE_MAX;
		recordf(dl, 'S', "error %u: %.*s", code, (int)mlen, msg);
		return error_set(dl->e, STATE_CRITICAL, "MySQL: the server refused the connection: "
				 "error %u: %.*s", code, (int)mlen, msg);
	}
	if (starttls_mysql_greeting(payload, len, &caps, &version, &vlen) < 0) {
		recordf(dl, 'S', "%zu bytes that are not a protocol 10 greeting", len);
		return error_set(dl->e, STATE_CRITICAL, "MySQL: malformed server greeting");
	}
	if (vlen > 64)
		vlen = 64;
	recordf(dl, 'S', "greeting: protocol 10, server '%.*s', capabilities 0x%08x",
		(int)vlen, version, caps);
	if (!(caps & MYSQL_CLIENT_SSL))
		return error_set(dl->e, STATE_CRITICAL, "no TLS: the MySQL server '%.*s' does not "
				 "offer SSL (capabilities 0x%08x)", (int)vlen, version, caps);
	/* SSL Request (Protocol::SSLRequest): flags, max packet, charset, 23 zero bytes. */
	memset(req, 0, sizeof(req));
	req[0] = 32;
	req[3] = (unsigned char)(hdr[3] + 1);
	flags = MYSQL_CLIENT_SSL | MYSQL_CLIENT_PROTOCOL_41 | MYSQL_CLIENT_SECURE_CONNECTION;
	req[4] = (unsigned char)flags;
	req[5] = (unsigned char)(flags >> 8);
	req[6] = (unsigned char)(flags >> 16);
	req[7] = (unsigned char)(flags >> 24);
	req[11] = 0x01;		/* max packet size 16 MiB */
	req[12] = 0x21;		/* utf8_general_ci */
	record(dl, 'C', "SSL request", 11);
	return send_all(dl, req, sizeof(req), "the SSL request");
}

/* Finds needle whole inside buf[from, to); its offset or -1. */
static long
find_in(const struct dialogue *dl, size_t from, size_t to, const char *needle)
{
	size_t nl = strlen(needle);

	for (size_t i = from; i + nl <= to; i++)
		if (memcmp(dl->buf + i, needle, nl) == 0)
			return (long)i;
	return -1;
}

/* Finds needle in the bytes received, from offset from; its offset or -1. */
static long
find(const struct dialogue *dl, size_t from, const char *needle)
{
	return find_in(dl, from, dl->len, needle);
}

/*
 * Reads until one of the ends appears after pos; returns which, with *at its
 * offset. When one read brings several, the earliest in the stream is what
 * the server said first, whatever the order of ends.
 */
static int
xmpp_until(struct dialogue *dl, const char *step, const char *const *ends, size_t nends,
	   size_t *at)
{
	for (;;) {
		long first = -1;
		int which = -1;

		for (size_t i = 0; i < nends; i++) {
			long o = find(dl, dl->pos, ends[i]);
			if (o >= 0 && (first < 0 || o < first)) {
				first = o;
				which = (int)i;
			}
		}
		if (which >= 0) {
			*at = (size_t)first;
			return which;
		}
		if (fill(dl, step) < 0)
			return -1;
	}
}

/* XML's white space (XML 1.0 2.3 S): what may end an element's name. */
static bool
is_xml_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Whether the features in buf[from, to) offer TLS: a <starttls> element
 * (RFC 6120 5.4.1) with the xmpp-tls namespace inside it, from its name to
 * its end ("/>" or "</starttls>"). The namespace in a sibling, or in what
 * the server sent after the features, does not count.
 */
static bool
xmpp_offers_tls(const struct dialogue *dl, size_t from, size_t to)
{
	static const char name[] = "<starttls", ns[] = "urn:ietf:params:xml:ns:xmpp-tls";
	const size_t nl = sizeof(name) - 1;

	for (long tls = find_in(dl, from, to, name); tls >= 0;
	     tls = find_in(dl, (size_t)tls + nl, to, name)) {
		size_t after = (size_t)tls + nl, end, close;
		long gt;

		if (after >= to || (!is_xml_space(dl->buf[after]) && dl->buf[after] != '/' &&
				    dl->buf[after] != '>'))
			continue;	/* another element, "<starttlsx" */
		gt = find_in(dl, after, to, ">");
		if (gt < 0)
			return false;
		close = (size_t)gt;	/* at least after: buf[close - 1] is inside the tag */
		if (dl->buf[close - 1] == '/') {
			end = close + 1;
		} else {
			long etag = find_in(dl, close, to, "</starttls>");
			if (etag < 0)
				return false;
			end = (size_t)etag + sizeof("</starttls>") - 1;
		}
		if (find_in(dl, (size_t)tls, end, ns) >= 0)
			return true;
	}
	return false;
}

/*
 * gcc 12's -fanalyzer loses a heap pointer that record() stores in the
 * transcript's realloc'd array and reports each call in xmpp_stream_error
 * and xmpp_dialogue as a leak; the transcript owns it and transcript_free()
 * frees it (LeakSanitizer, run over every STARTTLS test, agrees).
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif

/* The server ended the stream (RFC 6120 4.9); quotes it from the error on. */
static int
xmpp_stream_error(struct dialogue *dl, size_t start, size_t at)
{
	char q[QUOTE_MAX];

	quote(dl, at, dl->len, q, sizeof(q));
	record(dl, 'S', dl->buf + start, dl->len - start);
	return error_set(dl->e, STATE_CRITICAL, "XMPP: stream error: '%s'", q);
}

/*
 * XMPP (RFC 6120 4.2, 5.4): open a stream, read the features, send
 * <starttls/>, expect <proceed/>. The XML is not parsed: the elements this
 * needs are found by their fixed spelling, within the bounded buffer.
 */
static int
xmpp_dialogue(struct dialogue *dl, const struct starttls_params *p, const char *ns)
{
	static const char *const features_end[] = { "</stream:features>", "<stream:features/>",
						     "<stream:error", "</stream:stream>" };
	static const char *const proceed_end[] = { "<proceed", "<failure", "<stream:error",
						   "</stream:stream>" };
	char open[600];
	size_t at, start, close;
	long features;
	int which;

	snprintf(open, sizeof(open), "<?xml version='1.0'?><stream:stream to='%s' "
		 "xmlns='%s' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>",
		 p->xmpp_domain ? p->xmpp_domain : "", ns);
	record(dl, 'C', open, strlen(open));
	if (send_all(dl, open, strlen(open), "the stream features") < 0)
		return -1;
	start = dl->pos;
	which = xmpp_until(dl, "the stream features", features_end, 4, &at);
	if (which < 0)
		return -1;
	if (which >= 2)
		return xmpp_stream_error(dl, start, at);
	close = at + strlen(features_end[which]);
	/* The stream header and the features are shown apart: the header can be long. */
	features = find(dl, start, "<stream:features");
	if (features < 0 || (size_t)features > at)
		features = (long)start;
	if ((size_t)features > start)
		record(dl, 'S', dl->buf + start, (size_t)features - start);
	record(dl, 'S', dl->buf + features, close - (size_t)features);
	dl->pos = close;
	if (!xmpp_offers_tls(dl, (size_t)features, close))
		return not_offered(dl, "stream features", (size_t)features, close);

	if (send_line(dl, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
		      "the answer to <starttls/>") < 0)
		return -1;
	start = dl->pos;
	which = xmpp_until(dl, "the answer to <starttls/>", proceed_end, 4, &at);
	if (which < 0)
		return -1;
	if (which >= 2)
		return xmpp_stream_error(dl, start, at);
	if (which == 1) {
		char q[QUOTE_MAX];
		quote(dl, start, dl->len, q, sizeof(q));
		record(dl, 'S', dl->buf + start, dl->len - start);
		return error_set(dl->e, STATE_CRITICAL, "no TLS: the XMPP server refused TLS: '%s'", q);
	}
	/* <proceed .../> or <proceed ...></proceed> */
	for (;;) {
		long gt = find(dl, at, ">");
		/* gt > at: '>' cannot be the first byte of "<proceed" */
		if (gt > (long)at && dl->buf[gt - 1] == '/') {
			close = (size_t)gt + 1;
			break;
		}
		if (gt >= 0) {
			long end = find(dl, (size_t)gt, "</proceed>");
			if (end >= 0) {
				close = (size_t)end + 10;
				break;
			}
		}
		if (fill(dl, "the end of <proceed/>") < 0)
			return -1;
	}
	record(dl, 'S', dl->buf + start, close - start);
	dl->pos = close;
	return 0;
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

static int
xmpp(struct dialogue *dl, const struct starttls_params *p)
{
	return xmpp_dialogue(dl, p, "jabber:client");
}

static int
xmpp_server(struct dialogue *dl, const struct starttls_params *p)
{
	return xmpp_dialogue(dl, p, "jabber:server");
}

/* ------------------------------------------------------------ the table */

static const struct protocol {
	const char *name, *display;
	unsigned port;
	int (*dialogue)(struct dialogue *, const struct starttls_params *);
} protocols[] = {
	[STARTTLS_SMTP] = { "smtp", "SMTP", 25, smtp },
	[STARTTLS_LMTP] = { "lmtp", "LMTP", 24, lmtp },
	[STARTTLS_IMAP] = { "imap", "IMAP", 143, imap },
	[STARTTLS_POP3] = { "pop3", "POP3", 110, pop3 },
	[STARTTLS_SIEVE] = { "sieve", "ManageSieve", 4190, sieve },
	[STARTTLS_FTP] = { "ftp", "FTP", 21, ftp },
	[STARTTLS_LDAP] = { "ldap", "LDAP", 389, ldap },
	[STARTTLS_POSTGRES] = { "postgres", "PostgreSQL", 5432, postgres },
	[STARTTLS_MYSQL] = { "mysql", "MySQL", 3306, mysql },
	[STARTTLS_NNTP] = { "nntp", "NNTP", 119, nntp },
	[STARTTLS_XMPP] = { "xmpp", "XMPP", 5222, xmpp },
	[STARTTLS_XMPP_SERVER] = { "xmpp-server", "XMPP", 5269, xmpp_server },
};

const char starttls_names[] =
	"smtp, lmtp, imap, pop3, sieve, ftp, ldap, postgres, mysql, nntp, xmpp, xmpp-server";

int
starttls_lookup(const char *name, enum starttls_proto *proto, unsigned *port)
{
	for (size_t i = 1; i < sizeof(protocols) / sizeof(protocols[0]); i++) {
		if (strcasecmp(name, protocols[i].name) == 0) {
			*proto = (enum starttls_proto)i;
			*port = protocols[i].port;
			return 0;
		}
	}
	return -1;
}

const char *
starttls_name(enum starttls_proto proto)
{
	return proto > STARTTLS_NONE && proto <= STARTTLS_XMPP_SERVER ? protocols[proto].name : "none";
}

int
starttls_run(enum starttls_proto proto, int fd, const struct starttls_params *p,
	     const struct deadline *d, struct transcript *t, struct error *e)
{
	struct dialogue *dl;
	int rc;

	if (proto <= STARTTLS_NONE || proto > STARTTLS_XMPP_SERVER)
		return error_set(e, STATE_UNKNOWN, "unknown STARTTLS protocol");
	dl = calloc(1, sizeof(*dl));
	if (!dl)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	dl->fd = fd;
	dl->d = d;
	dl->proto = protocols[proto].display;
	dl->t = t;
	dl->e = e;
	t->start_ns = net_now_ns();
	rc = protocols[proto].dialogue(dl, p);
	if (rc == 0)
		rc = check_clean(dl);
	free(dl);
	return rc;
}
