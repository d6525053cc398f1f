/* ingest.c — one parsed document into the archive: identity, versions
 * and revisions, plain text, stories, duplicate ids. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_int.h"
#include "digest.h"
#include "html.h"
#include "json.h"
#include "search.h"

/* ---- keys and fingerprints --------------------------------------------- */

static void hash_field(struct sha256 *s, const char *v)
{
	unsigned char len[4];
	size_t n = v ? strlen(v) : 0;
	uint32_t L = v ? (uint32_t)n : 0xffffffffu;
	len[0] = (unsigned char)(L >> 24);
	len[1] = (unsigned char)(L >> 16);
	len[2] = (unsigned char)(L >> 8);
	len[3] = (unsigned char)L;
	sha256_update(s, len, 4);
	if (n)
		sha256_update(s, v, n);
}

static void hash_int(struct sha256 *s, int64_t v)
{
	char num[24];
	snprintf(num, sizeof num, "%lld", (long long)v);
	hash_field(s, num);
}

static const char *entry_body(const struct entry *e)
{
	return !str_empty(e->content) ? e->content : e->summary;
}

static const char *entry_date_raw(const struct entry *e)
{
	return e->published.raw ? e->published.raw : e->updated.raw;
}

char *archive_entry_key(const struct entry *e, const char **kind)
{
	if (!str_empty(e->id)) {
		char *k = archive_canon(e->id);
		if (*k) {
			*kind = "id";
			return k;
		}
		free(k);
	}
	if (!str_empty(e->link)) {
		char *k = archive_canon(e->link);
		if (*k) {
			*kind = "link";
			return k;
		}
		free(k);
	}
	struct sha256 s;
	unsigned char d[32];
	char hex[65];
	sha256_init(&s);
	hash_field(&s, e->title);
	hash_field(&s, entry_date_raw(e));
	hash_field(&s, entry_body(e));
	sha256_final(&s, d);
	*kind = "hash";
	return xasprintf("hash:%s", digest_hex(d, 16, hex));
}

/* Everything struct entry holds: any change to it is a new version. */
static void version_hash(const struct entry *e, unsigned char out[32])
{
	struct sha256 s;
	sha256_init(&s);
	hash_field(&s, e->id);
	hash_field(&s, e->link);
	hash_field(&s, e->title);
	hash_field(&s, e->summary);
	hash_field(&s, e->content);
	hash_int(&s, e->content_is_text ? 1 : 0);
	hash_field(&s, e->comments);
	hash_field(&s, e->language);
	hash_field(&s, e->published.raw);
	hash_field(&s, e->updated.raw);
	hash_int(&s, (int64_t)e->nauthors);
	for (size_t i = 0; i < e->nauthors; i++) {
		hash_field(&s, e->authors[i].name);
		hash_field(&s, e->authors[i].email);
		hash_field(&s, e->authors[i].url);
	}
	hash_int(&s, (int64_t)e->ntags);
	for (size_t i = 0; i < e->ntags; i++)
		hash_field(&s, e->tags[i]);
	hash_int(&s, (int64_t)e->nenclosures);
	for (size_t i = 0; i < e->nenclosures; i++) {
		hash_field(&s, e->enclosures[i].url);
		hash_field(&s, e->enclosures[i].type);
		hash_int(&s, e->enclosures[i].length);
	}
	hash_field(&s, e->source.id);
	hash_field(&s, e->source.title);
	hash_field(&s, e->source.url);
	hash_field(&s, e->source.link);
	hash_field(&s, e->source.updated.raw);
	sha256_final(&s, out);
}

/* ---- plain text ---------------------------------------------------------- */

/* The footer WordPress (Yoast SEO and others) appends to every item of a
 * feed: "The post TITLE appeared first on SITE." and its Indonesian
 * translations. It is the same on every story of a site, so it is left
 * out of the text that is hashed and indexed. Only the last line is
 * looked at, and only its last FOOTER_TAIL bytes: the cost is the same
 * for a long post as for a short one. */
#define FOOTER_TAIL 768
#define FOOTER_TITLE 320
static const char *const footer_starts[] = {
	"the post ", "artikel ", "postingan ", "pos ", NULL,
};
static const char *const footer_marks[] = {
	" appeared first on ", " first appeared on ",
	" pertama kali tampil di ", " pertama kali tampil pada ",
	" muncul pertama kali di ", " muncul pertama kali pada ",
	" pertama kali muncul di ", " pertama kali muncul pada ",
	" tampil pertama kali di ", " pertama kali terbit di ",
	" pertama kali diterbitkan di ", NULL,
};

