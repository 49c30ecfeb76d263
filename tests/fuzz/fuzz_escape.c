/*
 * Fuzz harness: output escaping. Invariant: no control byte, DEL or '|'
 * survives, the result fits the bound, and text that needs no escaping and
 * fits comes out unchanged.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf b;
	size_t max;
	bool plain = true;

	if (size < 1)
		return 0;
	max = 4 + data[0];
	strbuf_init(&b);
	report_escape(&b, (const char *)data + 1, size - 1, max);
	if (b.len > max)
		abort();
	for (size_t i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.s[i];
		if (c < 0x20 || c == 0x7f || c == '|')
			abort();
	}
	for (size_t i = 1; i < size; i++)
		if (data[i] < 0x20 || data[i] >= 0x7f || data[i] == '|' || data[i] == '\\')
			plain = false;
	if (plain && size - 1 <= max && (b.len != size - 1 ||
					    (b.len > 0 && memcmp(b.s, data + 1, b.len) != 0)))
		abort();
	strbuf_free(&b);
	return 0;
}
