/*
 * tokenizer.c — unicode61 + Snowball Indonesian, as one FTS5 tokenizer.
 *
 * unicode61 does the Unicode work (categories, folding, diacritics); this
 * file only re-joins what unicode61 splits but Indonesian text keeps
 * whole, and decides which extra forms to emit. The one-token delay
 * (struct call.pend) is what lets a token be glued to the next.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <sqlite3.h>

#include "tokenizer.h"

/* Words Snowball must leave alone: agency names and acronyms it cuts
 * (diskominfo → skominfo, kemenag → menag), place names of the bundled
 * feeds and of the regions they cover (tarakan → tara, kendari → ndari,
 * kuningan → kuning, kalimantan → kalimant), and a few very common words
 * whose stem is another word (berita → ita, kepala → pala, pemilu → pilu,
 * lebaran → lebar). Sorted, for bsearch. */
static const char *const protected_words[] = {
	"adpim", "apbd", "apbn", "balikpapan", "balitbangda", "banjar",
	"banjarbaru", "banjarmasin", "bappeda", "bappenas", "bawaslu",
	"bekasi", "berita", "bpbd", "bpjs", "bumd", "bumn", "bupati",
	"dinkes", "disdik", "disdukcapil", "dishub", "diskominfo", "dpppa",
	"dpr", "dprd", "dukcapil", "gorontalo", "humas", "indramayu",
	"kalimantan", "kalsel", "kaltara", "karawang", "kemenag", "kemhan",
	"kendari", "kepala", "kominfo", "korpri", "kotabaru", "kulonprogo",
	"kuningan", "lebak", "lebaran", "madiun", "malang", "maluku",
	"mediacenter", "pemilu", "pemkab", "pemkot", "pemprov", "prokopim",
	"ramadan", "samarinda", "setda", "setkab", "tanahbumbu", "tarakan",
};
#define NPROTECTED (sizeof protected_words / sizeof protected_words[0])

/* Longest word worth stemming, and longest token re-joined: anything
 * longer is a URL or garbage and goes through as unicode61 gave it. */
#define MAX_STEM 64
#define MAX_TOKEN 256

/* Stems already worked out, by word: a direct-mapped cache, since news
 * text repeats a small vocabulary and Snowball (with the protected-list
 * lookup before it) is most of a document's tokenizing time. A slot holds
 * one word and its stem; a new word takes the slot of its hash. */
#define STEM_CACHE 4096
struct stem_slot {
	unsigned char wn, sn;        /* lengths; wn 0: empty */
	char w[MAX_STEM], s[MAX_STEM];
};

struct wtok {
	fts5_tokenizer u61;
	Fts5Tokenizer *u61tok;
	struct sb_stemmer *stemmer;
	struct stem_slot *cache;     /* STEM_CACHE slots, or NULL */
	int no_cache;                /* calloc failed: go without */
};

enum mode { M_DOC, M_QUERY, M_SURFACE };

struct call {
	struct wtok *t;
	void *ctx;
	int (*xToken)(void *, int, const char *, int, int, int);
	enum mode mode;
	const char *text;
	int ntext;
	int has_pend;
	char pend[MAX_TOKEN];
	int npend, pstart, pend_end;
};

static int cmp_word(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

int tokenizer_protected(const char *word, size_t n)
{
	char k[MAX_STEM + 1];
	if (n > MAX_STEM)
		return 0;
	memcpy(k, word, n);
	k[n] = 0;
	return bsearch(k, protected_words, NPROTECTED,
	               sizeof protected_words[0], cmp_word) != NULL;
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* A letter for our purposes: ASCII letter or any byte of a non-ASCII
 * character (unicode61 already decided it belongs to a word). */
static int is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* The stem of a folded word without apostrophes, into out. */
static size_t stem_into(struct sb_stemmer *st, const char *w, size_t n,
                        char *out, size_t outsz)
{
	int has_letter = 0, has_digit = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];
		has_digit |= is_digit(c);
		has_letter |= is_letter(c);
	}
	const char *s = w;
	size_t sn = n;
	if (has_letter && !has_digit && n <= MAX_STEM &&
	    !tokenizer_protected(w, n) && st) {
		const sb_symbol *r = sb_stemmer_stem(st, (const sb_symbol *)w,
		                                     (int)n);
		int rn = r ? sb_stemmer_length(st) : 0;
		if (r && rn > 0) {
			s = (const char *)r;
			sn = (size_t)rn;
		}
	}
	if (sn >= outsz)
		sn = outsz - 1;
	memcpy(out, s, sn);
	out[sn] = 0;
	return sn;
}

