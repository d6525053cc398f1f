/* test_fetch_discover.c — a page's feed links and the usual places. */
#include <stdlib.h>

#include "t.h"
#include "discover.h"
#include "util.h"

TEST(discover_links_wordpress_head)
{
	struct buf b = {0};
	CHECK(read_file(t_fixture("fetch/wp-home.html"), &b, 1 << 20) == 0);
	char **v;
	size_t n = discover_links(b.p, b.len, "https://mc.contohkota.go.id/",
	                          &v);
	buf_free(&b);
	/* the feed and the comments feed; never the application/json
	 * wp-json link, nor the RSD link */
	CHECK_INT(n, 2);
	CHECK_STR(v[0], "https://mc.contohkota.go.id/feed/");
	CHECK_STR(v[1], "https://mc.contohkota.go.id/comments/feed/");
	discover_free(v, n);
}

TEST(discover_links_types_rel_base_and_schemes)
{
	static const char page[] =
		"<html><head>"
		"<base href='https://cdn.example.org/portal/'>"
		"<LINK REL='Alternate' TYPE='application/atom+xml' "
		"href=' atom.xml '>"
		"<link rel='alternate feed' type='application/feed+json; "
		"charset=utf-8' href='//other.example.org/feed.json#x'>"
		"<link rel='alternate' type='application/rss+xml' "
		"href='javascript:alert(1)'>"
		"<link rel='alternate' type='text/html' href='/en/'>"
		"<link rel='stylesheet' type='application/rss+xml' href='/no'>"
		"<link rel='alternate' type='application/rdf+xml' "
		"href='atom.xml'>"
		"</head><body><p>&nbsp;<link rel=alternate "
		"type=application/rss+xml href=/late.xml>";
	char **v;
	size_t n = discover_links(page, sizeof page - 1,
	                          "http://example.org/a/b.html", &v);
	CHECK_INT(n, 3);
	CHECK_STR(v[0], "https://cdn.example.org/portal/atom.xml");
	CHECK_STR(v[1], "https://other.example.org/feed.json");
	CHECK_STR(v[2], "https://cdn.example.org/late.xml");
	discover_free(v, n);
}

TEST(discover_links_of_nothing)
{
	char **v = (char **)1;
	CHECK_INT(discover_links("", 0, "http://x/", &v), 0);
	CHECK(v == NULL);
	static const char junk[] = "\x00\xff<<<>>>&&&<link";
	CHECK_INT(discover_links(junk, sizeof junk - 1, "http://x/", &v), 0);
	discover_free(v, 0);
}

TEST(discover_guesses_root_first_then_beside_the_page)
{
	char **v;
	size_t n = discover_guesses("https://kalselprov.go.id/berita/", &v);
	CHECK_INT(n, 9);
	CHECK_STR(v[0], "https://kalselprov.go.id/feed/");
	CHECK_STR(v[1], "https://kalselprov.go.id/?feed=rss2");
	CHECK_STR(v[2], "https://kalselprov.go.id/rss.xml");
	CHECK_STR(v[3], "https://kalselprov.go.id/feeds/posts/default");
	CHECK_STR(v[4], "https://kalselprov.go.id/?format=feed&type=rss");
	CHECK_STR(v[5], "https://kalselprov.go.id/berita/feed/");
	CHECK_STR(v[6], "https://kalselprov.go.id/berita/?feed=rss2");
	CHECK_STR(v[7], "https://kalselprov.go.id/berita/rss.xml");
	CHECK_STR(v[8], "https://kalselprov.go.id/berita/?format=feed&type=rss");
	discover_free(v, n);
	/* at the root the two lists are one */
	n = discover_guesses("http://example.org/", &v);
	CHECK_INT(n, 5);
	discover_free(v, n);
	/* the page itself is never a guess */
	n = discover_guesses("http://example.org/feed/", &v);
	for (size_t i = 0; i < n; i++)
		CHECK(strcmp(v[i], "http://example.org/feed/") != 0);
	discover_free(v, n);
	n = discover_guesses("not a url", &v);
	CHECK_INT(n, 0);
}
