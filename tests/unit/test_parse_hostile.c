/* test_parse_hostile.c — documents written to hurt: they must give a
 * recovered result or a one-line error, in bounded time and memory,
 * never a crash, never a file's content, never invalid UTF-8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "t.h"
#include "feed.h"
#include "parse.h"
#include "test_parse.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static long peak_rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

/* Something /etc/passwd always has; it must never reach the model. */
static void check_no_passwd(const struct parsed *r)
{
	struct buf d = {0};
	parsed_dump(r, &d);
	if (strstr(d.p, "root:") || strstr(d.p, "/bin/"))
		t_fail(__FILE__, __LINE__, "file content leaked:\n%s", d.p);
	buf_free(&d);
}

TEST(hostile_external_entity)
{
	static const char *const docs[] = {
		"<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "
		"\"file:///etc/passwd\">]><rss version=\"2.0\"><channel>"
		"<title>&xxe;</title><item><title>a&xxe;b</title>"
		"<description>&xxe;</description></item></channel></rss>",
		/* a parameter entity that would load the file into the DTD */
		"<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "
		"\"file:///etc/passwd\"> %p;]><rss><channel><title>x</title>"
		"</channel></rss>",
		/* an external DTD */
		"<?xml version=\"1.0\"?><!DOCTYPE rss SYSTEM \"/etc/passwd\">"
		"<rss><channel><title>x</title></channel></rss>",
		/* XInclude is never processed */
		"<rss xmlns:xi=\"http://www.w3.org/2001/XInclude\"><channel>"
		"<title><xi:include href=\"/etc/passwd\" parse=\"text\"/>"
		"</title></channel></rss>",
		/* an entity in an attribute */
		"<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
		"<rss><channel><item><enclosure url=\"&xxe;\"/></item>"
		"</channel></rss>",
	};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		struct parsed r;
		int rc = parse_bytes(docs[i], strlen(docs[i]), 0, NULL, &r);
		CHECK_INT(rc, 0);
		check_no_passwd(&r);
		parsed_free(&r);
	}
	struct parsed r;
	parse_bytes(docs[0], strlen(docs[0]), 0, NULL, &r);
	/* the reference stays visible as text, the feed is marked */
	CHECK_STR(r.feed.title, "&xxe;");
	CHECK_INT(r.feed.bozo, 1);
	parsed_free(&r);
}

TEST(hostile_billion_laughs)
{
	struct buf d = {0};
	buf_puts(&d, "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY lol "
	         "\"lol\">");
	for (int i = 1; i <= 9; i++) {
		buf_printf(&d, "<!ENTITY lol%d \"", i);
		for (int k = 0; k < 10; k++)
			buf_printf(&d, "&lol%d;", i - 1 ? i - 1 : 0);
		buf_puts(&d, "\">");
	}
	buf_puts(&d, "]><rss><channel><title>&lol9;</title><item>"
	         "<description>&lol9;&lol9;</description></item>"
	         "</channel></rss>");
	struct parsed r;
	CHECK_INT(parse_bytes(d.p, d.len, 0, NULL, &r), 0);
	CHECK_INT(r.n, 1);
	CHECK(strlen(r.feed.title) < 100);
	CHECK(strlen(r.e[0].summary) < 100);
	CHECK_INT(r.feed.bozo, 1);
	parsed_free(&r);
	buf_free(&d);
}

TEST(hostile_quadratic_blowup)
{
	/* one plain 30 KB entity referenced 100,000 times: 3 GB if
	 * substituted every time */
	struct buf d = {0};
	buf_puts(&d, "<!DOCTYPE rss [<!ENTITY a \"");
	for (int i = 0; i < 30000; i++)
		buf_putc(&d, 'a');
	buf_puts(&d, "\">]><rss><channel><item><description>");
	for (int i = 0; i < 100000; i++)
		buf_puts(&d, "&a;");
	buf_puts(&d, "</description></item></channel></rss>");
	struct parsed r;
	CHECK_INT(parse_bytes(d.p, d.len, 65536, NULL, &r), 0);
	CHECK_INT(r.n, 1);
	CHECK(strlen(r.e[0].summary) < (4u << 20));
	CHECK_INT(r.feed.bozo, 1);
	CHECK_CONTAINS(r.feed.bozo_msg, "entity expansion");
	parsed_free(&r);
	buf_free(&d);
}

