/*
 * cmd_fetch.h — the glue between the fetcher, the parser and the archive
 * that `fetch`, `backfill` and `add` share: one fetch of one feed turned
 * into archive writes (one transaction), and, for `add`, finding the
 * feed of a web page.
 *
 * A feed that fails is recorded (log, back-off) and reported with
 * warnmsg, not an error of the run: these return -1 only when the
 * archive itself failed.
 */
#ifndef WARTA_CMD_FETCH_H
#define WARTA_CMD_FETCH_H

#include <stdint.h>

#include "archive.h"
#include "fetch.h"

enum { FETCH_QUIET = 1, FETCH_VERBOSE = 2 };

struct fetch_tally {
	int feeds;          /* tried */
	int archived;       /* parsed and archived */
	int not_modified;   /* 304, or the same bytes as last time */
	int failed;
	int no_answer;      /* failed without reaching any server */
	long fresh, updated;
};

/* Fetch feed_id now (whatever its schedule), parse, archive, record. */
int fetch_feed_now(struct archive *a, int64_t feed_id, int flags,
                   struct fetch_tally *t);
/* The same with the answer already in hand (add's discovery fetched it);
 * res is consumed (cleared). */
int fetch_feed_with(struct archive *a, int64_t feed_id,
                    struct fetch_res *res, int64_t started, int flags,
                    struct fetch_tally *t);

/* For `add URL`: the URL to subscribe to. A feed (or an answer that is
 * not a page: an error, a file) is itself; an HTML page is searched for
 * its feed (discover.h), each address tried until one parses as a feed,
 * and the choice is printed on stdout. 0: *chosen (malloc'd) and *pre,
 * the answer for it to archive once subscribed (NULL: none; else
 * fetch_feed_with it, or clear and free it), *started its time.
 * -1: a page with no feed found (said on stderr). */
int fetch_find_feed(const char *url, int insecure, char **chosen,
                    struct fetch_res **pre, int64_t *started);

/* A FEED argument: a number, a URL, or the local file a feed was added
 * as (its file:// URL). As archive_feed_find: 1, 0 or -1. */
int feed_arg_find(struct archive *a, const char *arg, struct arc_feed *f);

#endif
