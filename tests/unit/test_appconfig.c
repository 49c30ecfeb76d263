/*
 * Unit tests: app configurations. Which entry applies to a name, the dates,
 * each reader's rules and refusals (as content, no files), and the verdict
 * of an entry on a path by the platform's roles.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appconfig.h"
#include "appconfig_read.h"
#include "path.h"
#include "unit.h"

/* Three digests and their base64, as a configuration spells them. */
#define PA "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
#define PB "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
#define PC "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

static void
digest_of(const char *b64, unsigned char out[PIN_LEN])
{
	struct error e;

	ck_assert_int_eq(pins_parse_base64(b64, strlen(b64), out, &e), 0);
}

/* How an entry covers a name. */
static const struct {
	const char *domain;
	bool include;
	const char *name;
	bool exact_case;	/* TrustKit's way */
	size_t score;		/* SIZE_MAX: exact */
} scores[] = {
	{ "api.example.com", false, "api.example.com", false, (size_t)-1 },	/* exact */
	{ "API.Example.com", false, "api.example.COM", false, (size_t)-1 },	/* no case */
	{ "API.example.com", false, "api.example.com", true, 0 },	/* TrustKit: case counts */
	{ "example.COM", true, "api.example.com", true, 0 },
	{ "api.example.com", false, "api.example.com.", false, (size_t)-1 },	/* the name's dot */
	{ "api.example.com.", false, "api.example.com", false, 0 },	/* a domain's dot: never */
	{ "example.com.", true, "api.example.com", false, 0 },
	{ "example.com", true, "api.example.com", false, 11 },		/* a parent: its length */
	{ "example.com", false, "api.example.com", false, 0 },	/* not without includeSubdomains */
	{ "example.com", true, "example.com", false, (size_t)-1 },	/* a parent is exact for itself */
	{ "ample.com", true, "api.example.com", false, 0 },		/* a suffix is not a parent */
	{ "example.com", true, "apiexample.com", false, 0 },
	{ "example.com", true, "api.example.org", false, 0 },
	{ "", true, "api.example.com", false, 0 },
};

START_TEST(test_score)
{
	ck_assert_uint_eq(appconfig_score(scores[_i].domain, scores[_i].include, scores[_i].name,
					  scores[_i].exact_case),
			  scores[_i].score);
}
END_TEST

/* yyyy-MM-dd, strictly, to 00:00 UTC. */
static const struct {
	const char *text;
	int rc;
	int64_t t;
} dates[] = {
	{ "1970-01-01", 0, 0 },
	{ "2018-01-01", 0, 1514764800 },
	{ "2024-02-29", 0, 1709164800 },	/* a leap day */
	{ "2100-03-01", 0, 4107542400 },
	{ "2023-02-29", -1, 0 },		/* not a leap year */
	{ "2100-02-29", -1, 0 },		/* a century is not */
	{ "2026-04-31", -1, 0 },
	{ "2026-13-01", -1, 0 },
	{ "2026-00-10", -1, 0 },
	{ "2026-1-5", -1, 0 },
	{ "2026-01-05T00:00", -1, 0 },
	{ "31.12.2027", -1, 0 },
	{ "", -1, 0 },
};

START_TEST(test_date)
{
	int64_t t = -1;

	ck_assert_int_eq(appconfig_date(dates[_i].text, &t), dates[_i].rc);
	if (dates[_i].rc == 0)
		ck_assert_int_eq(t, dates[_i].t);
}
END_TEST

#define NSC_HEAD "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<network-security-config>\n"
#define NSC_TAIL "</network-security-config>\n"
#define PLIST_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" " \
	"\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n"
#define PLIST_TAIL "</dict>\n</plist>\n"
#define TSK(domain, keys) "<key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict>" \
	"<key>" domain "</key><dict>" keys "</dict></dict></dict>\n"
#define HASHES(...) "<key>TSKPublicKeyHashes</key><array>" __VA_ARGS__ "</array>"
#define S(p) "<string>" p "</string>"
#define ID(p) "<dict><key>SPKI-SHA256-BASE64</key><string>" p "</string></dict>"

