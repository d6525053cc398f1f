/* test_rank.c — warta_rank() against FTS5's own bm25: the same scores
 * where it counts exactly, close ones where it samples, the same first
 * rows where it skips the rows that cannot win. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rank.h"
#include "t.h"

/* An in-memory FTS5 table NAME(title, body) of n rows: word wK is in
 * the body of every K-th row (K = 2 … 9) and in the title of every
 * 5K-th; the padding varies the rows' lengths. A table named "search"
 * has the docsize table warta_rank reads directly; any other name takes
 * FTS5's slower path. */
static sqlite3 *table(const char *name, int n)
{
	sqlite3 *db = NULL;
	char sql[256];
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    rank_register(db) != SQLITE_OK)
		abort();
	snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE %s USING "
	         "fts5(title, body); BEGIN", name);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	snprintf(sql, sizeof sql, "INSERT INTO %s(rowid, title, body) "
	         "VALUES (?, ?, ?)", name);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	for (int i = 1; i <= n; i++) {
		char title[128] = "judul", body[512] = "isi";
		for (int k = 2; k <= 9; k++) {
			if (i % k == 0)
				snprintf(body + strlen(body), 16, " w%d", k);
			if (i % (5 * k) == 0)
				snprintf(title + strlen(title), 16, " w%d", k);
		}
		for (int pad = i % 37; pad > 0; pad--)
			strcat(body, " kata");
		sqlite3_bind_int(st, 1, i);
		sqlite3_bind_text(st, 2, title, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, body, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			abort();
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return db;
}

/* The largest relative gap between warta_rank(ARGS) and bm25 over the
 * rows matching q; -1 when a statement fails or no row matches. */
static double gap(sqlite3 *db, const char *name, const char *args,
                  const char *q)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT warta_rank(%s, %s, NULL, 8.0, 1.0), "
	         "bm25(%s, 8.0, 1.0) FROM %s WHERE %s MATCH ?", name, args,
	         name, name, name);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	double worst = -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		double w = sqlite3_column_double(st, 0);
		double b = sqlite3_column_double(st, 1);
		double g = fabs(w - b) / fabs(b);
		if (g > worst)
			worst = g;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? worst : -1;
}

/* The rowids a query gives for the FTS5 expression q, space-separated,
 * in a buffer of its own among four (a CHECK compares two; a caller may
 * hold a third); "!prepare" when the SQL is refused. */
static char *rowids(sqlite3 *db, const char *sql, const char *q)
{
	static char out[4][4096];
	static int which;
	char *o = out[which = (which + 1) % 4];
	sqlite3_stmt *st;
	o[0] = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return strcpy(o, "!prepare");
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		snprintf(o + strlen(o), sizeof out[0] - strlen(o), "%s%lld",
		         o[0] ? " " : "", sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	return o;
}

/* The first n rowids of q by warta_rank(ARGS). */
static char *order(sqlite3 *db, const char *name, const char *args,
                   const char *q, int n)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT rowid FROM %s WHERE %s MATCH ? "
	         "ORDER BY warta_rank(%s, %s, NULL, 8.0, 1.0), rowid LIMIT %d",
	         name, name, name, args, n);
	return rowids(db, sql, q);
}

/* The same, by bm25. */
static char *bm25_order(sqlite3 *db, const char *name, const char *q, int n)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT rowid FROM %s WHERE %s MATCH ? "
	         "ORDER BY bm25(%s, 8.0, 1.0), rowid LIMIT %d", name, name,
	         name, n);
	return rowids(db, sql, q);
}

/* The first k rowids as search.c's window gives them: the newest
 * `window` matches, scored, then the best k (ties: the newer first). */
static char *window_order(sqlite3 *db, const char *args, const char *q,
                          int window, int k, const char *order)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT id FROM (SELECT rowid AS id, "
	         "warta_rank(search, %s, NULL, 8.0, 1.0) AS s FROM search WHERE "
	         "search MATCH ? ORDER BY %s DESC LIMIT %d) ORDER BY s, "
	         "id DESC LIMIT %d", args, order, window, k);
	return rowids(db, sql, q);
}

TEST(rank_is_bm25_when_fewer_rows_match_than_the_sample)
{
	/* 900 rows: w2 matches 450 (< RANK_SAMPLE), so counted exactly */
	static const char *const names[] = {"search", "t"};
	for (int i = 0; i < 2; i++) {
		sqlite3 *db = table(names[i], 900);
		CHECK(gap(db, names[i], "1, 900, NULL", "w2 OR w7") < 1e-12);
		CHECK(gap(db, names[i], "1, 900, NULL", "w3 w4") < 1e-12);
		CHECK(gap(db, names[i], "NULL, NULL, NULL", "w2 OR w7") <
		      1e-12);
		/* one phrase: a constant IDF, so bm25's order */
		CHECK_STR(order(db, names[i], "1, 900, NULL", "w5", 900),
		          bm25_order(db, names[i], "w5", 900));
		CHECK_STR(order(db, names[i], "1, 900, NULL", "\"w2 w4\"", 900),
		          bm25_order(db, names[i], "\"w2 w4\"", 900));
		sqlite3_close(db);
	}
}

