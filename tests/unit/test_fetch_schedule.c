/* test_fetch_schedule.c — due times, back-off, Retry-After, max-age and
 * the three-in-a-row rule for permanent redirects. */
#include "t.h"
#include "schedule.h"

TEST(sched_interval_clamps_and_defaults)
{
	CHECK_INT(sched_interval(0, -1), SCHED_DEFAULT);
	CHECK_INT(sched_interval(3600, -1), 3600);
	CHECK_INT(sched_interval(60, -1), SCHED_MIN);
	CHECK_INT(sched_interval(10 * 86400, -1), SCHED_MAX);
	CHECK_INT(sched_interval(0, 7200), 7200);
	CHECK_INT(sched_interval(0, 0), SCHED_MIN);     /* max-age=0 */
	CHECK_INT(sched_interval(1800, 7200), 7200);    /* the longest */
	CHECK_INT(sched_interval(7200, 1800), 7200);
}

TEST(sched_backoff_grows_to_a_day)
{
	CHECK_INT(sched_backoff(1), 900);
	CHECK_INT(sched_backoff(2), 1800);
	CHECK_INT(sched_backoff(3), 3600);
	CHECK_INT(sched_backoff(7), 57600);
	CHECK_INT(sched_backoff(8), 86400);
	CHECK_INT(sched_backoff(1000), 86400);
	CHECK_INT(sched_backoff(0), 900);
}

TEST(sched_max_age_reads_cache_control)
{
	int64_t s = -1;
	CHECK(sched_max_age("max-age=60", &s) && s == 60);
	CHECK(sched_max_age("public, MAX-AGE = 7200, must-revalidate", &s) &&
	      s == 7200);
	CHECK(sched_max_age("max-age=\"300\"", &s) && s == 300);
	CHECK(sched_max_age("s-maxage=10, max-age=20", &s) && s == 20);
	s = -1;
	CHECK(!sched_max_age("no-cache", &s) && s == -1);
	CHECK(!sched_max_age("max-age=soon", &s));
	CHECK(!sched_max_age("x-max-age=5", &s));
	CHECK(!sched_max_age("", &s));
	CHECK(!sched_max_age(NULL, &s));
	CHECK(sched_max_age("max-age=99999999999999999999", &s) && s > 0);
}

TEST(sched_retry_after_both_forms)
{
	int64_t now = 1764642600, s = -1;    /* 2025-12-02T02:30:00Z */
	CHECK(sched_retry_after("120", now, &s) && s == 120);
	CHECK(sched_retry_after("  0 ", now, &s) && s == 0);
	CHECK(sched_retry_after("Wed, 03 Dec 2025 02:30:00 GMT", now, &s) &&
	      s == 86400);
	/* RFC 850 and asctime forms are HTTP dates too */
	CHECK(sched_retry_after("Tuesday, 02-Dec-25 03:30:00 GMT", now, &s) &&
	      s == 3600);
	CHECK(sched_retry_after("Tue Dec  2 02:31:00 2025", now, &s) &&
	      s == 60);
	/* a date in the past: retry now */
	CHECK(sched_retry_after("Mon, 01 Dec 2025 00:00:00 GMT", now, &s) &&
	      s == 0);
	CHECK(!sched_retry_after("later", now, &s));
	CHECK(!sched_retry_after("-5", now, &s));
	CHECK(!sched_retry_after(NULL, now, &s));
}

TEST(sched_moved_to_takes_the_permanent_run)
{
	struct fetch_hop h[3] = {{301, "http://a/2"}, {308, "http://a/3"},
	                         {302, "http://a/4"}};
	CHECK_STR(sched_moved_to(h, 3), "http://a/3");
	CHECK_STR(sched_moved_to(h, 1), "http://a/2");
	CHECK_STR(sched_moved_to(h + 2, 1), NULL);
	CHECK_STR(sched_moved_to(h, 0), NULL);
	struct fetch_hop t[2] = {{307, "http://a/2"}, {301, "http://a/3"}};
	CHECK_STR(sched_moved_to(t, 2), NULL);
}

