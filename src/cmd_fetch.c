/* cmd_fetch.c — `warta fetch` and `warta backfill`, and the glue add
 * uses: transfers from fetch.c, decisions from schedule.c, documents
 * through parse.c (on the parse thread, parse_ahead.c, for a fetch
 * run), writes through archive.c from this thread alone, a transaction
 * per group and each feed whole in it, as each transfer completes. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "cli.h"
#include "cmd_fetch.h"
#include "discover.h"
#include "fetch.h"
#include "lock.h"
#include "parse.h"
#include "parse_ahead.h"
#include "schedule.h"
#include "util.h"

/* ---- one fetch of one feed into the archive ------------------------------ */

enum { OUT_ARCHIVED, OUT_NOT_MODIFIED, OUT_FAILED };

struct outcome {
	int kind;
	int same_bytes;       /* a 200 with the bytes of last time */
	int no_answer;
	struct arc_counts c;
	char *error;          /* malloc'd, when OUT_FAILED */
	char *moved;          /* the URL adopted, malloc'd, or NULL */
};

static void outcome_clear(struct outcome *o)
{
	free(o->error);
	free(o->moved);
	memset(o, 0, sizeof *o);
}

static void fmt_wait(int64_t s, char *out, size_t n)
{
	if (s < 120)
		snprintf(out, n, "%lld s", (long long)s);
	else if (s < 7200)
		snprintf(out, n, "%lld min", (long long)(s / 60));
	else if (s < 2 * 86400)
		snprintf(out, n, "%lld h", (long long)(s / 3600));
	else
		snprintf(out, n, "%lld days", (long long)(s / 86400));
}

static char *http_words(long status, int64_t retry_after)
{
	char w[32];
	switch (status) {
	case 410:
		return xstrdup("HTTP 410: gone (fetched again only with "
		               "--force)");
	case 429:
	case 503:
		if (retry_after >= 0) {
			fmt_wait(retry_after, w, sizeof w);
			return xasprintf("HTTP %ld, retry after %s", status, w);
		}
		return xasprintf("HTTP %ld", status);
	case 304:
		return xstrdup("HTTP 304 Not Modified, but no validator was "
		               "sent (nothing was fetched before)");
	default:
		if (status >= 300 && status < 400)
			return xasprintf("HTTP %ld without a usable Location",
			                 status);
		return xasprintf("HTTP %ld", status);
	}
}

struct ingest_ctx {
	struct arc_ingest *in;
	struct parser *p;
	int failed;           /* the archive failed */
	int name;             /* name the feed before its first entry */
};

/* Before the first entry: archive.h says why. 1 when the archive
 * failed. */
static int name_first(struct ingest_ctx *c, const struct feed *feed)
{
	if (c->name) {
		c->name = 0;
		if (archive_ingest_feed_name(c->in, feed) < 0)
			c->failed = 1;
	}
	return c->failed;
}

static int on_entry(void *ctx, const struct feed *feed, struct entry *e)
{
	struct ingest_ctx *c = ctx;
	if (name_first(c, feed))
		return 1;
	if (archive_ingest_entry(c->in, e) < 0) {
		c->failed = 1;
		return 1;
	}
	return 0;
}

/* The entries the parse thread made, into the archive (none from a
 * document that is not a feed: outcome_locked relies on it). */
static void ingest_parsed(struct ingest_ctx *c, struct ahead_job *pre)
{
	for (size_t i = 0; pre->rc == 0 && i < pre->nentries; i++) {
		struct ahead_entry *ae = &pre->entries[i];
		if (name_first(c, &pre->feed))
			return;
		if (archive_ingest_prepared(c->in, &ae->e, ae->prep) < 0) {
			c->failed = 1;
			return;
		}
	}
}

static int push_body(void *ctx, const char *p, size_t n)
{
	struct ingest_ctx *c = ctx;
	return parser_push(c->p, p, n) != 0;
}

static void add_warning(struct buf *w, const char *fmt, const char *a,
                        const char *b)
{
	if (w->len)
		buf_puts(w, "; ");
	buf_printf(w, fmt, a, b);
}

/* What an answer is to archive_outcome. */
enum answer {
	A_FAILED,        /* no answer: the transfer failed */
	A_NOT_MODIFIED,  /* 304 to a conditional request */
	A_HTTP_ERROR,    /* any other status but 2xx */
	A_SAME_BYTES,    /* the same body as last time */
	A_BODY,          /* a body to parse */
};

static enum answer answer_kind(const struct arc_feed *f,
                               const struct fetch_res *res, int log_only)
{
	if (res->fail != FETCH_OK)
		return A_FAILED;
	/* (a 304 to a request that sent no validator says nothing about a
	 * feed never fetched: an HTTP error) */
	if (res->status == 304 && (f->etag || f->last_modified))
		return A_NOT_MODIFIED;
	if (!str_ihas_prefix(res->url, "file:") &&
	    (res->status < 200 || res->status >= 300))
		return A_HTTP_ERROR;
	/* many sites send no validators */
	if (!log_only && f->has_body_hash &&
	    memcmp(res->sha256, f->body_hash, 32) == 0)
		return A_SAME_BYTES;
	return A_BODY;
}

/* What one fetch of f ended with, into the archive: the log row, the
 * feed's new state, and the entries when a feed came. log_only: a
 * backfill page (entries and log, no state). pre: the body parsed
 * already (parse_ahead.h), or NULL. 0, or -1 when the archive failed. */
