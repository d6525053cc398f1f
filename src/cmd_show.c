/* cmd_show.c — reading the archive from the shell: show, log, stats. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "archive.h"
#include "cli.h"
#include "cmd_fetch.h"
#include "html.h"
#include "json.h"
#include "util.h"

static void fmt_local(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M %Z", &tm);
}

/* ---- show ---------------------------------------------------------------- */

const char usage_show[] =
	"Usage: warta show ENTRY [--format text|html|json] [--revisions] [--json]\n"
	"\n"
	"One archived entry: ENTRY is its number (as 'warta search' shows it),\n"
	"or its id or link as the feed gave it. Entries stay in the archive\n"
	"after their feed drops them.\n"
	"\n"
	"  --format text   title, feed, date, link, authors, tags, the text of\n"
	"                  its HTML, enclosures and sources (the default)\n"
	"  --format html   the sanitised HTML the archive holds\n"
	"  --format json   one JSON object: id, feed_id, feed_title, feed_url,\n"
	"                  story_id, guid, key, key_kind, title, url, date,\n"
	"                  dated_by_first_seen, published, published_raw,\n"
	"                  updated, updated_raw, first_seen, changed, authors,\n"
	"                  tags, enclosures, source, summary, content,\n"
	"                  content_is_text, text, sources, revision_count and,\n"
	"                  with --revisions, revisions (oldest first)\n"
	"  --json          the same as --format json\n"
	"  --revisions     the earlier versions too, oldest first\n";

static void json_entry_fields(struct jw *w, const struct entry *e)
{
	jw_kstr(w, "guid", e->id);
	jw_kstr(w, "title", e->title);
	jw_kstr(w, "url", e->link);
	if (e->published.ok)
		jw_kdate(w, "published", e->published.t);
	jw_kstr_opt(w, "published_raw", e->published.raw);
	if (e->updated.ok)
		jw_kdate(w, "updated", e->updated.t);
	jw_kstr_opt(w, "updated_raw", e->updated.raw);
	jw_key(w, "authors");
	jw_arr(w);
	for (size_t i = 0; i < e->nauthors; i++) {
		jw_obj(w);
		jw_kstr_opt(w, "name", e->authors[i].name);
		jw_kstr_opt(w, "email", e->authors[i].email);
		jw_kstr_opt(w, "url", e->authors[i].url);
		jw_end(w);
	}
	jw_end(w);
	jw_key(w, "tags");
	jw_arr(w);
	for (size_t i = 0; i < e->ntags; i++)
		jw_str(w, e->tags[i]);
	jw_end(w);
	jw_key(w, "enclosures");
	jw_arr(w);
	for (size_t i = 0; i < e->nenclosures; i++) {
		jw_obj(w);
		jw_kstr(w, "url", e->enclosures[i].url);
		jw_kstr_opt(w, "type", e->enclosures[i].type);
		if (e->enclosures[i].length >= 0)
			jw_kint(w, "length", e->enclosures[i].length);
		jw_end(w);
	}
	jw_end(w);
	if (e->source.title || e->source.url || e->source.id ||
	    e->source.link) {
		jw_key(w, "source");
		jw_obj(w);
		jw_kstr_opt(w, "id", e->source.id);
		jw_kstr_opt(w, "title", e->source.title);
		jw_kstr_opt(w, "url", e->source.url);
		jw_kstr_opt(w, "link", e->source.link);
		jw_end(w);
	}
	jw_kstr_opt(w, "comments", e->comments);
	jw_kstr_opt(w, "language", e->language);
	jw_kstr(w, "summary", e->summary);
	jw_kstr(w, "content", e->content);
	jw_kbool(w, "content_is_text", e->content_is_text);
}

static int rev_json(void *ctx, const struct arc_revision *r)
{
	struct jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", r->id);
	jw_kdate(w, "seen", r->seen);
	jw_kdate(w, "replaced", r->replaced);
	jw_key(w, "changed");
	jw_arr(w);
	for (size_t i = 0; i < r->nchanged; i++)
		jw_str(w, r->changed[i]);
	jw_end(w);
	json_entry_fields(w, &r->e);
	jw_end(w);
	return 0;
}

