/*
 * html.c — sanitising, plain text and URL resolution (contract in html.h).
 *
 * How the sanitiser works. libxml2's HTML parser does the tokenising and
 * the recovery (SAX callbacks, no tree). Two tricks make its events give
 * what feedparser's sgmllib-based sanitiser would write:
 *   - before parsing, every '&' becomes "&amp;", so libxml2 hands back the
 *     references exactly as written ("&copy;", "&#150;"), and we apply
 *     feedparser's rules for them ourselves;
 *   - libxml2 balances tags (it closes <p> when the next <p> starts, and
 *     everything at the end); feedparser writes end tags only where the
 *     source had them. The parser's input position at each endElement
 *     tells which is which: an end tag the source wrote ends just before
 *     the cursor.
 * The input is wrapped in an element libxml2 does not know, so that text
 * at the top gets no implied <p>.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/uri.h>

#include "html.h"
#include "xmlload.h"

struct pair {
	const char *key, *val;
};
struct entity {
	const char *name;
	unsigned cp;
};
#include "html_tables.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int cmp_str(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

static int in_list(const char *const *list, size_t n, const char *s)
{
	return bsearch(s, list, n, sizeof *list, cmp_str) != NULL;
}
#define IN(list, s) in_list(list, NELEM(list), s)

static int cmp_pair(const void *k, const void *e)
{
	return strcmp(k, ((const struct pair *)e)->key);
}

static const char *pair_get(const struct pair *t, size_t n, const char *k)
{
	const struct pair *p = bsearch(k, t, n, sizeof *t, cmp_pair);
	return p ? p->val : NULL;
}

static int cmp_ent(const void *k, const void *e)
{
	return strcmp(k, ((const struct entity *)e)->name);
}

/* Code point of a named reference (HTML 4 names and &apos;), or 0. */
static unsigned entity_cp(const char *name, size_t n)
{
	char key[16];
	if (n == 0 || n >= sizeof key)
		return 0;
	memcpy(key, name, n);
	key[n] = '\0';
	const struct entity *e = bsearch(key, entities, NELEM(entities),
					 sizeof *entities, cmp_ent);
	return e ? e->cp : 0;
}

/* Windows-1252 for C1 references (&#150; means an en dash), as
 * feedparser and browsers read them; 0 where 1252 has a hole. */
static const uint16_t cp1252[32] = {
	0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017d, 0,
	0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178,
};

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static int is_xdigit(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Python's \w on UTF-8 bytes: ASCII word characters, and any byte of a
 * multi-byte character (non-ASCII letters are the common case). */
static int is_word(int c)
{
	return is_alnum(c) || c == '_' || (c & 0x80);
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
		c == '\v';
}

static int html_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static void put_utf8(struct buf *b, unsigned cp)
{
	char u[4];
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		buf_putc(b, (int)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 4);
	}
}

