/*
 * cmd_export.c — `warta export opml|atom|rss|jsonfeed`: the subscriptions,
 * or archived entries newest first, to stdout or atomically to -o FILE.
 *
 * The document's own metadata (export.h's export_head), decided here:
 *   title    --title, else "warta: " and what was selected ("all entries",
 *            the feed's name, "tag T", "search Q", joined by ", ");
 *   self     --self URL, the address the file will be served at;
 *   id       the self URL when given (it then never changes), else a
 *            urn:uuid: hashed from the host name, the archive's absolute
 *            path and the selection: the same export regenerated from
 *            cron keeps its id, two different ones never share it;
 *   link     the feed's home page with --feed, else none;
 *   updated  the newest entry's date (its updated date, if later), so an
 *            unchanged selection regenerates to the same bytes; with no
 *            entry at all, now.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "cli.h"
#include "date.h"
#include "export.h"
#include "opml.h"
#include "search.h"
#include "util.h"

const char usage_export[] =
	"Usage: warta export FORMAT [OPTIONS]\n"
	"\n"
	"Write the subscriptions, or archived entries newest first, to stdout\n"
	"or to FILE.\n"
	"\n"
	"Formats:\n"
	"  opml        subscriptions (OPML 2.0); tags become nested outlines\n"
	"  atom        entries as Atom 1.0 (RFC 4287)\n"
	"  rss         entries as RSS 2.0\n"
	"  jsonfeed    entries as JSON Feed 1.1\n"
	"\n"
	"Options:\n"
	"  --feed F     only the entries of feed F (its number or URL)\n"
	"  --tag T      only feeds tagged T (opml too)\n"
	"  --query Q    only entries matching Q (the syntax of 'warta search')\n"
	"  --since D    only entries dated D or later: YYYY-MM-DD, RFC 3339,\n"
	"               or relative (7d, 12h)\n"
	"  -n, --limit N\n"
	"               at most N entries (default: all)\n"
	"  --title T    the document's title (default: \"warta: \" and the\n"
	"               selection)\n"
	"  --self URL   the URL the document will be served at: its self link\n"
	"               and its id\n"
	"  -o, --output FILE\n"
	"               write FILE atomically (a temporary file beside it,\n"
	"               fsync, rename): a web server never serves half a file,\n"
	"               and FILE is untouched when the export fails\n"
	"\n"
	"A story carried by several feeds is written once, with each feed as\n"
	"a source. Ids are the entries' own (guid, atom:id), never replaced.\n"
	"\n"
	"Examples:\n"
	"  warta export atom --tag kalsel -n 50 -o /var/www/kalsel.atom \\\n"
	"      --self https://news.example/kalsel.atom\n"
	"  warta export opml > subscriptions.opml\n";

struct opts {
	enum export_format fmt;
	int opml;
	const char *feed, *tag, *query, *since_s, *title, *self, *out;
	long limit;
	int64_t since;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const char name[] = "export";
	memset(o, 0, sizeof *o);
	if (argc < 2)
		return usage_error(name, "which format? opml, atom, rss or "
		                   "jsonfeed");
	if (str_eq(argv[1], "opml"))
		o->opml = 1;
	else if (export_format_parse(argv[1], &o->fmt) < 0)
		return usage_error(name, "unknown format '%s' (opml, atom, rss "
		                   "or jsonfeed)", argv[1]);
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (str_eq(a, "--feed"))
			slot = &o->feed;
		else if (str_eq(a, "--tag"))
			slot = &o->tag;
		else if (str_eq(a, "--query"))
			slot = &o->query;
		else if (str_eq(a, "--since"))
			slot = &o->since_s;
		else if (str_eq(a, "--title"))
			slot = &o->title;
		else if (str_eq(a, "--self"))
			slot = &o->self;
		else if (str_eq(a, "-o") || str_eq(a, "--output"))
			slot = &o->out;
		else if (str_eq(a, "-n") || str_eq(a, "--limit")) {
			if (++i >= argc)
				return usage_error(name, "%s needs a number", a);
			if (parse_count(name, a, argv[i], &o->limit) < 0)
				return EXIT_USAGE;
			continue;
		} else
			return usage_error(name, "unknown option '%s'", a);
		if (++i >= argc)
			return usage_error(name, "%s needs a value", a);
		*slot = argv[i];
	}
	if (o->opml && (o->feed || o->query || o->since_s || o->limit ||
	                o->title || o->self))
		return usage_error(name, "opml takes only --tag and -o");
	if (o->since_s && !date_parse_cli(o->since_s, now_utc(), &o->since))
		return usage_error(name, "--since wants YYYY-MM-DD, RFC 3339 "
		                   "or 7d / 12h, not '%s'", o->since_s);
	if (o->out && !*o->out)
		return usage_error(name, "-o needs a file name");
	return EXIT_DONE;
}

/* 128 bits of FNV-1a over the parts, as a urn:uuid (version 8 bits set,
 * "custom"): the export's id when no --self URL names it. */
