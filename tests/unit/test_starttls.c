/*
 * Unit tests: every STARTTLS dialogue against recorded server replies, played
 * through a socketpair: well-formed, multi-line, refused, not offered,
 * truncated, stalled, oversized, malformed and injected ones.
 */
#include <config.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "starttls.h"
#include "unit.h"

#define GO 0
#define FAIL -1
#define FEATURES "<?xml version='1.0'?><stream:stream xmlns='jabber:client' " \
	"xmlns:stream='http://etherx.jabber.org/streams' id='x' from='example.org' version='1.0'>"
#define TLS_NS "xmlns='urn:ietf:params:xml:ns:xmpp-tls'"
/* A MySQL protocol 10 greeting: LEN(3) SEQ(1) payload; caps low 0xfffe has CLIENT_SSL. */
#define MYSQL_GREETING(caps_lo) \
	"\x2e\x00\x00\x00" "\x0a" "10.11.6-MariaDB\0" "\x01\x00\x00\x00" "abcdefgh" "\0" \
	caps_lo "\x21" "\x02\x00" "\xff\x81" "\x15" "\0\0\0\0\0\0\0\0\0\0" "ijklmnopqrst\0"

static const struct dialogue_case {
	const char *what;
	enum starttls_proto proto;
	const char *server;	/* everything the server says */
	size_t len;		/* its length; 0: strlen */
	bool close;		/* the server closes after speaking */
	int rc;
	enum state st;		/* on failure */
	const char *msg;	/* part of the message on failure */
	const char *sent;	/* part of what the client must have sent */
} cases[] = {
	/* SMTP, RFC 3207 */
	{ "smtp: go ahead", STARTTLS_SMTP,
	  "220 mx ESMTP\r\n250-mx\r\n250-PIPELINING\r\n250 STARTTLS\r\n220 2.0.0 go\r\n",
	  0, false, GO, 0, NULL, "STARTTLS\r\n" },
	{ "smtp: multi-line greeting and bare LF", STARTTLS_SMTP,
	  "220-mx\r\n220-more\n220 ready\r\n250-mx\r\n250 starttls\r\n220 go\r\n",
	  0, false, GO, 0, NULL, "EHLO " },
	{ "smtp: --ehlo name is sent", STARTTLS_SMTP,
	  "220 mx\r\n250-mx\r\n250 STARTTLS\r\n220 go\r\n", 0, false, GO, 0, NULL,
	  "EHLO probe.example\r\n" },
	{ "smtp: STARTTLS not offered", STARTTLS_SMTP,
	  "220 mx\r\n250-mx\r\n250-XSTARTTLS\r\n250 8BITMIME\r\n", 0, false, FAIL, STATE_CRITICAL,
	  "no TLS: the SMTP server does not offer STARTTLS (EHLO: '250-mx / 250-XSTARTTLS / 250 8BITMIME')",
	  NULL },
	{ "smtp: STARTTLS refused", STARTTLS_SMTP,
	  "220 mx\r\n250-mx\r\n250 STARTTLS\r\n454 4.7.0 TLS not available\r\n", 0, false, FAIL,
	  STATE_CRITICAL, "no TLS: the SMTP server refused TLS: '454 4.7.0 TLS not available'", NULL },
	{ "smtp: 554 greeting", STARTTLS_SMTP, "554 go away\r\n", 0, true, FAIL, STATE_CRITICAL,
	  "SMTP: the greeting was '554 go away'", NULL },
	{ "smtp: malformed reply", STARTTLS_SMTP, "hello there\r\n", 0, false, FAIL, STATE_CRITICAL,
	  "SMTP: the greeting is malformed: 'hello there'", NULL },
	{ "smtp: bytes after the go-ahead", STARTTLS_SMTP,
	  "220 mx\r\n250-mx\r\n250 STARTTLS\r\n220 go\r\n250 injected\r\n", 0, false, FAIL,
	  STATE_CRITICAL, "sent 14 bytes after its go-ahead", NULL },
	{ "smtp: stalls after the greeting", STARTTLS_SMTP, "220 mx\r\n", 0, false, FAIL,
	  STATE_WARNING, "timeout after 0.3s while waiting for the EHLO reply", NULL },
	{ "smtp: stalls mid-line", STARTTLS_SMTP, "220 mx\r\n250-mx\r\n250 STAR", 0, false, FAIL,
	  STATE_WARNING, "while waiting for the EHLO reply", NULL },
	{ "smtp: closes after the greeting", STARTTLS_SMTP, "220 mx\r\n", 0, true, FAIL,
	  STATE_CRITICAL, "SMTP: the server closed the connection while we waited for the EHLO reply",
	  NULL },
	{ "smtp: NUL byte in a reply", STARTTLS_SMTP, "220 m\0x\r\n", 10, false, FAIL,
	  STATE_CRITICAL, "SMTP: NUL byte in the greeting", NULL },
	/* LMTP, RFC 2033 */
	{ "lmtp: LHLO", STARTTLS_LMTP, "220 lmtp\r\n250-lmtp\r\n250 STARTTLS\r\n220 go\r\n",
	  0, false, GO, 0, NULL, "LHLO " },
	/* IMAP, RFC 2595 and 3501 */
	{ "imap: go ahead", STARTTLS_IMAP,
	  "* OK [CAPABILITY IMAP4rev1] ready\r\n* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n"
	  "a001 OK done\r\na002 OK Begin TLS\r\n", 0, false, GO, 0, NULL, "a002 STARTTLS\r\n" },
	{ "imap: PREAUTH refused", STARTTLS_IMAP, "* PREAUTH welcome back\r\n", 0, false, FAIL,
	  STATE_CRITICAL, "no TLS: the IMAP server greets with PREAUTH", NULL },
	{ "imap: BYE greeting", STARTTLS_IMAP, "* BYE busy\r\n", 0, true, FAIL, STATE_CRITICAL,
	  "IMAP: unexpected greeting: '* BYE busy'", NULL },
	{ "imap: not offered", STARTTLS_IMAP,
	  "* OK ready\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na001 OK done\r\n", 0, false, FAIL,
	  STATE_CRITICAL, "no TLS: the IMAP server does not offer STARTTLS (CAPABILITY: ", NULL },
	{ "imap: refused", STARTTLS_IMAP,
	  "* OK ready\r\n* CAPABILITY IMAP4rev1 STARTTLS\r\na001 OK done\r\na002 NO not now\r\n",
	  0, false, FAIL, STATE_CRITICAL, "no TLS: the IMAP server refused TLS: 'a002 NO not now'",
	  NULL },
	/* POP3, RFC 2595 and 2449 */
	{ "pop3: go ahead", STARTTLS_POP3, "+OK ready\r\n+OK caps\r\nUSER\r\nSTLS\r\n.\r\n+OK begin\r\n",
	  0, false, GO, 0, NULL, "STLS\r\n" },
	{ "pop3: no CAPA", STARTTLS_POP3, "+OK ready\r\n-ERR unknown command\r\n", 0, false, FAIL,
	  STATE_CRITICAL, "no TLS: the POP3 server refused TLS: '-ERR unknown command'", NULL },
	{ "pop3: STLS not listed", STARTTLS_POP3, "+OK ready\r\n+OK\r\nUSER\r\nSTLSX\r\n.\r\n", 0,
	  false, FAIL, STATE_CRITICAL, "no TLS: the POP3 server does not offer STARTTLS (CAPA: ", NULL },
	{ "pop3: STLS refused", STARTTLS_POP3, "+OK ready\r\n+OK\r\nSTLS\r\n.\r\n-ERR no\r\n", 0,
	  false, FAIL, STATE_CRITICAL, "refused TLS: '-ERR no'", NULL },
	/* ManageSieve, RFC 5804 */
	{ "sieve: go ahead", STARTTLS_SIEVE,
	  "\"IMPLEMENTATION\" \"x\"\r\n\"SIEVE\" \"fileinto\"\r\n\"STARTTLS\"\r\nOK \"ready\"\r\nOK \"go\"\r\n",
	  0, false, GO, 0, NULL, "STARTTLS\r\n" },
	{ "sieve: not offered", STARTTLS_SIEVE, "\"IMPLEMENTATION\" \"x\"\r\nOK \"ready\"\r\n", 0,
	  false, FAIL, STATE_CRITICAL, "no TLS: the ManageSieve server does not offer STARTTLS", NULL },
	{ "sieve: refused", STARTTLS_SIEVE, "\"STARTTLS\"\r\nOK\r\nNO \"later\"\r\n", 0, false, FAIL,
	  STATE_CRITICAL, "no TLS: the ManageSieve server refused TLS: 'NO \"later\"'", NULL },
	{ "sieve: BYE greeting", STARTTLS_SIEVE, "BYE \"busy\"\r\n", 0, false, FAIL, STATE_CRITICAL,
	  "ManageSieve: the server refused the session", NULL },
	/* FTP, RFC 4217 */
	{ "ftp: multi-line greeting with free text", STARTTLS_FTP,
	  "220-welcome\r\nno code on this line\r\n220 ready\r\n234 AUTH TLS ok\r\n", 0, false, GO, 0,
	  NULL, "AUTH TLS\r\n" },
	{ "ftp: refused", STARTTLS_FTP, "220 ready\r\n530 Please login with USER and PASS.\r\n", 0,
	  false, FAIL, STATE_CRITICAL, "no TLS: the FTP server refused TLS: '530 Please login", NULL },
	/* NNTP, RFC 4642 */
	{ "nntp: go ahead", STARTTLS_NNTP,
	  "200 news ready\r\n101 Capability list:\r\nVERSION 2\r\nSTARTTLS\r\n.\r\n382 Continue\r\n",
	  0, false, GO, 0, NULL, "CAPABILITIES\r\nSTARTTLS\r\n" },
	{ "nntp: not offered", STARTTLS_NNTP, "201 ready\r\n101 caps\r\nVERSION 2\r\nREADER\r\n.\r\n",
	  0, false, FAIL, STATE_CRITICAL, "no TLS: the NNTP server does not offer STARTTLS", NULL },
	{ "nntp: refused", STARTTLS_NNTP, "200 ready\r\n101 caps\r\nSTARTTLS\r\n.\r\n580 no\r\n", 0,
	  false, FAIL, STATE_CRITICAL, "no TLS: the NNTP server refused TLS: '580 no'", NULL },
	{ "nntp: 502 greeting", STARTTLS_NNTP, "502 no permission\r\n", 0, false, FAIL,
	  STATE_CRITICAL, "NNTP: the server refused the session: '502 no permission'", NULL },
	/* LDAP, RFC 4511 4.14 */
	{ "ldap: resultCode 0", STARTTLS_LDAP,
	  "\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00", 14, false, GO, 0, NULL,
	  "1.3.6.1.4.1.1466.20037" },
	{ "ldap: long-form lengths and a responseName", STARTTLS_LDAP,
	  "\x30\x81\x24\x02\x01\x01\x78\x81\x1e\x0a\x01\x00\x04\x00\x04\x00"
	  "\x8a\x16" "1.3.6.1.4.1.1466.20037", 39, false, GO, 0, NULL, NULL },
	{ "ldap: protocolError", STARTTLS_LDAP,
	  "\x30\x17\x02\x01\x01\x78\x12\x0a\x01\x02\x04\x00\x04\x0bunsupported", 25, false, FAIL,
	  STATE_CRITICAL, "no TLS: the LDAP server refused StartTLS: resultCode 2 'unsupported'", NULL },
	{ "ldap: not an LDAPMessage", STARTTLS_LDAP, "\x31\x03\x02\x01\x01", 5, false, FAIL,
	  STATE_CRITICAL, "LDAP: malformed answer to StartTLS", NULL },
	{ "ldap: truncated and stalled", STARTTLS_LDAP, "\x30\x0c\x02\x01\x01\x78", 6, false, FAIL,
	  STATE_WARNING, "while waiting for the StartTLS ExtendedResponse", NULL },
	{ "ldap: oversized", STARTTLS_LDAP, "\x30\x83\x10\x00\x00", 5, false, FAIL, STATE_CRITICAL,
	  "LDAP: a response of 1048581 bytes", NULL },
	{ "ldap: bytes after the response", STARTTLS_LDAP,
	  "\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00\x16\x03", 16, false, FAIL,
	  STATE_CRITICAL, "LDAP: the server sent 2 bytes after its go-ahead", NULL },
	/* PostgreSQL SSLRequest */
	{ "postgres: S", STARTTLS_POSTGRES, "S", 1, false, GO, 0, NULL, "\x04\xd2\x16\x2f" },
	{ "postgres: N", STARTTLS_POSTGRES, "N", 1, false, FAIL, STATE_CRITICAL,
	  "no TLS: the PostgreSQL server answered 'N'", NULL },
	{ "postgres: E", STARTTLS_POSTGRES, "E", 1, true, FAIL, STATE_CRITICAL,
	  "no TLS: the PostgreSQL server answered SSLRequest with an error", NULL },
	{ "postgres: something else", STARTTLS_POSTGRES, "Z", 1, false, FAIL, STATE_CRITICAL,
	  "PostgreSQL: unexpected answer 0x5a", NULL },
	{ "postgres: bytes after S", STARTTLS_POSTGRES, "SX", 2, false, FAIL, STATE_CRITICAL,
	  "PostgreSQL: the server sent 1 byte after its go-ahead", NULL },
	{ "postgres: closes", STARTTLS_POSTGRES, "", 0, true, FAIL, STATE_CRITICAL,
	  "PostgreSQL: the server closed the connection", NULL },
	/* MySQL / MariaDB */
	{ "mysql: SSL offered", STARTTLS_MYSQL, MYSQL_GREETING("\xfe\xff"), 50, false, GO, 0, NULL,
	  "\x20\x00\x00\x01" },
	{ "mysql: no SSL", STARTTLS_MYSQL, MYSQL_GREETING("\xfe\xf7"), 50, false, FAIL,
	  STATE_CRITICAL, "no TLS: the MySQL server '10.11.6-MariaDB' does not offer SSL", NULL },
	{ "mysql: error packet", STARTTLS_MYSQL,
	  "\x23\x00\x00\x00\xff\x6a\x04#HY000Host 'x' is not allowed here", 39, true, FAIL,
	  STATE_CRITICAL, "MySQL: the server refused the connection: error 1130: #HY000Host 'x'", NULL },
	{ "mysql: absurd length", STARTTLS_MYSQL, "\xff\xff\xff\x00", 4, false, FAIL, STATE_CRITICAL,
	  "MySQL: a greeting of 16777215 bytes", NULL },
	{ "mysql: not protocol 10", STARTTLS_MYSQL, "\x05\x00\x00\x00\x09" "abcd", 9, false, FAIL,
	  STATE_CRITICAL, "MySQL: malformed server greeting", NULL },
	/* XMPP, RFC 6120 */
	{ "xmpp: proceed", STARTTLS_XMPP,
	  FEATURES "<stream:features><starttls " TLS_NS "><required/></starttls></stream:features>"
	  "<proceed " TLS_NS "/>", 0, false, GO, 0, NULL, "to='example.org'" },
	{ "xmpp: proceed as a pair of tags", STARTTLS_XMPP,
	  FEATURES "<stream:features><starttls " TLS_NS "/></stream:features><proceed " TLS_NS
	  "></proceed>", 0, false, GO, 0, NULL, "<starttls " TLS_NS "/>" },
	{ "xmpp: not offered", STARTTLS_XMPP,
	  FEATURES "<stream:features><mechanisms/></stream:features>", 0, false, FAIL,
	  STATE_CRITICAL, "no TLS: the XMPP server does not offer STARTTLS (stream features: "
	  "'<stream:features><mechanisms/></stream:features>')", NULL },
	{ "xmpp: failure", STARTTLS_XMPP,
	  FEATURES "<stream:features><starttls " TLS_NS "/></stream:features><failure " TLS_NS "/>",
	  0, false, FAIL, STATE_CRITICAL, "no TLS: the XMPP server refused TLS: '<failure", NULL },
	{ "xmpp: stream error", STARTTLS_XMPP,
	  FEATURES "<stream:error><host-unknown/></stream:error>", 0, true, FAIL, STATE_CRITICAL,
	  "XMPP: stream error: '<stream:error><host-unknown/>", NULL },
	{ "xmpp: bytes after proceed", STARTTLS_XMPP,
	  FEATURES "<stream:features><starttls " TLS_NS "/></stream:features><proceed " TLS_NS
	  "/><message>hi</message>", 0, false, FAIL, STATE_CRITICAL, "after its go-ahead", NULL },
	/* Several ends in one read: the earliest in the stream decides, not the list order. */
	{ "xmpp: failure then proceed in one read", STARTTLS_XMPP,
	  FEATURES "<stream:features><starttls " TLS_NS "/></stream:features><failure " TLS_NS
	  "/><proceed " TLS_NS "/>", 0, false, FAIL, STATE_CRITICAL,
	  "no TLS: the XMPP server refused TLS: '<failure", NULL },
	{ "xmpp: stream error then proceed in one read", STARTTLS_XMPP,
	  FEATURES "<stream:features><starttls " TLS_NS "/></stream:features><stream:error>"
	  "<policy-violation/></stream:error><proceed " TLS_NS "/>", 0, false, FAIL,
	  STATE_CRITICAL, "XMPP: stream error: '<stream:error><policy-violation/>", NULL },
	{ "xmpp: stream error then features in one read", STARTTLS_XMPP,
	  FEATURES "<stream:error><host-unknown/></stream:error><stream:features><starttls "
	  TLS_NS "/></stream:features>", 0, false, FAIL, STATE_CRITICAL,
	  "XMPP: stream error: '<stream:error><host-unknown/>", NULL },
	/* The xmpp-tls namespace counts only inside the <starttls> element. */
	{ "xmpp: the namespace on a sibling of starttls", STARTTLS_XMPP,
	  FEATURES "<stream:features><starttls xmlns='jabber:x'/><bind " TLS_NS "/>"
	  "</stream:features>", 0, false, FAIL, STATE_CRITICAL,
	  "no TLS: the XMPP server does not offer STARTTLS", NULL },
	{ "xmpp: the namespace only after the features", STARTTLS_XMPP,
	  FEATURES "<stream:features><starttls/></stream:features><proceed " TLS_NS "/>", 0,
	  false, FAIL, STATE_CRITICAL, "no TLS: the XMPP server does not offer STARTTLS", NULL },
	{ "xmpp: starttls with children, the namespace on its start tag", STARTTLS_XMPP,
	  FEATURES "<stream:features><starttls\n  " TLS_NS "><required/></starttls>"
	  "</stream:features><proceed " TLS_NS "/>", 0, false, GO, 0, NULL, NULL },
	{ "xmpp: a longer element name is not starttls", STARTTLS_XMPP,
	  FEATURES "<stream:features><starttlsx " TLS_NS "/></stream:features>", 0, false, FAIL,
	  STATE_CRITICAL, "no TLS: the XMPP server does not offer STARTTLS", NULL },
	{ "xmpp-server: jabber:server", STARTTLS_XMPP_SERVER,
	  FEATURES "<stream:features><starttls " TLS_NS "/></stream:features><proceed " TLS_NS "/>",
	  0, false, GO, 0, NULL, "xmlns='jabber:server'" },
};

