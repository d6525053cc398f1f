/*
 * parse.c — the SAX2 side of the parser: libxml2's push parser reads the
 * stream parse_input.c repairs, and these handlers apply feedparser's
 * rules (feedparser/mixin.py and its namespaces/ modules) to fill the model.
 *
 * The structure follows feedparser's on purpose, so that its behaviour
 * can be checked rule by rule: a stack of text frames (its
 * "elementstack"), one set of content parameters, and "contexts" (feed,
 * entry, source, image, textinput) that take what a frame yields when
 * it closes. Each entry is turned into a struct entry and handed to the
 * callback when its element ends, then freed: nothing of the document
 * outlives its entry.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parserInternals.h>

#include "date.h"
#include "html.h"
#include "json.h"
#include "parse_int.h"

/* ---------------------------------------------------------------- */
/* Contexts: what feedparser keeps in its dictionaries.              */
/* ---------------------------------------------------------------- */

struct kv {
	char *k, *v;
};

struct link {
	struct kv *a;
	size_t n;
};

/* A text construct and its *_detail: the value as feedparser pops it,
 * the MIME type it ended with, and where it was read. */
struct tc {
	char *value;
	char *type;
	char *lang;
	char *base;
	int depth;      /* entry precedence: shallower wins; 0 = unset */
};

enum { T_TITLE, T_SUBTITLE, T_SUMMARY, T_RIGHTS, T_INFO, T_CONTENT, T_N };

enum {
	F_ID, F_PUBLISHED, F_UPDATED, F_CREATED, F_EXPIRED, F_COMMENTS,
	F_LANGUAGE, F_ICON, F_LOGO, F_GENERATOR, F_TTL, F_SYPERIOD, F_SYFREQ,
	F_HREF, F_AUTHOR, F_IMAGE, F_N
};

struct tag {
	char *term, *scheme, *label;
};

struct cx {
	struct tc t[T_N];
	int ncontent;
	char *f[F_N];
	int fd[F_N];
	char *link;
	struct link *links;
	size_t nlinks;
	struct person *authors;
	size_t nauthors;
	struct person *contribs;
	size_t ncontribs;
	struct tag *tags;
	size_t ntags;
	int has_gen;
	int summary_from_content;
	char *gen_href, *gen_version;
	char *lang_at_start;   /* xml:lang in force where an entry began */
	int guidislink;
	struct cx *source;
};

/* feedparser's element names for what a text frame yields. */
enum key {
	K_NONE, K_UNKNOWN, K_ITEM, K_IMAGE, K_TEXTINPUT, K_TITLE, K_LINK,
	K_DESCRIPTION, K_SUMMARY, K_CONTENT, K_SUBTITLE, K_RIGHTS, K_INFO,
	K_ID, K_AUTHOR, K_PUBLISHER, K_CONTRIBUTOR, K_NAME, K_EMAIL, K_HREF,
	K_LANGUAGE, K_PUBLISHED, K_UPDATED, K_CREATED, K_EXPIRED, K_CATEGORY,
	K_KEYWORDS, K_SOURCE, K_GENERATOR, K_ICON, K_LOGO, K_COMMENTS, K_TTL,
	K_SYPERIOD, K_SYFREQ, K_IMGURL,
};

struct tframe {
	enum key key;
	int expecting;
	struct buf text;
};

/* Element codes. */
enum el {
	EL_UNKNOWN, EL_RSS, EL_CHANNEL, EL_FEED, EL_ITEM, EL_IMAGE,
	EL_TEXTINPUT, EL_TITLE, EL_MEDIA_TITLE, EL_LINK, EL_DESCRIPTION,
	EL_ABSTRACT, EL_SUMMARY, EL_CONTENT, EL_BODY, EL_ENCODED, EL_GUID,
	EL_AUTHOR, EL_PUBLISHER, EL_CONTRIBUTOR, EL_DC_CONTRIBUTOR, EL_NAME,
	EL_EMAIL, EL_URL, EL_SUBTITLE, EL_RIGHTS, EL_INFO, EL_LANGUAGE,
	EL_PUBLISHED, EL_UPDATED, EL_CREATED, EL_EXPIRED, EL_CATEGORY,
	EL_MEDIA_CATEGORY, EL_ITUNES_CATEGORY, EL_ITUNES_KEYWORDS,
	EL_MEDIA_KEYWORDS, EL_TAGS, EL_ENCLOSURE, EL_SOURCE, EL_GENERATOR,
	EL_ICON, EL_LOGO, EL_COMMENTS, EL_TTL, EL_SY_PERIOD, EL_SY_FREQ,
	EL_WIDTH, EL_ITUNES_OWNER, EL_ITUNES_IMAGE,
};

struct eframe {
	char *base;            /* xml:base in force (owned when base_own) */
	char *lang;
	unsigned char base_own, lang_own;
	unsigned char el;
	unsigned char pushed;  /* pushed a text frame */
	unsigned char inl;     /* serialised into inline content */
	unsigned char skip;    /* dropped (a div in escaped content) */
	unsigned char core;    /* in one of the core namespaces */
};

struct pstate {
	struct parser *owner;
	struct parse_opts opts;
	parse_entry_fn cb;
	void *cbctx;
	struct feed feed;
	char *error;
	int stopped, finished, failed, has_root;
	char *notfeed;          /* why this is not a feed, if it is not */
	xmlParserCtxtPtr ctxt;
	xmlSAXHandler sax;
	int in_parse;           /* inside xmlParseChunk */
	int utf8;               /* the document is UTF-8 (mojibake repair) */
	int netscape;

	/* feedparser's state */
	char version[16];
	int infeed, inentry, insource, inimage, intextinput, inauthor,
	    incontributor, inpublisher, incontent, hascontent, guidislink,
	    isentrylink, feed_has_image;
	int summarykey;         /* K_NONE, K_SUMMARY or K_CONTENT */
	int title_depth, media_title_depth;
	int depth;
	char ctype[64];         /* contentparams: type */
	char *cbase, *clang;    /* contentparams: base, language */
	int cbase64;
	char *lang;             /* feedparser's self.lang */
	char *xlink_prefix_decl;/* xmlns:xlink seen on this element */
	struct cx fcx, ecx, scx, icx, tcx;
	int dirty;              /* fcx changed since the feed was built */

	/* libxml2 interns namespace URIs in its dictionary: one pointer per
	 * namespace for the whole parse, so prefixes are cached by it */
	struct {
		const xmlChar *uri;
		const char *prefix;
	} nscache[8];
	unsigned nsnext;

	struct tframe *tf;
	size_t ntf, captf;
	struct eframe *ef;
	size_t nef, capef;
};

/* ---------------------------------------------------------------- */
/* Small helpers.                                                    */
/* ---------------------------------------------------------------- */

static void set_str(char **dst, const char *s)
{
	char *c = xstrdup(s);
	free(*dst);
	*dst = c;
}

static void take_str(char **dst, char *s)
{
	free(*dst);
	*dst = s;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void tc_clear(struct tc *t)
{
	free(t->value);
	free(t->type);
	free(t->lang);
	free(t->base);
	memset(t, 0, sizeof *t);
}

static void link_free(struct link *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->a[i].k);
		free(l->a[i].v);
	}
	free(l->a);
}

static const char *link_get(const struct link *l, const char *k)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->a[i].k, k) == 0)
			return l->a[i].v;
	return NULL;
}

static void link_set(struct link *l, const char *k, const char *v)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->a[i].k, k) == 0) {
			set_str(&l->a[i].v, v);
			return;
		}
	}
	l->a = xrealloc(l->a, (l->n + 1) * sizeof *l->a);
	l->a[l->n].k = xstrdup(k);
	l->a[l->n].v = xstrdup(v);
	l->n++;
}

static void cx_clear(struct cx *c)
{
	for (int i = 0; i < T_N; i++)
		tc_clear(&c->t[i]);
	for (int i = 0; i < F_N; i++)
		free(c->f[i]);
	free(c->link);
	for (size_t i = 0; i < c->nlinks; i++)
		link_free(&c->links[i]);
	free(c->links);
	for (size_t i = 0; i < c->nauthors; i++)
		person_clear(&c->authors[i]);
	free(c->authors);
	for (size_t i = 0; i < c->ncontribs; i++)
		person_clear(&c->contribs[i]);
	free(c->contribs);
	for (size_t i = 0; i < c->ntags; i++) {
		free(c->tags[i].term);
		free(c->tags[i].scheme);
		free(c->tags[i].label);
	}
	free(c->tags);
	free(c->gen_href);
	free(c->gen_version);
	free(c->lang_at_start);
	if (c->source) {
		cx_clear(c->source);
		free(c->source);
	}
	memset(c, 0, sizeof *c);
}

static struct person *add_person(struct person **v, size_t *n)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	memset(&(*v)[*n], 0, sizeof **v);
	return &(*v)[(*n)++];
}

/* ---------------------------------------------------------------- */
/* Bozo, encoding, errors.                                           */
/* ---------------------------------------------------------------- */

void parser_bozo(struct parser *p, const char *fmt, ...)
{
	struct pstate *st = p->st;
	if (st->feed.bozo)
		return;
	st->feed.bozo = 1;
	va_list ap;
	char msg[256];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* one line of UTF-8, whatever bytes the document put in it */
	size_t n = strlen(msg);
	for (size_t i = 0; i < n; ) {
		unsigned char c = (unsigned char)msg[i];
		int k = c < 0x80 ? 1 :
		        utf8_seq_len((unsigned char *)msg + i, n - i);
		if (k <= 0) {
			msg[i++] = '?';
			continue;
		}
		if (c < 0x20 || c == 0x7F)
			msg[i] = ' ';
		i += (size_t)k;
	}
	st->feed.bozo_msg = xstrdup(str_trim(msg));
}

void parser_set_encoding(struct parser *p, const char *name)
{
	set_str(&p->st->feed.encoding, name);
	p->st->utf8 = strcmp(name, "utf-8") == 0;
}

void parser_set_netscape(struct parser *p)
{
	p->st->netscape = 1;
	if (!p->st->version[0])
		snprintf(p->st->version, sizeof p->st->version, "rss091n");
}

const char *parser_url(const struct parser *p) { return p->st->opts.url; }

const char *parser_content_type(const struct parser *p)
{
	return p->st->opts.content_type;
}

struct feed *parser_feed_mut(struct parser *p) { return &p->st->feed; }

static void on_error(void *ctx, xmlErrorPtr err)
{
	struct parser *p = ctx;
	if (!err || err->level == XML_ERR_WARNING)
		return;
	char msg[200];
	snprintf(msg, sizeof msg, "%s", err->message ? err->message : "");
	str_trim(msg);
	parser_bozo(p, "line %d: %s", err->line, msg);
}

/* ---------------------------------------------------------------- */
/* URLs.                                                             */
/* ---------------------------------------------------------------- */

static int is_absolute(const char *u)
{
	if (!u || !isalpha((unsigned char)*u))
		return 0;
	const char *s = u + 1;
	while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' ||
	       *s == '.')
		s++;
	return *s == ':';
}

static int unsafe_scheme(const char *u)
{
	return str_ihas_prefix(u, "javascript:") ||
	       str_ihas_prefix(u, "vbscript:") || str_ihas_prefix(u, "data:");
}

/* What relative URLs resolve against when no xml:base says: the
 * document's URL, else (parse FILE) the feed's self link, else its home
 * link. */
static const char *fallback_base(struct pstate *st)
{
	if (st->opts.url && *st->opts.url)
		return st->opts.url;
	for (size_t i = 0; i < st->fcx.nlinks; i++) {
		const char *rel = link_get(&st->fcx.links[i], "rel");
		const char *href = link_get(&st->fcx.links[i], "href");
		if (rel && strcmp(rel, "self") == 0 && is_absolute(href))
			return href;
	}
	if (is_absolute(st->fcx.link))
		return st->fcx.link;
	return NULL;
}