static int strip_footer(char *t)
{
	size_t len = strlen(t), off = len > FOOTER_TAIL ? len - FOOTER_TAIL : 0;
	char low[FOOTER_TAIL + 1];
	size_t n = len - off;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[off + i];
		low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	low[n] = '\0';
	/* the last mark, on the last line */
	const char *mark = NULL;
	for (int k = 0; footer_marks[k]; k++) {
		const char *m = low, *hit;
		while ((hit = strstr(m, footer_marks[k]))) {
			if (!mark || hit > mark)
				mark = hit;
			m = hit + 1;
		}
	}
	if (!mark || strchr(mark, '\n'))
		return 0;
	const char *line = mark;
	while (line > low && line[-1] != '\n')
		line--;
	/* the earliest start of the footer in reach of the mark */
	const char *cut = NULL;
	for (int k = 0; footer_starts[k]; k++) {
		size_t sl = strlen(footer_starts[k]);
		for (const char *p = line; p + sl <= mark + 1;
		     p++) {
			if ((size_t)(mark - p) > FOOTER_TITLE)
				continue;
			if (p > low ? (p[-1] != ' ' && p[-1] != '\n')
			            : off != 0)
				continue;
			if (strncmp(p, footer_starts[k], sl) == 0) {
				if (!cut || p < cut)
					cut = p;
				break;
			}
		}
	}
	if (!cut)
		return 0;
	char *c = t + off + (size_t)(cut - low);
	while (c > t && (c[-1] == ' ' || c[-1] == '\n' || c[-1] == '\t'))
		c--;
	*c = '\0';
	return 1;
}

static char *plain_text(const struct entry *e)
{
	char *t;
	if (!str_empty(e->content))
		t = e->content_is_text ? xstrdup(e->content)
		                       : html_to_text(e->content,
		                                      strlen(e->content));
	else if (!str_empty(e->summary))
		t = html_to_text(e->summary, strlen(e->summary));
	else
		return NULL;
	while (strip_footer(t))
		;
	str_trim(t);
	if (!*t) {
		free(t);
		return NULL;
	}
	return t;
}

/* ---- stories ------------------------------------------------------------- */

static char *link_story_key(const char *link)
{
	if (str_empty(link))
		return NULL;
	char *c = archive_canon(link);
	/* A home page is not a story: feeds whose items all link to the
	 * site root must not become one story. */
	if (strncmp(c, "//", 2) != 0 || !strpbrk(c + 2, "/?#")) {
		free(c);
		return NULL;
	}
	char *k = xasprintf("l:%s", c);
	free(c);
	return k;
}

/* Blanks folded to one space, ASCII case folded, hashed as it goes: the
 * text is read once and nothing is copied. */
static char *text_story_key(const char *text)
{
	if (!text)
		return NULL;
	struct sha256 s;
	unsigned char chunk[256];
	size_t used = 0, total = 0;
	int space = 0;
	sha256_init(&s);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		unsigned c = *p;
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r' ||
		    c == '\f' || c == '\v') {
			space = 1;
			continue;
		}
		if (used + 2 > sizeof chunk) {
			sha256_update(&s, chunk, used);
			used = 0;
		}
		if (space && total) {
			chunk[used++] = ' ';
			total++;
		}
		space = 0;
		chunk[used++] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		total++;
	}
	if (total < ARC_STORY_MIN_TEXT)
		return NULL;
	sha256_update(&s, chunk, used);
	unsigned char d[32];
	char hex[65];
	sha256_final(&s, d);
	return xasprintf("t:%s", digest_hex(d, 16, hex));
}

int64_t arc_story_key_id(const char *key)
{
	unsigned char d[32];
	sha256(key, strlen(key), d);
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | d[i];
	return v ? (int64_t)v : 1;   /* 0 is "no key" */
}

/* A key made by link_story_key or text_story_key (freed), as its id;
 * 0 for none. */
static int64_t key_id(char *key)
{
	if (!key)
		return 0;
	int64_t id = arc_story_key_id(key);
	free(key);
	return id;
}