/* Files that are read: the entry for the name and what it holds. */
static const struct {
	const char *what;
	const char *content;
	const char *name;
	size_t n;		/* configurations */
	enum app_kind kind;	/* of the first */
	const char *entry;
	size_t npins, nleaf, nca;
	bool enforce, expires;
} reads[] = {
	{ "android: an exact domain", NSC_HEAD
	  "<domain-config><domain>api.example.com</domain><pin-set>"
	  "<pin digest=\"SHA-256\">" PA "</pin><pin digest=\"SHA-256\">" PB "</pin>"
	  "</pin-set></domain-config>" NSC_TAIL,
	  "api.example.com", 1, APP_ANDROID, "api.example.com", 2, 0, 0, true, false },
	{ "android: digest in any case, pins trimmed, a repeated pin once", NSC_HEAD
	  "<domain-config><domain includeSubdomains=\"TRUE\">example.com</domain>"
	  "<pin-set expiration=\"2030-01-01\"><pin digest=\"sha-256\">\n  " PA "\n</pin>"
	  "<pin digest=\"SHA-256\">" PA "</pin></pin-set></domain-config>" NSC_TAIL,
	  "api.example.com", 1, APP_ANDROID, "example.com", 1, 0, 0, true, true },
	{ "android: the most specific parent", NSC_HEAD
	  "<domain-config><domain includeSubdomains=\"true\">com</domain>"
	  "<pin-set><pin digest=\"SHA-256\">" PC "</pin></pin-set></domain-config>"
	  "<domain-config><domain includeSubdomains=\"true\">example.com</domain>"
	  "<pin-set><pin digest=\"SHA-256\">" PA "</pin><pin digest=\"SHA-256\">" PB "</pin>"
	  "</pin-set></domain-config>" NSC_TAIL,
	  "a.b.example.com", 1, APP_ANDROID, "example.com", 2, 0, 0, true, false },
	{ "android: a nested domain-config inherits the pin-set and enforcePinning", NSC_HEAD
	  "<domain-config><domain includeSubdomains=\"true\">example.com</domain>"
	  "<pin-set><pin digest=\"SHA-256\">" PA "</pin><pin digest=\"SHA-256\">" PB "</pin>"
	  "</pin-set><trustkit-config enforcePinning=\"false\"/>"
	  "<domain-config><domain>api.example.com</domain></domain-config>"
	  "</domain-config>" NSC_TAIL,
	  "api.example.com", 1, APP_ANDROID, "api.example.com", 2, 0, 0, false, false },
	{ "trustkit: the defaults (enforced, no expiration)", PLIST_HEAD
	  TSK("api.example.com", HASHES(S(PA) S(PB))) PLIST_TAIL,
	  "api.example.com", 1, APP_TRUSTKIT, "api.example.com", 2, 0, 0, true, false },
	{ "trustkit: not enforced, one pin is enough", PLIST_HEAD
	  TSK("example.com", "<key>TSKIncludeSubdomains</key><true/>"
	      "<key>TSKEnforcePinning</key><false/>"
	      "<key>TSKExpirationDate</key><string>2030-06-30</string>" HASHES(S(PA)))
	  PLIST_TAIL,
	  "www.example.com", 1, APP_TRUSTKIT, "example.com", 1, 0, 0, false, true },
	{ "ats: leaf and CA identities", PLIST_HEAD
	  "<key>NSAppTransportSecurity</key><dict><key>NSPinnedDomains</key><dict>"
	  "<key>example.com</key><dict><key>NSIncludesSubdomains</key><true/>"
	  "<key>NSPinnedLeafIdentities</key><array>" ID(PA) ID(PB) "</array>"
	  "<key>NSPinnedCAIdentities</key><array>" ID(PC) "</array>"
	  "</dict></dict></dict>" PLIST_TAIL,
	  "api.example.com", 1, APP_ATS, "example.com", 3, 2, 1, true, false },
	{ "trustkit and ats in one Info.plist: two configurations", PLIST_HEAD
	  TSK("api.example.com", HASHES(S(PA) S(PB)))
	  "<key>NSAppTransportSecurity</key><dict><key>NSPinnedDomains</key><dict>"
	  "<key>api.example.com</key><dict><key>NSPinnedCAIdentities</key><array>" ID(PC)
	  "</array></dict></dict></dict>" PLIST_TAIL,
	  "api.example.com", 2, APP_TRUSTKIT, "api.example.com", 2, 0, 0, true, false },
	{ "trustkit and ats, only ats applies: one configuration", PLIST_HEAD
	  TSK("other.example.com", HASHES(S(PA) S(PB)))
	  "<key>NSAppTransportSecurity</key><dict><key>NSPinnedDomains</key><dict>"
	  "<key>api.example.com</key><dict><key>NSPinnedCAIdentities</key><array>" ID(PC)
	  "</array></dict></dict></dict>" PLIST_TAIL,
	  "api.example.com", 1, APP_ATS, "api.example.com", 1, 0, 1, true, false },
};