/* Appending without a call into util.c per byte. */
static inline void put_c(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

static inline void put_n(struct buf *b, const char *p, size_t n)
{
	if (!n)
		return;
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (n >= 2 && (p[1] & 0xc0) == 0x80) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0; /* overlong */
		if (c == 0xed && p[1] >= 0xa0)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)
			return 0;
		if (c == 0xf4 && p[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

/* Parse a numeric reference body at s (after "&#"): decimal or x-hex.
 * Returns the digits' length (0: none) and stores the value, capped. */
static size_t charref_digits(const char *s, size_t n, int *hex,
			     unsigned long *val)
{
	size_t i = 0;
	unsigned long v = 0;
	*hex = 0;
	if (n > 0 && (s[0] == 'x' || s[0] == 'X')) {
		*hex = 1;
		i = 1;
		size_t st = i;
		for (; i < n && is_xdigit((unsigned char)s[i]); i++) {
			int c = lower((unsigned char)s[i]);
			v = v * 16 +
				(unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
			if (v > 0x10ffff)
				v = 0x110000;
		}
		if (i == st)
			return 0;
	} else {
		for (; i < n && is_digit((unsigned char)s[i]); i++) {
			v = v * 10 + (unsigned)(s[i] - '0');
			if (v > 0x10ffff)
				v = 0x110000;
		}
	}
	*val = v;
	return i;
}

/* ------------------------------------------------------------------ */
/* Input preparation                                                   */

#define WRAP "<warta-root>"

/*
 * A comment ends where sgmllib ends it, at the first "--" blanks ">";
 * it is passed on as "<!--...-->". Without one, feedparser drops up to
 * the next "--...>", or everything. Returns where to go on from.
 */
static const unsigned char *comment(struct buf *b, const unsigned char *p,
				    const unsigned char *end)
{
	const unsigned char *q = p + 4, *dd = NULL;
	for (; q + 1 < end; q++) {
		if (q[0] != '-' || q[1] != '-')
			continue;
		if (!dd)
			dd = q;
		const unsigned char *r = q + 2;
		while (r < end && is_space(*r))
			r++;
		if (r < end && *r == '>') {
			buf_add(b, "<!--", 4);
			for (const unsigned char *c = p + 4; c < q;) {
				size_t l =
					*c ? utf8_len(c, (size_t)(q - c)) : 1;
				if (!*c)
					;
				else if (l)
					buf_add(b, c, l);
				else
					buf_add(b, "\xef\xbf\xbd", 3);
				c += l ? l : 1;
			}
			buf_add(b, "-->", 3);
			return r + 1;
		}
	}
	if (dd) {
		const unsigned char *gt = memchr(dd, '>', (size_t)(end - dd));
		if (gt)
			return gt + 1;
	}
	return end;
}

/* One input character at p, repaired, into b; returns what follows. */
static const unsigned char *copy_char(struct buf *b, const unsigned char *p,
				      const unsigned char *end)
{
	if (*p == '&') {
		buf_add(b, "&amp;", 5);
		return p + 1;
	}
	if (*p == 0)
		return p + 1;
	size_t l = utf8_len(p, (size_t)(end - p));
	if (!l) {
		buf_add(b, "\xef\xbf\xbd", 3);
		return p + 1;
	}
	buf_add(b, p, l);
	return p + l;
}

/*
 * The rest of a start tag (p is after "<"), copied up to its '>'.
 * sgmllib lets a '$' follow an attribute name (Blogger writes
 * expr$="…"); libxml2 would stop at it, so it goes. libxml2 checks each
 * attribute against all the others: past MAX_ATTRS, they go too.
 */
#define MAX_ATTRS 256
static const unsigned char *start_tag(struct buf *b, const unsigned char *p,
				      const unsigned char *end)
{
	enum { NAME, GAP, ATTR, EQ, VALUE } st = NAME;
	int q = 0, skip = 0;
	size_t na = 0;
	while (p < end) {
		int c = *p;
		if (q) {
			if (c == q)
				q = 0;
			p = skip ? p + 1 : copy_char(b, p, end);
			continue;
		}
		if (c == '>') {
			buf_putc(b, '>');
			return p + 1;
		}
		if (c == '<')
			return p;
		if (html_blank(c)) {
			if (st != EQ)
				st = GAP;
		} else if (c == '=') {
			st = EQ;
		} else if (c == '"' || c == '\'') {
			if (st == EQ)
				q = c;
			st = GAP;
		} else if (c == '$' && st == ATTR) {
			st = GAP;
			p++;
			continue;
		} else if (st == EQ) {
			st = VALUE;
		} else if (st == GAP) {
			st = ATTR;
			if (++na > MAX_ATTRS)
				skip = 1;
		}
		p = skip ? p + 1 : copy_char(b, p, end);
	}
	return p;
}

/*
 * What libxml2 gets: the wrapper, then the input with '&' as "&amp;"
 * (references come back verbatim), invalid UTF-8 as U+FFFD, NUL bytes
 * dropped, and feedparser's two rewrites of markup declarations: "<!"
 * not opening a comment, doctype or marked section is text, and so is
 * "<![CDATA[".
 */
static void prepare(struct buf *b, const char *in, size_t n)
{
	const unsigned char *p = (const unsigned char *)in, *end = p + n;
	buf_reset(b);
	buf_grow(b, n + n / 16 + sizeof WRAP + 16);
	buf_add(b, WRAP, sizeof WRAP - 1);
	while (p < end) {
		const unsigned char *q = p;
		while (q < end && *q != '&' && *q != '<' && *q && *q < 0x80)
			q++;
		if (q > p) {
			buf_add(b, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (*p == '&') {
			buf_add(b, "&amp;", 5);
			p++;
		} else if (*p == '<') {
			size_t left = (size_t)(end - p);
			if (left >= 4 && !memcmp(p, "<!--", 4)) {
				p = comment(b, p, end);
				continue;
			}
			if (left >= 2 && p[1] == '!') {
				if (left >= 9 && !memcmp(p, "<![CDATA[", 9)) {
					buf_add(b, "&amp;lt;![CDATA[", 16);
					p += 9;
					continue;
				}
				int keep = (left >= 4 && p[2] == '-' &&
					    p[3] == '-') ||
					(left >= 3 && p[2] == '[') ||
					(left >= 9 &&
					 !strncasecmp((const char *)p + 2,
						      "doctype", 7));
				if (!keep) {
					buf_add(b, "&amp;lt;!", 9);
					p += 2;
					continue;
				}
			}
			buf_putc(b, '<');
			p++;
			if (p < end && is_alpha(*p))
				p = start_tag(b, p, end);
		} else if (*p == 0) {
			p++;
		} else {
			size_t l = utf8_len(p, (size_t)(end - p));
			if (l) {
				buf_add(b, p, l);
				p += l;
			} else {
				buf_add(b, "\xef\xbf\xbd", 3);
				p++;
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* Parser state                                                        */

enum {
	F_SKIP = 1,
	F_SVG = 2,
	F_MATH = 4,
	F_RAW = 8,
	F_SELFCLOSE = 16,
	F_NOATTR = 32,
	F_HIDE = 64,
	F_BLOCK = 128,
	F_VOID = 256
};

struct frame {
	const char *name; /* as libxml2 reported it */
	const char *out;  /* name written, NULL when the tag was dropped */
	unsigned flags;
};

struct attr {
	const char *key;
	unsigned flags;     /* the name's N_/A_ bits */
	const char *svg_at; /* its SVG spelling, if any */
	size_t off, len;    /* value in st->vals */
	int drop;
};

struct state {
	htmlParserCtxtPtr ctxt;
	const char *src; /* the bytes libxml2 parses */
	size_t srclen;
	struct buf *out;
	const char *base;
	int xhtml;
	int skip;        /* feedparser's unacceptablestack */
	int svg, math;   /* svgOK, mathmlOK */
	int raw;         /* open textarea/noscript written */
	size_t last_end; /* offset just after the last explicit end tag */
	size_t scan_off, scan_lt; /* explicit_end's last look back */
	struct frame *st;
	size_t nst, capst;
	struct attr *at;
	size_t capat;
	struct buf text; /* characters not yet written */
	struct buf vals; /* attribute values of the current tag */
	struct buf tmp;
	struct buf tmp2;
	struct buf fvals; /* the fast path's attribute values */
	int text_mode;    /* html_to_text, not the sanitiser */
	int hide;
	int nl, sp; /* a line break / blank is due before the next char */
};

static _Thread_local htmlParserCtxtPtr tls_ctxt;
static _Thread_local struct state *tls_st;

static size_t cur_off(struct state *s)
{
	xmlParserInputPtr in = s->ctxt->input;
	if (!in || !in->cur || !in->base)
		return s->srclen;
	size_t off = (size_t)in->consumed + (size_t)(in->cur - in->base);
	return off > s->srclen ? s->srclen : off;
}

/* What libxml2's htmlParseHTMLName takes after the first character. */
static const unsigned char name_chars[256] = {
	['-'] = 1, ['.'] = 1, [':'] = 1, ['_'] = 1, ['0' ... '9'] = 1,
	['A' ... 'Z'] = 1, ['a' ... 'z'] = 1,
};

static int name_char(int c)
{
	return name_chars[c & 0xff];
}

/* Does src[i..] spell name (ASCII case-insensitive) and end there? */
static int name_at(struct state *s, size_t i, const char *name)
{
	size_t n = strlen(name);
	if (i + n > s->srclen || strncasecmp(s->src + i, name, n))
		return 0;
	return i + n == s->srclen || !name_char((unsigned char)s->src[i + n]);
}

/* Find the '<' that opens the construct ending before off. */
static int open_before(struct state *s, size_t off, size_t *lt)
{
	size_t lim = off > 4096 ? off - 4096 : 0;
	size_t i = off;
	while (i > lim) {
		i--;
		if (s->src[i] == '<') {
			*lt = i;
			return 1;
		}
	}
	return 0;
}

/* Was this endElement an end tag the source wrote (the parser has just
 * consumed "</name ...>")? Each end tag counts once: libxml2 may close
 * an outer element of the same name at the same place. */
static int explicit_end(struct state *s, const char *name)
{
	size_t off = cur_off(s), lt;
	if (off == s->last_end || off < 4 || s->src[off - 1] != '>')
		return 0;
	/* many elements can close at one place (all of them at the end):
	 * look back from there once */
	if (off != s->scan_off) {
		s->scan_off = off;
		s->scan_lt = open_before(s, off - 1, &lt) ? lt : (size_t)-1;
	}
	lt = s->scan_lt;
	if (lt == (size_t)-1 || s->src[lt + 1] != '/' ||
	    !name_at(s, lt + 2, name))
		return 0;
	s->last_end = off;
	return 1;
}

/* libxml2 invents <p> around stray text; it names it with a literal,
 * while the tags it reads have names from its dictionary. */
static int real_start(struct state *s, const char *name)
{
	return xmlDictOwns(s->ctxt->dict, (const xmlChar *)name) == 1;
}

static struct frame *push(struct state *s, const char *name)
{
	if (s->nst == s->capst) {
		s->capst = s->capst ? s->capst * 2 : 32;
		s->st = xrealloc(s->st, s->capst * sizeof *s->st);
	}
	struct frame *f = &s->st[s->nst++];
	f->name = name;
	f->out = NULL;
	f->flags = 0;
	return f;
}

/* ------------------------------------------------------------------ */
/* Text, feedparser's way                                              */

/*
 * Write text as feedparser's _BaseHTMLProcessor does: character
 * references stay references (lower-cased, C1 ones rewritten as the
 * Windows-1252 character's hex reference), known entity references stay,
 * unknown ones become "&amp;name", anything else is verbatim — except
 * '<', which libxml2 has already decided is not markup and which we
 * escape so that no browser can decide otherwise.
 */
static void write_text(struct buf *o, const char *t, size_t n)
{
	size_t i = 0;
	/* the next '&' and '<' (n when none), found with memchr */
	const char *pa = memchr(t, '&', n), *pl = memchr(t, '<', n);
	size_t na = pa ? (size_t)(pa - t) : n, nl = pl ? (size_t)(pl - t) : n;
	while (i < n) {
		if (na < i) {
			pa = memchr(t + i, '&', n - i);
			na = pa ? (size_t)(pa - t) : n;
		}
		if (nl < i) {
			pl = memchr(t + i, '<', n - i);
			nl = pl ? (size_t)(pl - t) : n;
		}
		size_t j = na < nl ? na : nl;
		put_n(o, t + i, j - i);
		if (j >= n)
			break;
		i = j;
		if (t[i] == '<') {
			put_n(o, "&lt;", 4);
			i++;
			continue;
		}
		/* feedparser turns &#39; and &#34; into the characters */
		if (n - i >= 5 && t[i + 1] == '#' && t[i + 4] == ';' &&
		    t[i + 2] == '3' && (t[i + 3] == '9' || t[i + 3] == '4')) {
			put_c(o, t[i + 3] == '9' ? '\'' : '"');
			i += 5;
			continue;
		}
		if (i + 1 < n && t[i + 1] == '#') {
			int hex;
			unsigned long v;
			size_t d =
				charref_digits(t + i + 2, n - i - 2, &hex, &v);
			size_t e = i + 2 + d;
			if (d && e < n && t[e] == ';') {
				if (v >= 128 && v <= 159 && cp1252[v - 128]) {
					buf_printf(o, "&#x%x;",
						   cp1252[v - 128]);
				} else {
					put_n(o, "&#", 2);
					for (size_t k = i + 2; k < e; k++)
						put_c(o,
						      lower((unsigned char)
								    t[k]));
					put_c(o, ';');
				}
				i = e + 1;
				continue;
			}
			put_c(o, '&');
			i++;
			continue;
		}
		size_t k = i + 1;
		if (k < n && is_alpha((unsigned char)t[k])) {
			while (k < n &&
			       (is_alnum((unsigned char)t[k]) || t[k] == '-' ||
				t[k] == '.'))
				k++;
			size_t nm = k - i - 1;
			/* sgmllib wants a terminator; at the very end it gives
			 * back a trailing '-' or '.' to be one */
			if (k >= n) {
				while (nm > 1 && t[i + nm] != '-' &&
				       t[i + nm] != '.')
					nm--;
				if (nm <= 1 ||
				    (t[i + nm] != '-' && t[i + nm] != '.')) {
					put_c(o, '&');
					i++;
					continue;
				}
				nm--;
				k = i + 1 + nm;
			}
			if (entity_cp(t + i + 1, nm)) {
				put_c(o, '&');
				put_n(o, t + i + 1, nm);
				put_c(o, ';');
			} else {
				put_n(o, "&amp;", 5);
				put_n(o, t + i + 1, nm);
			}
			i = i + 1 + nm;
			if (i < n && t[i] == ';')
				i++;
			continue;
		}
		put_c(o, '&');
		i++;
	}
}

static void flush_text(struct state *s)
{
	if (!s->text.len)
		return;
	write_text(s->out, s->text.p, s->text.len);
	buf_reset(&s->text);
}

/* ------------------------------------------------------------------ */
/* Attribute values                                                    */

/* sgmllib's reading of a value: "&#123" gets its ';' (named references
 * stay as written), and feedparser has made &#39; and &#34; characters. */
static void sgml_refs(struct buf *o, const char *v, size_t n)
{
	size_t i = 0;
	while (i < n) {
		const char *amp = memchr(v + i, '&', n - i);
		if (!amp) {
			put_n(o, v + i, n - i);
			return;
		}
		size_t j = (size_t)(amp - v);
		put_n(o, v + i, j - i);
		i = j;
		if (n - i >= 5 && v[i + 1] == '#' && v[i + 2] == '3' &&
		    (v[i + 3] == '9' || v[i + 3] == '4') && v[i + 4] == ';') {
			put_c(o, v[i + 3] == '9' ? '\'' : '"');
			i += 5;
			continue;
		}
		size_t k = i + 1;
		if (k + 1 < n && v[k] == '#' &&
		    is_digit((unsigned char)v[k + 1])) {
			k++;
			while (k < n && is_digit((unsigned char)v[k]))
				k++;
			put_n(o, v + i, k - i);
			put_c(o, ';');
			i = k < n && v[k] == ';' ? k + 1 : k;
			continue;
		}
		put_c(o, '&');
		i++;
	}
}

/* feedparser's value escaping: <, >, " and bare '&' (one that does not
 * start &#123; &#x1f; or &word;). */
static void attr_escape(struct buf *o, const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		while (j < n && v[j] != '<' && v[j] != '>' && v[j] != '"' &&
		       v[j] != '&')
			j++;
		if (j > i) {
			put_n(o, v + i, j - i);
			i = j;
			if (i >= n)
				break;
		}
		char c = v[i];
		if (c == '<') {
			put_n(o, "&lt;", 4);
		} else if (c == '>') {
			put_n(o, "&gt;", 4);
		} else if (c == '"') {
			put_n(o, "&quot;", 6);
		} else if (c == '&') {
			size_t k = i + 1;
			int ok = 0;
			if (k < n && v[k] == '#') {
				k++;
				if (k < n && v[k] == 'x') {
					size_t st = ++k;
					while (k < n &&
					       is_xdigit((unsigned char)v[k]))
						k++;
					ok = k > st && k < n && v[k] == ';';
				} else {
					size_t st = k;
					while (k < n &&
					       is_digit((unsigned char)v[k]))
						k++;
					ok = k > st && k < n && v[k] == ';';
				}
			} else {
				size_t st = k;
				while (k < n && is_word((unsigned char)v[k]))
					k++;
				ok = k > st && k < n && v[k] == ';';
			}
			if (ok)
				put_c(o, '&');
			else
				put_n(o, "&amp;", 5);
		} else {
			put_c(o, c);
		}
	}
}

/* Decode references the way a browser reads an attribute value, for the
 * safety checks only (HTML 4 names, the HTML5 names that spell URL
 * syntax, numeric references with or without ';'). */
static void decode_attr(struct buf *o, const char *v, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (v[i] != '&') {
			const char *amp = memchr(v + i, '&', n - i);
			size_t j = amp ? (size_t)(amp - v) : n;
			put_n(o, v + i, j - i);
			i = j;
			continue;
		}
		size_t k = i + 1;
		if (k < n && v[k] == '#') {
			int hex;
			unsigned long cp;
			size_t d =
				charref_digits(v + k + 1, n - k - 1, &hex, &cp);
			if (d) {
				k += 1 + d;
				if (k < n && v[k] == ';')
					k++;
				if (cp >= 128 && cp <= 159 && cp1252[cp - 128])
					cp = cp1252[cp - 128];
				put_utf8(o, (unsigned)cp);
				i = k;
				continue;
			}
		} else {
			while (k < n && is_alnum((unsigned char)v[k]))
				k++;
			size_t nm = k - i - 1;
			unsigned cp = entity_cp(v + i + 1, nm);
			if (!cp && nm == 5 && !memcmp(v + i + 1, "colon", 5))
				cp = ':';
			if (!cp && nm == 3 && !memcmp(v + i + 1, "Tab", 3))
				cp = '\t';
			if (!cp && nm == 7 && !memcmp(v + i + 1, "NewLine", 7))
				cp = '\n';
			if (cp) {
				if (k < n && v[k] == ';')
					k++;
				put_utf8(o, cp);
				i = k;
				continue;
			}
		}
		put_c(o, v[i++]);
	}
}

/* Scheme of a URL as Python's urlsplit and browsers find it (leading C0
 * controls and blanks ignored, tab/CR/LF removed), lower-cased into out.
 * Returns 0 when there is none, -1 when it is too long for out. */
static int url_scheme(const char *u, size_t n, char *out, size_t outsz)
{
	size_t i = 0, o = 0;
	while (i < n && (unsigned char)u[i] <= 0x20)
		i++;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)u[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == ':')
			break;
		if (!(is_alnum(c) || c == '+' || c == '-' || c == '.'))
			return 0;
		if (o == 0 && !is_alpha(c))
			return 0;
		if (o + 1 < outsz)
			out[o] = (char)lower(c);
		o++;
	}
	if (i >= n || o == 0)
		return 0;
	if (o >= outsz)
		return -1;
	out[o] = '\0';
	return 1;
}

/* No scheme, or one of feedparser's acceptable schemes. */
static int scheme_ok(const char *u, size_t n)
{
	char sch[32];
	int r = url_scheme(u, n, sch, sizeof sch);
	return r == 0 || (r > 0 && IN(uri_schemes, sch));
}

int url_is_safe(const char *url, size_t n)
{
	if (!url || !n)
		return 1;
	if (!memchr(url, '&', n))
		return scheme_ok(url, n);
	struct buf d = {0};
	decode_attr(&d, url, n);
	int ok = scheme_ok(d.p ? d.p : "", d.len);
	buf_free(&d);
	return ok;
}

/* Attributes whose value a browser follows as a URL. */
static const char *const url_attrs[] = {
	"action",     "background", "cite",   "classid",    "codebase",
	"data",       "datasrc",    "dynsrc", "formaction", "href",
	"icon",       "longdesc",   "lowsrc", "manifest",   "ping",
	"poster",     "profile",    "src",    "usemap",     "vrml",
	"xlink:href", "xml:base",
};

static const char *const text_blocks[] = {
	"address", "article", "aside",    "blockquote", "br",     "caption",
	"center",  "dd",      "details",  "dialog",     "dir",    "div",
	"dl",      "dt",      "fieldset", "figcaption", "figure", "footer",
	"form",    "h1",      "h2",       "h3",         "h4",     "h5",
	"h6",      "header",  "hgroup",   "hr",         "legend", "li",
	"main",    "menu",    "nav",      "ol",         "p",      "pre",
	"section", "summary", "table",    "tbody",      "tfoot",  "thead",
	"title",   "tr",      "ul",
};

static const char *const text_hidden[] = {
	"applet", "head", "noembed", "noframes", "script", "style", "template",
};

/* ------------------------------------------------------------------ */
/* What the tables say about a name                                    */

enum {
	N_ACC = 1 << 0,  /* acceptable element (forms excepted) */
	N_VOID = 1 << 1, /* written <x />, never closed */
	N_MATHML = 1 << 2,
	N_SKIP = 1 << 3,    /* script, style, applet: their text goes */
	N_RAW = 1 << 4,     /* textarea, noscript: always closed */
	N_BLOCK = 1 << 5,   /* a line break in plain text */
	N_HIDDEN = 1 << 6,  /* no text at all in plain text */
	N_CELL = 1 << 7,    /* a blank in plain text */
	N_SPECIAL = 1 << 8, /* libxml2 treats it apart: no fast path */
	N_EMPTY = 1 << 9,   /* libxml2 closes it at once */
	N_ANIM = 1 << 10,   /* SVG animation */
	A_ACC = 1 << 11,    /* acceptable HTML attribute */
	A_MATHML = 1 << 12,
	A_URL = 1 << 13,    /* followed as a URL */
	A_RELURI = 1 << 14, /* resolved against base on some element */
	A_LOWER = 1 << 15,  /* rel, type: value lower-cased */
	N_SVG = 1 << 16,    /* the svg element */
	N_MATH = 1 << 17,   /* the math element */
	A_STYLE = 1 << 18,
	A_HREF = 1 << 19,
};

struct ninfo {
	const char *name;
	const char *svg_el, *svg_at; /* the SVG spelling, if an SVG name */
	unsigned flags;
};

/* Looked up once per name: libxml2 interns the names it hands out, so
 * the pointer is the key. Emptied with the parser context. */
static _Thread_local struct ninfo *ntab;
static _Thread_local size_t ncap, nused;

static void info_fill(struct ninfo *e, const char *name)
{
	unsigned f = 0;
	e->name = name;
	if (IN(acceptable_elements, name) && strcmp(name, "form"))
		f |= N_ACC;
	if (IN(void_elements, name))
		f |= N_VOID;
	if (IN(mathml_elements, name))
		f |= N_MATHML;
	if (!strcmp(name, "script") || !strcmp(name, "style") ||
	    !strcmp(name, "applet"))
		f |= N_SKIP;
	if (!strcmp(name, "textarea") || !strcmp(name, "noscript"))
		f |= N_RAW;
	if (IN(text_blocks, name))
		f |= N_BLOCK;
	if (IN(text_hidden, name))
		f |= N_HIDDEN;
	if (!strcmp(name, "td") || !strcmp(name, "th") || !strcmp(name, "img"))
		f |= N_CELL;
	if (!strcmp(name, "html") || !strcmp(name, "head") ||
	    !strcmp(name, "body") || !strcmp(name, "script") ||
	    !strcmp(name, "style"))
		f |= N_SPECIAL;
	const htmlElemDesc *d = htmlTagLookup((const xmlChar *)name);
	if (d && d->empty)
		f |= N_EMPTY;
	if (!strcmp(name, "animate") || !strcmp(name, "set") ||
	    !strcmp(name, "animatemotion") ||
	    !strcmp(name, "animatetransform") || !strcmp(name, "animatecolor"))
		f |= N_ANIM;
	if (IN(acceptable_attributes, name))
		f |= A_ACC;
	if (IN(mathml_attributes, name))
		f |= A_MATHML;
	if (IN(url_attrs, name))
		f |= A_URL;
	for (size_t i = 0; i < NELEM(relative_uris); i++) {
		const char *sp = strchr(relative_uris[i], ' ');
		if (sp && !strcmp(sp + 1, name))
			f |= A_RELURI;
	}
	if (!strcmp(name, "rel") || !strcmp(name, "type"))
		f |= A_LOWER;
	if (!strcmp(name, "svg"))
		f |= N_SVG;
	if (!strcmp(name, "math"))
		f |= N_MATH;
	if (!strcmp(name, "style"))
		f |= A_STYLE;
	if (!strcmp(name, "href"))
		f |= A_HREF;
	e->svg_el = pair_get(svg_elements, NELEM(svg_elements), name);
	e->svg_at = pair_get(svg_attributes, NELEM(svg_attributes), name);
	e->flags = f;
}

static size_t info_slot(const char *name, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)name * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 32) & (cap - 1);
}

/* A copy: the table may move when it grows. */
/* The tables are searched by bisection: one out of order would make
 * names silently unknown. */
static void check_order(const char *what, const char *a, const char *b)
{
	if (strcmp(a, b) >= 0) {
		warnmsg("internal error: html_tables.h: %s: \"%s\" before "
			"\"%s\"", what, a, b);
		abort();
	}
}

static void check_tables(void)
{
	static _Thread_local int done;  /* (one check a thread: no lock) */
	if (done)
		return;
	done = 1;
#define CHECK_LIST(l)                                                   \
	for (size_t i = 1; i < NELEM(l); i++)                           \
		check_order(#l, l[i - 1], l[i]);
	CHECK_LIST(acceptable_elements);
	CHECK_LIST(acceptable_attributes);
	CHECK_LIST(mathml_elements);
	CHECK_LIST(mathml_attributes);
	CHECK_LIST(css_properties);
	CHECK_LIST(css_keywords);
	CHECK_LIST(svg_css_properties);
	CHECK_LIST(void_elements);
	CHECK_LIST(uri_schemes);
	CHECK_LIST(relative_uris);
	CHECK_LIST(url_attrs);
	CHECK_LIST(text_blocks);
	CHECK_LIST(text_hidden);
#undef CHECK_LIST
	for (size_t i = 1; i < NELEM(svg_elements); i++)
		check_order("svg_elements", svg_elements[i - 1].key,
			    svg_elements[i].key);
	for (size_t i = 1; i < NELEM(svg_attributes); i++)
		check_order("svg_attributes", svg_attributes[i - 1].key,
			    svg_attributes[i].key);
	for (size_t i = 1; i < NELEM(entities); i++)
		check_order("entities", entities[i - 1].name, entities[i].name);
}

static struct ninfo info(const char *name)
{
	if (!ntab) {
		check_tables();
		ncap = 512;
		nused = 0;
		ntab = xcalloc(ncap, sizeof *ntab);
	}
	size_t i = info_slot(name, ncap);
	while (ntab[i].name) {
		if (ntab[i].name == name)
			return ntab[i];
		i = (i + 1) & (ncap - 1);
	}
	if (2 * (nused + 1) > ncap) {
		struct ninfo *old = ntab;
		size_t oc = ncap;
		ncap *= 2;
		ntab = xcalloc(ncap, sizeof *ntab);
		for (size_t k = 0; k < oc; k++) {
			if (!old[k].name)
				continue;
			size_t j = info_slot(old[k].name, ncap);
			while (ntab[j].name)
				j = (j + 1) & (ncap - 1);
			ntab[j] = old[k];
		}
		free(old);
		i = info_slot(name, ncap);
		while (ntab[i].name)
			i = (i + 1) & (ncap - 1);
	}
	nused++;
	info_fill(&ntab[i], name);
	return ntab[i];
}

static void info_clear(void)
{
	free(ntab);
	ntab = NULL;
	ncap = nused = 0;
}

/* ------------------------------------------------------------------ */
/* CSS, as feedparser's sanitize_style                                 */

static int css_value_ok(const char *w, size_t n)
{
	size_t i = 0;
	if (n && w[0] == '#') {
		for (i = 1; i < n; i++)
			if (!(is_digit((unsigned char)w[i]) ||
			      (w[i] >= 'a' && w[i] <= 'f')))
				return 0;
		return n > 1;
	}
	if (n >= 4 && !memcmp(w, "rgb(", 4)) {
		i = 4;
		size_t st = i;
		while (i < n && is_digit((unsigned char)w[i]))
			i++;
		if (i == st)
			return 0;
		if (i < n && w[i] == '%')
			i++;
		if (i >= n || w[i] != ',')
			return 0;
		i++;
		while (i < n && is_digit((unsigned char)w[i]))
			i++;
		if (i < n && w[i] == '%')
			i++;
		if (i < n && w[i] == ',')
			i++;
		while (i < n && is_digit((unsigned char)w[i]))
			i++;
		if (i < n && w[i] == '%')
			i++;
		if (i < n && w[i] == ')')
			i++;
		return i == n;
	}
	for (int k = 0; k < 2 && i < n && is_digit((unsigned char)w[i]); k++)
		i++;
	if (i < n && w[i] == '.')
		i++;
	for (int k = 0; k < 2 && i < n && is_digit((unsigned char)w[i]); k++)
		i++;
	if (i == n)
		return 1;
	static const char *const units[] = {
		"cm", "em", "ex", "in", "mm", "pc", "pt", "px",
	};
	if (n - i == 1)
		return w[i] == '%' || w[i] == ',' || w[i] == ')';
	if (n - i == 2)
		for (size_t u = 0; u < NELEM(units); u++)
			if (!memcmp(w + i, units[u], 2))
				return 1;
	return 0;
}

static int css_keyword_ok(const char *w, size_t n)
{
	char k[16];
	if (n < sizeof k) {
		memcpy(k, w, n);
		k[n] = '\0';
		if (IN(css_keywords, k))
			return 1;
	}
	return css_value_ok(w, n);
}

/* The gauntlet: ^([:,;#%.\sa-zA-Z0-9!]|\w-\w|'[\s\w]+'|"[\s\w]+"|
 * \([\d,\s]+\))*$, matched by marking reachable positions (linear, no
 * backtracking blow-up). */
static int css_gauntlet(const char *s, size_t n)
{
	unsigned char small[512];
	unsigned char *r = n < sizeof small ? small : xmalloc(n + 1);
	memset(r, 0, n + 1);
	r[0] = 1;
	for (size_t i = 0; i < n; i++) {
		if (!r[i])
			continue;
		unsigned char c = (unsigned char)s[i];
		if (is_alnum(c) || is_space(c) || strchr(":,;#%.!", c))
			r[i + 1] = 1;
		if (i + 2 < n && is_word(c) && s[i + 1] == '-' &&
		    is_word((unsigned char)s[i + 2]))
			r[i + 3] = 1;
		if (c == '\'' || c == '"') {
			size_t k = i + 1;
			while (k < n &&
			       (is_space((unsigned char)s[k]) ||
				is_word((unsigned char)s[k])))
				k++;
			if (k > i + 1 && k < n && s[k] == (char)c)
				r[k + 1] = 1;
		}
		if (c == '(') {
			size_t k = i + 1;
			while (k < n &&
			       (is_digit((unsigned char)s[k]) || s[k] == ',' ||
				is_space((unsigned char)s[k])))
				k++;
			if (k > i + 1 && k < n && s[k] == ')')
				r[k + 1] = 1;
		}
	}
	int ok = r[n];
	if (r != small)
		free(r);
	return ok;
}

static int css_word(int c)
{
	return is_word(c) || c == '-';
}

static void css_sanitize(struct buf *o, const char *in, size_t n, int svg)
{
	struct buf s = {0};
	/* url\s*\(\s*[^\s)]+?\s*\)\s* becomes a blank */
	for (size_t i = 0; i < n;) {
		if (n - i >= 3 && !memcmp(in + i, "url", 3)) {
			size_t k = i + 3;
			while (k < n && is_space((unsigned char)in[k]))
				k++;
			if (k < n && in[k] == '(') {
				k++;
				while (k < n && is_space((unsigned char)in[k]))
					k++;
				size_t st = k;
				while (k < n && in[k] != ')' &&
				       !is_space((unsigned char)in[k]))
					k++;
				size_t tok = k - st;
				while (k < n && is_space((unsigned char)in[k]))
					k++;
				if (tok && k < n && in[k] == ')') {
					k++;
					while (k < n &&
					       is_space((unsigned char)in[k]))
						k++;
					buf_putc(&s, ' ');
					i = k;
					continue;
				}
			}
		}
		buf_putc(&s, in[i]);
		i++;
	}
	const char *t = s.p ? s.p : "";
	size_t m = s.len;
	if (!css_gauntlet(t, m))
		goto out;
	/* nothing may be left once every "prop: value;" is taken out */
	for (size_t i = 0; i < m;) {
		size_t k = i;
		while (k < m && is_space((unsigned char)t[k]))
			k++;
		size_t st = k;
		while (k < m && css_word((unsigned char)t[k]))
			k++;
		if (k > st) {
			while (k < m && is_space((unsigned char)t[k]))
				k++;
			if (k < m && t[k] == ':') {
				k++;
				while (k < m && t[k] != ':' && t[k] != ';')
					k++;
				if (k < m && t[k] == ';')
					k++;
				i = k;
				continue;
			}
		}
		if (!is_space((unsigned char)t[i]))
			goto out;
		i++;
	}
	int first = 1;
	for (size_t i = 0; i < m;) {
		size_t st = i, k = i;
		while (k < m && css_word((unsigned char)t[k]))
			k++;
		if (k == st) {
			i++;
			continue;
		}
		size_t pe = k;
		while (k < m && is_space((unsigned char)t[k]))
			k++;
		if (k >= m || t[k] != ':') {
			i = pe;
			continue;
		}
		k++;
		while (k < m && is_space((unsigned char)t[k]))
			k++;
		size_t vs = k;
		while (k < m && t[k] != ':' && t[k] != ';')
			k++;
		size_t ve = k;
		i = k;
		if (ve == vs)
			continue;
		char prop[40];
		size_t pl = pe - st;
		if (pl >= sizeof prop)
			continue;
		for (size_t j = 0; j < pl; j++)
			prop[j] = (char)lower((unsigned char)t[st + j]);
		prop[pl] = '\0';
		int keep = IN(css_properties, prop);
		if (!keep) {
			char *dash = strchr(prop, '-');
			if (dash)
				*dash = '\0';
			if (!strcmp(prop, "background") ||
			    !strcmp(prop, "border") ||
			    !strcmp(prop, "margin") ||
			    !strcmp(prop, "padding")) {
				keep = 1;
				for (size_t j = vs; j < ve && keep;) {
					while (j < ve &&
					       is_space((unsigned char)t[j]))
						j++;
					size_t ws = j;
					while (j < ve &&
					       !is_space((unsigned char)t[j]))
						j++;
					if (j > ws &&
					    !css_keyword_ok(t + ws, j - ws))
						keep = 0;
				}
			} else if (svg) {
				if (dash)
					*dash = '-';
				keep = IN(svg_css_properties, prop);
			}
		}
		if (!keep)
			continue;
		if (!first)
			buf_putc(o, ' ');
		first = 0;
		buf_add(o, t + st, pl);
		buf_add(o, ": ", 2);
		buf_add(o, t + vs, ve - vs);
		buf_putc(o, ';');
	}
out:
	buf_free(&s);
}

/* ------------------------------------------------------------------ */
/* URL resolution                                                      */

static int url_blank(int c)
{
	return is_space(c) || (c >= 0x1c && c <= 0x1f);
}

/* RFC 3986 5.2.4 on the path of an absolute URI, in place. xmlBuildURI
 * leaves "/./" and "/../" in references that start with '/'. */
static void remove_dots(char *u)
{
	char *p = strstr(u, "://");
	if (p) {
		p += 3;
		p += strcspn(p, "/?#");
	} else {
		p = strchr(u, ':');
		p = p ? p + 1 : u;
	}
	size_t plen = strcspn(p, "?#");
	if (plen == 0 || (!memmem(p, plen, "/.", 2) && p[0] != '.'))
		return;
	char *out = xmalloc(plen + 1), *tail = p + plen;
	size_t o = 0, i = 0;
	while (i < plen) {
		const char *in = p + i;
		size_t left = plen - i;
		if (left >= 3 && !memcmp(in, "../", 3)) {
			i += 3;
		} else if (left >= 2 && !memcmp(in, "./", 2)) {
			i += 2;
		} else if ((left >= 3 && !memcmp(in, "/./", 3))) {
			i += 2;
		} else if (left == 2 && !memcmp(in, "/.", 2)) {
			i += 1;
			out[o++] = '/';
			i += 1;
		} else if ((left >= 4 && !memcmp(in, "/../", 4)) ||
			   (left == 3 && !memcmp(in, "/..", 3))) {
			while (o > 0 && out[--o] != '/')
				;
			if (left == 3) {
				out[o++] = '/';
				i += 3;
			} else {
				i += 3;
			}
		} else if ((left == 1 && in[0] == '.') ||
			   (left == 2 && !memcmp(in, "..", 2))) {
			i = plen;
		} else {
			size_t k = in[0] == '/' ? 1 : 0;
			while (k < left && in[k] != '/')
				k++;
			memcpy(out + o, in, k);
			o += k;
			i += k;
		}
	}
	memmove(p + o, tail, strlen(tail) + 1);
	memcpy(p, out, o);
	free(out);
}

/* Percent-encode what xmlBuildURI refuses: blanks, controls, non-ASCII
 * bytes (UTF-8 is what IRIs map to) and "<>\^`{|}. */
static char *pct_encode(const char *s)
{
	struct buf b = {0};
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"<>\\^`{|}", *p))
			buf_printf(&b, "%%%02X", *p);
		else
			buf_putc(&b, *p);
	}
	return buf_steal(&b);
}

static char *build_uri(const char *ref, const char *base)
{
	xmlChar *r = xmlBuildURI((const xmlChar *)ref, (const xmlChar *)base);
	if (!r)
		return NULL;
	char sch[32];
	/* a base it cannot parse makes xmlBuildURI hand back the reference */
	if (url_scheme((const char *)r, strlen((const char *)r), sch,
		       sizeof sch) <= 0) {
		xml_free(r);
		return NULL;
	}
	char *out = xstrdup((const char *)r);
	xml_free(r);
	remove_dots(out);
	return out;
}

char *url_resolve(const char *base, const char *ref)
{
	if (!ref)
		return NULL;
	size_t n = strlen(ref);
	while (n && url_blank((unsigned char)ref[n - 1]))
		n--;
	while (n && url_blank((unsigned char)*ref)) {
		ref++;
		n--;
	}
	char *r = xstrndup(ref, n);
	char sch[32];
	if (!base || !*base || url_scheme(r, n, sch, sizeof sch) != 0)
		return r;
	char *out = build_uri(r, base);
	if (!out) {
		char *er = pct_encode(r), *eb = pct_encode(base);
		out = build_uri(er, eb);
		free(er);
		free(eb);
	}
	if (!out)
		return r;
	free(r);
	return out;
}

/* feedparser's urls._urljoin: extra slashes after "scheme://" go. */
static void urifix(struct buf *o, const char *u, size_t n)
{
	size_t i = 0;
	if (n && is_alpha((unsigned char)u[0])) {
		i = 1;
		while (i < n &&
		       (is_alnum((unsigned char)u[i]) ||
			(u[i] >= '+' && u[i] <= '.')))
			i++;
		if (n - i >= 3 && !memcmp(u + i, "://", 3)) {
			i += 3;
			buf_add(o, u, i);
			while (i < n && u[i] == '/')
				i++;
			buf_add(o, u + i, n - i);
			return;
		}
	}
	buf_add(o, u, n);
}

/*
 * feedparser's RelativeURIResolver on one value (into o; returns 0 to
 * keep the value as it was): stripped, joined to base, and kept only if
 * the result has an acceptable scheme.
 */
static int resolve_value(struct state *s, struct buf *o, const char *v,
			 size_t n)
{
	while (n && url_blank((unsigned char)v[n - 1]))
		n--;
	while (n && url_blank((unsigned char)*v)) {
		v++;
		n--;
	}
	if (!s->base || !*s->base) {
		if (!n)
			return 0;
		buf_add(o, v, n);
		return 1;
	}
	char *joined;
	if (!n) {
		joined = xstrdup(s->base);
	} else {
		struct buf f = {0};
		urifix(&f, v, n);
		joined = url_resolve(s->base, f.p);
		buf_free(&f);
	}
	char sch[32];
	int ok = url_scheme(joined, strlen(joined), sch, sizeof sch) > 0 &&
		IN(uri_schemes, sch);
	if (ok)
		buf_puts(o, joined);
	free(joined);
	return ok;
}

/* ------------------------------------------------------------------ */
/* The sanitiser's SAX handlers                                        */

#define SVG_NS "http://www.w3.org/2000/svg"
#define MATH_NS "http://www.w3.org/1998/Math/MathML"
#define XLINK_NS "http://www.w3.org/1999/xlink"

/* sgmllib gives a value-less attribute its own name as value. */
static const char *att_val(const xmlChar **atts, size_t i)
{
	return (const char *)(atts[i + 1] ? atts[i + 1] : atts[i]);
}

static const char *find_att(const xmlChar **atts, const char *key)
{
	const char *v = NULL;
	for (size_t i = 0; atts && atts[i]; i += 2)
		if (!strcmp((const char *)atts[i], key))
			v = att_val(atts, i);
	return v;
}

static int has_pair(const xmlChar **atts, const char *key, const char *val)
{
	for (size_t i = 0; atts && atts[i]; i += 2)
		if (!strcmp((const char *)atts[i], key) &&
		    !strcmp(att_val(atts, i), val))
			return 1;
	return 0;
}

/* SVG animation aimed at a link target would turn it into script. */
static int animates_url(const char *v, size_t n)
{
	struct buf d = {0};
	decode_attr(&d, v, n);
	size_t a = 0, b = d.len;
	while (a < b && (unsigned char)d.p[a] <= 0x20)
		a++;
	while (b > a && (unsigned char)d.p[b - 1] <= 0x20)
		b--;
	int bad = 0;
	for (size_t i = 0; i < NELEM(url_attrs) && !bad; i++) {
		size_t l = strlen(url_attrs[i]);
		if (b - a >= l && !strncasecmp(d.p + b - l, url_attrs[i], l) &&
		    (b - a == l || d.p[b - l - 1] == ':'))
			bad = 1;
	}
	buf_free(&d);
	return bad;
}

static void write_start(struct state *s, struct frame *f, const char *tag,
			const xmlChar **atts, const char *add_xmlns, int svgmap,
			unsigned accbit)
{
	size_t na = 0;
	for (size_t i = 0; atts && atts[i]; i += 2)
		na++;
	int xlink = 0;
	if (s->svg || s->math) {
		for (size_t i = 0; atts && atts[i]; i += 2)
			if (!strncmp((const char *)atts[i], "xlink:", 6))
				xlink = 1;
		if (xlink && has_pair(atts, "xmlns:xlink", XLINK_NS))
			xlink = 0;
	}
	if (na + 2 > s->capat) {
		s->capat = na + 16;
		s->at = xrealloc(s->at, s->capat * sizeof *s->at);
	}
	buf_reset(&s->vals);
	size_t n = 0;
	const struct ninfo ti = info(f->name);
	for (size_t i = 0; i < na + 2; i++) {
		const char *key, *val;
		if (i < na) {
			key = (const char *)atts[2 * i];
			val = att_val(atts, 2 * i);
		} else if (i == na && add_xmlns) {
			key = "xmlns";
			val = add_xmlns;
		} else if (i == na + 1 && xlink) {
			key = "xmlns:xlink";
			val = XLINK_NS;
		} else {
			continue;
		}
		/* a later duplicate wins, as in feedparser's dict; both
		 * tokenisers leave only the xmlns we add to collide */
		size_t k = n;
		if (i >= na)
			for (k = 0; k < n; k++)
				if (!strcmp(s->at[k].key, key))
					break;
		struct attr *a = &s->at[k];
		if (k == n)
			n++;
		a->key = key;
		const struct ninfo ki = info(key);
		a->flags = ki.flags;
		a->svg_at = ki.svg_at;
		/* what will not be written is not worked on */
		if (ki.flags & A_STYLE)
			a->drop = accbit != A_ACC;
		else if (svgmap)
			a->drop = !ki.svg_at;
		else
			a->drop = !(ki.flags & accbit);
		a->off = a->len = 0;
		if (a->drop)
			continue;
		size_t vn = strlen(val);
		struct buf *v = &s->tmp;
		buf_reset(v);
		if (!memchr(val, '&', vn))
			put_n(v, val, vn);
		else
			sgml_refs(v, val, vn);
		if (ki.flags & A_LOWER)
			for (size_t j = 0; j < v->len; j++)
				v->p[j] = (char)lower((unsigned char)v->p[j]);
		char rk[64];
		size_t ln = strlen(f->name), lk = strlen(key);
		if ((ki.flags & A_RELURI) && ln + lk + 2 <= sizeof rk) {
			memcpy(rk, f->name, ln);
			rk[ln] = ' ';
			memcpy(rk + ln + 1, key, lk + 1);
			if (IN(relative_uris, rk)) {
				buf_reset(&s->tmp2);
				if (resolve_value(s, &s->tmp2, v->p ? v->p : "",
						  v->len)) {
					struct buf t = s->tmp;
					s->tmp = s->tmp2;
					s->tmp2 = t;
					v = &s->tmp;
				}
			}
		}
		a->off = s->vals.len;
		attr_escape(&s->vals, v->p ? v->p : "", v->len);
		a->len = s->vals.len - a->off;
	}
	/* feedparser sorts attributes by name; there are few */
	for (size_t i = 1; i < n; i++) {
		struct attr t = s->at[i];
		size_t j = i;
		while (j > 0 && strcmp(s->at[j - 1].key, t.key) > 0) {
			s->at[j] = s->at[j - 1];
			j--;
		}
		s->at[j] = t;
	}

	struct buf *o = s->out;
	put_c(o, '<');
	put_n(o, tag, strlen(tag));
	for (size_t i = 0; i < n; i++) {
		struct attr *a = &s->at[i];
		if (a->drop)
			continue;
		const char *v = s->vals.p ? s->vals.p + a->off : "";
		const char *key = a->key;
		size_t vl = a->len;
		if (a->flags & A_STYLE) {
			buf_reset(&s->tmp);
			css_sanitize(&s->tmp, v, vl, s->svg);
			if (!s->tmp.len)
				continue;
			put_n(o, " style=\"", 8);
			put_n(o, s->tmp.p, s->tmp.len);
			put_c(o, '"');
			continue;
		}
		if (svgmap)
			key = a->svg_at;
		/* feedparser blanks an href with a scheme off its list; we
		 * also look through references, and at every URL attribute */
		if ((a->flags & A_URL) &&
		    (!scheme_ok(v, vl) ||
		     (memchr(v, '&', vl) && !url_is_safe(v, vl)))) {
			if (!(a->flags & A_HREF))
				continue;
			vl = 0;
		}
		if ((ti.flags & N_ANIM) && !strcmp(a->key, "attributename") &&
		    animates_url(v, vl))
			continue;
		put_c(o, ' ');
		put_n(o, key, strlen(key));
		put_n(o, "=\"", 2);
		put_n(o, v, vl);
		put_c(o, '"');
	}
	if (ti.flags & N_VOID) {
		put_n(o, " />", 3);
		f->flags |= F_VOID;
	} else {
		put_c(o, '>');
	}
	f->out = tag;
	if (ti.flags & N_RAW) {
		f->flags |= F_RAW;
		s->raw++;
	}
}

/* The sanitiser's start tag. real: the source wrote it (libxml2 also
 * invents <p> and we add the wrapper); selfclose: it ended in "/>". */
static void do_start(struct state *s, const char *name, const xmlChar **atts,
		     int real, int selfclose)
{
	flush_text(s);
	struct frame *f = push(s, name);
	if (!real)
		return;
	if (selfclose)
		f->flags |= F_SELFCLOSE;
	if (!atts || !atts[0])
		f->flags |= F_NOATTR;

	const struct ninfo ni = info(name);
	const char *tag = name;
	unsigned accbit = A_ACC;
	const char *add_xmlns = NULL;
	int svgmap = 0;
	/* forms go, beyond feedparser: nothing in a feed may post */
	int ok = ni.flags & N_ACC;
	if (!ok || s->svg) {
		if (ni.flags & N_SKIP) {
			s->skip++;
			f->flags |= F_SKIP;
		}
		if (ni.flags & (N_SVG | N_MATH)) {
			const char *xmlns = find_att(atts, "xmlns");
			if (!s->xhtml && (!xmlns || !*xmlns))
				add_xmlns =
					(ni.flags & N_SVG) ? SVG_NS : MATH_NS;
		}
		if ((ni.flags & N_MATH) &&
		    (add_xmlns || has_pair(atts, "xmlns", MATH_NS))) {
			s->math++;
			f->flags |= F_MATH;
		}
		if ((ni.flags & N_SVG) &&
		    (add_xmlns || has_pair(atts, "xmlns", SVG_NS))) {
			s->svg++;
			f->flags |= F_SVG;
		}
		if (s->math && (ni.flags & N_MATHML)) {
			accbit = A_MATHML;
		} else if (s->svg && ni.svg_el) {
			tag = ni.svg_el;
			svgmap = 1;
		} else if (!ok) {
			return;
		}
	}
	write_start(s, f, tag, atts, add_xmlns, svgmap, accbit);
}

static void close_frame(struct state *s, struct frame *f, int expl)
{
	if (f->flags & F_SKIP)
		s->skip--;
	if (f->flags & F_SVG)
		s->svg--;
	if (f->flags & F_MATH)
		s->math--;
	if (f->flags & F_RAW)
		s->raw--;
	if (!f->out || (f->flags & F_VOID))
		return;
	int w = expl || (f->flags & F_RAW);
	if (!w && (f->flags & F_SELFCLOSE))
		w = s->xhtml || (f->flags & F_NOATTR);
	if (w) {
		buf_add(s->out, "</", 2);
		buf_puts(s->out, f->out);
		buf_putc(s->out, '>');
	}
}

/* The sanitiser's end tag; expl: the source wrote it. */
static void do_end(struct state *s, const char *name, int expl)
{
	flush_text(s);
	size_t i = s->nst;
	while (i > 0 && s->st[i - 1].name != name &&
	       strcmp(s->st[i - 1].name, name))
		i--;
	if (i == 0)
		return;
	while (s->nst > i)
		close_frame(s, &s->st[--s->nst], 0);
	close_frame(s, &s->st[--s->nst], expl);
}

/*
 * Comments stay, as in feedparser, but only those no browser could end
 * early or read as something else: no "--", no leading ">" or "->", no
 * IE conditional, and no markup in them where a browser may be reading
 * raw text (textarea, noscript) or foreign content.
 */
static void do_comment(struct state *s, const char *c, size_t n)
{
	flush_text(s);
	if (memmem(c, n, "--", 2) || (n && c[0] == '>') ||
	    (n >= 2 && !memcmp(c, "->", 2)) || (n && c[n - 1] == '-') ||
	    (n >= 3 && !memcmp(c, "[if", 3)))
		return;
	if ((s->raw || s->svg || s->math) &&
	    (memchr(c, '<', n) || memchr(c, '>', n)))
		return;
	buf_add(s->out, "<!--", 4);
	buf_add(s->out, c, n);
	buf_add(s->out, "-->", 3);
}

/* ------------------------------------------------------------------ */
/* html_to_text's events                                               */

/* 1: a byte text_put must look at (blanks, controls, the lead bytes of
 * NBSP and the other Unicode spaces) */
static const unsigned char text_special[256] = {
	[0 ... ' '] = 1, [0x7f] = 1, [0xc2] = 1, [0xe2] = 1, [0xe3] = 1,
};

/* Append text, blanks collapsed: a pending line break or blank is
 * written only before the next visible character. */
static void text_put(struct state *s, const char *p, size_t n)
{
	struct buf *o = s->out;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)p[i];
		if (!text_special[c]) {
			size_t j = i + 1;
			while (j < n && !text_special[(unsigned char)p[j]])
				j++;
			if (o->len) {
				if (s->nl)
					put_c(o, '\n');
				else if (s->sp)
					put_c(o, ' ');
			}
			s->nl = s->sp = 0;
			put_n(o, p + i, j - i);
			i = j;
			continue;
		}
		size_t w = 0;
		if (is_space(c))
			w = 1;
		else if (c == 0xc2 && i + 1 < n &&
			 (unsigned char)p[i + 1] == 0xa0)
			w = 2;
		else if (c == 0xe2 && i + 2 < n &&
			 (unsigned char)p[i + 1] == 0x80 &&
			 (((unsigned char)p[i + 2] >= 0x80 &&
			   (unsigned char)p[i + 2] <= 0x8a) ||
			  (unsigned char)p[i + 2] == 0xaf))
			w = 3;
		else if (c == 0xe3 && i + 2 < n &&
			 (unsigned char)p[i + 1] == 0x80 &&
			 (unsigned char)p[i + 2] == 0x80)
			w = 3;
		if (w) {
			s->sp = 1;
			i += w;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			i++;
			continue;
		}
		if (o->len) {
			if (s->nl)
				put_c(o, '\n');
			else if (s->sp)
				put_c(o, ' ');
		}
		s->nl = s->sp = 0;
		put_c(o, (char)c);
		i++;
	}
}