static int story_lookup(struct archive *a, int64_t key, int64_t feed_id,
                        int64_t *story)
{
	static const char sql_key[] =
		"SELECT story_id FROM story_keys WHERE key = ?";
	static const char sql_in_feed[] =
		"SELECT 1 FROM entries WHERE story_id = ? AND feed_id = ? LIMIT 1";
	sqlite3_stmt *st = arc_prep(a, sql_key);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, key);
	int rc = sqlite3_step(st);
	int64_t s = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return arc_fail(a, "find a story");
	if (!s)
		return 0;
	/* Two entries of one feed are two stories, whatever they share:
	 * distinct ids in one feed are the feed's own word. */
	st = arc_prep(a, sql_in_feed);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, s);
	sqlite3_bind_int64(st, 2, feed_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return arc_fail(a, "find a story");
	*story = s;
	return 1;
}

static int story_key_add(struct archive *a, int64_t key, int64_t story)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO story_keys(key, story_id) VALUES (?, ?)";
	sqlite3_stmt *st = arc_prep(a, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_int64(st, 2, story);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : arc_fail(a, "record a story");
}

/* arc_story_for with the keys made already (link, text; either 0). */
static int story_for_keys(struct archive *a, int64_t feed_id,
                          const int64_t keys[2], int64_t now, int64_t *story)
{
	static const char sql_new[] =
		"INSERT INTO stories(first_seen) VALUES (?)";
	*story = 0;
	for (int i = 0; i < 2 && !*story; i++) {
		if (keys[i] && story_lookup(a, keys[i], feed_id, story) < 0)
			return -1;
	}
	if (!*story) {
		sqlite3_stmt *st = arc_prep(a, sql_new);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, now);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return arc_fail(a, "record a story");
		*story = sqlite3_last_insert_rowid(a->db);
	}
	for (int i = 0; i < 2; i++)
		if (keys[i] && story_key_add(a, keys[i], *story) < 0)
			return -1;
	return 0;
}

int arc_story_for(struct archive *a, int64_t feed_id, const char *link,
                  const char *text, int64_t now, int64_t *story)
{
	int64_t keys[2] = {key_id(link_story_key(link)),
	                   key_id(text_story_key(text))};
	return story_for_keys(a, feed_id, keys, now, story);
}

int arc_backfill_stories(struct archive *a)
{
	/* In batches read before they are written: an UPDATE of rows a
	 * pending SELECT on the same table still has to visit is undefined
	 * in SQLite. */
	static const char sql_batch[] =
		"SELECT id, feed_id, link, text, first_seen FROM entries "
		"WHERE story_id IS NULL AND id > ? ORDER BY id LIMIT 256";
	static const char sql_set[] =
		"UPDATE entries SET story_id = ? WHERE id = ?";
	struct row {
		int64_t id, feed_id, first_seen;
		char *link, *text;
	} rows[256];
	int64_t last = 0;
	for (;;) {
		int n = 0, rc;
		sqlite3_stmt *st = arc_prep(a, sql_batch);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, last);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 256) {
			rows[n].id = sqlite3_column_int64(st, 0);
			rows[n].feed_id = sqlite3_column_int64(st, 1);
			rows[n].link = arc_col_dup(st, 2);
			rows[n].text = arc_col_dup(st, 3);
			rows[n].first_seen = sqlite3_column_int64(st, 4);
			n++;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			return arc_fail(a, "assign stories");
		int bad = 0;
		for (int i = 0; i < n; i++) {
			int64_t story;
			if (!bad && arc_story_for(a, rows[i].feed_id,
			                          rows[i].link, rows[i].text,
			                          rows[i].first_seen, &story) < 0)
				bad = 1;
			if (!bad) {
				st = arc_prep(a, sql_set);
				if (!st) {
					bad = 1;
				} else {
					sqlite3_bind_int64(st, 1, story);
					sqlite3_bind_int64(st, 2, rows[i].id);
					if (sqlite3_step(st) != SQLITE_DONE)
						bad = arc_fail(a, "assign stories");
					sqlite3_reset(st);
				}
			}
			last = rows[i].id;
			free(rows[i].link);
			free(rows[i].text);
		}
		if (bad)
			return -1;
		if (n < 256)
			return 0;
	}
}

/* ---- keys seen in this document ------------------------------------------ */

/* 64-bit fingerprints of the keys (and of the version under each): memory
 * is 16 bytes an entry whatever the ids look like. */
struct seen {
	uint64_t *k, *v;
	size_t n, cap;
};

