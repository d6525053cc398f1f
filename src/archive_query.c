/* archive_query.c — reading the archive back: entries (one at a time,
 * newest first), their sources and revisions, the fetch log; and the JSON
 * columns both ways. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_int.h"
#include "json.h"

/* ---- JSON columns: writing ------------------------------------------- */

char *arc_json_people(const struct person *p, size_t n)
{
	struct buf b = {0};
	struct jw w;
	size_t kept = 0;
	jw_init_buf(&w, &b, 0);
	jw_arr(&w);
	for (size_t i = 0; i < n; i++) {
		if (str_empty(p[i].name) && str_empty(p[i].email) &&
		    str_empty(p[i].url))
			continue;
		jw_obj(&w);
		jw_kstr_opt(&w, "name", p[i].name);
		jw_kstr_opt(&w, "email", p[i].email);
		jw_kstr_opt(&w, "url", p[i].url);
		jw_end(&w);
		kept++;
	}
	jw_end(&w);
	if (!kept) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

char *arc_json_strings(char *const *v, size_t n)
{
	struct buf b = {0};
	struct jw w;
	size_t kept = 0;
	jw_init_buf(&w, &b, 0);
	jw_arr(&w);
	for (size_t i = 0; i < n; i++) {
		if (str_empty(v[i]))
			continue;
		jw_str(&w, v[i]);
		kept++;
	}
	jw_end(&w);
	if (!kept) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

char *arc_json_enclosures(const struct enclosure *v, size_t n)
{
	struct buf b = {0};
	struct jw w;
	size_t kept = 0;
	jw_init_buf(&w, &b, 0);
	jw_arr(&w);
	for (size_t i = 0; i < n; i++) {
		if (str_empty(v[i].url))
			continue;
		jw_obj(&w);
		jw_kstr(&w, "url", v[i].url);
		jw_kstr_opt(&w, "type", v[i].type);
		if (v[i].length >= 0)
			jw_kint(&w, "length", v[i].length);
		jw_end(&w);
		kept++;
	}
	jw_end(&w);
	if (!kept) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

char *arc_json_source(const struct source *s)
{
	if (str_empty(s->id) && str_empty(s->title) && str_empty(s->url) &&
	    str_empty(s->link) && !s->updated.raw)
		return NULL;
	struct buf b = {0};
	struct jw w;
	jw_init_buf(&w, &b, 0);
	jw_obj(&w);
	jw_kstr_opt(&w, "id", s->id);
	jw_kstr_opt(&w, "title", s->title);
	jw_kstr_opt(&w, "url", s->url);
	jw_kstr_opt(&w, "link", s->link);
	if (s->updated.ok)
		jw_kint(&w, "updated", s->updated.t);
	jw_kstr_opt(&w, "updated_raw", s->updated.raw);
	jw_end(&w);
	return buf_steal(&b);
}

/* ---- JSON columns: reading ----------------------------------------------
 * Only what the writers above produce needs to come back, but the reader
 * is a real (small) JSON reader: a column edited by hand, or by a later
 * warta, reads as far as it is valid and no further. */

struct jr {
	const char *p;
};

static void jr_ws(struct jr *r)
{
	while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
		r->p++;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int jr_hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval((unsigned char)p[i]);
		if (h < 0)
			return -1;
		v = v << 4 | (unsigned)h;
	}
	*out = v;
	return 0;
}

static void put_utf8(struct buf *b, unsigned c)
{
	if (c < 0x80) {
		buf_putc(b, (int)c);
	} else if (c < 0x800) {
		buf_putc(b, (int)(0xC0 | c >> 6));
		buf_putc(b, (int)(0x80 | (c & 0x3F)));
	} else if (c < 0x10000) {
		buf_putc(b, (int)(0xE0 | c >> 12));
		buf_putc(b, (int)(0x80 | ((c >> 6) & 0x3F)));
		buf_putc(b, (int)(0x80 | (c & 0x3F)));
	} else {
		buf_putc(b, (int)(0xF0 | c >> 18));
		buf_putc(b, (int)(0x80 | ((c >> 12) & 0x3F)));
		buf_putc(b, (int)(0x80 | ((c >> 6) & 0x3F)));
		buf_putc(b, (int)(0x80 | (c & 0x3F)));
	}
}

/* A string at r->p (which is '"'); NULL when it is not one. */
static char *jr_string(struct jr *r)
{
	if (*r->p != '"')
		return NULL;
	struct buf b = {0};
	const char *p = r->p + 1;
	for (;;) {
		const char *run = p;
		while (*p && *p != '"' && *p != '\\')
			p++;
		buf_add(&b, run, (size_t)(p - run));
		if (*p == '"')
			break;
		if (!*p) {
			buf_free(&b);
			return NULL;
		}
		p++;   /* backslash */
		unsigned c;
		switch (*p) {
		case '"': buf_putc(&b, '"'); p++; break;
		case '\\': buf_putc(&b, '\\'); p++; break;
		case '/': buf_putc(&b, '/'); p++; break;
		case 'b': buf_putc(&b, '\b'); p++; break;
		case 'f': buf_putc(&b, '\f'); p++; break;
		case 'n': buf_putc(&b, '\n'); p++; break;
		case 'r': buf_putc(&b, '\r'); p++; break;
		case 't': buf_putc(&b, '\t'); p++; break;
		case 'u':
			if (jr_hex4(p + 1, &c) < 0) {
				buf_free(&b);
				return NULL;
			}
			p += 5;
			if (c >= 0xD800 && c < 0xDC00 && p[0] == '\\' &&
			    p[1] == 'u') {
				unsigned lo;
				if (jr_hex4(p + 2, &lo) == 0 && lo >= 0xDC00 &&
				    lo < 0xE000) {
					c = 0x10000 + ((c - 0xD800) << 10) +
					    (lo - 0xDC00);
					p += 6;
				}
			}
			if (c >= 0xD800 && c < 0xE000)
				c = 0xFFFD;
			put_utf8(&b, c);
			break;
		default:
			buf_free(&b);
			return NULL;
		}
	}
	r->p = p + 1;
	return buf_steal(&b);
}

static int jr_int(struct jr *r, int64_t *v)
{
	char *end;
	long long x = strtoll(r->p, &end, 10);
	if (end == r->p)
		return -1;
	/* a fraction or exponent: take the integer part */
	while (*end == '.' || *end == 'e' || *end == 'E' || *end == '+' ||
	       *end == '-' || (*end >= '0' && *end <= '9'))
		end++;
	r->p = end;
	*v = x;
	return 0;
}

static int jr_skip(struct jr *r, int depth);

static int jr_skip_container(struct jr *r, char close, int depth)
{
	r->p++;
	jr_ws(r);
	if (*r->p == close) {
		r->p++;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			char *k = jr_string(r);
			if (!k)
				return -1;
			free(k);
			jr_ws(r);
			if (*r->p++ != ':')
				return -1;
		}
		if (jr_skip(r, depth + 1) < 0)
			return -1;
		jr_ws(r);
		if (*r->p == ',') {
			r->p++;
			jr_ws(r);
			continue;
		}
		if (*r->p == close) {
			r->p++;
			return 0;
		}
		return -1;
	}
}

static int jr_skip(struct jr *r, int depth)
{
	jr_ws(r);
	if (depth > 16)
		return -1;
	switch (*r->p) {
	case '"': {
		char *s = jr_string(r);
		if (!s)
			return -1;
		free(s);
		return 0;
	}
	case '[': return jr_skip_container(r, ']', depth);
	case '{': return jr_skip_container(r, '}', depth);
	case 't': if (!strncmp(r->p, "true", 4)) { r->p += 4; return 0; } return -1;
	case 'f': if (!strncmp(r->p, "false", 5)) { r->p += 5; return 0; } return -1;
	case 'n': if (!strncmp(r->p, "null", 4)) { r->p += 4; return 0; } return -1;
	default: {
		int64_t v;
		return jr_int(r, &v);
	}
	}
}

/* Calls item() for each element of the array at r (after '[' is seen);
 * item consumes one value. */
static void jr_array(const char *json, void (*item)(struct jr *, void *),
                     void *ctx)
{
	if (!json)
		return;
	struct jr r = {json};
	jr_ws(&r);
	if (*r.p != '[')
		return;
	r.p++;
	jr_ws(&r);
	if (*r.p == ']')
		return;
	for (;;) {
		jr_ws(&r);
		const char *before = r.p;
		item(&r, ctx);
		if (r.p == before)
			return;
		jr_ws(&r);
		if (*r.p != ',')
			return;
		r.p++;
	}
}

/* Calls field() for each key of the object at r; field consumes the
 * value (or skips it). */
static int jr_object(struct jr *r, void (*field)(struct jr *, const char *,
                                                 void *), void *ctx)
{
	jr_ws(r);
	if (*r->p != '{')
		return -1;
	r->p++;
	jr_ws(r);
	if (*r->p == '}') {
		r->p++;
		return 0;
	}
	for (;;) {
		jr_ws(r);
		char *k = jr_string(r);
		if (!k)
			return -1;
		jr_ws(r);
		if (*r->p != ':') {
			free(k);
			return -1;
		}
		r->p++;
		jr_ws(r);
		const char *before = r->p;
		field(r, k, ctx);
		free(k);
		if (r->p == before && jr_skip(r, 1) < 0)
			return -1;
		jr_ws(r);
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		if (*r->p == '}') {
			r->p++;
			return 0;
		}
		return -1;
	}
}

static void take_str(struct jr *r, char **dst)
{
	char *s = jr_string(r);
	if (s) {
		free(*dst);
		*dst = s;
	}
}

struct strs {
	char ***v;
	size_t *n;
};

static void str_item(struct jr *r, void *ctx)
{
	struct strs *s = ctx;
	char *v = jr_string(r);
	if (!v) {
		jr_skip(r, 1);
		return;
	}
	*s->v = xrealloc(*s->v, (*s->n + 1) * sizeof **s->v);
	(*s->v)[(*s->n)++] = v;
}

void arc_unjson_strings(const char *json, char ***v, size_t *n)
{
	struct strs s = {v, n};
	jr_array(json, str_item, &s);
}

static void person_field(struct jr *r, const char *k, void *ctx)
{
	struct person *p = ctx;
	if (!strcmp(k, "name"))
		take_str(r, &p->name);
	else if (!strcmp(k, "email"))
		take_str(r, &p->email);
	else if (!strcmp(k, "url"))
		take_str(r, &p->url);
}

struct people {
	struct person **p;
	size_t *n;
};

static void person_item(struct jr *r, void *ctx)
{
	struct people *pp = ctx;
	struct person one = {0};
	if (jr_object(r, person_field, &one) < 0) {
		person_clear(&one);
		return;
	}
	*pp->p = xrealloc(*pp->p, (*pp->n + 1) * sizeof **pp->p);
	(*pp->p)[(*pp->n)++] = one;
}

void arc_unjson_people(const char *json, struct person **p, size_t *n)
{
	struct people pp = {p, n};
	jr_array(json, person_item, &pp);
}

static void enc_field(struct jr *r, const char *k, void *ctx)
{
	struct enclosure *e = ctx;
	if (!strcmp(k, "url"))
		take_str(r, &e->url);
	else if (!strcmp(k, "type"))
		take_str(r, &e->type);
	else if (!strcmp(k, "length"))
		jr_int(r, &e->length);
}

struct encs {
	struct enclosure **v;
	size_t *n;
};

static void enc_item(struct jr *r, void *ctx)
{
	struct encs *ee = ctx;
	struct enclosure one = {NULL, NULL, -1};
	if (jr_object(r, enc_field, &one) < 0 || !one.url) {
		free(one.url);
		free(one.type);
		return;
	}
	*ee->v = xrealloc(*ee->v, (*ee->n + 1) * sizeof **ee->v);
	(*ee->v)[(*ee->n)++] = one;
}

void arc_unjson_enclosures(const char *json, struct enclosure **v,
                           size_t *n)
{
	struct encs ee = {v, n};
	jr_array(json, enc_item, &ee);
}

static void source_field(struct jr *r, const char *k, void *ctx)
{
	struct source *s = ctx;
	if (!strcmp(k, "id"))
		take_str(r, &s->id);
	else if (!strcmp(k, "title"))
		take_str(r, &s->title);
	else if (!strcmp(k, "url"))
		take_str(r, &s->url);
	else if (!strcmp(k, "link"))
		take_str(r, &s->link);
	else if (!strcmp(k, "updated_raw"))
		take_str(r, &s->updated.raw);
	else if (!strcmp(k, "updated") && jr_int(r, &s->updated.t) == 0)
		s->updated.ok = 1;
}

void arc_unjson_source(const char *json, struct source *s)
{
	if (!json)
		return;
	struct jr r = {json};
	jr_object(&r, source_field, s);
}

/* ---- rows ------------------------------------------------------------ */

static void sources_free(struct arc_source *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].feed_title);
		free(s[i].feed_url);
		free(s[i].feed_site);
		free(s[i].link);
	}
	free(s);
}

