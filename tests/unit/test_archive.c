/* test_archive.c — the archive on real SQLite files: identity, versions,
 * stories, the log, migrations, and what it refuses to touch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "t.h"
#include "archive.h"
#include "digest.h"
#include "util.h"

static char *db_in_tmp(const char *name)
{
	return xasprintf("%s/%s", t_tmpdir(), name);
}

static void mk(struct entry *e, const char *id, const char *link,
               const char *title, const char *content, const char *date,
               int64_t t)
{
	memset(e, 0, sizeof *e);
	e->id = xstrdup(id);
	e->link = xstrdup(link);
	e->title = xstrdup(title);
	e->content = xstrdup(content);
	e->content_is_text = 1;
	if (date) {
		e->published.raw = xstrdup(date);
		e->published.t = t;
		e->published.ok = t != 0;
	}
}

static int64_t add_feed(struct archive *a, const char *url)
{
	struct arc_new_feed nf = {.url = url};
	int64_t id = 0;
	if (archive_feed_add(a, &nf, 0, &id) < 0)
		return 0;
	return id;
}

/* One fetched document: the entries, then the log. */
static int ingest(struct archive *a, int64_t feed, struct entry *es,
                  size_t n, int64_t now, struct arc_counts *c)
{
	struct arc_ingest *in = archive_ingest_begin(a, feed, now);
	if (!in)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (archive_ingest_entry(in, &es[i]) < 0) {
			archive_ingest_abort(in);
			return -1;
		}
	struct arc_fetch fx = {.time = now, .url = "file:///x", .status = 0,
	                       .next_due = now + 3600};
	return archive_ingest_end(in, &fx, c);
}