static uint64_t fnv64(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

static uint64_t first64(const unsigned char d[32])
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | d[i];
	return v;
}

static uint64_t *seen_find(struct seen *s, uint64_t k)
{
	if (!s->cap)
		return NULL;
	size_t m = s->cap - 1;
	for (size_t i = (size_t)k & m;; i = (i + 1) & m) {
		if (s->k[i] == k)
			return &s->v[i];
		if (!s->k[i])
			return NULL;
	}
}

static void seen_put(struct seen *s, uint64_t k, uint64_t v)
{
	if ((s->n + 1) * 2 > s->cap) {
		struct seen old = *s;
		s->cap = old.cap ? old.cap * 2 : 64;
		s->k = xcalloc(s->cap, sizeof *s->k);
		s->v = xcalloc(s->cap, sizeof *s->v);
		s->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.k[i])
				seen_put(s, old.k[i], old.v[i]);
		free(old.k);
		free(old.v);
	}
	size_t m = s->cap - 1;
	size_t i = (size_t)k & m;
	while (s->k[i] && s->k[i] != k)
		i = (i + 1) & m;
	if (!s->k[i])
		s->n++;
	s->k[i] = k;
	s->v[i] = v;
}

/* ---- the ingest session -------------------------------------------------- */

#define MAX_WARNINGS 20

struct arc_ingest {
	struct archive *a;
	int64_t feed_id, now;
	struct arc_counts c;
	int discarded;
	struct seen seen;
	char *warn[MAX_WARNINGS];
	int nwarn, more_warn;
};

struct arc_ingest *archive_ingest_begin(struct archive *a, int64_t feed_id,
                                        int64_t now)
{
	if (arc_begin(a) < 0)
		return NULL;
	/* The entries in a savepoint of their own, so a document that turns
	 * out not to be a feed takes them back and the fetch is still
	 * logged in the same transaction. */
	if (arc_begin(a) < 0) {
		arc_rollback(a);
		return NULL;
	}
	struct arc_ingest *in = xcalloc(1, sizeof *in);
	in->a = a;
	in->feed_id = feed_id;
	in->now = now;
	return in;
}

const struct arc_counts *archive_ingest_counts(const struct arc_ingest *in)
{
	return &in->c;
}

static void add_warning(struct arc_ingest *in, char *msg)
{
	if (in->nwarn < MAX_WARNINGS)
		in->warn[in->nwarn++] = msg;
	else {
		in->more_warn++;
		free(msg);
	}
}

/* The stored form of what an entry holds, in column order. */
struct fields {
	char *authors, *categories, *enclosures, *source;
};

static void fields_make(const struct entry *e, struct fields *f)
{
	f->authors = arc_json_people(e->authors, e->nauthors);
	f->categories = arc_json_strings(e->tags, e->ntags);
	f->enclosures = arc_json_enclosures(e->enclosures, e->nenclosures);
	f->source = arc_json_source(&e->source);
}

static void fields_free(struct fields *f)
{
	free(f->authors);
	free(f->categories);
	free(f->enclosures);
	free(f->source);
}

/* What archiving an entry works out from the entry alone (archive.h):
 * its key and version hash first, the rest only when it is written. */
struct arc_prep {
	char *key;
	const char *kind;
	unsigned char vh[32];
	int made;             /* the fields below are made */
	char *text;
	struct fields f;
	int64_t story_keys[2];  /* link, text (arc_story_key_id), or 0 */
	/* the index's tokens of title and text, when made ahead; the
	 * archive takes them once the entry is written */
	struct tokenizer_tape tape[2];
};

static void prep_key(const struct entry *e, struct arc_prep *p)
{
	p->key = archive_entry_key(e, &p->kind);
	version_hash(e, p->vh);
}

static void prep_rest(const struct entry *e, struct arc_prep *p)
{
	if (p->made)
		return;
	p->made = 1;
	p->text = plain_text(e);
	fields_make(e, &p->f);
	p->story_keys[0] = key_id(link_story_key(e->link));
	p->story_keys[1] = key_id(text_story_key(p->text));
}

static void prep_clear(struct arc_prep *p)
{
	free(p->key);
	free(p->text);
	fields_free(&p->f);
	tokenizer_tape_free(&p->tape[0]);
	tokenizer_tape_free(&p->tape[1]);
	memset(p, 0, sizeof *p);
}

