/* export.c — Atom, RSS and JSON Feed writers; atomic -o. See export.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/entities.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

#include "date.h"
#include "export.h"
#include "html.h"
#include "json.h"
#include "util.h"
#include "xmlload.h"

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define JSONFEED_VERSION "https://jsonfeed.org/version/1.1"

/* The date part of the last date written in a format: entries come
 * newest first, so most dates fall on the day of the one before. */
struct day_cache {
	int64_t day;             /* days since 1970; valid when len */
	size_t len;              /* of prefix, 0: empty */
	char prefix[24];         /* "2025-12-02T", "Tue, 02 Dec 2025 " */
};

struct exporter {
	enum export_format fmt;
	FILE *fp;
	int failed;
	int err;                 /* errno of the first failed write */
	/* Output of either format, written out after an entry once it
	 * holds OUT_FLUSH bytes (see out_flush). */
	struct buf out;
	/* The XML emitter (see "the XML side"): the open elements (names
	 * are string constants, never copied) and whether the innermost
	 * start tag still waits for its '>'. */
	const char *open[16];
	int depth;
	int tag_open;
	xmlBufferPtr abuf;       /* for libxml2's attribute escaper */
	struct jw jw;
	struct buf clean;        /* the last string repaired by xs() */
	struct buf tmp;          /* strings put together before xs() */
	int64_t updated;         /* the head's date, the last fallback */
	struct day_cache d3339, d822; /* see dates() */
};

int export_format_parse(const char *name, enum export_format *out)
{
	if (str_eq(name, "atom"))
		*out = EXPORT_ATOM;
	else if (str_eq(name, "rss"))
		*out = EXPORT_RSS;
	else if (str_eq(name, "jsonfeed") || str_eq(name, "json"))
		*out = EXPORT_JSONFEED;
	else
		return -1;
	return 0;
}

const char *export_format_name(enum export_format f)
{
	return f == EXPORT_ATOM ? "atom" : f == EXPORT_RSS ? "rss" : "jsonfeed";
}

const char *export_media_type(enum export_format f)
{
	return f == EXPORT_ATOM  ? "application/atom+xml"
	       : f == EXPORT_RSS ? "application/rss+xml"
	                         : "application/feed+json";
}

/* ---- strings fit for XML 1.0 (and the same in JSON) ---- */

/* Length of the run of bytes at s that XML 1.0 can carry as they are, and
 * whether the byte after it must be replaced. Tab, LF and CR are Chars;
 * other C0 controls, U+FFFE and U+FFFF are not; utf8_seq_len already
 * refuses surrogates, overlongs and truncated sequences. */
static size_t xml_ok_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		/* Eight printable ASCII bytes at a time: no high bit set, and
		 * no byte below 0x20 (the classic has-less-than test). This
		 * scan runs over every byte of every content. */
		while (n - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			const uint64_t ones = 0x0101010101010101ULL;
			const uint64_t high = 0x8080808080808080ULL;
			if ((w & high) || ((w - ones * 0x20) & ~w & high))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		unsigned c = s[i];
		if (c >= 0x20 && c < 0x80) {
			i++;
			continue;
		}
		if (c == '\t' || c == '\n' || c == '\r') {
			i++;
			continue;
		}
		if (c < 0x80)
			break;
		int len = utf8_seq_len(s + i, n - i);
		if (len == 0)
			break;
		if (len == 3 && c == 0xEF && s[i + 1] == 0xBF &&
		    (s[i + 2] == 0xBE || s[i + 2] == 0xBF))
			break;
		i += (size_t)len;
	}
	return i;
}

/* s itself when it is clean (the usual case, no copy), else a repaired
 * copy in x->clean, valid until the next call. Every bad byte becomes one
 * U+FFFD, as json.c does; a bad non-character (3 bytes) becomes one. */
static const char *xs(struct exporter *x, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	const unsigned char *p = (const unsigned char *)s;
	size_t run = xml_ok_run(p, n);
	if (run == n)
		return s;
	buf_reset(&x->clean);
	for (;;) {
		buf_add(&x->clean, p, run);
		p += run;
		n -= run;
		if (!n)
			break;
		size_t skip = 1;
		if (n >= 3 && p[0] == 0xEF && p[1] == 0xBF &&
		    (p[2] == 0xBE || p[2] == 0xBF))
			skip = 3;
		buf_add(&x->clean, "\xEF\xBF\xBD", 3);
		p += skip;
		n -= skip;
		run = xml_ok_run(p, n);
	}
	if (!x->clean.p)
		buf_add(&x->clean, "", 0);
	return x->clean.p;
}

/* ---- small predicates on what the schemas accept ---- */

/* An absolute IRI: a scheme, ':', something, and nothing an IRI cannot
 * hold (spaces, controls, <>"{}|\^`). */