/* stem_into through the tokenizer's cache: the same answer, once per
 * word. */
static size_t stem_cached(struct wtok *t, const char *w, size_t n,
                          char *out, size_t outsz)
{
	/* Made at the first document, not with the tokenizer: half a
	 * megabyte to clear, and a search makes three tokenizers for its
	 * query (the clearing was a fifth of a quick search's page
	 * faults). Without it, only slower. */
	if (!t->cache && !t->no_cache && !(t->cache = calloc(STEM_CACHE,
	                                                     sizeof *t->cache)))
		t->no_cache = 1;
	if (!t->cache || n == 0 || n > MAX_STEM)
		return stem_into(t->stemmer, w, n, out, outsz);
	uint32_t h = 2166136261u;  /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	struct stem_slot *sl = &t->cache[h & (STEM_CACHE - 1)];
	if (sl->wn != n || memcmp(sl->w, w, n) != 0) {
		char st[MAX_STEM + 1];
		size_t sn = stem_into(t->stemmer, w, n, st, sizeof st);
		sl->wn = (unsigned char)n;
		memcpy(sl->w, w, n);
		sl->sn = (unsigned char)sn;
		memcpy(sl->s, st, sn);
	}
	size_t sn = sl->sn < outsz ? sl->sn : outsz - 1;
	memcpy(out, sl->s, sn);
	out[sn] = 0;
	return sn;
}

size_t tokenizer_stem(const char *word, size_t n, char *out, size_t outsz)
{
	struct sb_stemmer *st = sb_stemmer_new("indonesian", "UTF_8");
	size_t r = stem_into(st, word, n, out, outsz);
	sb_stemmer_delete(st);
	return r;
}

/* ---- emitting ---- */

/* Up to a handful of distinct forms for one query word. */
struct forms {
	char s[8][MAX_STEM + 3];
	int n[8];
	int count;
};

static void forms_add(struct forms *f, int mark, const char *a, size_t an,
                      const char *b, size_t bn)
{
	char tmp[MAX_STEM + 3];
	size_t len = 0;
	if (f->count == 8 || (size_t)mark + an + bn > MAX_STEM + 2)
		return;
	if (mark)
		tmp[len++] = TOKENIZER_STEM_MARK;
	memcpy(tmp + len, a, an);
	len += an;
	memcpy(tmp + len, b, bn);
	len += bn;
	for (int i = 0; i < f->count; i++)
		if ((size_t)f->n[i] == len && memcmp(f->s[i], tmp, len) == 0)
			return;
	memcpy(f->s[f->count], tmp, len);
	f->n[f->count++] = (int)len;
}

static int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }

/* The run of ASCII letters nearest to [a, b) in direction dir (-1, +1):
 * 1 if it has a lower-case letter, 0 if not, -1 if there is none. */
static int neighbour_lower(const char *t, int n, int a, int b, int dir)
{
	int i = dir < 0 ? a - 1 : b;
	while (i >= 0 && i < n && !is_upper((unsigned char)t[i]) &&
	       !is_lower((unsigned char)t[i]))
		i += dir;
	if (i < 0 || i >= n)
		return -1;
	int lower = 0;
	while (i >= 0 && i < n && (is_upper((unsigned char)t[i]) ||
	                           is_lower((unsigned char)t[i]))) {
		lower |= is_lower((unsigned char)t[i]);
		i += dir;
	}
	return lower;
}

