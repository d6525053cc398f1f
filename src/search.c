/*
 * search.c — the query language and the search itself.
 *
 * The compiler is a small recursive-descent reader of FTS5's grammar. It
 * exists so that a bad query is explained in words a user understands
 * (FTS5 only says 'syntax error near ""'), so that quoted strings can be
 * told apart from bare words (FTS5 hands both to the tokenizer alike), and
 * so that ordinary Indonesian text (Jum'at, 09.30, covid-19) needs no
 * quoting. Its output is plain FTS5 and is only ever a bound parameter.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "archive.h"
#include "rank.h"
#include "search.h"
#include "tokenizer.h"
#include "util.h"

const char *const search_fields[] = {
	"title", "body", "author", "category", "feed", NULL,
};

/* Other names a user may reach for, Indonesian ones included. */
static const struct {
	const char *alias, *field;
} field_aliases[] = {
	{"judul", "title"}, {"headline", "title"},
	{"isi", "body"}, {"content", "body"}, {"text", "body"},
	{"teks", "body"}, {"konten", "body"},
	{"penulis", "author"}, {"by", "author"},
	{"categories", "category"}, {"kategori", "category"},
	{"tag", "category"}, {"tags", "category"},
	{"sumber", "feed"}, {"source", "feed"},
};

#define FIELD_LIST "title, body, author, category, feed"
#define MAX_DEPTH 32

enum tk {
	T_END, T_WORD, T_STR, T_LP, T_RP, T_STAR, T_COLON, T_CARET, T_PLUS,
	T_LBRACE, T_RBRACE, T_COMMA, T_MINUS, T_AND, T_OR, T_NOT, T_NEAR,
};

struct tok {
	enum tk k;
	const char *p;  /* T_WORD: the word; T_STR: inside the quotes */
	size_t n;
};

struct cc {
	struct tok *t;
	size_t nt, cap, i;
	struct buf out;
	char *err;
	size_t errsz;
	int failed;
	int depth;
	/* the tokenizer, to tell words from punctuation */
	fts5_tokenizer tk;
	Fts5Tokenizer *tkh;
};

static int fail(struct cc *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct cc *c, const char *fmt, ...)
{
	if (c->failed)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errsz, fmt, ap);
	va_end(ap);
	/* the message quotes the query: a newline or an escape typed into
	 * it must not reach the terminal, and the error stays one line */
	for (char *p = c->err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	c->failed = 1;
	return -1;
}

/* ---- the tokenizer's opinion ---- */

static int count_cb(void *ctx, int tflags, const char *t, int n, int s,
                    int e)
{
	(void)t; (void)n; (void)s; (void)e;
	if (!(tflags & FTS5_TOKEN_COLOCATED))
		(*(int *)ctx)++;
	return SQLITE_OK;
}

static void tk_open(struct cc *c, sqlite3 *db)
{
	fts5_api *api = db ? tokenizer_fts5_api(db) : NULL;
	void *ctx = NULL;
	if (!api || api->xFindTokenizer(api, TOKENIZER_NAME, &ctx, &c->tk) !=
	    SQLITE_OK || c->tk.xCreate(ctx, NULL, 0, &c->tkh) != SQLITE_OK)
		c->tkh = NULL;
}

/* 1 when the text holds at least one word the index could contain. */
static int has_words(struct cc *c, const char *p, size_t n)
{
	if (c->tkh) {
		int count = 0;
		c->tk.xTokenize(c->tkh, &count, FTS5_TOKENIZE_AUX, p, (int)n,
		                count_cb);
		return count > 0;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= 'A' && ch <= 'Z') || ch >= 0x80)
			return 1;
	}
	return 0;
}

/* ---- lexer ---- */

static void push(struct cc *c, enum tk k, const char *p, size_t n)
{
	if (c->nt == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->t = xrealloc(c->t, c->cap * sizeof *c->t);
	}
	c->t[c->nt++] = (struct tok){k, p, n};
}

static int is_space(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	       ch == '\f' || ch == '\v';
}

static int is_alpha(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int is_dig(unsigned char ch) { return ch >= '0' && ch <= '9'; }

/* Does a field filter start at s (after a '-')? A name, then ':' or a
 * '{'. */
static int colspec_ahead(const char *s)
{
	if (*s == '{')
		return 1;
	if (!is_alpha((unsigned char)*s))
		return 0;
	while (is_alpha((unsigned char)*s))
		s++;
	while (is_space((unsigned char)*s))
		s++;
	return *s == ':';
}

/* Length of a double quote at s: '"', or “ ” as phones type them. */
static int quote_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (*u == '"')
		return 1;
	if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0x9C || u[2] == 0x9D))
		return 3;
	return 0;
}

