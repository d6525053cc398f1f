/* test_export.c — the Atom, RSS and JSON Feed writers and atomic -o, on
 * hand-built entries; real readers (jing, feedparser) on their output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <sqlite3.h>

#include "t.h"
#include "export.h"
#include "util.h"

#define T0 1764642600 /* 2025-12-02T02:30:00Z, a Tuesday */

static const struct export_head head = {
	.title = "warta: all", .id = "urn:warta:test", .updated = T0,
};

/* The whole document for entries e[0..n), as one malloc'd string. */
static char *doc(enum export_format f, const struct export_head *h,
                 const struct entry *e, size_t n,
                 const struct export_sources *s)
{
	char *p = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&p, &len);
	struct exporter *x = export_begin(f, fp, h ? h : &head);
	for (size_t i = 0; i < n; i++)
		if (export_entry(x, &e[i], s) < 0)
			abort();
	if (export_end(x) < 0)
		abort();
	fclose(fp);
	return p;
}

static int well_formed(const char *s)
{
	xmlDocPtr d = xmlReadMemory(s, (int)strlen(s), "export.xml", NULL,
	                            XML_PARSE_NONET | XML_PARSE_NOERROR |
	                            XML_PARSE_NOWARNING);
	if (!d)
		return 0;
	xmlFreeDoc(d);
	return 1;
}