/* A word in capitals is an acronym or a name (DPRD, KORPRI) when it
 * stands in ordinary text, or alone; inside a run of capitals (a headline
 * in caps) it is just shouting, and is stemmed like any word. */
static int caps_name(const struct call *c)
{
	const char *t = c->text;
	int a = c->pstart, b = c->pend_end, upper = 0;
	for (int i = a; i < b; i++) {
		unsigned char ch = (unsigned char)t[i];
		if (is_lower(ch))
			return 0;
		upper += is_upper(ch);
	}
	if (upper < 2)
		return 0;
	int before = neighbour_lower(t, c->ntext, a, b, -1);
	int after = neighbour_lower(t, c->ntext, a, b, 1);
	return before == 1 || after == 1 || (before < 0 && after < 0);
}

static int flush(struct call *c)
{
	if (!c->has_pend)
		return SQLITE_OK;
	c->has_pend = 0;
	const char *tok = c->pend;
	int n = c->npend;

	/* The word Snowball sees: without its apostrophes (Jum'at → jumat,
	 * so Jumat finds Jum'at). */
	char base[MAX_STEM + 1];
	size_t bn = 0;
	int letters = 0, digits = 0;
	for (int i = 0; i < n && n <= MAX_STEM; i++)
		if (tok[i] != '\'') {
			letters |= is_letter((unsigned char)tok[i]);
			digits |= is_digit((unsigned char)tok[i]);
			base[bn++] = tok[i];
		}
	base[bn] = 0;
	/* numbers (09.30, Rp1.500.000), and what only the exact word may
	 * match */
	if (c->mode == M_SURFACE || !letters || digits)
		return c->xToken(c->ctx, 0, tok, n, c->pstart, c->pend_end);

	char st[MAX_STEM + 1];
	size_t sn;
	if (c->mode == M_DOC && caps_name(c)) {
		memcpy(st, base, bn + 1);
		sn = bn;
	} else if (c->mode == M_DOC) {
		sn = stem_cached(c->t, base, bn, st, sizeof st);
	} else {  /* a query stems a handful of words: no cache */
		sn = stem_into(c->t->stemmer, base, bn, st, sizeof st);
	}

	if (c->mode == M_DOC) {
		/* the word, and at its place its stem, marked: every word
		 * has one, so that a query word needs only stems */
		int rc = c->xToken(c->ctx, 0, tok, n, c->pstart, c->pend_end);
		char m[MAX_STEM + 2];
		m[0] = TOKENIZER_STEM_MARK;
		memcpy(m + 1, st, sn);
		if (rc == SQLITE_OK)
			rc = c->xToken(c->ctx, FTS5_TOKEN_COLOCATED, m,
			               (int)sn + 1, c->pstart, c->pend_end);
		return rc;
	}

	/* A query word: every word with its stem (which covers the word
	 * itself), and every word whose stem is the query word (a name in
	 * capitals is its own stem; Snowball is not always consistent). */
	struct forms f = {.count = 0};
	forms_add(&f, 1, st, sn, "", 0);
	forms_add(&f, 1, base, bn, "", 0);
	if (!tokenizer_protected(base, bn) && sn >= 3) {
		/* Snowball drops the first consonant of a root after meN-/peN-
		 * (mengatakan → ata, menulis → ulis): a word with that prefix
		 * also stands for the root with k or t back, and a root that
		 * starts with k or t for the clipped form. */
		int meng = bn > 4 && (memcmp(base, "meng", 4) == 0 ||
		                      memcmp(base, "peng", 4) == 0);
		int men = !meng && bn > 3 && (memcmp(base, "men", 3) == 0 ||
		                              memcmp(base, "pen", 3) == 0) &&
		          base[3] != 'y';
		if (is_vowel(st[0]) && (meng || men))
			forms_add(&f, 1, meng ? "k" : "t", 1, st, sn);
		if ((st[0] == 'k' || st[0] == 't') && is_vowel(st[1]) &&
		    sn >= 4)
			forms_add(&f, 1, st + 1, sn - 1, "", 0);
	}
	int rc = SQLITE_OK;
	for (int i = 0; i < f.count && rc == SQLITE_OK; i++)
		rc = c->xToken(c->ctx, i ? FTS5_TOKEN_COLOCATED : 0, f.s[i],
		               f.n[i], c->pstart, c->pend_end);
	return rc;
}