static int archive_outcome(struct archive *a, const struct arc_feed *f,
                           struct fetch_res *res, int64_t started,
                           int log_only, struct ahead_job *pre,
                           struct outcome *o)
{
	memset(o, 0, sizeof *o);
	struct arc_fetch fx = {
		.time = started, .url = log_only ? res->url : f->url,
		.status = (int)res->status, .bytes = res->bytes,
		.duration_ms = res->duration_ms, .log_only = log_only,
	};
	struct sched_feed sf = {f->ttl, f->failures, f->gone, f->redirect_to,
	                        f->redirect_seen};
	struct sched_in si = {.now = started, .result = SCHED_FAILED,
	                      .max_age = -1, .retry_after = -1,
	                      .moved_to = sched_moved_to(res->hops,
	                                                 res->nhops)};
	int64_t v;
	if (sched_max_age(res->cache_control, &v))
		si.max_age = v;
	if (sched_retry_after(res->retry_after, started, &v))
		si.retry_after = v;
	struct buf warn = {0};
	struct ingest_ctx ic = {.name = !log_only};
	int ret = 0;
	enum answer kind = answer_kind(f, res, log_only);

	if (kind == A_FAILED) {
		o->error = xstrdup(res->error);
		o->no_answer = fetch_no_answer(res);
	} else if (kind == A_NOT_MODIFIED) {
		si.result = SCHED_FEED;
		o->kind = OUT_NOT_MODIFIED;
		if (res->etag || res->last_modified) {
			fx.set_validators = 1;
			fx.etag = res->etag ? res->etag : f->etag;
			fx.last_modified = res->last_modified
			                   ? res->last_modified
			                   : f->last_modified;
		}
	} else if (kind == A_HTTP_ERROR) {
		o->error = http_words(res->status, si.retry_after);
		if (res->status == 410)
			si.result = SCHED_GONE;
		else if (res->status == 429 || res->status == 503)
			si.result = SCHED_THROTTLED;
	} else if (kind == A_SAME_BYTES) {
		/* a 304 in all but name: nothing to parse */
		si.result = SCHED_FEED;
		o->kind = OUT_NOT_MODIFIED;
		o->same_bytes = 1;
		fx.set_validators = 1;
		fx.etag = res->etag;
		fx.last_modified = res->last_modified;
	} else {
		ic.in = archive_ingest_begin(a, f->id, started);
		if (!ic.in) {
			ret = -1;
			goto out;
		}
		int pr;
		const char *why;
		const struct feed *pf;
		if (pre) {
			ingest_parsed(&ic, pre);
			pr = pre->rc;
			why = pre->error;
			pf = &pre->feed;
		} else {
			struct parse_opts po = {.url = res->effective_url,
			                        .content_type = res->content_type};
			ic.p = parser_new(&po, on_entry, &ic);
			int rb = fetch_body_each(res, push_body, &ic);
			pr = rb < 0 || ic.failed ? -1 : parser_finish(ic.p);
			why = rb < 0 ? "cannot read the body back from its "
			               "temporary file" : parser_error(ic.p);
			pf = parser_feed(ic.p);
		}
		if (ic.failed) {
			parser_free(ic.p);
			archive_ingest_abort(ic.in);
			ret = -1;
			goto out;
		}
		if (pr < 0) {
			o->error = xstrdup(why ? why : "not a feed");
			archive_ingest_discard(ic.in);
		} else {
			if (!log_only && archive_ingest_feed(ic.in, pf) < 0) {
				parser_free(ic.p);
				archive_ingest_abort(ic.in);
				ret = -1;
				goto out;
			}
			if (pf->bozo)
				add_warning(&warn, "not well-formed, recovered: "
				            "%s%s", pf->bozo_msg ? pf->bozo_msg
				                                 : "?", "");
			si.result = SCHED_FEED;
			si.ttl = pf->ttl;
			o->kind = OUT_ARCHIVED;
			fx.body_hash = res->sha256;
			fx.ttl = pf->ttl;
			fx.set_validators = 1;
			fx.etag = res->etag;
			fx.last_modified = res->last_modified;
		}
	}
	if (o->error)
		o->kind = OUT_FAILED;

	struct sched_out so;
	sched_decide(&sf, &si, &so);
	fx.error = o->error;
	fx.next_due = so.next_due;
	fx.failures = so.failures;
	fx.gone = so.gone;
	fx.redirect_to = so.redirect_to;
	fx.redirect_seen = so.redirect_seen;
	fx.new_url = log_only ? NULL : so.new_url;
	if (!log_only && so.new_url) {
		o->moved = xstrdup(so.new_url);
		add_warning(&warn, "moved permanently to %s (%s fetches in a "
		            "row): the feed's URL is changed", so.new_url, "3");
	} else if (res->nhops) {
		char n[16];
		snprintf(n, sizeof n, "%d", res->hops[0].status);
		add_warning(&warn, "redirected (%s) to %s", n,
		            res->effective_url);
	}
	fx.warning = warn.len ? warn.p : NULL;
	if (ic.in) {
		if (archive_ingest_end(ic.in, &fx, &o->c) < 0)
			ret = -1;
		parser_free(ic.p);
	} else if (archive_fetch_record(a, f->id, &fx) < 0) {
		ret = -1;
	}
out:
	buf_free(&warn);
	return ret;
}

/* archive_outcome under the write lock, for a feed that may have been
 * purged (remove --purge) since its transfer started: one that is no
 * longer there is left alone (*gone = 1), not an error of the run
 * (concurrency_purge). The ingest inside nests as a savepoint; parsed
 * already (pre), it is known to be a feed or not before anything is
 * written, nothing but an archive failure would be rolled back, and
 * it opens none (archive_begin_flat: after a failure the group is
 * lost, not only this feed, and the run stops anyway). */
