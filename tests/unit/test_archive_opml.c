/* test_archive_opml.c — OPML as other readers write it, and back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "opml.h"
#include "util.h"

static int read_str(const char *s, struct opml_doc *d, char **err)
{
	return opml_read(s, strlen(s), d, err);
}

static int has_tag(const struct opml_feed *f, const char *t)
{
	for (size_t i = 0; i < f->ntags; i++)
		if (strcmp(f->tags[i], t) == 0)
			return 1;
	return 0;
}

TEST(opml_newsboat_export)
{
	const char *s =
		"<?xml version=\"1.0\"?>\n"
		"<opml version=\"1.0\">\n"
		"  <head>\n    <title>newsboat - Exported Feeds</title>\n"
		"  </head>\n  <body>\n"
		"    <outline type=\"rss\" xmlUrl=\"https://setkab.go.id/feed/\" "
		"htmlUrl=\"https://setkab.go.id\" title=\"Sekretariat Kabinet\" "
		"text=\"Sekretariat Kabinet\"/>\n"
		"    <outline type=\"rss\" xmlUrl=\"https://a.example/?feed=rss2&amp;cat=3\" "
		"title=\"A\" text=\"A\" category=\"nasional,berita\"/>\n"
		"  </body>\n</opml>\n";
	struct opml_doc d;
	char *err;
	CHECK(read_str(s, &d, &err) == 0);
	CHECK_INT(d.nfeeds, 2);
	CHECK_STR(d.title, "newsboat - Exported Feeds");
	CHECK_STR(d.feeds[0].xml_url, "https://setkab.go.id/feed/");
	CHECK_STR(d.feeds[0].html_url, "https://setkab.go.id");
	CHECK_STR(d.feeds[0].title, "Sekretariat Kabinet");
	CHECK_STR(d.feeds[1].xml_url, "https://a.example/?feed=rss2&cat=3");
	CHECK(has_tag(&d.feeds[1], "nasional"));
	CHECK(has_tag(&d.feeds[1], "berita"));
	opml_doc_clear(&d);
}

TEST(opml_sfeed_export)
{
	const char *s =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<opml version=\"1.0\">\n<head>\n\t<title>OPML export</title>\n"
		"</head>\n<body>\n"
		"\t<outline type=\"rss\" title=\"mc-banjarbaru\" text=\"mc-banjarbaru\" "
		"xmlUrl=\"https://mediacenter.banjarbarukota.go.id/feed/\"/>\n"
		"</body>\n</opml>\n";
	struct opml_doc d;
	char *err;
	CHECK(read_str(s, &d, &err) == 0);
	CHECK_INT(d.nfeeds, 1);
	CHECK_STR(d.feeds[0].title, "mc-banjarbaru");
	CHECK_INT(d.feeds[0].ntags, 0);
	opml_doc_clear(&d);
}

TEST(opml_miniflux_and_freshrss_folders_are_tags)
{
	const char *mf =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<opml version=\"2.0\">\n    <head>\n        <title>Miniflux</title>\n"
		"        <dateCreated>Sat, 01 Jan 2022 00:00:00 UTC</dateCreated>\n"
		"    </head>\n    <body>\n        <outline text=\"Kalsel\">\n"
		"            <outline title=\"MC Banjarmasin\" text=\"MC Banjarmasin\" "
		"xmlUrl=\"http://mc.banjarmasinkota.go.id/feed/\" "
		"htmlUrl=\"http://mc.banjarmasinkota.go.id\" description=\"\">"
		"</outline>\n        </outline>\n    </body>\n</opml>\n";
	struct opml_doc d;
	char *err;
	CHECK(read_str(mf, &d, &err) == 0);
	CHECK_INT(d.nfeeds, 1);
	CHECK_INT(d.feeds[0].ntags, 1);
	CHECK_STR(d.feeds[0].tags[0], "Kalsel");
	opml_doc_clear(&d);

	const char *fr =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<opml version=\"2.0\" xmlns:frss=\"https://freshrss.org/opml\">\n"
		"\t<head>\n\t\t<title>FreshRSS</title>\n\t</head>\n\t<body>\n"
		"\t\t<outline text=\"Kalimantan\">\n"
		"\t\t\t<outline text=\"Selatan\">\n"
		"\t\t\t\t<outline text=\"Kotabaru\" type=\"rss\" "
		"xmlUrl=\"https://mediacenter.kotabarukab.go.id/feed/\" "
		"htmlUrl=\"https://mediacenter.kotabarukab.go.id/\" "
		"frss:cssFullContent=\"\" description=\"Berita\"/>\n"
		"\t\t\t</outline>\n\t\t</outline>\n"
		"\t\t<outline text=\"Nasional\">\n"
		"\t\t\t<outline text=\"Kotabaru again\" type=\"rss\" "
		"xmlUrl=\"https://mediacenter.kotabarukab.go.id/feed/\"/>\n"
		"\t\t</outline>\n\t</body>\n</opml>\n";
	CHECK(read_str(fr, &d, &err) == 0);
	CHECK_INT(d.nfeeds, 1);
	CHECK_STR(d.feeds[0].title, "Kotabaru");
	CHECK_INT(d.feeds[0].ntags, 3);
	CHECK(has_tag(&d.feeds[0], "Kalimantan"));
	CHECK(has_tag(&d.feeds[0], "Selatan"));
	CHECK(has_tag(&d.feeds[0], "Nasional"));
	opml_doc_clear(&d);
}

TEST(opml_broken_files_say_where)
{
	struct opml_doc d;
	char *err = NULL;
	CHECK(read_str("<opml version=\"2.0\">\n<body>\n"
	               "<outline xmlUrl=\"http://x/\">\n</body>\n</opml>\n",
	               &d, &err) < 0);
	CHECK_CONTAINS(err, "line 4:");
	CHECK_CONTAINS(err, "mismatch");
	CHECK_INT(d.nfeeds, 0);
	free(err);
	CHECK(read_str("", &d, &err) < 0);
	CHECK_CONTAINS(err, "line 1");
	free(err);
	CHECK(read_str("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"/>", &d,
	               &err) < 0);
	CHECK_CONTAINS(err, "line 2: not OPML");
	free(err);
	CHECK(read_str("<opml>\n<head/>\n<body>\n<outline text=\"a\"/>\n"
	               "</body></opml>", &d, &err) < 0);
	CHECK_CONTAINS(err, "line 3: no feed");
	free(err);
	/* no external entity, no DTD: the file system stays out of it */
	CHECK(read_str("<!DOCTYPE opml [<!ENTITY x SYSTEM \"/etc/passwd\">]>"
	               "<opml><body><outline xmlUrl=\"http://x/&x;\"/>"
	               "</body></opml>", &d, &err) < 0 ||
	      (d.nfeeds == 1 && !strstr(d.feeds[0].xml_url, "root:")));
	if (d.nfeeds)
		opml_doc_clear(&d);
	free(err);
}