static int show_json(struct archive *a, const struct arc_row *r, int revs)
{
	struct jw w;
	jw_init_file(&w, stdout, 1);
	jw_obj(&w);
	jw_kint(&w, "id", r->id);
	jw_kint(&w, "feed_id", r->feed_id);
	jw_kstr(&w, "feed_title", r->feed_title);
	jw_kstr(&w, "feed_url", r->feed_url);
	jw_kint(&w, "story_id", r->story_id);
	jw_kstr(&w, "key", r->key);
	jw_kstr(&w, "key_kind", r->key_kind);
	jw_kdate(&w, "date", r->date);
	jw_kbool(&w, "dated_by_first_seen", r->dated_first_seen);
	jw_kdate(&w, "first_seen", r->first_seen);
	jw_kdate(&w, "changed", r->changed);
	json_entry_fields(&w, &r->e);
	jw_kstr(&w, "text", r->text);
	jw_key(&w, "sources");
	jw_arr(&w);
	for (size_t i = 0; i < r->nsources; i++) {
		jw_obj(&w);
		jw_kint(&w, "entry_id", r->sources[i].entry_id);
		jw_kint(&w, "feed_id", r->sources[i].feed_id);
		jw_kstr(&w, "feed_title", r->sources[i].feed_title);
		jw_kstr(&w, "feed_url", r->sources[i].feed_url);
		jw_kstr(&w, "url", r->sources[i].link);
		jw_end(&w);
	}
	jw_end(&w);
	jw_kint(&w, "revision_count", r->revisions);
	int rc = 0;
	if (revs) {
		jw_key(&w, "revisions");
		jw_arr(&w);
		rc = archive_revisions_each(a, r->id, rev_json, &w);
		jw_end(&w);
	}
	jw_end(&w);
	jw_done(&w);
	return rc;
}

static void print_text_of(const struct entry *e)
{
	const char *body = !str_empty(e->content) ? e->content : e->summary;
	if (str_empty(body))
		return;
	char *t = e->content_is_text && body == e->content
	          ? xstrdup(body) : html_to_text(body, strlen(body));
	str_trim(t);
	if (*t)
		printf("\n%s\n", t);
	free(t);
}

static void print_meta(const struct entry *e)
{
	if (e->nauthors) {
		printf("By: ");
		for (size_t i = 0; i < e->nauthors; i++) {
			const struct person *p = &e->authors[i];
			printf("%s%s", i ? ", " : "",
			       p->name ? p->name : p->email ? p->email : "?");
		}
		putchar('\n');
	}
	if (e->ntags) {
		printf("Tags: ");
		for (size_t i = 0; i < e->ntags; i++)
			printf("%s%s", i ? ", " : "", e->tags[i]);
		putchar('\n');
	}
}

struct rev_ctx {
	int n, total;
};

static int rev_text(void *ctx, const struct arc_revision *r)
{
	struct rev_ctx *c = ctx;
	char seen[48], replaced[48];
	fmt_local(r->seen, seen, sizeof seen);
	fmt_local(r->replaced, replaced, sizeof replaced);
	printf("\n--- version %d of %d: seen %s, replaced %s", ++c->n, c->total,
	       seen, replaced);
	if (r->nchanged) {
		printf(" (changed:");
		for (size_t i = 0; i < r->nchanged; i++)
			printf(" %s", r->changed[i]);
		printf(")");
	}
	printf("\n%s\n", r->e.title ? r->e.title : "(untitled)");
	if (r->e.link)
		printf("%s\n", r->e.link);
	if (r->e.published.raw || r->e.updated.raw)
		printf("Date: %s\n", r->e.published.raw ? r->e.published.raw
		                                        : r->e.updated.raw);
	print_meta(&r->e);
	print_text_of(&r->e);
	return 0;
}

