/* test_parse.c — the parser on the project's own fixtures: the feeds
 * Indonesian local governments publish, and one broken file per way
 * they break. */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "feed.h"
#include "json.h"
#include "parse.h"
#include "test_parse.h"

/* ---------------------------------------------------------------- */

static int take(void *ctx, const struct feed *feed, struct entry *e)
{
	struct parsed *r = ctx;
	(void)feed;
	r->e = realloc(r->e, (r->n + 1) * sizeof *r->e);
	r->e[r->n++] = *e;
	memset(e, 0, sizeof *e);   /* the callback may take the fields */
	return 0;
}

void parsed_free(struct parsed *r)
{
	for (size_t i = 0; i < r->n; i++)
		entry_clear(&r->e[i]);
	free(r->e);
	feed_clear(&r->feed);
	free(r->err);
	buf_free(&r->doc);
	memset(r, 0, sizeof *r);
}

int parse_bytes(const char *data, size_t len, size_t chunk,
                const struct parse_opts *opts, struct parsed *r)
{
	memset(r, 0, sizeof *r);
	struct parser *p = parser_new(opts, take, r);
	if (chunk == 0)
		chunk = len ? len : 1;
	for (size_t off = 0; off < len; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;
		if (parser_push(p, data + off, n) != 0)
			break;
	}
	r->rc = parser_finish(p);
	r->err = parser_error(p) ? strdup(parser_error(p)) : NULL;
	/* the final feed, moved out */
	r->feed = *parser_feed(p);
	memset((struct feed *)parser_feed(p), 0, sizeof r->feed);
	parser_free(p);
	return r->rc;
}

int parse_fixture(const char *name, size_t chunk, struct parsed *r)
{
	struct buf b = {0};
	if (read_file(t_fixture(name), &b, 1 << 24) != 0) {
		memset(r, 0, sizeof *r);
		r->rc = -2;
		return -2;
	}
	int rc = parse_bytes(b.p ? b.p : "", b.len, chunk, NULL, r);
	r->doc = b;
	return rc;
}

static void dump_str(struct buf *o, const char *k, const char *v)
{
	buf_printf(o, "%s=%s\n", k, v ? v : "(null)");
}

/* Everything the model holds, as text, to compare two parses. */
void parsed_dump(const struct parsed *r, struct buf *o)
{
	const struct feed *f = &r->feed;
	buf_printf(o, "rc=%d bozo=%d\n", r->rc, f->bozo);
	dump_str(o, "version", f->version);
	dump_str(o, "encoding", f->encoding);
	dump_str(o, "title", f->title);
	dump_str(o, "link", f->link);
	dump_str(o, "self", f->self);
	dump_str(o, "subtitle", f->subtitle);
	dump_str(o, "updated", f->updated.raw);
	for (size_t i = 0; i < r->n; i++) {
		const struct entry *e = &r->e[i];
		dump_str(o, "id", e->id);
		dump_str(o, "link", e->link);
		dump_str(o, "title", e->title);
		dump_str(o, "summary", e->summary);
		dump_str(o, "content", e->content);
		dump_str(o, "published", e->published.raw);
		for (size_t k = 0; k < e->nauthors; k++)
			dump_str(o, "author", e->authors[k].name);
		for (size_t k = 0; k < e->ntags; k++)
			dump_str(o, "tag", e->tags[k]);
		for (size_t k = 0; k < e->nenclosures; k++)
			dump_str(o, "enclosure", e->enclosures[k].url);
	}
}