/* json_extract(doc, path) through SQLite, as text ("" for NULL). */
static char *jq(const char *json, const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *out = NULL;
	sqlite3_open(":memory:", &db);
	sqlite3_prepare_v2(db, "SELECT json_valid(?1), json_extract(?1, ?2)",
	                   -1, &st, NULL);
	sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (!sqlite3_column_int(st, 0))
			out = xstrdup("(invalid JSON)");
		else if (sqlite3_column_type(st, 1) == SQLITE_NULL)
			out = xstrdup("");
		else
			out = xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

#define CHECK_JQ(json, path, want)                                       \
	do {                                                             \
		char *v_ = jq(json, path);                               \
		CHECK_STR(v_, want);                                     \
		free(v_);                                                \
	} while (0)

static struct entry full_entry(void)
{
	static struct person people[2] = {
		{.name = "Humas Banjarbaru", .email = "humas@banjarbarukota.go.id"},
		{.name = "Redaksi"},
	};
	static char *tags[] = {"Berita", "Pemerintahan & Politik"};
	static struct enclosure enc[] = {
		{.url = "https://mc.example.go.id/a.mp3", .type = "audio/mpeg",
		 .length = 1234},
		{.url = "https://mc.example.go.id/b.pdf", .length = -1},
	};
	struct entry e = {0};
	e.id = "https://mc.example.go.id/?p=12";
	e.link = "https://mc.example.go.id/berita/rapat/?a=1&b=2";
	e.title = "Rapat <DPRD> & Pemkot";
	e.summary = "<p>Ringkas &amp; padat</p>";
	e.content = "<p>Isi <b>lengkap</b> berita.</p>";
	e.comments = "https://mc.example.go.id/berita/rapat/#comments";
	e.language = "id";
	e.published = (struct wdate){.t = T0 - 3600, .ok = 1};
	e.updated = (struct wdate){.t = T0, .ok = 1};
	e.authors = people;
	e.nauthors = 2;
	e.tags = tags;
	e.ntags = 2;
	e.enclosures = enc;
	e.nenclosures = 2;
	return e;
}

static const struct export_source mc_source = {
	.id = "https://mc.example.go.id/feed/",
	.title = "Media Center <Banjarbaru>",
	.url = "https://mc.example.go.id/feed/",
	.link = "https://mc.example.go.id/",
	.updated = T0,
};

TEST(export_format_names)
{
	enum export_format f;
	CHECK_INT(export_format_parse("atom", &f), 0);
	CHECK_INT(f, EXPORT_ATOM);
	CHECK_INT(export_format_parse("rss", &f), 0);
	CHECK_INT(f, EXPORT_RSS);
	CHECK_INT(export_format_parse("jsonfeed", &f), 0);
	CHECK_INT(f, EXPORT_JSONFEED);
	CHECK_INT(export_format_parse("opml", &f), -1);
	CHECK_STR(export_media_type(EXPORT_ATOM), "application/atom+xml");
	CHECK_STR(export_format_name(EXPORT_RSS), "rss");
}

TEST(export_atom_writes_everything_the_entry_has)
{
	struct entry e = full_entry();
	struct export_sources s = {&mc_source, 1, T0 - 7200};
	char *d = doc(EXPORT_ATOM, NULL, &e, 1, &s);
	CHECK(well_formed(d));
	CHECK_CONTAINS(d, "<feed xmlns=\"http://www.w3.org/2005/Atom\">");
	CHECK_CONTAINS(d, "<id>urn:warta:test</id>");
	CHECK_CONTAINS(d, "<updated>2025-12-02T02:30:00Z</updated>");
	CHECK_CONTAINS(d, "<name>warta</name>");
	CHECK_CONTAINS(d, "<entry xml:lang=\"id\">");
	CHECK_CONTAINS(d, "<id>https://mc.example.go.id/?p=12</id>");
	CHECK_CONTAINS(d, "<title type=\"text\">Rapat &lt;DPRD&gt; &amp; "
	                  "Pemkot</title>");
	CHECK_CONTAINS(d, "<published>2025-12-02T01:30:00Z</published>");
	CHECK_CONTAINS(d, "<link rel=\"alternate\" type=\"text/html\" "
	                  "href=\"https://mc.example.go.id/berita/rapat/"
	                  "?a=1&amp;b=2\"/>");
	CHECK_CONTAINS(d, "<link rel=\"replies\" type=\"text/html\" href=\"");
	CHECK_CONTAINS(d, "<link rel=\"enclosure\" type=\"audio/mpeg\" "
	                  "href=\"https://mc.example.go.id/a.mp3\" "
	                  "length=\"1234\"/>");
	CHECK_CONTAINS(d, "<link rel=\"enclosure\" "
	                  "href=\"https://mc.example.go.id/b.pdf\"/>");
	CHECK_CONTAINS(d, "<name>Humas Banjarbaru</name>");
	CHECK_CONTAINS(d, "<email>humas@banjarbarukota.go.id</email>");
	CHECK_CONTAINS(d, "<name>Redaksi</name>");
	CHECK_CONTAINS(d, "<category term=\"Pemerintahan &amp; Politik\"/>");
	CHECK_CONTAINS(d, "<summary type=\"html\"><![CDATA[<p>Ringkas &amp; "
	                  "padat</p>]]></summary>");
	CHECK_CONTAINS(d, "<content type=\"html\"><![CDATA[<p>Isi <b>");
	CHECK_CONTAINS(d, "<source>");
	CHECK_CONTAINS(d, "<id>https://mc.example.go.id/feed/</id>");
	CHECK_CONTAINS(d, "<title type=\"text\">Media Center &lt;Banjarbaru"
	                  "&gt;</title>");
	CHECK_CONTAINS(d, "<link rel=\"self\" "
	                  "href=\"https://mc.example.go.id/feed/\"/>");
	free(d);
}

TEST(export_atom_keeps_ids_and_wraps_only_non_iris)
{
	struct entry e[3] = {{0}};
	e[0].id = "tag:blogger.com,1999:blog-1.post-2";
	e[0].link = "https://dpppa.example.go.id/2025/12/a.html";
	e[1].id = "12345 6";
	e[1].link = "https://x.example/";
	e[2].link = "https://x.example/only-link";
	char *a = doc(EXPORT_ATOM, NULL, e, 3, NULL);
	CHECK_CONTAINS(a, "<id>tag:blogger.com,1999:blog-1.post-2</id>");
	CHECK_CONTAINS(a, "<id>urn:warta:guid:12345%206</id>");
	CHECK_CONTAINS(a, "<id>https://x.example/only-link</id>");
	char *r = doc(EXPORT_RSS, NULL, e, 3, NULL);
	CHECK_CONTAINS(r, "<guid isPermaLink=\"false\">tag:blogger.com,1999:"
	                  "blog-1.post-2</guid>");
	CHECK_CONTAINS(r, "<guid isPermaLink=\"false\">12345 6</guid>");
	CHECK_CONTAINS(r, "<guid isPermaLink=\"true\">https://x.example/"
	                  "only-link</guid>");
	char *j = doc(EXPORT_JSONFEED, NULL, e, 3, NULL);
	CHECK_JQ(j, "$.items[1].id", "12345 6");
	free(a);
	free(r);
	free(j);
}

TEST(export_atom_fills_what_rfc4287_requires)
{
	struct entry e = {0};
	struct export_sources s = {NULL, 0, T0 - 86400};
	char *d = doc(EXPORT_ATOM, NULL, &e, 1, &s);
	CHECK(well_formed(d));
	/* No id, no link: a stable hash. No title: an empty one. No date:
	 * first seen. No link: a content, so RFC 4287 4.1.2 holds. */
	CHECK_CONTAINS(d, "<id>urn:uuid:");
	CHECK_CONTAINS(d, "<title type=\"text\"/>");
	CHECK_CONTAINS(d, "<updated>2025-12-01T02:30:00Z</updated>");
	CHECK_LACKS(d, "<published>");
	CHECK_CONTAINS(d, "<content type=\"html\"/>");
	char *again = doc(EXPORT_ATOM, NULL, &e, 1, &s);
	CHECK_STR(again, d);
	free(again);
	free(d);
	/* Without first_seen the head's date is the last resort. */
	d = doc(EXPORT_ATOM, NULL, &e, 1, NULL);
	CHECK_CONTAINS(d, "<updated>2025-12-02T02:30:00Z</updated>");
	free(d);
}

TEST(export_repairs_strings_for_xml)
{
	struct entry e = {0};
	e.id = "https://x.example/1";
	e.title = "a\x01" "b\x1f" "c\xff" "d\xc3\xa9" "e\xef\xbf\xbe" "f\xed\xa0\x80"
	          "g\tz";
	e.summary = "<p>\x0b</p>";
	e.tags = (char *[]){"t\x02"};
	e.ntags = 1;
	for (int f = EXPORT_ATOM; f <= EXPORT_RSS; f++) {
		char *d = doc((enum export_format)f, NULL, &e, 1, NULL);
		CHECK(well_formed(d));
		CHECK_CONTAINS(d, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD"
		                  "d\xc3\xa9" "e\xEF\xBF\xBD" "f\xEF\xBF\xBD"
		                  "\xEF\xBF\xBD\xEF\xBF\xBDg\tz");
		/* libxml2 writes non-ASCII in attributes as references. */
		CHECK(strstr(d, "t\xEF\xBF\xBD<") || strstr(d, "t&#xFFFD;"));
		CHECK_LACKS(d, "\x01");
		CHECK_LACKS(d, "\x0b");
		free(d);
	}
	char *j = doc(EXPORT_JSONFEED, NULL, &e, 1, NULL);
	CHECK_JQ(j, "$.items[0].title",
	         "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d\xc3\xa9"
	         "e\xEF\xBF\xBD" "f\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDg\tz");
	free(j);
}

/* The bytes the XML writers put out, pinned: export.c writes XML itself
 * and must keep what libxml2's xmlTextWriter wrote (these are its bytes). */
TEST(export_xml_escaping_is_pinned)
{
	char *tags[] = {"Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	                "t\tab\nnl\rcr \"q\" 'a' <>&"};
	struct entry e = {0};
	e.id = "https://x.example/1";
	e.link = "https://x.example/b\xc3\xa9rita?a=1&b=2\"";
	e.title = "T\xc3\xa9tle \"q\" 'a' <b> & \r\n\t end";
	e.summary = "<p>s ]]> x \xc3\xa9</p>";
	e.content = "<p>c\r\nline</p>]]>";
	e.tags = tags;
	e.ntags = 2;
	struct entry empty = {.title = "", .summary = ""};
	struct entry two[2] = {e, empty};
	char *d = doc(EXPORT_ATOM, NULL, two, 2, NULL);
	CHECK(well_formed(d));
	CHECK_CONTAINS(d, "<title type=\"text\">T\xc3\xa9tle &quot;q&quot; 'a' "
	                  "&lt;b&gt; &amp; &#13;\n\t end</title>");
	CHECK_CONTAINS(d, "<link rel=\"alternate\" type=\"text/html\" "
	                  "href=\"https://x.example/b&#xE9;rita?a=1&amp;b=2"
	                  "&quot;\"/>");
	CHECK_CONTAINS(d, "<category term=\"Caf&#xE9; &#x20AC; &#x1F600;\"/>"
	                  "<category term=\"t&#9;ab&#10;nl&#13;cr &quot;q&quot;"
	                  " 'a' &lt;&gt;&amp;\"/>");
	CHECK_CONTAINS(d, "<summary type=\"html\"><![CDATA[<p>s ]]]]><![CDATA"
	                  "[> x \xc3\xa9</p>]]></summary>");
	CHECK_CONTAINS(d, "<content type=\"html\">&lt;p&gt;c&#13;\nline&lt;/p"
	                  "&gt;]]&gt;</content></entry>\n<entry><id>");
	CHECK_CONTAINS(d, "<title type=\"text\"/>");
	CHECK_CONTAINS(d, "<content type=\"html\"/></entry>\n</feed>\n");
	CHECK_STR(d + strlen(d) - 17, "</entry>\n</feed>\n");
	CHECK(!strncmp(d, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed "
	                  "xmlns=\"http://www.w3.org/2005/Atom\"><id>", 79));
	free(d);
	d = doc(EXPORT_RSS, NULL, &e, 1, NULL);
	CHECK(well_formed(d));
	CHECK_CONTAINS(d, "<link>https://x.example/b\xc3\xa9rita?a=1&amp;b=2"
	                  "&quot;</link>");
	CHECK_CONTAINS(d, "<category>t\tab\nnl&#13;cr &quot;q&quot; 'a' &lt;"
	                  "&gt;&amp;</category>");
	CHECK_STR(d + strlen(d) - 25, "</item>\n</channel></rss>\n");
	free(d);
}

/* The first element with this local name, depth first. */
static xmlNodePtr find_el(xmlNodePtr n, const char *name)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, name) == 0)
			return n;
		xmlNodePtr in = find_el(n->children, name);
		if (in)
			return in;
	}
	return NULL;
}