START_TEST(test_read)
{
	struct app_configs list;
	struct error e;
	int rc;

	appconfig_init(&list);
	rc = appconfig_parse(&list, "cfg", reads[_i].content, strlen(reads[_i].content),
			     reads[_i].name, &e);
	ck_assert_msg(rc == 0, "%s: %s", reads[_i].what, e.msg);
	ck_assert_uint_eq(list.n, reads[_i].n);
	ck_assert_int_eq(list.v[0].kind, reads[_i].kind);
	ck_assert_str_eq(list.v[0].entry, reads[_i].entry);
	ck_assert_uint_eq(list.v[0].npins, reads[_i].npins);
	ck_assert_uint_eq(list.v[0].nleaf, reads[_i].nleaf);
	ck_assert_uint_eq(list.v[0].nca, reads[_i].nca);
	ck_assert_int_eq(list.v[0].enforce, reads[_i].enforce);
	ck_assert_int_eq(list.v[0].expires, reads[_i].expires);
	appconfig_free(&list);
}
END_TEST

/* Files that are refused, and a part of the message that says why. */
static const struct {
	const char *content;
	const char *why;
} refusals[] = {
	{ "", "cfg:" },
	{ "<network-security-config>", "cfg:1: " },
	{ NSC_HEAD "<domain-config><domain>api.example.com</domain>\n<pin-set>"
	  "<pin digest=\"SHA-256\">" PA "</pin></pin-set></domain-config>\n" NSC_TAIL,
	  "cfg:" },	/* read fine: the name below is another */
	{ NSC_HEAD "<domain-config><domain>x.example.com</domain></domain-config>" NSC_TAIL,
	  "cfg: no domain-config applies to api.example.com" },
	{ NSC_HEAD "<domain-config><domain>api.example.com</domain></domain-config>" NSC_TAIL,
	  "has no pin-set: the app does not pin it" },
	{ NSC_HEAD "<domain-config><domain>api.example.com</domain><pin-set/></domain-config>"
	  NSC_TAIL, "has an empty pin-set" },
	{ NSC_HEAD "<domain-config>\n<domain>api.example.com</domain>\n<pin-set>\n"
	  "<pin digest=\"SHA-1\">" PA "</pin></pin-set></domain-config>" NSC_TAIL,
	  "cfg:6: pin digest 'SHA-1' is not supported" },
	{ NSC_HEAD "<domain-config><domain>api.example.com</domain><pin-set>\n"
	  "<pin>" PA "</pin></pin-set></domain-config>" NSC_TAIL,
	  "cfg:4: pin digest '' is not supported" },
	{ NSC_HEAD "<domain-config><domain>api.example.com</domain><pin-set>\n"
	  "<pin digest=\"SHA-256\">" PC "A</pin></pin-set></domain-config>" NSC_TAIL,
	  "cfg:4: invalid pin" },
	{ NSC_HEAD "<domain-config><domain>api.example.com</domain>\n<pin-set expiration=\"2026-1-1\">"
	  "<pin digest=\"SHA-256\">" PA "</pin></pin-set></domain-config>" NSC_TAIL,
	  "cfg:4: pin-set expiration '2026-1-1' is not a date" },
	{ NSC_HEAD "<domain-config><domain>api.example.com</domain><pin-set/>\n<pin-set/>"
	  "</domain-config>" NSC_TAIL, "cfg:4: a second <pin-set>" },
	{ NSC_HEAD "<domain-config><domain>api.example.com</domain></domain-config>\n"
	  "<domain-config><domain>API.example.com</domain></domain-config>" NSC_TAIL,
	  "cfg:4: domain API.example.com is already configured at line 3" },
	{ NSC_HEAD "<domain-config><pin-set/></domain-config>" NSC_TAIL,
	  "a <domain-config> without a <domain>" },
	{ NSC_HEAD "<domain-config><domain includeSubdomains=\"yes\">api.example.com</domain>"
	  "</domain-config>" NSC_TAIL, "includeSubdomains=\"yes\": expected true or false" },
	{ NSC_HEAD "<domain-config><domain>api example.com</domain></domain-config>" NSC_TAIL,
	  "is not a domain name" },
	{ NSC_HEAD "<base-config>\n<pin-set/></base-config>" NSC_TAIL,
	  "cfg:4: a <pin-set> outside <domain-config>" },
	{ NSC_HEAD "<domain-config><domain>api.example.com</domain>\n<pin-set>"
	  "<pin digest=\"SHA-256\">" PA "</pin></pin-set><trustkit-config/></domain-config>"
	  NSC_TAIL, "cfg:3: TrustKit refuses domain api.example.com: 1 pin" },
	{ NSC_HEAD "<domain-config><domain>api.example.com<b/></domain></domain-config>" NSC_TAIL,
	  "holds an element <b>" },
	{ "<?xml version=\"1.0\"?>\n<!DOCTYPE x [\n<!ENTITY e \"x\">\n]>\n"
	  "<network-security-config/>", "cfg:3: an entity declaration" },
	{ "<?xml version=\"1.0\"?>\n<!DOCTYPE x [\n<!ENTITY % p SYSTEM \"file:///etc/passwd\">\n]>\n"
	  "<network-security-config/>", "cfg:3: an entity declaration" },
	{ "<html/>", "root element <html>" },
	{ "bplist01", "version '01' is not supported" },
	{ "bplist00", "not a valid binary property list" },
	{ PLIST_HEAD "<key>CFBundleName</key><string>x</string>" PLIST_TAIL,
	  "without TSKConfiguration or NSAppTransportSecurity NSPinnedDomains" },
	{ PLIST_HEAD TSK("api.example.com", HASHES(S(PA))) PLIST_TAIL,
	  "TrustKit refuses api.example.com: 1 pin, it needs at least 2 (a backup pin)" },
	{ PLIST_HEAD TSK("api.example.com", HASHES(S(PA) S(PA))) PLIST_TAIL,
	  "TrustKit refuses api.example.com: 1 pin" },
	{ PLIST_HEAD TSK("api.example.com", "<key>TSKIncludeSubdomains</key><string>YES</string>"
			 HASHES(S(PA) S(PB))) PLIST_TAIL,
	  "TSKIncludeSubdomains of api.example.com is a string, expected a boolean" },
	{ PLIST_HEAD TSK("api.example.com", "<key>TSKExpirationDate</key><date>2030-01-01T00:00:00Z</date>"
			 HASHES(S(PA) S(PB))) PLIST_TAIL,
	  "TSKExpirationDate of api.example.com is another type, expected a string" },
	{ PLIST_HEAD TSK("api.example.com", HASHES(S(PA) S("sha256/" PB))) PLIST_TAIL,
	  "TSKPublicKeyHashes of api.example.com: invalid pin 'sha256/" },
	{ PLIST_HEAD "<key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict>"
	  "<key>api.example.com</key><dict><key>TSKExcludeSubdomainFromParentPolicy</key><true/>"
	  "</dict></dict></dict>" PLIST_TAIL,
	  "without a parent policy that includes subdomains" },
	{ PLIST_HEAD "<key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict>"
	  "<key>example.com</key><dict><key>TSKIncludeSubdomains</key><true/>" HASHES(S(PA) S(PB))
	  "</dict><key>api.example.com</key><dict><key>TSKExcludeSubdomainFromParentPolicy</key>"
	  "<true/></dict></dict></dict>" PLIST_TAIL,
	  "TrustKit excludes api.example.com from its parent's policy" },
	{ PLIST_HEAD "<key>NSAppTransportSecurity</key><dict><key>NSPinnedDomains</key><dict>"
	  "<key>api.example.com</key><dict><key>NSPinnedLeafIdentities</key><array>"
	  "<dict><key>SPKI-SHA256</key><string>" PA "</string></dict></array>"
	  "</dict></dict></dict>" PLIST_TAIL, "without SPKI-SHA256-BASE64" },
	{ PLIST_HEAD "<key>NSAppTransportSecurity</key><dict><key>NSPinnedDomains</key><dict>"
	  "<key>api.example.com</key><dict/></dict></dict>" PLIST_TAIL,
	  "has no identity: the app does not pin it" },
	{ PLIST_HEAD "<key>a</key>\n<key>b</key><string>x</string>" PLIST_TAIL,
	  "cfg:5: a <key> without its value" },
	{ PLIST_HEAD "<key>a</key><foo/>" PLIST_TAIL, "<foo> is not a property list element" },
	{ "<plist><string>x</string></plist>", "expected a dictionary" },
	{ "<plist/>", "<plist> must hold exactly one value" },
};