/* The columns the index takes as they will be stored (an empty string
 * is stored as NULL, which the index skips). All or none: a replay
 * matches a column by its length, so a title left untaped could take
 * the text's tape. */
static void prep_tapes(struct arc_prep *p, const char *title,
                       struct tokenizer_pre *tp)
{
	const char *col[2] = {title, p->text};
	for (int k = 0; k < 2; k++) {
		size_t n = col[k] ? strlen(col[k]) : 0;
		if (n == 0)
			continue;
		if (n > INT32_MAX ||
		    tokenizer_pre_run(tp, col[k], (int)n, &p->tape[k]) < 0) {
			tokenizer_tape_free(&p->tape[0]);   /* tokenized later */
			tokenizer_tape_free(&p->tape[1]);
			return;
		}
	}
}

struct arc_prep *archive_entry_prepare(const struct entry *e,
                                       struct tokenizer_pre *tp)
{
	struct arc_prep *p = xcalloc(1, sizeof *p);
	prep_key(e, p);
	prep_rest(e, p);
	if (tp)
		prep_tapes(p, e->title, tp);
	return p;
}

void archive_prep_free(struct arc_prep *p)
{
	if (!p)
		return;
	prep_clear(p);
	free(p);
}

#define NFIELDS 16
/* guid, link, title, summary, content, content_is_text, comments,
 * language, published, published_raw, updated, updated_raw, authors,
 * categories, enclosures, source — from column i on. */
static void bind_fields(sqlite3_stmt *st, int i, const struct entry *e,
                        const struct fields *f)
{
	arc_bind_text(st, i++, e->id);
	arc_bind_text(st, i++, e->link);
	arc_bind_text(st, i++, e->title);
	arc_bind_text(st, i++, e->summary);
	arc_bind_text(st, i++, e->content);
	sqlite3_bind_int(st, i++, e->content_is_text ? 1 : 0);
	arc_bind_text(st, i++, e->comments);
	arc_bind_text(st, i++, e->language);
	if (e->published.ok)
		sqlite3_bind_int64(st, i, e->published.t);
	i++;
	arc_bind_text(st, i++, e->published.raw);
	if (e->updated.ok)
		sqlite3_bind_int64(st, i, e->updated.t);
	i++;
	arc_bind_text(st, i++, e->updated.raw);
	arc_bind_text(st, i++, f->authors);
	arc_bind_text(st, i++, f->categories);
	arc_bind_text(st, i++, f->enclosures);
	arc_bind_text(st, i++, f->source);
}

static void entry_date(const struct entry *e, int64_t first_seen,
                       int64_t *date, int *by_first_seen)
{
	*by_first_seen = 0;
	if (e->published.ok)
		*date = e->published.t;
	else if (e->updated.ok)
		*date = e->updated.t;
	else {
		*date = first_seen;
		*by_first_seen = 1;
	}
}

static int insert_entry(struct arc_ingest *in, const struct entry *e,
                        struct arc_prep *p)
{
	static const char sql[] =
		"INSERT INTO entries(feed_id, key, key_kind, vhash, guid, link, "
		"title, summary, content, content_is_text, comments, language, "
		"published, published_raw, updated, updated_raw, authors, "
		"categories, enclosures, source, date, dated_first_seen, text, "
		"first_seen, changed, story_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct archive *a = in->a;
	int64_t date, story;
	int by_first_seen;
	entry_date(e, in->now, &date, &by_first_seen);
	prep_rest(e, p);
	if (story_for_keys(a, in->feed_id, p->story_keys, in->now, &story) < 0)
		return -1;
	sqlite3_stmt *st = arc_prep(a, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, in->feed_id);
	sqlite3_bind_text(st, 2, p->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->kind, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, p->vh, 32, SQLITE_STATIC);
	bind_fields(st, 5, e, &p->f);
	sqlite3_bind_int64(st, 5 + NFIELDS, date);
	sqlite3_bind_int(st, 6 + NFIELDS, by_first_seen);
	arc_bind_text(st, 7 + NFIELDS, p->text);
	sqlite3_bind_int64(st, 8 + NFIELDS, in->now);
	sqlite3_bind_int64(st, 9 + NFIELDS, in->now);
	sqlite3_bind_int64(st, 10 + NFIELDS, story);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return arc_fail(a, "archive an entry");
	/* indexed when ingest's transaction ends (an archive opened at an
	 * older schema, in tests, has no index or indexes by its trigger) */
	if (a->schema >= 5) {
		int64_t id = sqlite3_last_insert_rowid(a->db);
		if (!a->unindexed)
			a->unindexed = id;
		arc_pretok_keep(a, id, p->tape);
	}
	in->c.fresh++;
	return 0;
}