static int is_iri(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!s || !((*p | 32) >= 'a' && (*p | 32) <= 'z'))
		return 0;
	while (((*p | 32) >= 'a' && (*p | 32) <= 'z') ||
	       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (*p != ':' || !p[1])
		return 0;
	for (p++; *p; p++)
		if (*p <= 0x20 || *p == 0x7F || strchr("<>\"{}|\\^`", *p))
			return 0;
	return 1;
}

/* RFC 3066 as the Atom schema has it: [A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*.
 * Feeds write "id_ID" too: that one is mended into the tag buffer. */
static const char *lang_tag(const char *s, char out[64])
{
	size_t n = 0, part = 0;
	int first = 1;
	if (str_empty(s))
		return NULL;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (n + 1 >= 64)
			return NULL;
		if (c == '-' || c == '_') {
			if (!part)
				return NULL;
			out[n++] = '-';
			part = 0;
			first = 0;
			continue;
		}
		int alpha = (c | 32) >= 'a' && (c | 32) <= 'z';
		int digit = c >= '0' && c <= '9';
		if (!(alpha || (digit && !first)) || ++part > 8)
			return NULL;
		out[n++] = (char)c;
	}
	if (!part)
		return NULL;
	out[n] = '\0';
	return out;
}

/* A media type has a slash with something on both sides. */
static int is_media_type(const char *s)
{
	const char *sl = s ? strchr(s, '/') : NULL;
	if (!sl || sl == s || !sl[1])
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20)
			return 0;
	return 1;
}

static int is_email(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;
	return at && at != s && at[1] && !strpbrk(s, "\r\n");
}

/* xsd:dateTime has no year 0, RFC 3339 no year before 1: clamp there. */
static char *rfc3339_slow(int64_t t, char out[32])
{
	if (t < -62135596800LL) /* 0001-01-01T00:00:00Z */
		t = -62135596800LL;
	return date_rfc3339(t, out);
}

/* "Tue, 02 Dec 2025 02:30:00 +0000", from the RFC 3339 form so both
 * share one calendar and one clamping. */
static char *rfc822_slow(int64_t t, char out[40])
{
	static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed",
	                                 "Thu", "Fri", "Sat"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr",
	                                  "May", "Jun", "Jul", "Aug",
	                                  "Sep", "Oct", "Nov", "Dec"};
	char d[32];
	unsigned y, m, dd, hh, mm, ss;
	rfc3339_slow(t, d);
	if (sscanf(d, "%4u-%2u-%2uT%2u:%2u:%2uZ", &y, &m, &dd, &hh, &mm,
	           &ss) != 6 || m < 1 || m > 12)
		y = 1970, m = 1, dd = 1, hh = mm = ss = 0;
	int64_t days = date_days_from_civil(y, m, dd);
	int w = (int)(((days + 4) % 7 + 7) % 7); /* 1970-01-01: Thursday */
	snprintf(out, 40, "%s, %02u %s %04u %02u:%02u:%02u +0000", wd[w], dd,
	         mon[m - 1], y, hh, mm, ss);
	return out;
}

/* Dates were an eighth of an export's instructions (two snprintf and a
 * sscanf per date). Only the time of day changes between dates of one
 * day: the day's part is kept from the slow form, and the time written
 * by hand. A day is cached only once its slow form reads back exactly
 * as the fast one would write it (so clamped and odd dates always take
 * the slow way), which keeps every date the same as before. */
static size_t time_of_day(int64_t t, int64_t day, char *out)
{
	unsigned s = (unsigned)(t - day * 86400);
	out[0] = (char)('0' + s / 36000);
	out[1] = (char)('0' + s / 3600 % 10);
	out[2] = ':';
	out[3] = (char)('0' + s / 600 % 6);
	out[4] = (char)('0' + s / 60 % 10);
	out[5] = ':';
	out[6] = (char)('0' + s % 60 / 10);
	out[7] = (char)('0' + s % 10);
	return 8;
}

static char *dates(struct day_cache *c, int is822, int64_t t, char *out,
                   size_t size)
{
	static const char tail822[] = " +0000", tail3339[] = "Z";
	const char *tail = is822 ? tail822 : tail3339;
	size_t tlen = is822 ? sizeof tail822 - 1 : sizeof tail3339 - 1;
	/* within years 1 … 9999, where nothing is clamped */
	int ok = t >= -62135596800LL && t <= 253402300799LL;
	int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	if (ok && c->len && c->day == day) {
		memcpy(out, c->prefix, c->len);
		size_t n = c->len + time_of_day(t, day, out + c->len);
		memcpy(out + n, tail, tlen + 1);
		return out;
	}
	if (is822)
		rfc822_slow(t, out);
	else
		rfc3339_slow(t, out);
	c->len = 0;
	size_t n = strlen(out);
	if (!ok || n < 8 + tlen || n - 8 - tlen >= sizeof c->prefix)
		return out;
	char fast[48];
	size_t plen = n - 8 - tlen;
	memcpy(fast, out, plen);
	size_t m = plen + time_of_day(t, day, fast + plen);
	memcpy(fast + m, tail, tlen + 1);
	if (m + tlen < size && strcmp(fast, out) == 0) {
		memcpy(c->prefix, out, plen);
		c->len = plen;
		c->day = day;
	}
	return out;
}