START_TEST(test_refused)
{
	struct app_configs list;
	struct error e;
	const char *name = _i == 2 ? "www.example.com" : "api.example.com";

	appconfig_init(&list);
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(appconfig_parse(&list, "cfg", refusals[_i].content,
					 strlen(refusals[_i].content), name, &e), -1);
	ck_assert_int_eq(e.state, STATE_UNKNOWN);
	ck_assert_msg(strstr(e.msg, refusals[_i].why) != NULL, "case %d gave '%s'", _i, e.msg);
	ck_assert_uint_eq(list.n, 0);
	appconfig_free(&list);
}
END_TEST

/* Binary property lists refused before libplist reads them (they hold NUL bytes). */
static const struct {
	const char *content;
	size_t len;
	const char *why;
} binary_refusals[] = {
	/* An array of two references to the next, 20 deep: a million values, refused as such. */
	{ "bplist00"
	  "\xa2\x01\x01\xa2\x02\x02\xa2\x03\x03\xa2\x04\x04\xa2\x05\x05\xa2\x06\x06"
	  "\xa2\x07\x07\xa2\x08\x08\xa2\x09\x09\xa2\x0a\x0a\xa2\x0b\x0b\xa2\x0c\x0c"
	  "\xa2\x0d\x0d\xa2\x0e\x0e\xa2\x0f\x0f\xa2\x10\x10\xa2\x11\x11\xa2\x12\x12"
	  "\xa2\x13\x13\xa2\x14\x14\x08"
	  "\x08\x0b\x0e\x11\x14\x17\x1a\x1d\x20\x23\x26\x29\x2c\x2f\x32\x35\x38\x3b\x3e\x41\x44"
	  "\0\0\0\0\0\0\x01\x01" "\0\0\0\0\0\0\0\x15" "\0\0\0\0\0\0\0\0"
	  "\0\0\0\0\0\0\0\x45",
	  8 + 60 + 1 + 21 + 32, "refused: its objects expand to more values than the limit" },
	/* An array that holds itself. */
	{ "bplist00\xa1\x00\x08" "\0\0\0\0\0\0\x01\x01" "\0\0\0\0\0\0\0\x01"
	  "\0\0\0\0\0\0\0\0" "\0\0\0\0\0\0\0\x0a", 8 + 2 + 1 + 32,
	  "refused: an object contains itself" },
	/* A key with a NUL byte: libplist's getters would abort. */
	{ "bplist00\xd1\x01\x02\x52" "a\0\x09" "\x08\x0b\x0e" "\0\0\0\0\0\0\x01\x01"
	  "\0\0\0\0\0\0\0\x03" "\0\0\0\0\0\0\0\0" "\0\0\0\0\0\0\0\x0f",
	  8 + 7 + 3 + 32, "refused: a string holds a NUL character" },
	/* An offset table past the end. */
	{ "bplist00\x08" "\0\0\0\0\0\0\x01\x01" "\0\0\0\0\0\0\0\x01"
	  "\0\0\0\0\0\0\0\0" "\0\0\0\0\0\0\x10\x00", 8 + 1 + 32,
	  "not a valid binary property list" },
};