TEST(opml_write_then_read_gives_the_same_subscriptions)
{
	char *t1[] = {"kalsel", "pemkot"};
	char *t2[] = {"kalsel"};
	struct opml_feed feeds[] = {
		{"Media Center Banjarbaru", "https://mediacenter.banjarbarukota.go.id/feed/",
		 "https://mediacenter.banjarbarukota.go.id", t1, 2},
		{"Pemprov \"Kalsel\" & <Co>", "https://kalselprov.go.id/berita/feed/?a=1&b=2",
		 NULL, t2, 1},
		{NULL, "https://setkab.go.id/feed/", NULL, NULL, 0},
	};
	char *path = xasprintf("%s/out.opml", t_tmpdir());
	FILE *fp = fopen(path, "w");
	CHECK(fp != NULL);
	CHECK(opml_write(fp, "warta", feeds, 3, 1764642600) == 0);
	fclose(fp);
	struct buf b = {0};
	CHECK(read_file(path, &b, 0) == 0);
	CHECK_CONTAINS(b.p, "<opml version=\"2.0\">");
	CHECK_CONTAINS(b.p, "Tue, 02 Dec 2025 02:30:00 GMT");
	CHECK_CONTAINS(b.p, "?a=1&amp;b=2");
	struct opml_doc d;
	char *err;
	CHECK(opml_read(b.p, b.len, &d, &err) == 0);
	CHECK_INT(d.nfeeds, 3);
	/* untagged first, then by folder */
	CHECK_STR(d.feeds[0].xml_url, "https://setkab.go.id/feed/");
	CHECK_STR(d.feeds[0].title, "https://setkab.go.id/feed/");
	CHECK_STR(d.feeds[1].xml_url,
	          "https://mediacenter.banjarbarukota.go.id/feed/");
	CHECK_INT(d.feeds[1].ntags, 2);
	CHECK(has_tag(&d.feeds[1], "kalsel") && has_tag(&d.feeds[1], "pemkot"));
	CHECK_STR(d.feeds[1].html_url, "https://mediacenter.banjarbarukota.go.id");
	CHECK_STR(d.feeds[2].title, "Pemprov \"Kalsel\" & <Co>");
	CHECK_STR(d.feeds[2].xml_url,
	          "https://kalselprov.go.id/berita/feed/?a=1&b=2");
	CHECK_INT(d.feeds[2].ntags, 1);
	opml_doc_clear(&d);
	buf_free(&b);
	free(path);
}
