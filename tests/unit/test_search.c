/* test_search.c — the query compiler: what it writes, what it refuses,
 * and that FTS5 accepts everything it writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "search.h"
#include "t.h"
#include "tokenizer.h"
#include "util.h"

static sqlite3 *open_fts(void)
{
	sqlite3 *db = NULL;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    tokenizer_register(db) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, body, "
	                 "author, category, feed, tokenize='warta');"
	                 "INSERT INTO t VALUES('Banjir di Banjarbaru', "
	                 "'Warga berdaya menghadapi banjir rob', 'Humas', "
	                 "'Bencana', 'Media Center Banjarbaru');"
	                 "INSERT INTO t VALUES('Rapat pemberdayaan UMKM', "
	                 "'Pukul 09.30 WITA di kantor Diskominfo', "
	                 "'Admin', 'Ekonomi', 'Diskominfo');"
	                 "INSERT INTO t VALUES('Salat Jum''at', "
	                 "'Kota Banjarbaru menggelar salat', 'Admin', "
	                 "'Agama', 'Media Center Banjarbaru');",
	                 NULL, NULL, NULL) != SQLITE_OK)
		abort();
	return db;
}

/* The compiled form with the exact mark shown as '@', or "!" + error. */
static char *compiled(sqlite3 *db, const char *q)
{
	static char out[1024];
	char err[256];
	char *r = search_compile(db, q, err, sizeof err);
	if (!r) {
		snprintf(out, sizeof out, "!%s", err);
		return out;
	}
	snprintf(out, sizeof out, "%s", r);
	free(r);
	for (char *p = out; *p; p++)
		if (*p == TOKENIZER_EXACT_MARK)
			*p = '@';
	return out;
}

/* Rowids the user query finds, "1 2", or "!error", or "ERR: fts5's". */
static char *found(sqlite3 *db, const char *q)
{
	static char out[512];
	char err[256];
	char *expr = search_compile(db, q, err, sizeof err);
	if (!expr) {
		snprintf(out, sizeof out, "!%s", err);
		return out;
	}
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1 "
	                   "ORDER BY rowid", -1, &st, NULL);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	size_t n = 0;
	int rc;
	out[0] = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%d",
		                      n ? " " : "", sqlite3_column_int(st, 0));
	if (rc != SQLITE_DONE)
		snprintf(out, sizeof out, "ERR: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	free(expr);
	return out;
}

TEST(search_compile_rewrites)
{
	static const char *const cases[][2] = {
		{"berdaya", "\"berdaya\""},
		{"  banjir   rob ", "\"banjir\" \"rob\""},
		{"\"kota banjarbaru\"", "\"@kota banjarbaru\""},
		{"\xe2\x80\x9c" "kota baru" "\xe2\x80\x9d", "\"@kota baru\""},
		{"\"say \"\"hi\"\"\"", "\"@say \"\"hi\"\"\""},
		{"Jum'at 09.30", "\"Jum'at\" \"09.30\""},
		{"pukul 10:30", "\"pukul\" \"10:30\""},
		{"covid-19 e-KTP", "\"covid-19\" \"e-KTP\""},
		{"pember*", "\"pember\"*"},
		{"\"wali ko\"*", "\"@wali ko\"*"},
		{"banjir AND rob", "\"banjir\" AND \"rob\""},
		{"banjir OR rob NOT jakarta",
		 "\"banjir\" OR \"rob\" NOT \"jakarta\""},
		{"banjir and rob", "\"banjir\" \"and\" \"rob\""},
		{"(banjir OR rob) banjarbaru",
		 "(\"banjir\" OR \"rob\") AND \"banjarbaru\""},
		{"banjarbaru (banjir OR rob)",
		 "\"banjarbaru\" AND (\"banjir\" OR \"rob\")"},
		{"a b NOT c", "\"a\" \"b\" NOT \"c\""},
		/* a NOT chain that holds a group is a group beside a
		 * phrase (fuzz_search: FTS5 refused "a (b) NOT c") */
		{"banjir (rob) NOT kota",
		 "\"banjir\" AND (\"rob\") NOT \"kota\""},
		{"banjir NOT (rob) kota",
		 "\"banjir\" NOT (\"rob\") AND \"kota\""},
		{"title:banjir", "title:\"banjir\""},
		{"Title : banjir", "title:\"banjir\""},
		{"judul:banjir penulis:humas", "title:\"banjir\" author:\"humas\""},
		{"-title:banjir", "-title:\"banjir\""},
		{"{title body}:banjir", "{title body}:\"banjir\""},
		{"title:(banjir OR rob)", "title:(\"banjir\" OR \"rob\")"},
		{"\"title\":x", "title:\"x\""},
		{"^banjir", "^\"banjir\""},
		{"title:^banjir", "title:^\"banjir\""},
		{"kota + baru", "\"kota\" + \"baru\""},
		{"NEAR(banjir rob, 5)", "NEAR(\"banjir\" \"rob\", 5)"},
		{"NEAR (banjir \"kota baru\")",
		 "NEAR(\"banjir\" \"@kota baru\")"},
		{"banjir — rob", "\"banjir\" \"rob\""},
		{"banjir \"\" rob", "\"banjir\" \"rob\""},
		{"banjir, rob.", "\"banjir,\" \"rob.\""},
		{"a\x01" "b", "\"a b\""},
	};
	sqlite3 *db = open_fts();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		CHECK_STR(compiled(db, cases[i][0]), cases[i][1]);
	sqlite3_close(db);
}