void arc_row_clear(struct arc_row *r)
{
	free(r->feed_title);
	free(r->feed_url);
	free(r->feed_site);
	free(r->key);
	free(r->key_kind);
	entry_clear(&r->e);
	free(r->text);
	sources_free(r->sources, r->nsources);
	memset(r, 0, sizeof *r);
}

static void read_date(sqlite3_stmt *st, int col, struct wdate *d)
{
	d->ok = sqlite3_column_type(st, col) != SQLITE_NULL;
	d->t = sqlite3_column_int64(st, col);
	d->raw = arc_col_dup(st, col + 1);
}

/* The entry fields shared by entries and revisions, from col on: guid,
 * link, title, summary, content, content_is_text, comments, language,
 * published, published_raw, updated, updated_raw, authors, categories,
 * enclosures, source. */
static void read_entry_fields(sqlite3_stmt *st, int c, struct entry *e)
{
	e->id = arc_col_dup(st, c);
	e->link = arc_col_dup(st, c + 1);
	e->title = arc_col_dup(st, c + 2);
	e->summary = arc_col_dup(st, c + 3);
	e->content = arc_col_dup(st, c + 4);
	e->content_is_text = sqlite3_column_int(st, c + 5);
	e->comments = arc_col_dup(st, c + 6);
	e->language = arc_col_dup(st, c + 7);
	read_date(st, c + 8, &e->published);
	read_date(st, c + 10, &e->updated);
	arc_unjson_people((const char *)sqlite3_column_text(st, c + 12),
	                  &e->authors, &e->nauthors);
	arc_unjson_strings((const char *)sqlite3_column_text(st, c + 13),
	                   &e->tags, &e->ntags);
	arc_unjson_enclosures((const char *)sqlite3_column_text(st, c + 14),
	                      &e->enclosures, &e->nenclosures);
	arc_unjson_source((const char *)sqlite3_column_text(st, c + 15),
	                  &e->source);
}

