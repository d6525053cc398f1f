/*
 * search.h — full-text search of the archive.
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

#include "util.h"

/* Longest query accepted, in bytes. */
#define SEARCH_MAX_QUERY 4096

/* The FTS5 columns, in table order: the order bm25() weights follow. */
extern const char *const search_fields[];

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