TEST(search_compile_explains_bad_queries)
{
	static const char *const cases[][2] = {
		{"", "the query is empty"},
		{"   ", "the query is empty"},
		{"\xe2\x80\x94", "the query has no words to search for"},
		{"\"banjir", "unbalanced quote (a '\"' has no closing '\"')"},
		{"banjir \"rob \"\"x", "unbalanced quote (a '\"' has no closing "
		 "'\"')"},
		{"NOT banjir", "NOT needs a word before it, as in banjir NOT "
		 "rob"},
		{"banjir OR NOT rob", "NOT needs a word before it, as in banjir "
		 "NOT rob"},
		{"AND banjir", "AND needs a word before it, as in banjir AND "
		 "rob"},
		{"banjir AND", "AND needs a word after it, as in banjir AND rob"},
		{"banjir OR", "OR needs a word after it, as in banjir OR rob"},
		{"banjir NOT", "NOT needs a word after it, as in banjir NOT rob"},
		{"(banjir OR)", "OR needs a word after it, as in banjir OR rob"},
		{"banjir AND OR rob", "OR needs a word before it, as in banjir "
		 "OR rob"},
		{"(banjir", "unbalanced parenthesis: a '(' is never closed"},
		{"banjir)", "unbalanced parenthesis: a ')' has no '('"},
		{"()", "empty parentheses"},
		{"banjir ()", "empty parentheses"},
		{"*", "'*' goes right after a word, as in pember*"},
		{"banjir **", "one '*' is enough, as in pember*"},
		{"+ banjir", "'+' goes between two words, as in kota + baru"},
		{"kota +", "'+' needs a word after it, as in kota + baru"},
		{": banjir", "':' goes right after a field name, as in "
		 "title:banjir"},
		{"foo:banjir", "no field 'foo' (the fields are title, body, "
		 "author, category, feed; put text with a ':' in quotes)"},
		{"https://x.go.id", "no field 'https' (the fields are title, "
		 "body, author, category, feed; put text with a ':' in "
		 "quotes)"},
		{"title:", "a field filter needs a word after it, as in "
		 "title:banjir"},
		{"title: OR x", "a field filter needs a word after it, as in "
		 "title:banjir"},
		{"{title body", "'{' needs field names and a '}', as in "
		 "{title body}:banjir"},
		{"{}:x", "'{}' needs field names, as in {title body}:banjir"},
		{"{title} banjir", "a field filter needs a ':', as in "
		 "-body:banjir or {title body}:banjir"},
		{"banjir }", "a '}' has no '{'"},
		{"-banjir", "'-' does not leave a word out: write NOT before "
		 "it, as in banjir NOT rob"},
		{"^", "'^' goes right before a word, as in ^banjir"},
		{"NEAR()", "NEAR needs words inside its parentheses, as in "
		 "NEAR(banjir rob, 5)"},
		{"NEAR(banjir rob, x)", "the distance in NEAR must be a number, "
		 "as in NEAR(banjir rob, 5)"},
		{"NEAR(banjir rob", "unbalanced parenthesis: NEAR( is never "
		 "closed"},
		{"NEAR(banjir OR rob)", "NEAR takes only words and a distance, "
		 "as in NEAR(banjir rob, 5)"},
	};
	sqlite3 *db = open_fts();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char want[300];
		snprintf(want, sizeof want, "!%s", cases[i][1]);
		CHECK_STR(compiled(db, cases[i][0]), want);
	}
	struct buf big = {0};
	for (int i = 0; i <= SEARCH_MAX_QUERY; i++)
		buf_putc(&big, 'a');
	CHECK_STR(compiled(db, big.p), "!the query is longer than 4096 bytes");
	buf_reset(&big);
	for (int i = 0; i < 40; i++)
		buf_putc(&big, '(');
	buf_putc(&big, 'a');
	for (int i = 0; i < 40; i++)
		buf_putc(&big, ')');
	CHECK_STR(compiled(db, big.p),
	          "!too many parentheses inside each other");
	buf_free(&big);
	sqlite3_close(db);
}

