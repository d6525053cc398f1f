/* archive.c — the archive file: open, schema, migrations, feeds, the
 * fetch outcome and totals. Ingest is in ingest.c, reads in
 * archive_query.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "archive_int.h"
#include "checkpoint.h"
#include "lock.h"
#include "rank.h"
#include "search.h"
#include "tokenizer.h"

/* 'wart': marks the file as a warta archive, so warta never migrates
 * some other program's SQLite database. */
#define ARC_APPLICATION_ID 0x77617274

/* ---- schema ------------------------------------------------------------ */

static const char schema_v1[] =
	"CREATE TABLE feeds ("
	" id INTEGER PRIMARY KEY,"
	" url TEXT NOT NULL,"
	" url_key TEXT NOT NULL UNIQUE,"
	" title TEXT,"
	" feed_title TEXT,"
	" site_url TEXT,"
	" added INTEGER NOT NULL,"
	" removed INTEGER,"
	" insecure INTEGER NOT NULL DEFAULT 0,"
	" etag TEXT,"
	" last_modified TEXT,"
	" body_hash BLOB,"
	" last_fetch INTEGER,"
	" last_status INTEGER,"
	" last_ok INTEGER,"
	" next_due INTEGER NOT NULL DEFAULT 0,"
	" failures INTEGER NOT NULL DEFAULT 0,"
	" last_error TEXT,"
	" gone INTEGER NOT NULL DEFAULT 0,"
	" ttl INTEGER,"
	" redirect_to TEXT,"
	" redirect_seen INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE feed_tags ("
	" feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	" tag TEXT NOT NULL,"
	" PRIMARY KEY (feed_id, tag)) WITHOUT ROWID;"
	"CREATE INDEX feed_tags_tag ON feed_tags(tag);"
	"CREATE TABLE feed_urls ("
	" feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	" url TEXT NOT NULL,"
	" since INTEGER NOT NULL,"
	" until INTEGER,"
	" why TEXT);"
	"CREATE INDEX feed_urls_feed ON feed_urls(feed_id);"
	"CREATE TABLE entries ("
	" id INTEGER PRIMARY KEY,"
	" feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	" key TEXT NOT NULL,"
	" key_kind TEXT NOT NULL,"
	" vhash BLOB NOT NULL,"
	" guid TEXT,"
	" link TEXT,"
	" title TEXT,"
	" summary TEXT,"
	" content TEXT,"
	" content_is_text INTEGER NOT NULL DEFAULT 0,"
	" comments TEXT,"
	" language TEXT,"
	" published INTEGER,"
	" published_raw TEXT,"
	" updated INTEGER,"
	" updated_raw TEXT,"
	" date INTEGER NOT NULL,"
	" dated_first_seen INTEGER NOT NULL DEFAULT 0,"
	" authors TEXT,"
	" categories TEXT,"
	" enclosures TEXT,"
	" source TEXT,"
	" text TEXT,"
	" first_seen INTEGER NOT NULL,"
	" changed INTEGER NOT NULL,"
	" revisions INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE (feed_id, key));"
	"CREATE INDEX entries_date ON entries(date, id);"
	"CREATE INDEX entries_feed_date ON entries(feed_id, date);"
	"CREATE TABLE revisions ("
	" id INTEGER PRIMARY KEY,"
	" entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
	" seen INTEGER NOT NULL,"
	" replaced INTEGER NOT NULL,"
	" changed TEXT,"
	" guid TEXT,"
	" link TEXT,"
	" title TEXT,"
	" summary TEXT,"
	" content TEXT,"
	" content_is_text INTEGER NOT NULL DEFAULT 0,"
	" comments TEXT,"
	" language TEXT,"
	" published INTEGER,"
	" published_raw TEXT,"
	" updated INTEGER,"
	" updated_raw TEXT,"
	" authors TEXT,"
	" categories TEXT,"
	" enclosures TEXT,"
	" source TEXT);"
	"CREATE INDEX revisions_entry ON revisions(entry_id);"
	"CREATE TABLE fetch_log ("
	" id INTEGER PRIMARY KEY,"
	" feed_id INTEGER REFERENCES feeds(id) ON DELETE CASCADE,"
	" time INTEGER NOT NULL,"
	" url TEXT NOT NULL,"
	" status INTEGER,"
	" bytes INTEGER NOT NULL DEFAULT 0,"
	" duration_ms INTEGER NOT NULL DEFAULT 0,"
	" new INTEGER NOT NULL DEFAULT 0,"
	" updated INTEGER NOT NULL DEFAULT 0,"
	" unchanged INTEGER NOT NULL DEFAULT 0,"
	" error TEXT,"
	" warnings TEXT);"
	"CREATE INDEX fetch_log_feed ON fetch_log(feed_id, id);";

/* Stories came second: an archive from before them gets every entry
 * assigned to one by arc_backfill_stories. */
static const char schema_v2[] =
	"CREATE TABLE stories ("
	" id INTEGER PRIMARY KEY,"
	" first_seen INTEGER NOT NULL);"
	"CREATE TABLE story_keys ("
	" key TEXT PRIMARY KEY,"
	" story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE"
	") WITHOUT ROWID;"
	"CREATE INDEX story_keys_story ON story_keys(story_id);"
	"ALTER TABLE entries ADD COLUMN story_id INTEGER"
	" REFERENCES stories(id);"
	"CREATE INDEX entries_story ON entries(story_id, id);";

static int migrate_v2(struct archive *a)
{
	return arc_backfill_stories(a);
}

/* Story keys as 64-bit numbers (arc_story_key_id of the text key kept
 * before): 8 bytes a key, not 40 to 80, in a rowid table. Each new entry
 * writes two keys at places no other entry is near (hashes), so each
 * commit rewrites pages all over the table: a quarter of the size, it
 * saved 0.5 s of the writer's 9 in a cold fetch of 2,000 feeds. */
static const char schema_v8[] =
	"CREATE TABLE story_ids ("
	" key INTEGER PRIMARY KEY,"
	" story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE"
	");";

