/*
 * archive.h — the archive: one SQLite file that keeps every entry a feed
 * ever published, every later edit of it, the feeds and their fetch log.
 *
 * Open and errors. archive_open() creates the file (0600, parent folders
 * 0700) on first use, switches it to WAL (readers never wait on the one
 * writer), sets a busy timeout, and runs the forward migrations keyed on
 * PRAGMA user_version. An archive written by a newer warta is refused,
 * never downgraded; a file that is not a warta archive, or is damaged,
 * gives "warta: archive damaged: PATH: why" and is never written to.
 * Every function that can fail prints one line through warnmsg() and
 * returns -1 (or NULL); callers only map that to an exit status.
 *
 * Memory. Structs filled by the archive (arc_feed, arc_row, arc_log…)
 * own their strings; clear them with the matching *_clear(). Iterators
 * hand out one row at a time, reusing it: memory stays flat however many
 * rows there are.
 *
 * Time is int64 seconds since the epoch, UTC, from now_utc() (WARTA_NOW
 * pins it in tests).
 *
 * Identity (see archive_entry_key). An entry is known by its feed and its
 * key: the guid / atom:id, else the link, else "hash:" + SHA-256 of title,
 * date and content. A key that is an http(s) URL is written in canonical
 * form (libcurl's URL API): no scheme (http and https are one), host in
 * lower case, no default port, no trailing slash, dot segments removed,
 * query and fragment kept. Any other id is kept as given, trimmed.
 *
 * Ingest (archive_ingest_*) is one transaction per fetched document: new
 * entries are inserted; an entry whose versioned fields (everything
 * struct entry holds) changed is updated and the replaced version kept as
 * a revision; an unchanged entry writes nothing (a SHA-256 of the version
 * is compared, the row is not read back); an id or link that changes only
 * by its canonical form (http → https…) is stored without a revision; an
 * entry that leaves the feed stays. A document that is not a feed is
 * recorded as a failed fetch and touches no entry. Undated entries are
 * dated by when they were first seen and marked so. The plain text
 * (html_to_text of content, else summary, with WordPress/Yoast "The post
 * … appeared first on …" footers left out) is stored in entries.text, for
 * search.
 *
 * Stories. Entries of different feeds with the same canonical link (not
 * a home page), or the same plain text (at least ARC_STORY_MIN_TEXT bytes
 * once blanks and case are folded), share a story_id: one story, several
 * sources. Two entries of one feed are always two stories.
 *
 * Schema (version ARCHIVE_SCHEMA): feeds, feed_tags, feed_urls, entries,
 * revisions, fetch_log (migration 1); stories, story_keys and
 * entries.story_id (migration 2); the full-text index search, its view
 * search_content and table search_feeds (migration 3, search.h), the
 * index search_entry_keys and a rebuild (migration 4, search.h); new
 * entries indexed by ingest, not a trigger (migration 5, search.h);
 * FTS5's automerge set to 8 (migration 6, search.h), then 16 (7);
 * story keys as 64-bit numbers, not text (8).
 * README.md ("Archive") lists the columns.
 *
 * Adding a migration: append one entry to the migrations[] table in
 * archive.c — SQL, and optionally a C function run after it in the same
 * transaction (e.g. to backfill with C-level logic). Never edit a
 * migration that has shipped. A hook that every connection needs before
 * migrations and ingest run (an FTS5 tokenizer, say) goes in
 * connection_hooks[] in archive.c.
 */
#ifndef WARTA_ARCHIVE_H
#define WARTA_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "feed.h"

#define ARCHIVE_SCHEMA 8
#define ARC_STORY_MIN_TEXT 80

struct archive;

/* Once, before any SQLite call of the process (main does it; later calls
 * are refused, harmlessly): a warta connection is used by one thread at
 * a time, so SQLite's mutex around every API call is dropped, and so is
 * its count of allocated memory, which takes a mutex on every malloc. */
void archive_sqlite_init(void);

