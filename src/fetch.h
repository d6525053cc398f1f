/*
 * fetch.h — transfers: many URLs at once over one libcurl multi handle.
 * Bytes and headers in, nothing else: the fetcher never parses a feed,
 * never touches the archive, and decides no schedule (schedule.h does).
 *
 * A fetcher runs at most `jobs` transfers at once. The caller starts one
 * whenever fetcher_busy() < fetcher_slots(), which is 2 x jobs: those
 * past `jobs` wait in the fetcher and begin the moment a transfer ends,
 * so that the servers are kept busy while the caller works (to be
 * polite, start one only when fetcher_host_busy() for its host is under
 * FETCH_PER_HOST). It waits with fetcher_next() for the next one to
 * finish. A thread of the
 * fetcher's own drives the transfers: they move on while the caller
 * works, and the sockets, libcurl and the bodies' copies and hashes
 * cost the caller nothing. Every function below is for the caller's one
 * thread, but fetcher_wakeup. The easy handles are
 * made once per slot and reused, so connections, DNS answers and TLS
 * sessions are reused too, and memory depends on `jobs`, never on how
 * many URLs pass through. HTTP/2 is used where the server offers it.
 *
 * Every request: If-None-Match / If-Modified-Since when validators are
 * given, Accept-Encoding for everything libcurl decodes, warta's
 * User-Agent, TLS verified unless insecure (CURL_CA_BUNDLE in the
 * environment names other trusted roots, as for the curl tool). Redirects
 * are followed here, not by libcurl, so that each hop is known: at most
 * FETCH_MAX_REDIRS, http and https only (a file:// URL is never a
 * target), a loop is stopped when a URL comes round again.
 *
 * Limits (fetch_limits): connect timeout, total timeout, a low-speed
 * cut-off, and a cap on the decoded body (a gzip bomb stops at the cap).
 * The body of a 2xx answer is kept: in memory up to FETCH_MEM_BODY, then
 * in an unlinked temporary file, so `jobs` big feeds cost disk, not RAM.
 * Bodies of other answers are counted and dropped.
 *
 * Results. A finished transfer is a struct fetch_res owned by its slot
 * until fetcher_done(); fetch_one() hands its result over to the caller,
 * who clears it with fetch_res_clear(). res->fail is FETCH_OK when an
 * answer came (any HTTP status: the caller judges it), else why not, with
 * res->error in words ("TLS certificate has expired", "connection reset",
 * "timed out after 300 s"); fetch_no_answer() tells a failure where no
 * server was reached at all.
 */
#ifndef WARTA_FETCH_H
#define WARTA_FETCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

#define FETCH_MAX_BODY ((size_t)32 << 20)
#define FETCH_MEM_BODY ((size_t)1 << 20)
#define FETCH_MAX_REDIRS 5
#define FETCH_PER_HOST 2
#define FETCH_JOBS 8

struct fetch_limits {
	long connect_s;       /* no connection after this: give up (30) */
	long total_s;         /* the whole transfer, redirects included (300) */
	long slow_bytes;      /* slower than this many bytes a second … (100) */
	long slow_s;          /* … for this long: cut off (30) */
	size_t max_body;      /* decoded bytes kept at most (32 MiB) */
};

/* The defaults above, then WARTA_FETCH_LIMITS from the environment if
 * set: "connect=S,total=S,slow=S,slow-bytes=N,body=SIZE" (any subset;
 * SIZE takes K/M/G), for tests and for very slow links. */
void fetch_limits_default(struct fetch_limits *l);

struct fetch_req {
	const char *url;
	const char *etag, *last_modified;   /* validators to send, or NULL */
	int insecure;                       /* do not verify TLS */
	void *user;                         /* handed back in the result */
};

enum fetch_fail {
	FETCH_OK = 0,
	FETCH_E_RESOLVE,      /* host name not found */
	FETCH_E_CONNECT,      /* no connection: refused, unreachable, timed out */
	FETCH_E_TLS,          /* certificate or handshake */
	FETCH_E_TIMEOUT,      /* total timeout */
	FETCH_E_SLOW,         /* the low-speed cut-off */
	FETCH_E_RESET,        /* connection reset */
	FETCH_E_CUT,          /* the body stopped short of its length */
	FETCH_E_TOO_BIG,      /* the decoded body passed max_body */
	FETCH_E_REDIRECT,     /* too many, a loop, or to another scheme */
	FETCH_E_OTHER,
};

struct fetch_hop {
	int status;           /* 301, 302, 303, 307, 308 */
	char *to;             /* absolute URL it sent us to */
};