/* The bytes between two unicode61 tokens glue them into one when they
 * are one apostrophe between letters, or one of . , : between digits. */
static int glue(const struct call *c, int start, int *apos)
{
	const unsigned char *t = (const unsigned char *)c->text;
	int a = c->pend_end, gap = start - a;
	if (a <= 0 || start >= c->ntext)
		return 0;
	unsigned char before = t[a - 1], after = t[start];
	if (gap == 1 && (t[a] == '.' || t[a] == ',' || t[a] == ':') &&
	    is_digit(before) && is_digit(after)) {
		*apos = 0;
		return 1;
	}
	int q = (gap == 1 && (t[a] == '\'' || t[a] == '`')) ||
	        (gap == 3 && t[a] == 0xE2 && t[a + 1] == 0x80 &&
	         (t[a + 2] == 0x98 || t[a + 2] == 0x99));  /* ‘ ’ */
	if (q && is_letter(before) && is_letter(after)) {
		*apos = 1;
		return 1;
	}
	return 0;
}

static int on_token(void *ctx, int tflags, const char *tok, int n,
                    int start, int end)
{
	struct call *c = ctx;
	(void)tflags;  /* unicode61 has no synonyms */
	int apos = 0;
	if (c->has_pend && c->npend + 1 + n <= MAX_TOKEN &&
	    glue(c, start, &apos)) {
		c->pend[c->npend++] = apos ? '\'' :
		                      c->text[c->pend_end];
		memcpy(c->pend + c->npend, tok, (size_t)n);
		c->npend += n;
		c->pend_end = end;
		return SQLITE_OK;
	}
	int rc = flush(c);
	if (rc != SQLITE_OK)
		return rc;
	if (n > MAX_TOKEN)  /* too long to hold: pass it on untouched */
		return c->xToken(c->ctx, 0, tok, n, start, end);
	memcpy(c->pend, tok, (size_t)n);
	c->npend = n;
	c->pstart = start;
	c->pend_end = end;
	c->has_pend = 1;
	return SQLITE_OK;
}

/* ---- tapes: a document's tokens, worked out on another thread ---- */

/* A tape is the xToken calls of one document, in order, each as: a byte
 * of flags, the token's length and its bytes, then where it is: nothing
 * when where the one before is (a stem at its word: TAPE_SAME), else
 * how far past the end of the one before it starts (or, TAPE_ABS, where
 * it starts), and its length in the text. Numbers are LEB128 varints.
 * About 10 bytes a token. */
#define TAPE_FLAGS 0x0f   /* FTS5's own (FTS5_TOKEN_COLOCATED) */
#define TAPE_SAME 0x80
#define TAPE_ABS 0x40
/* Room for n more bytes; 0 or -1 (out of memory). (No util.h here: the
 * benchmarks build this file alone.) */
static int tape_room(struct tokenizer_tape *t, size_t n)
{
	if (t->len + n <= t->cap)
		return 0;
	size_t cap = t->cap ? t->cap * 2 : 1024;
	while (cap < t->len + n)
		cap *= 2;
	unsigned char *p = realloc(t->p, cap);
	if (!p)
		return -1;
	t->p = p;
	t->cap = cap;
	return 0;
}

static void put_varint(struct tokenizer_tape *t, unsigned v)
{
	do {
		unsigned char c = (unsigned char)(v & 0x7f);
		v >>= 7;
		t->p[t->len++] = v ? c | 0x80 : c;
	} while (v);
}