static int lex(struct cc *c, const char *q)
{
	const char *s = q;
	int paren = 0, near_at = -1;  /* paren depth of an open NEAR( */
	while (*s) {
		unsigned char ch = (unsigned char)*s;
		if (is_space(ch)) {
			s++;
			continue;
		}
		int ql = quote_len(s);
		if (ql) {
			const char *b = s += ql;
			for (;;) {
				if (!*s)
					return fail(c, "unbalanced quote (a '\"' "
					            "has no closing '\"')");
				if (*s == '"' && s[1] == '"') {
					s += 2;
					continue;
				}
				if ((ql = quote_len(s)))
					break;
				s++;
			}
			size_t n = (size_t)(s - b);
			s += ql;
			/* "" and "—" hold no word: FTS5 would match nothing */
			if (*s != ':' && !has_words(c, b, n)) {
				if (*s == '*')
					s++;
				continue;
			}
			push(c, T_STR, b, n);
			continue;
		}
		switch (ch) {
		case '(':
			paren++;
			push(c, T_LP, s++, 1);
			continue;
		case ')':
			if (paren == near_at)
				near_at = -1;
			paren--;
			push(c, T_RP, s++, 1);
			continue;
		case '*': push(c, T_STAR, s++, 1); continue;
		case ':': push(c, T_COLON, s++, 1); continue;
		case '^': push(c, T_CARET, s++, 1); continue;
		case '+': push(c, T_PLUS, s++, 1); continue;
		case '{': push(c, T_LBRACE, s++, 1); continue;
		case '}': push(c, T_RBRACE, s++, 1); continue;
		case ',':
			if (near_at >= 0 && paren == near_at) {
				push(c, T_COMMA, s++, 1);
				continue;
			}
			break;
		case '-':
			if (colspec_ahead(s + 1)) {
				push(c, T_MINUS, s++, 1);
				continue;
			}
			if (is_alpha((unsigned char)s[1]) ||
			    (unsigned char)s[1] >= 0x80 || s[1] == '"')
				return fail(c, "'-' does not leave a word out: "
				            "write NOT before it, as in "
				            "banjir NOT rob");
			break;
		}
		/* a word: up to a space or a character with a meaning */
		const char *b = s;
		while (*s) {
			unsigned char w = (unsigned char)*s;
			if (is_space(w) || strchr("\"()*^+{}", w) ||
			    quote_len(s))
				break;
			if (w == ':' && !(s > b && is_dig((unsigned char)s[-1]) &&
			                  is_dig((unsigned char)s[1])))
				break;
			if (w == ',' && near_at >= 0 && paren == near_at)
				break;
			s++;
		}
		size_t n = (size_t)(s - b);
		if (n == 3 && memcmp(b, "AND", 3) == 0) {
			push(c, T_AND, b, n);
		} else if (n == 2 && memcmp(b, "OR", 2) == 0) {
			push(c, T_OR, b, n);
		} else if (n == 3 && memcmp(b, "NOT", 3) == 0) {
			push(c, T_NOT, b, n);
		} else {
			const char *a = s;
			while (is_space((unsigned char)*a))
				a++;
			if (n == 4 && memcmp(b, "NEAR", 4) == 0 && *a == '(') {
				push(c, T_NEAR, b, n);
				near_at = paren + 1;
				continue;
			}
			if (*a != ':' && !has_words(c, b, n)) {
				if (*s == '*')
					s++;
				continue;
			}
			push(c, T_WORD, b, n);
		}
	}
	push(c, T_END, s, 0);
	return 0;
}

/* ---- parser and writer ---- */

static enum tk peek(struct cc *c) { return c->t[c->i].k; }
static enum tk peek2(struct cc *c)
{
	return c->i + 1 < c->nt ? c->t[c->i + 1].k : T_END;
}

static const char *op_name(enum tk k)
{
	return k == T_AND ? "AND" : k == T_OR ? "OR" : k == T_NOT ? "NOT" :
	       "?";
}

/* Copy the text into the output as the body of an FTS5 string: quotes
 * doubled (T_STR text already has them doubled), control characters as
 * spaces, so no user byte can end the string or mark it. */
static void put_text(struct cc *c, const char *p, size_t n, int doubled)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch < 0x20 || ch == 0x7f)
			buf_putc(&c->out, ' ');
		else if (ch == '"' && !doubled)
			buf_puts(&c->out, "\"\"");
		else
			buf_putc(&c->out, ch);
	}
}

static int parse_or(struct cc *c);

static int parse_string(struct cc *c)
{
	struct tok *t = &c->t[c->i];
	if (t->k != T_WORD && t->k != T_STR)
		return fail(c, "expected a word");
	c->i++;
	buf_putc(&c->out, '"');
	if (t->k == T_STR)
		buf_putc(&c->out, TOKENIZER_EXACT_MARK);
	put_text(c, t->p, t->n, t->k == T_STR);
	buf_putc(&c->out, '"');
	if (peek(c) == T_STAR) {
		c->i++;
		buf_putc(&c->out, '*');
		if (peek(c) == T_STAR)
			return fail(c, "one '*' is enough, as in pember*");
	}
	return 0;
}

static int parse_phrase(struct cc *c)
{
	if (parse_string(c))
		return -1;
	while (peek(c) == T_PLUS) {
		c->i++;
		if (peek(c) != T_WORD && peek(c) != T_STR)
			return fail(c, "'+' needs a word after it, as in "
			            "kota + baru");
		buf_puts(&c->out, " + ");
		if (parse_string(c))
			return -1;
	}
	return 0;
}

static int parse_near(struct cc *c)
{
	static const char how[] = "as in NEAR(banjir rob, 5)";
	c->i += 2;  /* NEAR ( */
	buf_puts(&c->out, "NEAR(");
	int n = 0;
	while (peek(c) == T_WORD || peek(c) == T_STR) {
		if (n++)
			buf_putc(&c->out, ' ');
		if (parse_phrase(c))
			return -1;
	}
	if (n == 0)
		return fail(c, "NEAR needs words inside its parentheses, %s",
		            how);
	if (peek(c) == T_COMMA) {
		c->i++;
		struct tok *t = &c->t[c->i];
		int digits = t->k == T_WORD && t->n > 0 && t->n < 6;
		for (size_t k = 0; digits && k < t->n; k++)
			digits = is_dig((unsigned char)t->p[k]);
		if (!digits)
			return fail(c, "the distance in NEAR must be a number, "
			            "%s", how);
		buf_printf(&c->out, ", %.*s", (int)t->n, t->p);
		c->i++;
	}
	if (peek(c) == T_END)
		return fail(c, "unbalanced parenthesis: NEAR( is never closed");
	if (peek(c) != T_RP)
		return fail(c, "NEAR takes only words and a distance, %s", how);
	c->i++;
	buf_putc(&c->out, ')');
	return 0;
}