static int migrate_v8(struct archive *a)
{
	sqlite3_stmt *rd = NULL, *wr = NULL;
	int rc = sqlite3_prepare_v2(a->db, "SELECT key, story_id FROM "
	                            "story_keys", -1, &rd, NULL);
	if (rc == SQLITE_OK)
		/* (a key whose story is gone, which only a hand at the sqlite3
		 * shell makes, is left behind: its row would fail the foreign
		 * key, and the migration with it, on every open) */
		rc = sqlite3_prepare_v2(a->db, "INSERT OR IGNORE INTO story_ids"
		                        "(key, story_id) SELECT ?1, ?2 WHERE "
		                        "EXISTS (SELECT 1 FROM stories WHERE "
		                        "id = ?2)", -1, &wr, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(rd)) == SQLITE_ROW) {
		/* "l:…" and "t:…" from an earlier warta; a number from this
		 * one's story backfill (migration 2), stored there as text;
		 * anything else is hashed as the text keys are */
		const char *k = (const char *)sqlite3_column_text(rd, 0);
		const char *p = k && *k == '-' ? k + 1 : k;
		while (p && *p >= '0' && *p <= '9')
			p++;
		int number = k && p && !*p && p > k && p[-1] != '-';
		int64_t id = number ? sqlite3_column_int64(rd, 0)
		             : arc_story_key_id(k ? k : "");
		sqlite3_bind_int64(wr, 1, id);
		sqlite3_bind_int64(wr, 2, sqlite3_column_int64(rd, 1));
		rc = sqlite3_step(wr);
		sqlite3_reset(wr);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE)
		arc_fail(a, "renumber the story keys");
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	if (rc != SQLITE_DONE)
		return -1;
	return arc_exec(a, "DROP TABLE story_keys;"
	                   "ALTER TABLE story_ids RENAME TO story_keys;"
	                   "CREATE INDEX story_keys_story ON "
	                   "story_keys(story_id);");
}

