/*
 * search.h — full-text search of the archive.
 *
 * The index. search_schema and search_schema_v4 to search_schema_v7 are
 * the archive's migrations 3 to 7 (archive.c lists them): an FTS5 table
 * `search` (title, body = entries.text, author, category, feed = the
 * feed's name) with the "warta" tokenizer, external content (the view
 * search_content over entries, so no text is stored twice), kept in step
 * inside the ingest transaction: new entries by search_index_sql,
 * which the transaction runs before it commits, everything else by
 * triggers (an entry's latest version is what is indexed, a renamed
 * feed is re-indexed, a purged feed leaves nothing behind). Every connection
 * needs tokenizer_register() first (archive.c's connection hook), and a
 * program without it (the sqlite3 shell) can read the archive but not
 * change entries or feeds.
 *
 * Searching. search_iter_new() runs a query over an open archive:
 * best first (bm25, title weighted above body; when more than
 * SEARCH_RANK_WINDOW entries match, the best of the newest
 * SEARCH_RANK_WINDOW), or newest first. A story carried by several feeds
 * comes once, as its best entry, with every source listed. Hits come one
 * at a time, reusing one struct: memory stays flat.
 *
 * The query language is FTS5's (https://sqlite.org/fts5.html §3): words,
 * "quoted phrases", prefix*, AND / OR / NOT (upper case), ( ), NEAR(…),
 * phrase + phrase, ^initial, and field filters (title:, body:, author:,
 * category:, feed:, {title body}:, -title:). search_compile() checks a
 * user's query and rewrites it into the FTS5 expression that is bound
 * (never spliced) into SQL:
 *   - a bare word is stemmed: berdaya also finds pemberdayaan;
 *   - a "quoted" string matches its words exactly (the tokenizer's
 *     TOKENIZER_EXACT_MARK is put inside the quotes);
 *   - words FTS5 would refuse bare (Jum'at, 09.30, covid-19, e-KTP) are
 *     quoted for it, keeping their stemming;
 *   - text that holds no word at all (a lone dash) is dropped;
 *   - field names are matched case-insensitively, with aliases (judul,
 *     isi, penulis, kategori, tag, sumber…).
 * A query it cannot read gives NULL and a one-line, plain explanation in
 * err ("unbalanced quote", "NOT needs a word before it"); the caller
 * prints it as a usage error.
 */
#ifndef WARTA_SEARCH_H
#define WARTA_SEARCH_H

#include <stddef.h>
#include <sqlite3.h>

#include "archive.h"
#include "util.h"

/* Longest query accepted, in bytes. */
#define SEARCH_MAX_QUERY 4096

/* The FTS5 columns, in table order: the order bm25() weights follow. */
extern const char *const search_fields[];

/* Migration 3 of the archive: the index, its view and triggers, and a
 * rebuild over the entries already there; migration 4: the index of
 * entries search filters on, and a rebuild for the tokenizer that gives
 * every word its stem. */
extern const char search_schema[];
extern const char search_schema_v4[];
extern const char search_schema_v5[];
/* Migrations 6 and 7: FTS5's automerge at 8, then 16 (fewer merges
 * during a fetch). */
extern const char search_schema_v6[];
extern const char search_schema_v7[];
/* The entries whose id is ?1 or more, as the index takes them (id and
 * its five columns); search_index_sql indexes one such row, as the
 * triggers index a changed one (archive_int.h's arc_index_pending runs
 * the two). Not an AFTER INSERT trigger, nor a statement after each
 * INSERT: FTS5 writes its pending terms to disk as a new segment at
 * every savepoint, a trigger makes each INSERT one, and each feed of a
 * fetch is one. Indexing a whole transaction's entries at its end
 * writes one segment, and the merging of segments was a fifth of a cold
 * ingest's CPU. One row a statement: a single INSERT ... SELECT would
 * keep a copy of every page it changes (its statement journal) until it
 * ends, 15 MB for 2,000 entries. */
extern const char search_pending_sql[];
extern const char search_index_sql[];

/* How many matches bm25 ranks at most: the newest ones. Ranking and the
 * scan under it cost about 3 µs a match on a million entries; 5,000
 * keeps a query of common words at about 15 ms (10,000 was 20). Older
 * matches of a common word are reached with --since/--until, --feed, a
 * more specific query, or --sort date. */
#define SEARCH_RANK_WINDOW 5000

struct search_opts {
	const char *query;        /* as the user typed it */
	struct arc_filter f;      /* feed, tag, since, until, limit (0: all),
	                           * include_removed; each_source is ignored */
	int by_date;              /* newest first instead of best first */
	int snippets;             /* compute snippet and marked title */
	long window;              /* 0: SEARCH_RANK_WINDOW (tests set less) */
};

struct search_hit {
	struct arc_row row;       /* the entry, with row.sources filled */
	char *snippet;            /* the best passage of the body, the
	                           * matches between SEARCH_OPEN and
	                           * SEARCH_CLOSE; NULL unless asked for */
	char *title;              /* the title, its matches marked alike */
};

struct search_iter;

/* 0 and *it on success. -2: the query cannot be read, the reason in err
 * (a usage error). -1: the archive failed (message printed). */
int search_iter_new(struct archive *a, const struct search_opts *o,
                    struct search_iter **it, char *err, size_t errsz);
/* 1 and *hit (valid until the next call), 0 at the end, -1 on error
 * (printed). */
int search_iter_next(struct search_iter *it, struct search_hit **hit);
void search_iter_free(struct search_iter *it);
/* 1 when best first stopped at the window: at least SEARCH_RANK_WINDOW
 * (or o->window) entries match, and only the newest of them were ranked.
 * Known once the first hit is read. */
int search_iter_window_full(const struct search_iter *it);

/* db: a connection with tokenizer_register() done (used to ask the
 * tokenizer whether a piece of text holds any word). Returns a malloc'd
 * FTS5 expression, or NULL with the reason in err. */
char *search_compile(sqlite3 *db, const char *query, char *err,
                     size_t errsz);

/* How a match is shown in a snippet: bold on a terminal, [brackets] in
 * a pipe or a file, not at all when NO_COLOR asks for plain text. */
enum search_mark { MARK_NONE, MARK_BRACKETS, MARK_BOLD };

/* What FTS5's snippet() is asked to put around each match. */
#define SEARCH_OPEN "\x02"
#define SEARCH_CLOSE "\x03"

/* Append text from the archive to out as one clean line: runs of white
 * space (newlines, tabs, no-break spaces) become one space, the ends are
 * trimmed, control characters (C0, DEL, C1 — escape sequences from a
 * feed must never reach a terminal) are dropped, and SEARCH_OPEN /
 * SEARCH_CLOSE become the marks of style m. A bold mark left open is
 * closed at the end. */
void search_mark(struct buf *out, const char *text, enum search_mark m);

#endif