/* Plays the server's part from a socketpair and runs the client's dialogue. */
static void
play(const struct dialogue_case *c, struct transcript *t, struct error *e, int *rc,
     char *sent, size_t sent_size, size_t *sent_len)
{
	struct starttls_params p = { .xmpp_domain = "example.org" };
	struct deadline d;
	int sv[2];
	size_t len = c->len ? c->len : strlen(c->server);
	ssize_t r;

	if (strstr(c->what, "--ehlo"))
		p.ehlo = "probe.example";
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(write(sv[1], c->server, len), (ssize_t)len);
	if (c->close)
		shutdown(sv[1], SHUT_WR);
	deadline_start(&d, 0.3, STATE_WARNING);
	transcript_init(t);
	*rc = starttls_run(c->proto, sv[0], &p, &d, t, e);
	close(sv[0]);
	r = read(sv[1], sent, sent_size - 1);
	*sent_len = r > 0 ? (size_t)r : 0;
	sent[*sent_len] = '\0';
	close(sv[1]);
}

START_TEST(test_dialogue)
{
	const struct dialogue_case *c = &cases[_i];
	struct transcript t;
	struct error e = { STATE_OK, "" };
	char sent[4096];
	size_t sent_len;
	int rc;

	play(c, &t, &e, &rc, sent, sizeof(sent), &sent_len);
	ck_assert_msg(rc == c->rc, "%s: rc %d, error '%s'", c->what, rc, e.msg);
	if (c->rc != GO) {
		ck_assert_msg(e.state == c->st, "%s: state %d", c->what, e.state);
		ck_assert_msg(strstr(e.msg, c->msg) != NULL, "%s: '%s' lacks '%s'", c->what,
			      e.msg, c->msg);
		ck_assert_msg(strchr(e.msg, '\n') == NULL, "%s: multi-line message", c->what);
	}
	if (c->sent)
		ck_assert_msg(memmem(sent, sent_len, c->sent, strlen(c->sent)) != NULL,
			      "%s: the client did not send '%s'", c->what, c->sent);
	/* Every dialogue is recorded for -v, the server's part included. */
	ck_assert_uint_gt(t.n, 0);
	transcript_free(&t);
}
END_TEST