TEST(search_compiled_queries_find_the_right_rows)
{
	sqlite3 *db = open_fts();
	CHECK_STR(found(db, "pemberdayaan"), "1 2");   /* berdaya, itself */
	CHECK_STR(found(db, "\"pemberdayaan\""), "2");
	CHECK_STR(found(db, "banjarbaru"), "1 3");
	CHECK(strncmp(found(db, "title:P+EAR(a b, 3) NOT  b"), "ERR", 3));
	CHECK_STR(found(db, "title:banjarbaru"), "1");
	CHECK_STR(found(db, "-title:banjarbaru"), "1 3");
	CHECK_STR(found(db, "{author category}:humas"), "1");
	CHECK_STR(found(db, "feed:diskominfo"), "2");
	CHECK_STR(found(db, "banjir OR salat"), "1 3");
	CHECK_STR(found(db, "banjarbaru NOT banjir"), "3");
	CHECK_STR(found(db, "(banjir OR salat) kota"), "3");
	CHECK_STR(found(db, "\"banjir rob\""), "1");
	CHECK_STR(found(db, "\"rob banjir\""), "");
	CHECK_STR(found(db, "NEAR(warga rob, 3)"), "1");
	CHECK_STR(found(db, "NEAR(warga rob, 1)"), "");
	CHECK_STR(found(db, "banj*"), "1 3");
	CHECK_STR(found(db, "Jum'at"), "3");
	CHECK_STR(found(db, "09.30"), "2");
	CHECK_STR(found(db, "^banjir"), "1");
	CHECK_STR(found(db, "^salat"), "3");
	sqlite3_close(db);
}

/* Whatever the user types, the compiler either explains the refusal or
 * writes something FTS5 runs: random queries from the characters that
 * mean something, with words and operators mixed in. */
TEST(search_compile_output_always_parses)
{
	static const char *const bits[] = {
		"\"", "(", ")", "*", ":", "^", "+", "{", "}", ",", "-", " ",
		"AND", "OR", "NOT", "NEAR", "title", "body", "banjir", "rob",
		"'", ".", "09", "\xe2\x80\x9c", "\xe2\x80\x94", "\x1a", "\x01",
		"5", "é",
	};
	sqlite3 *db = open_fts();
	unsigned seed = 12345;
	int accepted = 0;
	for (int i = 0; i < 20000; i++) {
		char q[128];
		size_t n = 0;
		int parts = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 9;
		q[0] = 0;
		for (int k = 0; k < parts; k++) {
			seed = seed * 1103515245 + 12345;
			const char *b = bits[(seed >> 16) %
			                     (sizeof bits / sizeof *bits)];
			if (n + strlen(b) + 1 >= sizeof q)
				break;
			memcpy(q + n, b, strlen(b) + 1);
			n += strlen(b);
		}
		char *r = found(db, q);
		if (strncmp(r, "ERR", 3) == 0) {
			t_fail(__FILE__, __LINE__, "query '%s' compiled to "
			       "'%s': %s", q, compiled(db, q), r);
			break;
		}
		accepted += r[0] != '!';
	}
	CHECK(accepted > 1000);
	sqlite3_close(db);
}

static char *marked(const char *in, enum search_mark m)
{
	static char out[512];
	struct buf b = {0};
	search_mark(&b, in, m);
	snprintf(out, sizeof out, "%s", b.p);
	buf_free(&b);
	return out;
}

TEST(search_mark_styles_and_cleans)
{
	const char *s = "  Warga \x02" "berdaya\x03 menghadapi\n\n\tbanjir ";
	CHECK_STR(marked(s, MARK_BRACKETS),
	          "Warga [berdaya] menghadapi banjir");
	CHECK_STR(marked(s, MARK_BOLD),
	          "Warga \033[1mberdaya\033[0m menghadapi banjir");
	CHECK_STR(marked(s, MARK_NONE), "Warga berdaya menghadapi banjir");
	/* escape sequences and C1 controls from a feed never get through */
	CHECK_STR(marked("a\033[31mb\xc2\x9b" "31mc\x7f" "d", MARK_BRACKETS),
	          "a[31mb31mcd");
	/* no-break spaces are spaces; UTF-8 stays */
	CHECK_STR(marked("Jum\xe2\x80\x99" "at\xc2\xa0\xc2\xa0pukul",
	                 MARK_NONE), "Jum\xe2\x80\x99" "at pukul");
	/* a bold mark left open is closed; stray closes are ignored */
	CHECK_STR(marked("\x03x \x02y", MARK_BOLD), "x \033[1my\033[0m");
	CHECK_STR(marked("\x02\x02x\x03\x03", MARK_BRACKETS), "[x]");
	CHECK_STR(marked("", MARK_BOLD), "");
	CHECK_STR(marked(NULL, MARK_BOLD), "");
}

/* ---- over a real archive ---- */

#include "archive.h"

static void mk_entry(struct entry *e, const char *id, const char *title,
                     const char *text, int64_t t)
{
	memset(e, 0, sizeof *e);
	e->id = xstrdup(id);
	e->link = xasprintf("https://mc.example.go.id/%s/", id);
	e->title = xstrdup(title);
	e->content = xstrdup(text);
	e->content_is_text = 1;
	e->published.raw = xstrdup("date");
	e->published.t = t;
	e->published.ok = 1;
}

static int64_t feed_add(struct archive *a, const char *url, const char *tag)
{
	const char *tags[] = {tag};
	struct arc_new_feed nf = {.url = url, .tags = tags, .ntags = tag != NULL};
	int64_t id = 0;
	if (archive_feed_add(a, &nf, 0, &id) < 0)
		return 0;
	return id;
}