/* Open (creating when missing) and migrate to ARCHIVE_SCHEMA. */
struct archive *archive_open(const char *path);
/* For tests: migrate only up to version (1 … ARCHIVE_SCHEMA). */
struct archive *archive_open_version(const char *path, int version);
void archive_close(struct archive *a);

/* A checkpoint of the WAL once it holds this many pages (16 MiB): fewer,
 * larger checkpoints, since each one fsyncs. */
#define ARC_CHECKPOINT_PAGES 4096
/* How long a writer waits for another one (SQLite's busy timeout). */
#define ARC_BUSY_MS 10000

/* From now until archive_close, the WAL's checkpoints run in a thread of
 * their own, on a connection of their own (checkpoint.h): for a long
 * write such as a fetch, which would otherwise stop for every fsync.
 * Such a writer also lets other writers go first between two of its
 * transactions (lock.h's turns), where they would starve waiting for a
 * gap. 0, or -1 when the thread cannot be had (nothing else changes;
 * nothing printed).
 * The archive's own connection must still be used from one thread. */
int archive_background_checkpoints(struct archive *a);
/* How many such checkpoints have run; -1 when none are in a thread. */
long archive_checkpoints_run(struct archive *a);

/* The connection, for modules that run their own SQL on the archive
 * (search, export). Use bound parameters; do not close it. */
sqlite3 *archive_db(struct archive *a);
const char *archive_path(const struct archive *a);
int archive_schema_version(struct archive *a);   /* user_version, or -1 */

/* Group several calls into one transaction (import: all or nothing;
 * fetch: many feeds, each a savepoint). They nest; the outermost takes
 * the write lock at once, and its commit indexes the entries that are
 * new in it, so search never sees an entry it cannot find. 0 or -1;
 * a nested commit that fails leaves its level open: the caller rolls
 * it back (the outermost's rolls back by itself). */
int archive_begin(struct archive *a);
int archive_commit(struct archive *a);
void archive_rollback(struct archive *a);
/* As archive_begin, but inside a transaction no savepoint is opened,
 * for it nor for any level inside it (savepoints cost a copy of every
 * page first written in them). For a caller whose rollback of that
 * level undoes nothing unless the archive failed: a rollback after a
 * write makes every commit fail, and the whole transaction rolls back. */
int archive_begin_flat(struct archive *a);

/* ---- feeds ------------------------------------------------------------ */

struct arc_feed {
	int64_t id;
	char *url;            /* where it is fetched from */
	char *title;          /* the user's (add --title, OPML), or NULL */
	char *feed_title;     /* the feed's own, from the last good fetch */
	char *site_url;       /* the feed's home page link */
	char **tags;
	size_t ntags;
	int64_t added;
	int64_t removed;      /* unsubscribed at; 0 while subscribed */
	int insecure;         /* TLS not verified (add --insecure) */
	char *etag, *last_modified;
	unsigned char body_hash[32];  /* SHA-256 of the last good body */
	int has_body_hash;
	int64_t last_fetch;   /* 0: never */
	int last_status;      /* HTTP status of the last fetch; 0: none */
	int64_t last_ok;      /* last fetch that worked; 0: never */
	int64_t next_due;
	int failures;         /* consecutive failed fetches */
	char *last_error;     /* why the last fetch failed; NULL if it did not */
	int gone;             /* 410 seen */
	int64_t ttl;          /* seconds the feed asks for; 0: not given */
	char *redirect_to;    /* permanent redirect seen, not adopted yet */
	int redirect_seen;    /* … on this many fetches in a row */
	int64_t entries;      /* archived entries of this feed */
};
void arc_feed_clear(struct arc_feed *f);
/* "user title, else feed title, else URL": what lists show. */
const char *arc_feed_name(const struct arc_feed *f);
/* "new" (never fetched), "ok", "failing", "gone" or "removed". */
const char *arc_feed_state(const struct arc_feed *f);

/* Canonical form of a feed URL or an entry id (the rules above), malloc'd.
 * Not an http(s) URL: a trimmed copy. NULL in, NULL out. */
char *archive_canon(const char *s);

