/*
 * fts_floor.c ARCHIVE TOKENIZER [PER] — what FTS5 alone costs to index
 * an archive's texts, as ingest does: the title and plain text of every
 * entry of ARCHIVE, read into memory first, then inserted into a fresh
 * in-memory FTS5 table (tokenize=TOKENIZER: unicode61, or warta's own),
 * PER rows a transaction (default 50, a feed's worth). Prints one line:
 * rows, CPU seconds, rows per CPU second. The floor under a cold
 * ingest: warta cannot index faster than FTS5 can.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <sqlite3.h>

#include "tokenizer.h"

static double cpu(void)
{
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return (double)r.ru_utime.tv_sec + (double)r.ru_stime.tv_sec +
	       ((double)r.ru_utime.tv_usec + (double)r.ru_stime.tv_usec) / 1e6;
}

static void die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "fts_floor: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: fts_floor ARCHIVE unicode61|warta "
		        "[PER]\n");
		return 2;
	}
	int per = argc > 3 ? atoi(argv[3]) : 50;
	sqlite3 *in, *out;
	if (sqlite3_open_v2(argv[1], &in, SQLITE_OPEN_READONLY, NULL))
		die(in, argv[1]);
	if (sqlite3_open(":memory:", &out) || tokenizer_register(out))
		die(out, "memory");
	char sql[256];
	snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE t USING fts5(title, "
	         "body, tokenize='%s'); INSERT INTO t(t, rank) VALUES("
	         "'automerge', 16)", strcmp(argv[2], "warta") == 0 ?
	         TOKENIZER_NAME : "unicode61 remove_diacritics 2");
	if (sqlite3_exec(out, sql, NULL, NULL, NULL))
		die(out, "create");

	size_t n = 0, cap = 0, bytes = 0;
	char **title = NULL, **body = NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(in, "SELECT coalesce(title, ''), coalesce(text,"
	                       " '') FROM entries ORDER BY id", -1, &st, NULL))
		die(in, "read");
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			title = realloc(title, cap * sizeof *title);
			body = realloc(body, cap * sizeof *body);
			if (!title || !body)
				return 1;
		}
		title[n] = strdup((const char *)sqlite3_column_text(st, 0));
		body[n] = strdup((const char *)sqlite3_column_text(st, 1));
		bytes += strlen(title[n]) + strlen(body[n]);
		n++;
	}
	sqlite3_finalize(st);
	if (!n) {
		fprintf(stderr, "fts_floor: %s has no entries\n", argv[1]);
		return 1;
	}

	if (sqlite3_prepare_v2(out, "INSERT INTO t(title, body) VALUES (?, ?)",
	                       -1, &st, NULL))
		die(out, "insert");
	double c0 = cpu();
	for (size_t i = 0; i < n; i++) {
		if (i % (size_t)per == 0)
			sqlite3_exec(out, "BEGIN", NULL, NULL, NULL);
		sqlite3_bind_text(st, 1, title[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, body[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			die(out, "insert");
		sqlite3_reset(st);
		if (i % (size_t)per == (size_t)per - 1 || i == n - 1)
			if (sqlite3_exec(out, "COMMIT", NULL, NULL, NULL))
				die(out, "commit");
	}
	double c = cpu() - c0;
	printf("rows=%zu bytes=%zu cpu=%.3f per_cpu_s=%.0f\n", n, bytes, c,
	       (double)n / c);
	return 0;
}
