/*
 * check_tls_pin - reading the local files the user names (pin files,
 * certificate files, CA files): regular files only, never blocking on a FIFO
 * or a device, and never more than a stated size.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#ifndef CHECK_TLS_PIN_FILE_H
#define CHECK_TLS_PIN_FILE_H

#include <stddef.h>

#include "state.h"

/*
 * Reads the whole of path into a new buffer (*data, NUL-terminated for
 * convenience, freed by the caller) of *len bytes. what names the file in
 * messages ("pin file"). Fails (UNKNOWN) for what cannot be opened, is not
 * a regular file, or is larger than max bytes.
 */
int file_read(const char *path, const char *what, size_t max, char **data, size_t *len,
	      struct error *e);

/* Whether path can be opened for reading and is a regular file (UNKNOWN if not). */
int file_check(const char *path, const char *what, struct error *e);

#endif