static void text_flush(struct state *s)
{
	if (!s->text.len)
		return;
	buf_reset(&s->tmp);
	decode_attr(&s->tmp, s->text.p, s->text.len);
	text_put(s, s->tmp.p, s->tmp.len);
	buf_reset(&s->text);
}

static void t_start(struct state *s, const char *name, int real)
{
	text_flush(s);
	struct frame *f = push(s, name);
	if (!real)
		return;
	unsigned fl = info(name).flags;
	if (fl & N_HIDDEN) {
		f->flags |= F_HIDE;
		s->hide++;
	}
	if (fl & N_BLOCK) {
		f->flags |= F_BLOCK;
		s->nl = 1;
	} else if (fl & N_CELL) {
		s->sp = 1;
	}
}

static void t_end(struct state *s, const char *name)
{
	text_flush(s);
	size_t i = s->nst;
	while (i > 0 && s->st[i - 1].name != name &&
	       strcmp(s->st[i - 1].name, name))
		i--;
	if (i == 0)
		return;
	while (s->nst >= i) {
		struct frame *f = &s->st[--s->nst];
		if (f->flags & F_HIDE)
			s->hide--;
		if (f->flags & F_BLOCK)
			s->nl = 1;
	}
}

/* Events from either tokeniser go through these. */
static void ev_start(struct state *s, const char *name, const xmlChar **atts,
		     int real, int selfclose)
{
	if (s->text_mode)
		t_start(s, name, real);
	else
		do_start(s, name, atts, real, selfclose);
}

