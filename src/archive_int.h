/*
 * archive_int.h — what archive.c, ingest.c and archive_query.c share and
 * nothing else sees: the connection, its cache of prepared statements,
 * nested transactions, and the JSON column codecs.
 */
#ifndef WARTA_ARCHIVE_INT_H
#define WARTA_ARCHIVE_INT_H

#include <sqlite3.h>

#include "archive.h"
#include "tokenizer.h"
#include "util.h"

#define ARC_MAX_STMTS 96
#define ARC_MAX_DEPTH 8
/* Tapes kept for one transaction at most (arc_pretok_keep; past it,
 * tokenized at the commit): a group of 2,000 entries of 3.6 KB had
 * 24 MB of them. A fetch commits its group before (archive.h's
 * archive_tapes_held). */
#define ARC_TAPES_MAX ((size_t)16 << 20)

struct archive {
	sqlite3 *db;
	char *path;
	struct checkpointer *ckpt; /* NULL: SQLite checkpoints as it writes */
	int depth;                 /* open transaction / savepoint levels */
	/* lock.h's turns at the write lock: its descriptor, or -1; and
	 * whether this connection takes them (a short writer), gives them
	 * (a fetch, archive_background_checkpoints), or no longer gives
	 * them (a writer held its turn too long) */
	int turn_fd;
	enum { ARC_TURNS_TAKE, ARC_TURNS_GIVE, ARC_TURNS_NONE } turns;
	/* Entries new in the open transaction and not yet in the search
	 * index: every id >= unindexed (0: none). Ingest leaves them to
	 * arc_index_pending at the outermost COMMIT, so that FTS5 writes
	 * one segment per transaction: it writes one at every savepoint
	 * (each feed) once it holds pending rows. unindexed_at[d] is the
	 * value when savepoint d opened, put back when it rolls back. */
	int64_t unindexed;
	int64_t unindexed_at[ARC_MAX_DEPTH];
	/* Of those, the ones whose title and text were tokenized ahead
	 * (archive_entry_prepare): by id, in the order written, so in id
	 * order. arc_index_pending plays their tapes in place of
	 * tokenizing. A rolled-back savepoint takes its own back
	 * (npretok_at, as unindexed_at): their ids may be given again. The
	 * tapes are copied end to end into one buffer of this thread's:
	 * freeing each one, made by the parse thread, took that thread's
	 * malloc arena lock, and each thread waited for the other. */
	struct arc_pretok {
		int64_t id;
		size_t off[2], n[2];   /* title's and text's tape in tapes */
		int len[2];            /* the texts' lengths */
	} *pretok;
	size_t npretok, pretok_cap;
	size_t npretok_at[ARC_MAX_DEPTH];
	struct tokenizer_tape tapes;
	/* Flat levels (arc_begin_flat, and every level opened inside one)
	 * open no savepoint. Inside a savepoint SQLite copies each page the
	 * first time it is written (its sub-journal), and a feed's entries
	 * write pages all over the story keys and indexes: a sixth of the
	 * writer's time in a cold fetch of 2,000 feeds. Rolling a flat level
	 * back undoes nothing if it wrote nothing (no row changed, no
	 * arc_fail since it opened); if it did, the whole transaction is
	 * doomed: every commit fails from then on and the outermost one
	 * rolls back. */
	char flat_at[ARC_MAX_DEPTH];
	int changes_at[ARC_MAX_DEPTH];   /* sqlite3_total_changes */
	int nfail, nfail_at[ARC_MAX_DEPTH];
	int doomed;                /* 1: after a failure; 2: writes undone */
	int schema;                /* the version it was migrated to */
	int nst;
	const char *sql[ARC_MAX_STMTS];
	sqlite3_stmt *st[ARC_MAX_STMTS];
};

/* The cached statement for sql (a string constant: cached by address),
 * reset and unbound; NULL (message printed) on error. */
sqlite3_stmt *arc_prep(struct archive *a, const char *sql);
/* Print "warta: archive …" for the last error of the connection (one
 * line; "archive damaged" for corruption) and return -1. */
int arc_fail(struct archive *a, const char *what);
/* sqlite3_exec with the same error reporting. */
int arc_exec(struct archive *a, const char *sql);

/* Nested transactions: the outermost is BEGIN IMMEDIATE (the write lock
 * is taken up front, so a busy archive waits in the busy handler instead
 * of failing half way), inner ones are savepoints. 0 or -1. */
int arc_begin(struct archive *a);
int arc_begin_flat(struct archive *a);  /* see struct archive */
int arc_commit(struct archive *a);
void arc_rollback(struct archive *a);

/* The row just inserted as id keeps a copy of prep's tapes, if any. */
void arc_pretok_keep(struct archive *a, int64_t id,
                     const struct tokenizer_tape tape[2]);
/* Drops the tapes kept from the n-th on. */
void arc_pretok_cut(struct archive *a, size_t n);
/* Index the entries ingest left unindexed (a->unindexed). The outermost
 * commit calls it; so must anything that, inside a transaction, changes
 * or deletes entries or a feed's name: the search triggers then delete
 * index rows, and FTS5 would delete rows that are not there yet (a
 * corrupt index). A no-op when nothing waits. 0 or -1. */
int arc_index_pending(struct archive *a);
/* The same when feed_id has entries waiting: before its name changes or
 * it goes. */
int arc_index_pending_feed(struct archive *a, int64_t feed_id);

/* Binding and reading helpers: NULL and "" bind as NULL. */
void arc_bind_text(sqlite3_stmt *st, int i, const char *s);
void arc_bind_int(sqlite3_stmt *st, int i, int64_t v);   /* 0 → NULL */
char *arc_col_dup(sqlite3_stmt *st, int i);              /* NULL → NULL */

/* JSON columns, written with json.c and read back by a small reader that
 * accepts exactly what JSON is (anything else yields what was read so
 * far). NULL when there is nothing to store. */
char *arc_json_people(const struct person *p, size_t n);
char *arc_json_strings(char *const *v, size_t n);
char *arc_json_enclosures(const struct enclosure *v, size_t n);
char *arc_json_source(const struct source *s);
void arc_unjson_people(const char *json, struct person **p, size_t *n);
void arc_unjson_strings(const char *json, char ***v, size_t *n);
void arc_unjson_enclosures(const char *json, struct enclosure **v,
                           size_t *n);
void arc_unjson_source(const char *json, struct source *s);

/* archive.c, inside the caller's transaction: the fetch log row and the
 * feed's new state. */
int arc_write_fetch(struct archive *a, int64_t feed_id,
                    const struct arc_fetch *fx, const struct arc_counts *c,
                    const char *warnings_json);

/* ingest.c, for migration 2: give every entry without one its story. */
int arc_backfill_stories(struct archive *a);
/* ingest.c: a story key ("l:" + canonical link, "t:" + text hash) as
 * the number story_keys keeps: the first 8 bytes of its SHA-256, never
 * 0. For migration 8, which turns the text keys before it into these. */
int64_t arc_story_key_id(const char *key);
/* ingest.c: the story an entry with this link and text joins (or a new
 * one), for feed_id; its keys recorded. 0 with *story, or -1. */
int arc_story_for(struct archive *a, int64_t feed_id, const char *link,
                  const char *text, int64_t now, int64_t *story);

#endif
