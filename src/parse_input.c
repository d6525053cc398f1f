/*
 * parse_input.c — raw bytes into a UTF-8 XML stream libxml2 can read
 * without tripping: the prelude (BOM, HTTP charset, XML declaration,
 * junk before "<?xml", JSON detection), decoding, and the repair pass.
 *
 * Why repair before libxml2 rather than rely on its recovery mode: after
 * a mismatched end tag libxml2 reports the name of the element it
 * closes, not the tag it read, so one stray <br> in a description shifts
 * every later element and entries never end where they should. Fixing
 * the stream first keeps libxml2 on well-formed input, and keeps every
 * decision (what an undefined entity becomes, what a bare '&' means) in
 * one place that feedparser's behaviour can be checked against.
 *
 * The DOCTYPE never reaches libxml2. Like feedparser we keep only its
 * "safe" internal entities (a plain value or one character reference)
 * and substitute them ourselves, so nothing is ever loaded and nothing
 * expands recursively: a billion-laughs document reads as literal text.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "json.h"
#include "parse_int.h"

static const unsigned short cp1252_80[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

unsigned cp1252_char(unsigned char c)
{
	if (c < 0x80 || c >= 0xA0)
		return c;
	return cp1252_80[c - 0x80];
}

void utf8_put(struct buf *b, unsigned cp)
{
	char s[4];
	size_t n;
	if (cp < 0x80) {
		s[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		s[0] = (char)(0xF0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_add(b, s, n);
}

void input_init(struct input *in)
{
	memset(in, 0, sizeof *in);
	in->cd = (iconv_t)-1;
	in->rs = RS_TEXT;
}

void input_free(struct input *in)
{
	buf_free(&in->pre);
	buf_free(&in->dec);
	buf_free(&in->doctype);
	buf_free(&in->out);
	buf_free(&in->cdq);
	free(in->cdqlen);
	for (size_t i = 0; i < in->depth; i++)
		free(in->stack[i]);
	free(in->stack);
	for (size_t i = 0; i < in->nents; i++) {
		free(in->ents[i].name);
		free(in->ents[i].value);
	}
	if (in->cd != (iconv_t)-1)
		iconv_close(in->cd);
	memset(in, 0, sizeof *in);
}

/* ---------------------------------------------------------------- */
/* Decoding: every encoding into UTF-8 with only XML characters.     */
/* ---------------------------------------------------------------- */

/* A code point from a decoder that is not UTF-8 itself. */
static void put_cp(struct parser *p, unsigned cp)
{
	struct input *in = &p->in;
	if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') {
		parser_bozo(p, "control character U+%04X removed", cp);
		return;
	}
	if (cp == 0x7F)
		return;
	if ((cp >= 0xD800 && cp < 0xE000) || cp == 0xFFFE || cp == 0xFFFF ||
	    cp > 0x10FFFF) {
		parser_bozo(p, "invalid character U+%04X removed", cp);
		return;
	}
	utf8_put(&in->dec, cp);
}

static int is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* The hot path: validate UTF-8 in runs, copy the runs whole. Bytes that
 * are not UTF-8 are read as Windows-1252 (a document declared UTF-8 and
 * written by a Latin-1 database), except the tail of a character cut by
 * a careless substr() just before markup, which is dropped. */
static void dec_utf8(struct parser *p, const unsigned char *s, size_t n,
                     int final)
{
	struct input *in = &p->in;
	size_t i = 0, start = 0;
	const uint64_t hi = 0x8080808080808080ull;
	const uint64_t ones = 0x0101010101010101ull;
	while (i < n) {
		/* eight plain ASCII bytes at a time: no high bit, nothing
		 * below 0x20, no DEL */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			uint64_t del = w ^ (0x7F * ones);
			if ((w & hi) || ((w - 0x20 * ones) & ~w & hi) ||
			    ((del - ones) & ~del & hi))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x7F) {
			i++;
			continue;
		}
		if (c == '\n' || c == '\t' || c == '\r') {
			i++;
			continue;
		}
		if (c < 0x80) {
			buf_add(&in->dec, s + start, i - start);
			if (c != 0x7F)
				parser_bozo(p, "control character U+%04X "
				            "removed", c);
			start = ++i;
			continue;
		}
		int k = utf8_seq_len(s + i, n - i);
		if (k > 0) {
			if (k == 3 && c == 0xEF && s[i + 1] == 0xBF &&
			    (s[i + 2] & 0xFE) == 0xBE) {
				buf_add(&in->dec, s + start, i - start);
				parser_bozo(p, "invalid character U+FFFE/"
				            "U+FFFF removed");
				start = i += 3;
				continue;
			}
			if (in->latin && !in->multibyte) {
				parser_bozo(p, "declared %s but the bytes are "
				            "UTF-8; read as UTF-8", in->latin);
				parser_set_encoding(p, "utf-8");
			}
			in->multibyte = 1;
			i += (size_t)k;
			continue;
		}
		size_t need = c >= 0xF0 && c <= 0xF4 ? 4 :
		              c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 1;
		size_t have = 0;
		while (have + 1 < need && i + 1 + have < n &&
		       is_cont(s[i + 1 + have]))
			have++;
		if (need > 1 && have < need - 1 && i + 1 + have == n &&
		    !final) {
			/* cut by the chunk, not by the author */
			buf_add(&in->dec, s + start, i - start);
			memcpy(in->carry, s + i, n - i);
			in->ncarry = n - i;
			return;
		}
		buf_add(&in->dec, s + start, i - start);
		/* a lead byte and some of its continuation bytes just
		 * before plain ASCII (or a lone lead byte just before
		 * markup, in a document otherwise UTF-8): substr() cut a
		 * character in two */
		if (need > 1 && have < need - 1 && !in->latin &&
		    (have >= 1 ? (i + 1 + have >= n || s[i + 1 + have] < 0x80)
		               : (in->multibyte && i + 1 < n &&
		                  s[i + 1] == '<'))) {
			parser_bozo(p, "truncated UTF-8 character removed");
			start = i += 1 + have;
			continue;
		}
		unsigned cp = cp1252_char(c);
		if (!in->latin) {
			if (!in->multibyte)
				parser_set_encoding(p, "windows-1252");
			parser_bozo(p, "bytes not valid UTF-8, read as "
			            "Windows-1252");
		}
		if (cp)
			utf8_put(&in->dec, cp);
		start = ++i;
	}
	buf_add(&in->dec, s + start, i - start);
}

