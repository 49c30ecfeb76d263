/*
 * check_tls_pin - HTTP(S) fetches.
 * Copyright (C) 2026 the check_tls_pin authors. GPL-3.0-or-later.
 */
#include <config.h>

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "fetch.h"

#define REDIRECTS_MAX 3L

/* The calls of libcurl used here, from the library loaded by fetch_global_init. */
static struct {
	bool loaded;
	curl_version_info_data *(*version_info)(CURLversion);
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} curl;

/* The function name of lib into *fn (a function pointer, copied as ISO C allows). */
static bool
bind_call(void *lib, const char *name, void *fn, size_t size)
{
	void *p = dlsym(lib, name);

	if (!p || size != sizeof(p))
		return false;
	memcpy(fn, &p, size);
	return true;
}

#define BIND(lib, field, name) bind_call(lib, name, &curl.field, sizeof(curl.field))

int
fetch_global_init(struct error *e)
{
	const curl_version_info_data *v;
	void *lib = dlopen(CURL_LIBRARY, RTLD_NOW | RTLD_LOCAL);
	CURLcode rc;

	if (!lib)
		return error_set(e, STATE_UNKNOWN, "cannot load libcurl: %s", dlerror());
	if (!BIND(lib, version_info, "curl_version_info") ||
	    !BIND(lib, global_init, "curl_global_init") ||
	    !BIND(lib, global_cleanup, "curl_global_cleanup") ||
	    !BIND(lib, easy_init, "curl_easy_init") ||
	    !BIND(lib, easy_setopt, "curl_easy_setopt") ||
	    !BIND(lib, easy_perform, "curl_easy_perform") ||
	    !BIND(lib, easy_getinfo, "curl_easy_getinfo") ||
	    !BIND(lib, easy_cleanup, "curl_easy_cleanup") ||
	    !BIND(lib, easy_strerror, "curl_easy_strerror") ||
	    !BIND(lib, slist_append, "curl_slist_append") ||
	    !BIND(lib, slist_free_all, "curl_slist_free_all"))
		return error_set(e, STATE_UNKNOWN, "%s lacks a call of libcurl", CURL_LIBRARY);
	/* What configure checked, checked again of what is installed now. */
	v = curl.version_info(CURLVERSION_NOW);
	if (!v || v->version_num < 0x075700 || !v->ssl_version ||
	    strncmp(v->ssl_version, "GnuTLS", 6) != 0)
		return error_set(e, STATE_UNKNOWN, "%s is not libcurl 7.87 or later on GnuTLS",
				 CURL_LIBRARY);
	rc = curl.global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK)
		return error_set(e, STATE_UNKNOWN, "cannot set up libcurl: %s",
				 curl.easy_strerror(rc));
	curl.loaded = true;
	return 0;
}

/* The library stays loaded: its own exit handlers may still run. */
void
fetch_global_cleanup(void)
{
	if (curl.loaded)
		curl.global_cleanup();
	curl.loaded = false;
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
		return error_set(e, STATE_UNKNOWN, "%s", detail[0] ? detail : curl.easy_strerror(rc));
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
	if (!curl.loaded)
		return error_set(e, STATE_UNKNOWN, "libcurl is not loaded");
	if (ms == 0)
		return error_set(e, STATE_UNKNOWN, "no time left (-t %gs)", d->seconds);
	h = curl.easy_init();
	if (!h)
		return error_set(e, STATE_UNKNOWN, "cannot set up libcurl");
	/*
	 * NOSIGNAL: several threads fetch at once, and a signal-based resolver
	 * timeout is not for them. No Accept-Encoding: what arrives is what is
	 * counted against max.
	 */
	cc = curl.easy_setopt(h, CURLOPT_URL, rq->url);
	if (cc == CURLE_OK)
		cc = curl.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	if (cc == CURLE_OK)
		cc = curl.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	if (cc == CURLE_OK)
		cc = curl.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	if (cc == CURLE_OK)
		cc = curl.easy_setopt(h, CURLOPT_MAXREDIRS, REDIRECTS_MAX);
	if (cc == CURLE_OK)
		cc = curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	/* Not waiting for a name lookup that outlasts the deadline (a stalled resolver). */
	if (cc == CURLE_OK)
		cc = curl.easy_setopt(h, CURLOPT_QUICK_EXIT, 1L);
	if (cc == CURLE_OK)
		cc = curl.easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)ms);
	if (cc == CURLE_OK)
		cc = curl.easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)rq->max);
	if (cc == CURLE_OK)
		cc = curl.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	if (cc == CURLE_OK)
		cc = curl.easy_setopt(h, CURLOPT_WRITEDATA, &s);
	if (cc == CURLE_OK)
		cc = curl.easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
	if (cc == CURLE_OK)
		cc = curl.easy_setopt(h, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	if (cc == CURLE_OK && rq->body) {
		snprintf(ctype, sizeof(ctype), "Content-Type: %s", rq->content_type);
		headers = curl.slist_append(NULL, ctype);
		cc = headers ? curl.easy_setopt(h, CURLOPT_HTTPHEADER, headers) : CURLE_OUT_OF_MEMORY;
		if (cc == CURLE_OK)
			cc = curl.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
		if (cc == CURLE_OK)
			cc = curl.easy_setopt(h, CURLOPT_POSTFIELDS, rq->body);
	}
	if (cc != CURLE_OK) {
		error_set(e, STATE_UNKNOWN, "cannot set up the request: %s", curl.easy_strerror(cc));
		goto out;
	}
	cc = curl.easy_perform(h);
	if (cc != CURLE_OK) {
		failed(cc, &s, rq, ms, detail, e);
		goto out;
	}
	curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
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
	curl.slist_free_all(headers);
	curl.easy_cleanup(h);
	return rc;
}