static char *selection_id(const char *const *parts, size_t n)
{
	uint64_t h[2] = {0xcbf29ce484222325ULL, 0x6c62272e07bb0142ULL};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < n; i++) {
			for (const char *p = parts[i]; p && *p; p++) {
				h[k] ^= (unsigned char)*p;
				h[k] *= 0x100000001b3ULL;
			}
			h[k] ^= 0x1f; /* a separator no part can hold */
			h[k] *= 0x100000001b3ULL;
		}
	return xasprintf("urn:uuid:%08" PRIx64 "-%04" PRIx64 "-8%03" PRIx64
	                 "-%04" PRIx64 "-%012" PRIx64, h[0] >> 32,
	                 (h[0] >> 16) & 0xffff, h[0] & 0xfff,
	                 (uint64_t)(((h[1] >> 48) & 0x3fff) | 0x8000),
	                 h[1] & (uint64_t)0xffffffffffffULL);
}

/* Where the document goes: stdout, or FILE through atomic_file.
 *
 * The stream gets a big buffer: stdio's default is the file's block size
 * (4 KiB), and a 4 KiB write(2) per 4 KiB of document cost more CPU in
 * the kernel than the whole XML writer (an export is hundreds of MiB).
 * Static, because stdout outlives this function and is flushed at exit;
 * only one document is written per process. */
#define OUT_BUFSIZE (256 * 1024)

static FILE *out_open(struct atomic_file *af, const char *path)
{
	static char outbuf[OUT_BUFSIZE];
	if (atomic_open(af, path ? path : "-") < 0) {
		warnmsg("export: %s: %s", path, strerror(errno));
		return NULL;
	}
	/* Nothing has been written to the stream yet, as setvbuf wants. */
	setvbuf(af->fp, outbuf, _IOFBF, sizeof outbuf);
	return af->fp;
}