static const char *cur_base(struct pstate *st)
{
	return st->nef ? st->ef[st->nef - 1].base : NULL;
}

/* A malloc'd absolute form of ref against base (NULL: the current one). */
static char *resolve_with(struct pstate *st, const char *base,
                          const char *ref)
{
	if (!ref)
		return NULL;
	if (is_absolute(ref))
		return xstrdup(ref);
	const char *fb = fallback_base(st);
	if (!*ref) {
		/* just the base in force, as an absolute URL if possible */
		if (base && is_absolute(base))
			return xstrdup(base);
		if (base && fb)
			return url_resolve(fb, base);
		return xstrdup(fb ? fb : "");
	}
	char *b = NULL;
	if (base && is_absolute(base))
		b = xstrdup(base);
	else if (base && fb)
		b = url_resolve(fb, base);
	else if (fb)
		b = xstrdup(fb);
	char *r = b ? url_resolve(b, ref) : xstrdup(ref);
	free(b);
	return r;
}

static char *resolve(struct pstate *st, const char *ref)
{
	return resolve_with(st, cur_base(st), ref);
}

/* ---------------------------------------------------------------- */
/* Namespaces and element names.                                     */
/* ---------------------------------------------------------------- */

struct nsmap {
	const char *uri;
	const char *prefix;
};

/* feedparser's table (mixin.py), lower case; "" is a core namespace. */
static const struct nsmap namespaces[] = {
	{"", ""},
	{"http://backend.userland.com/rss", ""},
	{"http://blogs.law.harvard.edu/tech/rss", ""},
	{"http://purl.org/rss/1.0/", ""},
	{"http://my.netscape.com/rdf/simple/0.9/", ""},
	{"http://example.com/newformat#", ""},
	{"http://example.com/necho", ""},
	{"http://purl.org/echo/", ""},
	{"uri/of/echo/namespace#", ""},
	{"http://purl.org/pie/", ""},
	{"http://purl.org/atom/ns#", ""},
	{"http://www.w3.org/2005/atom", ""},
	{"http://purl.org/rss/1.0/modules/rss091#", ""},
	{"http://webns.net/mvcb/", "admin"},
	{"http://purl.org/rss/1.0/modules/aggregation/", "ag"},
	{"http://purl.org/rss/1.0/modules/annotate/", "annotate"},
	{"http://media.tangent.org/rss/1.0/", "audio"},
	{"http://backend.userland.com/blogchannelmodule", "blogChannel"},
	{"http://creativecommons.org/ns#license", "cc"},
	{"http://web.resource.org/cc/", "cc"},
	{"http://cyber.law.harvard.edu/rss/creativecommonsrssmodule.html",
	 "creativeCommons"},
	{"http://backend.userland.com/creativecommonsrssmodule",
	 "creativeCommons"},
	{"http://purl.org/rss/1.0/modules/company", "co"},
	{"http://purl.org/rss/1.0/modules/content/", "content"},
	{"http://my.theinfo.org/changed/1.0/rss/", "cp"},
	{"http://purl.org/dc/elements/1.1/", "dc"},
	{"http://purl.org/dc/terms/", "dcterms"},
	{"http://purl.org/rss/1.0/modules/email/", "email"},
	{"http://purl.org/rss/1.0/modules/event/", "ev"},
	{"http://rssnamespace.org/feedburner/ext/1.0", "feedburner"},
	{"http://freshmeat.net/rss/fm/", "fm"},
	{"http://xmlns.com/foaf/0.1/", "foaf"},
	{"http://www.w3.org/2003/01/geo/wgs84_pos#", "geo"},
	{"http://www.georss.org/georss", "georss"},
	{"http://www.opengis.net/gml", "gml"},
	{"http://postneo.com/icbm/", "icbm"},
	{"http://purl.org/rss/1.0/modules/image/", "image"},
	{"http://www.itunes.com/dtds/podcast-1.0.dtd", "itunes"},
	{"http://example.com/dtds/podcast-1.0.dtd", "itunes"},
	{"http://purl.org/rss/1.0/modules/link/", "l"},
	{"http://search.yahoo.com/mrss", "media"},
	{"http://search.yahoo.com/mrss/", "media"},
	{"http://madskills.com/public/xml/rss/module/pingback/", "pingback"},
	{"http://prismstandard.org/namespaces/1.2/basic/", "prism"},
	{"http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf"},
	{"http://www.w3.org/2000/01/rdf-schema#", "rdfs"},
	{"http://purl.org/rss/1.0/modules/reference/", "ref"},
	{"http://purl.org/rss/1.0/modules/richequiv/", "reqv"},
	{"http://purl.org/rss/1.0/modules/search/", "search"},
	{"http://purl.org/rss/1.0/modules/slash/", "slash"},
	{"http://schemas.xmlsoap.org/soap/envelope/", "soap"},
	{"http://purl.org/rss/1.0/modules/servicestatus/", "ss"},
	{"http://hacks.benhammersley.com/rss/streaming/", "str"},
	{"http://purl.org/rss/1.0/modules/subscription/", "sub"},
	{"http://purl.org/rss/1.0/modules/syndication/", "sy"},
	{"http://schemas.pocketsoap.com/rss/mydescmodule/", "szf"},
	{"http://purl.org/rss/1.0/modules/taxonomy/", "taxo"},
	{"http://purl.org/rss/1.0/modules/threading/", "thr"},
	{"http://purl.org/rss/1.0/modules/textinput/", "ti"},
	{"http://madskills.com/public/xml/rss/module/trackback/", "trackback"},
	{"http://wellformedweb.org/commentapi/", "wfw"},
	{"http://purl.org/rss/1.0/modules/wiki/", "wiki"},
	{"http://www.w3.org/1999/xhtml", "xhtml"},
	{"http://www.w3.org/1999/xlink", "xlink"},
	{"http://www.w3.org/xml/1998/namespace", "xml"},
	{"http://podlove.org/simple-chapters", "psc"},
};

/* feedparser's prefix for a namespace URI; NULL if it does not know it. */
static const char *ns_prefix(const char *uri)
{
	if (!uri)
		return "";
	char low[256];
	size_t n = strlen(uri);
	if (n >= sizeof low)
		return NULL;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)uri[i]);
	if (strstr(low, "backend.userland.com/rss"))
		return "";
	for (size_t i = 0; i < sizeof namespaces / sizeof namespaces[0]; i++)
		if (strcmp(low, namespaces[i].uri) == 0)
			return namespaces[i].prefix;
	return NULL;
}

static const char *ns_prefix_st(struct pstate *st, const xmlChar *uri)
{
	if (!uri)
		return "";
	for (int i = 0; i < 8; i++)
		if (st->nscache[i].uri == uri)
			return st->nscache[i].prefix;
	const char *pf = ns_prefix((const char *)uri);
	st->nscache[st->nsnext & 7].uri = uri;
	st->nscache[st->nsnext & 7].prefix = pf;
	st->nsnext++;
	return pf;
}

/* The prefix an element is matched under: the known one for its
 * namespace, else the prefix it was written with (also when it was never
 * declared), else "" (an unknown default namespace reads as core). */
static const char *el_prefix(struct pstate *st, const xmlChar *uri,
                             const xmlChar *prefix)
{
	const char *pf = uri ? ns_prefix_st(st, uri) : NULL;
	if (pf)
		return pf;
	if (prefix) {
		/* an undeclared prefix: feedparser's loose parser takes it
		 * literally, so "itunes:author" still means iTunes */
		return (const char *)prefix;
	}
	return "";
}

struct eldef {
	const char *prefix, *name;
	enum el el;
};

static const struct eldef eltab[] = {
	{"", "abstract", EL_ABSTRACT},
	{"", "author", EL_AUTHOR},
	{"", "body", EL_BODY},
	{"", "category", EL_CATEGORY},
	{"", "channel", EL_CHANNEL},
	{"", "comments", EL_COMMENTS},
	{"", "content", EL_CONTENT},
	{"", "contributor", EL_CONTRIBUTOR},
	{"", "copyright", EL_RIGHTS},
	{"", "created", EL_CREATED},
	{"", "description", EL_DESCRIPTION},
	{"", "email", EL_EMAIL},
	{"", "enclosure", EL_ENCLOSURE},
	{"", "entry", EL_ITEM},
	{"", "expirationdate", EL_EXPIRED},
	{"", "feed", EL_FEED},
	{"", "fullitem", EL_ENCODED},
	{"", "generator", EL_GENERATOR},
	{"", "guid", EL_GUID},
	{"", "height", EL_WIDTH},
	{"", "homepage", EL_URL},
	{"", "icon", EL_ICON},
	{"", "id", EL_GUID},
	{"", "image", EL_IMAGE},
	{"", "info", EL_INFO},
	{"", "issued", EL_PUBLISHED},
	{"", "item", EL_ITEM},
	{"", "keywords", EL_CATEGORY},
	{"", "language", EL_LANGUAGE},
	{"", "lastbuilddate", EL_UPDATED},
	{"", "link", EL_LINK},
	{"", "logo", EL_LOGO},
	{"", "managingeditor", EL_AUTHOR},
	{"", "modified", EL_UPDATED},
	{"", "name", EL_NAME},
	{"", "pubdate", EL_PUBLISHED},
	{"", "published", EL_PUBLISHED},
	{"", "rights", EL_RIGHTS},
	{"", "rss", EL_RSS},
	{"", "source", EL_SOURCE},
	{"", "subtitle", EL_SUBTITLE},
	{"", "summary", EL_SUMMARY},
	{"", "tagline", EL_SUBTITLE},
	{"", "tags", EL_TAGS},
	{"", "textinput", EL_TEXTINPUT},
	{"", "title", EL_TITLE},
	{"", "ttl", EL_TTL},
	{"", "updated", EL_UPDATED},
	{"", "uri", EL_URL},
	{"", "url", EL_URL},
	{"", "webmaster", EL_PUBLISHER},
	{"", "width", EL_WIDTH},
	{"content", "encoded", EL_ENCODED},
	{"dc", "author", EL_AUTHOR},
	{"dc", "contributor", EL_DC_CONTRIBUTOR},
	{"dc", "creator", EL_AUTHOR},
	{"dc", "date", EL_UPDATED},
	{"dc", "description", EL_DESCRIPTION},
	{"dc", "language", EL_LANGUAGE},
	{"dc", "publisher", EL_PUBLISHER},
	{"dc", "rights", EL_RIGHTS},
	{"dc", "subject", EL_CATEGORY},
	{"dc", "title", EL_TITLE},
	{"dcterms", "created", EL_CREATED},
	{"dcterms", "issued", EL_PUBLISHED},
	{"dcterms", "modified", EL_UPDATED},
	{"feedburner", "browserfriendly", EL_INFO},
	{"itunes", "author", EL_AUTHOR},
	{"itunes", "category", EL_ITUNES_CATEGORY},
	{"itunes", "email", EL_EMAIL},
	{"itunes", "image", EL_ITUNES_IMAGE},
	{"itunes", "keywords", EL_ITUNES_KEYWORDS},
	{"itunes", "link", EL_ITUNES_IMAGE},
	{"itunes", "name", EL_NAME},
	{"itunes", "owner", EL_ITUNES_OWNER},
	{"itunes", "subtitle", EL_SUBTITLE},
	{"itunes", "summary", EL_SUMMARY},
	{"media", "category", EL_MEDIA_CATEGORY},
	{"media", "description", EL_DESCRIPTION},
	{"media", "keywords", EL_MEDIA_KEYWORDS},
	{"media", "title", EL_MEDIA_TITLE},
	{"sy", "updatefrequency", EL_SY_FREQ},
	{"sy", "updateperiod", EL_SY_PERIOD},
	{"xhtml", "body", EL_BODY},
};

static int eldef_cmp(const void *a, const void *b)
{
	const struct eldef *x = a, *y = b;
	int c = strcmp(x->prefix, y->prefix);
	return c ? c : strcmp(x->name, y->name);
}