/* One row per schema version, in order; see archive.h to add one. */
static const struct migration {
	const char *sql;
	int (*fn)(struct archive *a);
} migrations[] = {
	{schema_v1, NULL},
	{schema_v2, migrate_v2},
	{search_schema, NULL},      /* 3: the full-text index (search.h) */
	{search_schema_v4, NULL},   /* 4: its filters, its second tokenizer */
	{search_schema_v5, NULL},   /* 5: new entries indexed by ingest */
	{search_schema_v6, NULL},   /* 6: FTS5 merges 8 segments, not 4 */
	{search_schema_v7, NULL},   /* 7: and then 16 */
	{schema_v8, migrate_v8},    /* 8: story keys as numbers */
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(NMIGRATIONS == ARCHIVE_SCHEMA, "ARCHIVE_SCHEMA is stale");

/* Run on every connection before anything else (e.g. registering an FTS5
 * tokenizer that triggers and migrations use). */
static int (*const connection_hooks[])(sqlite3 *db) = {
	tokenizer_register,
	rank_register,
	NULL,
};

/* ---- statements, errors, transactions ---------------------------------- */

static int damaged_code(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

int arc_fail(struct archive *a, const char *what)
{
	a->nfail++;
	int rc = sqlite3_extended_errcode(a->db);
	const char *msg = sqlite3_errmsg(a->db);
	if (damaged_code(rc))
		warnmsg("archive damaged: %s: %s", a->path, msg);
	else if ((rc & 0xff) == SQLITE_BUSY)
		warnmsg("archive %s is busy (another warta holds it): %s",
		        a->path, msg);
	else if ((rc & 0xff) == SQLITE_READONLY ||
	         (rc & 0xff) == SQLITE_CANTOPEN ||
	         (rc & 0xff) == SQLITE_PERM)
		warnmsg("archive %s cannot be written: %s", a->path, msg);
	else if ((rc & 0xff) == SQLITE_FULL)
		warnmsg("archive %s: the disk is full", a->path);
	else
		warnmsg("archive %s: %s: %s", a->path, what, msg);
	return -1;
}

sqlite3_stmt *arc_prep(struct archive *a, const char *sql)
{
	for (int i = 0; i < a->nst; i++) {
		if (a->sql[i] == sql) {
			sqlite3_reset(a->st[i]);
			sqlite3_clear_bindings(a->st[i]);
			return a->st[i];
		}
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(a->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	                       NULL) != SQLITE_OK) {
		arc_fail(a, "prepare");
		return NULL;
	}
	if (a->nst == ARC_MAX_STMTS)
		abort();      /* a programming error: raise ARC_MAX_STMTS */
	a->sql[a->nst] = sql;
	a->st[a->nst++] = st;
	return st;
}

int arc_exec(struct archive *a, const char *sql)
{
	if (sqlite3_exec(a->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return arc_fail(a, "exec");
	return 0;
}

static void turn_end(struct archive *a)
{
	if (a->turns == ARC_TURNS_TAKE)
		lock_turn_hold(a->turn_fd, 0);
}

static int begin(struct archive *a, int flat)
{
	char sp[32];
	if (a->depth >= ARC_MAX_DEPTH) {
		warnmsg("archive: transactions nested too deep");
		return -1;
	}
	int d = a->depth;
	a->flat_at[d] = d > 0 && (flat || a->flat_at[d - 1]);
	if (d > 0 && a->doomed)
		return -1;
	if (d == 0) {
		if (a->turn_fd < 0)   /* (none until a fetch has run) */
			a->turn_fd = lock_turn_open(a->path);
		if (a->turns == ARC_TURNS_TAKE) {
			lock_turn_hold(a->turn_fd, 1);
		} else if (a->turns == ARC_TURNS_GIVE &&
		           lock_turn_give(a->turn_fd, ARC_BUSY_MS) < 0) {
			warnmsg("archive %s: another writer has held its turn "
			        "for %d s; not waiting for it again", a->path,
			        ARC_BUSY_MS / 1000);
			a->turns = ARC_TURNS_NONE;
		}
		checkpoint_between(a->ckpt);
		if (arc_exec(a, "BEGIN IMMEDIATE") < 0) {
			turn_end(a);
			return -1;
		}
		a->unindexed = 0;
		arc_pretok_cut(a, 0);
		a->doomed = 0;
	} else if (!a->flat_at[d]) {
		snprintf(sp, sizeof sp, "SAVEPOINT s%d", a->depth);
		if (arc_exec(a, sp) < 0)
			return -1;
	}
	a->unindexed_at[d] = a->unindexed;
	a->npretok_at[d] = a->npretok;
	a->changes_at[d] = sqlite3_total_changes(a->db);
	a->nfail_at[d] = a->nfail;
	a->depth++;
	return 0;
}

int arc_begin(struct archive *a)
{
	return begin(a, 0);
}

int arc_begin_flat(struct archive *a)
{
	return begin(a, 1);
}

void arc_pretok_keep(struct archive *a, int64_t id,
                     const struct tokenizer_tape tape[2])
{
	/* (a column is taped when its text's length is set, even if the
	 * tape is empty: a title of only "…" has no words) */
	if ((!tape[0].text_len && !tape[1].text_len) ||
	    a->tapes.len + tape[0].len + tape[1].len > ARC_TAPES_MAX)
		return;   /* (past the cap, tokenized at the commit) */
	if (a->npretok == a->pretok_cap) {
		a->pretok_cap = a->pretok_cap ? a->pretok_cap * 2 : 256;
		a->pretok = xrealloc(a->pretok,
		                     a->pretok_cap * sizeof *a->pretok);
	}
	struct tokenizer_tape *t = &a->tapes;
	size_t need = t->len + tape[0].len + tape[1].len;
	if (need > t->cap) {
		t->cap = t->cap ? t->cap : 64 * 1024;
		while (t->cap < need)
			t->cap *= 2;
		t->p = xrealloc(t->p, t->cap);
	}
	struct arc_pretok *pt = &a->pretok[a->npretok++];
	pt->id = id;
	for (int k = 0; k < 2; k++) {
		pt->off[k] = t->len;
		pt->n[k] = tape[k].len;
		pt->len[k] = tape[k].text_len;
		if (tape[k].len)
			memcpy(t->p + t->len, tape[k].p, tape[k].len);
		t->len += tape[k].len;
	}
}

size_t archive_tapes_held(const struct archive *a)
{
	return a->tapes.len;
}

void arc_pretok_cut(struct archive *a, size_t n)
{
	if (n >= a->npretok)
		return;
	a->npretok = n;
	a->tapes.len = n ? a->pretok[n - 1].off[1] + a->pretok[n - 1].n[1]
	                 : 0;
	if (!n && a->tapes.cap > ARC_TAPES_MAX / 2) {
		/* (a fetch's group keeps under 8 MiB, reused from one to the
		 * next; a bigger one is not kept) */
		tokenizer_tape_free(&a->tapes);
	}
}

int arc_index_pending(struct archive *a)
{
	if (!a->unindexed)
		return 0;
	sqlite3_stmt *rd = arc_prep(a, search_pending_sql);
	sqlite3_stmt *wr = arc_prep(a, search_index_sql);
	if (!rd || !wr)
		return -1;
	sqlite3_bind_int64(rd, 1, a->unindexed);
	int rc;
	size_t next = 0;   /* the pretok list, walked beside the rows */
	while ((rc = sqlite3_step(rd)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(rd, 0);
		for (int i = 0; i < sqlite3_column_count(rd); i++)
			sqlite3_bind_value(wr, i + 1, sqlite3_column_value(rd, i));
		while (next < a->npretok && a->pretok[next].id < id)
			next++;
		struct tokenizer_replay r = {0};
		struct tokenizer_tape tape[2] = {{0}};
		if (next < a->npretok && a->pretok[next].id == id) {
			struct arc_pretok *pt = &a->pretok[next];
			for (int k = 0; k < 2; k++) {
				tape[k].p = pt->n[k] ? a->tapes.p + pt->off[k]
				                     : NULL;
				tape[k].len = pt->n[k];
				tape[k].text_len = pt->len[k];
				r.tape[k] = pt->len[k] ? &tape[k] : NULL;
			}
			tokenizer_replay(&r);
		}
		rc = sqlite3_step(wr);
		tokenizer_replay(NULL);
		sqlite3_reset(wr);
		if (rc != SQLITE_DONE)
			break;
	}
	if (rc != SQLITE_DONE) {
		arc_fail(a, "index new entries");   /* (before the reset) */
		sqlite3_reset(rd);
		return -1;
	}
	sqlite3_reset(rd);
	a->unindexed = 0;
	arc_pretok_cut(a, 0);
	/* (a savepoint open now that rolls back has none of them left) */
	for (int d = 0; d < a->depth; d++)
		a->npretok_at[d] = 0;
	return 0;
}

int arc_index_pending_feed(struct archive *a, int64_t feed_id)
{
	static const char sql[] =
		"SELECT 1 FROM entries WHERE feed_id = ?1 AND id >= ?2 LIMIT 1";
	if (!a->unindexed)
		return 0;
	sqlite3_stmt *st = arc_prep(a, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_int64(st, 2, a->unindexed);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return arc_index_pending(a);
	return rc == SQLITE_DONE ? 0 : arc_fail(a, "find new entries");
}

int arc_commit(struct archive *a)
{
	char sp[32];
	if (a->depth <= 0)
		return 0;
	if (a->depth == 1) {
		if (sqlite3_get_autocommit(a->db)) {
			/* SQLite rolled it back after an error (disk full),
			 * which was reported then */
			a->depth = 0;
			a->unindexed = 0;
			arc_pretok_cut(a, 0);
			turn_end(a);
			return -1;
		}
		if (a->doomed) {
			if (a->doomed == 2)
				warnmsg("archive %s: writes inside a transaction "
				        "had to be undone alone, which it cannot "
				        "do: none of it is kept", a->path);
			arc_rollback(a);
			return -1;
		}
		if (arc_index_pending(a) < 0) {
			arc_rollback(a);
			return -1;
		}
		if (sqlite3_exec(a->db, "COMMIT", NULL, NULL, NULL) !=
		    SQLITE_OK) {
			arc_fail(a, "commit");
			arc_rollback(a);
			return -1;
		}
		a->depth = 0;
		turn_end(a);
		return 0;
	}
	if (a->doomed)
		return -1;    /* (the caller rolls this level back) */
	if (a->flat_at[a->depth - 1]) {
		a->depth--;
		return 0;
	}
	snprintf(sp, sizeof sp, "RELEASE s%d", a->depth - 1);
	if (arc_exec(a, sp) < 0)
		return -1;
	a->depth--;
	return 0;
}

void arc_rollback(struct archive *a)
{
	char sp[48];
	if (a->depth <= 0)
		return;
	int d = a->depth - 1;
	if (a->flat_at[d]) {
		/* nothing to undo, or only the whole transaction can */
		if (!a->doomed && a->nfail != a->nfail_at[d])
			a->doomed = 1;
		else if (!a->doomed &&
		         sqlite3_total_changes(a->db) != a->changes_at[d])
			a->doomed = 2;
		a->depth--;
		return;
	}
	/* what was unindexed when this level opened is again, the index
	 * rows written inside it (if any) being rolled back too */
	a->unindexed = a->unindexed_at[a->depth - 1];
	arc_pretok_cut(a, a->npretok_at[a->depth - 1]);
	if (a->depth == 1) {
		/* Fails harmlessly when SQLite already rolled back. */
		sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
		a->depth = 0;
		a->doomed = 0;
		turn_end(a);
		return;
	}
	snprintf(sp, sizeof sp, "ROLLBACK TO s%d", a->depth - 1);
	sqlite3_exec(a->db, sp, NULL, NULL, NULL);
	snprintf(sp, sizeof sp, "RELEASE s%d", a->depth - 1);
	sqlite3_exec(a->db, sp, NULL, NULL, NULL);
	a->depth--;
}

int archive_begin(struct archive *a) { return arc_begin(a); }
int archive_begin_flat(struct archive *a) { return arc_begin_flat(a); }
int archive_commit(struct archive *a) { return arc_commit(a); }
void archive_rollback(struct archive *a) { arc_rollback(a); }

void arc_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (str_empty(s))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

void arc_bind_int(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

char *arc_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	if (!s)
		return NULL;
	return xstrndup((const char *)s, (size_t)sqlite3_column_bytes(st, i));
}

/* ---- open and migrate -------------------------------------------------- */

static int pragma_int(struct archive *a, const char *sql, int64_t *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(a->db, sql, -1, &st, NULL) != SQLITE_OK)
		return arc_fail(a, "read the schema");
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return arc_fail(a, "read the schema");
	return 0;
}

static int set_wal(struct archive *a)
{
	sqlite3_stmt *st;
	const char *mode = "";
	/* Asking first: a reader opening an archive that is in WAL already
	 * must not take any lock a running fetch holds. */
	if (sqlite3_prepare_v2(a->db, "PRAGMA journal_mode", -1, &st, NULL) !=
	    SQLITE_OK)
		return arc_fail(a, "journal mode");
	if (sqlite3_step(st) == SQLITE_ROW)
		mode = (const char *)sqlite3_column_text(st, 0);
	int wal = mode && strcmp(mode, "wal") == 0;
	sqlite3_finalize(st);
	if (wal)
		return 0;
	if (sqlite3_prepare_v2(a->db, "PRAGMA journal_mode=WAL", -1, &st,
	                       NULL) != SQLITE_OK)
		return arc_fail(a, "journal mode");
	int rc = sqlite3_step(st);
	mode = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "";
	wal = mode && strcmp(mode, "wal") == 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return arc_fail(a, "switch to WAL");
	if (!wal) {
		warnmsg("archive %s: cannot use WAL mode here (a network file "
		        "system?)", a->path);
		return -1;
	}
	return 0;
}

static int migrate(struct archive *a, int target)
{
	int64_t v = 0;
	if (pragma_int(a, "PRAGMA user_version", &v) < 0)
		return -1;
	if (v >= target)
		return 0;
	if (arc_begin(a) < 0)
		return -1;
	/* Again under the write lock: another warta may have just done it. */
	if (pragma_int(a, "PRAGMA user_version", &v) < 0)
		goto fail;
	for (int i = (int)v; i < target; i++) {
		char pragma[64];
		if (arc_exec(a, migrations[i].sql) < 0)
			goto fail;
		if (migrations[i].fn && migrations[i].fn(a) < 0)
			goto fail;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
		         i + 1);
		if (arc_exec(a, pragma) < 0)
			goto fail;
	}
	char appid[64];
	snprintf(appid, sizeof appid, "PRAGMA application_id = %d",
	         ARC_APPLICATION_ID);
	if (arc_exec(a, appid) < 0)
		goto fail;
	if (arc_commit(a) < 0)
		return -1;
	return 0;
fail:
	arc_rollback(a);
	return -1;
}

/* What the file is before anything is written to it. */
static int check_file(struct archive *a, int target)
{
	int64_t appid = 0, version = 0, tables = 0;
	if (pragma_int(a, "PRAGMA application_id", &appid) < 0 ||
	    pragma_int(a, "PRAGMA user_version", &version) < 0 ||
	    pragma_int(a, "SELECT count(*) FROM sqlite_master", &tables) < 0)
		return -1;
	if (appid != ARC_APPLICATION_ID && (appid != 0 || tables != 0)) {
		warnmsg("archive damaged: %s: not a warta archive (another "
		        "program's SQLite file?)", a->path);
		return -1;
	}
	if (version > ARCHIVE_SCHEMA) {
		warnmsg("archive %s was written by a newer warta (schema %d; "
		        "this warta %s knows %d): upgrade warta, the archive is "
		        "left as it is", a->path, (int)version, WARTA_VERSION,
		        ARCHIVE_SCHEMA);
		return -1;
	}
	(void)target;
	return 0;
}

/* For tests only: WARTA_MAX_PAGES=N caps the file at N pages (PRAGMA
 * max_page_count), so that a full disk can be simulated. Not for users:
 * README's "Reliability" names it as a test knob. */
static int test_max_pages(struct archive *a)
{
	const char *v = getenv("WARTA_MAX_PAGES");
	if (!v || !*v)
		return 0;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld",
	         strtoll(v, NULL, 10));
	return arc_exec(a, sql);
}

void archive_sqlite_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct archive *archive_open_version(const char *path, int version)
{
	struct stat sb;
	if (version < 1 || version > ARCHIVE_SCHEMA)
		abort();
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			warnmsg("archive %s is a folder, not a file", path);
			return NULL;
		}
	} else if (errno == ENOENT) {
		if (mkdir_parents(path, 0700) < 0) {
			warnmsg("archive %s: cannot create its folder: %s", path,
			        strerror(errno));
			return NULL;
		}
		/* Created here, owner-only, before SQLite sees it: its WAL
		 * and shm files copy these permissions. */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		              0600);
		if (fd < 0 && errno != EEXIST) {
			warnmsg("archive %s cannot be created: %s", path,
			        strerror(errno));
			return NULL;
		}
		if (fd >= 0)
			close(fd);
	} else {
		warnmsg("archive %s: %s", path, strerror(errno));
		return NULL;
	}

	struct archive *a = xcalloc(1, sizeof *a);
	a->path = xstrdup(path);
	a->turn_fd = -1;
	if (sqlite3_open_v2(path, &a->db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		if (a->db)
			arc_fail(a, "open");
		else
			warnmsg("archive %s: cannot open", path);
		archive_close(a);
		return NULL;
	}
	sqlite3_extended_result_codes(a->db, 1);
	sqlite3_busy_timeout(a->db, ARC_BUSY_MS);
	for (size_t i = 0; connection_hooks[i]; i++) {
		if (connection_hooks[i](a->db) != SQLITE_OK) {
			arc_fail(a, "set up the connection");
			archive_close(a);
			return NULL;
		}
	}
	if (check_file(a, version) < 0 || set_wal(a) < 0 ||
	    arc_exec(a, "PRAGMA synchronous=NORMAL;"
	                "PRAGMA foreign_keys=ON;"
	                "PRAGMA temp_store=MEMORY;"
	                "PRAGMA cache_size=-16000;"
	                /* the WAL cut back after checkpoints */
	                "PRAGMA journal_size_limit=67108864") < 0 ||
	    /* fewer, larger checkpoints (each one fsyncs) */
	    sqlite3_wal_autocheckpoint(a->db, ARC_CHECKPOINT_PAGES) !=
	    SQLITE_OK ||
	    test_max_pages(a) < 0 || migrate(a, version) < 0) {
		archive_close(a);
		return NULL;
	}
	a->schema = version;
	return a;
}

struct archive *archive_open(const char *path)
{
	return archive_open_version(path, ARCHIVE_SCHEMA);
}

void archive_close(struct archive *a)
{
	if (!a)
		return;
	arc_rollback(a);
	checkpoint_stop(a->ckpt, 0);
	if (a->turn_fd >= 0)
		close(a->turn_fd);
	for (int i = 0; i < a->nst; i++)
		sqlite3_finalize(a->st[i]);
	if (a->db)
		sqlite3_close(a->db);
	free(a->pretok);
	tokenizer_tape_free(&a->tapes);
	free(a->path);
	free(a);
}

int archive_background_checkpoints(struct archive *a)
{
	a->turns = ARC_TURNS_GIVE;
	if (!a->ckpt)
		a->ckpt = checkpoint_start(a->db, a->path, ARC_CHECKPOINT_PAGES,
		                           ARC_BUSY_MS);
	return a->ckpt ? 0 : -1;
}

long archive_checkpoints_run(struct archive *a)
{
	return a->ckpt ? checkpoint_count(a->ckpt) : -1;
}

sqlite3 *archive_db(struct archive *a) { return a->db; }
const char *archive_path(const struct archive *a) { return a->path; }

int archive_schema_version(struct archive *a)
{
	int64_t v = -1;
	if (pragma_int(a, "PRAGMA user_version", &v) < 0)
		return -1;
	return (int)v;
}

/* ---- canonical URLs ---------------------------------------------------- */

static void lower_ascii(char *s)
{
	for (; s && *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

char *archive_canon(const char *s)
{
	if (!s)
		return NULL;
	char *trimmed = str_trim_dup(s, strlen(s));
	if (!trimmed)
		return xstrdup("");
	if (!str_ihas_prefix(trimmed, "http://") &&
	    !str_ihas_prefix(trimmed, "https://"))
		return trimmed;
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL, *path = NULL, *query = NULL;
	char *frag = NULL, *user = NULL;
	char *out = NULL;
	if (!u)
		return trimmed;
	if (curl_url_set(u, CURLUPART_URL, trimmed, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto done;
	curl_url_get(u, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0);
	curl_url_get(u, CURLUPART_USER, &user, 0);
	lower_ascii(host);
	/* http://x:443/ and https://x:80/ are odd but the same site: with
	 * the scheme gone, both default ports are dropped. */
	if (port && (strcmp(port, "80") == 0 || strcmp(port, "443") == 0)) {
		curl_free(port);
		port = NULL;
	}
	size_t plen = path ? strlen(path) : 0;
	while (plen && path[plen - 1] == '/')
		path[--plen] = '\0';
	struct buf b = {0};
	buf_puts(&b, "//");
	if (user) {
		buf_puts(&b, user);
		buf_putc(&b, '@');
	}
	buf_puts(&b, host);
	if (port) {
		buf_putc(&b, ':');
		buf_puts(&b, port);
	}
	if (plen)
		buf_puts(&b, path);
	if (query) {
		buf_putc(&b, '?');
		buf_puts(&b, query);
	}
	if (frag) {
		buf_putc(&b, '#');
		buf_puts(&b, frag);
	}
	out = buf_steal(&b);
done:
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	curl_free(frag);
	curl_free(user);
	curl_url_cleanup(u);
	if (out) {
		free(trimmed);
		return out;
	}
	return trimmed;
}

/* ---- feeds -------------------------------------------------------------- */

void arc_feed_clear(struct arc_feed *f)
{
	free(f->url);
	free(f->title);
	free(f->feed_title);
	free(f->site_url);
	for (size_t i = 0; i < f->ntags; i++)
		free(f->tags[i]);
	free(f->tags);
	free(f->etag);
	free(f->last_modified);
	free(f->last_error);
	free(f->redirect_to);
	memset(f, 0, sizeof *f);
}

const char *arc_feed_name(const struct arc_feed *f)
{
	if (!str_empty(f->title))
		return f->title;
	if (!str_empty(f->feed_title))
		return f->feed_title;
	/* a URL's password is not a name to show (SECURITY.md); valid
	 * until the next call in this thread */
	static _Thread_local char ub[2048];
	return url_redact_buf(f->url, ub, sizeof ub);
}

const char *arc_feed_state(const struct arc_feed *f)
{
	if (f->removed)
		return "removed";
	if (f->gone)
		return "gone";
	if (!f->last_fetch)
		return "new";
	if (f->failures > 0 || f->last_error)
		return "failing";
	return "ok";
}

#define FEED_COLS                                                          \
	"id, url, title, feed_title, site_url, added, removed, insecure, "  \
	"etag, last_modified, body_hash, last_fetch, last_status, last_ok, " \
	"next_due, failures, last_error, gone, ttl, redirect_to, "          \
	"redirect_seen, (SELECT count(*) FROM entries WHERE feed_id = "     \
	"feeds.id), (SELECT json_group_array(tag) FROM (SELECT tag FROM "   \
	"feed_tags WHERE feed_id = feeds.id ORDER BY tag))"

static void read_feed(sqlite3_stmt *st, struct arc_feed *f)
{
	arc_feed_clear(f);
	f->id = sqlite3_column_int64(st, 0);
	f->url = arc_col_dup(st, 1);
	f->title = arc_col_dup(st, 2);
	f->feed_title = arc_col_dup(st, 3);
	f->site_url = arc_col_dup(st, 4);
	f->added = sqlite3_column_int64(st, 5);
	f->removed = sqlite3_column_int64(st, 6);
	f->insecure = sqlite3_column_int(st, 7);
	f->etag = arc_col_dup(st, 8);
	f->last_modified = arc_col_dup(st, 9);
	if (sqlite3_column_bytes(st, 10) == 32) {
		memcpy(f->body_hash, sqlite3_column_blob(st, 10), 32);
		f->has_body_hash = 1;
	}
	f->last_fetch = sqlite3_column_int64(st, 11);
	f->last_status = sqlite3_column_int(st, 12);
	f->last_ok = sqlite3_column_int64(st, 13);
	f->next_due = sqlite3_column_int64(st, 14);
	f->failures = sqlite3_column_int(st, 15);
	f->last_error = arc_col_dup(st, 16);
	f->gone = sqlite3_column_int(st, 17);
	f->ttl = sqlite3_column_int64(st, 18);
	f->redirect_to = arc_col_dup(st, 19);
	f->redirect_seen = sqlite3_column_int(st, 20);
	f->entries = sqlite3_column_int64(st, 21);
	arc_unjson_strings((const char *)sqlite3_column_text(st, 22), &f->tags,
	                   &f->ntags);
}

static const char sql_feed_by_id[] =
	"SELECT " FEED_COLS " FROM feeds WHERE id = ?";
static const char sql_feed_by_key[] =
	"SELECT " FEED_COLS " FROM feeds WHERE url_key = ?";

static int feed_lookup(struct archive *a, const char *sql,
                       void (*bind)(sqlite3_stmt *, const void *),
                       const void *arg, struct arc_feed *f)
{
	sqlite3_stmt *st = arc_prep(a, sql);
	if (!st)
		return -1;
	bind(st, arg);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_feed(st, f);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return arc_fail(a, "read a feed");
	return 0;
}

static void bind_id(sqlite3_stmt *st, const void *arg)
{
	sqlite3_bind_int64(st, 1, *(const int64_t *)arg);
}

static void bind_str(sqlite3_stmt *st, const void *arg)
{
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
}

int archive_feed_get(struct archive *a, int64_t id, struct arc_feed *f)
{
	return feed_lookup(a, sql_feed_by_id, bind_id, &id, f);
}

static int all_digits(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int archive_feed_find(struct archive *a, const char *spec,
                      struct arc_feed *f)
{
	if (all_digits(spec)) {
		char *end;
		errno = 0;
		long long id = strtoll(spec, &end, 10);
		if (errno)
			return 0;
		int64_t v = id;
		return archive_feed_get(a, v, f);
	}
	char *key = archive_canon(spec);
	int rc = feed_lookup(a, sql_feed_by_key, bind_str, key, f);
	free(key);
	return rc;
}

static int step_done(struct archive *a, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return arc_fail(a, what);
	return 0;
}

static int add_tags(struct archive *a, int64_t id, const char *const *tags,
                    size_t n)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO feed_tags(feed_id, tag) VALUES (?, ?)";
	for (size_t i = 0; i < n; i++) {
		char *t = str_trim_dup(tags[i], strlen(tags[i]));
		if (!t)
			continue;
		sqlite3_stmt *st = arc_prep(a, sql);
		if (!st) {
			free(t);
			return -1;
		}
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, t, -1, SQLITE_TRANSIENT);
		free(t);
		if (step_done(a, st, "tag a feed") < 0)
			return -1;
	}
	return 0;
}

int archive_feed_add(struct archive *a, const struct arc_new_feed *nf,
                     int merge_tags, int64_t *id)
{
	static const char sql_find[] =
		"SELECT id, removed, title FROM feeds WHERE url_key = ?";
	static const char sql_insert[] =
		"INSERT INTO feeds(url, url_key, title, added, insecure) "
		"VALUES (?, ?, ?, ?, ?)";
	static const char sql_url[] =
		"INSERT INTO feed_urls(feed_id, url, since, why) "
		"VALUES (?, ?, ?, 'added')";
	static const char sql_revive[] =
		"UPDATE feeds SET removed = NULL, next_due = 0, "
		"title = coalesce(?2, title), "
		"insecure = CASE WHEN ?3 THEN 1 ELSE insecure END WHERE id = ?1";
	static const char sql_title[] =
		"UPDATE feeds SET title = ?2 WHERE id = ?1 AND title IS NULL";
	int64_t now = now_utc();
	char *key = archive_canon(nf->url);
	int result = -1;
	if (arc_begin(a) < 0) {
		free(key);
		return -1;
	}
	sqlite3_stmt *st = arc_prep(a, sql_find);
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		int removed = sqlite3_column_type(st, 1) != SQLITE_NULL;
		sqlite3_reset(st);
		if (arc_index_pending_feed(a, *id) < 0)   /* it may be renamed */
			goto fail;
		if (removed) {
			st = arc_prep(a, sql_revive);
			if (!st)
				goto fail;
			sqlite3_bind_int64(st, 1, *id);
			arc_bind_text(st, 2, nf->title);
			sqlite3_bind_int(st, 3, nf->insecure);
			if (step_done(a, st, "subscribe") < 0 ||
			    add_tags(a, *id, nf->tags, nf->ntags) < 0)
				goto fail;
			result = ARC_REVIVED;
		} else {
			if (merge_tags) {
				if (add_tags(a, *id, nf->tags, nf->ntags) < 0)
					goto fail;
				if (!str_empty(nf->title)) {
					st = arc_prep(a, sql_title);
					if (!st)
						goto fail;
					sqlite3_bind_int64(st, 1, *id);
					arc_bind_text(st, 2, nf->title);
					if (step_done(a, st, "subscribe") < 0)
						goto fail;
				}
			}
			result = ARC_EXISTS;
		}
	} else if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		st = arc_prep(a, sql_insert);
		if (!st)
			goto fail;
		sqlite3_bind_text(st, 1, nf->url, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
		arc_bind_text(st, 3, nf->title);
		sqlite3_bind_int64(st, 4, now);
		sqlite3_bind_int(st, 5, nf->insecure ? 1 : 0);
		if (step_done(a, st, "subscribe") < 0)
			goto fail;
		*id = sqlite3_last_insert_rowid(a->db);
		st = arc_prep(a, sql_url);
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_text(st, 2, nf->url, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, now);
		if (step_done(a, st, "subscribe") < 0 ||
		    add_tags(a, *id, nf->tags, nf->ntags) < 0)
			goto fail;
		result = ARC_ADDED;
	} else {
		sqlite3_reset(st);
		arc_fail(a, "subscribe");
		goto fail;
	}
	free(key);
	if (arc_commit(a) < 0)
		return -1;
	return result;
fail:
	free(key);
	arc_rollback(a);
	return -1;
}

int archive_feed_remove(struct archive *a, int64_t id, int purge)
{
	static const char sql_unsub[] =
		"UPDATE feeds SET removed = ?2 WHERE id = ?1";
	static const char sql_stories[] =
		"CREATE TEMP TABLE IF NOT EXISTS purge_stories"
		"(id INTEGER PRIMARY KEY)";
	static const char sql_keep[] =
		"INSERT OR IGNORE INTO temp.purge_stories "
		"SELECT story_id FROM entries WHERE feed_id = ? "
		"AND story_id IS NOT NULL";
	static const char sql_del_feed[] = "DELETE FROM feeds WHERE id = ?";
	static const char sql_orphans[] =
		"DELETE FROM stories WHERE id IN (SELECT id FROM "
		"temp.purge_stories) AND NOT EXISTS (SELECT 1 FROM entries "
		"WHERE story_id = stories.id)";
	sqlite3_stmt *st;
	if (arc_begin(a) < 0)
		return -1;
	if (arc_index_pending_feed(a, id) < 0)
		goto fail;
	if (!purge) {
		st = arc_prep(a, sql_unsub);
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, now_utc());
		if (step_done(a, st, "unsubscribe") < 0)
			goto fail;
		return arc_commit(a);
	}
	if (arc_exec(a, sql_stories) < 0 ||
	    arc_exec(a, "DELETE FROM temp.purge_stories") < 0)
		goto fail;
	st = arc_prep(a, sql_keep);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (step_done(a, st, "purge") < 0)
		goto fail;
	/* entries, revisions, tags, URL history and log go by cascade */
	st = arc_prep(a, sql_del_feed);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (step_done(a, st, "purge") < 0)
		goto fail;
	st = arc_prep(a, sql_orphans);
	if (!st)
		goto fail;
	if (step_done(a, st, "purge") < 0 ||
	    arc_exec(a, "DELETE FROM temp.purge_stories") < 0)
		goto fail;
	return arc_commit(a);
fail:
	arc_rollback(a);
	return -1;
}

int archive_feeds_each(struct archive *a, int only_due, int64_t now,
                       int (*cb)(void *ctx, const struct arc_feed *f),
                       void *ctx)
{
	static const char sql_all[] =
		"SELECT " FEED_COLS " FROM feeds WHERE removed IS NULL "
		"ORDER BY id";
	static const char sql_due[] =
		"SELECT " FEED_COLS " FROM feeds WHERE removed IS NULL "
		"AND gone = 0 AND next_due <= ? ORDER BY id";
	/* Not the cached statement: the callback may use the archive (the
	 * fetch command ingests while it walks the list). */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(a->db, only_due ? sql_due : sql_all, -1, &st,
	                       NULL) != SQLITE_OK)
		return arc_fail(a, "list feeds");
	if (only_due)
		sqlite3_bind_int64(st, 1, now);
	struct arc_feed f = {0};
	int rc, ret = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_feed(st, &f);
		if (cb(ctx, &f))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = arc_fail(a, "list feeds");
	arc_feed_clear(&f);
	sqlite3_finalize(st);
	return ret;
}

/* ---- the outcome of a fetch --------------------------------------------- */

static int adopt_url(struct archive *a, int64_t feed_id, const char *url,
                     int64_t now)
{
	static const char sql_close[] =
		"UPDATE feed_urls SET until = ?2 WHERE feed_id = ?1 "
		"AND until IS NULL";
	static const char sql_open[] =
		"INSERT INTO feed_urls(feed_id, url, since, why) "
		"VALUES (?, ?, ?, 'permanent redirect')";
	static const char sql_set[] =
		"UPDATE OR IGNORE feeds SET url = ?2, url_key = ?3 WHERE id = ?1";
	char *key = archive_canon(url);
	/* the URL is the name of a feed with no title */
	if (arc_index_pending_feed(a, feed_id) < 0)
		goto fail;
	sqlite3_stmt *st = arc_prep(a, sql_set);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_text(st, 2, url, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_TRANSIENT);
	if (step_done(a, st, "change a feed's URL") < 0)
		goto fail;
	if (sqlite3_changes(a->db) == 0) {
		/* another subscription has that URL already */
		free(key);
		return 0;
	}
	st = arc_prep(a, sql_close);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_int64(st, 2, now);
	if (step_done(a, st, "change a feed's URL") < 0)
		goto fail;
	st = arc_prep(a, sql_open);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_text(st, 2, url, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, now);
	if (step_done(a, st, "change a feed's URL") < 0)
		goto fail;
	free(key);
	return 0;
fail:
	free(key);
	return -1;
}

int arc_write_fetch(struct archive *a, int64_t feed_id,
                    const struct arc_fetch *fx, const struct arc_counts *c,
                    const char *warnings_json)
{
	static const char sql_log[] =
		"INSERT INTO fetch_log(feed_id, time, url, status, bytes, "
		"duration_ms, new, updated, unchanged, error, warnings) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char sql_state[] =
		"UPDATE feeds SET last_fetch = ?2, last_status = ?3, "
		"last_ok = CASE WHEN ?4 IS NULL THEN ?2 ELSE last_ok END, "
		"last_error = ?4, next_due = ?5, failures = ?6, gone = ?7, "
		"ttl = coalesce(?8, ttl), "
		"etag = CASE WHEN ?9 THEN ?10 ELSE etag END, "
		"last_modified = CASE WHEN ?9 THEN ?11 ELSE last_modified END, "
		"body_hash = coalesce(?12, body_hash), "
		"redirect_to = ?13, redirect_seen = ?14 WHERE id = ?1";
	sqlite3_stmt *st = arc_prep(a, sql_log);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_int64(st, 2, fx->time);
	sqlite3_bind_text(st, 3, fx->url ? fx->url : "", -1, SQLITE_TRANSIENT);
	arc_bind_int(st, 4, fx->status);
	sqlite3_bind_int64(st, 5, fx->bytes);
	sqlite3_bind_int64(st, 6, fx->duration_ms);
	sqlite3_bind_int64(st, 7, c ? c->fresh : 0);
	sqlite3_bind_int64(st, 8, c ? c->updated : 0);
	sqlite3_bind_int64(st, 9, c ? c->unchanged : 0);
	arc_bind_text(st, 10, fx->error);
	arc_bind_text(st, 11, warnings_json);
	if (step_done(a, st, "write the fetch log") < 0)
		return -1;
	if (fx->log_only)
		return 0;
	st = arc_prep(a, sql_state);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_int64(st, 2, fx->time);
	arc_bind_int(st, 3, fx->status);
	arc_bind_text(st, 4, fx->error);
	sqlite3_bind_int64(st, 5, fx->next_due);
	sqlite3_bind_int(st, 6, fx->failures);
	sqlite3_bind_int(st, 7, fx->gone ? 1 : 0);
	arc_bind_int(st, 8, fx->ttl);
	sqlite3_bind_int(st, 9, fx->set_validators ? 1 : 0);
	arc_bind_text(st, 10, fx->etag);
	arc_bind_text(st, 11, fx->last_modified);
	if (fx->body_hash)
		sqlite3_bind_blob(st, 12, fx->body_hash, 32, SQLITE_TRANSIENT);
	arc_bind_text(st, 13, fx->redirect_to);
	sqlite3_bind_int(st, 14, fx->redirect_seen);
	if (step_done(a, st, "update a feed") < 0)
		return -1;
	if (!str_empty(fx->new_url) && adopt_url(a, feed_id, fx->new_url,
	                                         fx->time) < 0)
		return -1;
	return 0;
}

int archive_fetch_record(struct archive *a, int64_t feed_id,
                         const struct arc_fetch *fx)
{
	char *warn = NULL;
	if (!str_empty(fx->warning))
		warn = arc_json_strings((char *const *)&fx->warning, 1);
	if (arc_begin(a) < 0) {
		free(warn);
		return -1;
	}
	if (arc_write_fetch(a, feed_id, fx, NULL, warn) < 0) {
		free(warn);
		arc_rollback(a);
		return -1;
	}
	free(warn);
	return arc_commit(a);
}

/* ---- totals ------------------------------------------------------------- */

static int64_t file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

int archive_stats(struct archive *a, struct arc_stats *s)
{
	static const char sql[] =
		"SELECT (SELECT count(*) FROM feeds WHERE removed IS NULL),"
		" (SELECT count(*) FROM feeds WHERE removed IS NOT NULL),"
		" (SELECT count(*) FROM entries),"
		" (SELECT count(*) FROM revisions),"
		" (SELECT count(*) FROM stories),"
		" (SELECT count(*) FROM fetch_log),"
		" (SELECT min(date) FROM entries),"
		" (SELECT max(date) FROM entries)";
	memset(s, 0, sizeof *s);
	sqlite3_stmt *st = arc_prep(a, sql);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return arc_fail(a, "count");
	}
	s->feeds = sqlite3_column_int64(st, 0);
	s->feeds_removed = sqlite3_column_int64(st, 1);
	s->entries = sqlite3_column_int64(st, 2);
	s->revisions = sqlite3_column_int64(st, 3);
	s->stories = sqlite3_column_int64(st, 4);
	s->fetches = sqlite3_column_int64(st, 5);
	s->oldest = sqlite3_column_int64(st, 6);
	s->newest = sqlite3_column_int64(st, 7);
	sqlite3_reset(st);
	char *wal = xasprintf("%s-wal", a->path);
	s->bytes = file_size(a->path) + file_size(wal);
	free(wal);
	s->schema = archive_schema_version(a);
	return 0;
}
