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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static int parse_not(struct cc *c)
{
	int r = parse_unit(c);
	while (r >= 0 && peek(c) == T_NOT) {
		c->i++;
		if (operand_follows(c, T_NOT))
			return -1;
		buf_puts(&c->out, " NOT ");
		r = parse_unit(c);
	}
	return r;
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
