/* cmd_fetch.c — `warta fetch`: every due feed (or those named), one after
 * another: fetch, parse, archive, record. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "cli.h"
#include "cmd_fetch.h"
#include "digest.h"
#include "fetch.h"
#include "parse.h"
#include "util.h"

const char usage_fetch[] =
	"Usage: warta fetch [FEED...] [--force] [-q] [-v]\n"
	"\n"
	"Fetch every feed that is due (or the FEEDs named: a number as\n"
	"'warta feeds' shows it, or a URL), parse it and archive its entries.\n"
	"Each feed is one transaction: a run stopped at any moment leaves the\n"
	"archive consistent, and the next run carries on.\n"
	"\n"
	"  --force     fetch every feed now, whatever its schedule or back-off\n"
	"              (validators are still sent: an unchanged feed is a 304)\n"
	"  -q, --quiet say nothing, not even which feeds failed\n"
	"  -v, --verbose  one line per feed, and a summary\n"
	"\n"
	"A feed that fails is recorded ('warta log', 'warta feeds') and retried\n"
	"later with a growing back-off; it does not fail the run. Exit status:\n"
	"0 done, 1 the archive could not be used or no feed answered at all,\n"
	"2 usage.\n";

/* When a feed that worked is next due: its own ttl, clamped to
 * [15 minutes, 1 day]; an hour when it gives none. */
static int64_t interval(int64_t ttl)
{
	if (ttl <= 0)
		return 3600;
	if (ttl < 900)
		return 900;
	return ttl > 86400 ? 86400 : ttl;
}

/* After n failures in a row: 15 minutes, doubling, capped at a day. */
static int64_t backoff(int n)
{
	int64_t d = 900;
	for (int i = 1; i < n && d < 86400; i++)
		d *= 2;
	return d > 86400 ? 86400 : d;
}

struct ingest_ctx {
	struct arc_ingest *in;
	int failed;
};

static int on_entry(void *ctx, const struct feed *feed, struct entry *e)
{
	struct ingest_ctx *c = ctx;
	(void)feed;
	if (archive_ingest_entry(c->in, e) < 0) {
		c->failed = 1;
		return 1;
	}
	return 0;
}

static void failed(struct arc_fetch *fx, const struct arc_feed *f,
                   const char *error, int64_t now)
{
	fx->error = error;
	fx->failures = f->failures + 1;
	fx->next_due = now + backoff(fx->failures);
}

int fetch_feed_now(struct archive *a, int64_t feed_id, int flags,
                   struct fetch_tally *t)
{
	struct arc_feed f = {0};
	int rc = archive_feed_get(a, feed_id, &f);
	if (rc <= 0) {
		if (rc == 0)
			warnmsg("fetch: no feed %lld", (long long)feed_id);
		return -1;
	}
	int64_t now = now_utc();
	struct fetch_req req = {.url = f.url, .etag = f.etag,
	                        .last_modified = f.last_modified,
	                        .insecure = f.insecure};
	struct fetch_res res;
	struct arc_fetch fx = {.time = now, .url = f.url, .gone = f.gone,
	                       .redirect_to = f.redirect_to,
	                       .redirect_seen = f.redirect_seen};
	char *err = NULL, *warn = NULL;
	unsigned char hash[32];
	struct arc_counts c = {0};
	int ret = 0, archived = 0, not_modified = 0;
	t->feeds++;