START_TEST(test_refused_binary)
{
	struct app_configs list;
	struct error e;

	appconfig_init(&list);
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(appconfig_parse(&list, "cfg", binary_refusals[_i].content,
					 binary_refusals[_i].len, "api.example.com", &e), -1);
	ck_assert_msg(strstr(e.msg, binary_refusals[_i].why) != NULL, "case %d gave '%s'", _i, e.msg);
	ck_assert_uint_eq(list.n, 0);
}
END_TEST

/* Past the caps on domains and pins: refused, whatever the rest of the file. */
START_TEST(test_caps)
{
	static const struct {
		const char *head, *pre, *post, *tail, *why;
		int width;	/* of the number between pre and post, zero-padded */
		int count;
	} caps[] = {
		{ NSC_HEAD, "<domain-config><domain>d", ".example.com</domain></domain-config>\n",
		  NSC_TAIL, "more than 4096 domains", 1, APPCONFIG_DOMAINS_MAX + 1 },
		/* 42 digits and a '0': canonical base64, a distinct pin each */
		{ NSC_HEAD "<domain-config><domain>api.example.com</domain><pin-set>",
		  "<pin digest=\"SHA-256\">", "0=</pin>\n", "</pin-set></domain-config>" NSC_TAIL,
		  "more than 256 pins in one pin-set", 42, APPCONFIG_PINS_MAX + 1 },
		{ PLIST_HEAD "<key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict>"
		  "<key>api.example.com</key><dict><key>TSKPublicKeyHashes</key><array>",
		  "<string>", "</string>", "</array></dict></dict></dict>" PLIST_TAIL,
		  "more than 256 TSKPublicKeyHashes", 1, APPCONFIG_PINS_MAX + 1 },
	};

	for (size_t k = 0; k < N_ELEMENTS(caps); k++) {
		size_t cap = strlen(caps[k].head) + strlen(caps[k].tail) +
			     (size_t)caps[k].count * (strlen(caps[k].pre) + strlen(caps[k].post) + 48) + 1;
		char *buf = malloc(cap);
		size_t len = 0;
		struct app_configs list;
		struct error e;

		ck_assert_ptr_nonnull(buf);
		len += (size_t)snprintf(buf + len, cap - len, "%s", caps[k].head);
		for (int i = 0; i < caps[k].count; i++)
			len += (size_t)snprintf(buf + len, cap - len, "%s%0*d%s", caps[k].pre,
						caps[k].width, i, caps[k].post);
		len += (size_t)snprintf(buf + len, cap - len, "%s", caps[k].tail);
		appconfig_init(&list);
		ck_assert_int_eq(appconfig_parse(&list, "cfg", buf, len, "api.example.com", &e), -1);
		ck_assert_msg(strstr(e.msg, caps[k].why) != NULL, "case %zu gave '%s'", k, e.msg);
		free(buf);
	}
}
END_TEST