void arc_row_read(sqlite3_stmt *st, int c, struct arc_row *r)
{
	arc_row_clear(r);
	r->id = sqlite3_column_int64(st, c);
	r->feed_id = sqlite3_column_int64(st, c + 1);
	r->story_id = sqlite3_column_int64(st, c + 2);
	r->feed_title = arc_col_dup(st, c + 3);
	r->feed_url = arc_col_dup(st, c + 4);
	r->feed_site = arc_col_dup(st, c + 5);
	r->key = arc_col_dup(st, c + 6);
	r->key_kind = arc_col_dup(st, c + 7);
	read_entry_fields(st, c + 8, &r->e);
	r->text = arc_col_dup(st, c + 24);
	r->date = sqlite3_column_int64(st, c + 25);
	r->dated_first_seen = sqlite3_column_int(st, c + 26);
	r->first_seen = sqlite3_column_int64(st, c + 27);
	r->changed = sqlite3_column_int64(st, c + 28);
	r->revisions = sqlite3_column_int(st, c + 29);
	r->story_size = sqlite3_column_int64(st, c + 30);
}

int arc_row_sources(struct archive *a, struct arc_row *r)
{
	static const char sql_story[] =
		"SELECT e.id, e.feed_id, coalesce(f.title, f.feed_title, f.url), "
		"f.url, e.link, f.site_url FROM entries e JOIN feeds f ON "
		"f.id = e.feed_id WHERE e.story_id = ? ORDER BY e.id";
	static const char sql_one[] =
		"SELECT e.id, e.feed_id, coalesce(f.title, f.feed_title, f.url), "
		"f.url, e.link, f.site_url FROM entries e JOIN feeds f ON "
		"f.id = e.feed_id WHERE e.id = ?";
	sources_free(r->sources, r->nsources);
	r->sources = NULL;
	r->nsources = 0;
	if (r->story_size == 1) {
		/* most stories have one source, this entry: no query */
		r->sources = xcalloc(1, sizeof *r->sources);
		r->nsources = 1;
		r->sources[0].entry_id = r->id;
		r->sources[0].feed_id = r->feed_id;
		r->sources[0].feed_title = xstrdup(r->feed_title);
		r->sources[0].feed_url = xstrdup(r->feed_url);
		r->sources[0].feed_site = xstrdup(r->feed_site);
		r->sources[0].link = xstrdup(r->e.link);
		return 0;
	}
	sqlite3_stmt *st = arc_prep(a, r->story_id ? sql_story : sql_one);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->story_id ? r->story_id : r->id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->sources = xrealloc(r->sources,
		                      (r->nsources + 1) * sizeof *r->sources);
		struct arc_source *s = &r->sources[r->nsources++];
		s->entry_id = sqlite3_column_int64(st, 0);
		s->feed_id = sqlite3_column_int64(st, 1);
		s->feed_title = arc_col_dup(st, 2);
		s->feed_url = arc_col_dup(st, 3);
		s->link = arc_col_dup(st, 4);
		s->feed_site = arc_col_dup(st, 5);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return arc_fail(a, "read the sources of an entry");
	return 0;
}