TEST(rank_estimates_a_common_phrase_from_its_first_matches)
{
	sqlite3 *db = table("search", 12000);
	/* w2: 6000 rows, w3: 4000, w9: 1333 — all past RANK_SAMPLE, spread
	 * evenly, so the estimate is close; exact without lo and hi */
	double g = gap(db, "search", "1, 12000, NULL", "w2 OR w3 OR w9");
	CHECK(g >= 0 && g < 0.02);
	CHECK(gap(db, "search", "NULL, NULL, NULL", "w2 OR w3 OR w9") < 1e-12);
	CHECK(gap(db, "search", "1, 12000, NULL", "w2 w9") < 0.02);
	sqlite3_close(db);
}

/* Rows in rowid order, not newest first: keep turns itself off, and the
 * first rows are still right. */
TEST(rank_keep_off_when_rows_come_oldest_first)
{
	static const char *const names[] = {"search", "t"};
	for (int i = 0; i < 2; i++) {
		sqlite3 *db = table(names[i], 3000);
		static const char *const q[] = {"w2 OR w3", "w4 w6", "w7",
		                                "w2 OR w9 OR kata"};
		for (size_t k = 0; k < sizeof q / sizeof *q; k++) {
			char *want = order(db, names[i], "NULL, NULL, NULL",
			                   q[k], 25);
			CHECK_STR(order(db, names[i], "NULL, NULL, 25", q[k], 25),
			          want);
			CHECK_STR(order(db, names[i], "NULL, NULL, 1", q[k], 1),
			          order(db, names[i], "NULL, NULL, NULL", q[k],
			                1));
		}
		sqlite3_close(db);
	}
}

TEST(rank_keep_in_the_window_gives_the_same_first_rows)
{
	sqlite3 *db = table("search", 6000);
	static const char *const q[] = {"w2 OR w3", "w4 w6", "w7",
	                                "w2 OR w9 OR kata"};
	/* "+rowid": SQLite scores every match, then sorts and cuts: the
	 * rows come oldest first and keep must turn itself off */
	static const char *const order[] = {"rowid", "+rowid"};
	for (size_t k = 0; k < sizeof q / sizeof *q; k++)
		for (int o = 0; o < 2; o++) {
			char *want = window_order(db, "1, 6000, NULL", q[k], 1500,
			                          48, order[o]);
			CHECK(strchr(want, ' '));
			CHECK_STR(window_order(db, "1, 6000, 48", q[k], 1500, 48,
			                       order[o]), want);
			want = window_order(db, "1, 6000, NULL", q[k], 1500, 1,
			                    order[o]);
			CHECK_STR(window_order(db, "1, 6000, 1", q[k], 1500, 1,
			                       order[o]), want);
		}
	sqlite3_close(db);
}

TEST(rank_counts_the_rows_it_scores_into_seen)
{
	sqlite3 *db = table("search", 6000);
	sqlite3_stmt *st;
	CHECK(sqlite3_prepare_v2(db, "SELECT count(*) FROM (SELECT rowid, "
	                         "warta_rank(search, 1, 6000, 48, ?1, 8.0, 1.0)"
	                         " AS s FROM search WHERE search MATCH ?2 "
	                         "ORDER BY rowid DESC LIMIT 1500) ORDER BY s",
	                         -1, &st, NULL) == SQLITE_OK);
	static const char *const q[] = {"w2", "w9", "nothing"};
	static const sqlite3_int64 want[] = {1500, 666, 0};
	for (int i = 0; i < 3; i++) {
		sqlite3_int64 seen = 0;
		sqlite3_reset(st);
		sqlite3_bind_pointer(st, 1, &seen, RANK_SEEN, NULL);
		sqlite3_bind_text(st, 2, q[i], -1, SQLITE_STATIC);
		CHECK(sqlite3_step(st) == SQLITE_ROW);
		CHECK_INT(seen, want[i]);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

TEST(rank_counts_a_word_whose_matches_bunch_together)
{
	/* "banjir" in 666 of the oldest 2,000 of 20,000 rows: a sample of
	 * its first 500 would take it for a word of 5,000 rows */
	sqlite3 *db = NULL;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    rank_register(db) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE VIRTUAL TABLE search USING fts5(title, "
	                 "body); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
	                 "SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO "
	                 "search(rowid, title, body) SELECT i, 'judul', 'isi' "
	                 "|| CASE WHEN i <= 1998 AND i % 3 = 0 THEN ' banjir' "
	                 "ELSE '' END || CASE WHEN i % 5 = 0 THEN ' rapat' "
	                 "ELSE '' END FROM n", NULL, NULL, NULL) != SQLITE_OK)
		abort();
	CHECK(gap(db, "search", "1, 20000, NULL", "banjir OR rapat") < 1e-12);
	sqlite3_close(db);
}

TEST(rank_refuses_nothing_odd_in_its_arguments)
{
	sqlite3 *db = table("search", 50);
	/* a keep past RANK_KEEP_MAX, text, a reversed range: all exact */
	CHECK(gap(db, "search", "1, 50, 99999999", "w2 OR w3") < 1e-12);
	CHECK(gap(db, "search", "'a', 'b', 'c'", "w2 OR w3") < 1e-12);
	CHECK(gap(db, "search", "50, 1, -4", "w2 OR w3") < 1e-12);
	/* no overflow on the widest range */
	CHECK(gap(db, "search", "0, 9223372036854775807, NULL", "w2 OR w3") >=
	      0);
	sqlite3_close(db);
}