/* An endless line, and a dialogue past its cap, end with a bounded error. */
START_TEST(test_bounds)
{
	static char big[STARTTLS_DIALOGUE_MAX + 2048];
	struct dialogue_case c = { "bounds", STARTTLS_SMTP, big, 0, false, FAIL, STATE_CRITICAL,
				   NULL, NULL };
	struct transcript t;
	struct error e;
	char sent[512];
	size_t sent_len, o;
	int rc;

	memset(big, 'a', STARTTLS_LINE_MAX + 10);
	memcpy(big, "220 ", 4);
	big[STARTTLS_LINE_MAX + 10] = '\0';
	play(&c, &t, &e, &rc, sent, sizeof(sent), &sent_len);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "SMTP: a line longer than 4096 bytes in the greeting"));
	transcript_free(&t);

	/* A long line that arrives whole, with its line end, is refused all the same. */
	memset(big, 'a', 10000);
	memcpy(big, "220 ", 4);
	memcpy(big + 10000, "\r\n", 3);
	play(&c, &t, &e, &rc, sent, sizeof(sent), &sent_len);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "SMTP: a line longer than 4096 bytes in the greeting"));
	transcript_free(&t);

	/* 300 lines of 60 bytes: each line is fine, the whole is too much. */
	o = (size_t)snprintf(big, sizeof(big), "220 mx\r\n");
	for (int i = 0; i < 300; i++)
		o += (size_t)snprintf(big + o, sizeof(big) - o, "250-%054d\r\n", i);
	play(&c, &t, &e, &rc, sent, sizeof(sent), &sent_len);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "more than 16384 bytes"));
	transcript_free(&t);
}
END_TEST