static enum el lookup_el(const char *prefix, const char *local)
{
	char low[40];
	size_t n = strlen(local);
	if (n >= sizeof low)
		return EL_UNKNOWN;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)local[i]);
	struct eldef key = {prefix, low, EL_UNKNOWN};
	const struct eldef *d = bsearch(&key, eltab, sizeof eltab /
	                                sizeof eltab[0], sizeof eltab[0],
	                                eldef_cmp);
	return d ? d->el : EL_UNKNOWN;
}

/* Attributes: libxml2 gives 5-tuples (local, prefix, URI, value, end). */
struct attrs {
	const xmlChar **a;
	int n;
	struct pstate *st;
};

/* The value of attribute name (lower case; "rdf:about" style for a
 * namespaced one), decoded into a malloc'd string; NULL if absent. */
static char *attr_get(const struct attrs *at, const char *name)
{
	const char *colon = strchr(name, ':');
	for (int i = 0; i < at->n; i++) {
		const xmlChar **t = at->a + 5 * i;
		const char *local = (const char *)t[0];
		const char *uri = (const char *)t[2];
		if (colon) {
			const char *pf = uri ? ns_prefix_st(at->st, t[2]) : NULL;
			if (!pf && t[1])
				pf = (const char *)t[1];
			if (!pf || strlen(pf) != (size_t)(colon - name) ||
			    strncasecmp(pf, name, (size_t)(colon - name)) != 0 ||
			    strcasecmp(local, colon + 1) != 0)
				continue;
		} else {
			if (strcasecmp(local, name) != 0)
				continue;
			const char *pf = uri ? ns_prefix_st(at->st, t[2]) : "";
			if (pf && *pf)
				continue;
		}
		/* libxml2 leaves "&#38;" for '&' when entities are not
		 * substituted; undo that one */
		size_t len = (size_t)(t[4] - t[3]);
		char *v = xmalloc(len + 1);
		size_t o = 0;
		for (size_t k = 0; k < len; ) {
			if (len - k >= 5 && memcmp(t[3] + k, "&#38;", 5) == 0) {
				v[o++] = '&';
				k += 5;
			} else {
				v[o++] = (char)t[3][k++];
			}
		}
		v[o] = 0;
		return v;
	}
	return NULL;
}

/* ---------------------------------------------------------------- */
/* Text frames: feedparser's push and pop.                           */
/* ---------------------------------------------------------------- */

static void push(struct pstate *st, enum key key, int expecting)
{
	if (st->ntf == st->captf) {
		size_t old = st->captf;
		st->captf = st->captf ? st->captf * 2 : 16;
		st->tf = xrealloc(st->tf, st->captf * sizeof *st->tf);
		memset(st->tf + old, 0, (st->captf - old) * sizeof *st->tf);
	}
	struct tframe *f = &st->tf[st->ntf++];
	f->key = key;
	f->expecting = expecting;
	buf_reset(&f->text);
	st->ef[st->nef - 1].pushed++;
}

static void map_content_type(char *out, size_t n, const char *t)
{
	size_t k = 0;
	for (; t && t[k] && k + 1 < n; k++)
		out[k] = (char)tolower((unsigned char)t[k]);
	out[k] = 0;
	const char *m = strcmp(out, "text") == 0 || strcmp(out, "plain") == 0 ?
	                "text/plain" : strcmp(out, "html") == 0 ? "text/html" :
	                strcmp(out, "xhtml") == 0 ? "application/xhtml+xml" :
	                NULL;
	if (m && strlen(m) < n)
		strcpy(out, m);
}

static int is_html_type(const char *t)
{
	return strcmp(t, "text/html") == 0 ||
	       strcmp(t, "application/xhtml+xml") == 0;
}

static void push_content(struct pstate *st, enum key key,
                         const struct attrs *at, const char *deftype,
                         int expecting)
{
	st->incontent++;
	if (st->lang)
		for (char *s = st->lang; *s; s++)
			if (*s == '_')
				*s = '-';
	char *type = attr_get(at, "type");
	map_content_type(st->ctype, sizeof st->ctype, type ? type : deftype);
	free(type);
	set_str(&st->clang, st->lang);
	set_str(&st->cbase, cur_base(st));
	char *mode = attr_get(at, "mode");
	if (mode && strcmp(mode, "base64") == 0)
		st->cbase64 = 1;
	else if (strncmp(st->ctype, "text/", 5) == 0 ||
	         ends_with(st->ctype, "+xml") || ends_with(st->ctype, "/xml"))
		st->cbase64 = 0;
	else
		st->cbase64 = 1;
	free(mode);
	push(st, key, expecting);
}

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+') return 62;
	if (c == '/') return 63;
	return -1;
}

/* Base64 into UTF-8 text; NULL when it is not base64 of UTF-8. */
static char *b64decode(const char *s)
{
	size_t n = strlen(s);
	char *out = xmalloc(n + 1);
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0, pad = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (isspace(c))
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		int v = b64val(c);
		if (v < 0 || pad) {
			free(out);
			return NULL;
		}
		acc = acc << 6 | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)(acc >> bits & 0xFF);
		}
	}
	out[o] = 0;
	for (size_t i = 0; i < o; ) {
		int k = utf8_seq_len((unsigned char *)out + i, o - i);
		if (k <= 0 || memchr(out, 0, o)) {
			free(out);
			return NULL;
		}
		i += (size_t)k;
	}
	return out;
}

static const char *const html_elements[] = {
	"a", "abbr", "acronym", "address", "area", "article", "aside",
	"audio", "b", "big", "blockquote", "br", "button", "canvas",
	"caption", "center", "cite", "code", "col", "colgroup", "command",
	"datagrid", "datalist", "dd", "del", "details", "dfn", "dialog",
	"dir", "div", "dl", "dt", "em", "event-source", "fieldset",
	"figcaption", "figure", "font", "footer", "form", "h1", "h2", "h3",
	"h4", "h5", "h6", "header", "hr", "i", "img", "input", "ins", "kbd",
	"keygen", "label", "legend", "li", "m", "map", "menu", "meter",
	"multicol", "nav", "nextid", "noscript", "ol", "optgroup", "option",
	"output", "p", "pre", "progress", "q", "s", "samp", "section",
	"select", "small", "sound", "source", "spacer", "span", "strike",
	"strong", "sub", "sup", "table", "tbody", "td", "textarea", "tfoot",
	"th", "thead", "time", "tr", "tt", "u", "ul", "var", "video", NULL,
};

static int word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/* feedparser's looks_like_html: a close tag or an entity, and only
 * tags and entities HTML knows. */
static int looks_like_html(const char *s)
{
	int evidence = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '<') {
			const char *q = p + 1;
			int close = *q == '/';
			if (close)
				q++;
			const char *n0 = q;
			while (word_char((unsigned char)*q))
				q++;
			if (q == n0)
				continue;
			if (close && *q == '>')
				evidence = 1;
			char name[24];
			size_t len = (size_t)(q - n0);
			if (len >= sizeof name)
				return 0;
			for (size_t i = 0; i < len; i++)
				name[i] = (char)tolower((unsigned char)n0[i]);
			name[len] = 0;
			int ok = 0;
			for (int i = 0; html_elements[i]; i++)
				if (strcmp(name, html_elements[i]) == 0)
					ok = 1;
			if (!ok)
				return 0;
		} else if (*p == '&') {
			const char *q = p + 1;
			int num = *q == '#';
			if (num)
				q++;
			const char *n0 = q;
			while (word_char((unsigned char)*q))
				q++;
			if (q == n0 || *q != ';')
				continue;
			evidence = 1;
			if (num)
				continue;
			char name[40];
			size_t len = (size_t)(q - n0);
			if (len >= sizeof name)
				return 0;
			memcpy(name, n0, len);
			name[len] = 0;
			if (!htmlEntityLookup((const xmlChar *)name))
				return 0;
		}
	}
	return evidence;
}

/* UTF-8 read as Latin-1 and encoded again ("Ã©" for "é"): feedparser
 * undoes it in UTF-8 documents when the result is valid UTF-8. Then
 * U+0080–U+009F become what Windows-1252 meant by those bytes. */
static void fix_text(struct pstate *st, char **sp)
{
	unsigned char *s = (unsigned char *)*sp;
	size_t n = strlen((char *)s);
	int high = 0, only_latin1 = 1, c1 = 0;
	for (size_t i = 0; i < n; i++) {
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (s[i] < 0x80)
			continue;
		high = 1;
		if (s[i] == 0xC2 && i + 1 < n && s[i + 1] < 0xA0)
			c1 = 1;
		if (s[i] != 0xC2 && s[i] != 0xC3)
			only_latin1 = 0;
		i++;
	}
	if (!high)
		return;
	if (st->utf8 && only_latin1) {
		char *b = xmalloc(n + 1);
		size_t o = 0;
		for (size_t i = 0; i < n; i++) {
			if (s[i] < 0x80)
				b[o++] = (char)s[i];
			else {
				b[o++] = (char)(((s[i] & 0x03) << 6) |
				                (s[i + 1] & 0x3F));
				i++;
			}
		}
		b[o] = 0;
		int valid = 1, multi = 0;
		for (size_t i = 0; i < o; ) {
			int k = utf8_seq_len((unsigned char *)b + i, o - i);
			if (k <= 0) {
				valid = 0;
				break;
			}
			if (k > 1)
				multi = 1;
			i += (size_t)k;
		}
		if (valid && multi) {
			free(*sp);
			*sp = b;
			s = (unsigned char *)b;
			n = o;
			c1 = 0;
			for (size_t i = 0; i + 1 < n; i++)
				if (s[i] == 0xC2 && s[i + 1] < 0xA0)
					c1 = 1;
		} else {
			free(b);
		}
	}
	if (!c1)
		return;
	struct buf b = {0};
	for (size_t i = 0; i < n; i++) {
		if (s[i] == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 &&
		    s[i + 1] < 0xA0) {
			unsigned cp = cp1252_char(s[i + 1]);
			if (cp)
				utf8_put(&b, cp);
			i++;
		} else {
			buf_putc(&b, s[i]);
		}
	}
	free(*sp);
	*sp = buf_steal(&b);
}

/* Atom's xhtml content: drop the enclosing <div> when everything is
 * inside it (feedparser's rule, on the serialised string). */
static void unwrap_div(char **sp)
{
	char *s = *sp;
	char *a = s;
	while (isspace((unsigned char)*a))
		a++;
	size_t n = strlen(a);
	while (n && isspace((unsigned char)a[n - 1]))
		n--;
	if (n < 11 || strncmp(a, "<div", 4) != 0 || (a[4] != '>' && a[4] != ' ')
	    || strncmp(a + n - 6, "</div>", 6) != 0)
		return;
	int depth = 0;
	for (size_t i = 0; i < n - 6; i++) {
		if (a[i] != '<')
			continue;
		const char *gt = memchr(a + i, '>', n - i);
		if (!gt)
			break;
		if (a[i + 1] == '/') {
			if (--depth == 0)
				return;
		} else if (gt[-1] != '/') {
			depth++;
		}
		i = (size_t)(gt - a);
	}
	const char *open_end = strchr(a, '>');
	size_t start = (size_t)(open_end - a) + 1;
	char *out = xstrndup(a + start, n - 6 - start);
	free(s);
	*sp = out;
}

/* The frame's text, trimmed, as a malloc'd string. A big one is handed
 * over rather than copied (the frame grows a new buffer next time). */
static char *take_text(struct buf *b)
{
	if (!b->p)
		return xstrdup("");
	size_t s = 0, n = b->len;
	while (s < n && isspace((unsigned char)b->p[s]))
		s++;
	while (n > s && isspace((unsigned char)b->p[n - 1]))
		n--;
	if (n - s < 4096)
		return xstrndup(b->p + s, n - s);
	if (s)
		memmove(b->p, b->p + s, n - s);
	b->p[n - s] = 0;
	char *r = b->p;
	memset(b, 0, sizeof *b);
	return r;
}