static const char *field_name(const char *p, size_t n)
{
	for (int i = 0; search_fields[i]; i++)
		if (strlen(search_fields[i]) == n &&
		    strncasecmp(search_fields[i], p, n) == 0)
			return search_fields[i];
	for (size_t i = 0; i < sizeof field_aliases / sizeof *field_aliases;
	     i++)
		if (strlen(field_aliases[i].alias) == n &&
		    strncasecmp(field_aliases[i].alias, p, n) == 0)
			return field_aliases[i].field;
	return NULL;
}

static int put_field(struct cc *c, const struct tok *t)
{
	const char *f = field_name(t->p, t->n);
	if (!f)
		return fail(c, "no field '%.*s' (the fields are " FIELD_LIST
		            "; put text with a ':' in quotes)",
		            (int)(t->n > 40 ? 40 : t->n), t->p);
	buf_puts(&c->out, f);
	return 0;
}

static int parse_colspec(struct cc *c)
{
	int minus = peek(c) == T_MINUS;
	if (minus) {
		c->i++;
		buf_putc(&c->out, '-');
	}
	if (peek(c) == T_LBRACE) {
		c->i++;
		buf_putc(&c->out, '{');
		int n = 0;
		while (peek(c) == T_WORD || peek(c) == T_STR) {
			if (n++)
				buf_putc(&c->out, ' ');
			if (put_field(c, &c->t[c->i++]))
				return -1;
		}
		if (peek(c) != T_RBRACE)
			return fail(c, "'{' needs field names and a '}', as in "
			            "{title body}:banjir");
		if (n == 0)
			return fail(c, "'{}' needs field names, as in "
			            "{title body}:banjir");
		c->i++;
		buf_putc(&c->out, '}');
	} else if (peek(c) == T_WORD || peek(c) == T_STR) {
		if (put_field(c, &c->t[c->i++]))
			return -1;
	}
	if (peek(c) != T_COLON)
		return fail(c, "a field filter needs a ':', as in "
		            "-body:banjir or {title body}:banjir");
	c->i++;
	buf_putc(&c->out, ':');
	switch (peek(c)) {
	case T_WORD: case T_STR: case T_LP: case T_NEAR: case T_CARET:
		return 0;
	default:
		return fail(c, "a field filter needs a word after it, as in "
		            "title:banjir");
	}
}

/* One operand: returns 1 when it was a (parenthesised) group, 0 for a
 * phrase or NEAR group, -1 on error. */
static int parse_unit(struct cc *c)
{
	enum tk k = peek(c);
	switch (k) {
	case T_AND: case T_OR: case T_NOT:
		return fail(c, "%s needs a word before it, as in banjir %s rob",
		            op_name(k), op_name(k));
	case T_RP:
		if (c->i > 0 && c->t[c->i - 1].k == T_LP)
			return fail(c, "empty parentheses");
		return fail(c, "unbalanced parenthesis: a ')' has no '('");
	case T_STAR:
		return fail(c, "'*' goes right after a word, as in pember*");
	case T_PLUS:
		return fail(c, "'+' goes between two words, as in kota + baru");
	case T_COLON:
		return fail(c, "':' goes right after a field name, as in "
		            "title:banjir");
	case T_RBRACE:
		return fail(c, "a '}' has no '{'");
	case T_END:
		return fail(c, "the query has no words to search for");
	default:
		break;
	}
	if (k == T_MINUS || k == T_LBRACE ||
	    ((k == T_WORD || k == T_STR) && peek2(c) == T_COLON)) {
		if (parse_colspec(c))
			return -1;
		k = peek(c);
	}
	if (k == T_LP) {
		if (++c->depth > MAX_DEPTH)
			return fail(c, "too many parentheses inside each other");
		c->i++;
		buf_putc(&c->out, '(');
		if (peek(c) == T_RP)
			return fail(c, "empty parentheses");
		if (parse_or(c))
			return -1;
		if (peek(c) != T_RP)
			return fail(c, "unbalanced parenthesis: a '(' is never "
			            "closed");
		c->i++;
		c->depth--;
		buf_putc(&c->out, ')');
		return 1;
	}
	if (k == T_NEAR)
		return parse_near(c);
	if (k == T_CARET) {
		c->i++;
		if (peek(c) != T_WORD && peek(c) != T_STR)
			return fail(c, "'^' goes right before a word, as in "
			            "^banjir");
		buf_putc(&c->out, '^');
	}
	return parse_phrase(c);
}

/* After a binary operator: something must follow. */
static int operand_follows(struct cc *c, enum tk op)
{
	enum tk k = peek(c);
	if (k == T_END || k == T_RP)
		return fail(c, "%s needs a word after it, as in banjir %s rob",
		            op_name(op), op_name(op));
	return 0;
}

static int starts_unit(enum tk k)
{
	return k == T_WORD || k == T_STR || k == T_LP || k == T_CARET ||
	       k == T_NEAR || k == T_MINUS || k == T_LBRACE;
}

/* 1 when any operand of the chain was a group: "(b) NOT c" needs an
 * AND beside it as much as "(b)" does (fuzz_search: "a (b) NOT c"). */
static int parse_not(struct cc *c)
{
	int r = parse_unit(c), group = r == 1;
	while (r >= 0 && peek(c) == T_NOT) {
		c->i++;
		if (operand_follows(c, T_NOT))
			return -1;
		buf_puts(&c->out, " NOT ");
		r = parse_unit(c);
		group |= r == 1;
	}
	return r < 0 ? -1 : group;
}

