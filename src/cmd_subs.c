/* cmd_subs.c — subscriptions: add, remove, feeds, import. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "archive.h"
#include "cli.h"
#include "cmd_fetch.h"
#include "fetch.h"
#include "json.h"
#include "opml.h"
#include "util.h"

/* ---- shared ------------------------------------------------------------ */

/* A URL as the user typed it, or a local file made a file:// URL. */
static char *feed_url_arg(const char *cmd, const char *arg)
{
	if (fetch_is_url(arg)) {
		if (!str_ihas_prefix(arg, "http://") &&
		    !str_ihas_prefix(arg, "https://") &&
		    !str_ihas_prefix(arg, "file://")) {
			warnmsg("%s: %s: only http://, https:// and file:// "
			        "feeds can be fetched", cmd, arg);
			return NULL;
		}
		return xstrdup(arg);
	}
	char *u = fetch_local_url(arg);
	if (!u)
		warnmsg("%s: %s: %s (a web address needs its http:// or "
		        "https://)", cmd, arg, strerror(errno));
	return u;
}

static void fmt_time(int64_t t, char *out, size_t n)
{
	if (!t) {
		snprintf(out, n, "-");
		return;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M", &tm);
}

/* ---- add --------------------------------------------------------------- */

const char usage_add[] =
	"Usage: warta add URL [--title T] [--tag T]... [--no-fetch] [--insecure]\n"
	"\n"
	"Subscribe to the feed at URL (http://, https://, file://, or a local\n"
	"file) and fetch it once, unless --no-fetch. Adding a feed that is\n"
	"subscribed already (http and https, host case and a trailing slash\n"
	"do not count as different) changes nothing and says so; adding one\n"
	"that was removed subscribes to it again, with its archive.\n"
	"\n"
	"  --title T    the name to show instead of the feed's own title\n"
	"  --tag T      a tag (repeatable); 'warta search --tag', 'export --tag'\n"
	"  --no-fetch   subscribe only; the next 'warta fetch' fetches it\n"
	"  --insecure   do not verify the site's TLS certificate (for a site\n"
	"               with a broken chain; 'warta feeds' shows it)\n";

int cmd_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{"title", required_argument, NULL, 't'},
		{"tag", required_argument, NULL, 'T'},
		{"no-fetch", no_argument, NULL, 'n'},
		{"insecure", no_argument, NULL, 'k'},
		{NULL, 0, NULL, 0},
	};
	const char *title = NULL;
	const char **tags = NULL;
	size_t ntags = 0;
	int nofetch = 0, insecure = 0, c, status = EXIT_DONE;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 't': title = optarg; break;
		case 'T':
			tags = xrealloc(tags, (ntags + 1) * sizeof *tags);
			tags[ntags++] = optarg;
			break;
		case 'n': nofetch = 1; break;
		case 'k': insecure = 1; break;
		case ':':
			free(tags);
			return usage_error("add", "%s needs a value",
			                   argv[optind - 1]);
		default:
			free(tags);
			return usage_error("add", "unknown option '%s'",
			                   argv[optind - 1]);
		}
	}
	if (optind != argc - 1) {
		free(tags);
		return usage_error("add", optind >= argc ? "which URL?"
		                          : "one URL at a time");
	}
	char *url = feed_url_arg("add", argv[optind]);
	if (!url) {
		free(tags);
		return EXIT_FAIL;
	}
	struct archive *a = archive_open(db_path());
	if (!a) {
		free(url);
		free(tags);
		return EXIT_FAIL;
	}
	/* Fetch before subscribing: a web page is searched for its feed
	 * (cmd_fetch.c), and the answer is archived as the first fetch. */
	struct fetch_res *pre = NULL;
	int64_t started = 0;
	struct arc_feed known = {0};
	if (!nofetch && !(archive_feed_find(a, url, &known) == 1 &&
	                  !known.removed)) {
		char *chosen = NULL;
		if (fetch_init() < 0 ||
		    fetch_find_feed(url, insecure, &chosen, &pre, &started) < 0) {
			fetch_cleanup();
			arc_feed_clear(&known);
			archive_close(a);
			free(url);
			free(tags);
			return EXIT_FAIL;
		}
		fetch_cleanup();
		free(url);
		url = chosen;
	}
	arc_feed_clear(&known);
	struct arc_new_feed nf = {.url = url, .title = title, .tags = tags,
	                          .ntags = ntags, .insecure = insecure};
	int64_t id = 0;
	int rc = archive_feed_add(a, &nf, 0, &id);
	if (rc < 0) {
		status = EXIT_FAIL;
	} else if (rc == ARC_EXISTS) {
		struct arc_feed f = {0};
		archive_feed_get(a, id, &f);
		char ub[2048];
		printf("already subscribed as #%lld: %s (nothing changed; to "
		       "add it otherwise, 'warta remove' it first)\n",
		       (long long)id, url_redact_buf(f.url ? f.url : url, ub,
		                                     sizeof ub));
		arc_feed_clear(&f);
	} else {
		char ub[2048];
		printf("%s #%lld: %s\n", rc == ARC_REVIVED ? "subscribed again"
		                                          : "added",
		       (long long)id, url_redact_buf(url, ub, sizeof ub));
		if (!nofetch) {
			fflush(stdout);
			struct fetch_tally t = {0};
			if (fetch_init() < 0 ||
			    (pre ? fetch_feed_with(a, id, pre, started, 0, &t)
			         : fetch_feed_now(a, id, 0, &t)) < 0)
				status = EXIT_FAIL;
			else if (t.archived)
				printf("fetched: %ld new entr%s\n", t.fresh,
				       t.fresh == 1 ? "y" : "ies");
			fetch_cleanup();
		}
	}
	if (pre)
		fetch_res_clear(pre);
	free(pre);
	archive_close(a);
	free(url);
	free(tags);
	return status;
}

