/*
 * Fuzz harness: TLSA RDATA as the resolver hands it over (any bytes), the
 * verdict of the RRset on a fixed chain (a CA and a leaf it signed, made
 * once), and the output made from it with -v. The input: one byte of
 * flags, then records, each a length byte and that many bytes of RDATA.
 * Flags: 1 SMTP, 2 insecure answer, 4 --require-backup-pin, 8 verified,
 * 16 trusted, 32 "real data": a record's fourth byte picks a certificate of
 * the chain and its data becomes that certificate's bytes or digest, so
 * that matches, DANE-TA verification included, are reached.
 * Invariants: the output's invariants of fuzz_cert; a record accepted is
 * usable and its data matches a certificate of the path; OK never without
 * an accepted record.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "cert.h"
#include "dane.h"
#include "evaluate.h"
#include "path.h"
#include "fuzz_report.h"
#include "tlsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1800000000

static struct chain chain;
static struct path path;
static struct options opt;

static gnutls_x509_crt_t
make_crt(const char *dn, gnutls_x509_privkey_t key, gnutls_x509_crt_t signer,
	 gnutls_x509_privkey_t signer_key, bool ca, gnutls_datum_t *der)
{
	gnutls_x509_crt_t crt;
	unsigned char serial = ca ? 1 : 2;

	if (gnutls_x509_crt_init(&crt) < 0 || gnutls_x509_crt_set_version(crt, 3) < 0 ||
	    gnutls_x509_crt_set_serial(crt, &serial, 1) < 0 ||
	    gnutls_x509_crt_set_dn(crt, dn, NULL) < 0 || gnutls_x509_crt_set_key(crt, key) < 0 ||
	    gnutls_x509_crt_set_activation_time(crt, NOW - 86400) < 0 ||
	    gnutls_x509_crt_set_expiration_time(crt, NOW + 86400 * 90) < 0 ||
	    gnutls_x509_crt_set_basic_constraints(crt, ca, -1) < 0 ||
	    (!ca && gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, "fuzz.example",
							  12, GNUTLS_FSAN_SET) < 0) ||
	    gnutls_x509_crt_sign2(crt, signer ? signer : crt, signer ? signer_key : key,
				  GNUTLS_DIG_SHA256, 0) < 0 ||
	    gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, der) < 0)
		abort();
	return crt;
}

/* The chain and its path, made on the first input. */
static void
setup(void)
{
	gnutls_x509_privkey_t ca_key, leaf_key;
	gnutls_x509_crt_t ca, leaf;
	gnutls_datum_t der[2];
	struct error e;
	unsigned bits = GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1);

	if (gnutls_x509_privkey_init(&ca_key) < 0 || gnutls_x509_privkey_init(&leaf_key) < 0 ||
	    gnutls_x509_privkey_generate(ca_key, GNUTLS_PK_ECDSA, bits, 0) < 0 ||
	    gnutls_x509_privkey_generate(leaf_key, GNUTLS_PK_ECDSA, bits, 0) < 0)
		abort();
	ca = make_crt("CN=Fuzz CA", ca_key, NULL, NULL, true, &der[1]);
	leaf = make_crt("CN=fuzz.example", leaf_key, ca, ca_key, false, &der[0]);
	memset(&opt, 0, sizeof(opt));
	pinset_init(&opt.pins);
	opt.host = "fuzz.example";
	opt.name = (char *)(uintptr_t)"fuzz.example";
	opt.port = 443;
	opt.dane = true;
	opt.verbose = 1;
	if (chain_from_der(&chain, der, 2, &e) < 0 || path_build(&path, &chain, NULL, &opt, NOW, &e) < 0)
		abort();
	gnutls_x509_crt_deinit(ca);
	gnutls_x509_crt_deinit(leaf);
	gnutls_free(der[0].data);
	gnutls_free(der[1].data);
	gnutls_x509_privkey_deinit(ca_key);
	gnutls_x509_privkey_deinit(leaf_key);
}

/* rd (len bytes, at least 4) with its data replaced by that of a certificate of the path. */
static size_t
real_data(const unsigned char *rd, size_t len, unsigned char *out, size_t size)
{
	const struct cert *ct = path.v[rd[3] % path.n];
	const unsigned char *p = rd[1] == 0 ? ct->der : ct->der + ct->spki_off;
	size_t plen = rd[1] == 0 ? ct->der_len : ct->spki_len, n;

	memcpy(out, rd, 3);
	if (rd[2] == 2 && gnutls_hash_fast(GNUTLS_DIG_SHA512, p, plen, out + 3) == 0)
		n = 64;
	else if (rd[2] != 0 && gnutls_hash_fast(GNUTLS_DIG_SHA256, p, plen, out + 3) == 0)
		n = 32;
	else if (plen + 3 <= size)
		memcpy(out + 3, p, (n = plen));
	else
		n = 0;
	/* A fifth byte cuts the data short, to reach the wrong lengths. */
	if (len > 4 && n >= 2)
		n -= rd[4] % 3;
	return 3 + n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	static struct dane_answer answer;
	static unsigned char rd[8192];
	struct trust_result trust;
	struct evaluation ev;
	struct report r;
	struct strbuf out;
	struct error e;
	unsigned flags;
	size_t at = 1;

	if (!ready) {
		setup();
		ready = true;
	}
	if (size == 0)
		return 0;
	flags = data[0];
	memset(&answer, 0, sizeof(answer));
	tlsa_set_init(&answer.records);
	snprintf(answer.owner, sizeof(answer.owner), "_443._tcp.fuzz.example.");
	answer.status = flags & 2 ? DANE_INSECURE : DANE_SECURE;
	while (at < size) {
		size_t len = data[at++];
		size_t n = len <= size - at ? len : size - at;
		const unsigned char *p = data + at;

		at += n;
		if (flags & 32 && n >= 4) {
			n = real_data(p, n, rd, sizeof(rd));
			p = rd;
		}
		if (tlsa_set_add(&answer.records, p, n, &e) < 0)
			break;
	}
	opt.starttls = flags & 1 ? STARTTLS_SMTP : STARTTLS_NONE;
	opt.require_backup = flags & 4;
	memset(&trust, 0, sizeof(trust));
	trust.trusted = flags & 16;
	evaluate(&opt, &path, flags & 8 ? &trust : NULL, NULL, NOW, &ev);
	evaluate_dane(&opt, &path, &answer, flags & 8 ? &trust : NULL, &ev);

	if (ev.dane.satisfied_by >= 0) {
		const struct tlsa *t = &answer.records.v[ev.dane.satisfied_by];
		const struct tlsa_outcome *o = &ev.dane.r[ev.dane.satisfied_by];

		if (o->usability != TLSA_USABLE || o->depth < 0 || (size_t)o->depth >= path.n ||
		    !tlsa_matches(t, path.v[o->depth]))
			abort();
	} else if (answer.status == DANE_SECURE && ev.dane_state != STATE_CRITICAL) {
		abort();
	}

	fuzz_report(&r, &opt, &chain, &path, &ev);
	r.dane = &answer;
	strbuf_init(&out);
	report_render(&r, &out);
	fuzz_check_output(&out);
	strbuf_free(&out);
	tlsa_set_free(&answer.records);
	return 0;
}
