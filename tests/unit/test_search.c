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