static int can_be_relative(enum key k)
{
	return k == K_COMMENTS || k == K_HREF || k == K_ICON || k == K_ID ||
	       k == K_LINK || k == K_LOGO || k == K_IMGURL;
}

static struct cx *context(struct pstate *st)
{
	if (st->insource)
		return &st->scx;
	if (st->inimage && st->feed_has_image)
		return &st->icx;
	if (st->intextinput)
		return &st->tcx;
	if (st->inentry)
		return &st->ecx;
	return &st->fcx;
}

static int tc_for(enum key k)
{
	switch (k) {
	case K_TITLE: return T_TITLE;
	case K_SUBTITLE: return T_SUBTITLE;
	case K_SUMMARY: return T_SUMMARY;
	case K_RIGHTS: return T_RIGHTS;
	case K_INFO: return T_INFO;
	case K_CONTENT: return T_CONTENT;
	default: return -1;
	}
}

static int field_for(enum key k)
{
	switch (k) {
	case K_ID: return F_ID;
	case K_PUBLISHED: return F_PUBLISHED;
	case K_UPDATED: return F_UPDATED;
	case K_CREATED: return F_CREATED;
	case K_EXPIRED: return F_EXPIRED;
	case K_COMMENTS: return F_COMMENTS;
	case K_LANGUAGE: return F_LANGUAGE;
	case K_ICON: return F_ICON;
	case K_LOGO: return F_LOGO;
	case K_GENERATOR: return F_GENERATOR;
	case K_TTL: return F_TTL;
	case K_SYPERIOD: return F_SYPERIOD;
	case K_SYFREQ: return F_SYFREQ;
	case K_HREF: return F_HREF;
	case K_AUTHOR: return F_AUTHOR;
	case K_IMGURL: return F_IMAGE;
	default: return -1;
	}
}

static void tc_store(struct pstate *st, struct tc *t, char *value)
{
	take_str(&t->value, value);
	set_str(&t->type, st->ctype[0] ? st->ctype : "text/plain");
	set_str(&t->lang, st->incontent ? st->clang : st->lang);
	set_str(&t->base, st->incontent ? st->cbase : cur_base(st));
	t->depth = st->depth;
}

/* The tail of feedparser's pop(): where a finished value goes. */
static void store(struct pstate *st, enum key key, char *out)
{
	if (key == K_CATEGORY || key == K_KEYWORDS) {
		free(out);
		return;
	}
	if (key == K_TITLE && st->title_depth > -1 &&
	    st->title_depth <= st->depth) {
		free(out);
		return;
	}
	if (key == K_NONE || key == K_UNKNOWN || key == K_ITEM ||
	    key == K_IMAGE || key == K_TEXTINPUT || key == K_SOURCE ||
	    key == K_PUBLISHER || key == K_CONTRIBUTOR || key == K_NAME ||
	    key == K_EMAIL) {
		free(out);
		return;
	}
	if (st->inentry && !st->insource) {
		struct cx *e = &st->ecx;
		if (key == K_CONTENT) {
			if (e->ncontent++ == 0)
				tc_store(st, &e->t[T_CONTENT], out);
			else
				free(out);
			return;
		}
		if (key == K_LINK) {
			if (st->inimage) {
				free(out);
				return;
			}
			/* feedparser lets any <link>text</link> set the
			 * entry's link, so a later rel="enclosure" one wins;
			 * only an alternate link may (its own two failures) */
			const char *rel = NULL;
			if (e->nlinks) {
				struct link *l = &e->links[e->nlinks - 1];
				if (*out)
					link_set(l, "href", out);
				rel = link_get(l, "rel");
			}
			if (!rel || strcmp(rel, "alternate") == 0)
				take_str(&e->link, out);
			else
				free(out);
			return;
		}
		if (key == K_DESCRIPTION)
			key = K_SUMMARY;
		int t = tc_for(key), f = field_for(key);
		if (t >= 0) {
			struct tc *c = &e->t[t];
			if (!c->value || st->depth <= c->depth) {
				tc_store(st, c, out);
				if (!st->incontent)
					set_str(&c->type, "text/plain");
			} else {
				free(out);
			}
		} else if (f >= 0) {
			if (!e->f[f] || st->depth <= e->fd[f]) {
				take_str(&e->f[f], out);
				e->fd[f] = st->depth;
			} else {
				free(out);
			}
		} else {
			free(out);
		}
		return;
	}
	if (!(st->infeed || st->insource)) {
		free(out);
		return;
	}
	struct cx *c = context(st);
	if (c == &st->fcx)
		st->dirty = 1;
	if (key == K_DESCRIPTION)
		key = K_SUBTITLE;
	if (key == K_LINK) {
		if (c->nlinks)
			link_set(&c->links[c->nlinks - 1], "href", out);
		take_str(&c->link, out);
		return;
	}
	int t = tc_for(key), f = field_for(key);
	if (t == T_CONTENT) {
		if (c->ncontent++ == 0)
			tc_store(st, &c->t[T_CONTENT], out);
		else
			free(out);
	} else if (t >= 0) {
		tc_store(st, &c->t[t], out);
		if (!st->incontent)
			set_str(&c->t[t].type, "text/plain");
	} else if (f >= 0) {
		take_str(&c->f[f], out);
	} else {
		free(out);
	}
}

/* feedparser's pop(): the frame's text, processed; stored when the
 * frame expected text. Returns the value (owned by the caller) or NULL
 * when the top frame is not key's. */
static char *pop(struct pstate *st, enum key key, int want)
{
	if (!st->ntf || st->tf[st->ntf - 1].key != key)
		return NULL;
	struct tframe *f = &st->tf[--st->ntf];
	st->ef[st->nef - 1].pushed--;
	char *out = take_text(&f->text);
	if (strcmp(st->version, "atom10") == 0 &&
	    strcmp(st->ctype, "application/xhtml+xml") == 0)
		unwrap_div(&out);
	if (!f->expecting) {
		if (!want) {
			free(out);
			return NULL;
		}
		return out;
	}
	if (st->cbase64 && st->incontent) {
		char *d = b64decode(out);
		if (d)
			take_str(&out, d);
	}
	/* ids stay as given (the archive knows entries by them, and they
	 * must not change with the URL a feed was fetched from); feedparser
	 * resolves permalink guids, we resolve them only as links */
	if (can_be_relative(key) && key != K_ID && *out)
		take_str(&out, resolve(st, out));
	if (strncmp(st->version, "atom", 4) != 0 &&
	    strcmp(st->ctype, "text/plain") == 0 && looks_like_html(out))
		snprintf(st->ctype, sizeof st->ctype, "text/html");
	st->cbase64 = 0;
	fix_text(st, &out);
	store(st, key, want ? xstrdup(out) : out);
	return want ? out : NULL;
}

static char *pop_content(struct pstate *st, enum key key, int want)
{
	char *v = pop(st, key, want);
	if (st->incontent)
		st->incontent--;
	st->ctype[0] = 0;
	free(st->cbase);
	free(st->clang);
	st->cbase = st->clang = NULL;
	st->cbase64 = 0;
	return v;
}

/* ---------------------------------------------------------------- */
/* Authors, tags, links.                                             */
/* ---------------------------------------------------------------- */

static int email_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '+' || c == '-';
}

/* "me@example.com (Name)" and its variants: feedparser's
 * _sync_author_detail split. */
static void split_author(const char *text, struct person *who)
{
	const char *at = strchr(text, '@');
	char *email = NULL;
	size_t s = 0, e = 0;
	if (at && at > text) {
		s = (size_t)(at - text);
		while (s > 0 && email_char((unsigned char)text[s - 1]))
			s--;
		e = (size_t)(at - text) + 1;
		size_t lastdot = 0;
		while (text[e] && (isalnum((unsigned char)text[e]) ||
		                   text[e] == '-' || text[e] == '.')) {
			if (text[e] == '.')
				lastdot = e;
			e++;
		}
		while (e > 0 && text[e - 1] == '.')
			e--;
		if (s < (size_t)(at - text) && lastdot > (size_t)(at - text) + 1)
			email = xstrndup(text + s, e - s);
	}
	struct buf name = {0};
	if (email) {
		buf_add(&name, text, s);
		buf_puts(&name, text + e);
	} else {
		buf_puts(&name, text);
	}
	char *n = buf_steal(&name);
	static const char *const junk[] = {"()", "<>", "&lt;&gt;", NULL};
	for (int i = 0; junk[i]; i++) {
		char *q;
		while ((q = strstr(n, junk[i])))
			memmove(q, q + strlen(junk[i]), strlen(q + strlen(junk[i])) + 1);
	}
	str_trim(n);
	if (*n == '(')
		memmove(n, n + 1, strlen(n));
	size_t len = strlen(n);
	if (len && n[len - 1] == ')')
		n[len - 1] = 0;
	str_trim(n);
	if (*n)
		set_str(&who->name, n);
	if (email)
		take_str(&who->email, email);
	free(n);
}

static void add_tag(struct pstate *st, const char *term, const char *scheme,
                    const char *label)
{
	struct cx *c = context(st);
	if (str_empty(term) && str_empty(scheme) && str_empty(label))
		return;
	for (size_t i = 0; i < c->ntags; i++)
		if (str_eq(c->tags[i].term, term) &&
		    str_eq(c->tags[i].scheme, scheme) &&
		    str_eq(c->tags[i].label, label))
			return;
	c->tags = xrealloc(c->tags, (c->ntags + 1) * sizeof *c->tags);
	c->tags[c->ntags].term = xstrdup(term);
	c->tags[c->ntags].scheme = xstrdup(scheme);
	c->tags[c->ntags].label = xstrdup(label);
	c->ntags++;
	if (c == &st->fcx)
		st->dirty = 1;
}

static struct link *add_link(struct cx *c)
{
	c->links = xrealloc(c->links, (c->nlinks + 1) * sizeof *c->links);
	memset(&c->links[c->nlinks], 0, sizeof c->links[0]);
	return &c->links[c->nlinks++];
}

/* Every attribute of the element, feedparser-style: lower-case names,
 * rel and type values lower-cased. */
static void link_from_attrs(struct link *l, const struct attrs *at)
{
	for (int i = 0; i < at->n; i++) {
		const xmlChar **t = at->a + 5 * i;
		char name[64];
		const char *pf = t[2] ? ns_prefix_st(at->st, t[2]) : "";
		if (!pf)
			pf = t[1] ? (const char *)t[1] : "";
		snprintf(name, sizeof name, "%s%s%s", pf, *pf ? ":" : "",
		         (const char *)t[0]);
		for (char *s = name; *s; s++)
			*s = (char)tolower((unsigned char)*s);
		char *v = attr_get(at, name);
		if (!v)
			continue;
		if (strcmp(name, "rel") == 0 || strcmp(name, "type") == 0)
			for (char *s = v; *s; s++)
				*s = (char)tolower((unsigned char)*s);
		link_set(l, name, v);
		free(v);
	}
}

/* _enforce_href: url= and uri= are href=. */
static void enforce_href(struct link *l)
{
	const char *h = link_get(l, "url");
	if (!h)
		h = link_get(l, "uri");
	if (!h)
		h = link_get(l, "href");
	if (!h || !*h)
		return;
	char *href = xstrdup(h);
	for (size_t i = 0; i < l->n; ) {
		if (strcmp(l->a[i].k, "url") == 0 ||
		    strcmp(l->a[i].k, "uri") == 0) {
			free(l->a[i].k);
			free(l->a[i].v);
			memmove(&l->a[i], &l->a[i + 1],
			        (l->n - i - 1) * sizeof l->a[0]);
			l->n--;
		} else {
			i++;
		}
	}
	link_set(l, "href", href);
	free(href);
}

/* ---------------------------------------------------------------- */
/* Building the model.                                               */
/* ---------------------------------------------------------------- */

static void set_date(struct wdate *d, const char *raw)
{
	wdate_clear(d);
	if (!raw || !*raw)
		return;
	d->raw = xstrdup(raw);
	int64_t t;
	if (date_parse(raw, &t)) {
		d->t = t;
		d->ok = 1;
	}
}