static int show_text(struct archive *a, const struct arc_row *r, int revs)
{
	const struct entry *e = &r->e;
	char date[48], seen[48];
	fmt_local(r->date, date, sizeof date);
	fmt_local(r->first_seen, seen, sizeof seen);
	printf("%s\n", e->title ? e->title : "(untitled)");
	printf("Feed: %s (#%lld)\n", r->feed_title, (long long)r->feed_id);
	if (r->dated_first_seen) {
		const char *raw = e->published.raw ? e->published.raw
		                                   : e->updated.raw;
		if (raw)
			printf("Date: unreadable (\"%s\"); first seen %s\n", raw,
			       date);
		else
			printf("Date: none given; first seen %s\n", date);
	} else {
		printf("Date: %s\n", date);
	}
	if (e->link)
		printf("Link: %s\n", e->link);
	print_meta(e);
	print_text_of(e);
	if (e->nenclosures) {
		putchar('\n');
		for (size_t i = 0; i < e->nenclosures; i++) {
			printf("Enclosure: %s", e->enclosures[i].url);
			if (e->enclosures[i].type)
				printf(" (%s)", e->enclosures[i].type);
			putchar('\n');
		}
	}
	if (r->nsources > 1) {
		putchar('\n');
		for (size_t i = 0; i < r->nsources; i++) {
			if (r->sources[i].entry_id == r->id)
				continue;
			printf("Also in: %s (#%lld, entry %lld)%s%s\n",
			       r->sources[i].feed_title,
			       (long long)r->sources[i].feed_id,
			       (long long)r->sources[i].entry_id,
			       r->sources[i].link ? " " : "",
			       r->sources[i].link ? r->sources[i].link : "");
		}
	}
	if (!strcmp(r->key_kind, "id"))
		printf("\nEntry %lld, id %s, first seen %s", (long long)r->id,
		       r->e.id ? r->e.id : r->key, seen);
	else
		printf("\nEntry %lld, known by %s, first seen %s",
		       (long long)r->id, !strcmp(r->key_kind, "link")
		       ? "its link (the feed gives no id)"
		       : "a hash of its title, date and text (no id, no link)",
		       seen);
	if (r->revisions && !revs)
		printf("; %d earlier version%s (warta show %lld --revisions)",
		       r->revisions, r->revisions == 1 ? "" : "s",
		       (long long)r->id);
	putchar('\n');
	if (revs && r->revisions) {
		struct rev_ctx c = {0, r->revisions + 1};
		if (archive_revisions_each(a, r->id, rev_text, &c) < 0)
			return -1;
	}
	return 0;
}

int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"json", no_argument, NULL, 'J'},
		{"revisions", no_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "text";
	int revs = 0, c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'J': format = "json"; break;
		case 'r': revs = 1; break;
		case ':':
			return usage_error("show", "%s needs a value",
			                   argv[optind - 1]);
		default:
			return usage_error("show", "unknown option '%s'",
			                   argv[optind - 1]);
		}
	}
	if (strcmp(format, "text") && strcmp(format, "html") &&
	    strcmp(format, "json"))
		return usage_error("show", "--format is text, html or json, "
		                   "not '%s'", format);
	if (optind != argc - 1)
		return usage_error("show", optind >= argc ? "which entry?"
		                           : "one entry at a time");
	struct archive *a = archive_open(db_path());
	if (!a)
		return EXIT_FAIL;
	struct arc_row r = {0};
	int rc = archive_entry_find(a, argv[optind], &r);
	int status = EXIT_DONE;
	if (rc < 0) {
		status = EXIT_FAIL;
	} else if (rc == 0) {
		warnmsg("show: no entry '%s' in the archive (give a number "
		        "'warta search' shows, or an entry's id or link)",
		        argv[optind]);
		status = EXIT_FAIL;
	} else if (!strcmp(format, "json")) {
		status = show_json(a, &r, revs) < 0 ? EXIT_FAIL : EXIT_DONE;
	} else if (!strcmp(format, "html")) {
		const char *h = !str_empty(r.e.content) ? r.e.content
		                                        : r.e.summary;
		if (h && r.e.content_is_text && h == r.e.content) {
			struct buf b = {0};
			html_escape(&b, h, strlen(h));
			printf("<pre>%s</pre>\n", b.p ? b.p : "");
			buf_free(&b);
		} else {
			printf("%s\n", h ? h : "");
		}
	} else {
		status = show_text(a, &r, revs) < 0 ? EXIT_FAIL : EXIT_DONE;
	}
	arc_row_clear(&r);
	archive_close(a);
	if (fflush(stdout) != 0)
		status = EXIT_FAIL;
	return status;
}