static void ev_end(struct state *s, const char *name, int expl)
{
	if (s->text_mode)
		t_end(s, name);
	else
		do_end(s, name, expl);
}

/* complete: p..n is a whole run of text, not a piece of one */
static void ev_chars(struct state *s, const char *p, size_t n, int complete)
{
	if (s->text_mode) {
		if (s->hide > 0)
			return;
		if (complete && !s->text.len && !memchr(p, '&', n)) {
			text_put(s, p, n);
			return;
		}
	} else {
		if (s->skip > 0)
			return;
		if (complete && !s->text.len) {
			write_text(s->out, p, n);
			return;
		}
	}
	put_n(&s->text, p, n);
}

static void ev_comment(struct state *s, const char *c, size_t n)
{
	if (!s->text_mode)
		do_comment(s, c, n);
}

/* ------------------------------------------------------------------ */
/* libxml2's SAX callbacks                                             */

/*
 * libxml2 looks through all open elements at each end tag: a document
 * nested deeper than this with many stray end tags would take quadratic
 * time. No feed content nests so deep; what follows is dropped.
 */
#define MAX_DEPTH 256

static void cb_start(void *ud, const xmlChar *xname, const xmlChar **atts)
{
	struct state *s = tls_st;
	const char *name = (const char *)xname;
	(void)ud;
	if (s->ctxt->nameNr > MAX_DEPTH) {
		xmlStopParser(s->ctxt);
		return;
	}
	int real = s->nst > 0 && real_start(s, name), sc = 0;
	if (real) {
		size_t off = cur_off(s);
		sc = off + 1 < s->srclen && s->src[off] == '/' &&
			s->src[off + 1] == '>';
	}
	ev_start(s, name, atts, real, sc);
}