static int outcome_locked(struct archive *a, const struct arc_feed *f,
                          struct fetch_res *res, int64_t started,
                          struct ahead_job *pre, struct outcome *o,
                          int *gone)
{
	memset(o, 0, sizeof *o);
	*gone = 0;
	if ((pre ? archive_begin_flat(a) : archive_begin(a)) < 0)
		return -1;
	struct arc_feed cur = {0};
	int rc = archive_feed_get(a, f->id, &cur);
	arc_feed_clear(&cur);
	if (rc <= 0) {
		archive_rollback(a);
		*gone = rc == 0;
		return rc;
	}
	if (archive_outcome(a, f, res, started, 0, pre, o) < 0 ||
	    archive_commit(a) < 0) {
		archive_rollback(a);   /* (a level whose commit failed is open) */
		return -1;
	}
	return 0;
}

/* Tally and say what came of one feed. */
static void report(struct archive *a, const struct arc_feed *f,
                   const struct fetch_res *res, const struct outcome *o,
                   int flags, struct fetch_tally *t, FILE *out, FILE *err)
{
	t->feeds++;
	switch (o->kind) {
	case OUT_FAILED:
		t->failed++;
		if (o->no_answer)
			t->no_answer++;
		char ub[2048];
		/* A government site's broken certificate is the common case,
		 * and the fix is the user's to choose: say which it is. */
		warnmsg_to(err, "%s: %s%s",
		           url_redact_buf(f->url, ub, sizeof ub), o->error,
		           strncmp(o->error, "TLS certificate", 15) ? "" :
		           "; if you trust this site, remove it and add it "
		           "again with --insecure");
		return;
	case OUT_NOT_MODIFIED:
		t->not_modified++;
		break;
	default:
		t->archived++;
		t->fresh += o->c.fresh;
		t->updated += o->c.updated;
		break;
	}
	if (!(flags & FETCH_VERBOSE))
		return;
	/* a first fetch has just given the feed its name: say that one */
	struct arc_feed named = {0};
	if (o->kind == OUT_ARCHIVED && !f->title && !f->feed_title &&
	    archive_feed_get(a, f->id, &named) == 1)
		f = &named;
	if (o->kind == OUT_NOT_MODIFIED)
		fprintf(out, "#%lld %s: not modified (%s, %lld ms)\n",
		        (long long)f->id, arc_feed_name(f),
		        o->same_bytes ? "same bytes" : "304",
		        (long long)res->duration_ms);
	else if (res->status)
		fprintf(out, "#%lld %s: %ld new, %ld updated, %ld unchanged "
		        "(%ld, %lld KiB, %lld ms)\n", (long long)f->id,
		        arc_feed_name(f), o->c.fresh, o->c.updated,
		        o->c.unchanged, res->status,
		        (long long)(res->bytes + 1023) / 1024,
		        (long long)res->duration_ms);
	else
		fprintf(out, "#%lld %s: %ld new, %ld updated, %ld unchanged "
		        "(file, %lld KiB, %lld ms)\n", (long long)f->id,
		        arc_feed_name(f), o->c.fresh, o->c.updated,
		        o->c.unchanged, (long long)(res->bytes + 1023) / 1024,
		        (long long)res->duration_ms);
	if (o->moved)
		fprintf(out, "#%lld moved permanently: its URL is now %s\n",
		        (long long)f->id, o->moved);
	arc_feed_clear(&named);
}

int fetch_feed_with(struct archive *a, int64_t feed_id,
                    struct fetch_res *res, int64_t started, int flags,
                    struct fetch_tally *t)
{
	struct arc_feed f = {0};
	int rc = archive_feed_get(a, feed_id, &f);
	if (rc <= 0) {
		fetch_res_clear(res);
		return rc;    /* 0: purged meanwhile, nothing to record */
	}
	struct outcome o;
	int gone;
	rc = outcome_locked(a, &f, res, started, NULL, &o, &gone);
	if (rc == 0 && !gone)
		report(a, &f, res, &o, flags, t, stdout, stderr);
	outcome_clear(&o);
	fetch_res_clear(res);
	arc_feed_clear(&f);
	return rc;
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
	struct fetch_req req = {.url = f.url, .etag = f.etag,
	                        .last_modified = f.last_modified,
	                        .insecure = f.insecure};
	struct fetch_res res;
	int64_t started = now_utc();
	fetch_one(NULL, &req, &res);
	arc_feed_clear(&f);
	return fetch_feed_with(a, feed_id, &res, started, flags, t);
}

/* ---- add: is it a feed, or a page that names one? ------------------------ */

static int count_entry(void *ctx, const struct feed *feed, struct entry *e)
{
	(void)ctx;
	(void)feed;
	(void)e;
	return 0;
}

static int push_only(void *ctx, const char *p, size_t n)
{
	return parser_push(ctx, p, n) != 0;
}

/* 1 when the answer's body parses as a feed; *why (if given) the
 * parser's reason when not. */
static int is_feed(struct fetch_res *res, char **why)
{
	struct parse_opts po = {.url = res->effective_url,
	                        .content_type = res->content_type};
	struct parser *p = parser_new(&po, count_entry, NULL);
	int rb = fetch_body_each(res, push_only, p);
	int ok = rb >= 0 && parser_finish(p) == 0;
	if (!ok && why)
		*why = xstrdup(parser_error(p));
	parser_free(p);
	return ok;
}

static int answered_2xx(const struct fetch_res *r)
{
	return r->fail == FETCH_OK && r->status >= 200 && r->status < 300;
}

struct collect {
	struct buf b;
	size_t max;
};

static int collect_head(void *ctx, const char *p, size_t n)
{
	struct collect *c = ctx;
	size_t room = c->max - c->b.len;
	buf_add(&c->b, p, n < room ? n : room);
	return c->b.len >= c->max;
}