/* ---- log ----------------------------------------------------------------- */

const char usage_log[] =
	"Usage: warta log [FEED] [-n N] [--json]\n"
	"\n"
	"The fetch history, newest first (of every feed, or of FEED): time,\n"
	"feed number, HTTP status, bytes, new and updated entries, duration,\n"
	"URL, and why a fetch failed or what it warned about.\n"
	"\n"
	"  -n N     the last N fetches (default 20; 0: all)\n"
	"  --json   one JSON array of objects with id, feed_id, time, url,\n"
	"           status, bytes, duration_ms, new, updated, unchanged,\n"
	"           error, warnings\n";

static int log_json(void *ctx, const struct arc_log *l)
{
	struct jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", l->id);
	jw_kint(w, "feed_id", l->feed_id);
	jw_kdate(w, "time", l->time);
	char ub[2048];
	jw_kstr(w, "url", url_redact_buf(l->url, ub, sizeof ub));
	jw_key(w, "status");
	if (l->status)
		jw_int(w, l->status);
	else
		jw_null(w);
	jw_kint(w, "bytes", l->bytes);
	jw_kint(w, "duration_ms", l->duration_ms);
	jw_kint(w, "new", l->fresh);
	jw_kint(w, "updated", l->updated);
	jw_kint(w, "unchanged", l->unchanged);
	jw_kstr(w, "error", l->error);
	jw_key(w, "warnings");
	jw_arr(w);
	for (size_t i = 0; i < l->nwarnings; i++)
		jw_str(w, l->warnings[i]);
	jw_end(w);
	jw_end(w);
	return 0;
}

static int log_line(void *ctx, const struct arc_log *l)
{
	char t[48], st[8], sz[32];
	(void)ctx;
	time_t tt = (time_t)l->time;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(t, sizeof t, "%Y-%m-%d %H:%M:%S", &tm);
	if (l->status)
		snprintf(st, sizeof st, "%d", l->status);
	else
		snprintf(st, sizeof st, "-");
	if (l->bytes >= 1 << 20)
		snprintf(sz, sizeof sz, "%.1fM", (double)l->bytes / (1 << 20));
	else if (l->bytes >= 1024)
		snprintf(sz, sizeof sz, "%.1fk", (double)l->bytes / 1024);
	else
		snprintf(sz, sizeof sz, "%lld", (long long)l->bytes);
	char ub[2048];
	printf("%s  %4lld  %-4s %7s %5ld %5ld %7lldms  %s", t,
	       (long long)l->feed_id, st, sz, l->fresh, l->updated,
	       (long long)l->duration_ms, url_redact_buf(l->url, ub, sizeof ub));
	if (l->error)
		printf("  error: %s", l->error);
	for (size_t i = 0; i < l->nwarnings; i++)
		printf("  warning: %s", l->warnings[i]);
	putchar('\n');
	return 0;
}