enum { ARC_ADDED = 1, ARC_EXISTS = 2, ARC_REVIVED = 3 };
struct arc_new_feed {
	const char *url;
	const char *title;            /* NULL: none */
	const char *const *tags;
	size_t ntags;
	int insecure;
};
/* Subscribe. ARC_ADDED: new feed; ARC_EXISTS: the URL (canonically) is
 * subscribed already and nothing changed — unless merge_tags, then tags
 * are added and a missing title set (what import wants); ARC_REVIVED: it
 * had been removed and is subscribed again, its archive intact. *id gets
 * the feed's id. -1 on error. */
int archive_feed_add(struct archive *a, const struct arc_new_feed *nf,
                     int merge_tags, int64_t *id);

/* A FEED argument: a number (as `warta feeds` shows) or a URL (any
 * canonically equal form). 1 found, 0 no such feed, -1 error. Removed
 * feeds are found too (check f->removed). */
int archive_feed_find(struct archive *a, const char *spec,
                      struct arc_feed *f);
int archive_feed_get(struct archive *a, int64_t id, struct arc_feed *f);

/* Unsubscribe: the feed stops being fetched and listed, its entries stay.
 * With purge: the feed, its entries, revisions, log and every story left
 * without an entry are deleted. 0 or -1. */
int archive_feed_remove(struct archive *a, int64_t id, int purge);

/* Subscribed feeds in id order; only_due: those with next_due <= now,
 * not gone. Callback returns nonzero to stop. 0, or -1 on error. */
int archive_feeds_each(struct archive *a, int only_due, int64_t now,
                       int (*cb)(void *ctx, const struct arc_feed *f),
                       void *ctx);

/* ---- fetch outcome ---------------------------------------------------- */

/* What one fetch of a feed ended with: written to the fetch log and the
 * feed's state. The policy (back-off, schedule, redirects) is the
 * fetcher's; the archive stores what it decided. */
struct arc_fetch {
	int64_t time;             /* when the fetch started */
	const char *url;          /* the URL requested */
	int status;               /* HTTP status; 0: none (file, no answer) */
	int64_t bytes;            /* body bytes received */
	int64_t duration_ms;
	const char *error;        /* why it failed; NULL: it worked */
	const char *warning;      /* one more warning for the log, or NULL */
	int set_validators;       /* store etag/last_modified (NULL clears) */
	const char *etag, *last_modified;
	const unsigned char *body_hash;   /* 32 bytes to store, or NULL */
	int64_t next_due;
	int failures;             /* consecutive failures after this fetch */
	int gone;                 /* mark (1) or keep (0) the gone flag */
	int64_t ttl;              /* 0: keep */
	const char *new_url;      /* adopt this URL (old one kept in history) */
	const char *redirect_to;  /* pending permanent redirect, NULL: none */
	int redirect_seen;
	int log_only;             /* write the log row only and leave the
	                           * feed's state as it is (backfill pages) */
};

/* Record a fetch that archived nothing (304, error, same bytes): one
 * transaction. 0 or -1. */
int archive_fetch_record(struct archive *a, int64_t feed_id,
                         const struct arc_fetch *fx);

/* ---- ingest ----------------------------------------------------------- */

struct arc_ingest;

struct arc_counts {
	long fresh;       /* new entries */
	long updated;     /* changed entries (one revision each) */
	long unchanged;
	long dups;        /* second entries under an id already seen */
};

/* BEGIN IMMEDIATE on the archive for feed_id; now dates first-seen. */
struct arc_ingest *archive_ingest_begin(struct archive *a, int64_t feed_id,
                                        int64_t now);
/* One entry of the document, as the parser's callback gets it (call it
 * from there). The entry is read, not kept; 0 or -1 (then abort). */
int archive_ingest_entry(struct arc_ingest *in, const struct entry *e);
/* What archiving an entry works out from the entry alone, with no
 * database: its key, version hash, plain text, stored fields and story
 * keys, and (with tp, a tokenizer of the calling thread's own, or NULL)
 * the search index's tokens of its title and text, which the writer
 * then indexes without tokenizing (tokenizer.h). Safe from any thread:
 * cmd_fetch makes them on its parse thread while the writer writes. */