static void cb_end(void *ud, const xmlChar *xname)
{
	struct state *s = tls_st;
	const char *name = (const char *)xname;
	(void)ud;
	ev_end(s, name, explicit_end(s, name));
}

static void cb_chars(void *ud, const xmlChar *ch, int len)
{
	(void)ud;
	if (len > 0)
		ev_chars(tls_st, (const char *)ch, (size_t)len, 0);
}

static void cb_comment(void *ud, const xmlChar *v)
{
	(void)ud;
	ev_comment(tls_st, (const char *)v, strlen((const char *)v));
}

static void quiet(void *ud, xmlErrorPtr e)
{
	(void)ud;
	(void)e;
}

/* ------------------------------------------------------------------ */
/* The fast path                                                       */

/*
 * Most feed HTML (WordPress's above all) is tidy: quoted attributes,
 * tags that nest, no scripts. libxml2's HTML parser reads it at some
 * 50 MB/s; this tokeniser reads it several times faster and gives the
 * very events libxml2 would. It gives up — and libxml2 reads the whole
 * fragment — on anything where the two could differ: an end tag that
 * does not close the open element, a start tag that makes libxml2 close
 * one (its own tables decide), html/head/body/script/style, doctype,
 * PI, CDATA, "<" that is not a tag, unquoted or repeated attributes,
 * control characters, invalid UTF-8, unterminated comments or tags.
 */