/* ---- the iterator ---------------------------------------------------- */

struct arc_iter {
	struct archive *a;
	sqlite3_stmt *st;
	struct arc_row row;
	int done;
};

/* The filter as SQL over the alias E (feeds joined as F); only fixed text,
 * the values are bound by name. */
static void filter_sql(struct buf *b, const struct arc_filter *f,
                       const char *E, const char *F)
{
	if (f->feed_id)
		buf_printf(b, " AND %s.feed_id = :feed", E);
	if (f->tag)
		buf_printf(b, " AND %s.feed_id IN (SELECT feed_id FROM "
		           "feed_tags WHERE tag = :tag)", E);
	if (f->since)
		buf_printf(b, " AND %s.date >= :since", E);
	if (f->until)
		buf_printf(b, " AND %s.date <= :until", E);
	if (!f->include_removed)
		buf_printf(b, " AND %s.removed IS NULL", F);
}

static void bind_named(sqlite3_stmt *st, const char *name, int64_t v,
                       const char *s)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (!i)
		return;
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_int64(st, i, v);
}

/* The stories with more than one entry, found in one pass over the
 * entries_story index when the statement starts (a list SQLite builds
 * once). Most stories have one entry: for those the per-row look-ups of
 * the story (its size, an earlier entry of it) are answered by this list
 * instead of two searches of the index per row, which in date order
 * land on a different index page each time, one the table's overflow
 * pages have pushed out of the page cache (a third of the CPU of reading
 * 100,000 rows). The pass costs ~0.3 us per archived entry: it is worth
 * it unless a limit asks for a few of them (rows_few). */