static void dec_utf16(struct parser *p, const unsigned char *s, size_t n,
                      int be)
{
	struct input *in = &p->in;
	size_t i = 0;
	while (i + 1 < n) {
		unsigned u = be ? (unsigned)(s[i] << 8 | s[i + 1]) :
		                  (unsigned)(s[i + 1] << 8 | s[i]);
		if (u >= 0xD800 && u < 0xDC00) {
			if (i + 3 >= n)
				break;
			unsigned v = be ? (unsigned)(s[i + 2] << 8 | s[i + 3]) :
			                  (unsigned)(s[i + 3] << 8 | s[i + 2]);
			if (v >= 0xDC00 && v < 0xE000) {
				put_cp(p, 0x10000 + ((u - 0xD800) << 10) +
				       (v - 0xDC00));
				i += 4;
				continue;
			}
		}
		put_cp(p, u);
		i += 2;
	}
	memcpy(in->carry, s + i, n - i);
	in->ncarry = n - i;
}

static void dec_utf32(struct parser *p, const unsigned char *s, size_t n,
                      int be)
{
	struct input *in = &p->in;
	size_t i = 0;
	for (; i + 3 < n; i += 4) {
		unsigned u = be ? (unsigned)s[i] << 24 | (unsigned)s[i + 1] << 16 |
		                  (unsigned)s[i + 2] << 8 | s[i + 3]
		                : (unsigned)s[i + 3] << 24 | (unsigned)s[i + 2] << 16 |
		                  (unsigned)s[i + 1] << 8 | s[i];
		put_cp(p, u);
	}
	memcpy(in->carry, s + i, n - i);
	in->ncarry = n - i;
}

static void dec_iconv(struct parser *p, const unsigned char *s, size_t n,
                      int final)
{
	struct input *in = &p->in;
	char out[16384];
	char *ip = (char *)s;
	size_t left = n;
	while (left > 0) {
		char *op = out;
		size_t ol = sizeof out;
		size_t r = iconv(in->cd, &ip, &left, &op, &ol);
		int err = errno;
		dec_utf8(p, (unsigned char *)out, (size_t)(op - out), 1);
		if (r != (size_t)-1)
			continue;
		if (err == E2BIG)
			continue;
		if (err == EINVAL && !final && left < sizeof in->carry) {
			memcpy(in->carry, ip, left);
			in->ncarry = left;
			return;
		}
		/* EILSEQ, or a sequence cut at the end of the document */
		parser_bozo(p, "bytes not valid in the declared encoding, "
		            "read as Windows-1252");
		unsigned cp = cp1252_char((unsigned char)*ip);
		if (cp >= 0x20 || cp == '\n' || cp == '\t' || cp == '\r')
			utf8_put(&in->dec, cp);
		ip++;
		left--;
		iconv(in->cd, NULL, NULL, NULL, NULL);
	}
}

static void decode(struct parser *p, const char *data, size_t len,
                   int final)
{
	struct input *in = &p->in;
	unsigned char *tmp = NULL;
	const unsigned char *s = (const unsigned char *)data;
	if (in->ncarry) {
		tmp = xmalloc(in->ncarry + len + 1);
		memcpy(tmp, in->carry, in->ncarry);
		if (len)
			memcpy(tmp + in->ncarry, data, len);
		len += in->ncarry;
		in->ncarry = 0;
		s = tmp;
	}
	switch (in->enc) {
	case ENC_UTF8: dec_utf8(p, s, len, final); break;
	case ENC_UTF16LE: dec_utf16(p, s, len, 0); break;
	case ENC_UTF16BE: dec_utf16(p, s, len, 1); break;
	case ENC_UTF32LE: dec_utf32(p, s, len, 0); break;
	case ENC_UTF32BE: dec_utf32(p, s, len, 1); break;
	case ENC_ICONV: dec_iconv(p, s, len, final); break;
	}
	if (final && in->ncarry) {
		parser_bozo(p, "document ends inside a character");
		in->ncarry = 0;
	}
	free(tmp);
}

/* ---------------------------------------------------------------- */
/* The prelude: which encoding, where the document starts.           */
/* ---------------------------------------------------------------- */