/* 1: ends a text run (markup, control characters, non-ASCII) */
static const unsigned char text_stop[256] = {
	/* GNU range designators: gcc and clang both take them */
	[0 ... 8] = 1, [11 ... 12] = 1, [14 ... 0x1f] = 1, ['<'] = 1,
	[0x80 ... 0xff] = 1,
};

/* A character libxml2 takes as it is (XML's Char, no NUL). */
static size_t fast_char(const unsigned char *p, size_t n)
{
	unsigned c = *p;
	if (c < 0x80)
		return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1
									  : 0;
	size_t l = utf8_len(p, n);
	if (l == 3 && c == 0xef && p[1] == 0xbf && p[2] >= 0xbe)
		return 0; /* U+FFFE, U+FFFF */
	return l;
}

/* The fast path's names by their bytes: one hash gives the interned
 * name and what the tables say of it. Emptied with the context. */
struct sname {
	const char *name;  /* from libxml2's dictionary */
	size_t len;
	uint32_t hash;
	unsigned flags;
};
static _Thread_local struct sname *stab;
static _Thread_local size_t scap, sused;

static void sname_clear(void)
{
	free(stab);
	stab = NULL;
	scap = sused = 0;
}

static const struct sname *sname_add(struct state *s, const char *low,
				     size_t len, uint32_t h)
{
	if (2 * (sused + 1) > scap) {
		struct sname *old = stab;
		size_t oc = scap;
		scap = scap ? 2 * scap : 256;
		stab = xcalloc(scap, sizeof *stab);
		for (size_t k = 0; k < oc; k++) {
			if (!old[k].name)
				continue;
			size_t j = old[k].hash & (scap - 1);
			while (stab[j].name)
				j = (j + 1) & (scap - 1);
			stab[j] = old[k];
		}
		free(old);
	}
	const char *name = (const char *)xmlDictLookup(
		s->ctxt->dict, (const xmlChar *)low, (int)len);
	if (!name)
		return NULL;
	size_t j = h & (scap - 1);
	while (stab[j].name)
		j = (j + 1) & (scap - 1);
	stab[j].name = name;
	stab[j].len = len;
	stab[j].hash = h;
	stab[j].flags = info(name).flags;
	sused++;
	return &stab[j];
}