#define MULTI_STORIES "(SELECT story_id FROM entries WHERE story_id IS NOT " \
	"NULL GROUP BY story_id HAVING count(*) > 1)"

/* ARC_ROW_COLUMNS as the iterator selects them: with no_text NULL for
 * the text (the end of the row's overflow chain), and the story's size
 * asked only of stories in MULTI_STORIES when multi. */
static void iter_columns(struct buf *b, const struct arc_filter *f,
                         int multi)
{
	buf_puts(b, ARC_ROW_HEAD);
	buf_puts(b, f->no_text ? "NULL, " : "e.text, ");
	buf_puts(b, ARC_ROW_TAIL);
	buf_puts(b, multi ? "CASE WHEN e.story_id IS NULL THEN 0 WHEN "
	                    "e.story_id IN " MULTI_STORIES " THEN "
	                    ARC_ROW_STORY_SIZE " ELSE 1 END"
	                  : ARC_ROW_STORY_SIZE);
}

/* A limit under an eighth of the archive's entries (max(id), one look at
 * the table's last page) reads too few rows to pay for MULTI_STORIES. */
static int rows_few(struct archive *a, const struct arc_filter *f)
{
	static const char sql[] = "SELECT max(id) FROM entries";
	if (f->limit <= 0)
		return 0;
	sqlite3_stmt *st = arc_prep(a, sql);
	int64_t n = st && sqlite3_step(st) == SQLITE_ROW
	            ? sqlite3_column_int64(st, 0) : 0;
	if (st)
		sqlite3_reset(st);
	return (int64_t)f->limit < n / 8;
}