static char *tc_text(struct pstate *st, const struct tc *t)
{
	(void)st;
	if (!t->value)
		return NULL;
	if (t->type && (is_html_type(t->type)))
		return html_to_text(t->value, strlen(t->value));
	return xstrdup(t->value);
}

/* A text construct as sanitised HTML. Plain text goes through the
 * sanitiser too rather than being escaped: the same for ordinary text,
 * and what feedparser shows for the feeds that call HTML "text". */
static char *tc_html(struct pstate *st, const struct tc *t)
{
	if (!t->value)
		return NULL;
	char *base = resolve_with(st, t->base, "");
	char *r = html_sanitize(t->value, strlen(t->value),
	                        is_absolute(base) ? base : NULL);
	free(base);
	return r;
}

static void copy_people(struct person *src, size_t n,
                        struct person *(*add)(void *), void *owner)
{
	for (size_t i = 0; i < n; i++) {
		if (!src[i].name && !src[i].email && !src[i].url)
			continue;
		struct person *d = add(owner);
		d->name = xstrdup(src[i].name);
		d->email = xstrdup(src[i].email);
		d->url = xstrdup(src[i].url);
	}
}

static struct person *add_entry_author(void *e)
{
	return entry_add_author(e);
}

static struct person *add_feed_author(void *f)
{
	return feed_add_author(f);
}

static void jw_kv_opt(struct jw *w, const char *k, const char *v)
{
	if (v)
		jw_kstr(w, k, v);
}

static void json_people(struct jw *w, const char *key, struct person *v,
                        size_t n)
{
	if (!n)
		return;
	jw_key(w, key);
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		jw_obj(w);
		jw_kv_opt(w, "name", v[i].name);
		jw_kv_opt(w, "email", v[i].email);
		jw_kv_opt(w, "href", v[i].url);
		jw_end(w);
	}
	jw_end(w);
}

static void json_tc(struct pstate *st, struct jw *w, const char *key,
                    const struct tc *t, int html)
{
	if (!t->value)
		return;
	char *v = html && t->type && is_html_type(t->type) ?
	          tc_html(st, t) : xstrdup(t->value);
	char dk[32];
	snprintf(dk, sizeof dk, "%s_detail", key);
	jw_kstr(w, key, v);
	jw_key(w, dk);
	jw_obj(w);
	jw_kstr(w, "type", t->type ? t->type : "text/plain");
	jw_kv_opt(w, "language", t->lang);
	jw_kv_opt(w, "base", t->base);
	jw_kstr(w, "value", v);
	jw_end(w);
	free(v);
}

/* The source as feedparser shapes it, for parse's _warta.source. */
static char *source_json(struct pstate *st, const struct cx *s)
{
	struct buf b = {0};
	struct jw w;
	jw_init_buf(&w, &b, 0);
	jw_obj(&w);
	json_tc(st, &w, "title", &s->t[T_TITLE], 0);
	json_tc(st, &w, "subtitle", &s->t[T_SUBTITLE], 1);
	json_tc(st, &w, "rights", &s->t[T_RIGHTS], 1);
	jw_kv_opt(&w, "link", s->link);
	jw_kv_opt(&w, "id", s->f[F_ID]);
	jw_kv_opt(&w, "href", s->f[F_HREF]);
	jw_kv_opt(&w, "icon", s->f[F_ICON]);
	jw_kv_opt(&w, "logo", s->f[F_LOGO]);
	if (s->f[F_UPDATED]) {
		int64_t t;
		char rfc[32];
		jw_kstr(&w, "updated", date_parse(s->f[F_UPDATED], &t) ?
		        date_rfc3339(t, rfc) : s->f[F_UPDATED]);
	}
	if (s->f[F_GENERATOR] || s->has_gen) {
		jw_kv_opt(&w, "generator", s->f[F_GENERATOR]);
		jw_key(&w, "generator_detail");
		jw_obj(&w);
		jw_kv_opt(&w, "name", s->f[F_GENERATOR]);
		jw_kv_opt(&w, "href", s->gen_href);
		jw_kv_opt(&w, "version", s->gen_version);
		jw_end(&w);
	}
	if (s->nlinks) {
		jw_key(&w, "links");
		jw_arr(&w);
		for (size_t i = 0; i < s->nlinks; i++) {
			jw_obj(&w);
			for (size_t k = 0; k < s->links[i].n; k++)
				jw_kstr(&w, s->links[i].a[k].k,
				        s->links[i].a[k].v);
			jw_end(&w);
		}
		jw_end(&w);
	}
	size_t na = 0;
	for (size_t i = 0; i < s->nauthors; i++)
		if (s->authors[i].name || s->authors[i].email ||
		    s->authors[i].url)
			na++;
	if (na) {
		struct person *a = &s->authors[0];
		if (a->name && a->email) {
			char *v = xasprintf("%s (%s)", a->name, a->email);
			jw_kstr(&w, "author", v);
			free(v);
		} else if (a->name || a->email) {
			jw_kstr(&w, "author", a->name ? a->name : a->email);
		}
		jw_key(&w, "author_detail");
		jw_obj(&w);
		jw_kv_opt(&w, "name", a->name);
		jw_kv_opt(&w, "email", a->email);
		jw_kv_opt(&w, "href", a->url);
		jw_end(&w);
		json_people(&w, "authors", s->authors, s->nauthors);
	}
	json_people(&w, "contributors", s->contribs, s->ncontribs);
	if (s->ntags) {
		jw_key(&w, "tags");
		jw_arr(&w);
		for (size_t i = 0; i < s->ntags; i++) {
			jw_obj(&w);
			jw_kstr(&w, "term", s->tags[i].term);
			jw_kstr(&w, "scheme", s->tags[i].scheme);
			jw_kstr(&w, "label", s->tags[i].label);
			jw_end(&w);
		}
		jw_end(&w);
	}
	jw_end(&w);
	return buf_steal(&b);
}

static long ttl_seconds(const struct cx *c)
{
	if (c->f[F_TTL]) {
		long m = strtol(c->f[F_TTL], NULL, 10);
		if (m > 0)
			return m * 60;
	}
	if (c->f[F_SYPERIOD] || c->f[F_SYFREQ]) {
		char per[16] = "daily";
		if (c->f[F_SYPERIOD]) {
			snprintf(per, sizeof per, "%s", c->f[F_SYPERIOD]);
			str_trim(per);
		}
		long secs = 86400;
		if (strcasecmp(per, "hourly") == 0) secs = 3600;
		else if (strcasecmp(per, "weekly") == 0) secs = 7 * 86400;
		else if (strcasecmp(per, "monthly") == 0) secs = 30 * 86400;
		else if (strcasecmp(per, "yearly") == 0) secs = 365 * 86400;
		long fr = c->f[F_SYFREQ] ? strtol(c->f[F_SYFREQ], NULL, 10) : 1;
		if (fr < 1)
			fr = 1;
		return secs / fr;
	}
	return 0;
}

/* The channel-level data so far into st->feed (version, bozo and
 * encoding live there already). */
static void build_feed(struct pstate *st)
{
	if (!st->dirty)
		return;
	st->dirty = 0;
	struct feed *f = &st->feed;
	struct cx *c = &st->fcx;
	take_str(&f->title, tc_text(st, &c->t[T_TITLE]));
	set_str(&f->link, c->link);
	free(f->self);
	free(f->next);
	f->self = f->next = NULL;
	for (size_t i = 0; i < c->nlinks; i++) {
		const char *rel = link_get(&c->links[i], "rel");
		const char *href = link_get(&c->links[i], "href");
		if (!rel || !href)
			continue;
		if (strcmp(rel, "self") == 0 && !f->self)
			f->self = xstrdup(href);
		if (strcmp(rel, "next") == 0 && !f->next)
			f->next = xstrdup(href);
	}
	const struct tc *sub = c->t[T_SUBTITLE].value ? &c->t[T_SUBTITLE] :
	                       &c->t[T_SUMMARY];
	take_str(&f->subtitle, tc_html(st, sub));
	set_str(&f->language, c->f[F_LANGUAGE]);
	set_str(&f->icon, c->f[F_ICON]);
	set_str(&f->logo, c->f[F_LOGO] ? c->f[F_LOGO] : c->f[F_IMAGE]);
	set_str(&f->id, c->f[F_ID]);
	take_str(&f->rights, tc_html(st, &c->t[T_RIGHTS]));
	set_str(&f->generator, c->f[F_GENERATOR]);
	set_date(&f->updated, c->f[F_UPDATED]);
	set_date(&f->published, c->f[F_PUBLISHED]);
	for (size_t i = 0; i < f->nauthors; i++)
		person_clear(&f->authors[i]);
	free(f->authors);
	f->authors = NULL;
	f->nauthors = 0;
	copy_people(c->authors, c->nauthors, add_feed_author, f);
	f->ttl = ttl_seconds(c);
}

static void build_entry(struct pstate *st, struct entry *e)
{
	struct cx *c = &st->ecx;
	e->id = xstrdup(c->f[F_ID]);
	e->link = xstrdup(c->link);
	e->title = tc_text(st, &c->t[T_TITLE]);
	e->summary = tc_html(st, &c->t[T_SUMMARY]);
	struct tc *ct = &c->t[T_CONTENT];
	if (ct->value) {
		const char *type = ct->type ? ct->type : "text/plain";
		if (is_html_type(type)) {
			e->content = tc_html(st, ct);
		} else {
			e->content = xstrdup(ct->value);
			e->content_is_text = 1;
		}
		if (!c->t[T_SUMMARY].value && c->summary_from_content)
			e->summary = e->content_is_text ? tc_html(st, ct) :
			             xstrdup(e->content);
	}
	e->comments = xstrdup(c->f[F_COMMENTS]);
	e->language = xstrdup(c->f[F_LANGUAGE] ? c->f[F_LANGUAGE] :
	                      c->lang_at_start);
	set_date(&e->published, c->f[F_PUBLISHED]);
	set_date(&e->updated, c->f[F_UPDATED]);
	copy_people(c->authors, c->nauthors, add_entry_author, e);
	for (size_t i = 0; i < c->ntags; i++)
		if (!str_empty(c->tags[i].term))
			entry_add_tag(e, c->tags[i].term);
	for (size_t i = 0; i < c->nlinks; i++) {
		const char *rel = link_get(&c->links[i], "rel");
		const char *href = link_get(&c->links[i], "href");
		if (!rel || strcmp(rel, "enclosure") != 0 || str_empty(href))
			continue;
		struct enclosure *enc = entry_add_enclosure(e);
		enc->url = xstrdup(href);
		enc->type = xstrdup(link_get(&c->links[i], "type"));
		const char *len = link_get(&c->links[i], "length");
		char *end;
		if (len && *len) {
			long long v = strtoll(len, &end, 10);
			if (!*end && v >= 0)
				enc->length = v;
		}
	}
	if (c->source) {
		struct cx *s = c->source;
		e->source.id = xstrdup(s->f[F_ID]);
		e->source.title = tc_text(st, &s->t[T_TITLE]);
		const char *self = s->f[F_HREF];
		for (size_t i = 0; !self && i < s->nlinks; i++) {
			const char *rel = link_get(&s->links[i], "rel");
			if (rel && strcmp(rel, "self") == 0)
				self = link_get(&s->links[i], "href");
		}
		e->source.url = xstrdup(self);
		e->source.link = xstrdup(s->link);
		set_date(&e->source.updated, s->f[F_UPDATED]);
		e->source.json = source_json(st, s);
	}
}

void parser_emit(struct parser *p, struct entry *e)
{
	struct pstate *st = p->st;
	build_feed(st);
	st->feed.nentries++;
	if (st->cb && !st->stopped && st->cb(st->cbctx, &st->feed, e)) {
		st->stopped = 1;
		if (st->ctxt && st->in_parse)
			xmlStopParser(st->ctxt);
	}
	entry_clear(e);
}