static int put(struct archive *a, int64_t feed, struct entry *es, size_t n,
               const char *feed_title)
{
	struct arc_ingest *in = archive_ingest_begin(a, feed, 1764700000);
	if (!in)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (archive_ingest_entry(in, &es[i]) < 0) {
			archive_ingest_abort(in);
			return -1;
		}
	if (feed_title) {
		struct feed f = {.title = (char *)feed_title};
		if (archive_ingest_feed(in, &f) < 0) {
			archive_ingest_abort(in);
			return -1;
		}
	}
	struct arc_fetch fx = {.time = 1764700000, .url = "file:///x",
	                       .next_due = 1764703600};
	int rc = archive_ingest_end(in, &fx, NULL);
	for (size_t i = 0; i < n; i++)
		entry_clear(&es[i]);
	return rc;
}

/* The hits of a query over the archive as "id,id,…" (the number of
 * sources after a '/' when more than one), or "!" + the error. */
static char *ask(struct archive *a, const char *q, struct search_opts *base)
{
	static char out[512];
	struct search_opts o = {0};
	if (base)
		o = *base;
	o.query = q;
	o.f.include_removed = 1;
	struct search_iter *it;
	char err[256];
	int rc = search_iter_new(a, &o, &it, err, sizeof err);
	if (rc < 0) {
		snprintf(out, sizeof out, "!%s", rc == -2 ? err : "archive");
		return out;
	}
	struct search_hit *h;
	size_t n = 0;
	out[0] = 0;
	while ((rc = search_iter_next(it, &h)) == 1) {
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%lld",
		                      n ? "," : "", (long long)h->row.id);
		if (h->row.nsources > 1)
			n += (size_t)snprintf(out + n, sizeof out - n, "/%zu",
			                      h->row.nsources);
	}
	if (rc < 0)
		snprintf(out, sizeof out, "!next");
	search_iter_free(it);
	return out;
}

static char *fts_check(struct archive *a)
{
	static char out[256];
	char *e = NULL;
	if (sqlite3_exec(archive_db(a), "INSERT INTO search(search) "
	                 "VALUES('integrity-check')", NULL, NULL, &e) ==
	    SQLITE_OK)
		snprintf(out, sizeof out, "ok");
	else
		snprintf(out, sizeof out, "%s", e ? e : "?");
	sqlite3_free(e);
	return out;
}

static struct archive *news_archive(int64_t *f1, int64_t *f2)
{
	char *path = xasprintf("%s/s.db", t_tmpdir());
	struct archive *a = archive_open(path);
	free(path);
	if (!a)
		return NULL;
	*f1 = feed_add(a, "https://mc.example.go.id/feed/", "kalsel");
	*f2 = feed_add(a, "https://kominfo.example.go.id/feed/", NULL);
	struct entry es[4];
	/* 1: the word in the title; 2: once in the body; 3: neither */
	mk_entry(&es[0], "a", "Banjir rob melanda pesisir",
	         "Warga pesisir mengungsi.", 1764600000);
	mk_entry(&es[1], "b", "Rapat koordinasi",
	         "Rapat membahas pemberdayaan warga dan banjir kemarin.",
	         1764650000);
	mk_entry(&es[2], "c", "Salat Jum'at", "Pukul 09.30 WITA di masjid.",
	         1764690000);
	mk_entry(&es[3], "d", "Pelatihan kader",
	         "Kader posyandu memberdayakan ibu hamil.", 1764500000);
	if (put(a, *f1, es, 4, "Media Center Banjarbaru") < 0)
		return NULL;
	return a;
}

TEST(search_archive_finds_ranks_and_filters)
{
	int64_t f1, f2;
	struct archive *a = news_archive(&f1, &f2);
	CHECK(a != NULL);
	CHECK_STR(fts_check(a), "ok");
	/* the title counts more than the body */
	CHECK_STR(ask(a, "banjir", NULL), "1,2");
	/* bm25: the shorter text of 4 beats 2 */
	CHECK_STR(ask(a, "berdaya", NULL), "4,2");
	CHECK_STR(ask(a, "\"pemberdayaan\"", NULL), "2");
	CHECK_STR(ask(a, "title:rapat", NULL), "2");
	struct search_opts newest = {.by_date = 1};
	CHECK_STR(ask(a, "feed:banjarbaru", &newest), "3,2,1,4");
	CHECK_STR(ask(a, "Jum'at 09.30", NULL), "3");
	CHECK_STR(ask(a, "nothing", NULL), "");
	CHECK_STR(ask(a, "\"banjir", NULL), "!unbalanced quote (a '\"' has "
	          "no closing '\"')");
	struct search_opts o = {.by_date = 1};
	CHECK_STR(ask(a, "warga OR kader", &o), "2,1,4");
	o.f.since = 1764550000;
	CHECK_STR(ask(a, "warga OR kader", &o), "2,1");
	o.f.until = 1764620000;
	CHECK_STR(ask(a, "warga OR kader", &o), "1");
	struct search_opts lim = {.f.limit = 1};
	CHECK_STR(ask(a, "warga OR kader", &lim), "4");
	struct search_opts tag = {.f.tag = "kalsel"};
	CHECK_STR(ask(a, "kader", &tag), "4");
	tag.f.tag = "other";
	CHECK_STR(ask(a, "kader", &tag), "");
	struct search_opts feed = {.f.feed_id = f2};
	CHECK_STR(ask(a, "kader", &feed), "");
	/* past the window only the newest matches are ranked */
	struct search_opts win = {.window = 1};
	CHECK_STR(ask(a, "banjir", &win), "2");
	win.window = 2;
	CHECK_STR(ask(a, "banjir", &win), "1,2");
	archive_close(a);
}