static int parse_and(struct cc *c)
{
	int prev = parse_not(c);
	while (prev >= 0) {
		enum tk k = peek(c);
		if (k == T_AND) {
			c->i++;
			if (operand_follows(c, T_AND))
				return -1;
			buf_puts(&c->out, " AND ");
			prev = parse_not(c);
		} else if (starts_unit(k)) {
			/* FTS5 allows no implicit AND beside a group: say
			 * AND there. Between phrases a space keeps FTS5's own
			 * grouping of "a b NOT c". */
			size_t at = c->out.len;
			buf_puts(&c->out, " ");
			int r = parse_not(c);
			if (r < 0)
				return -1;
			if (prev == 1 || r == 1) {
				buf_grow(&c->out, 4);
				memmove(c->out.p + at + 5, c->out.p + at + 1,
				        c->out.len - at);
				memcpy(c->out.p + at, " AND ", 5);
				c->out.len += 4;
			}
			prev = r;
		} else {
			break;
		}
	}
	return prev < 0 ? -1 : 0;
}

static int parse_or(struct cc *c)
{
	if (parse_and(c))
		return -1;
	while (peek(c) == T_OR) {
		c->i++;
		if (operand_follows(c, T_OR))
			return -1;
		buf_puts(&c->out, " OR ");
		if (parse_and(c))
			return -1;
	}
	return 0;
}

char *search_compile(sqlite3 *db, const char *query, char *err,
                     size_t errsz)
{
	struct cc c = {.err = err, .errsz = errsz};
	char *res = NULL;
	if (errsz)
		err[0] = 0;
	if (!query || strlen(query) > SEARCH_MAX_QUERY) {
		if (errsz)
			snprintf(err, errsz, "the query is longer than %d bytes",
			         SEARCH_MAX_QUERY);
		return NULL;
	}
	const char *q = query;
	while (is_space((unsigned char)*q))
		q++;
	if (!*q) {
		if (errsz)
			snprintf(err, errsz, "the query is empty");
		return NULL;
	}
	tk_open(&c, db);
	if (lex(&c, q) == 0 && parse_or(&c) == 0 && peek(&c) != T_END) {
		/* a token no operand may start with: let parse_unit say
		 * which */
		parse_unit(&c);
		fail(&c, "cannot read the query");
	}
	if (!c.failed)
		res = buf_steal(&c.out);
	buf_free(&c.out);
	free(c.t);
	if (c.tkh)
		c.tk.xDelete(c.tkh);
	return res;
}

/* ---- showing text ---- */

void search_mark(struct buf *out, const char *text, enum search_mark m)
{
	static const char *const open[] = {"", "[", "\033[1m"};
	static const char *const close[] = {"", "]", "\033[0m"};
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	int space = 0, any = 0, inside = 0;
	while (*s) {
		unsigned char c = *s;
		int ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		         c == '\f' || c == '\v';
		int skip = 1;
		if (c == 0xC2 && s[1] == 0xA0) {          /* no-break space */
			ws = 1;
			skip = 2;
		} else if (c == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F) {
			s += 2;                           /* C1 control */
			continue;
		}
		if (ws) {
			space = any;
			s += skip;
			continue;
		}
		if (c == SEARCH_OPEN[0] || c == SEARCH_CLOSE[0]) {
			int o = c == SEARCH_OPEN[0];
			s++;
			if (o == inside)
				continue;
			/* a space before a mark stays outside it */
			if (space && o) {
				buf_putc(out, ' ');
				space = 0;
			}
			buf_puts(out, o ? open[m] : close[m]);
			inside = o;
			continue;
		}
		if (c < 0x20 || c == 0x7F) {
			s++;
			continue;
		}
		if (space)
			buf_putc(out, ' ');
		space = 0;
		any = 1;
		buf_putc(out, c);
		s++;
	}
	if (inside)
		buf_puts(out, close[m]);
	if (!out->p)
		buf_puts(out, "");
}

/* ---- the index ---- */

/* What the author and category columns hold: the archive's JSON columns
 * with the key names taken out, so that only the names, e-mails and URLs
 * are words (brackets, quotes and commas the tokenizer skips). Plain
 * string functions: FTS5 reads its content with SQLITE_PREPARE_NO_VTAB,
 * which json_each() would break. The triggers use the same expressions
 * on old.* as the view does on e.*, so that a delete removes exactly
 * what the insert put in. */
#define S_AUTHORS(x)                                                     \
	"replace(replace(replace(" x ", '\"name\":', ' '), "           \
	"'\"email\":', ' '), '\"url\":', ' ')"
#define S_CATS(x) x
/* The feed's name as lists show it (archive.h's arc_feed_name). */
#define S_FEED_NAME(x) "coalesce(" x ".title, " x ".feed_title, " x ".url)"
/* The name it was indexed under: search_feeds outlives the feed row
 * while a purge's cascade deletes the feed's entries. */
#define S_INDEXED_NAME(id) \
	"(SELECT name FROM search_feeds WHERE feed_id = " id ")"
#define S_COLS "title, body, author, category, feed"
#define S_VALUES(r, name)                                                \
	r ".title, " r ".text, " S_AUTHORS(r ".authors") ", "            \
	S_CATS(r ".categories") ", " name

