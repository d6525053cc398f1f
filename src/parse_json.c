/*
 * parse_json.c — JSON Feed 1.0 and 1.1 documents into the model, read
 * with SQLite's JSON functions on an in-memory database (no JSON library
 * of our own). The document is whole in memory (JSON_MAX bounds it);
 * entries still go to the callback one at a time.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "date.h"
#include "html.h"
#include "json.h"
#include "parse_int.h"

struct jctx {
	sqlite3 *db;
	sqlite3_stmt *get;     /* json_extract(?1, ?2), json_type(?1, ?2) */
};

/* The text at path in json (NULL if absent or not a string/number). */
static char *jget(struct jctx *j, const char *json, int n, const char *path)
{
	sqlite3_stmt *s = j->get;
	sqlite3_reset(s);
	sqlite3_bind_text(s, 1, json, n, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, path, -1, SQLITE_STATIC);
	char *out = NULL;
	if (sqlite3_step(s) == SQLITE_ROW) {
		int t = sqlite3_column_type(s, 0);
		const char *jt = (const char *)sqlite3_column_text(s, 1);
		if (t != SQLITE_NULL && jt && strcmp(jt, "object") != 0 &&
		    strcmp(jt, "array") != 0) {
			const char *v = (const char *)sqlite3_column_text(s, 0);
			out = xstrdup(v ? v : "");
		}
	}
	sqlite3_reset(s);
	return out;
}