int fetch_find_feed(const char *url, int insecure, char **chosen,
                    struct fetch_res **pre, int64_t *started)
{
	*chosen = NULL;
	*pre = xcalloc(1, sizeof **pre);
	*started = now_utc();
	struct fetch_req req = {.url = url, .insecure = insecure};
	fetch_one(NULL, &req, *pre);
	struct fetch_res *res = *pre;
	char *why = NULL;
	if (!answered_2xx(res) || res->status == 0 || is_feed(res, &why)) {
		/* a feed, or a failure to record as the first fetch */
		*chosen = xstrdup(url);
		return 0;
	}
	/* A page: its <link rel="alternate">s, then the usual places. The
	 * head of a page is at its start: a megabyte is plenty. */
	struct collect head = {{0}, FETCH_MEM_BODY};
	fetch_body_each(res, collect_head, &head);
	char **links = NULL, **guesses = NULL;
	size_t nl = discover_links(head.b.p, head.b.len, res->effective_url,
	                           &links);
	size_t ng = discover_guesses(res->effective_url, &guesses);
	buf_free(&head.b);
	int found = -1;
	size_t tried = 0;
	for (size_t i = 0; i < nl + ng && found < 0; i++) {
		const char *u = i < nl ? links[i] : guesses[i - nl];
		int dup = 0;
		for (size_t k = 0; k < nl && i >= nl && !dup; k++)
			dup = strcmp(links[k], u) == 0;
		if (dup)
			continue;
		struct fetch_res *cand = xcalloc(1, sizeof *cand);
		struct fetch_req cr = {.url = u, .insecure = insecure};
		int64_t t0 = now_utc();
		fetch_one(NULL, &cr, cand);
		tried++;
		if (answered_2xx(cand) && is_feed(cand, NULL)) {
			found = (int)i;
			fetch_res_clear(res);
			free(res);
			*pre = cand;
			*started = t0;
			*chosen = xstrdup(u);
			printf("%s is a web page; its feed: %s (%s)\n", url, u,
			       i < nl ? "named by its <link rel=\"alternate\">"
			              : "found at the usual place");
		} else {
			fetch_res_clear(cand);
			free(cand);
		}
	}
	discover_free(links, nl);
	discover_free(guesses, ng);
	if (found >= 0) {
		free(why);
		return 0;
	}
	warnmsg("add: %s: %s, and no feed was found for it (%zu address%s "
	        "tried); give the feed's own URL, or --no-fetch to subscribe "
	        "anyway", url, why ? why : "not a feed", tried,
	        tried == 1 ? "" : "es");
	free(why);
	fetch_res_clear(*pre);
	free(*pre);
	*pre = NULL;
	return -1;
}

/* ---- the fetch run ---------------------------------------------------------- */

const char usage_fetch[] =
	"Usage: warta fetch [FEED...] [-j N] [--force] [--wait] [-q] [-v]\n"
	"\n"
	"Fetch every feed that is due (or the FEEDs named: a number as\n"
	"'warta feeds' shows it, or a URL), parse it and archive its entries.\n"
	"Each feed is written as its transfer completes, whole or not at all;\n"
	"feeds are committed together (when no other transfer has finished,\n"
	"else after 64 feeds, 2,000 entries, 6 MiB of their index's words or\n"
	"half a second): a run stopped at any moment leaves the archive\n"
	"consistent, undoes only the group it was writing, and the next run\n"
	"carries on.\n"
	"\n"
	"  -j, --jobs N   transfers at once (default 8; at most 2 to one host)\n"
	"  --force        fetch every feed now, whatever its schedule, back-off\n"
	"                 or gone mark (validators are still sent: an\n"
	"                 unchanged feed still answers 304)\n"
	"  --wait         if another fetch is running, wait for it to finish\n"
	"                 instead of exiting 75\n"
	"  -q, --quiet    no progress bar and no summary: only failures\n"
	"  -v, --verbose  one line per feed on stdout, and a summary\n"
	"\n"
	"When a feed is due: after its own interval — the longest of its <ttl>\n"
	"or sy:updatePeriod and the server's Cache-Control max-age, kept within\n"
	"15 minutes and 1 day; 1 hour when neither says. A feed that fails is\n"
	"retried after 15 minutes, doubling with each failure to at most a day,\n"
	"and never given up on; 429 and 503 wait at least their Retry-After.\n"
	"HTTP 410 marks a feed gone: only --force fetches it again. A\n"
	"permanent redirect (301, 308) seen on 3 fetches in a row changes the\n"
	"feed's URL; the old one stays in its history and the log.\n"
	"\n"
	"Limits: 30 s to connect, 300 s a transfer, cut off below 100 bytes/s\n"
	"for 30 s, 32 MiB of decoded body, 5 redirects (WARTA_FETCH_LIMITS\n"
	"changes them: connect=S,total=S,slow=S,slow-bytes=N,body=SIZE). TLS is\n"
	"verified unless the feed was added with --insecure; CURL_CA_BUNDLE\n"
	"names other trusted roots.\n"
	"\n"
	"Output: nothing when all went well and stderr is not a terminal (cron);\n"
	"each failure is one line 'warta: URL: why'. On a terminal, a progress\n"
	"bar ending in a summary. Exit status: 0 done (also when some feeds\n"
	"failed: see 'warta feeds' and 'warta log'), 1 the archive could not\n"
	"be used or no feed could reach its server, 2 usage, 75 another fetch\n"
	"holds the archive's lock.\n";

struct pend {
	int64_t id;           /* 0: started already */
	uint64_t host;
};

struct pending {
	struct pend *v;
	size_t n, cap, head;
};

static int collect_due(void *ctx, const struct arc_feed *f)
{
	struct pending *p = ctx;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = xrealloc(p->v, p->cap * sizeof *p->v);
	}
	p->v[p->n].id = f->id;
	p->v[p->n].host = fetch_host_key(f->url);
	p->n++;
	return 0;
}