struct arc_iter *arc_iter_new(struct archive *a, const struct arc_filter *f)
{
	struct arc_filter none = {0};
	if (!f)
		f = &none;
	int multi = !rows_few(a, f);
	struct buf sql = {0};
	buf_puts(&sql, "SELECT ");
	iter_columns(&sql, f, multi);
	buf_puts(&sql, " FROM " ARC_ROW_FROM " WHERE 1");
	filter_sql(&sql, f, "e", "f");
	if (!f->each_source) {
		/* the story's first entry among those the filter admits */
		buf_puts(&sql, multi ? " AND (e.story_id NOT IN " MULTI_STORIES
		               " OR" : " AND (");
		buf_puts(&sql, " NOT EXISTS (SELECT 1 FROM entries e2 JOIN "
		               "feeds f2 ON f2.id = e2.feed_id WHERE e2.story_id "
		               "= e.story_id AND e2.id < e.id");
		filter_sql(&sql, f, "e2", "f2");
		buf_puts(&sql, "))");
	}
	buf_puts(&sql, " ORDER BY e.date DESC, e.id DESC");
	if (f->limit > 0)
		buf_puts(&sql, " LIMIT :limit");
	struct arc_iter *it = xcalloc(1, sizeof *it);
	it->a = a;
	if (sqlite3_prepare_v2(a->db, sql.p, -1, &it->st, NULL) != SQLITE_OK) {
		arc_fail(a, "read entries");
		buf_free(&sql);
		free(it);
		return NULL;
	}
	buf_free(&sql);
	bind_named(it->st, ":feed", f->feed_id, NULL);
	bind_named(it->st, ":tag", 0, f->tag);
	bind_named(it->st, ":since", f->since, NULL);
	bind_named(it->st, ":until", f->until, NULL);
	bind_named(it->st, ":limit", f->limit, NULL);
	return it;
}

int arc_iter_next(struct arc_iter *it, struct arc_row **row)
{
	if (it->done)
		return 0;
	int rc = sqlite3_step(it->st);
	if (rc == SQLITE_DONE) {
		it->done = 1;
		arc_row_clear(&it->row);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		it->done = 1;
		return arc_fail(it->a, "read entries");
	}
	arc_row_read(it->st, 0, &it->row);
	if (arc_row_sources(it->a, &it->row) < 0)
		return -1;
	*row = &it->row;
	return 1;
}

void arc_iter_free(struct arc_iter *it)
{
	if (!it)
		return;
	sqlite3_finalize(it->st);
	arc_row_clear(&it->row);
	free(it);
}

/* ---- one entry ------------------------------------------------------- */

int archive_entry_get(struct archive *a, int64_t id, struct arc_row *r)
{
	static const char sql[] =
		"SELECT " ARC_ROW_COLUMNS " FROM " ARC_ROW_FROM " WHERE e.id = ?";
	sqlite3_stmt *st = arc_prep(a, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		arc_row_read(st, 0, r);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return arc_fail(a, "read an entry");
	return arc_row_sources(a, r) < 0 ? -1 : 1;
}

int archive_entry_find(struct archive *a, const char *spec,
                       struct arc_row *r)
{
	static const char sql[] =
		"SELECT id FROM entries WHERE key = ?1 OR link = ?2 OR guid = ?2 "
		"ORDER BY date DESC, id DESC LIMIT 1";
	const char *p = spec;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*spec && !*p && p - spec < 19)
		return archive_entry_get(a, strtoll(spec, NULL, 10), r);
	char *key = archive_canon(spec);
	sqlite3_stmt *st = arc_prep(a, sql);
	if (!st) {
		free(key);
		return -1;
	}
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, spec, -1, SQLITE_TRANSIENT);
	free(key);
	int rc = sqlite3_step(st);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return arc_fail(a, "find an entry");
	return id ? archive_entry_get(a, id, r) : 0;
}