/* Calls fn for each element of the array (or the one object) at path. */
static void jeach(struct jctx *j, const char *json, int n, const char *path,
                  void (*fn)(struct jctx *, const char *, int, void *),
                  void *arg)
{
	sqlite3_stmt *s;
	/* a statement per call: fn may walk a nested list meanwhile */
	if (sqlite3_prepare_v2(j->db, "SELECT value, type FROM json_each(?1, ?2)",
	                       -1, &s, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(s, 1, json, n, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, path, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(s, 0);
		int vn = sqlite3_column_bytes(s, 0);
		if (v)
			fn(j, v, vn, arg);
	}
	sqlite3_finalize(s);
}

struct people {
	struct person *(*add)(void *);
	void *owner;
};

static void one_author(struct jctx *j, const char *v, int n, void *arg)
{
	struct people *pp = arg;
	char *name = jget(j, v, n, "$.name");
	char *url = jget(j, v, n, "$.url");
	if (!name && !url)
		return;
	struct person *who = pp->add(pp->owner);
	who->name = name;
	who->url = url;
}

static struct person *add_feed_author(void *f) { return feed_add_author(f); }
static struct person *add_entry_author(void *e) { return entry_add_author(e); }

static void one_tag(struct jctx *j, const char *v, int n, void *arg)
{
	(void)j;
	if (n > 0)
		entry_add_tag(arg, v);
}

static void one_attachment(struct jctx *j, const char *v, int n, void *arg)
{
	struct entry *e = arg;
	char *url = jget(j, v, n, "$.url");
	if (!url)
		return;
	struct enclosure *x = entry_add_enclosure(e);
	x->url = url;
	x->type = jget(j, v, n, "$.mime_type");
	char *size = jget(j, v, n, "$.size_in_bytes");
	if (size) {
		char *end;
		long long l = strtoll(size, &end, 10);
		if (!*end && l >= 0)
			x->length = l;
		free(size);
	}
}

static void set_date(struct wdate *d, char *raw)
{
	if (!raw)
		return;
	d->raw = raw;
	int64_t t;
	if (date_parse(raw, &t)) {
		d->t = t;
		d->ok = 1;
	}
}

static char *escaped(char *text)
{
	if (!text)
		return NULL;
	struct buf b = {0};
	html_escape(&b, text, strlen(text));
	free(text);
	return buf_steal(&b);
}

/* What warta's own JSON Feed export puts under "_warta" (README, Export)
 * comes back: the comments page, the author's e-mail (JSON Feed authors
 * have none) and the source of a republished entry, shaped for `warta
 * parse` as the XML parser shapes one (feedparser's href for its URL). */
static void warta_extension(struct jctx *j, const char *v, int n,
                            struct entry *e)
{
	e->comments = jget(j, v, n, "$._warta.comments");
	char *email = jget(j, v, n, "$._warta.author_email");
	if (email && e->nauthors && !e->authors[0].email)
		e->authors[0].email = email;
	else if (email)
		entry_add_author(e)->email = email;
	struct source *src = &e->source;
	src->id = jget(j, v, n, "$._warta.source.id");
	src->title = jget(j, v, n, "$._warta.source.title");
	src->url = jget(j, v, n, "$._warta.source.url");
	src->link = jget(j, v, n, "$._warta.source.link");
	set_date(&src->updated, jget(j, v, n, "$._warta.source.updated"));
	if (!src->id && !src->title && !src->url && !src->link)
		return;
	struct buf b = {0};
	struct jw w;
	jw_init_buf(&w, &b, 0);
	jw_obj(&w);
	if (src->title)
		jw_kstr(&w, "title", src->title);
	if (src->link)
		jw_kstr(&w, "link", src->link);
	if (src->id)
		jw_kstr(&w, "id", src->id);
	if (src->url)
		jw_kstr(&w, "href", src->url);
	if (src->updated.ok) {
		char rfc[32];
		jw_kstr(&w, "updated", date_rfc3339(src->updated.t, rfc));
	}
	jw_end(&w);
	src->json = buf_steal(&b);
}

struct itemctx {
	struct parser *p;
	const char *base;
};

static void one_item(struct jctx *j, const char *v, int n, void *arg)
{
	struct itemctx *ic = arg;
	struct entry e;
	memset(&e, 0, sizeof e);
	e.id = jget(j, v, n, "$.id");
	char *url = jget(j, v, n, "$.url");
	e.link = url ? url_resolve(ic->base, url) : NULL;
	free(url);
	e.title = jget(j, v, n, "$.title");
	char *html = jget(j, v, n, "$.content_html");
	char *text = jget(j, v, n, "$.content_text");
	if (html) {
		e.content = html_sanitize(html, strlen(html), ic->base);
		free(html);
		free(text);
	} else if (text) {
		e.content = text;
		e.content_is_text = 1;
	}
	e.summary = escaped(jget(j, v, n, "$.summary"));
	e.language = jget(j, v, n, "$.language");
	set_date(&e.published, jget(j, v, n, "$.date_published"));
	set_date(&e.updated, jget(j, v, n, "$.date_modified"));
	struct people pp = {add_entry_author, &e};
	jeach(j, v, n, "$.authors", one_author, &pp);
	if (!e.nauthors) {
		char *a = jget(j, v, n, "$.author.name");
		char *u = jget(j, v, n, "$.author.url");
		if (a || u) {
			struct person *who = entry_add_author(&e);
			who->name = a;
			who->url = u;
		}
	}
	jeach(j, v, n, "$.tags", one_tag, &e);
	jeach(j, v, n, "$.attachments", one_attachment, &e);
	warta_extension(j, v, n, &e);
	parser_emit(ic->p, &e);
}

int parse_json_feed(struct parser *p, const char *data, size_t len,
                    const char **why)
{
	struct jctx j = {0};
	int rc = -1;
	*why = "not a feed: invalid JSON";
	if (len > JSON_MAX)
		return -1;
	if (sqlite3_open(":memory:", &j.db) != SQLITE_OK)
		goto out;
	if (sqlite3_prepare_v2(j.db, "SELECT json_extract(?1, ?2), "
	                       "json_type(?1, ?2)", -1, &j.get, NULL) != SQLITE_OK)
		goto out;
	sqlite3_stmt *valid;
	if (sqlite3_prepare_v2(j.db, "SELECT json_valid(?1), "
	                       "json_type(?1), json_type(?1, '$.items')", -1,
	                       &valid, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(valid, 1, data, (int)len, SQLITE_STATIC);
	int ok = 0;
	if (sqlite3_step(valid) == SQLITE_ROW && sqlite3_column_int(valid, 0)) {
		const char *t = (const char *)sqlite3_column_text(valid, 1);
		const char *it = (const char *)sqlite3_column_text(valid, 2);
		ok = t && strcmp(t, "object") == 0 ? 1 : 0;
		if (ok && !(it && strcmp(it, "array") == 0))
			ok = 2;   /* an object without items */
	}
	sqlite3_finalize(valid);
	if (!ok)
		goto out;
	const char *d = data;
	int n = (int)len;
	char *version = jget(&j, d, n, "$.version");
	if (ok == 2 && !(version && strstr(version, "jsonfeed.org/version"))) {
		*why = "not a feed: JSON, but not a JSON Feed";
		free(version);
		goto out;
	}
	struct feed *f = parser_feed_mut(p);
	int v11 = version && strstr(version, "version/1.1") != NULL;
	free(f->version);
	f->version = xstrdup(v11 ? "json11" : "json1");
	free(version);
	free(f->encoding);
	f->encoding = xstrdup("utf-8");
	f->title = jget(&j, d, n, "$.title");
	f->self = jget(&j, d, n, "$.feed_url");
	f->link = jget(&j, d, n, "$.home_page_url");
	f->next = jget(&j, d, n, "$.next_url");
	f->subtitle = escaped(jget(&j, d, n, "$.description"));
	f->language = jget(&j, d, n, "$.language");
	f->logo = jget(&j, d, n, "$.icon");
	f->icon = jget(&j, d, n, "$.favicon");
	struct people pp = {add_feed_author, f};
	jeach(&j, d, n, "$.authors", one_author, &pp);
	if (!f->nauthors) {
		char *a = jget(&j, d, n, "$.author.name");
		char *u = jget(&j, d, n, "$.author.url");
		if (a || u) {
			struct person *who = feed_add_author(f);
			who->name = a;
			who->url = u;
		}
	}
	const char *base = parser_url(p);
	if (!base)
		base = f->self ? f->self : f->link;
	struct itemctx ic = {p, base};
	jeach(&j, d, n, "$.items", one_item, &ic);
	rc = 0;
	*why = NULL;
out:
	sqlite3_finalize(j.get);
	sqlite3_close(j.db);
	return rc;
}