static int get_varint(const unsigned char **p, const unsigned char *end,
                      unsigned *v)
{
	unsigned r = 0;
	for (int shift = 0; *p < end && shift < 35; shift += 7) {
		unsigned char c = *(*p)++;
		r |= (unsigned)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

static int tape_token(void *ctx, int tflags, const char *tok, int n,
                      int start, int end)
{
	struct tokenizer_tape *t = ctx;
	if (tape_room(t, 1 + 3 * 5 + (size_t)n) < 0)
		return SQLITE_NOMEM;
	unsigned char *flags = &t->p[t->len++];
	*flags = (unsigned char)(tflags & TAPE_FLAGS);
	put_varint(t, (unsigned)n);
	memcpy(t->p + t->len, tok, (size_t)n);
	t->len += (size_t)n;
	if (t->ntok && start == t->start && end == t->end) {
		*flags |= TAPE_SAME;
	} else if (start >= t->end) {
		put_varint(t, (unsigned)(start - t->end));
		put_varint(t, (unsigned)(end - start));
	} else {
		*flags |= TAPE_ABS;
		put_varint(t, (unsigned)start);
		put_varint(t, (unsigned)(end - start));
	}
	t->start = start;
	t->end = end;
	t->ntok++;
	return SQLITE_OK;
}

static int tape_play(const struct tokenizer_tape *t, void *ctx,
                     int (*xToken)(void *, int, const char *, int, int,
                                   int))
{
	if (!t->len)
		return SQLITE_OK;   /* a text without words */
	const unsigned char *p = t->p, *end = p + t->len;
	unsigned start = 0, stop = 0;
	while (p < end) {
		int flags = *p++;
		unsigned n, off, len;
		if (get_varint(&p, end, &n) < 0 || (size_t)(end - p) < n)
			return SQLITE_CORRUPT;
		const char *tok = (const char *)p;
		p += n;
		if (!(flags & TAPE_SAME)) {
			if (get_varint(&p, end, &off) < 0 ||
			    get_varint(&p, end, &len) < 0)
				return SQLITE_CORRUPT;
			start = flags & TAPE_ABS ? off : stop + off;
			stop = start + len;
		}
		int rc = xToken(ctx, flags & TAPE_FLAGS, tok, (int)n,
		                (int)start, (int)stop);
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

static _Thread_local struct tokenizer_replay *replaying;

void tokenizer_replay(struct tokenizer_replay *r)
{
	replaying = r;
}

static int wt_tokenize(Fts5Tokenizer *tk, void *ctx, int flags,
                       const char *text, int ntext,
                       int (*xToken)(void *, int, const char *, int, int,
                                     int));

struct tokenizer_pre {
	sqlite3 *db;        /* in memory: only for its unicode61 */
	Fts5Tokenizer *tok;
};

static int wt_create(void *api_ptr, const char **argv, int argc,
                     Fts5Tokenizer **out);
static void wt_delete(Fts5Tokenizer *tk);

struct tokenizer_pre *tokenizer_pre_new(void)
{
	struct tokenizer_pre *tp = calloc(1, sizeof *tp);
	fts5_api *api = NULL;
	if (!tp)
		return NULL;
	if (sqlite3_open(":memory:", &tp->db) != SQLITE_OK ||
	    !(api = tokenizer_fts5_api(tp->db)) ||
	    wt_create(api, NULL, 0, &tp->tok) != SQLITE_OK) {
		tokenizer_pre_free(tp);
		return NULL;
	}
	return tp;
}

int tokenizer_pre_run(struct tokenizer_pre *tp, const char *text, int n,
                      struct tokenizer_tape *tape)
{
	if (wt_tokenize(tp->tok, tape, FTS5_TOKENIZE_DOCUMENT, text, n,
	                tape_token) != SQLITE_OK)
		return -1;
	tape->text_len = n;
	/* held until a commit, a group's worth: no slack */
	unsigned char *p = tape->len ? realloc(tape->p, tape->len) : NULL;
	if (p) {
		tape->p = p;
		tape->cap = tape->len;
	}
	return 0;
}

void tokenizer_pre_free(struct tokenizer_pre *tp)
{
	if (!tp)
		return;
	if (tp->tok)
		wt_delete(tp->tok);
	sqlite3_close(tp->db);
	free(tp);
}

void tokenizer_tape_free(struct tokenizer_tape *t)
{
	free(t->p);
	memset(t, 0, sizeof *t);
}

static int wt_tokenize(Fts5Tokenizer *tk, void *ctx, int flags,
                       const char *text, int ntext,
                       int (*xToken)(void *, int, const char *, int, int,
                                     int))
{
	struct wtok *t = (struct wtok *)tk;
	/* a column the parse thread tokenized: the same text, its tape */
	struct tokenizer_replay *r = replaying;
	if (r && flags == FTS5_TOKENIZE_DOCUMENT && ntext > 0)
		for (int k = 0; k < 2; k++)
			if (r->tape[k] && r->tape[k]->text_len == ntext &&
			    !(r->used & (1 << k))) {
				r->used |= 1 << k;
				return tape_play(r->tape[k], ctx, xToken);
			}
	struct call c = {.t = t, .ctx = ctx, .xToken = xToken};
	if (flags & FTS5_TOKENIZE_DOCUMENT)
		c.mode = M_DOC;
	else if ((flags & FTS5_TOKENIZE_QUERY) &&
	         !(flags & FTS5_TOKENIZE_PREFIX))
		c.mode = M_QUERY;
	else
		c.mode = M_SURFACE;
	if ((flags & FTS5_TOKENIZE_QUERY) && ntext > 0 &&
	    text[0] == TOKENIZER_EXACT_MARK) {
		c.mode = M_SURFACE;
		text++;
		ntext--;
	}
	c.text = text;
	c.ntext = ntext;
	int rc = t->u61.xTokenize(t->u61tok, &c, flags, text, ntext,
	                          on_token);
	if (rc == SQLITE_OK)
		rc = flush(&c);
	return rc;
}

static void wt_delete(Fts5Tokenizer *tk)
{
	struct wtok *t = (struct wtok *)tk;
	if (!t)
		return;
	if (t->u61tok)
		t->u61.xDelete(t->u61tok);
	sb_stemmer_delete(t->stemmer);
	free(t->cache);
	sqlite3_free(t);
}

static int wt_create(void *api_ptr, const char **argv, int argc,
                     Fts5Tokenizer **out)
{
	fts5_api *api = api_ptr;
	static const char *u61args[] = {"remove_diacritics", "2"};
	void *u61ctx = NULL;
	(void)argv;
	(void)argc;  /* the behaviour is fixed: an index must mean one thing */
	struct wtok *t = sqlite3_malloc(sizeof *t);
	if (!t)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof *t);
	int rc = api->xFindTokenizer(api, "unicode61", &u61ctx, &t->u61);
	if (rc == SQLITE_OK)
		rc = t->u61.xCreate(u61ctx, u61args, 2, &t->u61tok);
	if (rc == SQLITE_OK) {
		t->stemmer = sb_stemmer_new("indonesian", "UTF_8");
		if (!t->stemmer)
			rc = SQLITE_NOMEM;
	}
	if (rc != SQLITE_OK) {
		wt_delete((Fts5Tokenizer *)t);
		return rc;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

fts5_api *tokenizer_fts5_api(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	if (sqlite3_finalize(st) != SQLITE_OK || !api || api->iVersion < 2)
		return NULL;
	return api;
}

int tokenizer_register(sqlite3 *db)
{
	fts5_api *api = tokenizer_fts5_api(db);
	if (!api)
		return SQLITE_ERROR;
	fts5_tokenizer tk = {wt_create, wt_delete, wt_tokenize};
	return api->xCreateTokenizer(api, TOKENIZER_NAME, api, &tk, NULL);
}