struct job {
	int used;
	struct arc_feed f;
};

/* Feeds are committed in groups: each feed lands whole or not at all
 * (a savepoint, or none: outcome_locked), and the transaction around
 * them commits as soon as no other transfer has finished (the run
 * waits for the network then anyway), else after GROUP_FEEDS feeds,
 * GROUP_ENTRIES new or changed entries, or once a feed ends GROUP_MS
 * after the first began. A commit per feed wrote the pages that every
 * feed touches (the date index, story keys, a new index segment) once
 * per feed: 2,000 feeds of 50 entries took 1.4 times as long. The
 * bounds keep what a crash can undo short (the feeds of the last
 * moment, fetched again by the next run since their validators went
 * with them) and give other writers a turn. What a group's feeds have
 * to say is held until it has committed: no line for a feed that was
 * not kept, and no write to a full pipe while the archive is locked. */
#define GROUP_FEEDS 64
#define GROUP_ENTRIES 2000
#define GROUP_MS 500
/* and once it holds this much of the parse thread's index tokens (kept
 * until the commit: archive.h), a few hundred long entries */
#define GROUP_TAPES ((size_t)6 << 20)

/* Lines held until their group commits: a memory stream (f NULL: none,
 * they go out at once). */
struct held {
	FILE *f;
	char *p;
	size_t n;
};

/* Ends the stream; what it held is in p, n bytes (freed by held_free). */
static size_t held_close(struct held *h)
{
	if (h->f)
		fclose(h->f);
	h->f = NULL;
	return h->p ? h->n : 0;
}

static void held_free(struct held *h)
{
	free(h->p);
	*h = (struct held){0};
}

struct run {
	struct archive *a;
	struct fetcher *ft;
	struct ahead *ah;     /* the parse thread, or NULL */
	struct job *jobs;
	int njobs;            /* transfers at once */
	int nslots;           /* jobs: transfers, parse thread's, one more */
	int flags;
	int bar;              /* draw the progress bar */
	int bar_shown;
	struct timespec drawn;
	struct fetch_tally t;
	size_t total;
	int grouped;          /* a group's transaction is open */
	int group;            /* feeds in it */
	long group_entries;
	struct timespec group_began;
	struct fetch_tally t_before;  /* t when it began */
	struct held out, err; /* its reports, until it commits */
};

static void bar_clear(struct run *r)
{
	if (r->bar_shown) {
		fputs("\r\033[K", stderr);
		r->bar_shown = 0;
	}
}

static int group_open(struct run *r)
{
	if (archive_begin(r->a) < 0)
		return -1;
	r->grouped = 1;
	r->t_before = r->t;
	clock_gettime(CLOCK_MONOTONIC, &r->group_began);
	r->out.f = open_memstream(&r->out.p, &r->out.n);
	r->err.f = open_memstream(&r->err.p, &r->err.n);
	return 0;
}

/* The group's reports, once it is kept (else dropped: the archive's
 * error has been said, and the line below says what it cost). */
static void group_say(struct run *r, int kept, int feeds)
{
	if (held_close(&r->out) && kept)
		fwrite(r->out.p, 1, r->out.n, stdout);
	if (held_close(&r->err) && kept) {
		bar_clear(r);
		fwrite(r->err.p, 1, r->err.n, stderr);
	}
	held_free(&r->out);
	held_free(&r->err);
	if (!kept)
		r->t = r->t_before;   /* the summary counts what was kept */
	if (!kept && feeds) {
		bar_clear(r);
		warnmsg("what came of the last %d feed%s was not saved; the "
		        "next fetch fetches them again", feeds,
		        feeds == 1 ? "" : "s");
	}
}

static int group_commit(struct run *r)
{
	if (!r->grouped)
		return 0;
	int feeds = r->group, rc = archive_commit(r->a);
	r->grouped = 0;
	r->group = 0;
	r->group_entries = 0;
	group_say(r, rc == 0, feeds);
	return rc;
}

static void bar_draw(struct run *r, int force)
{
	if (!r->bar)
		return;
	if (!force && r->bar_shown && ms_since(&r->drawn) < 100)
		return;
	clock_gettime(CLOCK_MONOTONIC, &r->drawn);
	double mib = (double)fetcher_bytes(r->ft) / (1 << 20);
	char left[96];
	int n = snprintf(left, sizeof left, "%d/%zu feeds  %.1f MiB  %ld new",
	                 r->t.feeds, r->total, mib, r->t.fresh);
	int width = 78 - n - 3;
	if (width > 30)
		width = 30;
	fprintf(stderr, "\r%s", left);
	if (width >= 10) {
		int fill = r->total ? (int)((size_t)width * (size_t)r->t.feeds
		                            / r->total) : width;
		fputs("  [", stderr);
		for (int i = 0; i < width; i++)
			fputc(i < fill ? '#' : '.', stderr);
		fputc(']', stderr);
	}
	fputs("\033[K", stderr);
	fflush(stderr);
	r->bar_shown = 1;
}

static struct job *job_free_slot(struct run *r)
{
	for (int i = 0; i < r->nslots; i++)
		if (!r->jobs[i].used)
			return &r->jobs[i];
	return NULL;
}

/* Start what may start: free slots, hosts under their share. 0, or -1
 * when the archive failed. */