struct arc_prep;
struct tokenizer_pre;
struct arc_prep *archive_entry_prepare(const struct entry *e,
                                       struct tokenizer_pre *tp);
void archive_prep_free(struct arc_prep *p);
/* archive_ingest_entry for e with p, made from e by
 * archive_entry_prepare (p is the caller's to free; it may change). */
int archive_ingest_prepared(struct arc_ingest *in, const struct entry *e,
                            struct arc_prep *p);
/* Bytes of such tokens the open transaction holds until it commits. */
size_t archive_tapes_held(const struct archive *a);
/* The document's feed-level data (title, home link, ttl); written only
 * when it differs from what is stored. */
int archive_ingest_feed(struct arc_ingest *in, const struct feed *f);
/* The channel's title alone, when the parser has it already: call it
 * before the first entry. The feed's name is part of every entry's
 * index, and a change of name re-indexes all of the feed's entries: set
 * only at the end, the name a first fetch brings (the channel's title in
 * place of the URL) re-indexed every entry just indexed, 2.6 times the
 * CPU of a first fetch of feeds added by URL. A NULL title writes
 * nothing. 0 or -1. */
int archive_ingest_feed_name(struct arc_ingest *in, const struct feed *f);
/* The document was not a feed after all: undo every entry written since
 * begin (the fetch is still recorded by _end, with fx->error). */
void archive_ingest_discard(struct arc_ingest *in);
/* Write the fetch log row (with the counts and duplicate-id warnings) and
 * the feed state, then COMMIT. Frees in. 0 or -1 (rolled back). */
int archive_ingest_end(struct arc_ingest *in, const struct arc_fetch *fx,
                       struct arc_counts *counts);
/* ROLLBACK everything and free in. */
void archive_ingest_abort(struct arc_ingest *in);
const struct arc_counts *archive_ingest_counts(const struct arc_ingest *in);

/* The key an entry is archived under, and its kind ("id", "link",
 * "hash"); malloc'd. */
char *archive_entry_key(const struct entry *e, const char **kind);

/* ---- reading entries -------------------------------------------------- */

struct arc_source {
	int64_t entry_id;
	int64_t feed_id;
	char *feed_title;         /* arc_feed_name() of that feed */
	char *feed_url;
	char *feed_site;          /* that feed's home page, or NULL */
	char *link;               /* the entry's link in that feed */
};

struct arc_row {
	int64_t id;               /* the archive's entry number */
	int64_t feed_id;
	int64_t story_id;
	char *feed_title;         /* arc_feed_name() of the feed */
	char *feed_url;
	char *feed_site;          /* the feed's home page, or NULL */
	char *key;
	char *key_kind;           /* "id", "link" or "hash" */
	struct entry e;           /* as archived: the latest version */
	char *text;               /* the plain text search indexes */
	int64_t date;             /* published, else updated, else first seen */
	int dated_first_seen;     /* 1: no readable date; date = first_seen */
	int64_t first_seen;
	int64_t changed;          /* when this version was first seen */
	int revisions;            /* earlier versions kept */
	int64_t story_size;       /* entries of its story (1: only this) */
	struct arc_source *sources;   /* every entry of the story, this one */
	size_t nsources;              /* included; sources[0] is the first */
};
void arc_row_clear(struct arc_row *r);

struct arc_filter {
	int64_t feed_id;          /* 0: every feed */
	const char *tag;          /* NULL: any */
	int64_t since, until;     /* date >= since, date <= until; 0: open */
	long limit;               /* 0: no limit */
	int each_source;          /* 1: every entry; 0: one row per story */
	int include_removed;      /* 1: entries of unsubscribed feeds too */
	int no_text;              /* arc_iter: 1 rows come without text
	                           * (NULL), which export does not need */
};