static int64_t count(struct archive *a, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;
	if (sqlite3_prepare_v2(archive_db(a), sql, -1, &st, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static char *text_of(struct archive *a, const char *sql)
{
	sqlite3_stmt *st;
	char *s = NULL;
	if (sqlite3_prepare_v2(archive_db(a), sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		s = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

static void clear_all(struct entry *es, size_t n)
{
	for (size_t i = 0; i < n; i++)
		entry_clear(&es[i]);
}

TEST(archive_created_owner_only_in_new_folders)
{
	char *path = db_in_tmp("a/b/warta.db");
	struct archive *a = archive_open(path);
	CHECK(a != NULL);
	struct stat sb;
	CHECK(stat(path, &sb) == 0);
	CHECK_INT(sb.st_mode & 0777, 0600);
	char *dir = db_in_tmp("a/b");
	CHECK(stat(dir, &sb) == 0);
	CHECK_INT(sb.st_mode & 0777, 0700);
	CHECK_INT(archive_schema_version(a), ARCHIVE_SCHEMA);
	char *mode = text_of(a, "PRAGMA journal_mode");
	CHECK_STR(mode, "wal");
	/* a write makes the WAL: it is owner-only too */
	CHECK(add_feed(a, "https://example.org/feed/") > 0);
	char *wal = xasprintf("%s-wal", path);
	CHECK(stat(wal, &sb) == 0);
	CHECK_INT(sb.st_mode & 0777, 0600);
	archive_close(a);
	/* and it opens again as it is */
	a = archive_open(path);
	CHECK(a != NULL);
	CHECK_INT(count(a, "SELECT count(*) FROM feeds"), 1);
	archive_close(a);
	free(wal);
	free(mode);
	free(dir);
	free(path);
}

TEST(archive_canonical_ids)
{
	char *k = archive_canon("http://Example.COM:80/a/b/");
	CHECK_STR(k, "//example.com/a/b");
	free(k);
	k = archive_canon("https://example.com/a/b");
	CHECK_STR(k, "//example.com/a/b");
	free(k);
	k = archive_canon("https://example.com:443/?p=48211");
	CHECK_STR(k, "//example.com?p=48211");
	free(k);
	k = archive_canon("  http://example.com/?p=48211 ");
	CHECK_STR(k, "//example.com?p=48211");
	free(k);
	k = archive_canon("https://example.com:8080/x#frag");
	CHECK_STR(k, "//example.com:8080/x#frag");
	free(k);
	k = archive_canon("tag:blogger.com,1999:blog-1.post-2");
	CHECK_STR(k, "tag:blogger.com,1999:blog-1.post-2");
	free(k);
	k = archive_canon("48211");
	CHECK_STR(k, "48211");
	free(k);
	/* path case matters, host case does not */
	k = archive_canon("http://EXAMPLE.com/Berita");
	CHECK_STR(k, "//example.com/Berita");
	free(k);
}

TEST(archive_second_ingest_writes_nothing)
{
	char *path = db_in_tmp("w.db");
	struct archive *a = archive_open(path);
	int64_t feed = add_feed(a, "https://mc.example.go.id/feed/");
	struct entry es[3];
	mk(&es[0], "https://mc.example.go.id/?p=1", "https://mc.example.go.id/a/",
	   "Satu", "Isi berita satu.", "Tue, 02 Dec 2025 02:30:00 +0000",
	   1764642600);
	mk(&es[1], "https://mc.example.go.id/?p=2", "https://mc.example.go.id/b/",
	   "Dua", "Isi berita dua.", "Mon, 01 Dec 2025 07:05:12 +0000",
	   1764572712);
	mk(&es[2], NULL, NULL, "Tiga tanpa id", "Isi tiga.", NULL, 0);
	struct arc_counts c;
	CHECK(ingest(a, feed, es, 3, 1764650000, &c) == 0);
	CHECK_INT(c.fresh, 3);
	CHECK_INT(count(a, "SELECT count(*) FROM entries"), 3);

	struct arc_ingest *in = archive_ingest_begin(a, feed, 1764653600);
	CHECK(in != NULL);
	int before = sqlite3_total_changes(archive_db(a));
	for (int i = 0; i < 3; i++)
		CHECK(archive_ingest_entry(in, &es[i]) == 0);
	CHECK_INT(sqlite3_total_changes(archive_db(a)) - before, 0);
	struct arc_fetch fx = {.time = 1764653600, .url = "file:///x"};
	CHECK(archive_ingest_end(in, &fx, &c) == 0);
	CHECK_INT(c.fresh, 0);
	CHECK_INT(c.updated, 0);
	CHECK_INT(c.unchanged, 3);
	CHECK_INT(count(a, "SELECT count(*) FROM revisions"), 0);
	CHECK_INT(count(a, "SELECT count(*) FROM fetch_log"), 2);
	CHECK_INT(count(a, "SELECT count(*) FROM entries WHERE key_kind='id'"),
	          2);
	CHECK_INT(count(a, "SELECT count(*) FROM entries WHERE "
	                   "key_kind='hash' AND key LIKE 'hash:%'"), 1);
	clear_all(es, 3);
	archive_close(a);
	free(path);
}

TEST(archive_edit_leaves_one_revision_with_the_old_text)
{
	char *path = db_in_tmp("r.db");
	struct archive *a = archive_open(path);
	int64_t feed = add_feed(a, "https://mc.example.go.id/feed/");
	struct entry e;
	mk(&e, "https://mc.example.go.id/?p=7", "https://mc.example.go.id/t/",
	   "Taman Literasi", "Versi pertama beritanya.",
	   "Tue, 02 Dec 2025 02:30:00 +0000", 1764642600);
	CHECK(ingest(a, feed, &e, 1, 1764650000, NULL) == 0);
	free(e.content);
	e.content = xstrdup("Versi kedua, sudah dikoreksi.");
	struct arc_counts c;
	CHECK(ingest(a, feed, &e, 1, 1764653600, &c) == 0);
	CHECK_INT(c.updated, 1);
	/* and the same edit again changes nothing more */
	CHECK(ingest(a, feed, &e, 1, 1764657200, &c) == 0);
	CHECK_INT(c.unchanged, 1);
	CHECK_INT(count(a, "SELECT count(*) FROM entries"), 1);
	CHECK_INT(count(a, "SELECT count(*) FROM revisions"), 1);
	char *old = text_of(a, "SELECT content FROM revisions");
	CHECK_STR(old, "Versi pertama beritanya.");
	char *changed = text_of(a, "SELECT changed FROM revisions");
	CHECK_STR(changed, "[\"content\"]");
	char *cur = text_of(a, "SELECT text FROM entries");
	CHECK_STR(cur, "Versi kedua, sudah dikoreksi.");
	CHECK_INT(count(a, "SELECT revisions FROM entries"), 1);
	CHECK_INT(count(a, "SELECT seen FROM revisions"), 1764650000);
	CHECK_INT(count(a, "SELECT replaced FROM revisions"), 1764653600);

	struct arc_row r = {0};
	CHECK_INT(archive_entry_find(a, "https://mc.example.go.id/?p=7", &r), 1);
	CHECK_STR(r.e.content, "Versi kedua, sudah dikoreksi.");
	CHECK_INT(r.revisions, 1);
	arc_row_clear(&r);
	free(old);
	free(changed);
	free(cur);
	entry_clear(&e);
	archive_close(a);
	free(path);
}

TEST(archive_date_and_title_edits_are_revisions)
{
	char *path = db_in_tmp("d.db");
	struct archive *a = archive_open(path);
	int64_t feed = add_feed(a, "https://x.example/feed");
	struct entry e;
	mk(&e, "id-1", NULL, "Judul", "Isi.", "2025-12-01T00:00:00Z",
	   1764547200);
	CHECK(ingest(a, feed, &e, 1, 1764650000, NULL) == 0);
	free(e.published.raw);
	e.published.raw = xstrdup("2025-12-02T00:00:00Z");
	e.published.t = 1764633600;
	free(e.title);
	e.title = xstrdup("Judul baru");
	CHECK(ingest(a, feed, &e, 1, 1764653600, NULL) == 0);
	char *changed = text_of(a, "SELECT changed FROM revisions");
	CHECK_STR(changed, "[\"title\",\"published\"]");
	CHECK_INT(count(a, "SELECT date FROM entries"), 1764633600);
	CHECK_INT(count(a, "SELECT published FROM revisions"), 1764547200);
	free(changed);
	entry_clear(&e);
	archive_close(a);
	free(path);
}

TEST(archive_http_to_https_guid_is_the_same_entry)
{
	char *path = db_in_tmp("h.db");
	struct archive *a = archive_open(path);
	int64_t feed = add_feed(a, "https://mc.example.go.id/feed/");
	struct entry e;
	mk(&e, "http://mc.example.go.id/?p=48211",
	   "http://mc.example.go.id/berita/", "Judul", "Isi.",
	   "Tue, 02 Dec 2025 02:30:00 +0000", 1764642600);
	CHECK(ingest(a, feed, &e, 1, 1764650000, NULL) == 0);
	free(e.id);
	e.id = xstrdup("https://MC.example.go.id:443/?p=48211");
	struct arc_counts c;
	CHECK(ingest(a, feed, &e, 1, 1764653600, &c) == 0);
	CHECK_INT(c.fresh, 0);
	CHECK_INT(count(a, "SELECT count(*) FROM entries"), 1);
	/* not an edit either: no revision, the new form is kept */
	CHECK_INT(count(a, "SELECT count(*) FROM revisions"), 0);
	char *g = text_of(a, "SELECT guid FROM entries");
	CHECK_STR(g, "https://MC.example.go.id:443/?p=48211");
	free(g);
	/* and the next fetch of that form is unchanged, writing nothing */
	int before = sqlite3_total_changes(archive_db(a));
	struct arc_ingest *in = archive_ingest_begin(a, feed, 1764655000);
	CHECK(archive_ingest_entry(in, &e) == 0);
	CHECK_INT(sqlite3_total_changes(archive_db(a)) - before, 0);
	archive_ingest_abort(in);
	/* a real edit of the link is one */
	free(e.link);
	e.link = xstrdup("https://mc.example.go.id/berita-baru/");
	CHECK(ingest(a, feed, &e, 1, 1764656000, &c) == 0);
	CHECK_INT(c.updated, 1);
	char *ch = text_of(a, "SELECT changed FROM revisions");
	CHECK_STR(ch, "[\"link\"]");
	free(ch);
	/* the link alone identifies too, with a trailing slash or not */
	struct entry l;
	mk(&l, NULL, "https://example.org/berita/satu/", "L", "x", NULL, 0);
	CHECK(ingest(a, feed, &l, 1, 1764653600, &c) == 0);
	free(l.link);
	l.link = xstrdup("http://example.org/berita/satu");
	CHECK(ingest(a, feed, &l, 1, 1764657200, &c) == 0);
	CHECK_INT(c.fresh, 0);
	CHECK_INT(count(a, "SELECT count(*) FROM entries"), 2);
	entry_clear(&l);
	entry_clear(&e);
	archive_close(a);
	free(path);
}

TEST(archive_dropped_entry_stays)
{
	char *path = db_in_tmp("s.db");
	struct archive *a = archive_open(path);
	int64_t feed = add_feed(a, "https://x.example/feed");
	struct entry es[2];
	mk(&es[0], "a", NULL, "A", "Berita A.", NULL, 0);
	mk(&es[1], "b", NULL, "B", "Berita B.", NULL, 0);
	CHECK(ingest(a, feed, es, 2, 1764650000, NULL) == 0);
	CHECK(ingest(a, feed, &es[1], 1, 1764653600, NULL) == 0);
	/* the feed was empty once: still nothing lost */
	CHECK(ingest(a, feed, NULL, 0, 1764657200, NULL) == 0);
	CHECK_INT(count(a, "SELECT count(*) FROM entries"), 2);
	struct arc_row r = {0};
	CHECK_INT(archive_entry_find(a, "a", &r), 1);
	CHECK_STR(r.e.title, "A");
	arc_row_clear(&r);
	clear_all(es, 2);
	archive_close(a);
	free(path);
}

TEST(archive_undated_entry_dated_by_first_seen)
{
	char *path = db_in_tmp("u.db");
	struct archive *a = archive_open(path);
	int64_t feed = add_feed(a, "https://x.example/feed");
	struct entry es[2];
	mk(&es[0], "nodate", NULL, "Tanpa tanggal", "Isi.", NULL, 0);
	mk(&es[1], "baddate", NULL, "Tanggal rusak", "Isi.",
	   "Selasa kemarin sore", 0);
	CHECK(ingest(a, feed, es, 2, 1764650000, NULL) == 0);
	CHECK(ingest(a, feed, es, 2, 1764660000, NULL) == 0);
	CHECK_INT(count(a, "SELECT count(*) FROM entries WHERE "
	                   "dated_first_seen = 1 AND date = 1764650000"), 2);
	char *raw = text_of(a, "SELECT published_raw FROM entries "
	                       "WHERE guid = 'baddate'");
	CHECK_STR(raw, "Selasa kemarin sore");
	CHECK_INT(count(a, "SELECT count(*) FROM entries WHERE "
	                   "published IS NOT NULL"), 0);
	free(raw);
	clear_all(es, 2);
	archive_close(a);
	free(path);
}

TEST(archive_guid_collision_is_logged_and_both_kept)
{
	char *path = db_in_tmp("c.db");
	struct archive *a = archive_open(path);
	int64_t feed = add_feed(a, "https://x.example/feed");
	struct entry es[3];
	mk(&es[0], "same", "https://x.example/satu", "Satu", "Satu.", NULL, 0);
	mk(&es[1], "same", "https://x.example/dua", "Dua", "Dua.", NULL, 0);
	mk(&es[2], "same", "https://x.example/satu", "Satu", "Satu.", NULL, 0);
	struct arc_counts c;
	CHECK(ingest(a, feed, es, 3, 1764650000, &c) == 0);
	CHECK_INT(c.fresh, 2);
	CHECK_INT(c.dups, 2);
	CHECK_INT(count(a, "SELECT count(*) FROM entries"), 2);
	CHECK_INT(count(a, "SELECT count(*) FROM entries WHERE "
	                   "key_kind = 'link' AND title = 'Dua'"), 1);
	char *w = text_of(a, "SELECT warnings FROM fetch_log");
	CHECK_CONTAINS(w, "duplicate id same");
	CHECK_CONTAINS(w, "Dua");
	free(w);
	/* the same document again: stable, nothing new, nothing flips */
	CHECK(ingest(a, feed, es, 3, 1764653600, &c) == 0);
	CHECK_INT(c.fresh, 0);
	CHECK_INT(c.updated, 0);
	CHECK_INT(count(a, "SELECT count(*) FROM revisions"), 0);
	clear_all(es, 3);
	archive_close(a);
	free(path);
}

TEST(archive_two_feeds_one_story_two_sources)
{
	char *path = db_in_tmp("st.db");
	struct archive *a = archive_open(path);
	int64_t f1 = add_feed(a, "https://mc.banjarbaru.example/feed/");
	int64_t f2 = add_feed(a, "https://kalsel.example/berita/feed/");
	const char *body =
		"Pemerintah Kota Banjarbaru meresmikan Taman Literasi di "
		"Kecamatan Cempaka sebagai ruang baca terbuka bagi warga.";
	char *b1 = xasprintf("%s\nThe post Taman Literasi appeared first on "
	                     "Media Center Banjarbaru.", body);
	char *b2 = xasprintf("%s\nArtikel Taman Literasi pertama kali tampil "
	                     "di Pemprov Kalsel.", body);
	struct entry e1, e2, e3, e4;
	/* same link, different ids */
	mk(&e1, "https://mc.banjarbaru.example/?p=1",
	   "https://mc.banjarbaru.example/taman-literasi/", "Taman Literasi",
	   "Versi situs kota.", "2025-12-02T02:30:00Z", 1764642600);
	mk(&e2, "https://kalsel.example/?p=99",
	   "http://mc.banjarbaru.example/taman-literasi", "Taman Literasi",
	   "Versi provinsi.", "2025-12-02T03:00:00Z", 1764644400);
	/* same text once the footers are left out, different links */
	mk(&e3, "https://mc.banjarbaru.example/?p=2",
	   "https://mc.banjarbaru.example/cempaka/", "Cempaka", b1,
	   "2025-12-01T02:30:00Z", 1764556200);
	mk(&e4, "https://kalsel.example/?p=100",
	   "https://kalsel.example/berita/cempaka/", "Cempaka (Kalsel)", b2,
	   "2025-12-01T04:30:00Z", 1764563400);
	CHECK(ingest(a, f1, &e1, 1, 1764650000, NULL) == 0);
	CHECK(ingest(a, f1, &e3, 1, 1764650000, NULL) == 0);
	CHECK(ingest(a, f2, &e2, 1, 1764650100, NULL) == 0);
	CHECK(ingest(a, f2, &e4, 1, 1764650100, NULL) == 0);
	CHECK_INT(count(a, "SELECT count(*) FROM entries"), 4);
	CHECK_INT(count(a, "SELECT count(*) FROM stories"), 2);
	CHECK_INT(count(a, "SELECT count(DISTINCT story_id) FROM entries"), 2);
	char *t = text_of(a, "SELECT text FROM entries WHERE title='Cempaka'");
	CHECK_STR(t, body);
	free(t);

	/* one row per story, newest first, both sources named */
	struct arc_iter *it = arc_iter_new(a, NULL);
	struct arc_row *r;
	CHECK(it != NULL);
	CHECK_INT(arc_iter_next(it, &r), 1);
	CHECK_STR(r->e.title, "Taman Literasi");
	CHECK_INT(r->feed_id, f1);
	CHECK_INT(r->story_size, 2);
	CHECK_INT(r->nsources, 2);
	CHECK_INT(r->sources[0].feed_id, f1);
	CHECK_INT(r->sources[1].feed_id, f2);
	CHECK_STR(r->sources[1].link,
	          "http://mc.banjarbaru.example/taman-literasi");
	CHECK_INT(arc_iter_next(it, &r), 1);
	CHECK_STR(r->e.title, "Cempaka");
	CHECK_INT(r->nsources, 2);
	CHECK_INT(arc_iter_next(it, &r), 0);
	arc_iter_free(it);

	/* restricted to the second feed, its own entries stand for them */
	struct arc_filter f = {.feed_id = f2};
	it = arc_iter_new(a, &f);
	CHECK_INT(arc_iter_next(it, &r), 1);
	CHECK_INT(r->feed_id, f2);
	CHECK_STR(r->e.title, "Taman Literasi");
	CHECK_INT(r->nsources, 2);
	CHECK_INT(arc_iter_next(it, &r), 1);
	CHECK_STR(r->e.title, "Cempaka (Kalsel)");
	CHECK_INT(arc_iter_next(it, &r), 0);
	arc_iter_free(it);

	/* each_source: every entry */
	struct arc_filter all = {.each_source = 1};
	it = arc_iter_new(a, &all);
	int n = 0;
	while (arc_iter_next(it, &r) == 1)
		n++;
	CHECK_INT(n, 4);
	arc_iter_free(it);
	free(b1);
	free(b2);
	entry_clear(&e1);
	entry_clear(&e2);
	entry_clear(&e3);
	entry_clear(&e4);
	archive_close(a);
	free(path);
}

TEST(archive_entries_of_one_feed_stay_apart_and_home_links_do_not_merge)
{
	char *path = db_in_tmp("hm.db");
	struct archive *a = archive_open(path);
	int64_t f1 = add_feed(a, "https://a.example/feed");
	int64_t f2 = add_feed(a, "https://b.example/feed");
	struct entry es[2], o;
	/* a sloppy feed whose items all link to one page */
	mk(&es[0], "1", "https://a.example/berita", "Satu", "Satu.", NULL, 0);
	mk(&es[1], "2", "https://a.example/berita", "Dua", "Dua.", NULL, 0);
	mk(&o, "x", "https://a.example/", "Lain", "Lain.", NULL, 0);
	CHECK(ingest(a, f1, es, 2, 1764650000, NULL) == 0);
	CHECK_INT(count(a, "SELECT count(DISTINCT story_id) FROM entries"), 2);
	struct entry h;
	mk(&h, "y", "https://a.example", "Rumah", "Rumah.", NULL, 0);
	CHECK(ingest(a, f2, &o, 1, 1764650000, NULL) == 0);
	CHECK(ingest(a, f2, &h, 1, 1764650000, NULL) == 0);
	CHECK_INT(count(a, "SELECT count(DISTINCT story_id) FROM entries"), 4);
	clear_all(es, 2);
	entry_clear(&o);
	entry_clear(&h);
	archive_close(a);
	free(path);
}

TEST(archive_not_a_feed_touches_no_entry)
{
	char *path = db_in_tmp("n.db");
	struct archive *a = archive_open(path);
	int64_t feed = add_feed(a, "https://x.example/feed");
	struct entry e;
	mk(&e, "a", NULL, "A", "A.", NULL, 0);
	CHECK(ingest(a, feed, &e, 1, 1764650000, NULL) == 0);
	struct arc_ingest *in = archive_ingest_begin(a, feed, 1764653600);
	struct entry e2;
	mk(&e2, "b", NULL, "B", "B.", NULL, 0);
	CHECK(archive_ingest_entry(in, &e2) == 0);
	archive_ingest_discard(in);
	struct arc_fetch fx = {.time = 1764653600, .url = "file:///x",
	                       .status = 200,
	                       .error = "not a feed: HTML page",
	                       .failures = 1, .next_due = 1764654500};
	struct arc_counts c;
	CHECK(archive_ingest_end(in, &fx, &c) == 0);
	CHECK_INT(c.fresh, 0);
	CHECK_INT(count(a, "SELECT count(*) FROM entries"), 1);
	char *err = text_of(a, "SELECT error FROM fetch_log ORDER BY id DESC");
	CHECK_STR(err, "not a feed: HTML page");
	struct arc_feed f = {0};
	CHECK_INT(archive_feed_get(a, feed, &f), 1);
	CHECK_STR(arc_feed_state(&f), "failing");
	CHECK_INT(f.failures, 1);
	CHECK_INT(f.last_ok, 1764650000);
	CHECK_STR(f.last_error, "not a feed: HTML page");
	CHECK_INT(f.entries, 1);
	arc_feed_clear(&f);
	free(err);
	entry_clear(&e);
	entry_clear(&e2);
	archive_close(a);
	free(path);
}

TEST(archive_feeds_add_twice_remove_revive_purge)
{
	char *path = db_in_tmp("f.db");
	struct archive *a = archive_open(path);
	const char *tags[] = {"kalsel", "pemkot"};
	struct arc_new_feed nf = {.url = "https://MC.example.go.id/feed/",
	                          .title = "MC", .tags = tags, .ntags = 2};
	int64_t id, id2;
	CHECK_INT(archive_feed_add(a, &nf, 0, &id), ARC_ADDED);
	nf.url = "http://mc.example.go.id/feed";
	int before = sqlite3_total_changes(archive_db(a));
	CHECK_INT(archive_feed_add(a, &nf, 0, &id2), ARC_EXISTS);
	CHECK_INT(sqlite3_total_changes(archive_db(a)) - before, 0);
	CHECK_INT(id2, id);
	struct arc_feed f = {0};
	CHECK_INT(archive_feed_find(a, "https://mc.example.go.id/feed", &f), 1);
	CHECK_INT(f.id, id);
	CHECK_STR(f.url, "https://MC.example.go.id/feed/");
	CHECK_INT(f.ntags, 2);
	CHECK_STR(f.tags[0], "kalsel");
	CHECK_STR(arc_feed_state(&f), "new");
	char num[24];
	snprintf(num, sizeof num, "%lld", (long long)id);
	CHECK_INT(archive_feed_find(a, num, &f), 1);
	CHECK_INT(archive_feed_find(a, "99", &f), 0);

	struct entry e;
	mk(&e, "a", NULL, "A", "A.", NULL, 0);
	CHECK(ingest(a, id, &e, 1, 1764650000, NULL) == 0);
	CHECK(archive_feed_remove(a, id, 0) == 0);
	CHECK_INT(count(a, "SELECT count(*) FROM entries"), 1);
	CHECK_INT(count(a, "SELECT count(*) FROM feeds WHERE removed "
	                   "IS NOT NULL"), 1);
	struct arc_iter *it = arc_iter_new(a, NULL);
	struct arc_row *r;
	CHECK_INT(arc_iter_next(it, &r), 0);
	arc_iter_free(it);
	CHECK_INT(archive_feed_add(a, &nf, 0, &id2), ARC_REVIVED);
	CHECK_INT(id2, id);
	CHECK(archive_feed_remove(a, id, 1) == 0);
	CHECK_INT(count(a, "SELECT count(*) FROM entries"), 0);
	CHECK_INT(count(a, "SELECT count(*) FROM stories"), 0);
	CHECK_INT(count(a, "SELECT count(*) FROM story_keys"), 0);
	CHECK_INT(count(a, "SELECT count(*) FROM fetch_log"), 0);
	CHECK_INT(count(a, "SELECT count(*) FROM feeds"), 0);
	CHECK_INT(count(a, "PRAGMA foreign_key_check"), -1);
	arc_feed_clear(&f);
	entry_clear(&e);
	archive_close(a);
	free(path);
}

TEST(archive_iterator_filters_and_round_trips_fields)
{
	char *path = db_in_tmp("it.db");
	struct archive *a = archive_open(path);
	const char *tags[] = {"kalsel"};
	struct arc_new_feed nf = {.url = "https://a.example/feed", .tags = tags,
	                          .ntags = 1};
	int64_t fa, fb;
	archive_feed_add(a, &nf, 0, &fa);
	fb = add_feed(a, "https://b.example/feed");
	struct entry es[5];
	for (int i = 0; i < 5; i++) {
		char id[16], title[32];
		snprintf(id, sizeof id, "e%d", i);
		snprintf(title, sizeof title, "Berita %d", i);
		mk(&es[i], id, NULL, title, title, "x", 1764000000 + i * 86400);
	}
	struct person *p = entry_add_author(&es[4]);
	p->name = xstrdup("Humas \"Kota\"");
	p->email = xstrdup("humas@example.go.id");
	entry_add_tag(&es[4], "Berita");
	entry_add_tag(&es[4], "Pendidikan\n\x01");
	struct enclosure *enc = entry_add_enclosure(&es[4]);
	enc->url = xstrdup("https://a.example/f.jpg");
	enc->type = xstrdup("image/jpeg");
	enc->length = 12345;
	es[4].source.title = xstrdup("Sumber");
	es[4].source.url = xstrdup("https://src.example/feed");
	CHECK(ingest(a, fa, es, 3, 1764650000, NULL) == 0);
	CHECK(ingest(a, fb, es + 3, 2, 1764650000, NULL) == 0);

	struct arc_iter *it = arc_iter_new(a, NULL);
	struct arc_row *r;
	CHECK_INT(arc_iter_next(it, &r), 1);
	CHECK_STR(r->e.title, "Berita 4");
	CHECK_INT(r->e.nauthors, 1);
	CHECK_STR(r->e.authors[0].name, "Humas \"Kota\"");
	CHECK_STR(r->e.authors[0].email, "humas@example.go.id");
	CHECK_INT(r->e.ntags, 2);
	CHECK_STR(r->e.tags[1], "Pendidikan\n\x01");
	CHECK_INT(r->e.nenclosures, 1);
	CHECK_INT(r->e.enclosures[0].length, 12345);
	CHECK_STR(r->e.enclosures[0].type, "image/jpeg");
	CHECK_STR(r->e.source.title, "Sumber");
	CHECK_STR(r->e.published.raw, "x");
	CHECK_INT(r->e.published.t, 1764000000 + 4 * 86400);
	CHECK_STR(r->feed_url, "https://b.example/feed");
	CHECK_STR(r->key_kind, "id");
	/* a story of one: its only source is the entry itself */
	CHECK_INT(r->story_size, 1);
	CHECK_INT(r->nsources, 1);
	CHECK_INT(r->sources[0].entry_id, r->id);
	CHECK_INT(r->sources[0].feed_id, fb);
	CHECK_STR(r->sources[0].feed_url, "https://b.example/feed");
	CHECK_STR(r->sources[0].feed_title, r->feed_title);
	CHECK_INT(arc_iter_next(it, &r), 1);
	CHECK_STR(r->e.title, "Berita 3");
	arc_iter_free(it);

	struct arc_filter f = {.tag = "kalsel", .limit = 2};
	it = arc_iter_new(a, &f);
	CHECK_INT(arc_iter_next(it, &r), 1);
	CHECK_STR(r->e.title, "Berita 2");
	CHECK_INT(arc_iter_next(it, &r), 1);
	CHECK_STR(r->e.title, "Berita 1");
	CHECK_INT(arc_iter_next(it, &r), 0);
	arc_iter_free(it);

	struct arc_filter d = {.since = 1764000000 + 86400,
	                       .until = 1764000000 + 3 * 86400};
	it = arc_iter_new(a, &d);
	int n = 0;
	while (arc_iter_next(it, &r) == 1)
		n++;
	CHECK_INT(n, 3);
	arc_iter_free(it);
	clear_all(es, 5);
	archive_close(a);
	free(path);
}

TEST(archive_footer_left_out_of_text)
{
	char *path = db_in_tmp("ft.db");
	struct archive *a = archive_open(path);
	int64_t feed = add_feed(a, "https://x.example/feed");
	struct entry e;
	mk(&e, "a", NULL, "A",
	   "Isi berita.\n\nThe post Judul appeared first on Media Center.",
	   NULL, 0);
	CHECK(ingest(a, feed, &e, 1, 1764650000, NULL) == 0);
	char *t = text_of(a, "SELECT text FROM entries");
	CHECK_STR(t, "Isi berita.");
	char *c = text_of(a, "SELECT content FROM entries");
	CHECK_CONTAINS(c, "appeared first on");
	free(t);
	free(c);
	entry_clear(&e);
	archive_close(a);
	free(path);
}

/* For tests of refusals: the one-line message is expected, not noise. */
static void quiet_stderr(void)
{
	if (!freopen("/dev/null", "w", stderr))
		return;
}

TEST(archive_footer_variants)
{
	char *path = db_in_tmp("fv.db");
	struct archive *a = archive_open(path);
	int64_t feed = add_feed(a, "https://x.example/feed");
	static const char *const cases[][2] = {
		{"Isi.\nThe post Pos Ronda Dibangun appeared first on Media "
		 "Center.", "Isi."},
		{"Isi.\nArtikel Banjir Surut pertama kali tampil di Pemkot.",
		 "Isi."},
		{"Isi. Pos Kamling muncul pertama kali di Warta Kota.", "Isi."},
		/* only the last line, and only a footer */
		{"The post office appeared first on the list.\nIsi lain.",
		 "The post office appeared first on the list.\nIsi lain."},
		{"Berita ini appeared first on nothing", "Berita ini appeared "
		 "first on nothing"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct entry e;
		char id[8];
		snprintf(id, sizeof id, "f%zu", i);
		mk(&e, id, NULL, "T", cases[i][0], NULL, 0);
		CHECK(ingest(a, feed, &e, 1, 1764650000, NULL) == 0);
		entry_clear(&e);
		char *q = xasprintf("SELECT text FROM entries WHERE guid = '%s'",
		                    id);
		char *t = text_of(a, q);
		CHECK_STR(t, cases[i][1]);
		free(t);
		free(q);
	}
	archive_close(a);
	free(path);
}

static int file_bytes(const char *path, struct buf *b)
{
	buf_reset(b);
	return read_file(path, b, 0);
}

TEST(archive_refuses_a_newer_schema_and_leaves_it)
{
	char *path = db_in_tmp("new.db");
	struct archive *a = archive_open(path);
	CHECK(sqlite3_exec(archive_db(a), "PRAGMA user_version = 99", NULL,
	                   NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_exec(archive_db(a), "PRAGMA wal_checkpoint(TRUNCATE)",
	                   NULL, NULL, NULL) == SQLITE_OK);
	archive_close(a);
	struct buf before = {0}, after = {0};
	CHECK(file_bytes(path, &before) == 0);
	quiet_stderr();
	CHECK(archive_open(path) == NULL);
	CHECK(file_bytes(path, &after) == 0);
	CHECK(before.len == after.len &&
	      memcmp(before.p, after.p, before.len) == 0);
	buf_free(&before);
	buf_free(&after);
	free(path);
}

TEST(archive_damaged_file_is_never_overwritten)
{
	char *path = db_in_tmp("bad.db");
	FILE *fp = fopen(path, "w");
	for (int i = 0; i < 300; i++)
		fputs("this is not a database at all. ", fp);
	fclose(fp);
	struct buf before = {0}, after = {0};
	CHECK(file_bytes(path, &before) == 0);
	quiet_stderr();
	CHECK(archive_open(path) == NULL);
	CHECK(file_bytes(path, &after) == 0);
	CHECK(before.len == after.len &&
	      memcmp(before.p, after.p, before.len) == 0);
	char *wal = xasprintf("%s-wal", path);
	struct stat sb;
	CHECK(stat(wal, &sb) != 0);
	free(wal);
	/* another program's SQLite file is not migrated either */
	char *other = db_in_tmp("other.db");
	sqlite3 *db;
	CHECK(sqlite3_open(other, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "CREATE TABLE notes(x)", NULL, NULL, NULL) ==
	      SQLITE_OK);
	sqlite3_close(db);
	CHECK(archive_open(other) == NULL);
	CHECK(sqlite3_open(other, &db) == SQLITE_OK);
	sqlite3_stmt *st;
	CHECK(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1,
	                         &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
	buf_free(&before);
	buf_free(&after);
	free(other);
	free(path);
}

/* An archive as warta 0.1 wrote it, schema 1, from the frozen SQL in
 * tests/fixtures: every row must survive the upgrade, and entries of two
 * feeds sharing a link become one story. */
TEST(archive_migrates_v1_without_loss)
{
	char *path = db_in_tmp("v1.db");
	struct buf sql = {0};
	CHECK(read_file(t_fixture("archive-v1.sql"), &sql, 0) == 0);
	sqlite3 *db;
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	char *err = NULL;
	int rc = sqlite3_exec(db, sql.p, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fprintf(stdout, "  fixture: %s\n", err ? err : "?");
	CHECK(rc == SQLITE_OK);
	sqlite3_close(db);
	buf_free(&sql);

	struct archive *a = archive_open(path);
	CHECK(a != NULL);
	CHECK_INT(archive_schema_version(a), ARCHIVE_SCHEMA);
	CHECK_INT(count(a, "SELECT count(*) FROM feeds"), 2);
	CHECK_INT(count(a, "SELECT count(*) FROM entries"), 4);
	CHECK_INT(count(a, "SELECT count(*) FROM revisions"), 1);
	CHECK_INT(count(a, "SELECT count(*) FROM fetch_log"), 3);
	CHECK_INT(count(a, "SELECT count(*) FROM feed_tags"), 2);
	CHECK_INT(count(a, "SELECT count(*) FROM entries WHERE story_id "
	                   "IS NULL"), 0);
	CHECK_INT(count(a, "SELECT count(DISTINCT story_id) FROM entries"), 3);
	CHECK_INT(count(a, "SELECT count(*) FROM stories"), 3);
	char *old = text_of(a, "SELECT content FROM revisions");
	CHECK_STR(old, "<p>Versi pertama.</p>");
	free(old);
	char *ok = text_of(a, "PRAGMA integrity_check");
	CHECK_STR(ok, "ok");
	free(ok);

	/* and it goes on working: the v1 entries are known, not duplicated */
	struct entry e;
	mk(&e, "https://mc.example.go.id/?p=1",
	   "https://mc.example.go.id/taman/", "Taman", "Versi kedua.",
	   "Tue, 02 Dec 2025 02:30:00 +0000", 1764642600);
	e.content_is_text = 0;
	free(e.content);
	e.content = xstrdup("<p>Versi kedua.</p>");
	struct arc_counts c;
	CHECK(ingest(a, 1, &e, 1, 1764700000, &c) == 0);
	CHECK_INT(c.fresh, 0);
	CHECK_INT(count(a, "SELECT count(*) FROM entries"), 4);
	entry_clear(&e);
	archive_close(a);
	free(path);
}

/* Story keys were text until schema 8 ("l:" + canonical link, "t:" +
 * the folded text's hash). An archive of schema 7 holding keys as warta
 * wrote them then, and one key as this warta writes into that table (its
 * story backfill runs at migration 2, before 8): after the upgrade all
 * are numbers, and an entry of another feed with the same link or the
 * same text joins each old story. */
TEST(archive_story_keys_become_numbers_and_keep_their_stories)
{
	char *path = db_in_tmp("sk.db");
	struct archive *a = archive_open_version(path, 7);
	CHECK(a != NULL);
	CHECK_INT(archive_schema_version(a), 7);
	int64_t f1 = add_feed(a, "https://mc.banjarbaru.example/feed/");
	int64_t f2 = add_feed(a, "https://kalsel.example/berita/feed/");
	const char *text = "pemerintah kota banjarbaru meresmikan taman "
	                   "literasi di kecamatan cempaka sebagai ruang baca.";
	struct entry old[3], fresh[3];
	mk(&old[0], "https://mc.banjarbaru.example/?p=1",
	   "https://mc.banjarbaru.example/taman-literasi/", "Taman",
	   "Versi kota.", "2025-12-02T02:30:00Z", 1764642600);
	mk(&old[1], "https://mc.banjarbaru.example/?p=2",
	   "https://mc.banjarbaru.example/cempaka/", "Cempaka", text,
	   "2025-12-01T02:30:00Z", 1764556200);
	mk(&old[2], "https://mc.banjarbaru.example/?p=3",
	   "https://mc.banjarbaru.example/pasar/", "Pasar", "Versi kota.",
	   "2025-12-01T01:30:00Z", 1764552600);
	CHECK(ingest(a, f1, old, 3, 1764650000, NULL) == 0);
	/* the first two stories' keys as warta wrote them before 8 */
	unsigned char d[32];
	char hex[65];
	sha256(text, strlen(text), d);
	char *sql = xasprintf(
		"DELETE FROM story_keys WHERE story_id IN (SELECT story_id "
		"FROM entries WHERE title IN ('Taman', 'Cempaka'));"
		"INSERT INTO story_keys SELECT "
		"'l://mc.banjarbaru.example/taman-literasi', story_id FROM "
		"entries WHERE title = 'Taman';"
		"INSERT INTO story_keys SELECT 't:%s', story_id FROM entries "
		"WHERE title = 'Cempaka';", digest_hex(d, 16, hex));
	CHECK(sqlite3_exec(archive_db(a), sql, NULL, NULL, NULL) == SQLITE_OK);
	free(sql);
	CHECK_INT(count(a, "SELECT count(*) FROM story_keys WHERE key LIKE "
	                   "'_:%'"), 2);
	/* and what only a hand at the sqlite3 shell (foreign keys off)
	 * leaves: a key of a story that is gone, a key of no known form */
	CHECK(sqlite3_exec(archive_db(a), "PRAGMA foreign_keys=OFF;"
	                   "INSERT INTO story_keys VALUES ('l:gone', 999999);"
	                   "INSERT INTO story_keys SELECT 'junk', story_id "
	                   "FROM entries WHERE title = 'Pasar';"
	                   "PRAGMA foreign_keys=ON", NULL, NULL, NULL) ==
	      SQLITE_OK);
	archive_close(a);

	a = archive_open(path);
	CHECK(a != NULL);
	CHECK_INT(archive_schema_version(a), ARCHIVE_SCHEMA);
	CHECK_INT(count(a, "SELECT count(*) FROM story_keys WHERE "
	                   "typeof(key) != 'integer'"), 0);
	CHECK_INT(count(a, "SELECT count(*) FROM story_keys WHERE "
	                   "story_id = 999999"), 0);
	CHECK_INT(count(a, "SELECT count(*) FROM sqlite_master WHERE name = "
	                   "'story_keys_story'"), 1);
	/* the same link (by its canonical form), the same text, the same
	 * link again, from the other feed */
	mk(&fresh[0], "https://kalsel.example/?p=9",
	   "http://mc.banjarbaru.example/taman-literasi", "Taman (prov)",
	   "Versi provinsi.", "2025-12-02T03:00:00Z", 1764644400);
	mk(&fresh[1], "https://kalsel.example/?p=10",
	   "https://kalsel.example/berita/cempaka/", "Cempaka (prov)", text,
	   "2025-12-01T04:30:00Z", 1764563400);
	mk(&fresh[2], "https://kalsel.example/?p=11",
	   "https://mc.banjarbaru.example/pasar", "Pasar (prov)",
	   "Versi provinsi.", "2025-12-01T05:30:00Z", 1764567000);
	CHECK(ingest(a, f2, fresh, 3, 1764660000, NULL) == 0);
	CHECK_INT(count(a, "SELECT count(*) FROM entries"), 6);
	CHECK_INT(count(a, "SELECT count(*) FROM stories"), 3);
	CHECK_INT(count(a, "SELECT count(*) FROM entries a JOIN entries b ON "
	                   "a.story_id = b.story_id AND a.feed_id < b.feed_id "
	                   "AND b.title = a.title || ' (prov)'"), 3);
	char *ok = text_of(a, "PRAGMA foreign_key_check");
	CHECK(ok == NULL);
	free(ok);
	clear_all(old, 3);
	clear_all(fresh, 3);
	archive_close(a);
	free(path);
}

/* archive_begin_flat: a level with no savepoint. Rolled back having
 * written nothing, it undoes nothing; having written, it takes the whole
 * transaction with it: nothing more opens inside, every commit fails,
 * the outermost rolls back. */
TEST(archive_flat_level_rolls_back_nothing_or_all)
{
	char *path = db_in_tmp("flat.db");
	struct archive *a = archive_open(path);
	CHECK(a != NULL);
	CHECK(archive_begin(a) == 0);
	CHECK(add_feed(a, "https://a.example/feed/") > 0);
	CHECK(archive_begin_flat(a) == 0);
	CHECK_INT(count(a, "SELECT count(*) FROM feeds"), 1);
	archive_rollback(a);
	CHECK(archive_commit(a) == 0);
	CHECK_INT(count(a, "SELECT count(*) FROM feeds"), 1);

	CHECK(archive_begin(a) == 0);
	CHECK(add_feed(a, "https://b.example/feed/") > 0);
	CHECK(archive_begin_flat(a) == 0);
	CHECK(add_feed(a, "https://c.example/feed/") > 0);
	archive_rollback(a);
	CHECK(archive_begin(a) < 0);
	CHECK(archive_commit(a) < 0);
	CHECK_INT(count(a, "SELECT count(*) FROM feeds"), 1);
	/* the next transaction starts afresh */
	CHECK(archive_begin(a) == 0);
	CHECK(add_feed(a, "https://d.example/feed/") > 0);
	CHECK(archive_commit(a) == 0);
	CHECK_INT(count(a, "SELECT count(*) FROM feeds"), 2);
	archive_close(a);
	free(path);
}

TEST(archive_open_version_stops_there)
{
	char *path = db_in_tmp("v.db");
	struct archive *a = archive_open_version(path, 1);
	CHECK(a != NULL);
	CHECK_INT(archive_schema_version(a), 1);
	CHECK_INT(count(a, "SELECT count(*) FROM sqlite_master WHERE "
	                   "name = 'stories'"), 0);
	archive_close(a);
	a = archive_open(path);
	CHECK_INT(archive_schema_version(a), ARCHIVE_SCHEMA);
	CHECK_INT(count(a, "SELECT count(*) FROM sqlite_master WHERE "
	                   "name = 'stories'"), 1);
	archive_close(a);
	free(path);
}

static int log_cb(void *ctx, const struct arc_log *l)
{
	struct buf *b = ctx;
	buf_printf(b, "%ld/%ld/%s;", l->fresh, l->unchanged,
	           l->error ? l->error : "-");
	return 0;
}

TEST(archive_log_and_stats)
{
	char *path = db_in_tmp("l.db");
	struct archive *a = archive_open(path);
	int64_t feed = add_feed(a, "https://x.example/feed");
	struct entry e;
	mk(&e, "a", NULL, "A", "A.", NULL, 0);
	CHECK(ingest(a, feed, &e, 1, 1764650000, NULL) == 0);
	CHECK(ingest(a, feed, &e, 1, 1764653600, NULL) == 0);
	struct arc_fetch fx = {.time = 1764657200, .url = "https://x.example/feed",
	                       .status = 404, .error = "HTTP 404",
	                       .failures = 1};
	CHECK(archive_fetch_record(a, feed, &fx) == 0);
	struct buf b = {0};
	CHECK(archive_log_each(a, feed, 0, log_cb, &b) == 0);
	CHECK_STR(b.p, "0/0/HTTP 404;0/1/-;1/0/-;");
	buf_reset(&b);
	CHECK(archive_log_each(a, 0, 1, log_cb, &b) == 0);
	CHECK_STR(b.p, "0/0/HTTP 404;");
	struct arc_stats s;
	CHECK(archive_stats(a, &s) == 0);
	CHECK_INT(s.feeds, 1);
	CHECK_INT(s.entries, 1);
	CHECK_INT(s.fetches, 3);
	CHECK_INT(s.schema, ARCHIVE_SCHEMA);
	CHECK(s.bytes > 0);
	buf_free(&b);
	entry_clear(&e);
	archive_close(a);
	free(path);
}