	int got = fetch_url(&req, &res);
	fx.status = (int)res.status;
	fx.bytes = (int64_t)res.body.len;
	fx.duration_ms = res.duration_ms;
	if (got < 0) {
		failed(&fx, &f, res.error, now);
		t->no_answer++;
		ret = archive_fetch_record(a, feed_id, &fx);
	} else if (res.status == 304) {
		fx.next_due = now + interval(f.ttl);
		not_modified = 1;
		ret = archive_fetch_record(a, feed_id, &fx);
	} else if (res.status >= 300) {
		err = xasprintf("HTTP %ld", res.status);
		failed(&fx, &f, err, now);
		if (res.status == 410)
			fx.gone = 1;
		if ((res.status == 429 || res.status == 503) &&
		    res.retry_after > 0 &&
		    now + res.retry_after > fx.next_due)
			fx.next_due = now + res.retry_after;
		ret = archive_fetch_record(a, feed_id, &fx);
	} else {
		fx.set_validators = 1;
		fx.etag = res.etag;
		fx.last_modified = res.last_modified;
		fx.gone = 0;
		sha256(res.body.p ? res.body.p : "", res.body.len, hash);
		if (f.has_body_hash && memcmp(hash, f.body_hash, 32) == 0) {
			/* The same bytes as last time: a 304 in all but name
			 * (many sites send no validators). */
			fx.next_due = now + interval(f.ttl);
			not_modified = 1;
			ret = archive_fetch_record(a, feed_id, &fx);
			goto done;
		}
		struct ingest_ctx ic = {archive_ingest_begin(a, feed_id, now), 0};
		if (!ic.in) {
			ret = -1;
			goto done;
		}
		struct parse_opts po = {.url = res.effective_url,
		                        .content_type = res.content_type};
		struct parser *p = parser_new(&po, on_entry, &ic);
		int pr = parser_push(p, res.body.p ? res.body.p : "",
		                     res.body.len);
		if (!ic.failed)
			pr = parser_finish(p);
		if (ic.failed) {
			parser_free(p);
			archive_ingest_abort(ic.in);
			ret = -1;
			goto done;
		}
		if (pr < 0) {
			const char *why = parser_error(p);
			err = xstrdup(why ? why : "not a feed");
			archive_ingest_discard(ic.in);
			failed(&fx, &f, err, now);
			fx.set_validators = 0;
		} else {
			const struct feed *pf = parser_feed(p);
			if (archive_ingest_feed(ic.in, pf) < 0) {
				parser_free(p);
				archive_ingest_abort(ic.in);
				ret = -1;
				goto done;
			}
			if (pf->bozo)
				fx.warning = warn = xasprintf(
					"not well-formed, recovered: %s",
					pf->bozo_msg ? pf->bozo_msg : "?");
			fx.body_hash = hash;
			fx.ttl = pf->ttl;
			fx.next_due = now + interval(pf->ttl > 0 ? pf->ttl
			                                         : f.ttl);
			archived = 1;
		}
		parser_free(p);
		ret = archive_ingest_end(ic.in, &fx, &c);
	}
done:
	if (ret == 0) {
		if (fx.error) {
			t->failed++;
			if (!(flags & FETCH_QUIET))
				warnmsg("%s: %s", f.url, fx.error);
		} else if (not_modified) {
			t->not_modified++;
		} else if (archived) {
			t->archived++;
			t->fresh += c.fresh;
			t->updated += c.updated;
		}
		/* a failure is the warning above, once; the name is read
		 * again, since a first fetch has just given the feed one */
		if ((flags & FETCH_VERBOSE) && !fx.error && archived)
			archive_feed_get(a, feed_id, &f);
		if ((flags & FETCH_VERBOSE) && !fx.error) {
			if (not_modified)
				printf("#%lld %s: not modified (%lld ms)\n",
				       (long long)f.id, arc_feed_name(&f),
				       (long long)fx.duration_ms);
			else
				printf("#%lld %s: %ld new, %ld updated, %ld "
				       "unchanged (%lld ms)\n",
				       (long long)f.id, arc_feed_name(&f),
				       c.fresh, c.updated, c.unchanged,
				       (long long)fx.duration_ms);
		}
	}
	free(err);
	free(warn);
	fetch_res_clear(&res);
	arc_feed_clear(&f);
	return ret;
}

struct ids {
	int64_t *v;
	size_t n;
};

static int collect(void *ctx, const struct arc_feed *f)
{
	struct ids *ids = ctx;
	ids->v = xrealloc(ids->v, (ids->n + 1) * sizeof *ids->v);
	ids->v[ids->n++] = f->id;
	return 0;
}

int cmd_fetch(int argc, char **argv)
{
	static const struct option opts[] = {
		{"force", no_argument, NULL, 'f'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"jobs", required_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	int flags = 0, force = 0, c;
	long jobs;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":qvj:", opts, NULL)) != -1) {
		switch (c) {
		case 'f': force = 1; break;
		case 'q': flags |= FETCH_QUIET; flags &= ~FETCH_VERBOSE; break;
		case 'v': flags |= FETCH_VERBOSE; flags &= ~FETCH_QUIET; break;
		case 'j':
			/* accepted now; one at a time until the concurrent
			 * fetcher lands */
			if (parse_count("fetch", "-j", optarg, &jobs) < 0)
				return EXIT_USAGE;
			break;
		case ':':
			return usage_error("fetch", "%s needs a value",
			                   argv[optind - 1]);
		default:
			return usage_error("fetch", "unknown option '%s'",
			                   argv[optind - 1]);
		}
	}
	struct archive *a = archive_open(db_path());
	if (!a)
		return EXIT_FAIL;
	struct ids ids = {0};
	int status = EXIT_DONE;
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			struct arc_feed f = {0};
			int rc = archive_feed_find(a, argv[i], &f);
			if (rc == 0 || (rc == 1 && f.removed)) {
				warnmsg("fetch: no feed '%s' (see 'warta feeds')",
				        argv[i]);
				status = EXIT_FAIL;
			} else if (rc == 1) {
				collect(&ids, &f);
			} else {
				status = EXIT_FAIL;
			}
			arc_feed_clear(&f);
		}
		if (status != EXIT_DONE) {
			free(ids.v);
			archive_close(a);
			return status;
		}
	} else if (archive_feeds_each(a, !force, now_utc(), collect, &ids) < 0) {
		archive_close(a);
		return EXIT_FAIL;
	}
	if (fetch_init() < 0) {
		free(ids.v);
		archive_close(a);
		return EXIT_FAIL;
	}
	struct fetch_tally t = {0};
	for (size_t i = 0; i < ids.n; i++) {
		if (fetch_feed_now(a, ids.v[i], flags, &t) < 0) {
			status = EXIT_FAIL;
			break;
		}
	}
	if (flags & FETCH_VERBOSE)
		printf("%d feeds: %d archived, %d not modified, %d failed; "
		       "%ld new entries, %ld updated\n", t.feeds, t.archived,
		       t.not_modified, t.failed, t.fresh, t.updated);
	if (status == EXIT_DONE && t.feeds > 0 && t.no_answer == t.feeds)
		status = EXIT_FAIL;
	fetch_cleanup();
	free(ids.v);
	archive_close(a);
	return status;
}

const char usage_backfill[] =
	"Usage: warta backfill FEED [--pages N]\n";

int cmd_backfill(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnmsg("backfill: not written yet");
	return EXIT_FAIL;
}