static int differs(sqlite3_stmt *st, int col, const char *now)
{
	const char *old = (const char *)sqlite3_column_text(st, col);
	if (str_empty(now))
		return old != NULL;
	return !old || strcmp(old, now) != 0;
}

static int same_url(sqlite3_stmt *st, int col, const char *now)
{
	const char *old = (const char *)sqlite3_column_text(st, col);
	if (!old || !now)
		return 0;
	char *a = archive_canon(old), *b = archive_canon(now);
	int same = strcmp(a, b) == 0;
	free(a);
	free(b);
	return same;
}

static int update_entry(struct arc_ingest *in, const struct entry *e,
                        int64_t id, struct arc_prep *p)
{
	static const char sql_old[] =
		"SELECT guid, link, title, summary, content, content_is_text, "
		"comments, language, published_raw, updated_raw, authors, "
		"categories, enclosures, source, first_seen, story_id "
		"FROM entries WHERE id = ?";
	static const char sql_rev[] =
		"INSERT INTO revisions(entry_id, seen, replaced, changed, guid, "
		"link, title, summary, content, content_is_text, comments, "
		"language, published, published_raw, updated, updated_raw, "
		"authors, categories, enclosures, source) SELECT id, changed, "
		"?2, ?3, guid, link, title, summary, content, content_is_text, "
		"comments, language, published, published_raw, updated, "
		"updated_raw, authors, categories, enclosures, source "
		"FROM entries WHERE id = ?1";
	static const char sql_upd[] =
		"UPDATE entries SET vhash = ?2, guid = ?3, link = ?4, title = ?5, "
		"summary = ?6, content = ?7, content_is_text = ?8, comments = ?9, "
		"language = ?10, published = ?11, published_raw = ?12, "
		"updated = ?13, updated_raw = ?14, authors = ?15, "
		"categories = ?16, enclosures = ?17, source = ?18, date = ?19, "
		"dated_first_seen = ?20, text = ?21, changed = ?22, "
		"revisions = revisions + 1 WHERE id = ?1";
	static const char sql_vhash[] =
		"UPDATE entries SET vhash = ?2, guid = ?3, link = ?4 WHERE id = ?1";
	static const char *const names[] = {
		"id", "link", "title", "summary", "content", "content_is_text",
		"comments", "language", "published", "updated", "authors",
		"categories", "enclosures", "source",
	};
	struct archive *a = in->a;
	/* one new in this transaction is indexed before its trigger
	 * deletes its old terms from the index */
	if (a->unindexed && id >= a->unindexed && arc_index_pending(a) < 0)
		return -1;
	prep_rest(e, p);
	const struct fields f = p->f;
	sqlite3_stmt *st = arc_prep(a, sql_old);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return arc_fail(a, "read an entry");
	}
	const char *now_vals[] = {
		e->id, e->link, e->title, e->summary, e->content, NULL,
		e->comments, e->language, e->published.raw, e->updated.raw,
		f.authors, f.categories, f.enclosures, f.source,
	};
	struct buf changed = {0};
	struct jw w;
	jw_init_buf(&w, &changed, 0);
	jw_arr(&w);
	int nchanged = 0;
	for (int i = 0; i < 14; i++) {
		int d = i == 5 ? sqlite3_column_int(st, 5) !=
		                 (e->content_is_text ? 1 : 0)
		               : differs(st, i, now_vals[i]);
		/* http → https (and host case, a default port, a trailing
		 * slash) in an id or a link is not an edit: WordPress sites
		 * moving to https would otherwise revise every entry. */
		if (d && i <= 1 && same_url(st, i, now_vals[i]))
			d = 0;
		if (d) {
			jw_str(&w, names[i]);
			nchanged++;
		}
	}
	jw_end(&w);
	int64_t first_seen = sqlite3_column_int64(st, 14);
	int64_t story = sqlite3_column_int64(st, 15);
	sqlite3_reset(st);
	if (!nchanged) {
		/* Not an edit: the same URLs in another form, or the same
		 * content under another warta's fingerprint. The new forms
		 * and fingerprint are kept, no revision. */
		buf_free(&changed);
		st = arc_prep(a, sql_vhash);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_blob(st, 2, p->vh, 32, SQLITE_STATIC);
		arc_bind_text(st, 3, e->id);
		arc_bind_text(st, 4, e->link);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return arc_fail(a, "update an entry");
		in->c.unchanged++;
		return 0;
	}
	st = arc_prep(a, sql_rev);
	if (!st) {
		buf_free(&changed);
		return -1;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, in->now);
	sqlite3_bind_text(st, 3, changed.p, -1, SQLITE_TRANSIENT);
	buf_free(&changed);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return arc_fail(a, "keep a revision");
	int64_t date;
	int by_first_seen;
	entry_date(e, first_seen, &date, &by_first_seen);
	st = arc_prep(a, sql_upd);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(st, 2, p->vh, 32, SQLITE_STATIC);
	bind_fields(st, 3, e, &f);
	sqlite3_bind_int64(st, 3 + NFIELDS, date);
	sqlite3_bind_int(st, 4 + NFIELDS, by_first_seen);
	arc_bind_text(st, 5 + NFIELDS, p->text);
	sqlite3_bind_int64(st, 6 + NFIELDS, in->now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return arc_fail(a, "update an entry");
	/* The story keeps its number; its new link and text find it too. */
	for (int i = 0; i < 2; i++)
		if (p->story_keys[i] && story &&
		    story_key_add(a, p->story_keys[i], story) < 0)
			return -1;
	in->c.updated++;
	return 0;
}