static char *rfc3339(struct exporter *x, int64_t t, char out[32])
{
	return dates(&x->d3339, 0, t, out, 32);
}

static char *rfc822(struct exporter *x, int64_t t, char out[40])
{
	return dates(&x->d822, 1, t, out, 40);
}

/* 128 bits of FNV-1a (two seeds) as a urn:uuid, for entries with neither
 * id nor link: stable across runs for the same title, date and content. */
static void hash_id(const struct entry *e, char out[64])
{
	uint64_t h[2] = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL};
	const char *parts[4] = {e->title, e->published.raw, e->updated.raw,
	                        e->content ? e->content : e->summary};
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 4; i++) {
			for (const char *p = parts[i]; p && *p; p++) {
				h[k] ^= (unsigned char)*p;
				h[k] *= 0x100000001b3ULL;
			}
			h[k] ^= 0xff;
			h[k] *= 0x100000001b3ULL;
		}
	snprintf(out, 64, "urn:uuid:%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64
	         "-%04" PRIx64 "-%012" PRIx64,
	         h[0] >> 32, (h[0] >> 16) & 0xffff, h[0] & 0xfff,
	         (uint64_t)(((h[1] >> 48) & 0x3fff) | 0x8000),
	         h[1] & (uint64_t)0xffffffffffffULL);
}

/* ---- what every format derives from an entry the same way ---- */

struct derived {
	const char *id;          /* never NULL */
	char idbuf[64];
	int64_t updated;         /* Atom's required date */
	int64_t date;            /* RSS pubDate, JSON fallback */
	int undated;             /* no date read: first seen (or head) */
	const struct export_source *src; /* primary source, or NULL */
	struct export_source own; /* e->source as an export_source */
};

static void derive(struct exporter *x, const struct entry *e,
                   const struct export_sources *s, struct derived *d)
{
	memset(d, 0, sizeof *d);
	if (!str_empty(e->id)) {
		d->id = e->id;
	} else if (!str_empty(e->link)) {
		d->id = e->link;
	} else {
		hash_id(e, d->idbuf);
		d->id = d->idbuf;
	}
	int64_t seen = s && s->first_seen ? s->first_seen : x->updated;
	d->undated = !e->updated.ok && !e->published.ok;
	d->updated = e->updated.ok ? e->updated.t
	             : e->published.ok ? e->published.t : seen;
	d->date = e->published.ok ? e->published.t
	          : e->updated.ok ? e->updated.t : seen;
	if (s && s->n) {
		d->src = &s->v[0];
	} else if (e->source.id || e->source.title || e->source.url ||
	           e->source.link) {
		d->own.id = e->source.id;
		d->own.title = e->source.title;
		d->own.url = e->source.url;
		d->own.link = e->source.link;
		d->own.updated = e->source.updated.ok ? e->source.updated.t : 0;
		d->src = &d->own;
	}
}

/* A person's display name: name, else email, else URL. */
static const char *person_name(const struct person *p)
{
	return !str_empty(p->name) ? p->name
	       : !str_empty(p->email) ? p->email : p->url;
}

/* ---- the XML side ---- */

/*
 * The tags are written here, not through xmlTextWriter: the writer made
 * ~160 calls into its output buffer per entry (each '<', name, '="', '>'
 * apart, an element stack entry malloc'd and its name strdup'd), more
 * than half of the CPU an Atom export took. The escaping is still
 * libxml2's, by the functions xmlTextWriter itself calls
 * (xmlEncodeSpecialChars for text, xmlAttrSerializeTxtContent for
 * attribute values: &#xHEX; for non-ASCII, as without a document
 * encoding), and the rest is what the writer wrote: <name/> for an
 * element with no content, the open elements closed and a newline at the
 * end. The documents are byte for byte what xmlTextWriter made (the
 * benchmark's 100,000 entries; test_export.c pins the edge cases).
 * Strings reach it repaired by xs() (valid UTF-8, XML 1.0 characters
 * only) and names are constants: what it writes is always well-formed.
 */
/* As big as cmd_export's stdio buffer: what goes out then reaches
 * write(2) without a copy into stdio's. Both formats write many small
 * pieces (json.c a token at a time), and an fwrite per piece was a
 * quarter of an export's instructions. */
#define OUT_FLUSH (256 * 1024)

/* The pending output, once it holds at_least bytes. The first error is
 * kept, later bytes are dropped, and export_entry tells the caller to
 * stop. */
static void out_flush(struct exporter *x, size_t at_least)
{
	if (x->out.len < at_least || !x->out.len)
		return;
	if (!x->failed &&
	    fwrite(x->out.p, 1, x->out.len, x->fp) != x->out.len) {
		x->failed = 1;
		x->err = errno ? errno : EIO;
	}
	buf_reset(&x->out);
}