/* The text of the first element with local name "name" inside the first
 * "in", as a reader of the document gets it (CDATA sections and
 * references resolved). */
static char *xml_text(const char *d, const char *in, const char *name)
{
	xmlDocPtr doc = xmlReadMemory(d, (int)strlen(d), "x.xml", NULL,
	                              XML_PARSE_NONET | XML_PARSE_NOERROR);
	char *out = NULL;
	if (!doc)
		return NULL;
	xmlNodePtr n = find_el(xmlDocGetRootElement(doc), in);
	n = n ? find_el(n->children, name) : NULL;
	if (n) {
		xmlChar *t = xmlNodeGetContent(n);
		out = xstrdup(t ? (const char *)t : "");
		xmlFree(t);
	}
	xmlFreeDoc(doc);
	return out;
}

/* HTML goes out as CDATA; what CDATA cannot hold ("]]>", CR) must still
 * read back as the same text. */
TEST(export_html_reads_back_the_same)
{
	static const char *const html[] = {
		"<p>a ]]> b</p>", "]]>", "x]]>]]>y", "<p>a\r\nb &amp; c</p>",
		"<p>]]</p>>", "plain",
	};
	for (size_t i = 0; i < sizeof html / sizeof *html; i++) {
		struct entry e = {0};
		e.id = "https://x.example/1";
		e.link = "https://x.example/1";
		e.content = (char *)html[i];
		e.summary = (char *)html[i];
		char *a = doc(EXPORT_ATOM, NULL, &e, 1, NULL);
		char *r = doc(EXPORT_RSS, NULL, &e, 1, NULL);
		CHECK(well_formed(a));
		CHECK(well_formed(r));
		char *t;
		t = xml_text(a, "entry", "content");
		CHECK_STR(t, html[i]);
		free(t);
		t = xml_text(a, "entry", "summary");
		CHECK_STR(t, html[i]);
		free(t);
		t = xml_text(r, "item", "encoded");
		CHECK_STR(t, html[i]);
		free(t);
		t = xml_text(r, "item", "description");
		CHECK_STR(t, html[i]);
		free(t);
		free(a);
		free(r);
	}
}

