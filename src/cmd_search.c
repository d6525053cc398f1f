/*
 * cmd_search.c — `warta search`: the archive's full-text search from the
 * shell, as text, JSON, or a feed (Atom, RSS, JSON Feed) of the hits.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "archive.h"
#include "cli.h"
#include "date.h"
#include "export.h"
#include "json.h"
#include "search.h"
#include "tokenizer.h"
#include "util.h"

const char usage_search[] =
	"Usage: warta search QUERY [--feed F] [--tag T] [--since D] [--until D]\n"
	"                    [-n N] [--sort rank|date]\n"
	"                    [--format text|json|atom|rss|jsonfeed] [--json]\n"
	"\n"
	"Full-text search of the archive: the best matches first (bm25, a\n"
	"match in the title counting more than one in the text), or the\n"
	"newest first. Case, accents and Indonesian affixes do not matter:\n"
	"berdaya also finds pemberdayaan and memberdayakan.\n"
	"\n"
	"The query (several words are joined into one query):\n"
	"  banjir rob            entries with both words (or any form of them)\n"
	"  '\"kota baru\"'         the exact phrase; a quoted word matches only\n"
	"                        itself (\"berdaya\" finds berdaya, not\n"
	"                        pemberdayaan)\n"
	"  pember*               words that start so\n"
	"  banjir OR rob         either; AND, OR, NOT in capitals, ( ) to group\n"
	"  banjir NOT jakarta    the first without the second\n"
	"  title:banjir          in the title only; also body:, author:,\n"
	"                        category:, feed: and {title body}:banjir\n"
	"  NEAR(banjir rob, 5)   both, at most 5 words apart\n"
	"Words such as Jum'at, 09.30 or covid-19 need no quotes. A query that\n"
	"starts with '-' goes after '--': warta search -- -title:rapat banjir\n"
	"\n"
	"Options:\n"
	"  --feed F       only entries of feed F (its number or URL)\n"
	"  --tag T        only entries of feeds tagged T\n"
	"  --since D      only entries dated D or later, --until D: or earlier\n"
	"                 (YYYY-MM-DD, a whole day for --until; RFC 3339; or\n"
	"                 relative: 30m, 12h, 7d, 2w)\n"
	"  -n, --limit N  at most N hits (default 20; 0: all)\n"
	"  --sort rank    best first (the default); when more than 5000\n"
	"                 entries match, the best of the newest 5000\n"
	"  --sort date    newest first\n"
	"  --format text  date, feed, title, link and the passage that matched,\n"
	"                 the match in bold on a terminal, in [brackets]\n"
	"                 otherwise, unmarked when NO_COLOR is set\n"
	"  --format json  an array of hits: id, feed_id, feed_title, title,\n"
	"                 url, date, snippet (matches in [brackets]) and\n"
	"                 sources (each feed carrying the story: id, feed_id,\n"
	"                 feed_title, url)\n"
	"  --json         the same as --format json\n"
	"  --format atom|rss|jsonfeed   the hits as a feed\n"
	"\n"
	"A story carried by several feeds comes once, with every feed named.\n"
	"Entries of removed feeds are searched too. Exit status: 0 (also when\n"
	"nothing matches), 1 the archive failed, 2 a query or option that\n"
	"cannot be read.\n";

enum fmt { F_TEXT, F_JSON, F_FEED };

struct opts {
	struct search_opts s;
	enum fmt fmt;
	enum export_format feed_fmt;
	const char *feed, *since_s, *until_s;
	struct buf query;
};

static int is_day(const char *s)
{
	for (int i = 0; i < 10; i++)
		if (!s[i] || (i == 4 || i == 7 ? s[i] != '-' :
		              (s[i] < '0' || s[i] > '9')))
			return 0;
	return s[10] == 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const char name[] = "search";
	static const struct option opts[] = {
		{"feed", required_argument, NULL, 'F'},
		{"tag", required_argument, NULL, 'T'},
		{"since", required_argument, NULL, 'S'},
		{"until", required_argument, NULL, 'U'},
		{"limit", required_argument, NULL, 'n'},
		{"sort", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"json", no_argument, NULL, 'J'},
		{NULL, 0, NULL, 0},
	};
	long n = 20;
	int c;
	o->fmt = F_TEXT;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":n:", opts, NULL)) != -1) {
		switch (c) {
		case 'F': o->feed = optarg; break;
		case 'T': o->s.f.tag = optarg; break;
		case 'S': o->since_s = optarg; break;
		case 'U': o->until_s = optarg; break;
		case 'n':
			if (parse_count(name, "-n", optarg, &n) < 0)
				return EXIT_USAGE;
			break;
		case 'o':
			if (str_eq(optarg, "rank"))
				o->s.by_date = 0;
			else if (str_eq(optarg, "date"))
				o->s.by_date = 1;
			else
				return usage_error(name, "--sort is rank or date, "
				                   "not '%s'", optarg);
			break;
		case 'f':
			if (str_eq(optarg, "text"))
				o->fmt = F_TEXT;
			else if (str_eq(optarg, "json"))
				o->fmt = F_JSON;
			else if (export_format_parse(optarg, &o->feed_fmt) == 0 &&
			         !str_eq(optarg, "json"))
				o->fmt = F_FEED;
			else
				return usage_error(name, "--format is text, json, "
				                   "atom, rss or jsonfeed, not '%s'",
				                   optarg);
			break;
		case 'J': o->fmt = F_JSON; break;
		case ':':
			return usage_error(name, "%s needs a value",
			                   argv[optind - 1]);
		default:
			return usage_error(name, "unknown option '%s' (a query "
			                   "that starts with '-' goes after '--')",
			                   argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error(name, "what should be searched for?");
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			buf_putc(&o->query, ' ');
		buf_puts(&o->query, argv[i]);
	}
	o->s.query = o->query.p;
	o->s.f.limit = n;
	o->s.f.include_removed = 1;
	int64_t now = now_utc();
	if (o->since_s && !date_parse_cli(o->since_s, now, &o->s.f.since))
		return usage_error(name, "--since wants YYYY-MM-DD, RFC 3339 "
		                   "or 7d / 12h, not '%s'", o->since_s);
	if (o->until_s) {
		if (!date_parse_cli(o->until_s, now, &o->s.f.until))
			return usage_error(name, "--until wants YYYY-MM-DD, RFC "
			                   "3339 or 7d / 12h, not '%s'",
			                   o->until_s);
		if (is_day(o->until_s))
			o->s.f.until += 86399;  /* the whole day */
		if (o->s.f.until == 0)
			o->s.f.until = -1;      /* 0 would mean "open" */
	}
	if (o->s.f.since == 0 && o->since_s)
		o->s.f.since = 1;
	if (o->s.f.since && o->s.f.until && o->s.f.since > o->s.f.until)
		return usage_error(name, "--since is after --until");
	return EXIT_DONE;
}

