/*
 * Fuzz harness: the certificate inspection behind --file (PEM or DER, any
 * bytes) and the output made from it. Invariants: the first line has exactly
 * one '|'; no line holds a control byte or DEL.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "evaluate.h"
#include "path.h"
#include "fuzz_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct options o;
	struct chain c;
	struct path p;
	struct evaluation ev;
	struct report r;
	struct strbuf out;
	struct error e;

	if (chain_from_buffer(&c, (const char *)data, size, &e) < 0) {
		chain_free(&c);
		return 0;
	}
	memset(&o, 0, sizeof(o));
	pinset_init(&o.pins);
	o.host = "fuzz.example";
	o.port = 443;
	o.check_chain = true;
	o.max_validity = true;
	o.verbose = 2;
	if (path_build(&p, &c, NULL, &o, 1800000000, &e) < 0) {
		chain_free(&c);
		return 0;
	}
	evaluate(&o, &p, NULL, NULL, 1800000000, &ev);
	fuzz_report(&r, &o, &c, &p, &ev);
	strbuf_init(&out);
	report_render(&r, &out);
	fuzz_check_output(&out);
	strbuf_free(&out);
	path_free(&p);
	chain_free(&c);
	return 0;
}