/* ---- remove ------------------------------------------------------------- */

const char usage_remove[] =
	"Usage: warta remove FEED [--purge]\n"
	"\n"
	"Unsubscribe from FEED (its number in 'warta feeds', or its URL). Its\n"
	"archived entries stay, and stay searchable; 'warta add' of the same\n"
	"URL subscribes again.\n"
	"\n"
	"  --purge   delete the feed's entries, their revisions and its fetch\n"
	"            log from the archive too (this cannot be undone)\n";

int cmd_remove(int argc, char **argv)
{
	static const struct option opts[] = {
		{"purge", no_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	int purge = 0, c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'p')
			purge = 1;
		else
			return usage_error("remove", "unknown option '%s'",
			                   argv[optind - 1]);
	}
	if (optind != argc - 1)
		return usage_error("remove", optind >= argc ? "which feed?"
		                             : "one feed at a time");
	struct archive *a = archive_open(db_path());
	if (!a)
		return EXIT_FAIL;
	struct arc_feed f = {0};
	int rc = feed_arg_find(a, argv[optind], &f);
	int status = EXIT_DONE;
	if (rc < 0) {
		status = EXIT_FAIL;
	} else if (rc == 0 || (f.removed && !purge)) {
		warnmsg("remove: no feed '%s' (see 'warta feeds')",
		        argv[optind]);
		status = EXIT_FAIL;
	} else if (archive_feed_remove(a, f.id, purge) < 0) {
		status = EXIT_FAIL;
	} else if (purge) {
		char ub[2048];
		printf("removed #%lld %s and its %lld archived entries\n",
		       (long long)f.id, url_redact_buf(f.url, ub, sizeof ub),
		       (long long)f.entries);
	} else {
		char ub[2048];
		printf("removed #%lld %s; its %lld archived entries stay\n",
		       (long long)f.id, url_redact_buf(f.url, ub, sizeof ub),
		       (long long)f.entries);
	}
	arc_feed_clear(&f);
	archive_close(a);
	return status;
}

/* ---- feeds -------------------------------------------------------------- */

const char usage_feeds[] =
	"Usage: warta feeds [--json]\n"
	"\n"
	"One line per subscribed feed: number, title, entries archived, last\n"
	"fetch, its state and HTTP status, when it is next due, URL and tags.\n"
	"A failing feed shows why. Times are local.\n"
	"\n"
	"  --json   one JSON array: objects with id, url, title, feed_title,\n"
	"           site_url, tags, entries, added, last_fetch, last_ok,\n"
	"           last_status, next_due, state (new, ok, failing, gone),\n"
	"           failures, last_error, insecure, etag, last_modified\n"
	"           (times RFC 3339 UTC, null when never)\n";