static void fmt_local(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M", &tm);
}

/* The feeds of a hit, its own first, each named once. */
static void sources_line(struct buf *b, const struct arc_row *r,
                         enum search_mark none)
{
	search_mark(b, r->feed_title, none);
	for (size_t i = 0; i < r->nsources; i++) {
		const struct arc_source *s = &r->sources[i];
		if (s->feed_id == r->feed_id)
			continue;
		int dup = 0;
		for (size_t k = 0; k < i; k++)
			dup |= r->sources[k].feed_id == s->feed_id;
		if (dup)
			continue;
		buf_puts(b, ", ");
		search_mark(b, s->feed_title, none);
	}
}

static void print_text(const struct search_hit *h, enum search_mark m)
{
	const struct arc_row *r = &h->row;
	struct buf b = {0};
	char when[32];
	fmt_local(r->date, when, sizeof when);
	buf_printf(&b, "%" PRId64 "  %s  ", r->id, when);
	sources_line(&b, r, MARK_NONE);
	buf_putc(&b, '\n');
	size_t at = b.len;
	search_mark(&b, h->title ? h->title : r->e.title, m);
	if (b.len == at)
		buf_puts(&b, "(no title)");
	buf_putc(&b, '\n');
	if (!str_empty(r->e.link)) {
		search_mark(&b, r->e.link, MARK_NONE);
		buf_putc(&b, '\n');
	}
	at = b.len;
	buf_puts(&b, "  ");
	search_mark(&b, h->snippet, m);
	if (b.len == at + 2)
		b.len = at;
	else
		buf_putc(&b, '\n');
	buf_putc(&b, '\n');
	fwrite(b.p, 1, b.len, stdout);
	buf_free(&b);
}