/* buf_add, with the common case (room left) where the compiler can
 * inline it: the XML side calls this a hundred times an entry. */
static void put(struct exporter *x, const char *s, size_t n)
{
	struct buf *b = &x->out;
	if (b->len + n < b->cap) {  /* room for the bytes and buf's NUL */
		memcpy(b->p + b->len, s, n);
		b->len += n;
		b->p[b->len] = '\0';
	} else {
		buf_add(b, s, n);
	}
}

#define PUTS(x, lit) put((x), (lit), sizeof(lit) - 1)

/* The innermost start tag gets its '>' before any content. */
static void close_tag(struct exporter *x)
{
	if (x->tag_open) {
		PUTS(x, ">");
		x->tag_open = 0;
	}
}

/* libxml2 could not allocate: the export fails as a failed write does. */
static void nomem(struct exporter *x)
{
	if (!x->failed) {
		x->failed = 1;
		x->err = ENOMEM;
	}
}

/* s escaped as text (in_attr 0) or as an attribute value (1), by
 * libxml2's own escapers, the ones xmlTextWriter calls: the library
 * decides what becomes an entity or a character reference, this file
 * only where the tags go. A string with nothing to escape (most of them:
 * names, dates, URLs) is written as it is. */
static void put_escaped(struct exporter *x, const char *s, int in_attr)
{
	/* attributes: non-ASCII becomes &#xHEX; too (no document encoding) */
	size_t n = strcspn(s, in_attr ? "<>&\"\t\n\r" : "<>&\"\r");
	int as_is = !s[n];
	for (const unsigned char *p = (const unsigned char *)s;
	     as_is && in_attr && *p; p++)
		as_is = *p < 0x80;
	if (as_is) {
		put(x, s, n);
	} else if (!in_attr) {
		xmlChar *e = xmlEncodeSpecialChars(NULL, (const xmlChar *)s);
		if (!e) {
			nomem(x);
			return;
		}
		put(x, (const char *)e, strlen((const char *)e));
		xml_free(e);
	} else {
		if (!x->abuf && !(x->abuf = xmlBufferCreate())) {
			nomem(x);
			return;
		}
		xmlBufferEmpty(x->abuf);
		xmlAttrSerializeTxtContent(x->abuf, NULL, NULL,
		                           (const xmlChar *)s);
		put(x, (const char *)xmlBufferContent(x->abuf),
		    (size_t)xmlBufferLength(x->abuf));
	}
}

static void start(struct exporter *x, const char *name)
{
	close_tag(x);
	PUTS(x, "<");
	put(x, name, strlen(name));
	/* The formats nest four deep; deeper is a bug in this file. */
	if (x->depth == (int)(sizeof x->open / sizeof *x->open))
		abort();
	x->open[x->depth++] = name;
	x->tag_open = 1;
}

static void end(struct exporter *x)
{
	if (!x->depth)
		return;
	x->depth--;
	if (x->tag_open) {
		PUTS(x, "/>");
		x->tag_open = 0;
		return;
	}
	const char *name = x->open[x->depth];
	PUTS(x, "</");
	put(x, name, strlen(name));
	PUTS(x, ">");
}

/* Markup written as it is (the declaration, "\n" between entries). */
static void raw(struct exporter *x, const char *s)
{
	close_tag(x);
	put(x, s, strlen(s));
}

static void attr(struct exporter *x, const char *name, const char *value)
{
	if (!value || !x->tag_open)
		return;
	PUTS(x, " ");
	put(x, name, strlen(name));
	PUTS(x, "=\"");
	put_escaped(x, xs(x, value), 1);
	PUTS(x, "\"");
}

static void text(struct exporter *x, const char *s)
{
	if (s && *s) {
		close_tag(x);
		put_escaped(x, xs(x, s), 0);
	}
}

/* <name>s</name>, or nothing when s is NULL or empty. */
static void el(struct exporter *x, const char *name, const char *s)
{
	if (str_empty(s))
		return;
	start(x, name);
	text(x, s);
	end(x);
}

/* <name type="T">s</name>, written even when s is empty. */
static void el_typed(struct exporter *x, const char *name, const char *type,
                     const char *s)
{
	start(x, name);
	attr(x, "type", type);
	text(x, s);
	end(x);
}

/* HTML goes out as CDATA: what libxml2's escaping would do to it costs
 * more than the rest of the entry together (every tag becomes &lt;…&gt;,
 * in a fresh buffer), and CDATA reads back to the same text. The only
 * thing CDATA cannot hold is "]]>", split across two sections here; and a
 * CR, which a parser would fold into LF, so text with one is escaped. */
static void cdata(struct exporter *x, const char *s)
{
	s = xs(x, s);
	close_tag(x);
	if (strchr(s, '\r')) {
		put_escaped(x, s, 0);
		return;
	}
	for (;;) {
		const char *stop = strstr(s, "]]>");
		size_t n = stop ? (size_t)(stop - s) + 2 : strlen(s);
		PUTS(x, "<![CDATA[");
		put(x, s, n);
		PUTS(x, "]]>");
		if (!stop)
			break;
		s = stop + 2; /* the '>' starts the next section */
	}
}