struct fetch_res {
	void *user;
	char *url;            /* as requested */
	char *effective_url;  /* the one that answered (after redirects) */
	long status;          /* last HTTP status; 0: none, or file:// */
	struct fetch_hop hops[FETCH_MAX_REDIRS];
	int nhops;
	/* response headers of the last answer, trimmed, NULL when absent */
	char *etag, *last_modified, *content_type, *cache_control,
	     *retry_after;
	int64_t bytes;        /* decoded body bytes received (kept or not) */
	int kept;             /* the body is kept (a 2xx answer) */
	unsigned char sha256[32];   /* of the kept body */
	int64_t started;      /* when it was sent (now_utc), after any wait
	                         for its turn: set for every result */
	int64_t duration_ms;  /* from then to its end, redirects included */
	enum fetch_fail fail;
	char *error;          /* words, when fail != FETCH_OK */
	/* the kept body: all in mem, or (when it grew past FETCH_MEM_BODY)
	 * all in spill */
	struct buf mem;
	FILE *spill;
};

/* Once per process before any transfer (idempotent). 0 or -1. */
int fetch_init(void);
void fetch_cleanup(void);

struct fetcher;
/* jobs: transfers at once (>= 1); l: NULL for fetch_limits_default. */
struct fetcher *fetcher_new(int jobs, const struct fetch_limits *l);
void fetcher_free(struct fetcher *f);

/* Transfers started and not yet done (fetcher_done, fetcher_take). */
int fetcher_busy(const struct fetcher *f);
/* How many may be started and not done at once: 2 x jobs. */
int fetcher_slots(const struct fetcher *f);
/* Transfers started for host (fetch_host_key) and not done: running
 * or waiting their turn. */
int fetcher_host_busy(const struct fetcher *f, uint64_t host);
/* Start a transfer (now, or when one of the `jobs` ends); the caller
 * keeps fetcher_busy() < fetcher_slots() (a start beyond that is
 * refused with -1). Strings are copied. 0 or -1. */
int fetcher_start(struct fetcher *f, const struct fetch_req *req);
/* Wait up to timeout_ms (-1: as long as it takes) for a transfer to
 * finish; NULL when none did in that time, none is in flight, or
 * fetcher_wakeup was called. */
struct fetch_res *fetcher_next(struct fetcher *f, int timeout_ms);
/* From any thread: the fetcher_next() waiting now, or else the next
 * one, returns NULL at once (cmd_fetch's parse thread has a feed
 * ready). */
void fetcher_wakeup(struct fetcher *f);
/* Done with a result: its slot takes the next transfer. */
void fetcher_done(struct fetcher *f, struct fetch_res *r);
/* The same, keeping the result: it moves into *out (the caller clears
 * it with fetch_res_clear), and the slot is free at once, so the next
 * transfer can start while the caller works on this one. */
void fetcher_take(struct fetcher *f, struct fetch_res *r,
                  struct fetch_res *out);
/* Body bytes received so far by every transfer (for a progress bar). */
int64_t fetcher_bytes(const struct fetcher *f);

/* One transfer, start to end, into *out (the caller clears it).
 * 0 when an answer came (out->fail == FETCH_OK), -1 when not. */
int fetch_one(const struct fetch_limits *l, const struct fetch_req *req,
              struct fetch_res *out);
void fetch_res_clear(struct fetch_res *r);

/* The kept body, chunk by chunk; cb returns nonzero to stop (then that
 * value is returned). 0 at the end, -1 when the spill file cannot be
 * read back. */
int fetch_body_each(struct fetch_res *r,
                    int (*cb)(void *ctx, const char *p, size_t n),
                    void *ctx);
/* The kept body as a stream to read from the start (fclose it), or NULL
 * with errno. */
FILE *fetch_body_open(struct fetch_res *r);

/* `warta parse URL`: fetch url once (no validators) and open its body
 * for reading (fclose it before clearing res). NULL when there is no 2xx
 * answer, said as "warta: URL: why". res gets the answer (its
 * effective_url and content_type are what a parser wants); clear it. */
FILE *fetch_open_url(const char *url, struct fetch_res *res);

/* 1 for a failure where no server answered at all (name not found, no
 * connection): what "the network is down" looks like. */
int fetch_no_answer(const struct fetch_res *r);

/* A hash of the URL's host and port, lower case, for per-host limits
 * (0 for a URL without a host, such as file://). */
uint64_t fetch_host_key(const char *url);

/* 1 when s starts with a URL scheme ("http://", "file://", …). */
int fetch_is_url(const char *s);
/* An existing local file as an absolute file:// URL (malloc'd); NULL with
 * errno set when it cannot be found. */
char *fetch_local_url(const char *path);

/* For tests: the words for a libcurl result (rc a CURLcode), as the
 * fetcher says them; os_errno and verify (CURLINFO_OS_ERRNO,
 * CURLINFO_SSL_VERIFYRESULT) and detail (the error buffer) may be 0/NULL. */
char *fetch_curl_words(int rc, long os_errno, long verify,
                       const char *detail, const struct fetch_limits *l,
                       enum fetch_fail *kind);

#endif