const char search_schema[] =
	"CREATE TABLE search_feeds ("
	" feed_id INTEGER PRIMARY KEY,"
	" name TEXT);"
	"INSERT INTO search_feeds SELECT id, " S_FEED_NAME("feeds")
	" FROM feeds;"
	"CREATE VIEW search_content AS SELECT e.id AS id,"
	" e.feed_id AS feed_id, e.title AS title, e.text AS body, "
	S_AUTHORS("e.authors") " AS author, " S_CATS("e.categories")
	" AS category, n.name AS feed"
	" FROM entries e LEFT JOIN search_feeds n ON n.feed_id = e.feed_id;"
	"CREATE VIRTUAL TABLE search USING fts5(" S_COLS ","
	" content='search_content', content_rowid='id',"
	" tokenize='" TOKENIZER_NAME "');"
	/* (unused since migration 4: ORDER BY rank costs more per row than
	 * ORDER BY bm25() with a LIMIT) */
	"INSERT INTO search(search, rank) VALUES"
	" ('rank', 'bm25(8.0, 1.0, 2.0, 2.0, 0.5)');"
	"CREATE TRIGGER search_entry_new AFTER INSERT ON entries BEGIN"
	" INSERT INTO search(rowid, " S_COLS ") VALUES (new.id, "
	S_VALUES("new", S_INDEXED_NAME("new.feed_id")) ");"
	" END;"
	"CREATE TRIGGER search_entry_gone AFTER DELETE ON entries BEGIN"
	" INSERT INTO search(search, rowid, " S_COLS ") VALUES ('delete',"
	" old.id, " S_VALUES("old", S_INDEXED_NAME("old.feed_id")) ");"
	" END;"
	"CREATE TRIGGER search_entry_edit AFTER UPDATE OF title, text, authors,"
	" categories, feed_id ON entries WHEN old.title IS NOT new.title"
	" OR old.text IS NOT new.text OR old.authors IS NOT new.authors"
	" OR old.categories IS NOT new.categories"
	" OR old.feed_id IS NOT new.feed_id BEGIN"
	" INSERT INTO search(search, rowid, " S_COLS ") VALUES ('delete',"
	" old.id, " S_VALUES("old", S_INDEXED_NAME("old.feed_id")) ");"
	" INSERT INTO search(rowid, " S_COLS ") VALUES (new.id, "
	S_VALUES("new", S_INDEXED_NAME("new.feed_id")) ");"
	" END;"
	"CREATE TRIGGER search_feed_new AFTER INSERT ON feeds BEGIN"
	" INSERT OR REPLACE INTO search_feeds VALUES (new.id, "
	S_FEED_NAME("new") ");"
	" END;"
	"CREATE TRIGGER search_feed_name AFTER UPDATE OF title, feed_title, url"
	" ON feeds WHEN " S_FEED_NAME("old") " IS NOT " S_FEED_NAME("new")
	" BEGIN"
	" INSERT INTO search(search, rowid, " S_COLS ") SELECT 'delete', id, "
	S_COLS " FROM search_content WHERE feed_id = new.id;"
	" INSERT OR REPLACE INTO search_feeds VALUES (new.id, "
	S_FEED_NAME("new") ");"
	" INSERT INTO search(rowid, " S_COLS ") SELECT id, " S_COLS
	" FROM search_content WHERE feed_id = new.id;"
	" END;"
	"CREATE TRIGGER search_feed_gone AFTER DELETE ON feeds BEGIN"
	" DELETE FROM search_feeds WHERE feed_id = old.id;"
	" END;"
	"INSERT INTO search(search) VALUES ('rebuild');";

const char search_schema_v4[] =
	/* what search filters and collapses on, without reading the rows
	 * (date lies past the text in an entry, on its overflow pages) */
	"CREATE INDEX IF NOT EXISTS search_entry_keys ON entries(id, feed_id,"
	" date, story_id);"
	/* every word now carries its stem, unaffixed words too: an index
	 * made by the first tokenizer is made again */
	"INSERT INTO search(search) VALUES ('rebuild');";

const char search_schema_v5[] =
	/* new entries are indexed by ingest (search_pending_sql) */
	"DROP TRIGGER IF EXISTS search_entry_new;";

const char search_schema_v6[] =
	/* FTS5 merges a level's segments once it holds this many: 8, not
	 * its default 4. Each fetch commits a small segment per feed, and
	 * merging them four at a time was a fifth of a cold ingest's CPU
	 * (make bench BENCH=ingest); a query then reads a few more
	 * segments (15 against 9 on 50,000 entries), which did not show in
	 * search times. */
	"INSERT INTO search(search, rank) VALUES ('automerge', 8);";

const char search_schema_v7[] =
	/* 16: with the parse thread, a cold fetch's writer spent a seventh
	 * of its instructions merging segments at 8 (callgrind, 400 feeds
	 * from files: 6.5% of the whole run's went with 16). Queries on
	 * 100,000 entries fetched in 80 commits took the same time
	 * (15 queries, best of 5: 185.6 ms in all at 8, 184.5 at 16). */
	"INSERT INTO search(search, rank) VALUES ('automerge', 16);";

const char search_pending_sql[] =
	"SELECT id, " S_COLS " FROM search_content WHERE id >= ?1";
const char search_index_sql[] =
	"INSERT INTO search(rowid, " S_COLS ") VALUES (?, ?, ?, ?, ?, ?)";

/* ---- searching ---- */

/* A set of story numbers, open addressing: -n 0 may give every entry. */
struct idset {
	int64_t *v;
	size_t n, cap;
};

static int idset_add(struct idset *s, int64_t id)
{
	if (2 * (s->n + 1) > s->cap) {
		struct idset g = {NULL, 0, s->cap ? s->cap * 2 : 64};
		g.v = xcalloc(g.cap, sizeof *g.v);
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i])
				idset_add(&g, s->v[i]);
		free(s->v);
		*s = g;
	}
	size_t i = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL >> 20) &
	           (s->cap - 1);
	for (; s->v[i]; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == id)
			return 0;
	s->v[i] = id;
	s->n++;
	return 1;
}

