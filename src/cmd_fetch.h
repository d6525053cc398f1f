/*
 * cmd_fetch.h — fetch, parse and archive one feed now: the glue `fetch`
 * runs for each due feed and `add` runs for a new one. A feed that fails
 * is recorded (log, back-off) and reported, not an error of the run: the
 * return is -1 only when the archive itself failed.
 */
#ifndef WARTA_CMD_FETCH_H
#define WARTA_CMD_FETCH_H

#include <stdint.h>

#include "archive.h"

enum { FETCH_QUIET = 1, FETCH_VERBOSE = 2 };

struct fetch_tally {
	int feeds;          /* tried */
	int archived;       /* parsed and archived */
	int not_modified;   /* 304, or the same bytes as last time */
	int failed;
	int no_answer;      /* failed without any response */
	long fresh, updated;
};

int fetch_feed_now(struct archive *a, int64_t feed_id, int flags,
                   struct fetch_tally *t);

#endif