static int count_only(void *ctx, const struct feed *feed, struct entry *e)
{
	size_t *n = ctx;
	(void)feed;
	if (e->title && strncmp(e->title, "Berita ", 7) == 0)
		++*n;
	return 0;
}

/* 200 MB pushed in pieces, never held: the parser's memory stays flat
 * (checked outside the sanitizers, whose own bookkeeping grows). */
TEST(hostile_200mb_document)
{
	const size_t target = 200u << 20;
	size_t n = 0, sent = 0, items = 0;
	struct parser *p = parser_new(NULL, count_only, &n);
	const char head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<rss version=\"2.0\"><channel><title>Besar</title>";
	CHECK_INT(parser_push(p, head, sizeof head - 1), 0);
	struct buf item = {0};
	char body[2048];
	for (size_t i = 0; i < sizeof body - 1; i++)
		body[i] = "Pemerintah kota membangun jalan baru. "[i % 38];
	body[sizeof body - 1] = 0;
	while (sent < target) {
		buf_reset(&item);
		buf_printf(&item, "<item><title>Berita %zu</title><guid "
		           "isPermaLink=\"false\">id-%zu</guid><description>"
		           "%s</description><content:encoded xmlns:content="
		           "\"http://purl.org/rss/1.0/modules/content/\">"
		           "<![CDATA[%s]]></content:encoded></item>", items,
		           items, body, body);
		CHECK_INT(parser_push(p, item.p, item.len), 0);
		sent += item.len;
		items++;
	}
	const char tail[] = "</channel></rss>";
	CHECK_INT(parser_push(p, tail, sizeof tail - 1), 0);
	CHECK_INT(parser_finish(p), 0);
	CHECK_INT(n, items);
	CHECK_INT(parser_feed(p)->bozo, 0);
	parser_free(p);
	buf_free(&item);
	if (!UNDER_ASAN && peak_rss_mb() > 64)
		t_fail(__FILE__, __LINE__, "peak RSS %ld MB over 64 MB",
		       peak_rss_mb());
}

/* One text node of 100 MB: bounded too (a value is cut at 16 MB). */
TEST(hostile_huge_text_node)
{
	struct parser *p = parser_new(NULL, NULL, NULL);
	const char head[] = "<rss><channel><title>";
	CHECK_INT(parser_push(p, head, sizeof head - 1), 0);
	static char chunk[1 << 16];
	memset(chunk, 'x', sizeof chunk);
	for (int i = 0; i < 1600; i++)
		CHECK_INT(parser_push(p, chunk, sizeof chunk), 0);
	const char tail[] = "</title></channel></rss>";
	CHECK_INT(parser_push(p, tail, sizeof tail - 1), 0);
	CHECK_INT(parser_finish(p), 0);
	CHECK(parser_feed(p)->title != NULL);
	CHECK(strlen(parser_feed(p)->title) <= (16u << 20));
	parser_free(p);
	if (!UNDER_ASAN && peak_rss_mb() > 160)
		t_fail(__FILE__, __LINE__, "peak RSS %ld MB", peak_rss_mb());
}

TEST(hostile_deep_nesting)
{
	struct buf d = {0};
	buf_puts(&d, "<rss><channel><title>Dalam</title><item><title>t"
	         "</title><description>");
	for (int i = 0; i < 10000; i++)
		buf_puts(&d, "<div>");
	buf_puts(&d, "isi");
	for (int i = 0; i < 10000; i++)
		buf_puts(&d, "</div>");
	buf_puts(&d, "</description></item><item><title>kedua</title></item>"
	         "</channel></rss>");
	struct parsed r;
	CHECK_INT(parse_bytes(d.p, d.len, 4096, NULL, &r), 0);
	CHECK_INT(r.n, 2);
	CHECK_CONTAINS(r.e[0].summary, "isi");
	CHECK_STR(r.e[1].title, "kedua");
	CHECK_INT(r.feed.bozo, 1);
	parsed_free(&r);
	/* and nesting that never closes, at the top */
	buf_reset(&d);
	buf_puts(&d, "<rss><channel>");
	for (int i = 0; i < 10000; i++)
		buf_puts(&d, "<x>");
	struct parsed r2;
	CHECK_INT(parse_bytes(d.p, d.len, 0, NULL, &r2), 0);
	CHECK_INT(r2.feed.bozo, 1);
	parsed_free(&r2);
	buf_free(&d);
}

