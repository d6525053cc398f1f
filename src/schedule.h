/*
 * schedule.h — when a feed is fetched next, and what its state becomes:
 * the fetcher's decisions, as pure functions of the feed's stored state
 * and what one fetch ended with. No I/O, no allocation: strings in the
 * result point into the inputs.
 *
 * Due. A feed that worked is due again after its own interval: the
 * longest of its <ttl> / sy:updatePeriod+sy:updateFrequency (the parser's
 * feed->ttl, stored by the archive) and the answer's Cache-Control
 * max-age, clamped to [SCHED_MIN, SCHED_MAX]; SCHED_DEFAULT (an hour)
 * when neither says anything.
 *
 * Back-off. A feed that fails is due again after SCHED_MIN (15 minutes)
 * doubling with each failure in a row, capped at SCHED_MAX (a day); it is
 * never given up on. 429 and 503 wait at least what Retry-After says
 * (seconds or an HTTP date; at most a day). 410 marks the feed gone:
 * it is not due until a forced fetch brings it back.
 *
 * Moves. A permanent redirect (301/308, the leading run of them in the
 * chain) that ends in a feed, to the same target on SCHED_MOVED_AFTER
 * fetches in a row, changes the stored URL; anything else in between (a
 * temporary redirect, no redirect, a failure, another target) starts the
 * count again. 302/307 never move a feed.
 */
#ifndef WARTA_SCHEDULE_H
#define WARTA_SCHEDULE_H

#include <stdint.h>

#include "fetch.h"

#define SCHED_MIN 900
#define SCHED_MAX 86400
#define SCHED_DEFAULT 3600
#define SCHED_MOVED_AFTER 3

/* The interval of a feed that worked. ttl 0: not given; max_age < 0:
 * not given. */
int64_t sched_interval(int64_t ttl, int64_t max_age);
/* The wait after the n-th failure in a row (n >= 1). */
int64_t sched_backoff(int n);

/* Cache-Control's max-age in seconds: 1 and *secs, or 0 when absent. */
int sched_max_age(const char *cache_control, int64_t *secs);
/* Retry-After (delta-seconds or HTTP-date, RFC 9110 10.2.3) as seconds
 * from now (>= 0): 1 and *secs, or 0 when it cannot be read. */
int sched_retry_after(const char *value, int64_t now, int64_t *secs);
/* Where the leading run of permanent redirects (301, 308) led, or NULL
 * when the first hop was not one (or there was none). */
const char *sched_moved_to(const struct fetch_hop *hops, int nhops);

enum sched_result {
	SCHED_FEED,       /* a feed came: parsed, 304, or the same bytes */
	SCHED_FAILED,     /* no answer, an HTTP error, not a feed */
	SCHED_GONE,       /* 410 */
	SCHED_THROTTLED,  /* 429, 503 */
};

struct sched_feed {       /* what the archive holds before this fetch */
	int64_t ttl;          /* 0: none */
	int failures;
	int gone;
	const char *redirect_to;
	int redirect_seen;
};

struct sched_in {
	int64_t now;
	enum sched_result result;
	int64_t ttl;          /* the feed's own, from this parse; 0: none */
	int64_t max_age;      /* -1: none */
	int64_t retry_after;  /* -1: none */
	const char *moved_to; /* sched_moved_to() of this fetch */
};

struct sched_out {
	int64_t next_due;
	int failures;
	int gone;
	const char *redirect_to;  /* pending move, or NULL */
	int redirect_seen;
	const char *new_url;      /* adopt now, or NULL */
};

void sched_decide(const struct sched_feed *f, const struct sched_in *in,
                  struct sched_out *out);

#endif