static void jw_kdate_opt(struct jw *w, const char *key, int64_t t)
{
	if (t)
		jw_kdate(w, key, t);
	else {
		jw_key(w, key);
		jw_null(w);
	}
}

static int feed_json(void *ctx, const struct arc_feed *f)
{
	struct jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", f->id);
	char ub[2048];
	jw_kstr(w, "url", url_redact_buf(f->url, ub, sizeof ub));
	jw_kstr(w, "title", arc_feed_name(f));
	jw_kstr(w, "feed_title", f->feed_title);
	jw_kstr(w, "site_url", f->site_url);
	jw_key(w, "tags");
	jw_arr(w);
	for (size_t i = 0; i < f->ntags; i++)
		jw_str(w, f->tags[i]);
	jw_end(w);
	jw_kint(w, "entries", f->entries);
	jw_kdate_opt(w, "added", f->added);
	jw_kdate_opt(w, "last_fetch", f->last_fetch);
	jw_kdate_opt(w, "last_ok", f->last_ok);
	jw_key(w, "last_status");
	if (f->last_status)
		jw_int(w, f->last_status);
	else
		jw_null(w);
	jw_kdate_opt(w, "next_due", f->next_due);
	jw_kstr(w, "state", arc_feed_state(f));
	jw_kint(w, "failures", f->failures);
	jw_kstr(w, "last_error", f->last_error);
	jw_kbool(w, "insecure", f->insecure);
	jw_kstr(w, "etag", f->etag);
	jw_kstr(w, "last_modified", f->last_modified);
	jw_end(w);
	return 0;
}

/* Bytes of the first n characters of s (UTF-8), and how many there were. */
static size_t utf8_prefix(const char *s, size_t n, size_t *chars)
{
	size_t i = 0, k = 0;
	while (s[i] && k < n) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		k++;
	}
	*chars = k;
	return i;
}

static void print_cell(const char *s, size_t width)
{
	size_t chars, len = utf8_prefix(s, width, &chars);
	if (s[len]) {   /* cut: room for the ellipsis */
		len = utf8_prefix(s, width - 1, &chars);
		printf("%.*s…", (int)len, s);
		chars++;
	} else {
		printf("%s", s);
	}
	for (; chars < width; chars++)
		putchar(' ');
}

static int feed_line(void *ctx, const struct arc_feed *f)
{
	char last[32], due[32], st[24];
	(void)ctx;
	fmt_time(f->last_fetch, last, sizeof last);
	fmt_time(f->next_due, due, sizeof due);
	if (!f->next_due || f->gone)
		snprintf(due, sizeof due, f->gone ? "never" : "now");
	if (f->last_status)
		snprintf(st, sizeof st, "%s %d", arc_feed_state(f),
		         f->last_status);
	else
		snprintf(st, sizeof st, "%s", arc_feed_state(f));
	printf("%4lld  ", (long long)f->id);
	print_cell(arc_feed_name(f), 32);
	char ub[2048];
	printf(" %7lld  %-16s  %-12s %-16s  %s", (long long)f->entries, last,
	       st, due, url_redact_buf(f->url, ub, sizeof ub));
	if (f->ntags) {
		printf("  [");
		for (size_t i = 0; i < f->ntags; i++)
			printf("%s%s", i ? "," : "", f->tags[i]);
		printf("]");
	}
	if (f->insecure)
		printf("  (insecure: TLS not verified)");
	if (f->last_error)
		printf("  (%s%s%d failure%s)", f->last_error, ", ", f->failures,
		       f->failures == 1 ? "" : "s");
	putchar('\n');
	return 0;
}

