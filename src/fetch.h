/*
 * fetch.h — one URL's bytes, one at a time, over libcurl's easy
 * interface: http(s):// and file:// (a plain local path is turned into a
 * file:// URL by fetch_local_url). The simplest real transport; the
 * concurrent fetcher replaces the inside and keeps this shape:
 * URL and validators in, status, headers and body out.
 *
 * fetch_url sends If-None-Match / If-Modified-Since when validators are
 * given (HTTP only), follows at most 5 redirects (never to anything but
 * http and https), verifies TLS unless insecure, asks for every encoding
 * libcurl can decode, sends warta's User-Agent, and stops at the
 * connect/total timeouts, a low-speed cut-off and max_body decoded bytes.
 * It returns 0 when there is an answer (any HTTP status: the caller
 * judges it) and -1 when there is none; res->error then says why in
 * words ("TLS certificate problem: …", "body larger than 32 MiB").
 * res owns everything in it; clear it with fetch_res_clear.
 */
#ifndef WARTA_FETCH_H
#define WARTA_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define FETCH_MAX_BODY ((size_t)32 << 20)

struct fetch_req {
	const char *url;
	const char *etag, *last_modified;   /* validators to send, or NULL */
	int insecure;                       /* do not verify TLS */
	size_t max_body;                    /* 0: FETCH_MAX_BODY */
};

struct fetch_res {
	long status;          /* HTTP status; 0 for file:// */
	char *etag;           /* response validators, NULL when absent */
	char *last_modified;
	char *content_type;
	char *effective_url;  /* after redirects */
	long retry_after;     /* seconds (both header forms), 0: none */
	struct buf body;
	int64_t duration_ms;
	char *error;          /* set when fetch_url returned -1 */
};

/* Once per process, before any fetch. 0 or -1. */
int fetch_init(void);
void fetch_cleanup(void);

int fetch_url(const struct fetch_req *req, struct fetch_res *res);
void fetch_res_clear(struct fetch_res *res);

/* 1 when s starts with a URL scheme ("http://", "file://", …). */
int fetch_is_url(const char *s);
/* An existing local file as an absolute file:// URL (malloc'd); NULL with
 * errno set when it cannot be found. */
char *fetch_local_url(const char *path);

#endif