/* <name type="T">html</name>; nothing when html is NULL, and an empty
 * element when html is "" (where the format requires one). */
static void el_html(struct exporter *x, const char *name, const char *type,
                    const char *html)
{
	if (!html)
		return;
	start(x, name);
	attr(x, "type", type);
	if (*html)
		cdata(x, html);
	end(x);
}

static void el_date(struct exporter *x, const char *name, int64_t t)
{
	char d[40];
	el(x, name, x->fmt == EXPORT_RSS ? rfc822(x, t, d) : rfc3339(x, t, d));
}

static void atom_link(struct exporter *x, const char *rel, const char *type,
                      const char *href, int64_t length)
{
	if (str_empty(href))
		return;
	start(x, "link");
	attr(x, "rel", rel);
	if (is_media_type(type))
		attr(x, "type", type);
	attr(x, "href", href);
	if (length >= 0) {
		char n[24];
		snprintf(n, sizeof n, "%" PRId64, length);
		attr(x, "length", n);
	}
	end(x);
}

static void atom_person(struct exporter *x, const char *el_name,
                        const struct person *p)
{
	const char *name = person_name(p);
	if (str_empty(name))
		return;
	start(x, el_name);
	el(x, "name", name);
	if (is_email(p->email))
		el(x, "email", p->email);
	el(x, "uri", p->url);
	end(x);
}