/* Entries newest first (date, then id, descending), streaming. With
 * each_source 0 a story carried by several feeds comes once, as its first
 * archived entry among the feeds the filter admits, with all its sources
 * listed. arc_iter_next: 1 a row (valid until the next call), 0 the end,
 * -1 error. */
struct arc_iter;
struct arc_iter *arc_iter_new(struct archive *a, const struct arc_filter *f);
int arc_iter_next(struct arc_iter *it, struct arc_row **row);
void arc_iter_free(struct arc_iter *it);

/* For modules with their own query (search): select ARC_ROW_COLUMNS from
 * ARC_ROW_FROM (entries e JOIN feeds f), add your joins and WHERE, then
 * arc_row_read(stmt, first_column, row) fills row (cleared first) and
 * arc_row_sources() its sources. */
#define ARC_ROW_COLUMNS \
	ARC_ROW_HEAD "e.text, " ARC_ROW_TAIL ARC_ROW_STORY_SIZE
/* Its parts, for arc_iter_new, which may select NULL for the text and
 * ask the story's size another way. */
#define ARC_ROW_HEAD                                                       \
	"e.id, e.feed_id, e.story_id, coalesce(f.title, f.feed_title, "    \
	"f.url), f.url, f.site_url, e.key, e.key_kind, e.guid, e.link, "   \
	"e.title, e.summary, e.content, e.content_is_text, e.comments, "   \
	"e.language, e.published, e.published_raw, e.updated, "            \
	"e.updated_raw, e.authors, e.categories, e.enclosures, e.source, "
#define ARC_ROW_TAIL                                                       \
	"e.date, e.dated_first_seen, e.first_seen, e.changed, e.revisions, "
#define ARC_ROW_STORY_SIZE                                                 \
	"(SELECT count(*) FROM entries x WHERE x.story_id = e.story_id)"
#define ARC_ROW_NCOLUMNS 31
#define ARC_ROW_FROM "entries e JOIN feeds f ON f.id = e.feed_id"
void arc_row_read(sqlite3_stmt *st, int col, struct arc_row *r);
int arc_row_sources(struct archive *a, struct arc_row *r);

/* One entry by number; 1 found, 0 not, -1 error. */
int archive_entry_get(struct archive *a, int64_t id, struct arc_row *r);
/* ENTRY as the user gives it: a number, else an id or link (canonically
 * compared; the newest match). 1 found, 0 not, -1 error. */
int archive_entry_find(struct archive *a, const char *spec,
                       struct arc_row *r);

struct arc_revision {
	int64_t id;
	int64_t seen;             /* when this version was first seen */
	int64_t replaced;         /* when the next version replaced it */
	char **changed;           /* names of the fields that changed */
	size_t nchanged;
	struct entry e;           /* the old version */
};
void arc_revision_clear(struct arc_revision *r);
/* Earlier versions of an entry, oldest first. 0 or -1. */
int archive_revisions_each(struct archive *a, int64_t entry_id,
                           int (*cb)(void *ctx, const struct arc_revision *r),
                           void *ctx);

/* ---- the fetch log and totals ----------------------------------------- */

struct arc_log {
	int64_t id, feed_id, time;
	char *url;
	int status;
	int64_t bytes, duration_ms;
	long fresh, updated, unchanged;
	char *error;
	char **warnings;          /* duplicate ids and other warnings */
	size_t nwarnings;
};
void arc_log_clear(struct arc_log *l);
/* Newest first; feed_id 0: every feed; limit 0: all. 0 or -1. */
int archive_log_each(struct archive *a, int64_t feed_id, long limit,
                     int (*cb)(void *ctx, const struct arc_log *l),
                     void *ctx);

struct arc_stats {
	int64_t feeds;            /* subscribed */
	int64_t feeds_removed;    /* unsubscribed, entries kept */
	int64_t entries, revisions, stories, fetches;
	int64_t oldest, newest;   /* entry dates; 0 when empty */
	int64_t bytes;            /* the file and its WAL on disk */
	int schema;
};
int archive_stats(struct archive *a, struct arc_stats *s);

#endif