/* The title above author and category, above the body; every entry of a
 * feed matches the feed's name, so that counts least. bm25 with these
 * weights, as rank.h's warta_rank computes it: the IDF sampled over the
 * entry numbers :lo to :hi, the rows that cannot make the first :keep
 * not measured. */
#define SEARCH_BM25 RANK_NAME "(search, :lo, :hi, :keep, :seen, 8.0, 1.0, " \
	"2.0, 2.0, 0.5)"

/* Hits are read a batch at a time: the snippets of a batch come from one
 * pass of FTS5 over the batch's span of entry numbers (a MATCH per hit
 * would expand a prefix query's terms once per hit). */
#define BATCH 50

struct search_iter {
	struct archive *a;
	sqlite3_stmt *st;      /* the hits in order: number[, story], a page
	                        * of them at a time (LIMIT :lim OFFSET :off) */
	sqlite3_stmt *story;   /* an entry's story, by its number */
	sqlite3_stmt *marks;   /* snippet and marked title over a span */
	struct search_hit hit;
	int done, listed_all;
	long limit, given;
	long page, off, got;   /* page size (0: all at once), where, how many */
	struct idset stories;  /* given so far: their other entries are not */
	long window;           /* best first: how many are ranked at most */
	sqlite3_int64 seen;    /* how many the last run ranked (rank.h) */
	int64_t ids[BATCH];    /* the batch, in order */
	char *snip[BATCH], *title[BATCH];
	int n, next;
};

/* The filter as SQL over entries e and feeds f, values bound by name
 * (the same selection as archive.h's arc_filter). */
static void filter_sql(struct buf *b, const struct arc_filter *f)
{
	if (f->feed_id)
		buf_puts(b, " AND e.feed_id = :feed");
	if (f->tag)
		buf_puts(b, " AND e.feed_id IN (SELECT feed_id FROM feed_tags "
		            "WHERE tag = :tag)");
	if (f->since)
		buf_puts(b, " AND e.date >= :since");
	if (f->until)
		buf_puts(b, " AND e.date <= :until");
	if (!f->include_removed)
		buf_puts(b, " AND f.removed IS NULL");
}

static int filtered(const struct arc_filter *f)
{
	return f->feed_id || f->tag || f->since || f->until ||
	       !f->include_removed;
}

static void bind_all(sqlite3_stmt *st, const struct search_opts *o,
                     const char *expr, int64_t n)
{
	const struct arc_filter *f = &o->f;
	int i;
	if ((i = sqlite3_bind_parameter_index(st, ":q")))
		sqlite3_bind_text(st, i, expr, -1, SQLITE_TRANSIENT);
	if ((i = sqlite3_bind_parameter_index(st, ":feed")))
		sqlite3_bind_int64(st, i, f->feed_id);
	if ((i = sqlite3_bind_parameter_index(st, ":tag")))
		sqlite3_bind_text(st, i, f->tag, -1, SQLITE_TRANSIENT);
	if ((i = sqlite3_bind_parameter_index(st, ":since")))
		sqlite3_bind_int64(st, i, f->since);
	if ((i = sqlite3_bind_parameter_index(st, ":until")))
		sqlite3_bind_int64(st, i, f->until);
	if ((i = sqlite3_bind_parameter_index(st, ":n")))
		sqlite3_bind_int64(st, i, n);
}

/* A query FTS5 still refuses (the compiler should have caught it) is the
 * user's mistake, told in plain words; anything else is the archive's. */
static int query_failed(struct archive *a, char *err, size_t errsz)
{
	sqlite3 *db = archive_db(a);
	const char *m = sqlite3_errmsg(db);
	if (strstr(m, "fts5") || strstr(m, "no such column") ||
	    strstr(m, "unterminated string") || strstr(m, "unknown special")) {
		snprintf(err, errsz, "cannot read the query: quote words that "
		         "hold punctuation, as in \"e-KTP\"");
		return -2;
	}
	warnmsg("archive %s: search: %s", archive_path(a), m);
	return -1;
}

#define FROM_HITS " FROM search JOIN entries e ON e.id = search.rowid" \
	" JOIN feeds f ON f.id = e.feed_id WHERE search MATCH :q"
/* The same, for lists that need an entry's feed, date and story only:
 * through the index that holds them, not the rows (the planner, which
 * cannot see how long an entry is, would read the row). */
#define FROM_LIST " FROM search JOIN entries e INDEXED BY search_entry_keys" \
	" ON e.id = search.rowid JOIN feeds f ON f.id = e.feed_id" \
	" WHERE search MATCH :q"

/* An archive indexed before search_entry_keys came has no such index. */
static const char *from_list(sqlite3 *db)
{
	sqlite3_stmt *st;
	int has = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = "
	                       "'index' AND name = 'search_entry_keys'", -1,
	                       &st, NULL) == SQLITE_OK) {
		has = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	return has ? FROM_LIST : FROM_HITS;
}

/* The body's best passage and the title with its matches marked, for
 * the entries of a batch: one FTS5 pass over the span of their numbers
 * (+rowid: the IN list must filter, not drive one MATCH per value).
 * Author and category are names, not prose: no snippet of them. */
#define MARKS_SQL                                                        \
	"SELECT rowid, snippet(search, 1, '" SEARCH_OPEN "', '"          \
	SEARCH_CLOSE "', '…', 24), highlight(search, 0, '" SEARCH_OPEN  \
	"', '" SEARCH_CLOSE "') FROM search WHERE search MATCH :q AND "  \
	"rowid BETWEEN :lo AND :hi AND +rowid IN (SELECT value FROM "    \
	"json_each(:ids))"

