/*
 * check_tls_pin - HTTP(S) fetches.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "fetch.h"

#define REDIRECTS_MAX 3L

int
fetch_global_init(struct error *e)
{
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

	if (rc != CURLE_OK)
		return error_set(e, STATE_UNKNOWN, "cannot set up libcurl: %s",
				 curl_easy_strerror(rc));
	return 0;
}

void
fetch_global_cleanup(void)
{
	curl_global_cleanup();
}

/* The reply's body, up to max bytes; over marks one that did not fit. */
struct sink {
	unsigned char *data;
	size_t len, cap, max;
	bool over, nomem;
};

static size_t
on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;

	if (n > s->max - s->len) {
		s->over = true;
		return 0;	/* anything but n makes libcurl stop */
	}
	if (s->len + n > s->cap) {
		size_t cap = s->cap ? s->cap : 16384;
		unsigned char *p;

		while (cap < s->len + n)
			cap *= 2;
		if (cap > s->max)
			cap = s->max;
		p = realloc(s->data, cap);
		if (!p) {
			s->nomem = true;
			return 0;
		}
		s->data = p;
		s->cap = cap;
	}
	memcpy(s->data + s->len, ptr, n);
	s->len += n;
	return n;
}

/* Why a transfer that libcurl ended with rc gave nothing, into e. */
static int
failed(CURLcode rc, const struct sink *s, const struct fetch_request *rq, int ms,
       const char *detail, struct error *e)
{
	if (s->over || rc == CURLE_FILESIZE_EXCEEDED)
		return error_set(e, STATE_UNKNOWN, "the reply is larger than %zu KiB", rq->max / 1024);
	if (s->nomem || rc == CURLE_OUT_OF_MEMORY)
		return error_set(e, STATE_UNKNOWN, "out of memory");
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return error_set(e, STATE_UNKNOWN, "no reply within %.1fs", ms / 1000.0);
	case CURLE_UNSUPPORTED_PROTOCOL:
		return error_set(e, STATE_UNKNOWN, "a URL or redirect of a scheme other than "
				 "http and https");
	case CURLE_COULDNT_CONNECT:
		return error_set(e, STATE_UNKNOWN, "cannot connect to the server");
	case CURLE_COULDNT_RESOLVE_HOST:
		return error_set(e, STATE_UNKNOWN, "cannot resolve the server's name");
	case CURLE_TOO_MANY_REDIRECTS:
		return error_set(e, STATE_UNKNOWN, "more than %ld redirects", REDIRECTS_MAX);
	default:
		return error_set(e, STATE_UNKNOWN, "%s", detail[0] ? detail : curl_easy_strerror(rc));
	}
}

int
fetch_run(const struct fetch_request *rq, const struct deadline *d, unsigned char **data,
	  size_t *len, struct error *e)
{
	struct sink s = { .max = rq->max };
	struct curl_slist *headers = NULL;
	char detail[CURL_ERROR_SIZE] = "";
	char ctype[128];
	long code = 0;
	int ms = deadline_ms_left(d), rc = -1;
	CURLcode cc;
	CURL *h;

	*data = NULL;
	*len = 0;
	if (ms == 0)
		return error_set(e, STATE_UNKNOWN, "no time left (-t %gs)", d->seconds);
	h = curl_easy_init();
	if (!h)
		return error_set(e, STATE_UNKNOWN, "cannot set up libcurl");
	/*
	 * NOSIGNAL: several threads fetch at once, and a signal-based resolver
	 * timeout is not for them. No Accept-Encoding: what arrives is what is
	 * counted against max.
	 */
	cc = curl_easy_setopt(h, CURLOPT_URL, rq->url);
	if (cc == CURLE_OK)
		cc = curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	if (cc == CURLE_OK)
		cc = curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	if (cc == CURLE_OK)
		cc = curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	if (cc == CURLE_OK)
		cc = curl_easy_setopt(h, CURLOPT_MAXREDIRS, REDIRECTS_MAX);
	if (cc == CURLE_OK)
		cc = curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	if (cc == CURLE_OK)
		cc = curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)ms);
	if (cc == CURLE_OK)
		cc = curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)rq->max);
	if (cc == CURLE_OK)
		cc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	if (cc == CURLE_OK)
		cc = curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	if (cc == CURLE_OK)
		cc = curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
	if (cc == CURLE_OK)
		cc = curl_easy_setopt(h, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	if (cc == CURLE_OK && rq->body) {
		snprintf(ctype, sizeof(ctype), "Content-Type: %s", rq->content_type);
		headers = curl_slist_append(NULL, ctype);
		cc = headers ? curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers) : CURLE_OUT_OF_MEMORY;
		if (cc == CURLE_OK)
			cc = curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
		if (cc == CURLE_OK)
			cc = curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body);
	}
	if (cc != CURLE_OK) {
		error_set(e, STATE_UNKNOWN, "cannot set up the request: %s", curl_easy_strerror(cc));
		goto out;
	}
	cc = curl_easy_perform(h);
	if (cc != CURLE_OK) {
		failed(cc, &s, rq, ms, detail, e);
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (code != 200) {
		error_set(e, STATE_UNKNOWN, "HTTP %ld", code);
		goto out;
	}
	*data = s.data;
	*len = s.len;
	s.data = NULL;
	rc = 0;
out:
	free(s.data);
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	return rc;
}