/* ---------------------------------------------------------------- */
/* Element handlers.                                                 */
/* ---------------------------------------------------------------- */

static void start_item(struct pstate *st, const struct attrs *at);
static void cdf_common(struct pstate *st, const struct attrs *at);

static void version_from_ns(struct pstate *st, const char *prefix,
                            const char *uri)
{
	if (st->version[0] || !uri)
		return;
	char low[128];
	snprintf(low, sizeof low, "%s", uri);
	for (char *s = low; *s; s++)
		*s = (char)tolower((unsigned char)*s);
	if (!prefix && strcmp(low, "http://my.netscape.com/rdf/simple/0.9/") == 0)
		snprintf(st->version, sizeof st->version, "rss090");
	else if (strcmp(low, "http://purl.org/rss/1.0/") == 0)
		snprintf(st->version, sizeof st->version, "rss10");
	else if (strcmp(low, "http://www.w3.org/2005/atom") == 0)
		snprintf(st->version, sizeof st->version, "atom10");
}

static void start_author(struct pstate *st)
{
	st->inauthor = 1;
	push(st, K_AUTHOR, 1);
	struct cx *c = context(st);
	add_person(&c->authors, &c->nauthors);
	if (c == &st->fcx)
		st->dirty = 1;
}

static void end_author(struct pstate *st)
{
	char *v = pop(st, K_AUTHOR, 1);
	st->inauthor = 0;
	struct cx *c = context(st);
	if (c->nauthors && v && *v) {
		struct person *a = &c->authors[c->nauthors - 1];
		if (!a->name && !a->email && !a->url)
			split_author(v, a);
	}
	free(v);
}

static void save_person(struct pstate *st, int what, char *v)
{
	struct cx *c = context(st);
	struct person *who = NULL;
	if (st->inpublisher) {
		free(v);
		return;
	}
	if (st->inauthor) {
		if (!c->nauthors)
			add_person(&c->authors, &c->nauthors);
		who = &c->authors[c->nauthors - 1];
	} else if (st->incontributor) {
		if (!c->ncontribs)
			add_person(&c->contribs, &c->ncontribs);
		who = &c->contribs[c->ncontribs - 1];
	}
	if (!who) {
		free(v);
		return;
	}
	if (c == &st->fcx)
		st->dirty = 1;
	take_str(what == K_NAME ? &who->name : what == K_EMAIL ? &who->email :
	         &who->url, v);
}

static void start_title(struct pstate *st, const struct attrs *at)
{
	push_content(st, K_TITLE, at, "text/plain",
	             st->infeed || st->inentry || st->insource);
}

static void end_title(struct pstate *st)
{
	char *v = pop_content(st, K_TITLE, 1);
	if (v && *v)
		st->title_depth = st->depth;
	free(v);
}

static void start_content(struct pstate *st, const struct attrs *at)
{
	st->hascontent = 1;
	push_content(st, K_CONTENT, at, "text/plain", 1);
}

static void end_content(struct pstate *st)
{
	int copy = strcmp(st->ctype, "text/plain") == 0 ||
	           is_html_type(st->ctype);
	pop_content(st, K_CONTENT, 0);
	/* feedparser's _save('summary', value): the content stands in for
	 * a missing summary; build_entry does the standing in */
	struct cx *c = context(st);
	if (copy && !c->t[T_SUMMARY].value)
		c->summary_from_content = 1;
}

static void start_summary_like(struct pstate *st, const struct attrs *at,
                               enum key key, const char *deftype,
                               int expecting)
{
	struct cx *c = context(st);
	if ((c->t[T_SUMMARY].value || c->summary_from_content) &&
	    !st->hascontent) {
		st->summarykey = K_CONTENT;
		start_content(st, at);
	} else {
		st->summarykey = key;
		push_content(st, key, at, deftype, expecting);
	}
}

static void end_summary_like(struct pstate *st, enum key key)
{
	if (st->summarykey == K_CONTENT)
		end_content(st);
	else
		pop_content(st, key, 0);
	st->summarykey = K_NONE;
}

static void start_link(struct pstate *st, const struct attrs *at)
{
	struct cx *c = context(st);
	struct link tmp = {0};
	link_from_attrs(&tmp, at);
	if (!link_get(&tmp, "rel"))
		link_set(&tmp, "rel", "alternate");
	const char *rel = link_get(&tmp, "rel");
	if (!link_get(&tmp, "type"))
		link_set(&tmp, "type", strcmp(rel, "self") == 0 ?
		         "application/atom+xml" : "text/html");
	enforce_href(&tmp);
	const char *href = link_get(&tmp, "href");
	if (href) {
		char *r = resolve(st, href);
		link_set(&tmp, "href", r);
		free(r);
		href = link_get(&tmp, "href");
	}
	char mt[64];
	map_content_type(mt, sizeof mt, link_get(&tmp, "type"));
	if (strcmp(link_get(&tmp, "rel"), "alternate") == 0 && is_html_type(mt))
		st->isentrylink = 1;
	int expecting = st->infeed || st->inentry || st->insource;
	if (!(st->inentry && st->inimage)) {
		*add_link(c) = tmp;
		tmp.a = NULL;
		tmp.n = 0;
	}
	if (href) {
		if (st->isentrylink)
			set_str(&c->link, href);
	} else {
		push(st, K_LINK, expecting);
	}
	link_free(&tmp);
	if (c == &st->fcx)
		st->dirty = 1;
}

static void start_category(struct pstate *st, const struct attrs *at,
                           const char *defscheme)
{
	char *term = attr_get(at, "term");
	char *scheme = attr_get(at, "scheme");
	if (!scheme)
		scheme = attr_get(at, "domain");
	if (!scheme && defscheme)
		scheme = xstrdup(defscheme);
	char *label = attr_get(at, "label");
	add_tag(st, term, scheme, label);
	free(term);
	free(scheme);
	free(label);
	push(st, K_CATEGORY, 1);
}

static void end_category(struct pstate *st)
{
	char *v = pop(st, K_CATEGORY, 1);
	if (v && *v) {
		struct cx *c = context(st);
		if (c->ntags && str_empty(c->tags[c->ntags - 1].term))
			set_str(&c->tags[c->ntags - 1].term, v);
		else
			add_tag(st, v, NULL, NULL);
	}
	free(v);
}

static void end_keywords(struct pstate *st, const char *scheme)
{
	char *v = pop(st, K_KEYWORDS, 1);
	if (!v)
		return;
	for (char *s = v, *e; s; s = e) {
		e = strchr(s, ',');
		if (e)
			*e++ = 0;
		char *t = str_trim(s);
		if (*t)
			add_tag(st, t, scheme, NULL);
	}
	free(v);
}

static void start_item(struct pstate *st, const struct attrs *at)
{
	cx_clear(&st->ecx);
	push(st, K_ITEM, 0);
	st->inentry = 1;
	st->guidislink = 0;
	st->title_depth = -1;
	st->hascontent = 0;
	set_str(&st->ecx.lang_at_start, st->lang);
	char *id = attr_get(at, "rdf:about");
	if (id && *id)
		take_str(&st->ecx.f[F_ID], id);
	else
		free(id);
	cdf_common(st, at);
}

/* CDF: lastmod= and href= attributes on CHANNEL and ITEM. */
static void cdf_common(struct pstate *st, const struct attrs *at)
{
	char *lastmod = attr_get(at, "lastmod");
	if (lastmod) {
		push(st, K_UPDATED, 1);
		buf_puts(&st->tf[st->ntf - 1].text, lastmod);
		pop(st, K_UPDATED, 0);
		free(lastmod);
	}
	char *href = attr_get(at, "href");
	if (href) {
		struct attrs none = {NULL, 0, st};
		start_link(st, &none);
		if (st->ntf && st->tf[st->ntf - 1].key == K_LINK) {
			buf_puts(&st->tf[st->ntf - 1].text, href);
			pop(st, K_LINK, 0);
		}
		st->isentrylink = 0;
		free(href);
	}
}

static void end_item(struct pstate *st)
{
	pop(st, K_ITEM, 0);
	st->inentry = 0;
	st->hascontent = 0;
	struct entry e;
	memset(&e, 0, sizeof e);
	build_entry(st, &e);
	cx_clear(&st->ecx);
	parser_emit(st->owner, &e);
}

static void start_source(struct pstate *st, const struct attrs *at)
{
	cx_clear(&st->scx);
	char *url = attr_get(at, "url");
	if (url)
		take_str(&st->scx.f[F_HREF], url);
	push(st, K_SOURCE, 1);
	st->insource = 1;
	st->title_depth = -1;
}

static void end_source(struct pstate *st)
{
	st->insource = 0;
	char *v = pop(st, K_SOURCE, 1);
	if (v && *v) {
		tc_clear(&st->scx.t[T_TITLE]);
		st->scx.t[T_TITLE].value = v;
		st->scx.t[T_TITLE].type = xstrdup("text/plain");
		v = NULL;
	}
	free(v);
	struct cx *c = context(st);
	if (c != &st->ecx) {
		cx_clear(&st->scx);
		return;
	}
	if (c->source) {
		cx_clear(c->source);
		free(c->source);
	}
	c->source = xmalloc(sizeof *c->source);
	*c->source = st->scx;
	memset(&st->scx, 0, sizeof st->scx);
}

static void start_generator(struct pstate *st, const struct attrs *at)
{
	struct cx *c = context(st);
	char *href = attr_get(at, "uri");
	if (!href)
		href = attr_get(at, "url");
	if (!href)
		href = attr_get(at, "href");
	free(c->gen_href);
	c->gen_href = href ? resolve(st, href) : NULL;
	free(href);
	take_str(&c->gen_version, attr_get(at, "version"));
	c->has_gen = 1;
	push(st, K_GENERATOR, 1);
}