static char *short_title(const struct entry *e)
{
	const char *t = !str_empty(e->title) ? e->title
	                : !str_empty(e->link) ? e->link : "untitled";
	size_t n = strlen(t);
	if (n <= 60)
		return xstrdup(t);
	/* cut on a UTF-8 boundary */
	n = 60;
	while (n && ((unsigned char)t[n] & 0xC0) == 0x80)
		n--;
	return xasprintf("%.*s…", (int)n, t);
}

int archive_ingest_prepared(struct arc_ingest *in, const struct entry *e,
                            struct arc_prep *p)
{
	static const char sql_find[] =
		"SELECT id, vhash FROM entries WHERE feed_id = ? AND key = ?";
	uint64_t v64 = first64(p->vh);
	uint64_t *prev = seen_find(&in->seen, fnv64(p->key));
	if (prev) {
		if (*prev == v64) {
			/* the same entry twice in one document */
			in->c.dups++;
			return 0;
		}
		/* Two different entries under one id: the second one is kept
		 * under its link, else its content hash, and the log says so. */
		const char *why;
		char *alt = NULL;
		const char *alt_kind = NULL;
		if (strcmp(p->kind, "id") == 0 && !str_empty(e->link)) {
			alt = archive_canon(e->link);
			alt_kind = "link";
			if (!*alt || strcmp(alt, p->key) == 0 ||
			    seen_find(&in->seen, fnv64(alt))) {
				free(alt);
				alt = NULL;
			}
		}
		if (!alt) {
			struct entry tmp = *e;
			tmp.id = NULL;
			tmp.link = NULL;
			alt = archive_entry_key(&tmp, &alt_kind);
		}
		why = strcmp(alt_kind, "link") == 0 ? "its link"
		                                    : "a hash of its content";
		char *t = short_title(e);
		add_warning(in, xasprintf("duplicate id %s in one document: "
		                          "a second entry (\"%s\") is archived "
		                          "under %s", p->key, t, why));
		free(t);
		free(p->key);
		p->key = alt;
		p->kind = alt_kind;
		in->c.dups++;
		prev = seen_find(&in->seen, fnv64(p->key));
		if (prev && *prev == v64)
			return 0;
	}
	seen_put(&in->seen, fnv64(p->key), v64);

	struct archive *a = in->a;
	sqlite3_stmt *st = arc_prep(a, sql_find);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, in->feed_id);
	sqlite3_bind_text(st, 2, p->key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int same = sqlite3_column_bytes(st, 1) == 32 &&
		           memcmp(sqlite3_column_blob(st, 1), p->vh, 32) == 0;
		sqlite3_reset(st);
		if (same) {
			in->c.unchanged++;
			return 0;
		}
		return update_entry(in, e, id, p);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return insert_entry(in, e, p);
	return arc_fail(a, "find an entry");
}

