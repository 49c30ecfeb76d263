/*
 * Fuzz harness: --print-pins writes a pin file whose labels come from the
 * certificates; read back as --pin-file, it must pin exactly what it meant
 * to, the leaf's key and nothing else, whatever the subjects hold (a second
 * pin smuggled in through a label would pin a key the operator never saw).
 * The input is a --file: PEM or DER, any bytes.
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
	struct pinset back;
	struct error e;

	if (chain_from_buffer(&c, (const char *)data, size, &e) < 0) {
		chain_free(&c);
		return 0;
	}
	memset(&o, 0, sizeof(o));
	pinset_init(&o.pins);
	o.host = "fuzz.example";
	o.port = 443;
	o.print_pins = true;
	if (path_build(&p, &c, NULL, &o, 1800000000, &e) < 0) {
		chain_free(&c);
		return 0;
	}
	evaluate(&o, &p, NULL, NULL, 1800000000, &ev);
	fuzz_report(&r, &o, &c, &p, &ev);
	strbuf_init(&out);
	report_render(&r, &out);
	pinset_init(&back);
	if (out.failed || pins_parse_file_buf(&back, "printed", out.s, out.len, &e) != 1 ||
	    back.n != 1 || memcmp(back.v[0].digest, c.v[0].pin, PIN_LEN) != 0)
		abort();
	pinset_free(&back);
	strbuf_free(&out);
	path_free(&p);
	chain_free(&c);
	return 0;
}