/* Whether the window was full: so the command can say that older
 * matches were left out of the ranking. */
static int full(struct archive *a, const char *q, long window, int by_date)
{
	struct search_opts o = {.query = q, .window = window,
	                        .by_date = by_date};
	struct search_iter *it;
	char err[100];
	struct search_hit *h;
	if (search_iter_new(a, &o, &it, err, sizeof err) != 0)
		return -1;
	while (search_iter_next(it, &h) == 1)
		;
	int r = search_iter_window_full(it);
	search_iter_free(it);
	return r;
}

TEST(search_iter_tells_when_the_window_was_full)
{
	int64_t f1, f2;
	struct archive *a = news_archive(&f1, &f2);
	CHECK(a != NULL);
	/* banjir: two entries */
	CHECK_INT(full(a, "banjir", 1, 0), 1);
	CHECK_INT(full(a, "banjir", 2, 0), 1);
	CHECK_INT(full(a, "banjir", 3, 0), 0);
	CHECK_INT(full(a, "banjir", 0, 0), 0);
	CHECK_INT(full(a, "banjir", 1, 1), 0);  /* by date: no window */
	archive_close(a);
}

TEST(search_archive_snippet_and_title_marked)
{
	int64_t f1, f2;
	struct archive *a = news_archive(&f1, &f2);
	CHECK(a != NULL);
	struct search_opts o = {.query = "berdaya", .snippets = 1};
	struct search_iter *it;
	char err[100];
	CHECK_INT(search_iter_new(a, &o, &it, err, sizeof err), 0);
	struct search_hit *h;
	CHECK_INT(search_iter_next(it, &h), 1);
	CHECK_STR(h->snippet, "Kader posyandu \x02memberdayakan\x03 ibu "
	          "hamil.");
	CHECK_STR(h->title, "Pelatihan kader");
	search_iter_free(it);
	o.query = "rapat";
	o.by_date = 1;
	CHECK_INT(search_iter_new(a, &o, &it, err, sizeof err), 0);
	CHECK_INT(search_iter_next(it, &h), 1);
	CHECK_STR(h->title, "\x02Rapat\x03 koordinasi");
	CHECK_CONTAINS(h->snippet, "\x02Rapat\x03 membahas");
	CHECK_INT(search_iter_next(it, &h), 0);
	search_iter_free(it);
	archive_close(a);
}

TEST(search_archive_latest_version_is_found)
{
	int64_t f1, f2;
	struct archive *a = news_archive(&f1, &f2);
	CHECK(a != NULL);
	struct entry e;
	mk_entry(&e, "a", "Longsor di pegunungan", "Warga mengungsi lagi.",
	         1764600000);
	CHECK(put(a, f1, &e, 1, NULL) == 0);
	CHECK_STR(ask(a, "longsor", NULL), "1");
	CHECK_STR(ask(a, "rob", NULL), "");
	CHECK_STR(ask(a, "banjir", NULL), "2");
	CHECK_STR(fts_check(a), "ok");
	archive_close(a);
}

TEST(search_archive_one_story_many_sources)
{
	int64_t f1, f2;
	struct archive *a = news_archive(&f1, &f2);
	CHECK(a != NULL);
	/* the same story (same link) from a second feed */
	struct entry e;
	mk_entry(&e, "a", "Banjir rob melanda pesisir",
	         "Warga pesisir mengungsi.", 1764600000);
	CHECK(put(a, f2, &e, 1, "Diskominfo") == 0);
	/* one hit, its best entry (the shorter feed name), both feeds */
	CHECK_STR(ask(a, "pesisir", NULL), "5/2");
	CHECK_STR(ask(a, "feed:diskominfo", NULL), "5/2");
	struct search_opts o = {.by_date = 1};
	CHECK_STR(ask(a, "pesisir", &o), "5/2");
	archive_close(a);
}