TEST(export_rss_items)
{
	struct entry e = full_entry();
	struct export_sources s = {&mc_source, 1, 0};
	char *d = doc(EXPORT_RSS, NULL, &e, 1, &s);
	CHECK(well_formed(d));
	CHECK_CONTAINS(d, "<rss version=\"2.0\"");
	CHECK_CONTAINS(d, "<title>warta: all</title>");
	CHECK_CONTAINS(d, "<description>warta: all</description>");
	CHECK_CONTAINS(d, "<lastBuildDate>Tue, 02 Dec 2025 02:30:00 +0000"
	                  "</lastBuildDate>");
	CHECK_CONTAINS(d, "<link>https://mc.example.go.id/berita/rapat/"
	                  "?a=1&amp;b=2</link>");
	CHECK_CONTAINS(d, "<guid isPermaLink=\"false\">https://mc.example.go.id"
	                  "/?p=12</guid>");
	/* pubDate is the first publication, not the last edit. */
	CHECK_CONTAINS(d, "<pubDate>Tue, 02 Dec 2025 01:30:00 +0000</pubDate>");
	CHECK_CONTAINS(d, "<author>humas@banjarbarukota.go.id (Humas "
	                  "Banjarbaru)</author>");
	CHECK_CONTAINS(d, "<dc:creator>Redaksi</dc:creator>");
	CHECK_CONTAINS(d, "<category>Pemerintahan &amp; Politik</category>");
	CHECK_CONTAINS(d, "<description><![CDATA[<p>Ringkas &amp; padat"
	                  "</p>]]></description>");
	CHECK_CONTAINS(d, "<content:encoded><![CDATA[<p>Isi");
	CHECK_CONTAINS(d, "<comments>https://mc.example.go.id/berita/rapat/"
	                  "#comments</comments>");
	CHECK_CONTAINS(d, "<enclosure url=\"https://mc.example.go.id/a.mp3\" "
	                  "length=\"1234\" type=\"audio/mpeg\"/>");
	CHECK_CONTAINS(d, "<enclosure url=\"https://mc.example.go.id/b.pdf\" "
	                  "length=\"0\" type=\"application/octet-stream\"/>");
	CHECK_CONTAINS(d, "<source url=\"https://mc.example.go.id/feed/\">"
	                  "Media Center &lt;Banjarbaru&gt;</source>");
	free(d);
}