TEST(sched_moves_after_three_in_a_row)
{
	struct sched_feed f = {0};
	struct sched_in in = {.now = 1000, .result = SCHED_FEED,
	                      .max_age = -1, .retry_after = -1,
	                      .moved_to = "https://new/feed"};
	struct sched_out o;
	sched_decide(&f, &in, &o);
	CHECK_STR(o.redirect_to, "https://new/feed");
	CHECK_INT(o.redirect_seen, 1);
	CHECK_STR(o.new_url, NULL);
	f.redirect_to = "https://new/feed";
	f.redirect_seen = 1;
	sched_decide(&f, &in, &o);
	CHECK_INT(o.redirect_seen, 2);
	CHECK_STR(o.new_url, NULL);
	f.redirect_seen = 2;
	sched_decide(&f, &in, &o);
	CHECK_STR(o.new_url, "https://new/feed");
	CHECK_STR(o.redirect_to, NULL);
	CHECK_INT(o.redirect_seen, 0);
	/* another target starts again */
	in.moved_to = "https://other/feed";
	sched_decide(&f, &in, &o);
	CHECK_STR(o.redirect_to, "https://other/feed");
	CHECK_INT(o.redirect_seen, 1);
	CHECK_STR(o.new_url, NULL);
	/* a fetch without the redirect, or a failed one, forgets it */
	in.moved_to = NULL;
	sched_decide(&f, &in, &o);
	CHECK_STR(o.redirect_to, NULL);
	CHECK_INT(o.redirect_seen, 0);
	in.moved_to = "https://new/feed";
	in.result = SCHED_FAILED;
	sched_decide(&f, &in, &o);
	CHECK_STR(o.redirect_to, NULL);
	CHECK_STR(o.new_url, NULL);
}

TEST(sched_failures_gone_and_throttling)
{
	struct sched_feed f = {.ttl = 7200, .failures = 2};
	struct sched_in in = {.now = 1000, .result = SCHED_FAILED,
	                      .max_age = -1, .retry_after = -1};
	struct sched_out o;
	sched_decide(&f, &in, &o);
	CHECK_INT(o.failures, 3);
	CHECK_INT(o.next_due, 1000 + 3600);
	CHECK_INT(o.gone, 0);
	/* Retry-After only counts for 429/503, and only when longer */
	in.retry_after = 50000;
	sched_decide(&f, &in, &o);
	CHECK_INT(o.next_due, 1000 + 3600);
	in.result = SCHED_THROTTLED;
	sched_decide(&f, &in, &o);
	CHECK_INT(o.next_due, 1000 + 50000);
	in.retry_after = 10;
	sched_decide(&f, &in, &o);
	CHECK_INT(o.next_due, 1000 + 3600);
	in.retry_after = 10 * 86400;
	sched_decide(&f, &in, &o);
	CHECK_INT(o.next_due, 1000 + 86400);
	in.result = SCHED_GONE;
	sched_decide(&f, &in, &o);
	CHECK_INT(o.gone, 1);
	CHECK_INT(o.failures, 3);
	/* a feed that answers is not gone any more, and not failing */
	f.gone = 1;
	in.result = SCHED_FEED;
	sched_decide(&f, &in, &o);
	CHECK_INT(o.gone, 0);
	CHECK_INT(o.failures, 0);
	CHECK_INT(o.next_due, 1000 + 7200);   /* the stored ttl */
	in.ttl = 900;
	sched_decide(&f, &in, &o);
	CHECK_INT(o.next_due, 1000 + 900);    /* the new one wins */
	/* a failure keeps the gone mark as it was */
	in.result = SCHED_FAILED;
	sched_decide(&f, &in, &o);
	CHECK_INT(o.gone, 1);
}