TEST(search_archive_feed_rename_and_purge_keep_the_index_true)
{
	int64_t f1, f2;
	struct archive *a = news_archive(&f1, &f2);
	CHECK(a != NULL);
	struct entry e;
	mk_entry(&e, "x", "Kader", "Teks.", 1764600000);
	CHECK(put(a, f2, &e, 1, "Diskominfo") == 0);
	CHECK_STR(ask(a, "feed:diskominfo", NULL), "5");
	/* the feed renames itself: its entries are found by the new name */
	CHECK(put(a, f2, NULL, 0, "Dinas Kominfo") == 0);
	CHECK_STR(ask(a, "feed:diskominfo", NULL), "");
	CHECK_STR(ask(a, "feed:kominfo", NULL), "5");
	CHECK_STR(fts_check(a), "ok");
	CHECK(archive_feed_remove(a, f1, 1) == 0);
	CHECK_STR(ask(a, "kader", NULL), "5");
	CHECK_STR(ask(a, "banjir", NULL), "");
	CHECK_STR(fts_check(a), "ok");
	archive_close(a);
}

/* "same" when FTS5's totals (rows, and terms in each column: bm25's
 * averages) are what a rebuild from the entries makes, else both in hex.
 * FTS5's integrity-check does not compare them. The rebuild stays. */