static void handle_start(struct pstate *st, enum el el, const struct attrs *at)
{
	struct cx *c;
	char *v;
	switch (el) {
	case EL_RSS:
		if (!st->version[0] || strncmp(st->version, "rss", 3) != 0) {
			v = attr_get(at, "version");
			const char *ver = v ? v : "";
			const char *name = strcmp(ver, "0.91") == 0 ? "rss091u" :
			        strcmp(ver, "0.92") == 0 ? "rss092" :
			        strcmp(ver, "0.93") == 0 ? "rss093" :
			        strcmp(ver, "0.94") == 0 ? "rss094" :
			        strncmp(ver, "2.", 2) == 0 ? "rss20" : "rss";
			snprintf(st->version, sizeof st->version, "%s", name);
			free(v);
		}
		break;
	case EL_CHANNEL:
		st->infeed = 1;
		cdf_common(st, at);
		break;
	case EL_FEED:
		st->infeed = 1;
		if (!st->version[0]) {
			v = attr_get(at, "version");
			const char *name = str_eq(v, "0.1") ? "atom01" :
			                   str_eq(v, "0.2") ? "atom02" :
			                   str_eq(v, "0.3") ? "atom03" : "atom";
			snprintf(st->version, sizeof st->version, "%s", name);
			free(v);
		}
		break;
	case EL_ITEM:
		start_item(st, at);
		break;
	case EL_IMAGE:
		if (!st->inentry)
			st->feed_has_image = 1;
		st->inimage = 1;
		st->title_depth = -1;
		push(st, K_IMAGE, 0);
		break;
	case EL_TEXTINPUT:
		st->intextinput = 1;
		st->title_depth = -1;
		push(st, K_TEXTINPUT, 0);
		break;
	case EL_TITLE:
		start_title(st, at);
		break;
	case EL_MEDIA_TITLE:
		st->media_title_depth = st->title_depth;
		start_title(st, at);
		break;
	case EL_LINK:
		start_link(st, at);
		break;
	case EL_DESCRIPTION:
		start_summary_like(st, at, K_DESCRIPTION, "text/html",
		                   st->infeed || st->inentry || st->insource);
		break;
	case EL_ABSTRACT:
		push_content(st, K_DESCRIPTION, at, "text/plain",
		             st->infeed || st->inentry || st->insource);
		st->summarykey = K_DESCRIPTION;
		break;
	case EL_SUMMARY:
		start_summary_like(st, at, K_SUMMARY, "text/plain", 1);
		break;
	case EL_CONTENT:
		start_content(st, at);
		break;
	case EL_BODY:
		push_content(st, K_CONTENT, at, "application/xhtml+xml", 1);
		break;
	case EL_ENCODED:
		st->hascontent = 1;
		push_content(st, K_CONTENT, at, "text/html", 1);
		break;
	case EL_GUID:
		v = attr_get(at, "ispermalink");
		st->guidislink = !v || strcmp(v, "true") == 0;
		free(v);
		push(st, K_ID, 1);
		break;
	case EL_AUTHOR:
		start_author(st);
		break;
	case EL_PUBLISHER:
		push(st, K_PUBLISHER, 1);
		break;
	case EL_CONTRIBUTOR:
	case EL_DC_CONTRIBUTOR:
		st->incontributor = 1;
		c = context(st);
		add_person(&c->contribs, &c->ncontribs);
		push(st, el == EL_CONTRIBUTOR ? K_CONTRIBUTOR : K_NAME, 0);
		break;
	case EL_NAME:
		push(st, K_NAME, 0);
		break;
	case EL_EMAIL:
		push(st, K_EMAIL, 0);
		break;
	case EL_URL:
		push(st, st->inimage && !st->inentry ? K_IMGURL : K_HREF, 1);
		break;
	case EL_SUBTITLE:
		push_content(st, K_SUBTITLE, at, "text/plain", 1);
		break;
	case EL_RIGHTS:
		push_content(st, K_RIGHTS, at, "text/plain", 1);
		break;
	case EL_INFO:
		push_content(st, K_INFO, at, "text/plain", 1);
		break;
	case EL_LANGUAGE:
		push(st, K_LANGUAGE, 1);
		break;
	case EL_PUBLISHED:
		push(st, K_PUBLISHED, 1);
		break;
	case EL_UPDATED:
		push(st, K_UPDATED, 1);
		break;
	case EL_CREATED:
		push(st, K_CREATED, 1);
		break;
	case EL_EXPIRED:
		push(st, K_EXPIRED, 1);
		break;
	case EL_CATEGORY:
		start_category(st, at, NULL);
		break;
	case EL_MEDIA_CATEGORY:
		start_category(st, at,
		               "http://search.yahoo.com/mrss/category_schema");
		break;
	case EL_ITUNES_CATEGORY:
		v = attr_get(at, "text");
		add_tag(st, v, "http://www.itunes.com/", NULL);
		free(v);
		push(st, K_CATEGORY, 1);
		break;
	case EL_ITUNES_KEYWORDS:
	case EL_MEDIA_KEYWORDS:
	case EL_TAGS:
		push(st, K_KEYWORDS, 1);
		break;
	case EL_ENCLOSURE: {
		c = context(st);
		struct link *l = add_link(c);
		link_from_attrs(l, at);
		enforce_href(l);
		const char *h = link_get(l, "href");
		if (h) {
			char *r = resolve(st, h);
			link_set(l, "href", r);
			free(r);
		}
		link_set(l, "rel", "enclosure");
		break;
	}
	case EL_SOURCE:
		start_source(st, at);
		break;
	case EL_GENERATOR:
		start_generator(st, at);
		break;
	case EL_ICON:
		push(st, K_ICON, 1);
		break;
	case EL_LOGO:
		push(st, K_LOGO, 1);
		break;
	case EL_COMMENTS:
		push(st, K_COMMENTS, 1);
		break;
	case EL_TTL:
		push(st, K_TTL, 1);
		break;
	case EL_SY_PERIOD:
		push(st, K_SYPERIOD, 1);
		break;
	case EL_SY_FREQ:
		push(st, K_SYFREQ, 1);
		break;
	case EL_WIDTH:
		push(st, K_NONE, 0);
		break;
	case EL_ITUNES_OWNER:
		st->inpublisher = 1;
		push(st, K_PUBLISHER, 0);
		break;
	case EL_ITUNES_IMAGE:
		push(st, K_NONE, 0);
		v = attr_get(at, "href");
		if (!v)
			v = attr_get(at, "url");
		c = context(st);
		if (v && *v && c == &st->fcx && !c->f[F_IMAGE]) {
			take_str(&c->f[F_IMAGE], resolve(st, v));
			st->feed_has_image = 1;
			st->dirty = 1;
		}
		free(v);
		break;
	case EL_UNKNOWN:
		if (at->n == 0)
			push(st, K_UNKNOWN, 1);
		break;
	}
}

static void handle_end(struct pstate *st, enum el el)
{
	char *v;
	switch (el) {
	case EL_CHANNEL:
	case EL_FEED:
		st->infeed = 0;
		break;
	case EL_ITEM:
		end_item(st);
		break;
	case EL_IMAGE:
		pop(st, K_IMAGE, 0);
		st->inimage = 0;
		break;
	case EL_TEXTINPUT:
		pop(st, K_TEXTINPUT, 0);
		st->intextinput = 0;
		break;
	case EL_TITLE:
		end_title(st);
		break;
	case EL_MEDIA_TITLE: {
		int d = st->title_depth;
		end_title(st);
		st->title_depth = d;
		break;
	}
	case EL_LINK:
		pop(st, K_LINK, 0);
		st->isentrylink = 0;
		break;
	case EL_DESCRIPTION:
		end_summary_like(st, K_DESCRIPTION);
		break;
	case EL_ABSTRACT:
		pop_content(st, K_DESCRIPTION, 0);
		st->summarykey = K_NONE;
		break;
	case EL_SUMMARY:
		end_summary_like(st, K_SUMMARY);
		break;
	case EL_CONTENT:
	case EL_BODY:
	case EL_ENCODED:
		end_content(st);
		break;
	case EL_GUID: {
		v = pop(st, K_ID, 1);
		struct cx *c = context(st);
		if (v && *v && st->guidislink && !c->link)
			c->link = resolve(st, v);
		free(v);
		break;
	}
	case EL_AUTHOR:
		end_author(st);
		break;
	case EL_PUBLISHER:
		pop(st, K_PUBLISHER, 0);
		break;
	case EL_CONTRIBUTOR:
		pop(st, K_CONTRIBUTOR, 0);
		st->incontributor = 0;
		break;
	case EL_DC_CONTRIBUTOR:
		save_person(st, K_NAME, pop(st, K_NAME, 1));
		st->incontributor = 0;
		break;
	case EL_NAME:
		save_person(st, K_NAME, pop(st, K_NAME, 1));
		break;
	case EL_EMAIL:
		save_person(st, K_EMAIL, pop(st, K_EMAIL, 1));
		break;
	case EL_URL:
		if ((v = pop(st, K_HREF, 1))) {
			save_person(st, K_HREF, v);
		} else if ((v = pop(st, K_IMGURL, 1))) {
			/* the channel's <image><url>: the feed's logo */
			if (*v && !st->fcx.f[F_IMAGE]) {
				st->fcx.f[F_IMAGE] = v;
				st->dirty = 1;
			} else {
				free(v);
			}
		}
		break;
	case EL_SUBTITLE:
		pop_content(st, K_SUBTITLE, 0);
		break;
	case EL_RIGHTS:
		pop_content(st, K_RIGHTS, 0);
		break;
	case EL_INFO:
		pop_content(st, K_INFO, 0);
		break;
	case EL_LANGUAGE:
		v = pop(st, K_LANGUAGE, 1);
		if (v)
			take_str(&st->lang, v);
		break;
	case EL_PUBLISHED:
		pop(st, K_PUBLISHED, 0);
		break;
	case EL_UPDATED:
		pop(st, K_UPDATED, 0);
		break;
	case EL_CREATED:
		pop(st, K_CREATED, 0);
		break;
	case EL_EXPIRED:
		pop(st, K_EXPIRED, 0);
		break;
	case EL_CATEGORY:
	case EL_MEDIA_CATEGORY:
	case EL_ITUNES_CATEGORY:
		end_category(st);
		break;
	case EL_ITUNES_KEYWORDS:
		end_keywords(st, "http://www.itunes.com/");
		break;
	case EL_MEDIA_KEYWORDS:
	case EL_TAGS:
		end_keywords(st, NULL);
		break;
	case EL_SOURCE:
		end_source(st);
		break;
	case EL_GENERATOR:
		pop(st, K_GENERATOR, 0);
		break;
	case EL_ICON:
		pop(st, K_ICON, 0);
		break;
	case EL_LOGO:
		pop(st, K_LOGO, 0);
		break;
	case EL_COMMENTS:
		pop(st, K_COMMENTS, 0);
		break;
	case EL_TTL:
		pop(st, K_TTL, 0);
		break;
	case EL_SY_PERIOD:
		pop(st, K_SYPERIOD, 0);
		break;
	case EL_SY_FREQ:
		pop(st, K_SYFREQ, 0);
		break;
	case EL_WIDTH:
	case EL_ITUNES_IMAGE:
		pop(st, K_NONE, 0);
		break;
	case EL_ITUNES_OWNER:
		pop(st, K_PUBLISHER, 0);
		st->inpublisher = 0;
		break;
	case EL_UNKNOWN:
	case EL_RSS:
	case EL_ENCLOSURE:
		pop(st, K_UNKNOWN, 0);
		break;
	}
}

/* ---------------------------------------------------------------- */
/* SAX callbacks.                                                    */
/* ---------------------------------------------------------------- */

static void text_add(struct pstate *st, const char *s, size_t n)
{
	if (!st->ntf)
		return;
	struct buf *b = &st->tf[st->ntf - 1].text;
	if (b->len + n > FIELD_MAX)
		return;
	if (st->incontent && strcmp(st->ctype, "application/xhtml+xml") == 0) {
		html_escape(b, s, n);
		return;
	}
	buf_add(b, s, n);
}

static void on_chars(void *ctx, const xmlChar *ch, int len)
{
	struct parser *p = ctx;
	text_add(p->st, (const char *)ch, (size_t)len);
}

/* The marker parse_input.c leaves where a CDATA section was. */
static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	struct parser *p = ctx;
	const char *s;
	size_t n;
	(void)data;
	if (strcmp((const char *)target, "w") == 0 &&
	    input_cdata_next(&p->in, &s, &n))
		text_add(p->st, s, n);
}

static const char *qname_local(const xmlChar *local)
{
	return (const char *)local;
}

/* An element inside inline (xhtml) content, written back as markup. */
static void inline_start(struct pstate *st, const xmlChar *local,
                         const xmlChar *uri, int nns, const xmlChar **ns,
                         const struct attrs *at)
{
	if (!st->ntf)
		return;
	struct buf *b = &st->tf[st->ntf - 1].text;
	if (b->len > FIELD_MAX)
		return;
	const char *name = qname_local(local);
	buf_putc(b, '<');
	buf_puts(b, name);
	for (int i = 0; i < nns; i++) {
		const char *pf = (const char *)ns[2 * i];
		const char *u = (const char *)ns[2 * i + 1];
		if (pf && u && strcmp(u, "http://www.w3.org/1999/xlink") == 0) {
			buf_printf(b, " xmlns:%s=\"", pf);
			html_escape(b, u, strlen(u));
			buf_putc(b, '"');
		}
	}
	if (uri && ((strcmp(name, "svg") == 0 &&
	             strcmp((const char *)uri, "http://www.w3.org/2000/svg") == 0) ||
	            (strcmp(name, "math") == 0 &&
	             strcmp((const char *)uri,
	                    "http://www.w3.org/1998/Math/MathML") == 0))) {
		buf_puts(b, " xmlns=\"");
		buf_puts(b, (const char *)uri);
		buf_putc(b, '"');
	}
	for (int i = 0; i < at->n; i++) {
		const xmlChar **t = at->a + 5 * i;
		const char *pf = t[2] ? ns_prefix_st(st, t[2]) : "";
		if (!pf)
			pf = "";
		char key[80];
		snprintf(key, sizeof key, "%s%s%s", pf, *pf ? ":" : "",
		         (const char *)t[0]);
		char *v = attr_get(at, key);
		if (!v)
			continue;
		buf_printf(b, " %s=\"", key);
		html_escape(b, v, strlen(v));
		buf_putc(b, '"');
		free(v);
	}
	if ((strcasecmp(name, "br") == 0 || strcasecmp(name, "img") == 0 ||
	     strcasecmp(name, "hr") == 0))
		buf_puts(b, " />");
	else
		buf_putc(b, '>');
}

