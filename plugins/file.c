/*
 * check_tls_pin - local files.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

/*
 * O_NONBLOCK makes open() return at once on a FIFO with no writer; the
 * S_ISREG test then refuses it, and anything else that could block a read.
 */
static int
open_regular(const char *path, const char *what, struct error *e)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return error_set(e, STATE_UNKNOWN, "cannot open %s %s: %s", what, path,
				 strerror(errno));
	if (fstat(fd, &st) < 0) {
		error_set(e, STATE_UNKNOWN, "cannot read %s %s: %s", what, path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		error_set(e, STATE_UNKNOWN, "cannot read %s %s: %s", what, path,
			  S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file");
		close(fd);
		return -1;
	}
	return fd;
}

int
file_check(const char *path, const char *what, struct error *e)
{
	int fd = open_regular(path, what, e);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int
file_read(const char *path, const char *what, size_t max, char **data, size_t *len,
	  struct error *e)
{
	char *buf = NULL;
	size_t n = 0;
	int fd = open_regular(path, what, e);

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	buf = malloc(max + 1);
	if (!buf) {
		close(fd);
		return error_set(e, STATE_UNKNOWN, "out of memory");
	}
	/* One byte past the cap is read, so that a larger file is noticed, not cut. */
	while (n <= max) {
		ssize_t r = read(fd, buf + n, max + 1 - n);

		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0) {
			error_set(e, STATE_UNKNOWN, "cannot read %s %s: %s", what, path,
				  strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		error_set(e, STATE_UNKNOWN, "%s %s is larger than %zu KiB", what, path, max / 1024);
		goto fail;
	}
	close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
fail:
	free(buf);
	close(fd);
	return -1;
}