static void print_json(struct jw *w, const struct search_hit *h)
{
	const struct arc_row *r = &h->row;
	struct buf b = {0};
	jw_obj(w);
	jw_kint(w, "id", r->id);
	jw_kint(w, "feed_id", r->feed_id);
	jw_kstr(w, "feed_title", r->feed_title);
	jw_kstr(w, "title", r->e.title);
	jw_kstr(w, "url", r->e.link);
	jw_kdate(w, "date", r->date);
	search_mark(&b, h->snippet, MARK_BRACKETS);
	jw_kstr(w, "snippet", b.p);
	jw_key(w, "sources");
	jw_arr(w);
	for (size_t i = 0; i < r->nsources; i++) {
		const struct arc_source *s = &r->sources[i];
		jw_obj(w);
		jw_kint(w, "id", s->entry_id);
		jw_kint(w, "feed_id", s->feed_id);
		jw_kstr(w, "feed_title", s->feed_title);
		jw_kstr(w, "url", s->link);
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
	buf_free(&b);
}

/* The row's feeds as export sources: its own feed first. */
static const struct export_sources *feed_sources(
	const struct arc_row *r, struct export_source **v, size_t *cap,
	struct export_sources *out)
{
	if (r->nsources + 1 > *cap) {
		*cap = r->nsources + 1;
		*v = xrealloc(*v, *cap * sizeof **v);
	}
	size_t n = 0;
	(*v)[n++] = (struct export_source){
		.title = r->feed_title, .url = r->feed_url, .link = r->feed_site,
	};
	for (size_t i = 0; i < r->nsources; i++) {
		const struct arc_source *s = &r->sources[i];
		if (s->feed_id == r->feed_id)
			continue;
		(*v)[n++] = (struct export_source){
			.title = s->feed_title, .url = s->feed_url,
			.link = s->feed_site,
		};
	}
	*out = (struct export_sources){*v, n, r->first_seen};
	return out;
}

/* The search as a feed. Its <updated> is the newest hit's date, which
 * best-first order only knows at the end: one pass to learn it, one to
 * write (the hits are few, the second pass finds them in the cache). */
static int write_feed(struct archive *a, struct opts *o)
{
	struct search_iter *it = NULL;
	struct search_hit *h;
	char err[256];
	int64_t newest = 0;
	int rc;
	rc = search_iter_new(a, &o->s, &it, err, sizeof err);
	if (rc < 0)
		return rc == -2 ? usage_error("search", "%s", err) : EXIT_FAIL;
	while ((rc = search_iter_next(it, &h)) == 1) {
		int64_t t = h->row.date;
		if (h->row.e.updated.ok && h->row.e.updated.t > t)
			t = h->row.e.updated.t;
		if (t > newest)
			newest = t;
	}
	search_iter_free(it);
	if (rc < 0)
		return EXIT_FAIL;
	/* the same query always names the same feed */
	uint64_t fnv = 0xcbf29ce484222325ULL;
	for (const char *p = o->s.query; *p; p++)
		fnv = (fnv ^ (unsigned char)*p) * 0x100000001b3ULL;
	char *title = xasprintf("warta: search %s", o->s.query);
	char *id = xasprintf("urn:warta:search:%016" PRIx64, fnv);
	struct export_head head = {.title = title, .id = id,
	                           .updated = newest};
	if (search_iter_new(a, &o->s, &it, err, sizeof err) < 0) {
		free(title);
		free(id);
		return EXIT_FAIL;
	}
	struct exporter *x = export_begin(o->feed_fmt, stdout, &head);
	struct export_source *v = NULL;
	struct export_sources srcs;
	size_t cap = 0;
	int ok = 1;
	while ((rc = search_iter_next(it, &h)) == 1)
		if (export_entry(x, &h->row.e,
		                 feed_sources(&h->row, &v, &cap, &srcs)) < 0)
			break;
	if (rc < 0)
		ok = 0;
	if (export_end(x) < 0) {
		warnmsg("search: stdout: write failed");
		ok = 0;
	}
	search_iter_free(it);
	free(v);
	free(title);
	free(id);
	return ok ? EXIT_DONE : EXIT_FAIL;
}

int cmd_search(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts(argc, argv, &o);
	if (rc != EXIT_DONE) {
		buf_free(&o.query);
		return rc;
	}
	/* the query is checked before the archive is opened: a mistake in
	 * it is told even where there is no archive yet */
	char err[256];
	sqlite3 *mem = NULL;
	char *expr = NULL;
	if (sqlite3_open(":memory:", &mem) == SQLITE_OK &&
	    tokenizer_register(mem) == SQLITE_OK)
		expr = search_compile(mem, o.s.query, err, sizeof err);
	else
		snprintf(err, sizeof err, "cannot start SQLite");
	sqlite3_close(mem);
	if (!expr) {
		buf_free(&o.query);
		return usage_error("search", "%s", err);
	}
	free(expr);
	struct archive *a = archive_open(db_path());
	if (!a) {
		buf_free(&o.query);
		return EXIT_FAIL;
	}
	if (o.feed) {
		struct arc_feed f = {0};
		int found = archive_feed_find(a, o.feed, &f);
		o.s.f.feed_id = f.id;
		arc_feed_clear(&f);
		if (found <= 0) {
			archive_close(a);
			buf_free(&o.query);
			return found < 0 ? EXIT_FAIL :
			       usage_error("search", "no feed '%s' (see 'warta "
			                   "feeds')", o.feed);
		}
	}
	int status = EXIT_DONE;
	if (o.fmt == F_FEED) {
		status = write_feed(a, &o);
		goto out;
	}
	o.s.snippets = 1;
	struct search_iter *it = NULL;
	int r = search_iter_new(a, &o.s, &it, err, sizeof err);
	if (r < 0) {
		status = r == -2 ? usage_error("search", "%s", err) : EXIT_FAIL;
		goto out;
	}
	enum search_mark m = MARK_BRACKETS;
	const char *no_color = getenv("NO_COLOR");
	if (no_color && *no_color)
		m = MARK_NONE;
	else if (use_color(1))
		m = MARK_BOLD;
	struct jw w;
	if (o.fmt == F_JSON) {
		jw_init_file(&w, stdout, 0);
		jw_arr(&w);
	}
	struct search_hit *h;
	long hits = 0;
	while ((r = search_iter_next(it, &h)) == 1) {
		hits++;
		if (o.fmt == F_JSON)
			print_json(&w, h);
		else
			print_text(h, m);
	}
	if (r < 0)
		status = EXIT_FAIL;
	/* on a terminal, say when the ranking left older matches out */
	if (hits && o.fmt != F_JSON && search_iter_window_full(it) &&
	    isatty(2))
		warnmsg("search: %d or more entries match; these are the best "
		        "of the newest %d (--since/--until or a narrower query "
		        "rank older ones)", SEARCH_RANK_WINDOW,
		        SEARCH_RANK_WINDOW);
	if (o.fmt == F_JSON) {
		jw_end(&w);
		jw_done(&w);
	} else if (!hits && status == EXIT_DONE) {
		warnmsg("search: nothing matches %s", o.s.query);
	}
	search_iter_free(it);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warnmsg("search: stdout: write failed");
		status = EXIT_FAIL;
	}
out:
	archive_close(a);
	buf_free(&o.query);
	return status;
}