static void strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void arc_revision_clear(struct arc_revision *r)
{
	strings_free(r->changed, r->nchanged);
	entry_clear(&r->e);
	memset(r, 0, sizeof *r);
}

int archive_revisions_each(struct archive *a, int64_t entry_id,
                           int (*cb)(void *ctx, const struct arc_revision *r),
                           void *ctx)
{
	static const char sql[] =
		"SELECT id, seen, replaced, changed, guid, link, title, summary, "
		"content, content_is_text, comments, language, published, "
		"published_raw, updated, updated_raw, authors, categories, "
		"enclosures, source FROM revisions WHERE entry_id = ? ORDER BY id";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(a->db, sql, -1, &st, NULL) != SQLITE_OK)
		return arc_fail(a, "read revisions");
	sqlite3_bind_int64(st, 1, entry_id);
	struct arc_revision r = {0};
	int rc, ret = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		arc_revision_clear(&r);
		r.id = sqlite3_column_int64(st, 0);
		r.seen = sqlite3_column_int64(st, 1);
		r.replaced = sqlite3_column_int64(st, 2);
		arc_unjson_strings((const char *)sqlite3_column_text(st, 3),
		                   &r.changed, &r.nchanged);
		read_entry_fields(st, 4, &r.e);
		if (cb(ctx, &r))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = arc_fail(a, "read revisions");
	arc_revision_clear(&r);
	sqlite3_finalize(st);
	return ret;
}

/* ---- the fetch log --------------------------------------------------- */

void arc_log_clear(struct arc_log *l)
{
	free(l->url);
	free(l->error);
	strings_free(l->warnings, l->nwarnings);
	memset(l, 0, sizeof *l);
}

int archive_log_each(struct archive *a, int64_t feed_id, long limit,
                     int (*cb)(void *ctx, const struct arc_log *l),
                     void *ctx)
{
	static const char sql_all[] =
		"SELECT id, feed_id, time, url, status, bytes, duration_ms, new, "
		"updated, unchanged, error, warnings FROM fetch_log "
		"ORDER BY id DESC LIMIT ?";
	static const char sql_feed[] =
		"SELECT id, feed_id, time, url, status, bytes, duration_ms, new, "
		"updated, unchanged, error, warnings FROM fetch_log "
		"WHERE feed_id = ?2 ORDER BY id DESC LIMIT ?1";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(a->db, feed_id ? sql_feed : sql_all, -1, &st,
	                       NULL) != SQLITE_OK)
		return arc_fail(a, "read the fetch log");
	sqlite3_bind_int64(st, 1, limit > 0 ? limit : -1);
	if (feed_id)
		sqlite3_bind_int64(st, 2, feed_id);
	struct arc_log l = {0};
	int rc, ret = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		arc_log_clear(&l);
		l.id = sqlite3_column_int64(st, 0);
		l.feed_id = sqlite3_column_int64(st, 1);
		l.time = sqlite3_column_int64(st, 2);
		l.url = arc_col_dup(st, 3);
		l.status = sqlite3_column_int(st, 4);
		l.bytes = sqlite3_column_int64(st, 5);
		l.duration_ms = sqlite3_column_int64(st, 6);
		l.fresh = sqlite3_column_int(st, 7);
		l.updated = sqlite3_column_int(st, 8);
		l.unchanged = sqlite3_column_int(st, 9);
		l.error = arc_col_dup(st, 10);
		arc_unjson_strings((const char *)sqlite3_column_text(st, 11),
		                   &l.warnings, &l.nwarnings);
		if (cb(ctx, &l))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = arc_fail(a, "read the fetch log");
	arc_log_clear(&l);
	sqlite3_finalize(st);
	return ret;
}
