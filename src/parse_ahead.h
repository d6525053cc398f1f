/*
 * parse_ahead.h — fetched bodies parsed on a thread of their own, ahead
 * of the writer.
 *
 * A cold fetch is CPU-bound on one thread: parsing a body and preparing
 * its entries (plain text, keys, the search index's tokens:
 * archive_entry_prepare) is a third of that work and needs no
 * database. The writer's thread (cmd_fetch) hands
 * a finished transfer over; the parse thread parses it, prepares every
 * entry, marks the job done and calls wake (from the parse thread: it
 * must be safe there, as fetcher_wakeup is). The writer takes the jobs
 * back, oldest first, and archives them while the next one is parsed.
 *
 * Bounded: at most AHEAD_JOBS jobs at once, parsed ahead while the
 * parsed ones' bodies total under AHEAD_PARSED_BYTES (one may pass it),
 * bodies in memory only (under FETCH_MEM_BODY) and AHEAD_BYTES of them
 * in all, so what is held does not grow with the feed count. When it is
 * full, the writer takes a parsed job back before the next transfer;
 * when only a body does not fit (kept in a file, or too big for what is
 * left), the writer parses that one inline as before. Transfers end in
 * bursts (a run's first answers come together): the queue holds as many
 * as run at once. A job
 * gives what parsing inline gives: parser_finish's result and reason,
 * the whole feed, and the entries in document order (the callback of
 * parse.h is never called for a document that is not a feed).
 *
 * Every function here is for the writer's thread alone.
 */
#ifndef WARTA_PARSE_AHEAD_H
#define WARTA_PARSE_AHEAD_H

#include <stddef.h>

#include "archive.h"
#include "feed.h"
#include "fetch.h"

#define AHEAD_JOBS 16
#define AHEAD_BYTES ((size_t)4 << 20)
/* Parsed and not yet taken back, at most (but always one): bodies of
 * this many bytes. The parsed form of a feed is three times its body
 * or more. With room for only 3 the thread waited while the writer
 * committed, and the writer then waited for it (2,000 feeds of 55 KB:
 * 0.7 s of waiting at 16 instead of 2.6 s at 3; 100,000 entries of
 * 3.6 KB: 21.8 s and 60.5 MB peak at 16, 27.1 s and 52.3 MB at 3). */
#define AHEAD_PARSED_BYTES ((size_t)2 << 20)

struct ahead_entry {
	struct entry e;
	struct arc_prep *prep;
};

struct ahead_job {
	void *user;               /* the caller's, untouched */
	struct fetch_res res;     /* the transfer; the job owns it */
	/* once done: */
	int rc;                   /* parser_finish's: 0 a feed, -1 not */
	char *error;              /* rc -1: why, one line */
	struct feed feed;
	struct ahead_entry *entries;
	size_t nentries;
	struct ahead_job *next_spent;   /* (ahead_release's list) */
};

struct ahead;

/* The thread, or NULL when none could be started (then parse inline). */
struct ahead *ahead_start(void (*wake)(void *), void *wake_ctx);
/* May this transfer be handed over now? */
int ahead_room(const struct ahead *ah, const struct fetch_res *res);
/* Hand job over (made with ahead_job_new, its res and user set). */
void ahead_submit(struct ahead *ah, struct ahead_job *job);
/* The oldest job once it is done, or NULL: none is, or (wait) none is
 * held. With wait, blocks until the oldest is done. */
struct ahead_job *ahead_done(struct ahead *ah, int wait);
/* Jobs handed over and not yet taken back; of them, parsed. */
int ahead_held(const struct ahead *ah);
int ahead_parsed(struct ahead *ah);
/* It holds all it may: no transfer has room (ahead_done(ah, 1) frees
 * some). */
int ahead_full(const struct ahead *ah);
/* Done with a job taken back: its body is freed now, what the thread
 * parsed by the thread (parse_ahead.c says why). Or ahead_job_free. */
void ahead_release(struct ahead *ah, struct ahead_job *job);
/* Stops the thread after its current job; frees the jobs not taken. */
void ahead_stop(struct ahead *ah);

struct ahead_job *ahead_job_new(void);
void ahead_job_free(struct ahead_job *job);

#endif