static int fill(struct run *r, struct pending *p)
{
	while (p->head < p->n && p->v[p->head].id == 0)
		p->head++;
	for (size_t i = p->head; i < p->n &&
	     fetcher_busy(r->ft) < fetcher_slots(r->ft); i++) {
		struct pend *pe = &p->v[i];
		if (pe->id == 0)
			continue;
		if (pe->host && fetcher_host_busy(r->ft, pe->host) >=
		                FETCH_PER_HOST)
			continue;
		struct job *j = job_free_slot(r);
		if (!j)
			break;
		int64_t id = pe->id;
		pe->id = 0;
		int rc = archive_feed_get(r->a, id, &j->f);
		if (rc < 0)
			return -1;
		if (rc == 0 || j->f.removed) {
			/* removed since the list was read */
			arc_feed_clear(&j->f);
			r->total--;
			continue;
		}
		j->used = 1;
		struct fetch_req req = {.url = j->f.url, .etag = j->f.etag,
		                        .last_modified = j->f.last_modified,
		                        .insecure = j->f.insecure, .user = j};
		if (fetcher_start(r->ft, &req) < 0) {
			warnmsg("fetch: cannot start a transfer");
			arc_feed_clear(&j->f);
			j->used = 0;
			return -1;
		}
	}
	return 0;
}

/* One transfer (pre: its body parsed already, or NULL) into the
 * archive, in the group; its job is free again after. */
static int archive_job(struct run *r, struct job *j, struct fetch_res *res,
                       struct ahead_job *pre)
{
	struct outcome o = {0};
	int gone = 0;
	int rc = r->grouped ? 0 : group_open(r);
	if (rc == 0)
		rc = outcome_locked(r->a, &j->f, res, res->started, pre, &o,
		                    &gone);
	if (gone)
		r->total--;
	if (rc == 0 && !gone) {
		if (!r->err.f && o.kind == OUT_FAILED)
			bar_clear(r);
		r->group++;
		r->group_entries += o.c.fresh + o.c.updated;
		report(r->a, &j->f, res, &o, r->flags, &r->t,
		       r->out.f ? r->out.f : stdout,
		       r->err.f ? r->err.f : stderr);
	}
	if (rc == 0 && (r->group >= GROUP_FEEDS ||
	                r->group_entries >= GROUP_ENTRIES ||
	                archive_tapes_held(r->a) >= GROUP_TAPES ||
	                ms_since(&r->group_began) >= GROUP_MS))
		rc = group_commit(r);
	outcome_clear(&o);
	fetch_res_clear(res);
	arc_feed_clear(&j->f);
	j->used = 0;
	return rc;
}

/* One finished transfer. Its slot is handed back first and the next
 * transfers start (their requests sent) before the work on this one:
 * the servers answer while it is archived. A body goes to the parse
 * thread when it has room, else it is parsed and archived now. */
static int complete(struct run *r, struct pending *p, struct fetch_res *got)
{
	struct job *j = got->user;
	struct fetch_res own, *res = &own;
	fetcher_take(r->ft, got, res);
	if (fill(r, p) < 0) {
		fetch_res_clear(res);
		arc_feed_clear(&j->f);
		j->used = 0;
		return -1;
	}
	if (answer_kind(&j->f, res, 0) == A_BODY && ahead_room(r->ah, res)) {
		struct ahead_job *aj = ahead_job_new();
		aj->user = j;
		aj->res = *res;   /* moves */
		ahead_submit(r->ah, aj);
		return 0;
	}
	return archive_job(r, j, res, NULL);
}

/* A body the parse thread has parsed, into the archive. */
static int complete_parsed(struct run *r, struct ahead_job *aj)
{
	int rc = archive_job(r, aj->user, &aj->res, aj);
	ahead_release(r->ah, aj);
	return rc;
}

static void wake_fetcher(void *ft)
{
	fetcher_wakeup(ft);
}

static int run_all(struct run *r, struct pending *p)
{
	r->ft = fetcher_new(r->njobs, NULL);
	if (!r->ft)
		return -1;
	/* (without it, only slower) */
	r->ah = ahead_start(wake_fetcher, r->ft);
	/* one job more than transfers and parses: the one being archived */
	r->nslots = fetcher_slots(r->ft) + AHEAD_JOBS + 1;
	r->jobs = xcalloc((size_t)r->nslots, sizeof *r->jobs);
	int ret = 0;
	for (;;) {
		if (fill(r, p) < 0) {
			ret = -1;
			break;
		}
		/* The parse thread first: every transfer done that it has
		 * room for, so that it parses while the writer writes (else
		 * it drains its queue and waits while the writer archives) */
		struct fetch_res *res;
		while (r->ah && !ahead_full(r->ah) &&
		       (res = fetcher_next(r->ft, 0)))
			if (complete(r, p, res) < 0) {
				ret = -1;
				break;
			}
		if (ret < 0)
			break;
		struct ahead_job *aj = ahead_done(r->ah, 0);
		if (aj) {
			if (complete_parsed(r, aj) < 0) {
				ret = -1;
				break;
			}
			continue;
		}
		int parsing = ahead_held(r->ah);
		if (fetcher_busy(r->ft) == 0 && !parsing)
			break;
		bar_draw(r, 0);
		if (fetcher_busy(r->ft) == 0 || ahead_full(r->ah)) {
			/* only the parse thread is at work, or it has all it
			 * may hold: the transfers that end meanwhile wait for
			 * it, rather than the writer parsing them itself */
			if (complete_parsed(r, ahead_done(r->ah, 1)) < 0) {
				ret = -1;
				break;
			}
			continue;
		}
		/* With feeds to commit, only what has finished already (else
		 * commit: the run waits for the network then anyway); while
		 * the parse thread works, until it or a transfer is done. */
		res = fetcher_next(r->ft, parsing ? -1 : r->grouped ? 0
		                   : r->bar ? 100 : -1);
		if (!res && !parsing && group_commit(r) < 0) {
			ret = -1;
			break;
		}
		if (res && complete(r, p, res) < 0) {
			ret = -1;
			break;
		}
	}
	/* (after an error, the feeds archived before it: those of the
	 * group it happened in too, but when it doomed the group) */
	if (group_commit(r) < 0)
		ret = -1;
	if (ret == 0)
		bar_draw(r, 1);   /* the full bar, for a moment */
	ahead_stop(r->ah);    /* (after an error, frees what it held) */
	r->ah = NULL;
	for (int i = 0; i < r->nslots; i++)
		arc_feed_clear(&r->jobs[i].f);
	free(r->jobs);
	fetcher_free(r->ft);
	r->ft = NULL;
	return ret;
}