int archive_ingest_entry(struct arc_ingest *in, const struct entry *e)
{
	/* the rest of p only if it is written: most entries of a feed
	 * fetched again are unchanged */
	struct arc_prep p = {0};
	prep_key(e, &p);
	int rc = archive_ingest_prepared(in, e, &p);
	prep_clear(&p);
	return rc;
}

int archive_ingest_feed_name(struct arc_ingest *in, const struct feed *f)
{
	static const char sql[] =
		"UPDATE feeds SET feed_title = ?2 WHERE id = ?1 AND ?2 IS NOT "
		"NULL AND feed_title IS NOT ?2";
	if (!f->title)
		return 0;
	if (arc_index_pending_feed(in->a, in->feed_id) < 0)
		return -1;
	sqlite3_stmt *st = arc_prep(in->a, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, in->feed_id);
	arc_bind_text(st, 2, f->title);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : arc_fail(in->a, "name a feed");
}

int archive_ingest_feed(struct arc_ingest *in, const struct feed *f)
{
	static const char sql[] =
		"UPDATE feeds SET feed_title = ?2, site_url = ?3 WHERE id = ?1 "
		"AND (feed_title IS NOT ?2 OR site_url IS NOT ?3)";
	static const char sql_ttl[] =
		"UPDATE feeds SET ttl = ?2 WHERE id = ?1 AND ttl IS NOT ?2";
	/* (archive.h's arc_feed_name: the feed's title comes first) */
	static const char sql_renames[] =
		"SELECT 1 FROM feeds WHERE id = ?1 AND title IS NULL "
		"AND coalesce(?2, url) IS NOT coalesce(feed_title, url)";
	sqlite3_stmt *st;
	if (in->a->unindexed) {
		/* its new entries, not indexed yet, are about to be
		 * indexed again under the new name */
		if (!(st = arc_prep(in->a, sql_renames)))
			return -1;
		sqlite3_bind_int64(st, 1, in->feed_id);
		arc_bind_text(st, 2, f->title);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_ROW) {
			if (arc_index_pending(in->a) < 0)
				return -1;
		} else if (rc != SQLITE_DONE) {
			return arc_fail(in->a, "update a feed");
		}
	}
	st = arc_prep(in->a, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, in->feed_id);
	arc_bind_text(st, 2, f->title);
	arc_bind_text(st, 3, f->link);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return arc_fail(in->a, "update a feed");
	if (f->ttl > 0) {
		st = arc_prep(in->a, sql_ttl);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, in->feed_id);
		sqlite3_bind_int64(st, 2, f->ttl);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return arc_fail(in->a, "update a feed");
	}
	return 0;
}

void archive_ingest_discard(struct arc_ingest *in)
{
	if (in->discarded)
		return;
	arc_rollback(in->a);       /* the entries' savepoint */
	in->discarded = 1;
	memset(&in->c, 0, sizeof in->c);
}

static void ingest_free(struct arc_ingest *in)
{
	for (int i = 0; i < in->nwarn; i++)
		free(in->warn[i]);
	free(in->seen.k);
	free(in->seen.v);
	free(in);
}

int archive_ingest_end(struct arc_ingest *in, const struct arc_fetch *fx,
                       struct arc_counts *counts)
{
	struct archive *a = in->a;
	if (!in->discarded && arc_commit(a) < 0) {   /* release savepoint */
		archive_ingest_abort(in);
		return -1;
	}
	in->discarded = 1;
	char *extra = NULL;
	char *list[MAX_WARNINGS + 2];
	size_t n = 0;
	if (!str_empty(fx->warning))
		list[n++] = (char *)fx->warning;
	for (int i = 0; i < in->nwarn; i++)
		list[n++] = in->warn[i];
	if (in->more_warn)
		list[n++] = extra = xasprintf("… and %d more duplicate ids",
		                              in->more_warn);
	char *json = n ? arc_json_strings(list, n) : NULL;
	free(extra);
	int rc = arc_write_fetch(a, in->feed_id, fx, &in->c, json);
	free(json);
	if (rc < 0 || arc_commit(a) < 0) {
		arc_rollback(a);
		ingest_free(in);
		return -1;
	}
	if (counts)
		*counts = in->c;
	ingest_free(in);
	return 0;
}

void archive_ingest_abort(struct arc_ingest *in)
{
	if (!in)
		return;
	if (!in->discarded)
		arc_rollback(in->a);
	arc_rollback(in->a);
	ingest_free(in);
}
