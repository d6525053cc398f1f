/* json.c — the streaming JSON writer. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "json.h"

void jw_init_file(struct jw *w, FILE *fp, int pretty)
{
	memset(w, 0, sizeof *w);
	w->fp = fp;
	w->pretty = pretty;
}

void jw_init_buf(struct jw *w, struct buf *b, int pretty)
{
	memset(w, 0, sizeof *w);
	w->b = b;
	w->pretty = pretty;
}

static void out(struct jw *w, const char *s, size_t n)
{
	if (w->fp)
		fwrite(s, 1, n, w->fp);
	else
		buf_add(w->b, s, n);
}

static void outs(struct jw *w, const char *s)
{
	out(w, s, strlen(s));
}

static void newline(struct jw *w)
{
	static const char spaces[] = "                                "
	                             "                                ";
	if (!w->pretty)
		return;
	out(w, "\n", 1);
	size_t n = (size_t)w->depth * 2;
	while (n) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		out(w, spaces, k);
		n -= k;
	}
}

/* Before any value or key: the comma and the indentation it needs. */
static void before(struct jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (w->count[w->depth - 1])
			out(w, ",", 1);
		if (w->count[w->depth - 1] < 255)
			w->count[w->depth - 1]++;
		newline(w);
	}
}

/* Nesting deeper than JSON_MAX_DEPTH is a programming error: the writers
 * are fed by warta's own code, never by document structure. */
static void open_(struct jw *w, char open, char close)
{
	if (w->depth >= JSON_MAX_DEPTH)
		abort();
	before(w);
	out(w, &open, 1);
	w->count[w->depth] = 0;
	w->close[w->depth] = close;
	w->depth++;
}

void jw_obj(struct jw *w) { open_(w, '{', '}'); }
void jw_arr(struct jw *w) { open_(w, '[', ']'); }

void jw_end(struct jw *w)
{
	if (w->depth <= 0)
		return;
	int had = w->count[w->depth - 1];
	w->depth--;
	if (had)
		newline(w);
	out(w, &w->close[w->depth], 1);
}

int utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	if (c < 0xC2)
		return 0;
	if (c < 0xE0) {
		if (avail < 2 || (s[1] & 0xC0) != 0x80)
			return 0;
		return 2;
	}
	if (c < 0xF0) {
		if (avail < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && s[1] >= 0xA0)
			return 0; /* surrogate */
		return 3;
	}
	if (c < 0xF5) {
		if (avail < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0; /* overlong */
		if (c == 0xF4 && s[1] >= 0x90)
			return 0; /* > U+10FFFF */
		return 4;
	}
	return 0;
}

/* Output gathered in small pieces ('\"' between runs of HTML, say) goes
 * out in blocks: one put() per piece made escaping cost more than the
 * rest of `warta parse`. */
struct sink {
	void (*put)(void *, const char *, size_t);
	void *ctx;
	size_t n;
	char buf[2048];
};

static void sink_flush(struct sink *k)
{
	if (k->n)
		k->put(k->ctx, k->buf, k->n);
	k->n = 0;
}

static void sink_add(struct sink *k, const char *s, size_t n)
{
	if (k->n + n > sizeof k->buf) {
		sink_flush(k);
		if (n > sizeof k->buf / 2) {
			k->put(k->ctx, s, n);
			return;
		}
	}
	memcpy(k->buf + k->n, s, n);
	k->n += n;
}

/* Writes the escaped body of a string through put(); shared by the FILE
 * and buffer paths so the repair rules exist once. */
static void escape_to(void (*put)(void *, const char *, size_t), void *ctx,
                      const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	const unsigned char *run = p;
	char esc[8];
	struct sink k;
	k.put = put;
	k.ctx = ctx;
	k.n = 0;
	const uint64_t ones = 0x0101010101010101ull, hi = ones * 0x80;
	while (p < end) {
		/* eight bytes at a time while none needs escaping (a false
		 * alarm only sends one byte down the slow path) */
		while (end - p >= 8) {
			uint64_t w, q, b;
			memcpy(&w, p, 8);
			q = w ^ (ones * '"');
			b = w ^ (ones * '\\');
			if ((w & hi) | ((w - ones * 0x20) & ~w & hi) |
			    ((q - ones) & ~q & hi) | ((b - ones) & ~b & hi))
				break;
			p += 8;
		}
		if (p >= end)
			break;
		unsigned c = *p;
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			p++;
			continue;
		}
		int len = c < 0x80 ? 1 : utf8_seq_len(p, (size_t)(end - p));
		if (len > 1) {
			p += len;
			continue;
		}
		if (p > run)
			sink_add(&k, (const char *)run, (size_t)(p - run));
		if (len == 0)
			sink_add(&k, "\xEF\xBF\xBD", 3);
		else if (c == '"')
			sink_add(&k, "\\\"", 2);
		else if (c == '\\')
			sink_add(&k, "\\\\", 2);
		else if (c == '\n')
			sink_add(&k, "\\n", 2);
		else if (c == '\t')
			sink_add(&k, "\\t", 2);
		else if (c == '\r')
			sink_add(&k, "\\r", 2);
		else {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			sink_add(&k, esc, 6);
		}
		p++;
		run = p;
	}
	if (p > run)
		sink_add(&k, (const char *)run, (size_t)(p - run));
	sink_flush(&k);
}

static void put_jw(void *ctx, const char *s, size_t n)
{
	out(ctx, s, n);
}

static void put_buf(void *ctx, const char *s, size_t n)
{
	buf_add(ctx, s, n);
}

void json_escape(struct buf *b, const char *s, size_t n)
{
	escape_to(put_buf, b, s, n);
}

static void string_(struct jw *w, const char *s, size_t n)
{
	out(w, "\"", 1);
	escape_to(put_jw, w, s, n);
	out(w, "\"", 1);
}

void jw_key(struct jw *w, const char *key)
{
	before(w);
	string_(w, key, strlen(key));
	out(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
	w->after_key = 1;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
	before(w);
	if (!s)
		outs(w, "null");
	else
		string_(w, s, n);
}

void jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, s ? strlen(s) : 0);
}

void jw_int(struct jw *w, int64_t v)
{
	char num[24];
	before(w);
	snprintf(num, sizeof num, "%" PRId64, v);
	outs(w, num);
}

void jw_bool(struct jw *w, int v)
{
	before(w);
	outs(w, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
	before(w);
	outs(w, "null");
}

void jw_date(struct jw *w, int64_t t)
{
	char d[32];
	jw_str(w, date_rfc3339(t, d));
}

void jw_raw(struct jw *w, const char *json)
{
	before(w);
	outs(w, json);
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void jw_kstr_opt(struct jw *w, const char *key, const char *s)
{
	if (!str_empty(s))
		jw_kstr(w, key, s);
}

void jw_kint(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_kbool(struct jw *w, const char *key, int v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

void jw_kdate(struct jw *w, const char *key, int64_t t)
{
	jw_key(w, key);
	jw_date(w, t);
}

void jw_done(struct jw *w)
{
	out(w, "\n", 1);
	if (w->fp)
		fflush(w->fp);
}