static const struct {
	const char *line;
	int code;
	bool more;
} codes[] = {
	{ "250 ok", 250, false },
	{ "250-more", 250, true },
	{ "220", 220, false },
	{ "25 x", -1, false },
	{ "2500 x", -1, false },
	{ "abc def", -1, false },
	{ "", -1, false },
};

START_TEST(test_reply_code)
{
	bool more = !codes[_i].more;
	int code = starttls_reply_code(codes[_i].line, strlen(codes[_i].line), &more);

	ck_assert_int_eq(code, codes[_i].code);
	if (code >= 0)
		ck_assert_int_eq(more, codes[_i].more);
}
END_TEST

START_TEST(test_words_and_lookup)
{
	enum starttls_proto p;
	unsigned port;

	ck_assert(starttls_has_word("IMAP4rev1 STARTTLS AUTH=PLAIN", 29, "starttls"));
	ck_assert(!starttls_has_word("IMAP4rev1 XSTARTTLS", 19, "STARTTLS"));
	ck_assert(!starttls_has_word("STARTTLSX", 9, "STARTTLS"));
	ck_assert_int_eq(starttls_lookup("postgres", &p, &port), 0);
	ck_assert_int_eq(p, STARTTLS_POSTGRES);
	ck_assert_uint_eq(port, 5432);
	ck_assert_int_eq(starttls_lookup("xmpp-server", &p, &port), 0);
	ck_assert_uint_eq(port, 5269);
	/* Protocol names are not case-sensitive; unknown ones stay unknown. */
	ck_assert_int_eq(starttls_lookup("IMAP", &p, &port), 0);
	ck_assert_int_eq(p, STARTTLS_IMAP);
	ck_assert_uint_eq(port, 143);
	ck_assert_int_eq(starttls_lookup("Xmpp-Server", &p, &port), 0);
	ck_assert_int_eq(p, STARTTLS_XMPP_SERVER);
	ck_assert_int_eq(starttls_lookup("IMAPS", &p, &port), -1);
	ck_assert_int_eq(starttls_lookup("", &p, &port), -1);
	ck_assert_str_eq(starttls_name(STARTTLS_SIEVE), "sieve");
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("starttls");
	TCase *tc = tcase_create("starttls");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_dialogue, 0, N_ELEMENTS(cases));
	tcase_add_test(tc, test_bounds);
	tcase_add_loop_test(tc, test_reply_code, 0, N_ELEMENTS(codes));
	tcase_add_test(tc, test_words_and_lookup);
	suite_add_tcase(s, tc);
	return s;
}
