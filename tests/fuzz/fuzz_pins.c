/*
 * Fuzz harness: pin strings, pin lists and pin files. Invariant: every pin
 * that was accepted formats as sha256/B64 and parses back to the same digest.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pins.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pinset set;
	struct error e;
	unsigned char d[PIN_LEN];
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	pinset_init(&set);
	(void)pins_parse_one((const char *)data, size, d, &e);
	(void)pins_parse_file_buf(&set, "fuzz", (const char *)data, size, &e);
	(void)pins_add_list(&set, text, &e);
	for (size_t i = 0; i < set.n; i++) {
		char formatted[PIN_TEXT_SIZE];

		pins_format(set.v[i].digest, formatted);
		if (pins_parse_one(formatted, strlen(formatted), d, &e) != 0 ||
		    memcmp(d, set.v[i].digest, PIN_LEN) != 0)
			abort();
	}
	pinset_free(&set);
	free(text);
	return 0;
}