/* Name as libxml2's htmlParseHTMLName reads it, lower-cased and
 * interned, with its table bits; 0 when there is none or it is too long
 * to be read the same way. */
static size_t fast_name(struct state *s, const char *p, size_t n,
			const char **out, unsigned *flags)
{
	char low[96];
	size_t i = 0;
	uint32_t h = 2166136261u;
	if (!n ||
	    !(is_alpha((unsigned char)p[0]) || p[0] == '_' || p[0] == ':' ||
	      p[0] == '.'))
		return 0;
	while (i < n && name_char((unsigned char)p[i])) {
		if (i + 1 >= sizeof low)
			return 0;
		low[i] = (char)lower((unsigned char)p[i]);
		h = (h ^ (unsigned char)low[i]) * 16777619u;
		i++;
	}
	if (scap) {
		for (size_t j = h & (scap - 1); stab[j].name;
		     j = (j + 1) & (scap - 1)) {
			if (stab[j].hash == h && stab[j].len == i &&
			    !memcmp(stab[j].name, low, i)) {
				*out = stab[j].name;
				*flags = stab[j].flags;
				return i;
			}
		}
	}
	const struct sname *e = sname_add(s, low, i, h);
	if (!e)
		return 0;
	*out = e->name;
	*flags = e->flags;
	return i;
}

static _Thread_local struct {
	const char *tag, *top;
	int v;
} acache[512];

static int autocloses(const char *tag, const char *top);

/* Would libxml2 close the open element top when tag starts? */
static int fast_autocloses(const char *tag, const char *top)
{
	uint64_t h = ((uint64_t)(uintptr_t)tag * 31 + (uintptr_t)top) *
		0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h >> 32) % NELEM(acache);
	if (acache[i].tag != tag || acache[i].top != top) {
		acache[i].tag = tag;
		acache[i].top = top;
		acache[i].v = autocloses(tag, top);
	}
	return acache[i].v;
}

static int autocloses(const char *tag, const char *top)
{
	static const char *const same[] = {
		"a", "col",   "colgroup", "form", "li", "option",
		"p", "tbody", "td",       "th",   "tr",
	};
	if (!strcmp(tag, top))
		return IN(same, tag);
	xmlNode n;
	memset(&n, 0, sizeof n);
	n.type = XML_ELEMENT_NODE;
	n.name = (const xmlChar *)tag;
	return htmlAutoCloseTag(NULL, (const xmlChar *)top, &n);
}

/* Where the run of bytes 0x20..0x7f from k (up to e) ends; eight at a
 * time. If lt, '<' ends it too. */
static size_t ascii_run(const unsigned char *u, size_t k, size_t e, int lt)
{
	const uint64_t hi = 0x8080808080808080ull;
	const uint64_t one = 0x0101010101010101ull;
	while (k + 8 <= e) {
		uint64_t x;
		memcpy(&x, u + k, 8);
		uint64_t l = x ^ (one * '<');
		if ((x & hi) || (((x | hi) - one * 0x20) & hi) != hi ||
		    (lt && ((l - one) & ~l & hi)))
			break;
		k += 8;
	}
	while (k < e && u[k] >= 0x20 && u[k] < 0x80 && !(lt && u[k] == '<'))
		k++;
	return k;
}