/* A path of certificates with these pins (the last the trust anchor when anchor). */
struct fake_path {
	struct cert certs[4];
	struct path p;
};

static void
fake_path(struct fake_path *f, const char *const *pins, size_t n, bool anchor)
{
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < n; i++) {
		digest_of(pins[i], f->certs[i].pin);
		f->p.v[i] = &f->certs[i];
	}
	f->p.n = n;
	f->p.usable = n;
	f->p.has_anchor = anchor;
	f->p.whole = true;
}

#define DAY 86400
#define NOW ((int64_t)1800000000)

/* An entry judged on a path. */
static const struct {
	const char *what;
	struct { const char *pin; enum app_role role; } pins[3];
	bool enforce, expires;
	int64_t expiration;	/* from NOW */
	const char *path[3];	/* leaf first */
	bool require_backup;
	enum state state;
	bool matched;
	long pin, depth, ca_pin;
	bool expired, expiring, no_backup;
} verdicts[] = {
	{ "any role: the leaf", { { PA, APP_ROLE_ANY }, { PB, APP_ROLE_ANY } }, true, false, 0,
	  { PA, PC }, false, STATE_OK, true, 0, 0, -1, false, false, false },
	{ "any role: the match nearest the leaf is named", { { PC, APP_ROLE_ANY }, { PA, APP_ROLE_ANY } },
	  true, false, 0, { PA, PC }, false, STATE_OK, true, 1, 0, -1, false, false, false },
	{ "any role: the anchor", { { PC, APP_ROLE_ANY } }, true, false, 0,
	  { PA, PB, PC }, false, STATE_OK, true, 0, 2, -1, false, false, false },
	{ "no match: CRITICAL", { { PB, APP_ROLE_ANY }, { PC, APP_ROLE_ANY } }, true, false, 0,
	  { PA }, false, STATE_CRITICAL, false, -1, -1, -1, false, false, false },
	{ "no match, not enforced: WARNING", { { PB, APP_ROLE_ANY }, { PC, APP_ROLE_ANY } }, false,
	  false, 0, { PA }, false, STATE_WARNING, false, -1, -1, -1, false, false, false },
	{ "a leaf identity never matches a CA", { { PB, APP_ROLE_LEAF } }, true, false, 0,
	  { PA, PB }, false, STATE_CRITICAL, false, -1, -1, -1, false, false, false },
	{ "a CA identity never matches the leaf", { { PA, APP_ROLE_CA } }, true, false, 0,
	  { PA, PB }, false, STATE_CRITICAL, false, -1, -1, -1, false, false, false },
	{ "a CA identity on the leaf's own key (a self-signed leaf, its own anchor)",
	  { { PA, APP_ROLE_CA } }, true, false, 0, { PA, PA }, false, STATE_CRITICAL, false, -1, -1,
	  -1, false, false, false },
	{ "a CA identity alone, above the leaf", { { PB, APP_ROLE_CA } }, true, false, 0,
	  { PA, PB }, false, STATE_OK, true, 0, 1, -1, false, false, false },
	{ "both kinds, both match", { { PA, APP_ROLE_LEAF }, { PC, APP_ROLE_CA } }, true, false, 0,
	  { PA, PB, PC }, false, STATE_OK, true, 0, 0, 1, false, false, false },
	{ "both kinds, only the leaf matches: CRITICAL", { { PA, APP_ROLE_LEAF }, { PA, APP_ROLE_CA } },
	  true, false, 0, { PA, PB }, false, STATE_CRITICAL, false, 0, 0, -1, false, false, false },
	{ "expired: WARNING even when matching", { { PA, APP_ROLE_ANY }, { PB, APP_ROLE_ANY } }, true,
	  true, -DAY, { PA }, false, STATE_WARNING, true, 0, 0, -1, true, false, false },
	{ "expired at this very second", { { PA, APP_ROLE_ANY } }, true, true, 0, { PA }, false,
	  STATE_WARNING, true, 0, 0, -1, true, false, false },
	{ "expired and no match: WARNING, not CRITICAL", { { PB, APP_ROLE_ANY } }, true, true, -DAY,
	  { PA }, false, STATE_WARNING, false, -1, -1, -1, true, false, false },
	{ "expiring within 30 days: WARNING", { { PA, APP_ROLE_ANY } }, true, true, 30 * DAY, { PA },
	  false, STATE_WARNING, true, 0, 0, -1, false, true, false },
	{ "expiring in 31 days: OK", { { PA, APP_ROLE_ANY } }, true, true, 31 * DAY, { PA }, false,
	  STATE_OK, true, 0, 0, -1, false, false, false },
	{ "every pin served, backup required: WARNING", { { PA, APP_ROLE_ANY }, { PB, APP_ROLE_ANY } },
	  true, false, 0, { PA, PB }, true, STATE_WARNING, true, 0, 0, -1, false, false, true },
	{ "a backup not served: OK", { { PA, APP_ROLE_ANY }, { PC, APP_ROLE_ANY } }, true, false, 0,
	  { PA, PB }, true, STATE_OK, true, 0, 0, -1, false, false, false },
};