int cmd_feeds(int argc, char **argv)
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
			return usage_error("feeds", "unknown option '%s'",
			                   argv[optind - 1]);
	}
	if (optind < argc)
		return usage_error("feeds", "takes no argument, not '%s'",
		                   argv[optind]);
	struct archive *a = archive_open(db_path());
	if (!a)
		return EXIT_FAIL;
	int rc;
	if (json) {
		struct jw w;
		jw_init_file(&w, stdout, 1);
		jw_arr(&w);
		rc = archive_feeds_each(a, 0, 0, feed_json, &w);
		jw_end(&w);
		jw_done(&w);
	} else {
		printf("%4s  %-32s %7s  %-16s  %-12s %-16s  %s\n", "#", "TITLE",
		       "ENTRIES", "LAST FETCH", "STATE", "NEXT DUE", "URL");
		rc = archive_feeds_each(a, 0, 0, feed_line, NULL);
	}
	archive_close(a);
	if (fflush(stdout) != 0)
		return EXIT_FAIL;
	return rc < 0 ? EXIT_FAIL : EXIT_DONE;
}

/* ---- import ------------------------------------------------------------- */

const char usage_import[] =
	"Usage: warta import FILE|-\n"
	"\n"
	"Subscribe to every feed of an OPML 1.0 or 2.0 file ('-': standard\n"
	"input), as newsboat -e, sfeed_opml_export, Miniflux, FreshRSS and\n"
	"'warta export opml' write it. Folders (nested outlines) and the\n"
	"category attribute become tags. Feeds subscribed already get the\n"
	"file's tags added and change nothing else, so importing twice is the\n"
	"same as once. A file that is not well-formed OPML is refused with its\n"
	"line number, and nothing of it is imported. No feed is fetched:\n"
	"'warta fetch' does that.\n";

int cmd_import(int argc, char **argv)
{
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", (struct option[]){{0}},
	                        NULL)) != -1)
		return usage_error("import", "unknown option '%s'",
		                   argv[optind - 1]);
	if (optind != argc - 1)
		return usage_error("import", optind >= argc ? "which file?"
		                                : "one file at a time");
	const char *file = argv[optind];
	struct buf data = {0};
	if (read_file(file, &data, (size_t)64 << 20) < 0) {
		warnmsg("import: %s: %s", file, strerror(errno));
		buf_free(&data);
		return EXIT_FAIL;
	}
	struct opml_doc doc;
	char *err = NULL;
	if (opml_read(data.p ? data.p : "", data.len, &doc, &err) < 0) {
		warnmsg("import: %s: %s", strcmp(file, "-") ? file : "stdin",
		        err);
		free(err);
		buf_free(&data);
		return EXIT_FAIL;
	}
	buf_free(&data);
	struct archive *a = archive_open(db_path());
	if (!a) {
		opml_doc_clear(&doc);
		return EXIT_FAIL;
	}
	int added = 0, known = 0, skipped = 0, status = EXIT_DONE;
	/* All or nothing: one transaction around the whole file. */
	if (archive_begin(a) < 0) {
		status = EXIT_FAIL;
		goto out;
	}
	for (size_t i = 0; i < doc.nfeeds; i++) {
		const struct opml_feed *f = &doc.feeds[i];
		if (!str_ihas_prefix(f->xml_url, "http://") &&
		    !str_ihas_prefix(f->xml_url, "https://") &&
		    !str_ihas_prefix(f->xml_url, "file://")) {
			warnmsg("import: %s: not an http(s) or file URL, "
			        "skipped", f->xml_url);
			skipped++;
			continue;
		}
		struct arc_new_feed nf = {
			.url = f->xml_url, .title = f->title,
			.tags = (const char *const *)f->tags, .ntags = f->ntags,
		};
		int64_t id;
		int rc = archive_feed_add(a, &nf, 1, &id);
		if (rc < 0) {
			archive_rollback(a);
			status = EXIT_FAIL;
			goto out;
		}
		if (rc == ARC_EXISTS)
			known++;
		else
			added++;
	}
	if (archive_commit(a) < 0) {
		status = EXIT_FAIL;
		goto out;
	}
	printf("imported %d feed%s (%d subscribed already", added,
	       added == 1 ? "" : "s", known);
	if (skipped)
		printf(", %d skipped", skipped);
	printf(")\n");
out:
	archive_close(a);
	opml_doc_clear(&doc);
	return status;
}