static void inline_end(struct pstate *st, const xmlChar *local)
{
	if (!st->ntf)
		return;
	const char *name = qname_local(local);
	if (strcasecmp(name, "br") == 0 || strcasecmp(name, "img") == 0 ||
	    strcasecmp(name, "hr") == 0)
		return;
	struct buf *b = &st->tf[st->ntf - 1].text;
	if (b->len > FIELD_MAX)
		return;
	buf_printf(b, "</%s>", name);
}

static int root_ok(const char *local, char **why)
{
	static const char *const roots[] = {
		"rss", "feed", "rdf", "channel", NULL,
	};
	for (int i = 0; roots[i]; i++)
		if (strcasecmp(local, roots[i]) == 0)
			return 1;
	if (strcasecmp(local, "html") == 0)
		*why = xstrdup("not a feed: HTML page");
	else
		*why = xasprintf("not a feed: the document is <%.40s>", local);
	return 0;
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
                     const xmlChar *uri, int nns, const xmlChar **ns,
                     int nattr, int ndef, const xmlChar **attrs)
{
	struct parser *p = ctx;
	struct pstate *st = p->st;
	(void)ndef;
	struct attrs at = {attrs, nattr, st};
	st->depth++;
	if (st->nef == st->capef) {
		st->capef = st->capef ? st->capef * 2 : 32;
		st->ef = xrealloc(st->ef, st->capef * sizeof *st->ef);
	}
	struct eframe *up = st->nef ? &st->ef[st->nef - 1] : NULL;
	struct eframe *f = &st->ef[st->nef++];
	memset(f, 0, sizeof *f);
	f->base = up ? up->base : NULL;
	f->lang = up ? up->lang : NULL;

	if (st->depth == 1) {
		st->has_root = 1;
		if (!root_ok((const char *)local, &st->notfeed)) {
			if (st->ctxt)
				xmlStopParser(st->ctxt);
			st->stopped = 1;
			return;
		}
	}
	if (st->notfeed)
		return;

	/* xml:base and xml:lang */
	char *b = attr_get(&at, "xml:base");
	if (!b)
		b = attr_get(&at, "base");
	if (b) {
		char *nb = resolve_with(st, f->base, b);
		if (nb && !unsafe_scheme(nb)) {
			f->base = nb;
			f->base_own = 1;
		} else {
			free(nb);
		}
		free(b);
	}
	char *lang = attr_get(&at, "xml:lang");
	if (!lang)
		lang = attr_get(&at, "lang");
	if (lang) {
		if (*lang) {
			for (char *s = lang; *s; s++)
				if (*s == '_')
					*s = '-';
			f->lang = lang;
			f->lang_own = 1;
			if (st->depth == 1) {
				set_str(&st->fcx.f[F_LANGUAGE], lang);
				st->dirty = 1;
			}
		} else {
			f->lang = NULL;
			free(lang);
		}
		set_str(&st->lang, f->lang);
	} else if (up) {
		set_str(&st->lang, f->lang);
	}

	for (int i = 0; i < nns; i++)
		version_from_ns(st, (const char *)ns[2 * i],
		                (const char *)ns[2 * i + 1]);

	/* inline content */
	if (st->incontent && !ends_with(st->ctype, "xml")) {
		if (strcasecmp((const char *)local, "div") == 0 &&
		    (!uri || str_eq(ns_prefix_st(st, uri), "xhtml"))) {
			f->skip = 1;
			return;
		}
		snprintf(st->ctype, sizeof st->ctype, "application/xhtml+xml");
	}
	if (st->incontent && strcmp(st->ctype, "application/xhtml+xml") == 0) {
		f->inl = 1;
		inline_start(st, local, uri, nns, ns, &at);
		return;
	}

	const char *pf = el_prefix(st, uri, prefix);
	enum el el = lookup_el(pf, (const char *)local);
	f->el = (unsigned char)el;
	f->core = *pf == 0;
	if (f->core && (st->intextinput || st->inimage)) {
		char low[16];
		snprintf(low, sizeof low, "%s", (const char *)local);
		for (char *s = low; *s; s++)
			*s = (char)tolower((unsigned char)*s);
		if (strcmp(low, "title") && strcmp(low, "link") &&
		    strcmp(low, "description") && strcmp(low, "name"))
			st->intextinput = 0;
		if (strcmp(low, "title") && strcmp(low, "link") &&
		    strcmp(low, "description") && strcmp(low, "url") &&
		    strcmp(low, "href") && strcmp(low, "width") &&
		    strcmp(low, "height"))
			st->inimage = 0;
	}
	handle_start(st, el, &at);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
                   const xmlChar *uri)
{
	struct parser *p = ctx;
	struct pstate *st = p->st;
	(void)prefix;
	(void)uri;
	if (!st->nef)
		return;
	struct eframe *f = &st->ef[st->nef - 1];
	if (!st->notfeed) {
		if (f->inl) {
			inline_end(st, local);
		} else if (!f->skip) {
			handle_end(st, (enum el)f->el);
			/* a frame the handler did not pop (a mismatch
			 * feedparser would leave behind) */
			while (f->pushed && st->ntf) {
				st->ntf--;
				f->pushed--;
			}
		}
	}
	if (f->base_own)
		free(f->base);
	if (f->lang_own)
		free(f->lang);
	st->nef--;
	st->depth--;
	set_str(&st->lang, st->nef ? st->ef[st->nef - 1].lang : NULL);
}

/* ---------------------------------------------------------------- */
/* The public interface.                                             */
/* ---------------------------------------------------------------- */

/* Documents never load anything: every external entity, DTD or
 * XInclude request libxml2 might make ends here. */
static xmlParserInputPtr no_loading(const char *url, const char *id,
                                    xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

/* Once a process, whichever thread parses first. */
static void init_libxml2(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(no_loading);
}

struct parser *parser_new(const struct parse_opts *opts, parse_entry_fn cb,
                          void *ctx)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, init_libxml2);
	struct parser *p = xcalloc(1, sizeof *p);
	struct pstate *st = xcalloc(1, sizeof *st);
	p->st = st;
	st->owner = p;
	if (opts) {
		st->opts.url = xstrdup(opts->url);
		st->opts.content_type = xstrdup(opts->content_type);
	}
	st->cb = cb;
	st->cbctx = ctx;
	st->title_depth = -1;
	st->utf8 = 1;
	input_init(&p->in);
	xmlSAXHandler *sax = &st->sax;
	memset(sax, 0, sizeof *sax);
	sax->initialized = XML_SAX2_MAGIC;
	sax->startElementNs = on_start;
	sax->endElementNs = on_end;
	sax->characters = on_chars;
	sax->cdataBlock = on_chars;
	sax->processingInstruction = on_pi;
	sax->serror = on_error;
	return p;
}

/* Hand the repaired XML to libxml2. */
static void feed_xml(struct parser *p, int final)
{
	struct pstate *st = p->st;
	struct buf *o = &p->in.out;
	if (st->stopped && !final)
		goto done;
	if (!st->ctxt) {
		if (o->len == 0 && !final)
			return;
		if (o->len == 0)
			goto done;
		st->ctxt = xmlCreatePushParserCtxt(&st->sax, p, NULL, 0, NULL);
		if (!st->ctxt) {
			st->failed = 1;
			goto done;
		}
		xmlCtxtUseOptions(st->ctxt, XML_PARSE_RECOVER |
		                  XML_PARSE_NONET | XML_PARSE_IGNORE_ENC |
		                  XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
		xmlSwitchEncoding(st->ctxt, XML_CHAR_ENCODING_UTF8);
	}
	if (!st->stopped || final) {
		st->in_parse = 1;
		xmlParseChunk(st->ctxt, o->p ? o->p : "", (int)o->len, final);
		st->in_parse = 0;
	}
done:
	buf_reset(o);
	input_cdata_trim(&p->in);
}

int parser_push(struct parser *p, const char *data, size_t len)
{
	struct pstate *st = p->st;
	if (st->stopped || st->finished)
		return -1;
	/* big pushes go in pieces of 1 MiB: libxml2's push parser gives
	 * up ("Huge input lookup") when more than 10 MB sit unparsed in
	 * its buffer, which a whole body in one piece does */
	while (len > 0 && !st->stopped) {
		size_t n = len > (1u << 20) ? (1u << 20) : len;
		input_push(p, data, n, 0);
		feed_xml(p, 0);
		data += n;
		len -= n;
	}
	return st->stopped ? -1 : 0;
}

int parser_finish(struct parser *p)
{
	struct pstate *st = p->st;
	if (st->finished)
		return st->error ? -1 : 0;
	st->finished = 1;
	input_push(p, "", 0, 1);
	if (p->in.json) {
		const char *why = NULL;
		if (parse_json_feed(p, p->in.pre.p ? p->in.pre.p : "",
		                    p->in.pre.len, &why) != 0) {
			st->error = xstrdup(why ? why : "not a feed");
			return -1;
		}
		build_feed(st);
		return 0;
	}
	feed_xml(p, 1);
	st->dirty = 1;
	build_feed(st);
	if (!st->feed.version)
		st->feed.version = xstrdup(st->version);
	else
		set_str(&st->feed.version, st->version);
	if (!st->feed.encoding)
		st->feed.encoding = xstrdup("utf-8");
	if (st->notfeed) {
		st->error = xstrdup(st->notfeed);
		return -1;
	}
	if (!st->has_root) {
		if (p->in.html_doctype)
			st->error = xstrdup("not a feed: HTML page");
		else if (!p->in.saw_bytes)
			st->error = xstrdup("not a feed: empty document");
		else
			st->error = xstrdup("not a feed: not XML");
		return -1;
	}
	return 0;
}

const struct feed *parser_feed(const struct parser *p)
{
	return &p->st->feed;
}

const char *parser_error(const struct parser *p) { return p->st->error; }

void parser_free(struct parser *p)
{
	if (!p)
		return;
	struct pstate *st = p->st;
	if (st->ctxt)
		xmlFreeParserCtxt(st->ctxt);
	input_free(&p->in);
	feed_clear(&st->feed);
	free(st->error);
	free(st->notfeed);
	free((char *)st->opts.url);
	free((char *)st->opts.content_type);
	free(st->cbase);
	free(st->clang);
	free(st->lang);
	cx_clear(&st->fcx);
	cx_clear(&st->ecx);
	cx_clear(&st->scx);
	cx_clear(&st->icx);
	cx_clear(&st->tcx);
	for (size_t i = 0; i < st->captf; i++)
		buf_free(&st->tf[i].text);
	free(st->tf);
	for (size_t i = 0; i < st->nef; i++) {
		if (st->ef[i].base_own)
			free(st->ef[i].base);
		if (st->ef[i].lang_own)
			free(st->ef[i].lang);
	}
	free(st->ef);
	free(st);
	free(p);
}

int parse_memory(const char *data, size_t len, const struct parse_opts *opts,
                 parse_entry_fn cb, void *ctx, struct feed *feed_out,
                 char **err)
{
	struct parser *p = parser_new(opts, cb, ctx);
	parser_push(p, data, len);
	int rc = parser_finish(p);
	if (err)
		*err = xstrdup(parser_error(p));
	if (feed_out) {
		*feed_out = p->st->feed;
		memset(&p->st->feed, 0, sizeof p->st->feed);
	}
	parser_free(p);
	return rc;
}
