/* test_hostile.c — the reproducers of bugs that the fuzzers and the
 * hostile cases found, at the module level, so that each one fails here
 * the moment it comes back (under gcc and its sanitizers too, not only
 * under the clang fuzz build). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opml.h"
#include "parse.h"
#include "search.h"
#include "tokenizer.h"
#include "t.h"
#include "util.h"

static int count_entry(void *ctx, const struct feed *f, struct entry *e)
{
	(void)f, (void)e;
	(*(long *)ctx)++;
	return 0;
}

/* A whole body pushed at once, as the fetcher does: libxml2's push parser
 * refused more than 10 MB unparsed in one piece ("Huge input lookup") and
 * the feed was cut at entry 74,103, marked bozo. */
TEST(hostile_one_push_of_22mb_keeps_every_entry)
{
	struct buf b = {0};
	buf_puts(&b, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
	             "<title>Kota</title>");
	for (int i = 0; i < 100000; i++)
		buf_printf(&b, "<item><title>Berita %d</title><guid "
		           "isPermaLink=\"false\">g%d</guid><description>Isi "
		           "berita nomor %d, cukup panjang untuk 22 MB: banjir "
		           "di Banjarbaru, Kalimantan Selatan.</description>"
		           "</item>", i, i, i);
	buf_puts(&b, "</channel></rss>");
	CHECK(b.len > (size_t)12 << 20);
	long n = 0;
	struct parse_opts o = {NULL, NULL};
	struct parser *p = parser_new(&o, count_entry, &n);
	CHECK_INT(parser_push(p, b.p, b.len), 0);
	CHECK_INT(parser_finish(p), 0);
	CHECK_INT(n, 100000);
	CHECK_INT(parser_feed(p)->bozo, 0);
	parser_free(p);
	buf_free(&b);
}

/* libxml2's message for bad bytes runs on to a second line ("… indicate
 * encoding !\nBytes: 0xFF 0xFE …"); opml_read's error is one line. */
TEST(hostile_opml_error_is_one_line)
{
	static const char doc[] = "<?xml version=\"1.0\"?><opml version=\"2.0\">"
	                          "<body><outline text=\"\377\376\" xmlUrl="
	                          "\"http://a/\"/></body></opml>";
	struct opml_doc d;
	char *err = NULL;
	CHECK_INT(opml_read(doc, sizeof doc - 1, &d, &err), -1);
	CHECK(err != NULL);
	CHECK_LACKS(err, "\n");
	CHECK_CONTAINS(err, "line 1: ");
	free(err);
	opml_doc_clear(&d);
}

/* The query is quoted back in the error: a newline (or an escape
 * sequence) in it broke the one-line message. */
TEST(hostile_search_error_is_one_line)
{
	sqlite3 *db = NULL;
	CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
	CHECK_INT(tokenizer_register(db), SQLITE_OK);
	char err[256] = "";
	char *expr = search_compile(db, "as\n\033[31m:banjir", err, sizeof err);
	CHECK(expr == NULL);
	CHECK(err[0] != 0);
	CHECK_LACKS(err, "\n");
	CHECK_LACKS(err, "\033");
	/* the fuzzer's: a quoted field name with a newline in it */
	expr = search_compile(db, "{\"as\n\f\"s\"a\fs\"", err, sizeof err);
	CHECK(expr == NULL);
	CHECK_CONTAINS(err, "no field");
	CHECK_LACKS(err, "\n");
	sqlite3_close(db);
}

TEST(hostile_url_redact)
{
	char *r = url_redact("https://rahasia:sandi@kota.example.go.id/feed/");
	CHECK_STR(r, "https://***@kota.example.go.id/feed/");
	free(r);
	r = url_redact("http://user@h:8080/a?b=c@d");
	CHECK_STR(r, "http://***@h:8080/a?b=c@d");
	free(r);
	/* an @ after the authority is not a password */
	r = url_redact("https://h/feed?mail=a@b.c#x@y");
	CHECK_STR(r, "https://h/feed?mail=a@b.c#x@y");
	free(r);
	r = url_redact("http://a:b@c@host/x");
	CHECK_STR(r, "http://***@host/x");
	free(r);
	CHECK(url_redact(NULL) == NULL);
	char buf[64];
	CHECK_STR(url_redact_buf("file:///tmp/a@b.xml", buf, sizeof buf),
	          "file:///tmp/a@b.xml");
	CHECK_STR(url_redact_buf("ftp://u:p@h/", buf, sizeof buf),
	          "ftp://***@h/");
}