static void xml_begin(struct exporter *x, const struct export_head *h)
{
	/* No indentation: each entry gets a line of its own instead, which
	 * keeps the file easy to read, grep and diff. The bytes are UTF-8
	 * (xs), and the declaration says so. */
	raw(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

	const char *title = h && h->title ? h->title : "warta";
	const char *self = h ? h->self : NULL;
	char lang[64];
	const char *language = lang_tag(h ? h->language : NULL, lang);
	if (x->fmt == EXPORT_ATOM) {
		const char *id = h && !str_empty(h->id) ? h->id
		                 : !str_empty(self) ? self : "urn:warta:export";
		start(x, "feed");
		attr(x, "xmlns", NS_ATOM);
		attr(x, "xml:lang", language);
		el(x, "id", id);
		el_typed(x, "title", "text", title);
		if (h && !str_empty(h->subtitle))
			el_typed(x, "subtitle", "text", h->subtitle);
		el_date(x, "updated", x->updated);
		atom_link(x, "self", "application/atom+xml", self, -1);
		atom_link(x, "alternate", "text/html", h ? h->link : NULL, -1);
		struct person a = {
			.name = (char *)(h && !str_empty(h->author) ? h->author
			                                            : "warta")};
		atom_person(x, "author", &a);
		start(x, "generator");
		attr(x, "uri", WARTA_URL);
		attr(x, "version", WARTA_VERSION);
		text(x, "warta");
		end(x);
		return;
	}
	start(x, "rss");
	attr(x, "version", "2.0");
	attr(x, "xmlns:atom", NS_ATOM);
	attr(x, "xmlns:content", NS_CONTENT);
	attr(x, "xmlns:dc", NS_DC);
	start(x, "channel");
	el(x, "title", title);
	const char *link = h && !str_empty(h->link) ? h->link
	                   : !str_empty(self) ? self : WARTA_URL;
	el(x, "link", link);
	el(x, "description",
	   h && !str_empty(h->subtitle) ? h->subtitle : title);
	el(x, "language", language);
	el_date(x, "lastBuildDate", x->updated);
	el(x, "generator", "warta " WARTA_VERSION);
	if (!str_empty(self)) {
		start(x, "atom:link");
		attr(x, "rel", "self");
		attr(x, "type", "application/rss+xml");
		attr(x, "href", self);
		end(x);
	}
}

static void atom_source(struct exporter *x, const struct export_source *s)
{
	start(x, "source");
	if (!str_empty(s->id))
		el(x, "id", s->id);
	if (!str_empty(s->title))
		el_typed(x, "title", "text", s->title);
	if (s->updated)
		el_date(x, "updated", s->updated);
	atom_link(x, "alternate", "text/html", s->link, -1);
	atom_link(x, "self", NULL, s->url, -1);
	end(x);
}

static void atom_entry(struct exporter *x, const struct entry *e,
                       const struct derived *d)
{
	char lang[64];
	raw(x, "\n");
	start(x, "entry");
	attr(x, "xml:lang", lang_tag(e->language, lang));
	if (is_iri(d->id)) {
		el(x, "id", d->id);
	} else {
		/* Not an IRI (an RSS guid like "12345"): RFC 4287 4.2.6
		 * wants one, so it is wrapped, reversibly. */
		xmlChar *esc = xmlURIEscapeStr((const xmlChar *)xs(x, d->id),
		                               (const xmlChar *)":/@");
		buf_reset(&x->tmp);
		buf_printf(&x->tmp, "urn:warta:guid:%s",
		           esc ? (const char *)esc : "");
		xml_free(esc);
		el(x, "id", x->tmp.p);
	}
	el_typed(x, "title", "text", e->title ? e->title : "");
	el_date(x, "updated", d->updated);
	if (e->published.ok)
		el_date(x, "published", e->published.t);
	atom_link(x, "alternate", "text/html", e->link, -1);
	atom_link(x, "replies", "text/html", e->comments, -1);
	for (size_t i = 0; i < e->nenclosures; i++)
		atom_link(x, "enclosure", e->enclosures[i].type,
		          e->enclosures[i].url, e->enclosures[i].length);
	for (size_t i = 0; i < e->nauthors; i++)
		atom_person(x, "author", &e->authors[i]);
	for (size_t i = 0; i < e->ntags; i++) {
		if (str_empty(e->tags[i]))
			continue;
		start(x, "category");
		attr(x, "term", e->tags[i]);
		end(x);
	}
	/* An entry needs an alternate link or a content (RFC 4287 4.1.2):
	 * with neither, the summary becomes the content. */
	const char *ctype = e->content_is_text ? "text" : "html";
	if (!str_empty(e->content)) {
		if (!str_empty(e->summary))
			el_html(x, "summary", "html", e->summary);
		if (e->content_is_text)
			el_typed(x, "content", ctype, e->content);
		else
			el_html(x, "content", ctype, e->content);
	} else if (str_empty(e->link)) {
		el_html(x, "content", "html", e->summary ? e->summary : "");
	} else if (!str_empty(e->summary)) {
		el_html(x, "summary", "html", e->summary);
	}
	if (d->src)
		atom_source(x, d->src);
	end(x);
}

static void rss_item(struct exporter *x, const struct entry *e,
                     const struct derived *d)
{
	/* content_is_text: RSS descriptions are HTML, so plain text is
	 * escaped into HTML that shows the same characters. */
	char *content_html = NULL;
	if (!str_empty(e->content) && e->content_is_text) {
		struct buf b = {0};
		html_escape(&b, e->content, strlen(e->content));
		content_html = buf_steal(&b);
	}
	const char *content = content_html ? content_html : e->content;
	const char *desc = !str_empty(e->summary) ? e->summary : content;

	raw(x, "\n");
	start(x, "item");
	if (!str_empty(e->title) || str_empty(desc))
		el_typed(x, "title", NULL, e->title ? e->title : "");
	el(x, "link", e->link);
	start(x, "guid");
	attr(x, "isPermaLink", str_eq(d->id, e->link) &&
	     (str_ihas_prefix(d->id, "http://") ||
	      str_ihas_prefix(d->id, "https://")) ? "true" : "false");
	text(x, d->id);
	end(x);
	el_date(x, "pubDate", d->date);
	for (size_t i = 0; i < e->nauthors; i++) {
		const struct person *p = &e->authors[i];
		if (is_email(p->email)) {
			buf_reset(&x->tmp);
			if (!str_empty(p->name))
				buf_printf(&x->tmp, "%s (%s)", p->email, p->name);
			else
				buf_puts(&x->tmp, p->email);
			el(x, "author", x->tmp.p);
		} else {
			el(x, "dc:creator", person_name(p));
		}
	}
	for (size_t i = 0; i < e->ntags; i++)
		el(x, "category", e->tags[i]);
	if (!str_empty(desc))
		el_html(x, "description", NULL, desc);
	/* Always, even when it repeats the description: readers take the
	 * full text from content:encoded, and the round trip keeps it. */
	if (!str_empty(content))
		el_html(x, "content:encoded", NULL, content);
	el(x, "comments", e->comments);
	for (size_t i = 0; i < e->nenclosures; i++) {
		const struct enclosure *en = &e->enclosures[i];
		char n[24];
		if (str_empty(en->url))
			continue;
		snprintf(n, sizeof n, "%" PRId64,
		         en->length >= 0 ? en->length : 0);
		start(x, "enclosure");
		attr(x, "url", en->url);
		attr(x, "length", n);
		attr(x, "type", is_media_type(en->type)
		                 ? en->type : "application/octet-stream");
		end(x);
	}
	if (d->src && !str_empty(d->src->url)) {
		start(x, "source");
		attr(x, "url", d->src->url);
		text(x, d->src->title ? d->src->title : d->src->url);
		end(x);
	}
	end(x);
	free(content_html);
}

/* ---- JSON Feed ---- */

static void jstr(struct exporter *x, const char *key, const char *s)
{
	if (!str_empty(s))
		jw_kstr(&x->jw, key, xs(x, s));
}

static void json_begin(struct exporter *x, const struct export_head *h)
{
	struct jw *w = &x->jw;
	char lang[64];
	jw_init_buf(w, &x->out, 1);
	jw_obj(w);
	jw_kstr(w, "version", JSONFEED_VERSION);
	jstr(x, "title", h && h->title ? h->title : "warta");
	jstr(x, "home_page_url", h ? h->link : NULL);
	jstr(x, "feed_url", h ? h->self : NULL);
	jstr(x, "description", h ? h->subtitle : NULL);
	jstr(x, "language", lang_tag(h ? h->language : NULL, lang));
	if (h && !str_empty(h->author)) {
		jw_key(w, "authors");
		jw_arr(w);
		jw_obj(w);
		jstr(x, "name", h->author);
		jw_end(w);
		jw_end(w);
	}
	jw_key(w, "_warta");
	jw_obj(w);
	jstr(x, "id", h ? h->id : NULL);
	jw_kdate(w, "updated", x->updated);
	jw_kstr(w, "generator", "warta " WARTA_VERSION);
	jw_end(w);
	jw_key(w, "items");
	jw_arr(w);
}

static void json_source(struct exporter *x, const struct export_source *s)
{
	struct jw *w = &x->jw;
	char d[32];
	jw_obj(w);
	jstr(x, "id", s->id);
	jstr(x, "title", s->title);
	jstr(x, "url", s->url);
	jstr(x, "link", s->link);
	if (s->updated)
		jw_kstr(w, "updated", rfc3339(x, s->updated, d));
	jw_end(w);
}

static void json_item(struct exporter *x, const struct entry *e,
                      const struct derived *d,
                      const struct export_sources *s)
{
	struct jw *w = &x->jw;
	char date[32];
	char lang[64];
	jw_obj(w);
	jw_kstr(w, "id", xs(x, d->id));
	jstr(x, "url", e->link);
	jstr(x, "title", e->title);
	if (!str_empty(e->content))
		jstr(x, e->content_is_text ? "content_text" : "content_html",
		     e->content);
	else
		jw_kstr(w, "content_html", e->summary ? xs(x, e->summary) : "");
	if (!str_empty(e->summary)) {
		char *t = html_to_text(e->summary, strlen(e->summary));
		jstr(x, "summary", t);
		free(t);
	}
	if (e->published.ok || d->undated)
		jw_kstr(w, "date_published",
		        rfc3339(x, e->published.ok ? e->published.t : d->date,
		                date));
	if (e->updated.ok)
		jw_kstr(w, "date_modified", rfc3339(x, e->updated.t, date));
	const char *email = NULL;
	size_t named = 0;
	for (size_t i = 0; i < e->nauthors; i++) {
		if (!email && is_email(e->authors[i].email))
			email = e->authors[i].email;
		if (!str_empty(person_name(&e->authors[i])))
			named++;
	}
	if (named) {
		jw_key(w, "authors");
		jw_arr(w);
		for (size_t i = 0; i < e->nauthors; i++) {
			const struct person *p = &e->authors[i];
			if (str_empty(person_name(p)))
				continue;
			jw_obj(w);
			jstr(x, "name", person_name(p));
			jstr(x, "url", p->url);
			jw_end(w);
		}
		jw_end(w);
	}
	size_t ntags = 0;
	for (size_t i = 0; i < e->ntags; i++)
		ntags += !str_empty(e->tags[i]);
	if (ntags) {
		jw_key(w, "tags");
		jw_arr(w);
		for (size_t i = 0; i < e->ntags; i++)
			if (!str_empty(e->tags[i]))
				jw_str(w, xs(x, e->tags[i]));
		jw_end(w);
	}
	jstr(x, "language", lang_tag(e->language, lang));
	size_t nenc = 0;
	for (size_t i = 0; i < e->nenclosures; i++)
		nenc += !str_empty(e->enclosures[i].url);
	if (nenc) {
		jw_key(w, "attachments");
		jw_arr(w);
		for (size_t i = 0; i < e->nenclosures; i++) {
			const struct enclosure *en = &e->enclosures[i];
			if (str_empty(en->url))
				continue;
			jw_obj(w);
			jstr(x, "url", en->url);
			jstr(x, "mime_type", is_media_type(en->type)
			     ? en->type : "application/octet-stream");
			if (en->length >= 0)
				jw_kint(w, "size_in_bytes", en->length);
			jw_end(w);
		}
		jw_end(w);
	}
	if (email || !str_empty(e->comments) || d->src || d->undated) {
		jw_key(w, "_warta");
		jw_obj(w);
		jstr(x, "author_email", email);
		jstr(x, "comments", e->comments);
		if (d->undated)
			jw_kbool(w, "undated", 1);
		if (d->src) {
			jw_key(w, "source");
			json_source(x, d->src);
		}
		if (s && s->n > 1) {
			jw_key(w, "sources");
			jw_arr(w);
			for (size_t i = 0; i < s->n; i++)
				json_source(x, &s->v[i]);
			jw_end(w);
		}
		jw_end(w);
	}
	jw_end(w);
}

/* ---- the public calls ---- */

struct exporter *export_begin(enum export_format fmt, FILE *out,
                              const struct export_head *head)
{
	struct exporter *x = xcalloc(1, sizeof *x);
	x->fmt = fmt;
	x->fp = out;
	x->updated = head && head->updated ? head->updated : now_utc();
	if (fmt == EXPORT_JSONFEED)
		json_begin(x, head);
	else
		xml_begin(x, head);
	return x;
}

static int check_stream(struct exporter *x)
{
	if (!x->failed && ferror(x->fp)) {
		x->failed = 1;
		x->err = errno ? errno : EIO;
	}
	if (x->failed)
		errno = x->err;
	return x->failed ? -1 : 0;
}

int export_entry(struct exporter *x, const struct entry *e,
                 const struct export_sources *src)
{
	struct derived d;
	if (x->failed)
		return check_stream(x);
	derive(x, e, src, &d);
	if (x->fmt == EXPORT_ATOM)
		atom_entry(x, e, &d);
	else if (x->fmt == EXPORT_RSS)
		rss_item(x, e, &d);
	else
		json_item(x, e, &d, src);
	out_flush(x, OUT_FLUSH);
	return check_stream(x);
}

int export_end(struct exporter *x)
{
	if (x->fmt == EXPORT_JSONFEED) {
		jw_end(&x->jw); /* items */
		jw_end(&x->jw); /* the feed */
		jw_done(&x->jw);
	} else {
		raw(x, "\n");
		while (x->depth)
			end(x);
		raw(x, "\n");
		if (x->abuf)
			xmlBufferFree(x->abuf);
	}
	out_flush(x, 1);
	buf_free(&x->out);
	if (fflush(x->fp) != 0 && !x->failed) {
		x->failed = 1;
		x->err = errno ? errno : EIO;
	}
	int rc = check_stream(x);
	int err = errno;
	buf_free(&x->clean);
	buf_free(&x->tmp);
	free(x);
	errno = err;
	return rc;
}

/* ---- atomic -o ---- */

/* A failed open keeps nothing: no temporary file, no memory. */
static int open_failed(struct atomic_file *af, int fd)
{
	int e = errno;
	if (fd >= 0)
		close(fd);
	if (af->tmp)
		unlink(af->tmp);
	free(af->tmp);
	free(af->path);
	memset(af, 0, sizeof *af);
	errno = e;
	return -1;
}

int atomic_open(struct atomic_file *af, const char *path)
{
	memset(af, 0, sizeof *af);
	af->path = xstrdup(path);
	if (str_eq(path, "-")) {
		af->fp = stdout;
		return 0;
	}
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (!*base) {
		errno = EISDIR;
		return open_failed(af, -1);
	}
	/* A dot file beside the target: same file system, so rename is
	 * atomic, and hidden from a web server's directory listing. */
	af->tmp = xasprintf("%.*s.%s.XXXXXX", (int)(base - path), path, base);
	int fd = mkostemp(af->tmp, O_CLOEXEC);
	if (fd < 0) {
		free(af->tmp);
		af->tmp = NULL;
		return open_failed(af, -1);
	}
	struct stat st;
	mode_t mode;
	if (stat(path, &st) == 0) {
		mode = st.st_mode & 07777;
	} else {
		mode_t um = umask(0);
		umask(um);
		mode = 0666 & ~um;
	}
	if (fchmod(fd, mode) < 0 || !(af->fp = fdopen(fd, "w")))
		return open_failed(af, fd);
	return 0;
}

static int fsync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path) + 1)
	                  : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	/* Some file systems refuse fsync on a folder (EINVAL): the rename
	 * has happened, which is what matters most. */
	int rc = fsync(fd) < 0 && errno != EINVAL ? -1 : 0;
	close(fd);
	return rc;
}