static int out_finish(struct atomic_file *af, const char *path, int ok)
{
	if (!ok) {
		atomic_abort(af);
		return EXIT_FAIL;
	}
	if (atomic_commit(af) < 0) {
		warnmsg("export: %s: %s", path ? path : "stdout",
		        strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_DONE;
}

struct opml_list {
	const char *tag;
	struct opml_feed *v;
	size_t n, cap;
};

static int opml_collect(void *ctx, const struct arc_feed *f)
{
	struct opml_list *l = ctx;
	if (l->tag) {
		size_t i = 0;
		while (i < f->ntags && !str_eq(f->tags[i], l->tag))
			i++;
		if (i == f->ntags)
			return 0;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	struct opml_feed *o = &l->v[l->n++];
	memset(o, 0, sizeof *o);
	o->title = xstrdup(f->title ? f->title : f->feed_title);
	o->xml_url = xstrdup(f->url);
	o->html_url = xstrdup(f->site_url);
	o->tags = xcalloc(f->ntags ? f->ntags : 1, sizeof *o->tags);
	for (size_t i = 0; i < f->ntags; i++)
		o->tags[o->ntags++] = xstrdup(f->tags[i]);
	return 0;
}

/* Subscriptions are few (hundreds, not millions): they are gathered,
 * then handed to opml.c's writer in one call. */
static int export_opml(struct archive *a, const struct opts *o)
{
	struct opml_list l = {.tag = o->tag};
	struct atomic_file af;
	int ok = 0;
	if (archive_feeds_each(a, 0, 0, opml_collect, &l) < 0)
		goto done;
	char *title = o->tag ? xasprintf("warta: tag %s", o->tag)
	                     : xstrdup("warta: subscriptions");
	FILE *fp = out_open(&af, o->out);
	if (fp) {
		ok = opml_write(fp, title, l.v, l.n, now_utc()) == 0;
		if (!ok)
			warnmsg("export: %s: %s", o->out ? o->out : "stdout",
			        strerror(errno));
		ok = out_finish(&af, o->out, ok) == EXIT_DONE;
	}
	free(title);
done:
	for (size_t i = 0; i < l.n; i++) {
		struct opml_feed *f = &l.v[i];
		free(f->title);
		free(f->xml_url);
		free(f->html_url);
		for (size_t k = 0; k < f->ntags; k++)
			free(f->tags[k]);
		free(f->tags);
	}
	free(l.v);
	return ok ? EXIT_DONE : EXIT_FAIL;
}

/* The row's feeds as export sources: its own feed first, then the other
 * feeds that carry the same story. */
struct srcs {
	struct export_source *v;
	size_t cap;
	struct export_sources s;
};

static const struct export_sources *row_sources(struct srcs *b,
                                                const struct arc_row *r)
{
	size_t need = r->nsources + 1;
	if (need > b->cap) {
		b->v = xrealloc(b->v, need * sizeof *b->v);
		b->cap = need;
	}
	size_t n = 0;
	b->v[n++] = (struct export_source){
		.title = r->feed_title, .url = r->feed_url,
		.link = r->feed_site,
	};
	for (size_t i = 0; i < r->nsources; i++) {
		const struct arc_source *s = &r->sources[i];
		if (s->entry_id == r->id || str_eq(s->feed_url, r->feed_url))
			continue;
		b->v[n++] = (struct export_source){
			.title = s->feed_title, .url = s->feed_url,
			.link = s->feed_site,
		};
	}
	b->s = (struct export_sources){b->v, n, r->first_seen};
	return &b->s;
}

/* Rows newest first: the archive's own iterator, or with --query the
 * search's in date order, under the same filter. */
struct rows {
	struct arc_iter *arc;
	struct search_iter *search;
};

static int rows_open(struct rows *r, struct archive *a,
                     const struct arc_filter *f, const char *query)
{
	if (!query) {
		r->arc = arc_iter_new(a, f);
		return r->arc ? EXIT_DONE : EXIT_FAIL;
	}
	struct search_opts so = {.query = query, .f = *f, .by_date = 1};
	char err[256];
	int rc = search_iter_new(a, &so, &r->search, err, sizeof err);
	if (rc == -2)
		return usage_error("export", "--query: %s", err);
	return rc < 0 ? EXIT_FAIL : EXIT_DONE;
}

static int rows_next(struct rows *r, struct arc_row **row)
{
	if (r->arc)
		return arc_iter_next(r->arc, row);
	struct search_hit *h;
	int rc = search_iter_next(r->search, &h);
	if (rc == 1)
		*row = &h->row;
	return rc;
}

static void rows_close(struct rows *r)
{
	arc_iter_free(r->arc);
	search_iter_free(r->search);
}

static int64_t row_newest(const struct arc_row *r)
{
	int64_t t = r->date;
	if (r->e.updated.ok && r->e.updated.t > t)
		t = r->e.updated.t;
	return t;
}

static int export_entries(struct archive *a, const struct opts *o)
{
	struct arc_filter f = {.tag = o->tag, .since = o->since,
	                       .limit = o->limit, .no_text = 1};
	struct arc_feed feed = {0};
	struct buf title = {0};
	if (o->feed) {
		int found = archive_feed_find(a, o->feed, &feed);
		if (found < 0)
			return EXIT_FAIL;
		if (!found)
			return usage_error("export", "no feed '%s' (see 'warta "
			                   "feeds')", o->feed);
		f.feed_id = feed.id;
		f.include_removed = 1; /* named: its archive is wanted */
	}

	if (o->feed)
		buf_puts(&title, arc_feed_name(&feed));
	if (o->tag)
		buf_printf(&title, "%stag %s", title.len ? ", " : "", o->tag);
	if (o->query)
		buf_printf(&title, "%ssearch %s", title.len ? ", " : "",
		           o->query);
	if (!title.len)
		buf_puts(&title, "all entries");
	char *doc_title = o->title ? xstrdup(o->title)
	                           : xasprintf("warta: %s", title.p);

	char host[256] = "";
	gethostname(host, sizeof host - 1);
	char *abs = realpath(archive_path(a), NULL);
	char feed_num[24], since_num[24], limit_num[24];
	snprintf(feed_num, sizeof feed_num, "%" PRId64, f.feed_id);
	snprintf(since_num, sizeof since_num, "%" PRId64, f.since);
	snprintf(limit_num, sizeof limit_num, "%ld", f.limit);
	const char *parts[] = {"warta-export", host,
	                       abs ? abs : archive_path(a), feed_num,
	                       o->tag ? o->tag : "", o->query ? o->query : "",
	                       o->since_s ? since_num : "", limit_num};
	char *id = o->self ? NULL : selection_id(parts, 8);
	free(abs);

	struct export_head h = {
		.title = doc_title, .self = o->self,
		.id = o->self ? o->self : id,
		.link = o->feed ? feed.site_url : NULL,
	};
	struct atomic_file af;
	struct rows rows = {0};
	struct exporter *x = NULL;
	struct srcs sb = {0};
	int ok = 0, status = EXIT_FAIL;
	/* The query is checked before FILE is touched: a usage error must
	 * not cost the old file, nor leave a temporary one. */
	int rc = rows_open(&rows, a, &f, o->query);
	if (rc != EXIT_DONE) {
		status = rc;
		goto done;
	}
	FILE *fp = out_open(&af, o->out);
	if (!fp)
		goto done;
	struct arc_row *row = NULL;
	rc = rows_next(&rows, &row);
	h.updated = rc == 1 ? row_newest(row) : now_utc();
	x = export_begin(o->fmt, fp, &h);
	ok = 1;
	for (; rc == 1; rc = rows_next(&rows, &row))
		if (export_entry(x, &row->e, row_sources(&sb, row)) < 0)
			break;
	if (rc < 0)
		ok = 0; /* the archive said why */
	if (export_end(x) < 0) {
		warnmsg("export: %s: %s", o->out ? o->out : "stdout",
		        strerror(errno));
		ok = 0;
	}
	status = out_finish(&af, o->out, ok);
done:
	rows_close(&rows);
	free(sb.v);
	free(id);
	free(doc_title);
	buf_free(&title);
	arc_feed_clear(&feed);
	return status;
}

int cmd_export(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts(argc, argv, &o);
	if (rc != EXIT_DONE)
		return rc;
	struct archive *a = archive_open(db_path());
	if (!a)
		return EXIT_FAIL;
	rc = o.opml ? export_opml(a, &o) : export_entries(a, &o);
	archive_close(a);
	return rc;
}