/* The <item> holding needle, as a malloc'd string ("" if none). */
static char *item_with(const char *d, const char *needle)
{
	const char *at = strstr(d, needle);
	if (!at)
		return xstrdup("");
	const char *start = at;
	while (start > d && strncmp(start, "<item>", 6) != 0)
		start--;
	const char *stop = strstr(at, "</item>");
	return xstrndup(start, stop ? (size_t)(stop - start) : strlen(start));
}

TEST(export_rss_title_and_description_rules)
{
	struct entry e[3] = {{0}};
	e[0].id = "a";
	e[0].summary = "<p>only a description</p>";
	e[1].id = "b";
	e[2].id = "c";
	e[2].content = "1 < 2";
	e[2].content_is_text = 1;
	char *d = doc(EXPORT_RSS, NULL, e, 3, NULL);
	CHECK(well_formed(d));
	/* a: no title (it has a description); b: an empty one (RSS wants
	 * one of the two); c: plain text escaped into HTML. */
	char *a = item_with(d, ">a</guid>");
	char *b = item_with(d, ">b</guid>");
	char *c = item_with(d, ">c</guid>");
	CHECK_LACKS(a, "<title");
	CHECK_CONTAINS(a, "<description><![CDATA[<p>only a description");
	CHECK_CONTAINS(b, "<title/>");
	CHECK_CONTAINS(c, "<description><![CDATA[1 &lt; 2]]></description>");
	CHECK_CONTAINS(c, "<content:encoded><![CDATA[1 &lt; 2]]>"
	                  "</content:encoded>");
	free(a);
	free(b);
	free(c);
	free(d);
}

TEST(export_rfc822_dates)
{
	struct entry e = {0};
	e.id = "x";
	e.published = (struct wdate){.t = 951782400, .ok = 1}; /* leap day */
	char *d = doc(EXPORT_RSS, NULL, &e, 1, NULL);
	CHECK_CONTAINS(d, "<pubDate>Tue, 29 Feb 2000 00:00:00 +0000</pubDate>");
	free(d);
	e.published.t = 0;
	d = doc(EXPORT_RSS, NULL, &e, 1, NULL);
	CHECK_CONTAINS(d, "<pubDate>Thu, 01 Jan 1970 00:00:00 +0000</pubDate>");
	free(d);
	e.published.t = -86400;
	d = doc(EXPORT_RSS, NULL, &e, 1, NULL);
	CHECK_CONTAINS(d, "<pubDate>Wed, 31 Dec 1969 00:00:00 +0000</pubDate>");
	free(d);
}