int atomic_commit(struct atomic_file *af)
{
	int rc = 0, e = 0;
	if (!af->fp)
		return -1;
	if (!af->tmp) {
		rc = fflush(af->fp);
		af->fp = NULL;
		free(af->path);
		af->path = NULL;
		return rc ? -1 : 0;
	}
	if (fflush(af->fp) != 0 || ferror(af->fp) || fsync(fileno(af->fp)) < 0)
		rc = -1, e = errno ? errno : EIO;
	if (fclose(af->fp) != 0 && !rc)
		rc = -1, e = errno;
	af->fp = NULL;
	if (!rc && rename(af->tmp, af->path) < 0)
		rc = -1, e = errno;
	if (rc) {
		unlink(af->tmp);
	} else if (fsync_dir(af->path) < 0) {
		rc = -1, e = errno;
	}
	free(af->tmp);
	af->tmp = NULL;
	free(af->path);
	af->path = NULL;
	errno = e;
	return rc;
}

void atomic_abort(struct atomic_file *af)
{
	int e = errno;
	if (af->fp && af->tmp)
		fclose(af->fp);
	af->fp = NULL;
	if (af->tmp)
		unlink(af->tmp);
	free(af->tmp);
	af->tmp = NULL;
	free(af->path);
	af->path = NULL;
	errno = e;
}