/* One value of a statement run once; 0 when there is no row. */
static int one_int(sqlite3 *db, struct buf *sql, const struct search_opts *o,
                   const char *expr, int64_t n, int64_t *v)
{
	sqlite3_stmt *st;
	*v = 0;
	if (sqlite3_prepare_v2(db, sql->p, -1, &st, NULL) != SQLITE_OK)
		return -1;
	bind_all(st, o, expr, n);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	buf_reset(sql);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int prepare(sqlite3 *db, struct buf *sql, const struct search_opts *o,
                   const char *expr, int64_t n, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(db, sql->p, -1, st, NULL) != SQLITE_OK)
		return -1;
	bind_all(*st, o, expr, n);
	buf_reset(sql);
	return 0;
}

/* Best first. Ranking costs microseconds a match: past the window only
 * the newest matches are ranked, so that a word found in half the
 * archive still answers at once. One pass of FTS5 takes the newest
 * matches and scores them (a prefix query's terms are merged once); the
 * list is of numbers only, a page at a time (SQLite keeps the best LIMIT
 * rows, not all of them). Equal scores: the newer first. */
static int by_rank(sqlite3 *db, const struct search_opts *o,
                   const char *expr, struct search_iter *it)
{
	struct buf sql = {0};
	int64_t lo = 0, hi = 0;
	long window = o->window > 0 ? o->window : SEARCH_RANK_WINDOW;
	buf_puts(&sql, "SELECT min(id) FROM entries");
	int rc = one_int(db, &sql, o, expr, 0, &lo);
	if (rc == 0) {
		buf_puts(&sql, "SELECT max(id) FROM entries");
		rc = one_int(db, &sql, o, expr, 0, &hi);
	}
	if (rc == 0) {
		/* the story comes with the row: joins only to filter */
		buf_puts(&sql, "SELECT id FROM (SELECT search.rowid AS id, "
		               SEARCH_BM25 " AS score");
		if (filtered(&o->f)) {
			buf_puts(&sql, from_list(db));
			filter_sql(&sql, &o->f);
		} else {
			buf_puts(&sql, " FROM search WHERE search MATCH :q");
		}
		buf_puts(&sql, " ORDER BY search.rowid DESC LIMIT :n) ORDER BY "
		               "score, id DESC LIMIT :lim OFFSET :off");
		rc = prepare(db, &sql, o, expr, window, &it->st);
		it->window = window;
	}
	if (rc == 0) {
		sqlite3_bind_int64(it->st, sqlite3_bind_parameter_index(
		                   it->st, ":lo"), lo);
		sqlite3_bind_int64(it->st, sqlite3_bind_parameter_index(
		                   it->st, ":hi"), hi);
	}
	buf_free(&sql);
	return rc;
}

/* Newest first. When the query matches a large part of the archive,
 * walking the date index and keeping the matches is quicker than
 * sorting them all. */
static int by_date(sqlite3 *db, const struct search_opts *o,
                   const char *expr, struct search_iter *it)
{
	struct buf sql = {0};
	int64_t last = 0, probe = 0;
	buf_puts(&sql, "SELECT max(id) FROM entries");
	int rc = one_int(db, &sql, o, expr, 0, &last);
	if (rc == 0 && last / 50 > 0) {
		buf_puts(&sql, "SELECT rowid FROM search WHERE search MATCH :q "
		               "LIMIT 1 OFFSET :n");
		rc = one_int(db, &sql, o, expr, last / 50, &probe);
	}
	if (rc == 0) {
		if (probe) {  /* over 2 % of the archive matches */
			buf_puts(&sql, "SELECT e.id, e.story_id FROM entries e "
			               "JOIN feeds f ON f.id = e.feed_id WHERE "
			               "+e.id IN (SELECT rowid FROM search WHERE "
			               "search MATCH :q)");
		} else {
			buf_puts(&sql, "SELECT e.id, e.story_id");
			buf_puts(&sql, from_list(db));
		}
		filter_sql(&sql, &o->f);
		buf_puts(&sql, " ORDER BY e.date DESC, e.id DESC LIMIT :lim "
		               "OFFSET :off");
		rc = prepare(db, &sql, o, expr, 0, &it->st);
	}
	buf_free(&sql);
	return rc;
}

static void bind_page(struct search_iter *it)
{
	sqlite3_bind_int64(it->st, sqlite3_bind_parameter_index(it->st, ":lim"),
	                   it->page > 0 ? it->page : -1);
	sqlite3_bind_int64(it->st, sqlite3_bind_parameter_index(it->st, ":off"),
	                   it->off);
	int seen = sqlite3_bind_parameter_index(it->st, ":seen");
	it->seen = 0;
	if (seen)
		sqlite3_bind_pointer(it->st, seen, &it->seen, RANK_SEEN, NULL);
	int keep = sqlite3_bind_parameter_index(it->st, ":keep");
	if (keep && it->page > 0)
		sqlite3_bind_int64(it->st, keep, it->page + it->off);
	else if (keep)
		sqlite3_bind_null(it->st, keep);
	it->got = 0;
}

