/* discover.c — a page's feed addresses; see discover.h. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "discover.h"
#include "util.h"
#include "xmlload.h"

struct list {
	char **v;
	size_t n;
};

static void add_unique(struct list *l, char *s, const char *except)
{
	if (!s)
		return;
	int dup = except && strcmp(s, except) == 0;
	for (size_t i = 0; i < l->n && !dup; i++)
		dup = strcmp(l->v[i], s) == 0;
	if (dup) {
		free(s);
		return;
	}
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = s;
}

/* ref resolved against base (RFC 3986, by libcurl's URL parser): an
 * absolute http(s) URL, malloc'd, or NULL. */
static char *resolve(const char *base, const char *ref)
{
	char *r = str_trim_dup(ref, strlen(ref));
	if (!r)
		return NULL;
	CURLU *u = curl_url();
	char *out = NULL, *scheme = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, r, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    (strcasecmp(scheme, "http") == 0 ||
	     strcasecmp(scheme, "https") == 0)) {
		char *s = NULL;
		if (curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) == CURLUE_OK &&
		    curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
			out = xstrdup(s);
		curl_free(s);
	}
	curl_free(scheme);
	curl_url_cleanup(u);
	free(r);
	return out;
}

static int has_token(const char *list, const char *word)
{
	size_t wl = strlen(word);
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		       *p == '\f')
			p++;
		const char *s = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' &&
		       *p != '\r' && *p != '\f')
			p++;
		if ((size_t)(p - s) == wl && strncasecmp(s, word, wl) == 0)
			return 1;
	}
	return 0;
}

static int feed_type(const char *type)
{
	static const char *const types[] = {
		"application/rss+xml", "application/atom+xml",
		"application/rdf+xml", "application/feed+json",
	};
	while (*type == ' ' || *type == '\t')
		type++;
	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		size_t n = strlen(types[i]);
		if (strncasecmp(type, types[i], n) == 0 &&
		    (type[n] == 0 || type[n] == ';' || type[n] == ' '))
			return 1;
	}
	return 0;
}

static char *attr(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *s = xstrdup((const char *)v);
	xml_free(v);
	return s;
}

struct walk {
	struct list links;
	char *base;           /* <base href>, resolved, or NULL */
	const char *page;
};

static void walk(xmlNode *n, struct walk *w, int depth)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)n->name;
		if (!w->base && strcasecmp(name, "base") == 0) {
			char *href = attr(n, "href");
			if (href)
				w->base = resolve(w->page, href);
			free(href);
		} else if (strcasecmp(name, "link") == 0) {
			char *rel = attr(n, "rel"), *type = attr(n, "type");
			char *href = attr(n, "href");
			if (rel && type && href && has_token(rel, "alternate") &&
			    feed_type(type))
				add_unique(&w->links,
				           resolve(w->base ? w->base : w->page,
				                   href), NULL);
			free(rel);
			free(type);
			free(href);
		}
		if (depth < 64)
			walk(n->children, w, depth + 1);
	}
}

size_t discover_links(const char *html, size_t len, const char *page_url,
                      char ***out)
{
	*out = NULL;
	if (!html || !len || len > INT32_MAX)
		return 0;
	htmlDocPtr doc = htmlReadMemory(html, (int)len, page_url, NULL,
	                                HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
	                                HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
	                                HTML_PARSE_COMPACT);
	if (!doc)
		return 0;
	struct walk w = {{NULL, 0}, NULL, page_url};
	walk(xmlDocGetRootElement(doc), &w, 0);
	xmlFreeDoc(doc);
	free(w.base);
	*out = w.links.v;
	return w.links.n;
}

size_t discover_guesses(const char *page_url, char ***out)
{
	static const char *const places[] = {
		"/feed/", "/?feed=rss2", "/rss.xml", "/feeds/posts/default",
		"/?format=feed&type=rss",
		/* then beside the page, for a site below the root */
		"feed/", "?feed=rss2", "rss.xml", "?format=feed&type=rss",
	};
	struct list l = {NULL, 0};
	char *self = resolve(page_url, page_url);
	for (size_t i = 0; i < sizeof places / sizeof *places; i++)
		add_unique(&l, resolve(page_url, places[i]), self);
	free(self);
	*out = l.v;
	return l.n;
}

void discover_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