int feed_arg_find(struct archive *a, const char *arg, struct arc_feed *f)
{
	int rc = archive_feed_find(a, arg, f);
	if (rc != 0 || fetch_is_url(arg))
		return rc;
	char *u = fetch_local_url(arg);
	if (!u)
		return 0;
	rc = archive_feed_find(a, u, f);
	free(u);
	return rc;
}

static void say_waiting(long pid)
{
	if (pid)
		warnmsg("another fetch is running (pid %ld): waiting for it",
		        pid);
	else
		warnmsg("another fetch is running: waiting for it");
}

/* The fetch lock (waited for when wait; waiting is news on a terminal or
 * with -v, not a line for cron), then the archive. NULL with *status the
 * exit code when either cannot be had; else *lock is to be released. */
static struct archive *lock_and_open(int wait, int flags, int *lock,
                                     int *status)
{
	long holder = 0;
	int tell = (flags & FETCH_VERBOSE) ||
	           (!(flags & FETCH_QUIET) && isatty(2));
	*lock = lock_take(db_path(), wait, &holder,
	                  wait && tell ? say_waiting : NULL);
	if (*lock == -2) {
		if (holder)
			warnmsg("another fetch is running (pid %ld); --wait "
			        "waits for it", holder);
		else
			warnmsg("another fetch is running; --wait waits for it");
		*status = EXIT_LOCKED;
		return NULL;
	}
	*status = EXIT_FAIL;
	if (*lock < 0)
		return NULL;
	struct archive *a = archive_open(db_path());
	if (!a)
		lock_release(*lock);
	else  /* its fsyncs would stop the transfers and the parsing */
		archive_background_checkpoints(a);
	return a;
}

static int summary_line(FILE *fp, const struct fetch_tally *t)
{
	return fprintf(fp, "%d feed%s: %d fetched, %d not modified, %d "
	               "failed; %ld new entr%s, %ld updated\n", t->feeds,
	               t->feeds == 1 ? "" : "s", t->archived, t->not_modified,
	               t->failed, t->fresh, t->fresh == 1 ? "y" : "ies",
	               t->updated);
}

int cmd_fetch(int argc, char **argv)
{
	static const struct option opts[] = {
		{"force", no_argument, NULL, 'f'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"jobs", required_argument, NULL, 'j'},
		{"wait", no_argument, NULL, 'w'},
		{NULL, 0, NULL, 0},
	};
	int flags = 0, force = 0, wait = 0, c;
	long jobs = FETCH_JOBS;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":qvj:", opts, NULL)) != -1) {
		switch (c) {
		case 'f': force = 1; break;
		case 'w': wait = 1; break;
		case 'q': flags |= FETCH_QUIET; flags &= ~FETCH_VERBOSE; break;
		case 'v': flags |= FETCH_VERBOSE; flags &= ~FETCH_QUIET; break;
		case 'j':
			if (parse_count("fetch", "-j", optarg, &jobs) < 0)
				return EXIT_USAGE;
			if (jobs < 1 || jobs > 256)
				return usage_error("fetch", "-j wants 1 to 256 "
				                   "transfers, not %ld", jobs);
			break;
		case ':':
			return usage_error("fetch", "%s needs a value",
			                   argv[optind - 1]);
		default:
			return usage_error("fetch", "unknown option '%s'",
			                   argv[optind - 1]);
		}
	}
	/* The lock comes before the list of due feeds is read: two runs
	 * must never both decide the same feed is theirs. */
	int lock, status;
	struct archive *a = lock_and_open(wait, flags, &lock, &status);
	if (!a)
		return status;
	struct pending p = {0};
	status = EXIT_DONE;
	if (optind < argc) {
		/* named feeds are fetched now, whatever their schedule */
		for (int i = optind; i < argc; i++) {
			struct arc_feed f = {0};
			int rc = feed_arg_find(a, argv[i], &f);
			if (rc == 0 || (rc == 1 && f.removed)) {
				warnmsg("fetch: no feed '%s' (see 'warta feeds')",
				        argv[i]);
				status = EXIT_FAIL;
			} else if (rc == 1) {
				int dup = 0;
				for (size_t k = 0; k < p.n && !dup; k++)
					dup = p.v[k].id == f.id;
				if (!dup)
					collect_due(&p, &f);
			} else {
				status = EXIT_FAIL;
			}
			arc_feed_clear(&f);
		}
	} else if (archive_feeds_each(a, !force, now_utc(), collect_due,
	                              &p) < 0) {
		status = EXIT_FAIL;
	}
	if (status != EXIT_DONE || fetch_init() < 0) {
		free(p.v);
		archive_close(a);
		lock_release(lock);
		return EXIT_FAIL;
	}
	struct run r = {.a = a, .njobs = (int)jobs, .flags = flags,
	                .total = p.n};
	const char *term = getenv("TERM");
	r.bar = !(flags & (FETCH_QUIET | FETCH_VERBOSE)) && isatty(2) &&
	        !(term && strcmp(term, "dumb") == 0);
	if (run_all(&r, &p) < 0)
		status = EXIT_FAIL;
	bar_clear(&r);
	if (flags & FETCH_VERBOSE) {
		if (r.t.feeds == 0 && status == EXIT_DONE)
			printf("no feed is due ('warta fetch --force' fetches "
			       "them all now)\n");
		else
			summary_line(stdout, &r.t);
	} else if (r.bar) {
		if (r.t.feeds == 0 && status == EXIT_DONE)
			fprintf(stderr, "no feed is due ('warta fetch --force' "
			        "fetches them all now)\n");
		else
			summary_line(stderr, &r.t);
	}
	if (status == EXIT_DONE && r.t.feeds > 0 &&
	    r.t.no_answer == r.t.feeds) {
		warnmsg("fetch: no feed could reach its server (is the network "
		        "down?)");
		status = EXIT_FAIL;
	}
	fetch_cleanup();
	free(p.v);
	if (fflush(stdout) != 0)
		status = EXIT_FAIL;
	archive_close(a);
	lock_release(lock);
	return status;
}