int search_iter_new(struct archive *a, const struct search_opts *o,
                    struct search_iter **out, char *err, size_t errsz)
{
	sqlite3 *db = archive_db(a);
	*out = NULL;
	char *expr = search_compile(db, o->query, err, errsz);
	if (!expr)
		return -2;
	struct search_iter *it = xcalloc(1, sizeof *it);
	it->a = a;
	it->limit = o->f.limit;
	/* room for a few stories told twice; more pages come if need be */
	it->page = it->limit > 0 ? it->limit * 2 + 8 : 0;
	int rc = o->by_date ? by_date(db, o, expr, it) : by_rank(db, o, expr, it);
	if (rc == 0 && sqlite3_column_count(it->st) < 2) {
		struct buf sql = {0};
		buf_printf(&sql, "SELECT story_id FROM entries%s WHERE id = :n",
		           strcmp(from_list(db), FROM_LIST) ? "" :
		           " INDEXED BY search_entry_keys");
		rc = prepare(db, &sql, o, expr, 0, &it->story);
		buf_free(&sql);
	}
	if (rc == 0 && o->snippets) {
		struct buf sql = {0};
		buf_puts(&sql, MARKS_SQL);
		rc = prepare(db, &sql, o, expr, 0, &it->marks);
		buf_free(&sql);
	}
	if (rc == 0)
		bind_page(it);
	free(expr);
	if (rc < 0) {
		rc = query_failed(a, err, errsz);
		search_iter_free(it);
		return rc;
	}
	*out = it;
	return 0;
}

static int step_failed(struct search_iter *it)
{
	char err[200];
	it->done = 1;
	if (query_failed(it->a, err, sizeof err) == -2)
		warnmsg("search: %s", err);
	return -1;
}

static void batch_clear(struct search_iter *it)
{
	for (int i = 0; i < it->n; i++) {
		free(it->snip[i]);
		free(it->title[i]);
		it->snip[i] = it->title[i] = NULL;
	}
	it->n = it->next = 0;
}

/* The next hit number from the list, one per story; 1, 0 (none left),
 * -1 error. */
static int list_next(struct search_iter *it, int64_t *id)
{
	for (;;) {
		int rc = sqlite3_step(it->st);
		if (rc == SQLITE_DONE && it->page && it->got == it->page) {
			/* a full page went by without enough stories */
			sqlite3_reset(it->st);
			it->off += it->page;
			bind_page(it);
			continue;
		}
		if (rc == SQLITE_DONE)
			return 0;
		if (rc != SQLITE_ROW)
			return step_failed(it);
		it->got++;
		*id = sqlite3_column_int64(it->st, 0);
		int64_t story = 0;
		if (it->story) {
			sqlite3_reset(it->story);
			sqlite3_bind_int64(it->story, 1, *id);
			rc = sqlite3_step(it->story);
			if (rc == SQLITE_ROW)
				story = sqlite3_column_int64(it->story, 0);
			else if (rc != SQLITE_DONE)
				return step_failed(it);
		} else {
			story = sqlite3_column_int64(it->st, 1);
		}
		if (!story || idset_add(&it->stories, story))
			return 1;
	}
}

/* The next batch of hits: their numbers, then their marks in one pass. */
static int batch_fill(struct search_iter *it)
{
	batch_clear(it);
	long want = BATCH;
	if (it->limit && it->limit - it->given < want)
		want = it->limit - it->given;
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	while (it->n < want) {
		int64_t id = 0;   /* (set when list_next says 1: gcc -O1 cannot see it) */
		int rc = list_next(it, &id);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			it->listed_all = 1;
			break;
		}
		it->ids[it->n++] = id;
		if (id < lo)
			lo = id;
		if (id > hi)
			hi = id;
	}
	if (!it->n || !it->marks)
		return 0;
	struct buf ids = {0};
	buf_putc(&ids, '[');
	for (int i = 0; i < it->n; i++)
		buf_printf(&ids, "%s%" PRId64, i ? "," : "", it->ids[i]);
	buf_putc(&ids, ']');
	sqlite3_stmt *m = it->marks;
	sqlite3_reset(m);
	sqlite3_bind_int64(m, sqlite3_bind_parameter_index(m, ":lo"), lo);
	sqlite3_bind_int64(m, sqlite3_bind_parameter_index(m, ":hi"), hi);
	sqlite3_bind_text(m, sqlite3_bind_parameter_index(m, ":ids"), ids.p,
	                  -1, SQLITE_TRANSIENT);
	buf_free(&ids);
	int rc;
	while ((rc = sqlite3_step(m)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(m, 0);
		for (int i = 0; i < it->n; i++)
			if (it->ids[i] == id && !it->snip[i]) {
				it->snip[i] = xstrdup((const char *)
					sqlite3_column_text(m, 1));
				it->title[i] = xstrdup((const char *)
					sqlite3_column_text(m, 2));
			}
	}
	return rc == SQLITE_DONE ? 0 : step_failed(it);
}

int search_iter_next(struct search_iter *it, struct search_hit **hit)
{
	struct search_hit *h = &it->hit;
	while (!it->done && (!it->limit || it->given < it->limit)) {
		if (it->next == it->n) {
			if (it->listed_all)
				break;
			if (batch_fill(it) < 0) {
				it->done = 1;
				return -1;
			}
			if (!it->n)
				break;
		}
		int i = it->next++;
		int rc = archive_entry_get(it->a, it->ids[i], &h->row);
		if (rc < 0) {
			it->done = 1;
			return -1;
		}
		if (rc == 0)  /* gone since it was listed */
			continue;
		free(h->snippet);
		free(h->title);
		h->snippet = it->snip[i];
		h->title = it->title[i];
		it->snip[i] = it->title[i] = NULL;
		it->given++;
		*hit = h;
		return 1;
	}
	it->done = 1;
	return 0;
}

int search_iter_window_full(const struct search_iter *it)
{
	return it->window > 0 && it->seen >= it->window;
}

void search_iter_free(struct search_iter *it)
{
	if (!it)
		return;
	sqlite3_finalize(it->st);
	sqlite3_finalize(it->story);
	sqlite3_finalize(it->marks);
	batch_clear(it);
	arc_row_clear(&it->hit.row);
	free(it->hit.snippet);
	free(it->hit.title);
	free(it->stories.v);
	free(it);
}
