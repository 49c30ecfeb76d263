/*
 * Fuzz harness: what the plugin makes of revocation data, which comes from
 * the network (a staple, a responder, a CRL server): the bytes judged as an
 * OCSP response (stapled and fetched) and as a CRL about a fixed leaf of a
 * fixed CA, the verdict, and the output made from it with -v.
 * Invariants: an answer is good, revoked or unknown only inside its window
 * (thisUpdate <= now <= nextUpdate); no answer always says why; the first
 * line has exactly one '|'; no line holds a control byte or DEL. The seeds
 * (tests/fuzz/corpus/fuzz_revocation) are responses and CRLs that this CA
 * signed: good, revoked, unknown, stale.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "evaluate.h"
#include "path.h"
#include "fuzz_report.h"
#include "revcheck.h"
#include "revocation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 2027-01-15 08:00 UTC: inside the seeds' windows. */
#define NOW 1800000000

static const char chain_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIICNzCCAd2gAwIBAgICEAEwCgYIKoZIzj0EAwIwHzEdMBsGA1UEAxMURnV6eiBS\n"
	"ZXZvY2F0aW9uIFJvb3QwIBcNMjYwMTAxMDAwMDAwWhgPMjA5ODAxMDEwMDAwMDBa\n"
	"MBcxFTATBgNVBAMTDGZ1enouZXhhbXBsZTBZMBMGByqGSM49AgEGCCqGSM49AwEH\n"
	"A0IABHDqdrrypI7fdXsoIqtMNlZjUZPXig1iEiEgquiDXayBGSSehwDIoRi3dnMr\n"
	"V8rAw0D4O33MC9gM+JAMDV9JN6mjggENMIIBCTARBggrBgEFBQcBGAQFMAMCAQUw\n"
	"DAYDVR0TAQH/BAIwADAXBgNVHREEEDAOggxmdXp6LmV4YW1wbGUwEwYDVR0lBAww\n"
	"CgYIKwYBBQUHAwEwNQYIKwYBBQUHAQEEKTAnMCUGCCsGAQUFBzABhhlodHRwOi8v\n"
	"b2NzcC5mdXp6LmV4YW1wbGUvMA4GA1UdDwEB/wQEAwIHgDAdBgNVHQ4EFgQUNYMJ\n"
	"BF0pVLkxy0PjxzwECL5KUA0wHwYDVR0jBBgwFoAUftOkvwosUsJx/eoWIU9UmpgW\n"
	"XvQwMQYDVR0fBCowKDAmoCSgIoYgaHR0cDovL2NybC5mdXp6LmV4YW1wbGUvcm9v\n"
	"dC5jcmwwCgYIKoZIzj0EAwIDSAAwRQIgb/XWolu8eLZgGn6begdnnJVUvn9rCWlQ\n"
	"9Cz9fjV5bKsCIQD87YbXWh9EbBw0pFnCDgrM2NgGunTke30kJZIG9KQnPA==\n"
	"-----END CERTIFICATE-----\n"
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBcTCCARegAwIBAgIBATAKBggqhkjOPQQDAjAfMR0wGwYDVQQDExRGdXp6IFJl\n"
	"dm9jYXRpb24gUm9vdDAgFw0yNjAxMDEwMDAwMDBaGA8yMDk5MDEwMTAwMDAwMFow\n"
	"HzEdMBsGA1UEAxMURnV6eiBSZXZvY2F0aW9uIFJvb3QwWTATBgcqhkjOPQIBBggq\n"
	"hkjOPQMBBwNCAATqcHbE8+6m/h4FYoqGbW/aKUSn+InI+Eg8GbmFuAdkRGeZEmHq\n"
	"kXwqZpuBNIbCXgdh2DESrxn43a5tCwCJZO7eo0IwQDAPBgNVHRMBAf8EBTADAQH/\n"
	"MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUftOkvwosUsJx/eoWIU9UmpgWXvQw\n"
	"CgYIKoZIzj0EAwIDSAAwRQIgQpGYGXl1CXKrz67EOgtWC76HWsACLLUaIVqLC0mC\n"
	"JBoCIQC1PhANuMI6LBBtlYtCiDkS4Ug6u5h5B+crEmiUsG14Yg==\n"
	"-----END CERTIFICATE-----\n";

static void
check_answer(const struct rev_answer *a)
{
	if (memchr(a->why, '\0', sizeof(a->why)) == NULL)
		abort();
	switch (a->status) {
	case REV_GOOD:
	case REV_REVOKED:
	case REV_UNKNOWN:
		if (a->this_update > NOW || a->next_update < NOW)
			abort();
		break;
	case REV_NO_ANSWER:
		if (a->why[0] == '\0')
			abort();
		break;
	default:
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rev_result rv;
	gnutls_datum_t d = { (unsigned char *)(uintptr_t)data, (unsigned)size };
	struct options o;
	struct chain c;
	struct path p;
	struct evaluation ev;
	struct report r;
	struct strbuf out;
	struct error e;
	struct rev_cert *rc = &rv.v[0];

	if (size > REVOCATION_CRL_MAX)
		return 0;
	if (chain_from_buffer(&c, chain_pem, sizeof(chain_pem) - 1, &e) < 0)
		abort();
	memset(&o, 0, sizeof(o));
	pinset_init(&o.pins);
	o.host = "fuzz.example";
	o.port = 443;
	o.verbose = 1;
	o.revocation = REVOCATION_ANY;
	o.revocation_unavailable = STATE_WARNING;
	if (path_build(&p, &c, NULL, &o, NOW, &e) < 0 || p.n != 2)
		abort();

	memset(&rv, 0, sizeof(rv));
	revocation_cert_init(rc, 0);
	rc->must_staple = revocation_must_staple(c.v[0].crt);
	snprintf(rc->url[REV_OCSP], sizeof(rc->url[REV_OCSP]), "http://ocsp.fuzz.example/");
	snprintf(rc->url[REV_CRL], sizeof(rc->url[REV_CRL]), "http://crl.fuzz.example/root.crl");
	revocation_judge_ocsp(&d, c.v[0].crt, c.v[1].crt, NOW, &rc->answer[REV_STAPLE]);
	check_answer(&rc->answer[REV_STAPLE]);
	revocation_judge_ocsp(&d, c.v[0].crt, c.v[1].crt, NOW, &rc->answer[REV_OCSP]);
	check_answer(&rc->answer[REV_OCSP]);
	revocation_judge_crl(&d, rc->url[REV_CRL], c.v[0].crt, c.v[1].crt, NOW, &rc->answer[REV_CRL]);
	check_answer(&rc->answer[REV_CRL]);
	revocation_verdict(rc, o.revocation_unavailable);
	rv.n = 1;
	rv.state = rc->state;

	evaluate(&o, &p, NULL, &rv, NOW, &ev);
	fuzz_report(&r, &o, &c, &p, &ev);
	r.revocation = &rv;
	strbuf_init(&out);
	report_render(&r, &out);
	fuzz_check_output(&out);
	strbuf_free(&out);
	path_free(&p);
	chain_free(&c);
	return 0;
}