START_TEST(test_verdict)
{
	struct app_config c;
	struct app_verdict v;
	struct fake_path f;
	const char *path[3];
	size_t n = 0;

	memset(&c, 0, sizeof(c));
	c.enforce = verdicts[_i].enforce;
	c.expires = verdicts[_i].expires;
	c.expiration = NOW + verdicts[_i].expiration;
	for (size_t k = 0; k < 3 && verdicts[_i].pins[k].pin; k++) {
		unsigned char d[PIN_LEN];
		struct error e;

		digest_of(verdicts[_i].pins[k].pin, d);
		ck_assert_int_eq(appconfig_add_pin(&c, d, verdicts[_i].pins[k].role, &e), 0);
	}
	while (n < 3 && verdicts[_i].path[n]) {
		path[n] = verdicts[_i].path[n];
		n++;
	}
	fake_path(&f, path, n, n > 2);
	appconfig_evaluate(&c, &f.p, NOW, 30 * DAY, verdicts[_i].require_backup, &v);
	ck_assert_msg(v.state == verdicts[_i].state, "%s: state %d", verdicts[_i].what, v.state);
	ck_assert_int_eq(v.matched, verdicts[_i].matched);
	ck_assert_int_eq(v.pin, verdicts[_i].pin);
	ck_assert_int_eq(v.depth, verdicts[_i].depth);
	ck_assert_int_eq(v.ca_pin, verdicts[_i].ca_pin);
	ck_assert_int_eq(v.expired, verdicts[_i].expired);
	ck_assert_int_eq(v.expiring, verdicts[_i].expiring);
	ck_assert_int_eq(v.no_backup, verdicts[_i].no_backup);
	appconfig_clear(&c);
}
END_TEST