TEST(hostile_invalid_utf8)
{
	const char doc[] = "<rss version=\"2.0\"><channel><title>a\xff\xfe"
		"b\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80" "c</title><item><title>"
		"\x80\x81\x82\x8d\x9d</title><link>http://x.go.id/\xe9</link>"
		"</item></channel></rss>";
	struct parsed r;
	CHECK_INT(parse_bytes(doc, sizeof doc - 1, 3, NULL, &r), 0);
	CHECK(parsed_all_utf8(&r));
	CHECK_INT(r.feed.bozo, 1);
	CHECK_CONTAINS(r.feed.title, "a");
	CHECK_CONTAINS(r.feed.title, "c");
	CHECK_INT(r.n, 1);
	parsed_free(&r);
}

TEST(hostile_nul_bytes)
{
	const char doc[] = "<rss version=\"2.0\">\0<channel><title>Ju\0dul"
		"</title><item><title>Berita\0 satu</title></item><item><ti\0tle>"
		"x</title></item></channel></rss>\0\0";
	struct parsed r;
	CHECK_INT(parse_bytes(doc, sizeof doc - 1, 0, NULL, &r), 0);
	CHECK(parsed_all_utf8(&r));
	CHECK_INT(r.feed.bozo, 1);
	CHECK_STR(r.feed.title, "Judul");
	CHECK_INT(r.n, 2);
	CHECK_STR(r.e[0].title, "Berita satu");
	CHECK_STR(r.e[1].title, "x");
	parsed_free(&r);
	/* UTF-16 NULs are characters there, not garbage */
	const char u16[] = "\xff\xfe<\0r\0s\0s\0>\0<\0c\0h\0a\0n\0n\0e\0l\0>\0"
		"<\0t\0i\0t\0l\0e\0>\0O\0K\0<\0/\0t\0i\0t\0l\0e\0>\0";
	CHECK_INT(parse_bytes(u16, sizeof u16 - 1, 1, NULL, &r), 0);
	CHECK_STR(r.feed.encoding, "utf-16le");
	CHECK_STR(r.feed.title, "OK");
	parsed_free(&r);
}

static unsigned long rng = 88172645463325252ul;

static unsigned long next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Thousands of fixtures with bytes changed, cut or repeated: nothing
 * crashes (the sanitizer run makes this a memory-safety test), and
 * everything that comes out is UTF-8. */
TEST(hostile_mutated_fixtures)
{
	static const char *const names[] = {
		"wordpress-mediacenter.xml", "wordpress-mediacenter.atom",
		"blogger.xml", "joomla.xml", "broken-illformed.xml", NULL,
	};
	static const char alphabet[] = "<>&;\"'/=![]-?#x \n\xc3\xa9\xff\x00";
	/* WARTA_FUZZ_ROUNDS=N digs deeper by hand */
	const char *env = getenv("WARTA_FUZZ_ROUNDS");
	int rounds = env ? atoi(env) : 300;
	for (int f = 0; names[f]; f++) {
		struct buf src = {0};
		CHECK(read_file(t_fixture(names[f]), &src, 1 << 20) == 0);
		for (int round = 0; round < rounds; round++) {
			struct buf m = {0};
			buf_add(&m, src.p, src.len);
			int edits = 1 + (int)(next_rand() % 8);
			for (int k = 0; k < edits && m.len > 1; k++) {
				size_t at = next_rand() % m.len;
				switch (next_rand() % 3) {
				case 0:
					m.p[at] = alphabet[next_rand() %
					                   (sizeof alphabet - 1)];
					break;
				case 1:
					m.len = at;  /* cut */
					break;
				default: {
					size_t l = next_rand() % 64;
					if (at + l > m.len)
						l = m.len - at;
					char tmp[64];
					memcpy(tmp, m.p + at, l);
					buf_add(&m, tmp, l);
				}
				}
			}
			struct parsed r;
			parse_bytes(m.p ? m.p : "", m.len,
			            1 + next_rand() % 200, NULL, &r);
			if (!parsed_all_utf8(&r)) {
				struct buf d = {0};
				parsed_dump(&r, &d);
				t_fail(__FILE__, __LINE__, "%s round %d: "
				       "invalid UTF-8 out\n%s", names[f], round, d.p);
				buf_free(&d);
			}
			parsed_free(&r);
			buf_free(&m);
		}
		buf_free(&src);
	}
}