/* Returns 1 when it read the whole input, 0 when libxml2 must. */
static int fast_parse(struct state *s, const char *in, size_t n)
{
	const unsigned char *u = (const unsigned char *)in;
	const char **names = NULL; /* the open elements */
	size_t nn = 0, capn = 0;
	const xmlChar *atts[2 * 64 + 2];
	size_t voff[64];
	int ok = 0;
	size_t i = 0, t = 0;
	while (i < n) {
		i = ascii_run(u, i, n, 1);
		while (i < n && !text_stop[u[i]])
			i++;
		if (i >= n)
			break;
		if (u[i] != '<') {
			size_t l = fast_char(u + i, n - i);
			if (!l)
				goto out;
			i += l;
			continue;
		}
		if (i > t)
			ev_chars(s, in + t, i - t, 1);
		size_t left = n - i;
		if (left >= 4 && !memcmp(in + i, "<!--", 4)) {
			size_t k = i + 4, end = 0;
			for (; k + 1 < n; k++) {
				if (u[k] == '-' && u[k + 1] == '-') {
					size_t r = k + 2;
					while (r < n && is_space(u[r]))
						r++;
					if (r < n && u[r] == '>') {
						end = r + 1;
						break;
					}
				}
				size_t l = fast_char(u + k, n - k);
				if (!l)
					goto out;
				k += l - 1;
			}
			if (!end)
				goto out;
			ev_comment(s, in + i + 4, k - i - 4);
			i = t = end;
			continue;
		}
		if (left >= 3 && u[i + 1] == '/' && is_alpha(u[i + 2])) {
			const char *name;
			unsigned fl;
			size_t l =
				fast_name(s, in + i + 2, n - i - 2, &name, &fl);
			size_t k = i + 2 + l;
			while (k < n && html_blank(u[k]))
				k++;
			if (!l || k >= n || u[k] != '>' || !nn ||
			    names[nn - 1] != name)
				goto out;
			nn--;
			ev_end(s, name, 1);
			i = t = k + 1;
			continue;
		}
		if (left < 2 || !is_alpha(u[i + 1]))
			goto out;
		const char *name;
		unsigned nf;
		size_t l = fast_name(s, in + i + 1, n - i - 1, &name, &nf);
		if (!l || (nf & N_SPECIAL))
			goto out;
		if (nn && fast_autocloses(name, names[nn - 1]))
			goto out;
		size_t k = i + 1 + l, na = 0;
		int selfclose = 0, blank = 0;
		buf_reset(&s->fvals);
		for (;;) {
			while (k < n && html_blank(u[k])) {
				k++;
				blank = 1;
			}
			if (k >= n)
				goto out;
			if (u[k] == '>') {
				k++;
				break;
			}
			if (u[k] == '/') {
				if (k + 1 >= n || u[k + 1] != '>')
					goto out;
				selfclose = 1;
				k += 2;
				break;
			}
			const char *an;
			unsigned af;
			size_t al;
			if (!blank || na == 64 ||
			    !(al = fast_name(s, in + k, n - k, &an, &af)))
				goto out;
			for (size_t j = 0; j < na; j++)
				if ((const char *)atts[2 * j] == an)
					goto out;
			k += al;
			if (k < n && u[k] == '$')
				k++;
			blank = 0;
			while (k < n && html_blank(u[k])) {
				k++;
				blank = 1;
			}
			atts[2 * na] = (const xmlChar *)an;
			voff[na] = (size_t)-1;
			if (k < n && u[k] == '=') {
				k++;
				while (k < n && html_blank(u[k]))
					k++;
				if (k >= n || (u[k] != '"' && u[k] != '\''))
					goto out;
				unsigned char q = u[k++];
				size_t vs = k;
				const unsigned char *qe =
					memchr(u + k, q, n - k);
				if (!qe)
					goto out;
				size_t ve = (size_t)(qe - u);
				while ((k = ascii_run(u, k, ve, 0)) < ve) {
					size_t cl = fast_char(u + k, ve - k);
					if (!cl)
						goto out;
					k += cl;
				}
				blank = 0;
				voff[na] = s->fvals.len;
				put_n(&s->fvals, in + vs, k - vs);
				put_c(&s->fvals, '\0');
				k++;
				if (k < n && !html_blank(u[k]) && u[k] != '>' &&
				    u[k] != '/')
					goto out;
			}
			na++;
		}
		for (size_t j = 0; j < na; j++)
			atts[2 * j + 1] = voff[j] == (size_t)-1
				? NULL
				: (const xmlChar *)s->fvals.p + voff[j];
		atts[2 * na] = NULL;
		atts[2 * na + 1] = NULL;
		/* values live in fvals, which the handlers leave alone */
		ev_start(s, name, na ? atts : NULL, 1, selfclose);
		if (selfclose || (nf & N_EMPTY)) {
			ev_end(s, name, 0);
		} else {
			/* near the limit, libxml2 decides (and stops) */
			if (nn >= MAX_DEPTH - 8)
				goto out;
			if (nn == capn) {
				capn = capn ? 2 * capn : 32;
				names = xrealloc(names, capn * sizeof *names);
			}
			names[nn++] = name;
		}
		i = t = k;
	}
	if (n > t)
		ev_chars(s, in + t, n - t, 1);
	while (nn)
		ev_end(s, names[--nn], 0);
	ok = 1;
out:
	free(names);
	return ok;
}

/* ------------------------------------------------------------------ */
/* Driving libxml2                                                     */

static void free_ctxt(void)
{
	if (tls_ctxt) {
		htmlFreeParserCtxt(tls_ctxt);
		tls_ctxt = NULL;
	}
	info_clear();
	sname_clear();
	memset(acache, 0, sizeof acache);
}

/* One parser context per thread, reused: creating one costs more than
 * parsing a short summary. Renewed now and then so that its name
 * dictionary cannot grow without bound on hostile input. */
static htmlParserCtxtPtr get_ctxt(void)
{
	static _Thread_local unsigned uses;
	static _Thread_local int registered;
	if (tls_ctxt &&
	    (++uses > 20000 ||
	     (tls_ctxt->dict && xmlDictSize(tls_ctxt->dict) > 50000)))
		free_ctxt();
	if (!tls_ctxt) {
		uses = 0;
		tls_ctxt = htmlNewParserCtxt();
		if (!tls_ctxt) {
			warnmsg("out of memory");
			exit(EXIT_FAIL);
		}
		if (!registered) {
			registered = 1;
			atexit(free_ctxt);
		}
	}
	return tls_ctxt;
}

static void reset_state(struct state *s)
{
	buf_reset(s->out);
	buf_reset(&s->text);
	s->nst = 0;
	s->skip = s->svg = s->math = s->raw = s->hide = 0;
	s->nl = s->sp = 0;
}

static void libxml2_parse(struct state *s, const char *html, size_t len)
{
	struct buf in = {0};
	/* libxml2 takes an int length; no feed content comes near it */
	if (len > (size_t)INT32_MAX / 2)
		len = (size_t)INT32_MAX / 2;
	prepare(&in, html, len);
	s->src = in.p;
	s->srclen = in.len;
	s->last_end = (size_t)-1;
	s->scan_off = (size_t)-1;
	htmlSAXHandler h;
	memset(&h, 0, sizeof h);
	h.startElement = cb_start;
	h.endElement = cb_end;
	h.characters = cb_chars;
	h.ignorableWhitespace = cb_chars;
	h.cdataBlock = cb_chars;
	h.comment = cb_comment;
	h.serror = quiet;
	h.initialized = XML_SAX2_MAGIC;
	htmlParserCtxtPtr c = s->ctxt;
	memcpy(c->sax, &h, sizeof h);
	htmlCtxtReadMemory(c, in.p, (int)in.len, NULL, "UTF-8",
			   HTML_PARSE_RECOVER | HTML_PARSE_NONET |
				   HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				   HTML_PARSE_NOIMPLIED | HTML_PARSE_NODEFDTD |
				   HTML_PARSE_IGNORE_ENC);
	if (c->myDoc) {
		xmlFreeDoc(c->myDoc);
		c->myDoc = NULL;
	}
	buf_free(&in);
	s->src = NULL;
	s->srclen = 0;
}

/* Test hook: 1 forces libxml2, -1 forbids it (html_fast_only). */
int html_force_path;

static void parse(struct state *s, const char *html, size_t len, int text)
{
	s->text_mode = text;
	s->ctxt = get_ctxt();
	struct state *prev = tls_st;
	tls_st = s;
	int done = 0;
	if (html_force_path != 1) {
		done = fast_parse(s, html, len);
		if (!done)
			reset_state(s);
	}
	if (!done && html_force_path != -1)
		libxml2_parse(s, html, len);
	if (text) {
		text_flush(s);
	} else {
		flush_text(s);
		/* a stopped parse leaves elements open: a textarea or
		 * noscript must still be closed */
		while (s->nst)
			close_frame(s, &s->st[--s->nst], 0);
	}
	tls_st = prev;
	free(s->st);
	free(s->at);
	buf_free(&s->text);
	buf_free(&s->vals);
	buf_free(&s->tmp);
	buf_free(&s->tmp2);
	buf_free(&s->fvals);
}

/* Python's str.isspace, on the UTF-8 at p; returns its length or 0. */
static size_t py_space(const unsigned char *p, size_t n)
{
	if (is_space(*p) || (*p >= 0x1c && *p <= 0x1f))
		return 1;
	if (n >= 2 && p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0))
		return 2;
	if (n >= 3 && p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80)
		return 3;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	    ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xa8 || p[2] == 0xa9 ||
	     p[2] == 0xaf))
		return 3;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)
		return 3;
	if (n >= 3 && p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

/* feedparser's last step: strip(), then "\r\n" -> "\n". */
static char *finish(struct buf *b)
{
	if (!b->p)
		return xstrdup("");
	const unsigned char *p = (const unsigned char *)b->p;
	size_t a = 0, e = b->len, l;
	while (a < e && (l = py_space(p + a, e - a)))
		a += l;
	for (;;) {
		size_t k = e;
		if (k > a && py_space(p + k - 1, 1))
			k--;
		else if (k >= a + 2 && py_space(p + k - 2, 2) == 2)
			k -= 2;
		else if (k >= a + 3 && py_space(p + k - 3, 3) == 3)
			k -= 3;
		if (k == e)
			break;
		e = k;
	}
	char *out = b->p;
	size_t o = 0;
	if (!memchr(out + a, '\r', e - a)) {
		memmove(out, out + a, e - a);
		o = e - a;
	} else {
		for (size_t i = a; i < e; i++) {
			if (p[i] == '\r' && i + 1 < e && p[i + 1] == '\n')
				continue;
			out[o++] = (char)p[i];
		}
	}
	out[o] = '\0';
	b->p = NULL;
	b->len = b->cap = 0;
	return out;
}

static char *sanitize(const char *html, size_t len, const char *base, int xhtml)
{
	struct buf out = {0};
	if (!html)
		return xstrdup("");
	struct state s;
	memset(&s, 0, sizeof s);
	buf_grow(&out, len + len / 8 + 16);
	s.out = &out;
	s.base = base;
	s.xhtml = xhtml;
	parse(&s, html, len, 0);
	return finish(&out);
}

char *html_sanitize(const char *html, size_t len, const char *base)
{
	return sanitize(html, len, base, 0);
}

char *html_sanitize_xhtml(const char *html, size_t len, const char *base)
{
	return sanitize(html, len, base, 1);
}

void html_thread_end(void)
{
	free_ctxt();
}

char *html_to_text(const char *html, size_t len)
{
	struct buf out = {0};
	if (!html)
		return xstrdup("");
	struct state s;
	memset(&s, 0, sizeof s);
	buf_grow(&out, len / 2 + 16);
	out.p[0] = '\0';
	s.out = &out;
	parse(&s, html, len, 1);
	return buf_steal(&out);
}

void html_escape(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		default: buf_putc(out, s[i]);
		}
	}
}
