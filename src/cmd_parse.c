/*
 * cmd_parse.c — `warta parse FILE|-`: one document through the parser,
 * printed as JSON Feed 1.1 with the `_warta` extension (SPEC "parse",
 * shared/conformance/feedparser/README.md). Items are written as the
 * parser hands them over, so the output streams and memory stays flat;
 * the feed-level keys follow "items" (JSON key order is free).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fetch.h"
#include "json.h"
#include "parse.h"
#include "util.h"

const char usage_parse[] =
	"Usage: warta parse [--url URL] [--content-type TYPE] [--pretty] "
	"FILE|-\n"
	"\n"
	"Parse one feed document (RSS 0.90-2.0, RSS 1.0, Atom 0.3/1.0, JSON\n"
	"Feed) and print it as JSON Feed 1.1 on stdout; what JSON Feed has no\n"
	"key for is in \"_warta\" objects. Touches no archive.\n"
	"\n"
	"  --url URL            where the document came from: relative links\n"
	"                       resolve against it (default: the feed's self\n"
	"                       link, else its home link)\n"
	"  --content-type TYPE  the HTTP Content-Type it was served with (its\n"
	"                       charset wins over the XML declaration)\n"
	"  --pretty             indent the JSON\n"
	"\n"
	"A document that had to be repaired (ill-formed XML, wrong encoding)\n"
	"still prints, with \"_warta\": {\"bozo\": true, \"bozo_msg\": …}.\n"
	"Exit status: 0 a feed, 1 not a feed (an HTML page, an empty body)\n"
	"or unreadable, 2 usage.\n"
	"\n"
	"An http:// or https:// URL is fetched as 'warta fetch' would, and\n"
	"parsed with the answer's URL and Content-Type (unless given).\n";

struct out {
	struct jw w;
	int started;      /* "{" and "items": [ written */
};

static void begin(struct out *o)
{
	if (o->started)
		return;
	o->started = 1;
	jw_obj(&o->w);
	jw_kstr(&o->w, "version", "https://jsonfeed.org/version/1.1");
	jw_key(&o->w, "items");
	jw_arr(&o->w);
}

static void kstr_if(struct jw *w, const char *k, const char *v)
{
	if (v)
		jw_kstr(w, k, v);
}

static void write_authors(struct jw *w, const struct person *a, size_t n)
{
	size_t any = 0;
	for (size_t i = 0; i < n; i++)
		if (a[i].name || a[i].url || a[i].email)
			any++;
	if (!any)
		return;
	jw_key(w, "authors");
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		if (!a[i].name && !a[i].url && !a[i].email)
			continue;
		jw_obj(w);
		kstr_if(w, "name", a[i].name);
		kstr_if(w, "url", a[i].url);
		if (a[i].email) {
			jw_key(w, "_warta");
			jw_obj(w);
			jw_kstr(w, "email", a[i].email);
			jw_end(w);
		}
		jw_end(w);
	}
	jw_end(w);
}

static void write_date(struct jw *w, const char *key, const char *rawkey,
                       const struct wdate *d)
{
	if (d->ok)
		jw_kdate(w, key, d->t);
	if (rawkey && d->raw)
		jw_kstr(w, rawkey, d->raw);
}