int cmd_log(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'J'},
		{NULL, 0, NULL, 0},
	};
	long n = 20;
	int json = 0, c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":n:", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_count("log", "-n", optarg, &n) < 0)
				return EXIT_USAGE;
			break;
		case 'J': json = 1; break;
		case ':':
			return usage_error("log", "%s needs a value",
			                   argv[optind - 1]);
		default:
			return usage_error("log", "unknown option '%s'",
			                   argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return usage_error("log", "one feed at a time");
	struct archive *a = archive_open(db_path());
	if (!a)
		return EXIT_FAIL;
	int64_t feed_id = 0;
	if (optind < argc) {
		struct arc_feed f = {0};
		int rc = feed_arg_find(a, argv[optind], &f);
		feed_id = f.id;
		arc_feed_clear(&f);
		if (rc <= 0) {
			if (rc == 0)
				warnmsg("log: no feed '%s' (see 'warta feeds')",
				        argv[optind]);
			archive_close(a);
			return EXIT_FAIL;
		}
	}
	int rc;
	if (json) {
		struct jw w;
		jw_init_file(&w, stdout, 1);
		jw_arr(&w);
		rc = archive_log_each(a, feed_id, n, log_json, &w);
		jw_end(&w);
		jw_done(&w);
	} else {
		printf("%-19s  %4s  %-4s %7s %5s %5s %9s  %s\n", "TIME", "FEED",
		       "HTTP", "BYTES", "NEW", "UPD", "DURATION", "URL");
		rc = archive_log_each(a, feed_id, n, log_line, NULL);
	}
	archive_close(a);
	if (fflush(stdout) != 0)
		return EXIT_FAIL;
	return rc < 0 ? EXIT_FAIL : EXIT_DONE;
}

/* ---- stats --------------------------------------------------------------- */

const char usage_stats[] =
	"Usage: warta stats [--json]\n"
	"\n"
	"What the archive holds: feeds, entries, stories (entries of several\n"
	"feeds that are one story count once), revisions, fetches, the oldest\n"
	"and newest entry, and the size of the file.\n"
	"\n"
	"  --json   one JSON object with feeds, feeds_removed, entries,\n"
	"           stories, revisions, fetches, oldest, newest, bytes,\n"
	"           schema, path\n";

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'J'},
		{NULL, 0, NULL, 0},
	};
	int json = 0, c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'J')
			json = 1;
		else
			return usage_error("stats", "unknown option '%s'",
			                   argv[optind - 1]);
	}
	if (optind < argc)
		return usage_error("stats", "takes no argument, not '%s'",
		                   argv[optind]);
	struct archive *a = archive_open(db_path());
	if (!a)
		return EXIT_FAIL;
	struct arc_stats s;
	int rc = archive_stats(a, &s);
	if (rc == 0 && json) {
		struct jw w;
		jw_init_file(&w, stdout, 1);
		jw_obj(&w);
		jw_kint(&w, "feeds", s.feeds);
		jw_kint(&w, "feeds_removed", s.feeds_removed);
		jw_kint(&w, "entries", s.entries);
		jw_kint(&w, "stories", s.stories);
		jw_kint(&w, "revisions", s.revisions);
		jw_kint(&w, "fetches", s.fetches);
		if (s.entries) {
			jw_kdate(&w, "oldest", s.oldest);
			jw_kdate(&w, "newest", s.newest);
		}
		jw_kint(&w, "bytes", s.bytes);
		jw_kint(&w, "schema", s.schema);
		jw_kstr(&w, "path", archive_path(a));
		jw_end(&w);
		jw_done(&w);
	} else if (rc == 0) {
		char o[48], n[48];
		printf("archive    %s\n", archive_path(a));
		printf("feeds      %lld", (long long)s.feeds);
		if (s.feeds_removed)
			printf(" (and %lld unsubscribed, entries kept)",
			       (long long)s.feeds_removed);
		printf("\nentries    %lld\n", (long long)s.entries);
		printf("stories    %lld\n", (long long)s.stories);
		printf("revisions  %lld\n", (long long)s.revisions);
		printf("fetches    %lld\n", (long long)s.fetches);
		if (s.entries) {
			fmt_local(s.oldest, o, sizeof o);
			fmt_local(s.newest, n, sizeof n);
			printf("oldest     %s\nnewest     %s\n", o, n);
		}
		printf("size       %.1f MB\n", (double)s.bytes / 1e6);
		printf("schema     %d\n", s.schema);
	}
	archive_close(a);
	if (fflush(stdout) != 0)
		return EXIT_FAIL;
	return rc < 0 ? EXIT_FAIL : EXIT_DONE;
}