TEST(export_jsonfeed_items)
{
	struct entry e = full_entry();
	struct export_source two[2] = {mc_source, {.title = "Diskominfo",
	                                          .url = "https://d.example/feed/"}};
	struct export_sources s = {two, 2, 0};
	char *d = doc(EXPORT_JSONFEED, NULL, &e, 1, &s);
	CHECK_JQ(d, "$.version", "https://jsonfeed.org/version/1.1");
	CHECK_JQ(d, "$.title", "warta: all");
	CHECK_JQ(d, "$._warta.id", "urn:warta:test");
	CHECK_JQ(d, "$.items[0].id", "https://mc.example.go.id/?p=12");
	CHECK_JQ(d, "$.items[0].url",
	         "https://mc.example.go.id/berita/rapat/?a=1&b=2");
	CHECK_JQ(d, "$.items[0].title", "Rapat <DPRD> & Pemkot");
	CHECK_JQ(d, "$.items[0].content_html",
	         "<p>Isi <b>lengkap</b> berita.</p>");
	CHECK_JQ(d, "$.items[0].date_published", "2025-12-02T01:30:00Z");
	CHECK_JQ(d, "$.items[0].date_modified", "2025-12-02T02:30:00Z");
	CHECK_JQ(d, "$.items[0].authors[0].name", "Humas Banjarbaru");
	CHECK_JQ(d, "$.items[0].authors[1].name", "Redaksi");
	CHECK_JQ(d, "$.items[0]._warta.author_email",
	         "humas@banjarbarukota.go.id");
	CHECK_JQ(d, "$.items[0].tags[1]", "Pemerintahan & Politik");
	CHECK_JQ(d, "$.items[0].language", "id");
	CHECK_JQ(d, "$.items[0].attachments[0].size_in_bytes", "1234");
	CHECK_JQ(d, "$.items[0].attachments[1].mime_type",
	         "application/octet-stream");
	CHECK_JQ(d, "$.items[0]._warta.comments",
	         "https://mc.example.go.id/berita/rapat/#comments");
	CHECK_JQ(d, "$.items[0]._warta.source.title",
	         "Media Center <Banjarbaru>");
	CHECK_JQ(d, "$.items[0]._warta.sources[1].url",
	         "https://d.example/feed/");
	CHECK_JQ(d, "$.items[0]._warta.undated", "");
	free(d);
}

TEST(export_jsonfeed_without_content_or_date)
{
	struct entry e = {0};
	e.id = "x";
	e.summary = "<p>s</p>";
	struct export_sources s = {NULL, 0, T0 - 60};
	char *d = doc(EXPORT_JSONFEED, NULL, &e, 1, &s);
	CHECK_JQ(d, "$.items[0].content_html", "<p>s</p>");
	CHECK_JQ(d, "$.items[0].date_published", "2025-12-02T02:29:00Z");
	CHECK_JQ(d, "$.items[0]._warta.undated", "1");
	CHECK_JQ(d, "$.items[0].date_modified", "");
	free(d);
	/* The entry's own atom:source serves when the archive gives none. */
	e.source.title = "Antara";
	e.source.url = "https://antara.example/rss";
	d = doc(EXPORT_JSONFEED, NULL, &e, 1, NULL);
	CHECK_JQ(d, "$.items[0]._warta.source.title", "Antara");
	free(d);
	d = doc(EXPORT_RSS, NULL, &e, 1, NULL);
	CHECK_CONTAINS(d, "<source url=\"https://antara.example/rss\">Antara"
	                  "</source>");
	free(d);
}

TEST(export_head_fields)
{
	struct export_head h = {
		.title = "warta: tag kalsel", .subtitle = "Berita <Kalsel>",
		.self = "https://news.example/all.xml",
		.link = "https://news.example/", .language = "id_ID",
		.author = "Diskominfo", .updated = T0,
	};
	char *a = doc(EXPORT_ATOM, &h, NULL, 0, NULL);
	CHECK(well_formed(a));
	CHECK_CONTAINS(a, "xml:lang=\"id-ID\"");
	CHECK_CONTAINS(a, "<id>https://news.example/all.xml</id>");
	CHECK_CONTAINS(a, "<subtitle type=\"text\">Berita &lt;Kalsel&gt;"
	                  "</subtitle>");
	CHECK_CONTAINS(a, "<link rel=\"self\" type=\"application/atom+xml\" "
	                  "href=\"https://news.example/all.xml\"/>");
	CHECK_CONTAINS(a, "<link rel=\"alternate\" type=\"text/html\" "
	                  "href=\"https://news.example/\"/>");
	CHECK_CONTAINS(a, "<name>Diskominfo</name>");
	char *r = doc(EXPORT_RSS, &h, NULL, 0, NULL);
	CHECK(well_formed(r));
	CHECK_CONTAINS(r, "<link>https://news.example/</link>");
	CHECK_CONTAINS(r, "<language>id-ID</language>");
	CHECK_CONTAINS(r, "<atom:link rel=\"self\" type=\"application/rss+xml\"");
	char *j = doc(EXPORT_JSONFEED, &h, NULL, 0, NULL);
	CHECK_JQ(j, "$.feed_url", "https://news.example/all.xml");
	CHECK_JQ(j, "$.home_page_url", "https://news.example/");
	CHECK_JQ(j, "$.items", "[]");
	free(a);
	free(r);
	free(j);
	/* A language tag the schema would refuse is left out. */
	h.language = "Indonesian";
	a = doc(EXPORT_ATOM, &h, NULL, 0, NULL);
	CHECK_LACKS(a, "xml:lang");
	free(a);
}