static int valid_utf8(const char *s)
{
	if (!s)
		return 1;
	size_t n = strlen(s);
	for (size_t i = 0; i < n; ) {
		int k = utf8_seq_len((const unsigned char *)s + i, n - i);
		if (k <= 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

int parsed_all_utf8(const struct parsed *r)
{
	const struct feed *f = &r->feed;
	const char *fs[] = {f->title, f->link, f->subtitle, f->language,
	                    f->id, f->rights, f->generator, f->bozo_msg};
	for (size_t i = 0; i < sizeof fs / sizeof fs[0]; i++)
		if (!valid_utf8(fs[i]))
			return 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct entry *e = &r->e[i];
		const char *es[] = {e->id, e->link, e->title, e->summary,
		                    e->content, e->comments};
		for (size_t k = 0; k < sizeof es / sizeof es[0]; k++)
			if (!valid_utf8(es[k]))
				return 0;
	}
	return 1;
}

/* ---------------------------------------------------------------- */

TEST(parse_wordpress_rss)
{
	struct parsed r;
	CHECK_INT(parse_fixture("wordpress-mediacenter.xml", 0, &r), 0);
	CHECK_STR(r.feed.version, "rss20");
	CHECK_INT(r.feed.bozo, 0);
	CHECK_STR(r.feed.title, "Media Center Kota Banjarbaru");
	CHECK_STR(r.feed.link, "https://mediacenter.banjarbarukota.go.id");
	CHECK_STR(r.feed.self, "https://mediacenter.banjarbarukota.go.id/feed/");
	CHECK_STR(r.feed.language, "id");
	CHECK_STR(r.feed.generator, "https://wordpress.org/?v=6.4.2");
	/* sy:updatePeriod "\n\thourly\t", updateFrequency 1 */
	CHECK_INT(r.feed.ttl, 3600);
	CHECK(r.feed.updated.ok);
	CHECK_INT(r.feed.updated.t, 1764645342);
	CHECK_STR(r.feed.logo, "https://mediacenter.banjarbarukota.go.id/"
	          "wp-content/uploads/2023/01/cropped-logo-32x32.png");
	CHECK_INT(r.n, 2);
	struct entry *e = &r.e[0];
	CHECK_STR(e->id, "https://mediacenter.banjarbarukota.go.id/?p=12345");
	CHECK_STR(e->link, "https://mediacenter.banjarbarukota.go.id/"
	          "wali-kota-buka-musrenbang-kecamatan-landasan-ulin/");
	CHECK_STR(e->title, "Wali Kota Buka Musrenbang Kecamatan Landasan Ulin");
	CHECK_STR(e->comments, "https://mediacenter.banjarbarukota.go.id/"
	          "wali-kota-buka-musrenbang-kecamatan-landasan-ulin/#respond");
	CHECK_INT(e->nauthors, 1);
	CHECK_STR(e->authors[0].name, "Admin MC");
	CHECK_INT(e->ntags, 2);
	CHECK_STR(e->tags[0], "Berita");
	CHECK_STR(e->tags[1], "Pemerintahan");
	CHECK(e->published.ok);
	CHECK_INT(e->published.t, 1764642600);
	CHECK_STR(e->published.raw, "Tue, 02 Dec 2025 02:30:00 +0000");
	CHECK(!e->content_is_text);
	CHECK_CONTAINS(e->content, "Usulan warga harus menjadi dasar");
	CHECK_CONTAINS(e->summary, "appeared first on");
	/* an isPermaLink="false" guid is not the link */
	CHECK_STR(r.e[1].link, "https://mediacenter.banjarbarukota.go.id/"
	          "diskominfo-gelar-pelatihan-jurnalistik/");
	parsed_free(&r);
}

TEST(parse_wordpress_atom)
{
	struct parsed r;
	CHECK_INT(parse_fixture("wordpress-mediacenter.atom", 0, &r), 0);
	CHECK_STR(r.feed.version, "atom10");
	CHECK_INT(r.feed.bozo, 0);
	CHECK_STR(r.feed.title, "Media Center Kota Banjarbaru");
	CHECK_STR(r.feed.language, "id");
	CHECK_STR(r.feed.id, "https://mediacenter.banjarbarukota.go.id/feed/atom/");
	CHECK_STR(r.feed.self, "https://mediacenter.banjarbarukota.go.id/feed/atom/");
	CHECK_STR(r.feed.generator, "WordPress");
	CHECK_INT(r.n, 2);
	struct entry *e = &r.e[0];
	/* relative href against xml:base on <feed> */
	CHECK_STR(e->link, "https://mediacenter.banjarbarukota.go.id/"
	          "wali-kota-buka-musrenbang-kecamatan-landasan-ulin/");
	CHECK_STR(e->title, "Wali Kota Buka Musrenbang Kecamatan Landasan Ulin");
	CHECK_STR(e->authors[0].name, "Admin MC");
	CHECK_STR(e->authors[0].url,
	          "https://mediacenter.banjarbarukota.go.id/author/admin/");
	CHECK(e->published.ok && e->updated.ok);
	CHECK_INT(e->updated.t - e->published.t, 900);
	CHECK_INT(e->ntags, 2);
	CHECK_STR(e->tags[1], "Pemerintahan");
	CHECK_CONTAINS(e->content, "Musyawarah Perencanaan Pembangunan");
	CHECK_CONTAINS(e->summary, "Landasan Ulin");
	/* type="xhtml": the div wrapper goes, the markup stays */
	CHECK(!r.e[1].content_is_text);
	CHECK_CONTAINS(r.e[1].content, "OPD");
	CHECK_LACKS(r.e[1].content, "xmlns");
	parsed_free(&r);
}

TEST(parse_blogger)
{
	struct parsed r;
	CHECK_INT(parse_fixture("blogger.xml", 0, &r), 0);
	CHECK_STR(r.feed.version, "atom10");
	CHECK_INT(r.feed.bozo, 0);
	CHECK_STR(r.feed.title, "DPPPA Kota Banjarmasin");
	CHECK_STR(r.feed.link, "https://dpppa.banjarmasinkota.go.id/");
	CHECK_STR(r.feed.next, "https://www.blogger.com/feeds/5550123456789012345"
	          "/posts/default?start-index=26&max-results=25");
	CHECK_STR(r.feed.generator, "Blogger");
	CHECK_INT(r.feed.nauthors, 1);
	CHECK_STR(r.feed.authors[0].email, "noreply@blogger.com");
	CHECK_INT(r.n, 2);
	struct entry *e = &r.e[0];
	CHECK_STR(e->id, "tag:blogger.com,1999:blog-5550123456789012345."
	          "post-1112223334445556667");
	/* the alternate link, not replies/edit/self */
	CHECK_STR(e->link, "https://dpppa.banjarmasinkota.go.id/2025/11/"
	          "sosialisasi-pencegahan.html");
	CHECK_INT(e->ntags, 2);
	CHECK(e->published.ok);
	/* 09:10 WITA (+08:00) */
	CHECK_INT(e->published.t, 1764292200);
	CHECK_CONTAINS(e->content, "Kelayan Selatan");
	parsed_free(&r);
}

TEST(parse_joomla)
{
	struct parsed r;
	CHECK_INT(parse_fixture("joomla.xml", 0, &r), 0);
	CHECK_STR(r.feed.version, "rss20");
	CHECK_INT(r.feed.bozo, 0);
	CHECK_STR(r.feed.self, "https://diskominfo.tanahbumbukab.go.id/index.php"
	          "/berita?format=feed&type=rss");
	CHECK_STR(r.feed.language, "id-id");
	CHECK_INT(r.n, 2);
	struct entry *e = &r.e[0];
	/* "email (name)" */
	CHECK_STR(e->authors[0].name, "Humas Diskominfo");
	CHECK_STR(e->authors[0].email, "humas@tanahbumbukab.go.id");
	CHECK_STR(e->tags[0], "Berita Daerah");
	CHECK_INT(e->published.t, 1764638100);
	CHECK_STR(r.e[1].title,
	          "Pendaftaran Beasiswa Mahasiswa Berprestasi & Kurang Mampu");
	parsed_free(&r);
}

TEST(parse_php_no_dates_cut_text)
{
	struct parsed r;
	CHECK_INT(parse_fixture("php-nodates.xml", 0, &r), 0);
	CHECK_INT(r.n, 2);
	CHECK(!r.e[0].published.raw && !r.e[0].updated.raw);
	CHECK(!r.e[0].published.ok);
	/* the character cut in two by substr() is dropped, not turned
	 * into "â€" */
	CHECK(parsed_all_utf8(&r));
	CHECK_LACKS(r.e[0].summary, "\xc3\xa2");
	CHECK_CONTAINS(r.e[0].summary, "dari kalurahan");
	CHECK_LACKS(r.e[1].summary, "\xc3\x83");
	CHECK_CONTAINS(r.e[1].summary, "secara berkal");
	CHECK_INT(r.feed.bozo, 1);
	parsed_free(&r);
}

TEST(parse_php_warning_before_declaration)
{
	struct parsed r;
	CHECK_INT(parse_fixture("broken-php-warning.xml", 0, &r), 0);
	CHECK_INT(r.feed.bozo, 1);
	CHECK_CONTAINS(r.feed.bozo_msg, "before the XML declaration");
	CHECK_STR(r.feed.title, "Humas Kota Tarakan");
	CHECK_INT(r.n, 1);
	CHECK_STR(r.e[0].title, "Peringatan Hari Jadi Kota Tarakan");
	/* Indonesian date, WITA is +08:00 */
	CHECK(r.e[0].published.ok);
	CHECK_INT(r.e[0].published.t, 1764642600);
	parsed_free(&r);
}

TEST(parse_bom_is_not_an_error)
{
	struct parsed r;
	CHECK_INT(parse_fixture("broken-bom.xml", 0, &r), 0);
	CHECK_INT(r.feed.bozo, 0);
	CHECK_STR(r.feed.encoding, "utf-8");
	CHECK_STR(r.feed.title, "Prokopim Kabupaten Banjar");
	CHECK_STR(r.e[0].title, "Bupati Tinjau Banjir di Martapura \xe2\x80\x93 "
	          "Warga Diungsikan");
	parsed_free(&r);
}

TEST(parse_windows_1252_bytes_in_utf8)
{
	struct parsed r;
	CHECK_INT(parse_fixture("broken-windows-1252.xml", 0, &r), 0);
	CHECK_INT(r.feed.bozo, 1);
	CHECK_STR(r.feed.encoding, "windows-1252");
	CHECK_STR(r.e[0].title, "Program \xe2\x80\x9cKotabaru Bersih\xe2\x80\x9d "
	          "\xe2\x80\x93 Kerja Bakti Serentak");
	CHECK_CONTAINS(r.e[0].summary, "Caf\xc3\xa9 Taman");
	parsed_free(&r);
}

TEST(parse_declared_latin1_but_utf8)
{
	struct parsed r;
	CHECK_INT(parse_fixture("broken-declared-latin1.xml", 0, &r), 0);
	CHECK_INT(r.feed.bozo, 1);
	CHECK_STR(r.feed.encoding, "utf-8");
	CHECK_STR(r.e[0].title, "Imunisasi \xe2\x80\x9c" "Bulan Anak\xe2\x80\x9d "
	          "Dimulai");
	parsed_free(&r);
}

TEST(parse_real_latin1)
{
	const char doc[] = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>"
		"<rss version=\"2.0\"><channel><title>Caf\xe9 \x93kopi\x94"
		"</title></channel></rss>";
	struct parsed r;
	CHECK_INT(parse_bytes(doc, sizeof doc - 1, 0, NULL, &r), 0);
	CHECK_INT(r.feed.bozo, 0);
	CHECK_STR(r.feed.encoding, "iso-8859-1");
	CHECK_STR(r.feed.title, "Caf\xc3\xa9 \xe2\x80\x9ckopi\xe2\x80\x9d");
	parsed_free(&r);
}

TEST(parse_html_entities_xml_does_not_know)
{
	struct parsed r;
	CHECK_INT(parse_fixture("broken-entities.xml", 0, &r), 0);
	CHECK_INT(r.feed.bozo, 1);
	CHECK_STR(r.feed.title, "Kab. Lebak \xe2\x80\x93 Berita");
	CHECK_CONTAINS(r.feed.subtitle, "\xc2\xa9 2025");
	CHECK_STR(r.e[0].title, "Bupati\xc2\xa0Lebak Hadiri Seba\xc2\xa0"
	          "Baduy \xe2\x80\xa6 dan \xe2\x80\x99Ngalaksa\xe2\x80\x99");
	CHECK_CONTAINS(r.e[0].summary, "\xc2\xab" "Baduy\xc2\xbb");
	/* an entity nobody defines stays visible as text */
	CHECK_CONTAINS(r.e[0].summary, "unknownthing");
	parsed_free(&r);
}

TEST(parse_bare_ampersand_in_urls)
{
	struct parsed r;
	CHECK_INT(parse_fixture("broken-ampersand.xml", 0, &r), 0);
	CHECK_INT(r.feed.bozo, 1);
	CHECK_STR(r.feed.title, "Kominfo & Humas Kabupaten Karawang");
	CHECK_STR(r.feed.link,
	          "https://karawangkab.go.id/index.php?option=berita&id=1");
	/* newsboat makes this "?option=berita=4511=2"; it must stay */
	CHECK_STR(r.e[0].link, "https://karawangkab.go.id/index.php?"
	          "option=berita&id=4511&cat=2");
	CHECK_STR(r.e[0].id, "https://karawangkab.go.id/index.php?"
	          "option=berita&id=4511&cat=2");
	CHECK_STR(r.e[0].title, "Jadwal Vaksinasi & Cek Kesehatan Gratis");
	CHECK_CONTAINS(r.e[0].summary, "Puskesmas A");
	CHECK_CONTAINS(r.e[0].summary, "peta?x=1&");
	parsed_free(&r);
}

TEST(parse_control_characters_removed)
{
	struct parsed r;
	CHECK_INT(parse_fixture("broken-control-chars.xml", 0, &r), 0);
	CHECK_INT(r.feed.bozo, 1);
	CHECK_STR(r.feed.title, "Kota Gorontalo");
	CHECK_STR(r.feed.subtitle, "Berita resmi");
	CHECK_STR(r.e[0].title, "Pasar Murah Jelang Natal");
	CHECK_STR(r.e[0].summary, "Harga beras turun.");
	parsed_free(&r);
}

TEST(parse_illformed_recovered)
{
	struct parsed r;
	CHECK_INT(parse_fixture("broken-illformed.xml", 0, &r), 0);
	CHECK_INT(r.feed.bozo, 1);
	CHECK(r.feed.bozo_msg && !strchr(r.feed.bozo_msg, '\n'));
	/* the naked <br> and <p> do not swallow the items after them */
	CHECK_INT(r.n, 3);
	CHECK_STR(r.e[0].title, "Banjir Surut di Bekasi Timur");
	CHECK_CONTAINS(r.e[0].summary, "Warga kembali ke rumah.");
	CHECK_CONTAINS(r.e[0].summary, "Posko tetap dibuka");
	CHECK_INT(r.e[0].ntags, 1);
	CHECK_STR(r.e[0].tags[0], "Bencana");
	CHECK_STR(r.e[1].title, "Wali Kota Lantik Pejabat Baru");
	CHECK_STR(r.e[1].link, "https://www.bekasikota.go.id/berita/2");
	/* the document ends mid-item: what was there is kept */
	CHECK_STR(r.e[2].title, "Berita terpotong");
	parsed_free(&r);
}

TEST(parse_html_page_is_not_a_feed)
{
	struct parsed r;
	CHECK_INT(parse_fixture("broken-html-page.html", 0, &r), -1);
	CHECK_STR(r.err, "not a feed: HTML page");
	CHECK_INT(r.n, 0);
	parsed_free(&r);
}

TEST(parse_empty_body_is_not_a_feed)
{
	struct parsed r;
	CHECK_INT(parse_fixture("broken-empty.xml", 0, &r), -1);
	CHECK_STR(r.err, "not a feed: empty document");
	parsed_free(&r);
	CHECK_INT(parse_bytes(" \n\t\r\n ", 6, 0, NULL, &r), -1);
	CHECK_STR(r.err, "not a feed: empty document");
	parsed_free(&r);
}

TEST(parse_other_non_feeds)
{
	struct parsed r;
	const char *text = "Service Unavailable. Please try again later.";
	CHECK_INT(parse_bytes(text, strlen(text), 0, NULL, &r), -1);
	CHECK_STR(r.err, "not a feed: not XML");
	parsed_free(&r);
	const char *xml = "<?xml version=\"1.0\"?><error><code>403</code></error>";
	CHECK_INT(parse_bytes(xml, strlen(xml), 0, NULL, &r), -1);
	CHECK_CONTAINS(r.err, "not a feed");
	CHECK_CONTAINS(r.err, "<error>");
	parsed_free(&r);
	const char *xhtml = "<html xmlns=\"http://www.w3.org/1999/xhtml\">"
	                    "<body>Blocked</body></html>";
	CHECK_INT(parse_bytes(xhtml, strlen(xhtml), 0, NULL, &r), -1);
	CHECK_STR(r.err, "not a feed: HTML page");
	parsed_free(&r);
}

/* Every fixture gives the same model whatever the chunk sizes: the
 * input stages carry state across pushes correctly. */
TEST(parse_any_chunking_same_result)
{
	static const char *const names[] = {
		"wordpress-mediacenter.xml", "wordpress-mediacenter.atom",
		"blogger.xml", "joomla.xml", "php-nodates.xml",
		"broken-php-warning.xml", "broken-bom.xml",
		"broken-windows-1252.xml", "broken-declared-latin1.xml",
		"broken-entities.xml", "broken-ampersand.xml",
		"broken-control-chars.xml", "broken-illformed.xml",
		"broken-html-page.html", NULL,
	};
	static const size_t chunks[] = {1, 2, 3, 7, 64, 4096};
	for (int i = 0; names[i]; i++) {
		struct parsed whole;
		parse_fixture(names[i], 0, &whole);
		struct buf a = {0};
		parsed_dump(&whole, &a);
		for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
			struct parsed part;
			parse_fixture(names[i], chunks[c], &part);
			struct buf b = {0};
			parsed_dump(&part, &b);
			if (strcmp(a.p, b.p) != 0)
				t_fail(__FILE__, __LINE__, "%s in %zu-byte "
				       "chunks differs:\n%s\n--- vs whole:\n%s",
				       names[i], chunks[c], b.p, a.p);
			buf_free(&b);
			parsed_free(&part);
		}
		buf_free(&a);
		parsed_free(&whole);
	}
}

/* The XML declaration ends at its first '>': a declaration without
 * "?>" (or with no encoding) must not borrow the encoding="…" of a
 * later "<?xml …?>" in the document, or the result would depend on
 * whether the first pushes reached it (fuzz_parse found this; the
 * reproducer is tests/fuzz/regress/parse/decl-encoding-by-chunking). */
TEST(parse_declaration_encoding_not_from_later_pi)
{
	static const char doc[] =
		"<?xml version=\"1.0\" encodi\n<x>\xe9</x>\n"
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
		"<rss version=\"2.0\"><channel><title>Caf\xe9</title>"
		"<item><title>Satu</title></item>"
		"<item><title>Dua \xe2\x80\x9c</title></item>"
		"</channel></rss>";
	struct parsed whole;
	CHECK_INT(parse_bytes(doc, sizeof doc - 1, 0, NULL, &whole), 0);
	/* read as UTF-8 (no usable declaration), é as Windows-1252 */
	CHECK_STR(whole.feed.encoding, "windows-1252");
	CHECK_STR(whole.feed.title, "Caf\xc3\xa9");
	CHECK_INT(whole.n, 2);
	struct buf a = {0};
	parsed_dump(&whole, &a);
	for (size_t chunk = 1; chunk <= 64; chunk = chunk * 2 + 1) {
		struct parsed part;
		parse_bytes(doc, sizeof doc - 1, chunk, NULL, &part);
		struct buf b = {0};
		parsed_dump(&part, &b);
		if (strcmp(a.p, b.p) != 0)
			t_fail(__FILE__, __LINE__, "%zu-byte chunks differ:\n"
			       "%s\n--- vs whole:\n%s", chunk, b.p, a.p);
		buf_free(&b);
		parsed_free(&part);
	}
	buf_free(&a);
	parsed_free(&whole);
}

static int stop_after_one(void *ctx, const struct feed *feed, struct entry *e)
{
	int *n = ctx;
	(void)feed;
	(void)e;
	return ++*n >= 1;
}

TEST(parse_callback_can_stop)
{
	struct buf b = {0};
	CHECK(read_file(t_fixture("wordpress-mediacenter.xml"), &b, 1 << 20) == 0);
	int n = 0;
	struct parser *p = parser_new(NULL, stop_after_one, &n);
	int rc = parser_push(p, b.p, b.len);
	CHECK_INT(rc, -1);
	CHECK_INT(n, 1);
	CHECK_INT(parser_finish(p), 0);
	CHECK_INT(n, 1);
	parser_free(p);
	buf_free(&b);
}

TEST(parse_http_charset_wins_over_declaration)
{
	/* EUC-KR bytes, declared ISO-8859-1, served with charset=euc-kr */
	const char doc[] = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>"
		"<rss version=\"2.0\"><channel><title>\xb3\xe2</title>"
		"</channel></rss>";
	struct parse_opts o = {"http://example.go.id/feed",
	                       "application/rss+xml; charset=\"EUC-KR\""};
	struct parsed r;
	CHECK_INT(parse_bytes(doc, sizeof doc - 1, 0, &o, &r), 0);
	CHECK_STR(r.feed.encoding, "euc-kr");
	CHECK_STR(r.feed.title, "\xeb\x85\x84");
	parsed_free(&r);
}

TEST(parse_relative_urls_against_document_url)
{
	const char doc[] = "<rss version=\"2.0\"><channel><link>/</link>"
		"<item><link>berita/1</link><enclosure url=\"/a.mp3\" "
		"type=\"audio/mpeg\" length=\"42\"/>"
		"<comments>?c=1</comments></item></channel></rss>";
	struct parse_opts o = {"https://kota.go.id/feed/", NULL};
	struct parsed r;
	CHECK_INT(parse_bytes(doc, sizeof doc - 1, 0, &o, &r), 0);
	CHECK_STR(r.feed.link, "https://kota.go.id/");
	CHECK_STR(r.e[0].link, "https://kota.go.id/feed/berita/1");
	CHECK_STR(r.e[0].comments, "https://kota.go.id/feed/?c=1");
	CHECK_INT(r.e[0].nenclosures, 1);
	CHECK_STR(r.e[0].enclosures[0].url, "https://kota.go.id/a.mp3");
	CHECK_STR(r.e[0].enclosures[0].type, "audio/mpeg");
	CHECK_INT(r.e[0].enclosures[0].length, 42);
	parsed_free(&r);
}

TEST(parse_relative_urls_without_document_url_use_self_link)
{
	const char doc[] = "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/"
		"2005/Atom\"><channel><atom:link rel=\"self\" href=\"https://"
		"kota.go.id/feed/\"/><link>https://kota.go.id/</link>"
		"<item><link>/berita/2</link></item></channel></rss>";
	struct parsed r;
	CHECK_INT(parse_bytes(doc, sizeof doc - 1, 0, NULL, &r), 0);
	CHECK_STR(r.e[0].link, "https://kota.go.id/berita/2");
	parsed_free(&r);
}

TEST(parse_versions)
{
	static const struct {
		const char *doc, *version;
	} v[] = {
		{"<rss version=\"0.91\"><channel/></rss>", "rss091u"},
		{"<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS "
		 "0.91//EN\" \"http://my.netscape.com/publish/formats/"
		 "rss-0.91.dtd\"><rss version=\"0.91\"><channel/></rss>",
		 "rss091n"},
		{"<rss version=\"0.92\"><channel/></rss>", "rss092"},
		{"<rss version=\"0.93\"><channel/></rss>", "rss093"},
		{"<rss version=\"0.94\"><channel/></rss>", "rss094"},
		{"<rss version=\"2.0\"><channel/></rss>", "rss20"},
		{"<rss><channel/></rss>", "rss"},
		{"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-"
		 "ns#\" xmlns=\"http://my.netscape.com/rdf/simple/0.9/\">"
		 "<channel/></rdf:RDF>", "rss090"},
		{"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-"
		 "ns#\" xmlns=\"http://purl.org/rss/1.0/\"><channel/></rdf:RDF>",
		 "rss10"},
		{"<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"/>",
		 "atom03"},
		{"<feed xmlns=\"http://www.w3.org/2005/Atom\"/>", "atom10"},
		{"<feed/>", "atom"},
		{"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-"
		 "ns#\"/>", ""},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct parsed r;
		int rc = parse_bytes(v[i].doc, strlen(v[i].doc), 0, NULL, &r);
		if (rc != 0 || !r.feed.version ||
		    strcmp(r.feed.version, v[i].version) != 0)
			t_fail(__FILE__, __LINE__, "%s: rc %d, version %s, "
			       "want %s", v[i].doc, rc, r.feed.version,
			       v[i].version);
		parsed_free(&r);
	}
}

TEST(parse_namespaces)
{
	const char doc[] =
		"<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		"xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
		"xmlns:media=\"http://search.yahoo.com/mrss/\" "
		"xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">"
		"<channel><dc:language>id</dc:language><dc:rights>Pemkot</dc:rights>"
		"<itunes:author>Diskominfo</itunes:author>"
		"<item><dc:title>Judul</dc:title><dc:creator>A</dc:creator>"
		"<dc:creator>B</dc:creator><dc:date>2025-12-02T10:30:00+08:00</dc:date>"
		"<dc:subject>Kesehatan</dc:subject>"
		"<media:category>Video</media:category>"
		"<itunes:keywords>satu, dua</itunes:keywords>"
		"<content:encoded>&lt;p&gt;Isi&lt;/p&gt;</content:encoded>"
		"</item></channel></rss>";
	struct parsed r;
	CHECK_INT(parse_bytes(doc, sizeof doc - 1, 0, NULL, &r), 0);
	CHECK_STR(r.feed.language, "id");
	CHECK_INT(r.feed.nauthors, 1);
	CHECK_STR(r.feed.authors[0].name, "Diskominfo");
	struct entry *e = &r.e[0];
	CHECK_STR(e->title, "Judul");
	CHECK_INT(e->nauthors, 2);
	CHECK_STR(e->authors[1].name, "B");
	CHECK(e->updated.ok);
	CHECK_INT(e->updated.t, 1764642600);
	CHECK_INT(e->ntags, 4);
	CHECK_STR(e->tags[0], "Kesehatan");
	CHECK_STR(e->tags[1], "Video");
	CHECK_STR(e->tags[3], "dua");
	CHECK_CONTAINS(e->content, "Isi");
	parsed_free(&r);
}

TEST(parse_atom_text_constructs)
{
	const char doc[] =
		"<feed xmlns=\"http://www.w3.org/2005/Atom\">"
		"<title type=\"html\">A &amp;amp; B</title>"
		"<entry><title>T</title>"
		"<content type=\"text\">a &lt;b&gt; c</content></entry>"
		"<entry><summary type=\"text\">x &lt; y</summary></entry>"
		"</feed>";
	struct parsed r;
	CHECK_INT(parse_bytes(doc, sizeof doc - 1, 0, NULL, &r), 0);
	CHECK_INT(r.n, 2);
	CHECK(r.e[0].content_is_text);
	CHECK_STR(r.e[0].content, "a <b> c");
	/* summary is HTML in the model: plain text comes escaped */
	CHECK_STR(r.e[1].summary, "x &lt; y");
	parsed_free(&r);
}

TEST(parse_undated_entry_keeps_raw)
{
	const char doc[] = "<rss version=\"2.0\"><channel><item><title>x</title>"
		"<pubDate>kemarin sore</pubDate></item></channel></rss>";
	struct parsed r;
	CHECK_INT(parse_bytes(doc, sizeof doc - 1, 0, NULL, &r), 0);
	CHECK(!r.e[0].published.ok);
	CHECK_STR(r.e[0].published.raw, "kemarin sore");
	parsed_free(&r);
}

TEST(parse_json_feed_input)
{
	const char doc[] =
		"  {\"version\": \"https://jsonfeed.org/version/1.1\", "
		"\"title\": \"Berita Kota\", \"home_page_url\": \"https://kota.go.id/\","
		"\"feed_url\": \"https://kota.go.id/feed.json\", \"language\": \"id\","
		"\"items\": [{\"id\": \"1\", \"url\": \"/berita/1\", \"title\": \"Rapat\","
		"\"content_html\": \"<p>Isi</p>\", \"date_published\": "
		"\"2025-12-02T10:30:00+08:00\", \"tags\": [\"a\", \"b\"],"
		"\"authors\": [{\"name\": \"Humas\"}], \"attachments\": [{\"url\": "
		"\"https://kota.go.id/a.mp3\", \"mime_type\": \"audio/mpeg\", "
		"\"size_in_bytes\": 123}]},"
		"{\"id\": 2, \"content_text\": \"teks\", \"summary\": \"a & b\"}]}";
	struct parsed r;
	CHECK_INT(parse_bytes(doc, sizeof doc - 1, 5, NULL, &r), 0);
	CHECK_STR(r.feed.version, "json11");
	CHECK_STR(r.feed.title, "Berita Kota");
	CHECK_STR(r.feed.self, "https://kota.go.id/feed.json");
	CHECK_INT(r.n, 2);
	CHECK_STR(r.e[0].id, "1");
	CHECK_STR(r.e[0].link, "https://kota.go.id/berita/1");
	CHECK_INT(r.e[0].published.t, 1764642600);
	CHECK_INT(r.e[0].ntags, 2);
	CHECK_STR(r.e[0].authors[0].name, "Humas");
	CHECK_INT(r.e[0].enclosures[0].length, 123);
	CHECK_STR(r.e[1].id, "2");
	CHECK(r.e[1].content_is_text);
	CHECK_STR(r.e[1].summary, "a &amp; b");
	parsed_free(&r);
	const char notfeed[] = "{\"status\": \"error\"}";
	CHECK_INT(parse_bytes(notfeed, sizeof notfeed - 1, 0, NULL, &r), -1);
	CHECK_CONTAINS(r.err, "not a JSON Feed");
	parsed_free(&r);
	CHECK_INT(parse_bytes("{\"items\": [", 11, 0, NULL, &r), -1);
	CHECK_CONTAINS(r.err, "invalid JSON");
	parsed_free(&r);
}

/* What warta's JSON Feed export keeps under "_warta" comes back in. */
TEST(parse_json_feed_warta_extension)
{
	const char doc[] =
		"{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": ["
		"{\"id\": \"1\", \"authors\": [{\"name\": \"Humas\"}],"
		"\"_warta\": {\"author_email\": \"humas@kota.go.id\","
		"\"comments\": \"https://kota.go.id/1#c\", \"source\": "
		"{\"title\": \"Pemprov\", \"url\": \"https://prov.go.id/feed/\","
		"\"updated\": \"2025-12-02T10:30:00+08:00\"}}},"
		"{\"id\": \"2\", \"_warta\": {\"source\": 7}}]}";
	struct parsed r;
	CHECK_INT(parse_bytes(doc, sizeof doc - 1, 3, NULL, &r), 0);
	CHECK_INT(r.n, 2);
	CHECK_STR(r.e[0].authors[0].email, "humas@kota.go.id");
	CHECK_STR(r.e[0].comments, "https://kota.go.id/1#c");
	CHECK_STR(r.e[0].source.title, "Pemprov");
	CHECK_STR(r.e[0].source.url, "https://prov.go.id/feed/");
	CHECK_INT(r.e[0].source.updated.t, 1764642600);
	CHECK_CONTAINS(r.e[0].source.json, "\"href\":\"https://prov.go.id/feed/\"");
	/* a source that is not an object is no source */
	CHECK(!r.e[1].source.json && !r.e[1].source.title);
	parsed_free(&r);
}

TEST(parse_guid_stays_as_given_link_resolves)
{
	const char doc[] = "<rss version=\"2.0\"><channel><item>"
		"<guid>berita/7</guid></item><item><guid isPermaLink=\"false\">"
		"7</guid><link>/berita/7</link></item></channel></rss>";
	struct parse_opts o = {"https://kota.go.id/feed/", NULL};
	struct parsed r;
	CHECK_INT(parse_bytes(doc, sizeof doc - 1, 0, &o, &r), 0);
	/* the id does not depend on where the feed was fetched from */
	CHECK_STR(r.e[0].id, "berita/7");
	CHECK_STR(r.e[0].link, "https://kota.go.id/feed/berita/7");
	CHECK_STR(r.e[1].id, "7");
	CHECK_STR(r.e[1].link, "https://kota.go.id/berita/7");
	parsed_free(&r);
}