static void lower_trim(char *s)
{
	str_trim(s);
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Choose the decoder for a declared or HTTP charset (ASCII-compatible
 * bytes). Latin-1 and ASCII labels are read as Windows-1252, its
 * superset, as browsers do. */
static void use_charset(struct parser *p, const char *label)
{
	struct input *in = &p->in;
	char name[64];
	snprintf(name, sizeof name, "%s", label);
	lower_trim(name);
	static const char *const latin[] = {
		"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1",
		"l1", "us-ascii", "ascii", "windows-1252", "cp1252",
		"x-cp1252", "iso-8859-1:1987", "ansi_x3.4-1968", NULL,
	};
	if (!*name || strcmp(name, "utf-8") == 0 || strcmp(name, "utf8") == 0) {
		in->enc = ENC_UTF8;
		parser_set_encoding(p, "utf-8");
		return;
	}
	for (int i = 0; latin[i]; i++) {
		if (strcmp(name, latin[i]) == 0) {
			/* Read as UTF-8 falling back to Windows-1252 byte by
			 * byte: the same for real Latin-1 text (its high
			 * bytes are not UTF-8), right for the many feeds
			 * that declare ISO-8859-1 and send UTF-8. */
			in->enc = ENC_UTF8;
			in->latin = latin[i];
			parser_set_encoding(p, name);
			return;
		}
	}
	if (strncmp(name, "utf-16", 6) == 0 || strncmp(name, "utf-32", 6) == 0 ||
	    strncmp(name, "ucs-", 4) == 0 || strncmp(name, "iso-10646", 9) == 0) {
		parser_bozo(p, "declared %s but the bytes are 8-bit; read as "
		            "UTF-8", name);
		in->enc = ENC_UTF8;
		parser_set_encoding(p, "utf-8");
		return;
	}
	iconv_t cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1) {
		parser_bozo(p, "unknown encoding '%s', read as UTF-8", name);
		in->enc = ENC_UTF8;
		parser_set_encoding(p, "utf-8");
		return;
	}
	in->cd = cd;
	in->enc = ENC_ICONV;
	parser_set_encoding(p, name);
}

/* charset= of a Content-Type, into out; 0 when there is none. */
static int http_charset(const char *ct, char *out, size_t n)
{
	if (!ct)
		return 0;
	for (const char *s = ct; (s = strchr(s, ';')); ) {
		s++;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!str_ihas_prefix(s, "charset="))
			continue;
		s += 8;
		char q = 0;
		if (*s == '"' || *s == '\'')
			q = *s++;
		size_t k = 0;
		while (s[k] && (q ? s[k] != q : (s[k] != ';' && s[k] != ' ')))
			k++;
		if (k == 0 || k >= n)
			return 0;
		memcpy(out, s, k);
		out[k] = 0;
		return 1;
	}
	return 0;
}

/* encoding="…" of the XML declaration at b (which starts "<?xml").
 * The declaration ends at its first '>' (none of its values may hold
 * one), and is read within the 1024 bytes prelude() waits for: looking
 * further, for a "?>", would read another declaration later in the
 * document, or not, depending on how much of it the first pushes
 * brought. */
static int decl_encoding(const char *b, size_t n, char *out, size_t outn)
{
	size_t end = 0;
	while (end < n && end < 1024 && b[end] != '>')
		end++;
	for (size_t i = 5; i + 8 < end; i++) {
		if (memcmp(b + i, "encoding", 8) != 0)
			continue;
		size_t j = i + 8;
		while (j < end && isspace((unsigned char)b[j]))
			j++;
		if (j >= end || b[j] != '=')
			return 0;
		j++;
		while (j < end && isspace((unsigned char)b[j]))
			j++;
		if (j >= end || (b[j] != '"' && b[j] != '\''))
			return 0;
		char q = b[j++];
		size_t k = 0;
		while (j + k < end && b[j + k] != q)
			k++;
		if (k == 0 || k >= outn || j + k >= end)
			return 0;
		memcpy(out, b + j, k);
		out[k] = 0;
		return 1;
	}
	return 0;
}

static const char *memmem_ci(const char *h, size_t hn, const char *needle)
{
	size_t nn = strlen(needle);
	for (size_t i = 0; i + nn <= hn; i++)
		if (strncasecmp(h + i, needle, nn) == 0)
			return h + i;
	return NULL;
}

/* Text that holds the start of a feed: skipping to a later "<?xml"
 * would throw the feed away (a CDATA sample of XML, say). */
static int has_root_tag(const char *b, size_t n)
{
	static const char *const roots[] = {
		"<rss", "<feed", "<rdf:rdf", "<rdf", "<channel", NULL,
	};
	for (int i = 0; roots[i]; i++) {
		const char *h = memmem_ci(b, n, roots[i]);
		if (!h)
			continue;
		size_t k = (size_t)(h - b) + strlen(roots[i]);
		if (k >= n || strchr(" \t\r\n>/", b[k]))
			return 1;
	}
	return 0;
}

static void repair(struct parser *p, int final);
static int is_space(unsigned char c);

static void start_decoded(struct parser *p, const char *data, size_t len,
                          int final)
{
	decode(p, data, len, final);
	repair(p, final);
}

/* Decide the prelude once enough of it is here. Returns 1 when decided
 * (the held bytes have gone on), 0 to wait for more. */