/* A pin matches no higher than an issuer out of its validity (struct path's usable). */
START_TEST(test_usable)
{
	static const char *const pins[] = { PA, PB };
	struct app_config c;
	struct app_verdict v;
	struct fake_path f;
	unsigned char d[PIN_LEN];
	struct error e;

	memset(&c, 0, sizeof(c));
	c.enforce = true;
	digest_of(PB, d);
	ck_assert_int_eq(appconfig_add_pin(&c, d, APP_ROLE_ANY, &e), 0);
	fake_path(&f, pins, 2, false);
	appconfig_evaluate(&c, &f.p, NOW, 30 * DAY, false, &v);
	ck_assert(v.matched);
	f.p.usable = 1;		/* the CA has expired */
	appconfig_evaluate(&c, &f.p, NOW, 30 * DAY, false, &v);
	ck_assert(!v.matched);
	ck_assert_int_eq(v.state, STATE_CRITICAL);
	appconfig_clear(&c);
}
END_TEST

/* The path stays the leaf alone only when every configuration is settled by it. */
START_TEST(test_leaf_decides)
{
	struct app_configs list;
	unsigned char a[PIN_LEN], b[PIN_LEN];
	struct error e;

	digest_of(PA, a);
	digest_of(PB, b);
	appconfig_init(&list);
	ck_assert(appconfig_leaf_decides(&list, a, false));
	ck_assert(appconfig_leaf_decides(&list, a, true));
	list.n = 1;
	ck_assert_int_eq(appconfig_add_pin(&list.v[0], b, APP_ROLE_ANY, &e), 0);
	ck_assert(!appconfig_leaf_decides(&list, a, false));	/* a CA may match */
	ck_assert_int_eq(appconfig_add_pin(&list.v[0], a, APP_ROLE_ANY, &e), 0);
	ck_assert(appconfig_leaf_decides(&list, a, false));
	ck_assert(!appconfig_leaf_decides(&list, a, true));	/* is the backup served? */
	ck_assert_int_eq(appconfig_add_pin(&list.v[0], b, APP_ROLE_CA, &e), 0);
	ck_assert(!appconfig_leaf_decides(&list, a, false));	/* a CA identity must match */
	appconfig_free(&list);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("appconfig");
	TCase *tc = tcase_create("appconfig");

	tcase_add_loop_test(tc, test_score, 0, N_ELEMENTS(scores));
	tcase_add_loop_test(tc, test_date, 0, N_ELEMENTS(dates));
	tcase_add_loop_test(tc, test_read, 0, N_ELEMENTS(reads));
	tcase_add_loop_test(tc, test_refused, 0, N_ELEMENTS(refusals));
	tcase_add_loop_test(tc, test_refused_binary, 0, N_ELEMENTS(binary_refusals));
	tcase_add_loop_test(tc, test_verdict, 0, N_ELEMENTS(verdicts));
	tcase_add_test(tc, test_usable);
	tcase_add_test(tc, test_leaf_decides);
	tcase_add_test(tc, test_caps);
	suite_add_tcase(s, tc);
	return s;
}