/* ---- backfill --------------------------------------------------------------- */

const char usage_backfill[] =
	"Usage: warta backfill FEED [--pages N] [-q] [-v]\n"
	"\n"
	"Pull a WordPress feed's older posts into the archive: WordPress keeps\n"
	"them behind ?paged=2, ?paged=3… of the feed's URL. backfill reads the\n"
	"feed itself, then page after page, until a page adds nothing new,\n"
	"answers 404 or is not a feed, or N pages were read. Each page is one\n"
	"transaction and one row of 'warta log'; the feed's schedule and\n"
	"validators are left as they are. A running 'warta fetch' is waited\n"
	"for.\n"
	"\n"
	"  --pages N      read at most N pages, the feed itself included\n"
	"                 (default 100)\n"
	"  -q, --quiet    say nothing but errors\n"
	"  -v, --verbose  one line per page: what it added\n";

/* url with paged=n in its query. */
static char *paged_url(const char *url, long n)
{
	const char *hash = strchr(url, '#');
	size_t len = hash ? (size_t)(hash - url) : strlen(url);
	int has_query = memchr(url, '?', len) != NULL;
	return xasprintf("%.*s%spaged=%ld", (int)len, url,
	                 has_query ? (len && url[len - 1] == '?' ? "" : "&")
	                           : "?", n);
}

int cmd_backfill(int argc, char **argv)
{
	static const struct option opts[] = {
		{"pages", required_argument, NULL, 'p'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{NULL, 0, NULL, 0},
	};
	long pages = 100;
	int flags = 0, c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":qv", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_count("backfill", "--pages", optarg, &pages) < 0)
				return EXIT_USAGE;
			if (pages < 1)
				return usage_error("backfill", "--pages wants at "
				                   "least 1");
			break;
		case 'q': flags |= FETCH_QUIET; flags &= ~FETCH_VERBOSE; break;
		case 'v': flags |= FETCH_VERBOSE; flags &= ~FETCH_QUIET; break;
		case ':':
			return usage_error("backfill", "%s needs a value",
			                   argv[optind - 1]);
		default:
			return usage_error("backfill", "unknown option '%s'",
			                   argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage_error("backfill", optind >= argc ? "which feed?"
		                               : "one feed at a time");
	int lock, status;
	struct archive *a = lock_and_open(1, flags, &lock, &status);
	if (!a)
		return status;
	struct arc_feed f = {0};
	int rc = feed_arg_find(a, argv[optind], &f);
	status = EXIT_DONE;
	if (rc <= 0 || f.removed) {
		if (rc >= 0)
			warnmsg("backfill: no feed '%s' (see 'warta feeds')",
			        argv[optind]);
		arc_feed_clear(&f);
		archive_close(a);
		lock_release(lock);
		return EXIT_FAIL;
	}
	if (fetch_init() < 0) {
		arc_feed_clear(&f);
		archive_close(a);
		lock_release(lock);
		return EXIT_FAIL;
	}
	long fresh = 0, updated = 0, page, read = 0;
	const char *why = "the last page asked for";
	for (page = 1; page <= pages; page++) {
		char *url = page == 1 ? xstrdup(f.url) : paged_url(f.url, page);
		struct fetch_req req = {.url = url, .insecure = f.insecure};
		struct fetch_res res;
		int64_t started = now_utc();
		fetch_one(NULL, &req, &res);
		struct outcome o;
		int end = 0;
		if (archive_outcome(a, &f, &res, started, 1, NULL,
		                    &o) < 0) {
			status = EXIT_FAIL;
			end = 1;
		} else if (o.kind == OUT_FAILED) {
			if (page > 1 && res.fail == FETCH_OK &&
			    res.status == 404) {
				why = "a page answered 404: the end";
			} else {
				warnmsg("backfill: %s: %s", url, o.error);
				why = NULL;
				if (page == 1)
					status = EXIT_FAIL;
			}
			end = 1;
		} else {
			read++;
			fresh += o.c.fresh;
			updated += o.c.updated;
			if (flags & FETCH_VERBOSE)
				printf("page %ld: %ld new, %ld updated, %ld "
				       "unchanged (%s)\n", page, o.c.fresh,
				       o.c.updated, o.c.unchanged, url);
			if (page > 1 && o.c.fresh == 0) {
				why = "a page added nothing new";
				end = 1;
			}
		}
		outcome_clear(&o);
		fetch_res_clear(&res);
		free(url);
		if (end)
			break;
	}
	if (status == EXIT_DONE && !(flags & FETCH_QUIET))
		printf("#%lld %s: %ld page%s read, %ld new entr%s, %ld "
		       "updated%s%s\n", (long long)f.id, arc_feed_name(&f),
		       read, read == 1 ? "" : "s", fresh,
		       fresh == 1 ? "y" : "ies", updated, why ? "; stopped: " : "",
		       why ? why : "");
	fetch_cleanup();
	arc_feed_clear(&f);
	if (fflush(stdout) != 0)
		status = EXIT_FAIL;
	archive_close(a);
	lock_release(lock);
	return status;
}