static int prelude(struct parser *p, int final)
{
	struct input *in = &p->in;
	const unsigned char *b = (const unsigned char *)in->pre.p;
	size_t n = in->pre.len, skip = 0;
	char label[64];
	if (n < 4 && !final)
		return 0;
	static const struct {
		const char *bom;
		size_t len;
		enum enc enc;
		const char *name;
		size_t skip;
	} boms[] = {
		{"\x00\x00\xFE\xFF", 4, ENC_UTF32BE, "utf-32be", 4},
		{"\xFF\xFE\x00\x00", 4, ENC_UTF32LE, "utf-32le", 4},
		{"\xFE\xFF", 2, ENC_UTF16BE, "utf-16be", 2},
		{"\xFF\xFE", 2, ENC_UTF16LE, "utf-16le", 2},
		{"\x00\x00\x00\x3C", 4, ENC_UTF32BE, "utf-32be", 0},
		{"\x3C\x00\x00\x00", 4, ENC_UTF32LE, "utf-32le", 0},
		{"\x00\x3C\x00", 3, ENC_UTF16BE, "utf-16be", 0},
		{"\x3C\x00", 2, ENC_UTF16LE, "utf-16le", 0},
	};
	for (size_t i = 0; i < n && !in->saw_bytes; i++)
		if (!is_space(b[i]))
			in->saw_bytes = 1;
	for (size_t i = 0; i < sizeof boms / sizeof boms[0]; i++) {
		if (n >= boms[i].len && memcmp(b, boms[i].bom, boms[i].len) == 0) {
			in->enc = boms[i].enc;
			parser_set_encoding(p, boms[i].name);
			in->started = 1;
			start_decoded(p, (const char *)b + boms[i].skip,
			              n - boms[i].skip, final);
			return 1;
		}
	}
	/* ASCII-compatible from here on. */
	size_t o = 0;
	int bom8 = 0;
	if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
		bom8 = 1;
		o = 3;
	}
	while (o < n && (b[o] == ' ' || b[o] == '\t' || b[o] == '\r' ||
	                 b[o] == '\n'))
		o++;
	if (o == n && !final && n < PRELUDE_MAX)
		return 0;
	if (o < n && b[o] == '{') {
		in->json = 1;
		in->started = 1;
		return 1;
	}
	const char *h = (const char *)b + o;
	size_t hn = n - o;
	if (hn >= 5 && memcmp(h, "<?xml", 5) == 0) {
		if (!memchr(h, '>', hn) && !final && hn < 1024)
			return 0;
		skip = o;
	} else {
		const char *x = NULL;
		for (size_t i = 0; i + 5 <= hn; i++) {
			if (h[i] == '<' && memcmp(h + i, "<?xml", 5) == 0 &&
			    (i + 5 == hn || strchr(" \t\r\n?", h[i + 5]))) {
				x = h + i;
				break;
			}
		}
		if (!x && !final && n < PRELUDE_MAX)
			return 0;
		if (x && !has_root_tag(h, (size_t)(x - h))) {
			size_t rest = hn - (size_t)(x - h);
			if (!memchr(x, '>', rest) && !final && rest < 1024)
				return 0;
			skip = o + (size_t)(x - h);
			parser_bozo(p, "%zu bytes of text before the XML "
			            "declaration skipped", (size_t)(x - h));
		} else {
			skip = o;
		}
	}
	const char *start = (const char *)b + skip;
	size_t left = n - skip;
	if (bom8)
		use_charset(p, "utf-8");
	else if (http_charset(parser_content_type(p), label, sizeof label))
		use_charset(p, label);
	else if (left >= 5 && memcmp(start, "<?xml", 5) == 0 &&
	         decl_encoding(start, left, label, sizeof label))
		use_charset(p, label);
	else
		use_charset(p, "utf-8");
	in->started = 1;
	start_decoded(p, start, left, final);
	return 1;
}

void input_push(struct parser *p, const char *data, size_t len, int final)
{
	struct input *in = &p->in;
	if (in->json) {
		if (in->pre.len + len > JSON_MAX) {
			parser_bozo(p, "JSON document over %u MB cut",
			            JSON_MAX >> 20);
			return;
		}
		buf_add(&in->pre, data, len);
		return;
	}
	if (in->started) {
		start_decoded(p, data, len, final);
		return;
	}
	buf_add(&in->pre, data, len);
	if (prelude(p, final) && !in->json)
		buf_free(&in->pre);
}

/* ---------------------------------------------------------------- */
/* Repair: a tokenizer that emits well-formed XML.                   */
/* ---------------------------------------------------------------- */

static inline int ascii_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int name_start(unsigned char c)
{
	return ascii_alpha(c) || c == '_' || c == ':' || c >= 0x80;
}