static char *totals_check(struct archive *a)
{
	static char out[512];
	char *was = NULL, *now = NULL;
	sqlite3 *db = archive_db(a);
	for (int pass = 0; pass < 2; pass++) {
		sqlite3_stmt *st;
		if (pass && sqlite3_exec(db, "INSERT INTO search(search) "
		                         "VALUES('rebuild')", NULL, NULL,
		                         NULL) != SQLITE_OK)
			break;
		if (sqlite3_prepare_v2(db, "SELECT hex(block) FROM search_data "
		                       "WHERE id = 1", -1, &st, NULL) !=
		    SQLITE_OK)
			break;
		if (sqlite3_step(st) == SQLITE_ROW)
			*(pass ? &now : &was) = xstrdup(
			        (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	if (was && now && strcmp(was, now) == 0)
		snprintf(out, sizeof out, "same");
	else
		snprintf(out, sizeof out, "%s, rebuilt %s", was ? was : "?",
		         now ? now : "?");
	free(was);
	free(now);
	return out;
}

/* A fetch ingests many feeds in one transaction and indexes their new
 * entries at its end (arc_index_pending): what changes them or their
 * feed's name before then indexes them first, and what rolls back takes
 * its entries out of the waiting ones. */
TEST(search_archive_entries_wait_for_the_commit_to_be_indexed)
{
	int64_t f1, f2;
	struct archive *a = news_archive(&f1, &f2);
	CHECK(a != NULL);
	struct entry e;
	struct arc_fetch fx = {.time = 1764700000, .url = "file:///x"};
	CHECK(archive_begin(a) == 0);
	mk_entry(&e, "x", "Kader", "Teks pertama.", 1764600000);
	CHECK(put(a, f2, &e, 1, NULL) == 0);                   /* 5 */
	/* a feed sends an entry new in this transaction again, changed */
	mk_entry(&e, "x", "Kader", "Teks kedua, lebih panjang.", 1764600000);
	CHECK(put(a, f2, &e, 1, NULL) == 0);
	/* a feed added by URL takes its channel's title at the end of a
	 * document, and before the first entry of the next */
	mk_entry(&e, "y", "Nelayan", "Teks.", 1764600000);
	CHECK(put(a, f2, &e, 1, "Diskominfo") == 0);           /* 6 */
	mk_entry(&e, "w", "Gelombang", "Teks.", 1764600000);
	CHECK(put(a, f2, &e, 1, NULL) == 0);                   /* 7 */
	struct arc_ingest *in = archive_ingest_begin(a, f2, 1764700000);
	CHECK(in != NULL);
	struct feed named = {.title = "Dinas Kominfo"};
	CHECK(archive_ingest_feed_name(in, &named) == 0);
	CHECK(archive_ingest_end(in, &fx, NULL) == 0);
	/* a document that was not a feed after all, its name with it */
	mk_entry(&e, "v", "Pasang", "Teks.", 1764600000);
	CHECK(put(a, f2, &e, 1, NULL) == 0);                   /* 8 */
	in = archive_ingest_begin(a, f2, 1764700000);
	CHECK(in != NULL);
	named.title = "Kominfo Kota";
	CHECK(archive_ingest_feed_name(in, &named) == 0);
	mk_entry(&e, "z", "Sungai", "Teks.", 1764600000);
	CHECK(archive_ingest_entry(in, &e) == 0);
	entry_clear(&e);
	archive_ingest_discard(in);
	CHECK(archive_ingest_end(in, &fx, NULL) == 0);
	CHECK(archive_commit(a) == 0);
	CHECK_STR(fts_check(a), "ok");
	CHECK_STR(ask(a, "kedua", NULL), "5");
	CHECK_STR(ask(a, "pertama", NULL), "");
	CHECK_STR(ask(a, "pasang", NULL), "8");
	CHECK_STR(ask(a, "feed:dinas", NULL), "8,7,6,5");
	CHECK_STR(ask(a, "feed:kota OR feed:diskominfo OR sungai", NULL), "");
	CHECK_STR(totals_check(a), "same");
	/* a transaction rolled back leaves nothing waiting */
	CHECK(archive_begin(a) == 0);
	mk_entry(&e, "u", "Mangrove", "Teks.", 1764600000);
	CHECK(put(a, f1, &e, 1, NULL) == 0);
	archive_rollback(a);
	mk_entry(&e, "t", "Terumbu", "Teks.", 1764600000);
	CHECK(put(a, f1, &e, 1, NULL) == 0);
	CHECK_STR(ask(a, "mangrove", NULL), "");
	CHECK_STR(ask(a, "terumbu", NULL), "9");
	/* a feed purged while its entries wait */
	CHECK(archive_begin(a) == 0);
	mk_entry(&e, "s", "Mangrove", "Teks.", 1764600000);
	CHECK(put(a, f2, &e, 1, NULL) == 0);
	CHECK(archive_feed_remove(a, f2, 1) == 0);
	CHECK(archive_commit(a) == 0);
	CHECK_STR(ask(a, "mangrove OR kedua OR nelayan", NULL), "");
	CHECK_STR(fts_check(a), "ok");
	CHECK_STR(totals_check(a), "same");
	archive_close(a);
}

/* FTS5's own check of the index against the rows, tokenized again. */
static char *fts_content_check(struct archive *a)
{
	static char out[256];
	char *e = NULL;
	if (sqlite3_exec(archive_db(a), "INSERT INTO search(search, rank) "
	                 "VALUES('integrity-check', 1)", NULL, NULL, &e) ==
	    SQLITE_OK)
		snprintf(out, sizeof out, "ok");
	else
		snprintf(out, sizeof out, "%s", e ? e : "?");
	sqlite3_free(e);
	return out;
}

/* Entries as cmd_fetch's parse thread hands them over: prepared, the
 * index's tokens made ahead by tp. discard: the document turned out not
 * to be a feed. */
static int put_prepared(struct archive *a, int64_t feed, struct entry *es,
                        size_t n, struct tokenizer_pre *tp, int discard)
{
	struct arc_ingest *in = archive_ingest_begin(a, feed, 1764700000);
	if (!in)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct arc_prep *p = archive_entry_prepare(&es[i], tp);
		int rc = archive_ingest_prepared(in, &es[i], p);
		archive_prep_free(p);
		if (rc < 0) {
			archive_ingest_abort(in);
			return -1;
		}
	}
	if (discard)
		archive_ingest_discard(in);
	struct arc_fetch fx = {.time = 1764700000, .url = "file:///x",
	                       .next_due = 1764703600,
	                       .error = discard ? "not a feed" : NULL};
	int rc = archive_ingest_end(in, &fx, NULL);
	for (size_t i = 0; i < n; i++)
		entry_clear(&es[i]);
	return rc;
}

/* A new archive of one feed, and a tokenizer of the parse thread's
 * kind for put_prepared. */
static struct archive *ahead_archive(const char *name, int64_t *feed,
                                     struct tokenizer_pre **tp)
{
	char *path = xasprintf("%s/%s", t_tmpdir(), name);
	struct archive *a = archive_open(path);
	free(path);
	*feed = a ? feed_add(a, "https://mc.example.go.id/feed/", NULL) : 0;
	*tp = tokenizer_pre_new();
	return a;
}

/* What the parse thread tokenized is what is indexed, also when a
 * document's entries were taken back and their ids given again to
 * others of the same lengths (whose tokens those tapes are not). */
TEST(search_archive_indexes_what_was_tokenized_ahead)
{
	int64_t f;
	struct tokenizer_pre *tp;
	struct archive *a = ahead_archive("ahead.db", &f, &tp);
	CHECK(a != NULL && tp != NULL);
	CHECK(archive_begin(a) == 0);   /* one group, as a fetch commits */
	struct entry es[2];
	mk_entry(&es[0], "a", "Banjir rob melanda pesisir",
	         "Warga pesisir mengungsi.", 1764600000);
	CHECK_INT(put_prepared(a, f, es, 1, tp, 1), 0);
	mk_entry(&es[0], "b", "Gempa bumi menimpa pesisir",
	         "Nelayan pesisir berdaya.", 1764600000);
	mk_entry(&es[1], "c", "Pemberdayaan UMKM", "Teks.", 1764600000);
	CHECK_INT(put_prepared(a, f, es, 2, tp, 0), 0);
	CHECK(archive_commit(a) == 0);
	CHECK_STR(ask(a, "banjir", NULL), "");
	CHECK_STR(ask(a, "mengungsi", NULL), "");
	CHECK_STR(ask(a, "gempa", NULL), "1");
	CHECK_STR(ask(a, "berdaya", NULL), "2,1");
	CHECK_STR(fts_content_check(a), "ok");
	CHECK_STR(totals_check(a), "same");
	tokenizer_pre_free(tp);
	archive_close(a);
}

/* A title without a word (a camera, "…") has an empty tape, not none:
 * else the title column, of the text's length, took the text's tape,
 * and an edit's delete left its terms behind. */
TEST(search_archive_tapes_a_title_without_words)
{
	int64_t f;
	struct tokenizer_pre *tp;
	struct archive *a = ahead_archive("nowords.db", &f, &tp);
	CHECK(a != NULL && tp != NULL);
	struct entry es[1];
	mk_entry(&es[0], "a", "\xf0\x9f\x93\xb7", "Foto", 1764600000);
	CHECK_INT(put_prepared(a, f, es, 1, tp, 0), 0);
	CHECK_STR(ask(a, "title:foto", NULL), "");
	CHECK_STR(ask(a, "foto", NULL), "1");
	CHECK_STR(fts_content_check(a), "ok");
	/* an edit deletes what the row's texts give, then indexes anew */
	mk_entry(&es[0], "a", "\xf0\x9f\x93\xb7", "Foto baru", 1764600000);
	CHECK_INT(put_prepared(a, f, es, 1, tp, 0), 0);
	CHECK_STR(fts_content_check(a), "ok");
	CHECK_STR(totals_check(a), "same");
	tokenizer_pre_free(tp);
	archive_close(a);
}

/* FTS5's automerge, as migrations 6 and 7 leave it; -1 when not
 * stored. */
static int automerge(struct archive *a)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(archive_db(a), "SELECT v FROM search_config "
	                       "WHERE k = 'automerge'", -1, &st, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

/* An archive made at schema version with one entry ("Pemberdayaan
 * UMKM"), then opened by this warta: migrated. *merge_then (when not
 * NULL) gets its automerge before the upgrade. */
static struct archive *upgraded(const char *name, int version,
                                int *merge_then)
{
	char *path = xasprintf("%s/%s", t_tmpdir(), name);
	struct archive *a = archive_open_version(path, version);
	if (!a) {
		t_fail(__FILE__, __LINE__, "cannot make %s", path);
		free(path);
		return NULL;
	}
	if (merge_then)
		*merge_then = automerge(a);
	int64_t f = feed_add(a, "https://mc.example.go.id/feed/", NULL);
	struct entry e;
	mk_entry(&e, "a", "Pemberdayaan UMKM", "Teks lama.", 1764600000);
	if (put(a, f, &e, 1, NULL) != 0)
		t_fail(__FILE__, __LINE__, "cannot archive an entry");
	archive_close(a);
	a = archive_open(path);
	free(path);
	return a;
}

TEST(search_archive_index_built_for_an_older_archive)
{
	struct archive *a = upgraded("old.db", 2, NULL);
	CHECK(a != NULL);
	CHECK_INT(archive_schema_version(a), ARCHIVE_SCHEMA);
	CHECK_STR(ask(a, "berdaya", NULL), "1");
	CHECK_STR(fts_check(a), "ok");
	archive_close(a);
}

/* on a new archive, and on ones made at schema 5 and 6 */
TEST(search_archive_merges_sixteen_segments_at_a_time)
{
	int then = 0;
	struct archive *a = upgraded("am.db", 5, &then);
	CHECK_INT(then, -1);  /* FTS5's default, not stored */
	CHECK(a != NULL);
	CHECK_INT(automerge(a), 16);
	CHECK_STR(ask(a, "berdaya", NULL), "1");
	CHECK_STR(fts_check(a), "ok");
	archive_close(a);
	a = upgraded("am6.db", 6, &then);
	CHECK_INT(then, 8);
	CHECK(a != NULL);
	CHECK_INT(automerge(a), 16);
	CHECK_STR(fts_check(a), "ok");
	archive_close(a);
	char *fresh = xasprintf("%s/am2.db", t_tmpdir());
	a = archive_open(fresh);
	CHECK(a != NULL);
	CHECK_INT(automerge(a), 16);
	archive_close(a);
	free(fresh);
}

TEST(search_archive_pages_past_a_story_told_many_times)
{
	char *path = xasprintf("%s/p.db", t_tmpdir());
	struct archive *a = archive_open(path);
	free(path);
	CHECK(a != NULL);
	/* one story from 14 feeds (more than a first page of 2 * 1 + 8
	 * rows), then a weaker hit */
	for (int i = 0; i < 14; i++) {
		char *url = xasprintf("https://f%d.example.go.id/feed/", i);
		int64_t f = feed_add(a, url, NULL);
		free(url);
		struct entry e;
		mk_entry(&e, "same", "Banjir banjir banjir", "Banjir.",
		         1764600000 + i);
		CHECK(put(a, f, &e, 1, NULL) == 0);
	}
	int64_t f = feed_add(a, "https://other.example.go.id/feed/", NULL);
	struct entry e;
	mk_entry(&e, "other", "Rapat", "Rapat membahas banjir kemarin dan "
	         "hal lain yang panjang sekali.", 1764500000);
	CHECK(put(a, f, &e, 1, NULL) == 0);
	struct search_opts o = {.f.limit = 2};
	char *got = ask(a, "banjir", &o);
	CHECK(strstr(got, "/14,15") != NULL);
	o.by_date = 1;
	got = ask(a, "banjir", &o);
	CHECK_STR(got, "14/14,15");
	archive_close(a);
}
