/* test_checkpoint.c — WAL checkpoints in their own thread: they happen,
 * the WAL is started over, and every commit is there afterwards, for a
 * reader during the writes and after a reopen. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "archive.h"
#include "checkpoint.h"
#include "t.h"

static int64_t one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static long long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

TEST(checkpoint_thread_copies_the_wal_back_and_starts_it_over)
{
	char path[512], wal[520];
	snprintf(path, sizeof path, "%s/c.db", t_tmpdir());
	snprintf(wal, sizeof wal, "%s-wal", path);
	sqlite3 *db = NULL, *reader = NULL;
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	CHECK(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous="
	                   "NORMAL; CREATE TABLE t(x)", NULL, NULL, NULL) ==
	      SQLITE_OK);
	struct checkpointer *c = checkpoint_start(db, path, 16, 10000);
	CHECK(c != NULL);
	CHECK(sqlite3_open(path, &reader) == SQLITE_OK);
	/* 1,000 commits of three pages or more: over 12 MB of WAL unless
	 * copied back and started over (2 MB here) */
	for (int i = 0; i < 1000; i++) {
		CHECK(sqlite3_exec(db, "BEGIN; INSERT INTO t VALUES "
		                   "(randomblob(4000)), (randomblob(4000)); "
		                   "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
		if (i % 100 == 99)  /* a reader sees every commit so far */
			CHECK_INT(one(reader, "SELECT count(*) FROM t"),
			          2 * (i + 1));
		/* as the archive before each transaction (a busy fetch
		 * never leaves the write lock for long) */
		checkpoint_between(c);
	}
	CHECK(checkpoint_count(c) > 0);
	/* the WAL was started over: it never held all the commits */
	long long size = file_size(wal);
	CHECK(size > 0 && size < 6000000);
	checkpoint_stop(c, 1000);
	CHECK_INT(one(db, "PRAGMA wal_autocheckpoint"), 1000);
	sqlite3_close(reader);
	sqlite3_close(db);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK_INT(one(db, "SELECT count(*) FROM t"), 2000);
	sqlite3_stmt *st;
	CHECK(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) ==
	      SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

TEST(checkpoint_start_refuses_a_file_it_cannot_open)
{
	sqlite3 *db = NULL;
	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	CHECK(checkpoint_start(db, "/nonexistent/dir/x.db", 16, 0) == NULL);
	/* the writer is as it was */
	CHECK(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1)",
	                   NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
}

TEST(archive_background_checkpoints_keep_every_entry)
{
	char path[512];
	snprintf(path, sizeof path, "%s/a.db", t_tmpdir());
	struct archive *a = archive_open(path);
	CHECK(a != NULL);
	CHECK_INT(archive_checkpoints_run(a), -1);
	CHECK_INT(archive_background_checkpoints(a), 0);
	CHECK_INT(archive_checkpoints_run(a), 0);
	CHECK(sqlite3_exec(archive_db(a), "CREATE TABLE junk(x)", NULL, NULL,
	                   NULL) == SQLITE_OK);
	archive_close(a);  /* stops the thread first */
	a = archive_open(path);
	CHECK(a != NULL);
	CHECK_INT(one(archive_db(a), "SELECT count(*) FROM sqlite_master "
	              "WHERE name = 'junk'"), 1);
	archive_close(a);
}
