/*
 * rank.h — warta_rank(), FTS5's bm25 at a cost bounded per query.
 *
 *   warta_rank(search, lo, hi, keep, seen, w0, w1, ...)
 *
 * scores a row as bm25(search, w0, w1, ...) does: the same k1 = 1.2 and
 * b = 0.75, the same column weights, lower is better. Two things differ.
 *
 * The IDF. bm25 counts every row matching each phrase, once per query;
 * on a million entries a common word's count read its whole doclist and
 * took two thirds of the query, however few rows were then ranked. Here
 * the count stops after RANK_SAMPLE matches once they reach an eighth of
 * the way through the rowid range [lo, hi], or after RANK_SAMPLE_MAX,
 * and the whole is estimated from how far into the range they reached
 * (rowids are entry numbers, in arrival order). A word whose matches
 * bunch at the start of the archive can still be taken for a commoner
 * one than it is. With fewer matches than RANK_SAMPLE, or when lo or hi
 * is NULL, the count is exact and the score is bm25's. A query of one
 * phrase ranks rows in bm25's order whatever the estimate: its IDF
 * multiplies every row's score alike, so it is not counted at all.
 *
 * The rows that cannot win. With keep (1 to RANK_KEEP_MAX; NULL: off),
 * a row whose score cannot reach the best keep scores seen so far gets
 * an upper bound of its score instead of the score, and its length (a
 * lookup of its own) is never read. So ORDER BY warta_rank(...) LIMIT n
 * OFFSET m, with keep = n + m, gives the same first n + m rows in the
 * same order as without keep; the rows past them are in no useful order.
 * It needs the rows newest first (ORDER BY rowid DESC, as search.c's
 * window is); rows in another order, or a negative weight, turn it off.
 *
 * seen: NULL, or a pointer bound with sqlite3_bind_pointer(…, RANK_SEEN,
 * NULL) to a sqlite3_int64 that counts the rows scored (search.c tells
 * from it whether its window was full).
 *
 * rank_register() adds the function to one connection's FTS5 and returns
 * an SQLite result code (SQLITE_ERROR without FTS5).
 */
#ifndef WARTA_RANK_H
#define WARTA_RANK_H

#include <sqlite3.h>

#define RANK_NAME "warta_rank"
#define RANK_SAMPLE 500
#define RANK_SAMPLE_MAX 4000
#define RANK_KEEP_MAX 10000
#define RANK_SEEN "warta_rank_seen"
/* The docsize table of the FTS5 table it mostly ranks (read directly,
 * checked against FTS5 at a query's first row; other tables work, the
 * slower way). */
#define RANK_DOCSIZE "search_docsize"

int rank_register(sqlite3 *db);

#endif
