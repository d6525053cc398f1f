/* test_parse_ahead.c — the parse thread gives what parsing inline gives,
 * in order, bounded, and lets go of what it holds when stopped. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "parse_ahead.h"
#include "t.h"
#include "util.h"

static atomic_int wakes;

static void count_wake(void *ctx)
{
	(void)ctx;
	atomic_fetch_add(&wakes, 1);
}

static struct ahead_job *job_with(const char *body, const char *url,
                                  void *user)
{
	struct ahead_job *j = ahead_job_new();
	j->user = user;
	j->res.effective_url = url ? xstrdup(url) : NULL;
	buf_puts(&j->res.mem, body);
	return j;
}

static char *rss(int items, const char *extra)
{
	struct buf b = {0};
	buf_printf(&b, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
	           "<title>Kota %d</title><link>https://kota.example/</link>",
	           items);
	for (int i = 0; i < items; i++)
		buf_printf(&b, "<item><title>Berita %d</title><link>/p/%d</link>"
		           "<description>&lt;p&gt;Isi %d&lt;/p&gt;</description>"
		           "</item>", i, i, i);
	buf_printf(&b, "%s</channel></rss>", extra);
	return b.p;
}

struct seen {
	int n;
	char title[8][64], link[8][64];
};

static int keep(void *ctx, const struct feed *f, struct entry *e)
{
	struct seen *s = ctx;
	(void)f;
	snprintf(s->title[s->n], sizeof s->title[0], "%s", e->title);
	snprintf(s->link[s->n], sizeof s->link[0], "%s", e->link);
	s->n++;
	return 0;
}

TEST(parse_ahead_gives_what_parsing_inline_gives_in_order)
{
	char *a = rss(3, ""), *b = rss(1, "<item><title>x</item>");
	const char *html = "<!DOCTYPE html><html><head><title>Beranda"
	                   "</title></head><body>Halo</body></html>";
	int users[3];
	atomic_store(&wakes, 0);
	struct ahead *ah = ahead_start(count_wake, NULL);
	CHECK(ah != NULL);
	ahead_submit(ah, job_with(a, "https://kota.example/feed/", &users[0]));
	ahead_submit(ah, job_with(html, NULL, &users[1]));
	ahead_submit(ah, job_with(b, NULL, &users[2]));
	CHECK_INT(ahead_held(ah), 3);

	struct ahead_job *j = ahead_done(ah, 1);
	CHECK(j && j->user == &users[0]);
	CHECK_INT(j->rc, 0);
	CHECK(j->error == NULL);
	CHECK_STR(j->feed.title, "Kota 3");
	CHECK_INT(j->nentries, 3);
	struct seen in = {0};
	CHECK_INT(parse_memory(a, strlen(a),
	                       &(struct parse_opts){.url = "https://kota."
	                                            "example/feed/"},
	                       keep, &in, NULL, NULL), 0);
	CHECK_INT(in.n, 3);
	for (int i = 0; i < 3; i++) {
		CHECK_STR(j->entries[i].e.title, in.title[i]);
		CHECK_STR(j->entries[i].e.link, in.link[i]);
		CHECK(j->entries[i].prep != NULL);
	}
	CHECK_STR(j->entries[2].e.link, "https://kota.example/p/2");
	ahead_job_free(j);

	j = ahead_done(ah, 1);
	CHECK(j && j->user == &users[1]);
	CHECK_INT(j->rc, -1);
	CHECK_STR(j->error, "not a feed: HTML page");
	CHECK_INT(j->nentries, 0);
	ahead_job_free(j);

	j = ahead_done(ah, 1);
	CHECK(j && j->user == &users[2]);
	CHECK_INT(j->rc, 0);
	CHECK_INT(j->feed.bozo, 1);
	CHECK_INT(j->nentries, 2);
	ahead_job_free(j);

	CHECK_INT(ahead_held(ah), 0);
	CHECK(ahead_done(ah, 1) == NULL);  /* nothing held: no wait */
	ahead_stop(ah);
	/* (a job is done before its wake: counted once the thread ends) */
	CHECK_INT(atomic_load(&wakes), 3);
	free(a);
	free(b);
}

TEST(parse_ahead_holds_a_bounded_number_and_size_of_bodies)
{
	struct ahead *ah = ahead_start(count_wake, NULL);
	CHECK(ah != NULL);
	struct fetch_res small = {0}, spilled = {0}, big = {0};
	small.mem.len = 1000;
	spilled.spill = stdin;   /* (only looked at, never read) */
	big.mem.len = AHEAD_BYTES;
	CHECK(!ahead_room(NULL, &small));
	CHECK(!ahead_room(ah, &spilled));
	CHECK(ahead_room(ah, &big));      /* alone, any in-memory body */
	char *a = rss(1, "");
	for (int i = 0; i < AHEAD_JOBS; i++) {
		CHECK(ahead_room(ah, &small));
		ahead_submit(ah, job_with(a, NULL, NULL));
	}
	/* full: done or not, until they are taken back; small bodies are
	 * all parsed ahead */
	CHECK(!ahead_room(ah, &small));
	usleep(300 * 1000);
	CHECK_INT(ahead_parsed(ah), AHEAD_JOBS);
	ahead_job_free(ahead_done(ah, 1));
	CHECK(ahead_room(ah, &small));
	CHECK(!ahead_room(ah, &big));     /* not with others held */
	/* stopped with jobs held, taken or not: ASan's leak check */
	ahead_stop(ah);
	free(a);

	/* big ones only while what is parsed and held is under
	 * AHEAD_PARSED_BYTES (a feed parsed is three times its body) */
	ah = ahead_start(count_wake, NULL);
	size_t third = AHEAD_PARSED_BYTES / 3 + 1;
	char *pad = xmalloc(third + 1);
	memset(pad, ' ', third);
	pad[third] = 0;
	a = rss(1, pad);
	for (int i = 0; i < 5; i++)
		ahead_submit(ah, job_with(a, NULL, NULL));
	usleep(300 * 1000);
	CHECK_INT(ahead_parsed(ah), 3);
	ahead_job_free(ahead_done(ah, 1));
	usleep(300 * 1000);
	CHECK_INT(ahead_parsed(ah), 3);   /* the fourth, in its place */
	ahead_stop(ah);
	free(pad);
	free(a);
}