static int on_entry(void *ctx, const struct feed *feed, struct entry *e)
{
	struct out *o = ctx;
	struct jw *w = &o->w;
	(void)feed;
	begin(o);
	jw_obj(w);
	kstr_if(w, "id", e->id);
	kstr_if(w, "url", e->link);
	kstr_if(w, "title", e->title);
	kstr_if(w, "summary", e->summary);
	if (e->content)
		jw_kstr(w, e->content_is_text ? "content_text" : "content_html",
		        e->content);
	write_date(w, "date_published", NULL, &e->published);
	write_date(w, "date_modified", NULL, &e->updated);
	write_authors(w, e->authors, e->nauthors);
	kstr_if(w, "language", e->language);
	if (e->ntags) {
		jw_key(w, "tags");
		jw_arr(w);
		for (size_t i = 0; i < e->ntags; i++)
			jw_str(w, e->tags[i]);
		jw_end(w);
	}
	if (e->nenclosures) {
		jw_key(w, "attachments");
		jw_arr(w);
		for (size_t i = 0; i < e->nenclosures; i++) {
			const struct enclosure *x = &e->enclosures[i];
			jw_obj(w);
			jw_kstr(w, "url", x->url);
			jw_kstr(w, "mime_type", x->type ? x->type :
			        "application/octet-stream");
			if (x->length >= 0)
				jw_kint(w, "size_in_bytes", x->length);
			jw_end(w);
		}
		jw_end(w);
	}
	jw_key(w, "_warta");
	jw_obj(w);
	kstr_if(w, "comments", e->comments);
	if (e->published.raw)
		jw_kstr(w, "published_raw", e->published.raw);
	if (e->updated.raw)
		jw_kstr(w, "updated_raw", e->updated.raw);
	if (e->source.json) {
		jw_key(w, "source");
		jw_raw(w, e->source.json);
	}
	if (e->nenclosures) {
		jw_key(w, "enclosures");
		jw_arr(w);
		for (size_t i = 0; i < e->nenclosures; i++) {
			const struct enclosure *x = &e->enclosures[i];
			jw_obj(w);
			jw_kstr(w, "href", x->url);
			kstr_if(w, "type", x->type);
			if (x->length >= 0) {
				char n[32];
				snprintf(n, sizeof n, "%lld",
				         (long long)x->length);
				jw_kstr(w, "length", n);
			}
			jw_end(w);
		}
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
	return 0;
}

static void write_feed(struct out *o, const struct feed *f)
{
	struct jw *w = &o->w;
	begin(o);
	jw_end(w); /* items */
	kstr_if(w, "title", f->title);
	kstr_if(w, "home_page_url", f->link);
	kstr_if(w, "feed_url", f->self);
	kstr_if(w, "next_url", f->next);
	kstr_if(w, "description", f->subtitle);
	kstr_if(w, "language", f->language);
	kstr_if(w, "icon", f->logo);
	kstr_if(w, "favicon", f->icon);
	write_authors(w, f->authors, f->nauthors);
	jw_key(w, "_warta");
	jw_obj(w);
	jw_kstr(w, "version", f->version ? f->version : "");
	jw_kbool(w, "bozo", f->bozo);
	kstr_if(w, "bozo_msg", f->bozo_msg);
	kstr_if(w, "encoding", f->encoding);
	kstr_if(w, "id", f->id);
	write_date(w, "updated", "updated_raw", &f->updated);
	write_date(w, "published", "published_raw", &f->published);
	kstr_if(w, "rights", f->rights);
	kstr_if(w, "generator", f->generator);
	if (f->ttl > 0)
		jw_kint(w, "ttl", f->ttl);
	jw_end(w);
	jw_end(w);
	jw_done(w);
}

int cmd_parse(int argc, char **argv)
{
	const char *path = NULL, *url = NULL, *ctype = NULL;
	int pretty = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--pretty") == 0) {
			pretty = 1;
		} else if (strcmp(a, "--url") == 0 ||
		           strcmp(a, "--content-type") == 0) {
			if (i + 1 >= argc)
				return usage_error("parse", "%s needs a value", a);
			if (a[2] == 'u')
				url = argv[++i];
			else
				ctype = argv[++i];
		} else if (strcmp(a, "--") == 0 && i + 1 < argc && !path) {
			path = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			return usage_error("parse", "unknown option '%s'", a);
		} else if (path) {
			return usage_error("parse", "one document at a time");
		} else {
			path = a;
		}
	}
	if (!path)
		return usage_error("parse",
		                   "which document? (FILE, URL, or - for stdin)");
	struct fetch_res res;     /* a URL's answer (fetch.h) */
	memset(&res, 0, sizeof res);
	FILE *fp;
	if (str_ihas_prefix(path, "http://") ||
	    str_ihas_prefix(path, "https://")) {
		fp = fetch_open_url(path, &res);
		if (!fp) {
			fetch_res_clear(&res);
			return EXIT_FAIL;
		}
		if (!url)
			url = res.effective_url;
		if (!ctype)
			ctype = res.content_type;
	} else {
		fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	}
	if (!fp) {
		warnmsg("%s: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	struct out o;
	memset(&o, 0, sizeof o);
	jw_init_file(&o.w, stdout, pretty);
	struct parse_opts opts = {url, ctype};
	struct parser *p = parser_new(&opts, on_entry, &o);
	static char chunk[1 << 16];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (parser_push(p, chunk, n) != 0)
			break;
	int rerr = ferror(fp);
	int err = errno;
	if (fp != stdin)
		fclose(fp);
	if (rerr) {
		warnmsg("%s: %s", path, strerror(err));
		parser_free(p);
		fetch_res_clear(&res);
		return EXIT_FAIL;
	}
	int rc = parser_finish(p);
	if (rc != 0) {
		if (o.started) {
			/* items went out before it turned out badly: close
			 * the document so stdout stays valid JSON */
			write_feed(&o, parser_feed(p));
		}
		warnmsg("%s: %s", strcmp(path, "-") == 0 ? "stdin" : path,
		        parser_error(p));
		parser_free(p);
		fetch_res_clear(&res);
		return EXIT_FAIL;
	}
	write_feed(&o, parser_feed(p));
	parser_free(p);
	fetch_res_clear(&res);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warnmsg("stdout: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_DONE;
}