/* Many entries stream through: the document is complete and well-formed,
 * read back with the streaming reader so the test stays flat too. */
TEST(export_many_entries)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/many.atom", t_tmpdir());
	FILE *fp = fopen(path, "w");
	CHECK(fp);
	struct exporter *x = export_begin(EXPORT_ATOM, fp, &head);
	struct entry e = full_entry();
	char id[64];
	for (int i = 0; i < 20000; i++) {
		snprintf(id, sizeof id, "https://mc.example.go.id/?p=%d", i);
		e.id = id;
		CHECK_INT(export_entry(x, &e, NULL), 0);
	}
	CHECK_INT(export_end(x), 0);
	fclose(fp);
	xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET);
	CHECK(r);
	int n = 0, rc;
	while ((rc = xmlTextReaderRead(r)) == 1)
		if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
		    xmlTextReaderDepth(r) == 1 &&
		    strcmp((const char *)xmlTextReaderConstLocalName(r),
		           "entry") == 0)
			n++;
	xmlFreeTextReader(r);
	CHECK_INT(rc, 0);
	CHECK_INT(n, 20000);
}

TEST(export_reports_write_errors)
{
	FILE *fp = fopen("/dev/full", "w");
	if (!fp)
		return; /* not Linux */
	for (int f = EXPORT_ATOM; f <= EXPORT_JSONFEED; f++) {
		struct exporter *x = export_begin((enum export_format)f, fp,
		                                  &head);
		struct entry e = full_entry();
		int failed = 0;
		for (int i = 0; i < 1000 && !failed; i++)
			failed = export_entry(x, &e, NULL) < 0;
		errno = 0;
		CHECK_INT(export_end(x), -1);
		CHECK_INT(errno, ENOSPC);
		clearerr(fp);
	}
	fclose(fp);
}

/* ---- atomic -o ---- */

static char *slurp(const char *path)
{
	struct buf b = {0};
	if (read_file(path, &b, 0) < 0)
		return NULL;
	return buf_steal(&b);
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;
	while (d && (de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

TEST(export_atomic_file_replaces_or_keeps)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/all.xml", t_tmpdir());
	FILE *fp = fopen(path, "w");
	fputs("old", fp);
	fclose(fp);
	chmod(path, 0640);

	struct atomic_file af;
	CHECK_INT(atomic_open(&af, path), 0);
	fputs("half a new docu", af.fp);
	fflush(af.fp);
	/* While it is being written the old file is what a reader sees,
	 * and the temporary one is beside it. */
	char *s = slurp(path);
	CHECK_STR(s, "old");
	free(s);
	CHECK_INT(count_files(t_tmpdir()), 2);
	atomic_abort(&af);
	s = slurp(path);
	CHECK_STR(s, "old");
	free(s);
	CHECK_INT(count_files(t_tmpdir()), 1);

	CHECK_INT(atomic_open(&af, path), 0);
	fputs("new", af.fp);
	CHECK_INT(atomic_commit(&af), 0);
	s = slurp(path);
	CHECK_STR(s, "new");
	free(s);
	CHECK_INT(count_files(t_tmpdir()), 1);
	struct stat st;
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 07777, 0640);
}

TEST(export_atomic_file_new_and_failing)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/new.json", t_tmpdir());
	mode_t old = umask(022);
	struct atomic_file af;
	CHECK_INT(atomic_open(&af, path), 0);
	fputs("{}", af.fp);
	CHECK_INT(atomic_commit(&af), 0);
	umask(old);
	struct stat st;
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 07777, 0644);
	/* A folder that does not exist: open fails, nothing is left. */
	snprintf(path, sizeof path, "%s/no/such/dir/x.xml", t_tmpdir());
	CHECK_INT(atomic_open(&af, path), -1);
	CHECK_INT(errno, ENOENT);
	CHECK(!af.path && !af.tmp && !af.fp); /* nothing to free */
	/* The target is a folder: rename fails, the temporary file goes. */
	snprintf(path, sizeof path, "%s/adir", t_tmpdir());
	mkdir(path, 0755);
	char inside[4200];
	snprintf(inside, sizeof inside, "%s/keep", path);
	FILE *fp = fopen(inside, "w");
	fclose(fp);
	CHECK_INT(atomic_open(&af, path), 0);
	fputs("x", af.fp);
	CHECK_INT(atomic_commit(&af), -1);
	CHECK_INT(count_files(t_tmpdir()), 2); /* new.json, adir */
	CHECK_INT(count_files(path), 1);
}