static inline int name_char(unsigned char c)
{
	return ascii_alpha(c) || (c >= '0' && c <= '9') || c == '_' ||
	       c == ':' || c == '-' || c == '.' || c >= 0x80;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int xml_char_ok(unsigned long cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD ||
	       (cp >= 0x20 && cp <= 0xD7FF) ||
	       (cp >= 0xE000 && cp <= 0xFFFD) ||
	       (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Is output allowed where we are: inside the root, not in junk. */
static int emitting(const struct input *in)
{
	return in->depth > 0 && in->junk == 0;
}

static void text_out(struct parser *p, const char *s, size_t n)
{
	struct input *in = &p->in;
	if (n == 0)
		return;
	if (emitting(in)) {
		buf_add(&in->out, s, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!is_space((unsigned char)s[i])) {
			parser_bozo(p, in->root_seen ? "text after the root "
			            "element ignored" : "text before the root "
			            "element ignored");
			return;
		}
	}
}

/* Reads the reference at s[i] == '&' and appends what it should be to
 * out (which gets "&amp;" for anything that is not a reference XML or
 * HTML knows). Returns the index after what was consumed, or 0 when
 * more bytes are needed to decide. */
static size_t amp(struct parser *p, struct buf *out, const char *s,
                  size_t n, size_t i, int final)
{
	struct input *in = &p->in;
	size_t j = i + 1;
	if (j < n && s[j] == '#') {
		j++;
		int hex = 0;
		if (j < n && (s[j] == 'x' || s[j] == 'X')) {
			hex = 1;
			j++;
		}
		size_t d0 = j;
		unsigned long cp = 0;
		while (j < n && j - d0 < 10 &&
		       (hex ? isxdigit((unsigned char)s[j]) :
		              isdigit((unsigned char)s[j]))) {
			int v = isdigit((unsigned char)s[j]) ? s[j] - '0' :
			        tolower((unsigned char)s[j]) - 'a' + 10;
			cp = cp * (hex ? 16 : 10) + (unsigned long)v;
			j++;
		}
		if (j >= n && !final)
			return 0;
		if (j > d0 && j < n && s[j] == ';') {
			if (xml_char_ok(cp) && s[i + 2] != 'X')
				buf_add(out, s + i, j + 1 - i);
			else if (xml_char_ok(cp))
				buf_printf(out, "&#%lu;", cp);
			else
				parser_bozo(p, "character reference to "
				            "U+%04lX removed", cp);
			return j + 1;
		}
		parser_bozo(p, "unescaped '&' escaped");
		buf_puts(out, "&amp;");
		return i + 1;
	}
	if (j >= n && !final)
		return 0;
	if (j < n && name_start((unsigned char)s[j]) && s[j] != ':') {
		while (j < n && j - i < 40 && name_char((unsigned char)s[j]))
			j++;
		if (j >= n && !final)
			return 0;
		if (j < n && s[j] == ';') {
			char name[48];
			size_t k = j - i - 1;
			memcpy(name, s + i + 1, k);
			name[k] = 0;
			static const char *const predef[] = {
				"amp", "lt", "gt", "quot", "apos", NULL,
			};
			for (int m = 0; predef[m]; m++) {
				if (strcmp(name, predef[m]) == 0) {
					buf_add(out, s + i, j + 1 - i);
					return j + 1;
				}
			}
			for (size_t m = 0; m < in->nents; m++) {
				if (strcmp(name, in->ents[m].name) != 0)
					continue;
				/* a 60 KB entity used a million times is the
				 * quadratic blow-up: substitution is bounded
				 * per document */
				size_t vl = strlen(in->ents[m].value);
				if (in->expanded + vl > EXPAND_MAX) {
					parser_bozo(p, "entity expansion over "
					            "%u bytes stopped",
					            EXPAND_MAX);
					break;
				}
				in->expanded += vl;
				buf_add(out, in->ents[m].value, vl);
				return j + 1;
			}
			const htmlEntityDesc *e =
				htmlEntityLookup((const xmlChar *)name);
			if (e) {
				parser_bozo(p, "HTML entity &%s; read in XML",
				            name);
				buf_printf(out, "&#%u;", e->value);
				return j + 1;
			}
			parser_bozo(p, "undefined entity &%s; kept as text",
			            name);
			buf_puts(out, "&amp;");
			return i + 1;
		}
	}
	parser_bozo(p, "unescaped '&' escaped");
	buf_puts(out, "&amp;");
	return i + 1;
}

/* Attribute value s[0..n) (complete) into out, escaped for "…". */
static void attr_value(struct parser *p, struct buf *out, const char *s,
                       size_t n)
{
	size_t i = 0, start = 0;
	while (i < n) {
		char c = s[i];
		if (c != '&' && c != '<' && c != '"') {
			i++;
			continue;
		}
		buf_add(out, s + start, i - start);
		if (c == '&') {
			i = amp(p, out, s, n, i, 1);
		} else {
			buf_puts(out, c == '<' ? "&lt;" : "&quot;");
			if (c == '<')
				parser_bozo(p, "'<' in an attribute value "
				            "escaped");
			i++;
		}
		start = i;
	}
	buf_add(out, s + start, i - start);
}

static void stack_push(struct input *in, const char *name, size_t n)
{
	if (in->depth == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 16;
		in->stack = xrealloc(in->stack, in->cap * sizeof *in->stack);
	}
	in->stack[in->depth++] = xstrndup(name, n);
}

/* Elements PHP and xdebug print around their warnings: skipped, with
 * their content, when they come before the root element. */
static int junk_element(const char *name, size_t n)
{
	static const char *const junk[] = {
		"br", "b", "i", "font", "p", "table", "hr", "strong", "span",
		"small", "pre", NULL,
	};
	for (int i = 0; junk[i]; i++)
		if (strlen(junk[i]) == n && strncasecmp(name, junk[i], n) == 0)
			return 1;
	return 0;
}

static int void_element(const char *name, size_t n)
{
	return (n == 2 && (strncasecmp(name, "br", 2) == 0 ||
	                   strncasecmp(name, "hr", 2) == 0));
}

struct attr {
	size_t name, nlen, val, vlen;
	int has_val;
};

#define ATTR_MAX 128

/* A start tag at s[i] == '<' followed by a name character. Returns the
 * index after it, 0 when it is not complete yet. */
static size_t start_tag(struct parser *p, const char *s, size_t n, size_t i,
                        int final)
{
	struct input *in = &p->in;
	struct attr at[ATTR_MAX];
	size_t nat = 0, j = i + 1, end = 0;
	int selfclose = 0;
	size_t name = j;
	while (j < n && name_char((unsigned char)s[j]))
		j++;
	size_t nlen = j - name;
	while (nlen > 1 && s[name + nlen - 1] == ':')
		nlen--;
	for (;;) {
		while (j < n && is_space((unsigned char)s[j]))
			j++;
		if (j >= n)
			goto incomplete;
		if (s[j] == '>') {
			end = j + 1;
			break;
		}
		if (s[j] == '/') {
			if (j + 1 >= n)
				goto incomplete;
			if (s[j + 1] == '>') {
				selfclose = 1;
				end = j + 2;
				break;
			}
			j++;
			continue;
		}
		if (s[j] == '<') {
			parser_bozo(p, "unclosed start tag");
			end = j;
			break;
		}
		if (!name_start((unsigned char)s[j]) || s[j] == ':') {
			parser_bozo(p, "junk in a start tag skipped");
			j++;
			continue;
		}
		struct attr a = {j, 0, 0, 0, 0};
		while (j < n && name_char((unsigned char)s[j]))
			j++;
		a.nlen = j - a.name;
		size_t k = j;
		while (k < n && is_space((unsigned char)s[k]))
			k++;
		if (k >= n)
			goto incomplete;
		if (s[k] == '=') {
			k++;
			while (k < n && is_space((unsigned char)s[k]))
				k++;
			if (k >= n)
				goto incomplete;
			a.has_val = 1;
			if (s[k] == '"' || s[k] == '\'') {
				char q = s[k++];
				size_t v = k, gt = 0;
				while (k < n && s[k] != q && s[k] != '<') {
					if (s[k] == '>' && !gt)
						gt = k;
					k++;
				}
				if (k >= n)
					goto incomplete;
				a.val = v;
				if (s[k] == q) {
					a.vlen = k - v;
					j = k + 1;
				} else {
					/* a quote never closed: the value
					 * ends with the tag */
					parser_bozo(p, "unterminated "
					            "attribute value");
					a.vlen = (gt ? gt : k) - v;
					j = gt ? gt : k;
				}
			} else {
				a.val = k;
				while (k < n && !is_space((unsigned char)s[k]) &&
				       s[k] != '>' && s[k] != '<')
					k++;
				if (k >= n)
					goto incomplete;
				a.vlen = k - a.val;
				j = k;
				parser_bozo(p, "unquoted attribute value");
			}
		} else {
			parser_bozo(p, "attribute without a value");
			j = k;
		}
		int dup = 0;
		for (size_t m = 0; m < nat; m++)
			if (at[m].nlen == a.nlen &&
			    memcmp(s + at[m].name, s + a.name, a.nlen) == 0)
				dup = 1;
		if (dup)
			parser_bozo(p, "duplicate attribute dropped");
		else if (nat < ATTR_MAX)
			at[nat++] = a;
	}

	/* the whole tag is here: decide where it goes */
	if (in->junk) {
		if (!selfclose && !void_element(s + name, nlen))
			in->junk++;
		return end;
	}
	if (in->depth == 0 && in->root_closed) {
		parser_bozo(p, "markup after the root element ignored");
		if (!selfclose && !void_element(s + name, nlen))
			in->junk = 1;
		return end;
	}
	if (in->depth == 0 && !in->root_seen && junk_element(s + name, nlen)) {
		parser_bozo(p, "HTML before the root element skipped");
		if (!selfclose && !void_element(s + name, nlen))
			in->junk = 1;
		return end;
	}
	if (in->depth >= DEPTH_MAX) {
		parser_bozo(p, "elements nested deeper than %d levels "
		            "flattened", DEPTH_MAX);
		if (!selfclose)
			in->flat++;
		return end;
	}
	struct buf *o = &in->out;
	buf_putc(o, '<');
	buf_add(o, s + name, nlen);
	for (size_t m = 0; m < nat; m++) {
		buf_putc(o, ' ');
		buf_add(o, s + at[m].name, at[m].nlen);
		buf_puts(o, "=\"");
		if (at[m].has_val)
			attr_value(p, o, s + at[m].val, at[m].vlen);
		else
			buf_add(o, s + at[m].name, at[m].nlen);
		buf_putc(o, '"');
	}
	in->root_seen = 1;
	if (selfclose) {
		buf_puts(o, "/>");
		if (in->depth == 0)
			in->root_closed = 1;
	} else {
		buf_putc(o, '>');
		stack_push(in, s + name, nlen);
	}
	return end;

incomplete:
	if (!final && n - i < TAG_MAX)
		return 0;
	/* never completes: the '<' was text */
	parser_bozo(p, "unescaped '<' escaped");
	if (emitting(in))
		buf_puts(&in->out, "&lt;");
	return i + 1;
}

static void close_top(struct input *in)
{
	char *name = in->stack[--in->depth];
	buf_puts(&in->out, "</");
	buf_puts(&in->out, name);
	buf_putc(&in->out, '>');
	free(name);
	if (in->depth == 0)
		in->root_closed = 1;
}

static void end_tag(struct parser *p, const char *name, size_t n)
{
	struct input *in = &p->in;
	if (in->junk) {
		in->junk--;
		return;
	}
	if (in->depth == 0) {
		parser_bozo(p, "stray end tag </%.*s> dropped",
		            (int)(n > 40 ? 40 : n), name);
		return;
	}
	if (in->flat) {
		in->flat--;
		return;
	}
	size_t k = in->depth;
	while (k > 0 && !(strlen(in->stack[k - 1]) == n &&
	                  memcmp(in->stack[k - 1], name, n) == 0))
		k--;
	if (k == 0) {
		k = in->depth;
		while (k > 0 && !(strlen(in->stack[k - 1]) == n &&
		                  strncasecmp(in->stack[k - 1], name, n) == 0))
			k--;
	}
	if (k == 0) {
		parser_bozo(p, "stray end tag </%.*s> dropped",
		            (int)(n > 40 ? 40 : n), name);
		return;
	}
	if (k < in->depth)
		parser_bozo(p, "unclosed <%s> closed by </%.*s>",
		            in->stack[in->depth - 1], (int)(n > 40 ? 40 : n),
		            name);
	while (in->depth >= k)
		close_top(in);
}

/* DOCTYPE: note Netscape's RSS 0.91 and HTML, keep the safe entities. */
static void doctype_done(struct parser *p)
{
	struct input *in = &p->in;
	const char *d = in->doctype.p ? in->doctype.p : "";
	size_t n = in->doctype.len;
	if (memmem_ci(d, n, "netscape")) {
		in->netscape = 1;
		parser_set_netscape(p);
	}
	const char *s = d;
	while (is_space((unsigned char)*s))
		s++;
	if (strncasecmp(s, "html", 4) == 0 &&
	    (is_space((unsigned char)s[4]) || !s[4] || s[4] == '>'))
		in->html_doctype = 1;
	for (const char *e = d; (e = strstr(e, "<!ENTITY")); ) {
		e += 8;
		const char *q = e;
		if (!is_space((unsigned char)*q))
			continue;
		while (is_space((unsigned char)*q))
			q++;
		const char *nm = q;
		while (isalnum((unsigned char)*q) || *q == '_')
			q++;
		size_t nl = (size_t)(q - nm);
		if (nl == 0 || !is_space((unsigned char)*q))
			continue;
		while (is_space((unsigned char)*q))
			q++;
		if (*q != '"')
			continue;
		const char *v = ++q;
		while (*q && *q != '"' && *q != '&')
			q++;
		if (*q == '&' && q == v) {
			q++;
			if (*q != '#')
				continue;
			q++;
			while (isalnum((unsigned char)*q) || *q == '_')
				q++;
			if (*q != ';' || q[1] != '"')
				continue;
			q++;
		}
		if (*q != '"' || in->nents >= ENTITY_MAX)
			continue;
		struct buf val = {0};
		attr_value(p, &val, v, (size_t)(q - v));
		if (!val.p)
			buf_puts(&val, "");
		in->ents[in->nents].name = xstrndup(nm, nl);
		in->ents[in->nents].value = buf_steal(&val);
		in->nents++;
	}
}

/* A construct ending with term: drop or keep what is here; returns the
 * index where scanning goes on, with *done when the end was found. */
static size_t until(const char *s, size_t n, size_t i, const char *term,
                    int *done)
{
	size_t tl = strlen(term);
	const char *f = NULL;
	for (size_t k = i; k + tl <= n; ) {
		const char *c = memchr(s + k, term[0], n - tl + 1 - k);
		if (!c)
			break;
		if (memcmp(c, term, tl) == 0) {
			f = c;
			break;
		}
		k = (size_t)(c - s) + 1;
	}
	if (f) {
		*done = 1;
		return (size_t)(f - s);
	}
	*done = 0;
	return n - i >= tl ? n - tl + 1 : i;
}

/* CDATA content does not go through libxml2, which would check every
 * byte again (the decoder has made it clean UTF-8 already): a <?w?>
 * marker takes its place in the stream, and the SAX side takes the text
 * from this queue, in order, when libxml2 reaches the marker. */
static void cdata_out(struct input *in, const char *s, size_t n)
{
	if (in->ncdq == in->capcdq) {
		in->capcdq = in->capcdq ? in->capcdq * 2 : 16;
		in->cdqlen = xrealloc(in->cdqlen, in->capcdq * sizeof *in->cdqlen);
	}
	in->cdqlen[in->ncdq++] = n;
	buf_add(&in->cdq, s, n);
	buf_add(&in->out, "<?w?>", 5);
}

int input_cdata_next(struct input *in, const char **s, size_t *n)
{
	if (in->cdqhead >= in->ncdq)
		return 0;
	*s = in->cdq.p + in->cdqoff;
	*n = in->cdqlen[in->cdqhead++];
	in->cdqoff += *n;
	return 1;
}

/* Between two chunks: drop what was taken, keep what libxml2 has not
 * reached yet (a short tail, if any). */
void input_cdata_trim(struct input *in)
{
	size_t left = in->cdq.len - in->cdqoff;
	if (in->cdqoff == 0)
		return;
	if (left)
		memmove(in->cdq.p, in->cdq.p + in->cdqoff, left);
	in->cdq.len = left;
	if (in->cdq.p)
		in->cdq.p[left] = 0;
	memmove(in->cdqlen, in->cdqlen + in->cdqhead,
	        (in->ncdq - in->cdqhead) * sizeof *in->cdqlen);
	in->ncdq -= in->cdqhead;
	in->cdqhead = 0;
	in->cdqoff = 0;
}

/* The bytes that end a run of plain text. */
static const unsigned char text_stop[256] = {
	['<'] = 1, ['&'] = 1, ['>'] = 1,
};

static void repair(struct parser *p, int final)
{
	struct input *in = &p->in;
	const char *s = in->dec.p;
	size_t n = in->dec.len, i = in->decpos;
	while (i < n) {
		int done;
		size_t j;
		switch (in->rs) {
		case RS_CDATA:
			j = until(s, n, i, "]]>", &done);
			if (!done && final)
				j = n;
			if (emitting(in) && j > i)
				cdata_out(in, s + i, j - i);
			i = j;
			if (done || final) {
				i = done ? j + 3 : n;
				in->rs = RS_TEXT;
			} else {
				goto more;
			}
			break;
		case RS_COMMENT:
		case RS_PI:
		case RS_BANG:
			j = until(s, n, i, in->rs == RS_COMMENT ? "-->" :
			          in->rs == RS_PI ? "?>" : ">", &done);
			if (!done) {
				i = final ? n : j;
				if (!final)
					goto more;
				break;
			}
			i = j + (in->rs == RS_COMMENT ? 3 :
			         in->rs == RS_PI ? 2 : 1);
			in->rs = RS_TEXT;
			break;
		case RS_DOCTYPE:
			for (; i < n; i++) {
				char c = s[i];
				if (in->dt_len++ > (1u << 20)) {
					/* never ends: read on as text */
					parser_bozo(p, "unterminated DOCTYPE");
					break;
				}
				if (in->dt_comment) {
					if (c == '-' && n - i < 3 && !final)
						goto more;
					if (c == '-' && n - i >= 3 &&
					    memcmp(s + i, "-->", 3) == 0) {
						in->dt_comment = 0;
						i += 2;
					}
					continue;
				}
				if (in->dt_quote) {
					if (c == in->dt_quote)
						in->dt_quote = 0;
				} else if (c == '<' && n - i < 4 && !final) {
					goto more;
				} else if (c == '<' && n - i >= 4 &&
				           memcmp(s + i, "<!--", 4) == 0) {
					in->dt_comment = 1;
					i += 3;
					continue;
				} else if (c == '"' || c == '\'') {
					in->dt_quote = c;
				} else if (c == '[') {
					in->dt_bracket++;
				} else if (c == ']') {
					if (in->dt_bracket)
						in->dt_bracket--;
				} else if (c == '>' && !in->dt_bracket) {
					break;
				}
				if (in->doctype.len < DOCTYPE_MAX)
					buf_putc(&in->doctype, c);
			}
			if (i < n) {
				if (s[i] == '>')
					i++;
				in->rs = RS_TEXT;
				doctype_done(p);
			}
			break;
		case RS_TEXT:
			j = i;
			while (j < n && !text_stop[(unsigned char)s[j]])
				j++;
			text_out(p, s + i, j - i);
			i = j;
			if (i >= n)
				break;
			if (s[i] == '>') {
				if (emitting(in))
					buf_puts(&in->out, "&gt;");
				i++;
				break;
			}
			if (s[i] == '&') {
				struct buf tmp = {0};
				j = amp(p, emitting(in) ? &in->out : &tmp, s, n,
				        i, final);
				buf_free(&tmp);
				if (j == 0)
					goto more;
				i = j;
				break;
			}
			/* '<' */
			if (n - i < 9 && !final) {
				/* enough to tell a CDATA section or a
				 * DOCTYPE from a tag */
				if (n - i < 2 || s[i + 1] == '!' ||
				    (n - i < 5 && s[i + 1] == '?'))
					goto more;
			}
			if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
				in->rs = RS_COMMENT;
				i += 4;
			} else if (n - i >= 9 &&
			           memcmp(s + i, "<![CDATA[", 9) == 0) {
				in->rs = RS_CDATA;
				i += 9;
			} else if (n - i >= 9 &&
			           strncasecmp(s + i, "<!DOCTYPE", 9) == 0 &&
			           !in->root_seen) {
				in->rs = RS_DOCTYPE;
				buf_reset(&in->doctype);
				in->dt_quote = in->dt_bracket = 0;
				in->dt_comment = 0;
				in->dt_len = 0;
				i += 9;
			} else if (n - i >= 2 && s[i + 1] == '!') {
				in->rs = RS_BANG;
				i += 2;
			} else if (n - i >= 2 && s[i + 1] == '?') {
				in->rs = RS_PI;
				i += 2;
			} else if (n - i >= 2 && s[i + 1] == '/') {
				j = i + 2;
				while (j < n && name_char((unsigned char)s[j]))
					j++;
				size_t nl = j - (i + 2);
				const char *gt = memchr(s + j, '>', n - j);
				const char *lt = memchr(s + j, '<', n - j);
				if (!gt && !final && n - i < TAG_MAX)
					goto more;
				if (lt && (!gt || lt < gt)) {
					parser_bozo(p, "unclosed end tag");
					gt = lt - 1;
				}
				if (nl)
					end_tag(p, s + i + 2, nl);
				else
					parser_bozo(p, "end tag without a "
					            "name dropped");
				i = gt ? (size_t)(gt - s) + 1 : n;
			} else if (n - i >= 2 &&
			           name_start((unsigned char)s[i + 1]) &&
			           s[i + 1] != ':') {
				j = start_tag(p, s, n, i, final);
				if (j == 0)
					goto more;
				i = j;
			} else if (n - i < 2 && !final) {
				goto more;
			} else {
				parser_bozo(p, "unescaped '<' escaped");
				if (emitting(in))
					buf_puts(&in->out, "&lt;");
				i++;
			}
			break;
		}
	}
more:
	if (final) {
		if (in->rs == RS_DOCTYPE)
			doctype_done(p);
		if (in->depth > 0) {
			parser_bozo(p, "document ends inside <%s>",
			            in->stack[in->depth - 1]);
			in->rs = RS_TEXT;
			while (in->depth > 0)
				close_top(in);
		}
		buf_reset(&in->dec);
		in->decpos = 0;
		return;
	}
	/* keep the unread tail, at the front */
	if (i >= n) {
		buf_reset(&in->dec);
		in->decpos = 0;
	} else if (i > 0) {
		memmove(in->dec.p, in->dec.p + i, n - i);
		in->dec.len = n - i;
		in->dec.p[in->dec.len] = 0;
		in->decpos = 0;
	} else {
		in->decpos = i;
	}
}