/* ---- real readers ---- */

static const char *python(void)
{
	const char *p = getenv("PYTHON");
	if (p && *p)
		return p;
	return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3"
	                                             : "python3";
}

/* A mixed bag: the full entry, non-IRI ids, missing fields, repairs. */
static void write_samples(const char *dir)
{
	static const char *const ext[] = {"atom", "rss", "json"};
	struct entry e[6] = {{0}};
	e[0] = full_entry();
	e[1].id = "12345";
	e[1].title = "Tanpa tanggal & tanpa tautan";
	e[1].content = "teks < biasa";
	e[1].content_is_text = 1;
	e[2].link = "https://mc.example.go.id/hanya-tautan";
	e[2].summary = "<p>ringkasan</p>";
	e[2].published = (struct wdate){.t = T0 - 86400, .ok = 1};
	e[3].id = "https://mc.example.go.id/?p=3";
	e[3].title = "Kontrol\x01 dan \xff byte";
	e[3].updated = (struct wdate){.t = T0 - 172800, .ok = 1};
	e[3].language = "Bahasa Indonesia";
	e[4] = full_entry();
	e[4].id = "urn:uuid:5f0e3a5c-2a9b-4a0e-8b1e-0c6f6a0f2b11";
	e[4].authors = NULL;
	e[4].nauthors = 0;
	e[4].source = (struct source){.title = "Antara",
	                              .url = "https://antara.example/rss"};
	/* e[5]: nothing at all. */
	struct export_sources s = {&mc_source, 1, T0 - 3600};
	for (int f = 0; f < 3; f++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/sample.%s", dir, ext[f]);
		FILE *fp = fopen(path, "w");
		struct exporter *x = export_begin((enum export_format)f, fp,
		                                  &head);
		for (int i = 0; i < 6; i++)
			export_entry(x, &e[i], i == 0 ? &s : NULL);
		export_end(x);
		fclose(fp);
	}
}

/* Runs cmd with its output to a file; on failure the output goes into
 * the test's failure line. */
static int sh_quiet(const char *cmd, char **out)
{
	char *path = xasprintf("%s/cmd.out", t_tmpdir());
	char *full = xasprintf("%s >%s 2>&1", cmd, path);
	int st = system(full);
	*out = slurp(path);
	if (!*out)
		*out = xstrdup("");
	free(full);
	free(path);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(export_atom_validates_with_jing)
{
	const char *dir = t_tmpdir();
	write_samples(dir);
	char *cmd = xasprintf("jing -c tests/schemas/atom.rnc %s/sample.atom",
	                      dir);
	char *out;
	int rc = sh_quiet(cmd, &out);
	if (rc != 0)
		t_fail(__FILE__, __LINE__, "jing: %s", out);
	/* The schema must also refuse: no id in an entry. */
	char *bad = xasprintf("sed 's#<id>urn:uuid:[^<]*</id>##' %s/sample.atom"
	                      " > %s/bad.atom && jing -c tests/schemas/atom.rnc"
	                      " %s/bad.atom", dir, dir, dir);
	char *out2;
	CHECK(sh_quiet(bad, &out2) != 0);
	CHECK_CONTAINS(out2, "missing required element \"id\"");
	free(cmd);
	free(bad);
	free(out);
	free(out2);
}

TEST(export_feedparser_reads_atom_and_rss)
{
	const char *dir = t_tmpdir();
	write_samples(dir);
	char *cmd = xasprintf("%s tests/readers/check_export.py %s/sample.json "
	                      "%s/sample.atom %s/sample.rss", python(), dir,
	                      dir, dir);
	char *out;
	int rc = sh_quiet(cmd, &out);
	if (rc != 0)
		t_fail(__FILE__, __LINE__, "check_export.py: %s", out);
	free(cmd);
	free(out);
}
