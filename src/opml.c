/* opml.c — OPML subscriptions, read with libxml2's parser and written
 * with its xmlTextWriter. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "opml.h"
#include "util.h"
#include "xmlload.h"

/* ---- reading ---------------------------------------------------------- */

/* The attribute whose name is NAME in any case (exporters write xmlUrl,
 * xmlurl and XMLURL), trimmed and malloc'd; NULL when absent or empty. */
static char *attr(xmlNodePtr n, const char *name)
{
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		if (!a->name || strcasecmp((const char *)a->name, name) != 0)
			continue;
		xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
		if (!v)
			return NULL;
		char *t = str_trim_dup((const char *)v, strlen((const char *)v));
		xml_free(v);
		return t;
	}
	return NULL;
}

static int is_elem(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name &&
	       strcasecmp((const char *)n->name, name) == 0;
}

static void add_tag(struct opml_feed *f, const char *tag)
{
	char *t = str_trim_dup(tag, strlen(tag));
	if (!t)
		return;
	for (size_t i = 0; i < f->ntags; i++) {
		if (strcmp(f->tags[i], t) == 0) {
			free(t);
			return;
		}
	}
	f->tags = xrealloc(f->tags, (f->ntags + 1) * sizeof *f->tags);
	f->tags[f->ntags++] = t;
}

struct walk {
	struct opml_doc *doc;
	const char *folders[32];
	int depth;
};

static void feed_outline(struct walk *w, xmlNodePtr n, char *url)
{
	struct opml_doc *d = w->doc;
	struct opml_feed *f = NULL;
	for (size_t i = 0; i < d->nfeeds; i++)
		if (strcmp(d->feeds[i].xml_url, url) == 0)
			f = &d->feeds[i];
	if (f) {
		free(url);
	} else {
		d->feeds = xrealloc(d->feeds, (d->nfeeds + 1) * sizeof *d->feeds);
		f = &d->feeds[d->nfeeds++];
		memset(f, 0, sizeof *f);
		f->xml_url = url;
		f->title = attr(n, "text");
		if (!f->title)
			f->title = attr(n, "title");
		f->html_url = attr(n, "htmlUrl");
	}
	for (int i = 0; i < w->depth; i++)
		if (w->folders[i])
			add_tag(f, w->folders[i]);
	char *cat = attr(n, "category");
	if (cat) {
		char *save = NULL;
		for (char *t = strtok_r(cat, ",/", &save); t;
		     t = strtok_r(NULL, ",/", &save))
			add_tag(f, t);
		free(cat);
	}
}

static void walk_outlines(struct walk *w, xmlNodePtr parent)
{
	for (xmlNodePtr n = parent->children; n; n = n->next) {
		if (!is_elem(n, "outline"))
			continue;
		char *url = attr(n, "xmlUrl");
		if (url) {
			feed_outline(w, n, url);
			/* a feed outline with children: unusual, but the
			 * children are subscriptions too */
		}
		if (!n->children)
			continue;
		char *name = url ? NULL : attr(n, "text");
		if (!url && !name)
			name = attr(n, "title");
		/* Deeper than 32 levels, the outer folders still tag. */
		int pushed = 0;
		if (w->depth < 32) {
			w->folders[w->depth++] = name;
			pushed = 1;
		}
		walk_outlines(w, n);
		if (pushed)
			w->depth--;
		free(name);
	}
}

static char *errf(int line, const char *fmt, const char *arg)
{
	struct buf b = {0};
	if (line > 0)
		buf_printf(&b, "line %d: ", line);
	buf_printf(&b, fmt, arg);
	/* libxml2's messages can run on to a second line ("…encoding !\n
	 * Bytes: 0xFF…"): the error is one line */
	for (size_t i = 0; i < b.len; i++)
		if (b.p[i] == '\n' || b.p[i] == '\r')
			b.p[i] = ' ';
	return buf_steal(&b);
}

/* The first error is the one that says what is wrong; libxml2's last
 * error is often a consequence ("premature end of data"). */
struct first_error {
	int line;
	char *msg;
};

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	struct first_error *fe = ctx;
	if (fe->msg || !e || e->level < XML_ERR_ERROR)
		return;
	fe->line = e->line;
	fe->msg = e->message ? str_trim_dup(e->message, strlen(e->message))
	                     : xstrdup("unreadable");
}

int opml_read(const char *data, size_t len, struct opml_doc *doc,
              char **err)
{
	memset(doc, 0, sizeof *doc);
	*err = NULL;
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		*err = xstrdup("out of memory");
		return -1;
	}
	if (len > (size_t)INT32_MAX) {
		xmlFreeParserCtxt(ctxt);
		*err = xstrdup("file too large");
		return -1;
	}
	struct first_error fe = {0, NULL};
	xmlSetStructuredErrorFunc(&fe, on_xml_error);
	xmlDocPtr x = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
	                                XML_PARSE_NONET | XML_PARSE_NOWARNING |
	                                XML_PARSE_NOCDATA);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!x || !ctxt->wellFormed) {
		if (!fe.msg) {
			const xmlError *e = xmlCtxtGetLastError(ctxt);
			fe.line = e ? e->line : 0;
			fe.msg = xstrdup(e && e->message ? e->message
			                                 : "unreadable");
			str_trim(fe.msg);
		}
		*err = errf(fe.line, "not well-formed XML: %s", fe.msg);
		free(fe.msg);
		if (x)
			xmlFreeDoc(x);
		xmlFreeParserCtxt(ctxt);
		return -1;
	}
	free(fe.msg);
	xmlFreeParserCtxt(ctxt);
	xmlNodePtr root = xmlDocGetRootElement(x);
	if (!root || !is_elem(root, "opml")) {
		*err = errf(root ? (int)xmlGetLineNo(root) : 1,
		            "not OPML (the document is <%s>)",
		            root ? (const char *)root->name : "empty");
		xmlFreeDoc(x);
		return -1;
	}
	xmlNodePtr body = NULL;
	for (xmlNodePtr n = root->children; n; n = n->next) {
		if (is_elem(n, "head")) {
			for (xmlNodePtr h = n->children; h; h = h->next) {
				if (!is_elem(h, "title"))
					continue;
				xmlChar *t = xmlNodeGetContent(h);
				if (t) {
					free(doc->title);
					doc->title = str_trim_dup(
						(const char *)t,
						strlen((const char *)t));
					xml_free(t);
				}
			}
		} else if (is_elem(n, "body") && !body) {
			body = n;
		}
	}
	if (!body) {
		*err = errf((int)xmlGetLineNo(root), "%s",
		            "OPML without a <body>");
		xmlFreeDoc(x);
		opml_doc_clear(doc);
		return -1;
	}
	struct walk w = {doc, {0}, 0};
	walk_outlines(&w, body);
	if (!doc->nfeeds) {
		*err = errf((int)xmlGetLineNo(body), "%s",
		            "no feed in this OPML (no outline has an xmlUrl)");
		xmlFreeDoc(x);
		opml_doc_clear(doc);
		return -1;
	}
	xmlFreeDoc(x);
	return 0;
}

void opml_doc_clear(struct opml_doc *doc)
{
	for (size_t i = 0; i < doc->nfeeds; i++) {
		struct opml_feed *f = &doc->feeds[i];
		free(f->title);
		free(f->xml_url);
		free(f->html_url);
		for (size_t k = 0; k < f->ntags; k++)
			free(f->tags[k]);
		free(f->tags);
	}
	free(doc->feeds);
	free(doc->title);
	memset(doc, 0, sizeof *doc);
}

/* ---- writing ---------------------------------------------------------- */

#define X(s) ((const xmlChar *)(s))

static int write_feed(xmlTextWriterPtr w, const struct opml_feed *f)
{
	const char *title = !str_empty(f->title) ? f->title : f->xml_url;
	if (xmlTextWriterStartElement(w, X("outline")) < 0 ||
	    xmlTextWriterWriteAttribute(w, X("type"), X("rss")) < 0 ||
	    xmlTextWriterWriteAttribute(w, X("text"), X(title)) < 0 ||
	    xmlTextWriterWriteAttribute(w, X("title"), X(title)) < 0 ||
	    xmlTextWriterWriteAttribute(w, X("xmlUrl"), X(f->xml_url)) < 0)
		return -1;
	if (!str_empty(f->html_url) &&
	    xmlTextWriterWriteAttribute(w, X("htmlUrl"), X(f->html_url)) < 0)
		return -1;
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int opml_write(FILE *fp, const char *title, const struct opml_feed *feeds,
               size_t n, int64_t now)
{
	xmlOutputBufferPtr out = xmlOutputBufferCreateFile(fp, NULL);
	if (!out)
		return -1;
	xmlTextWriterPtr w = xmlNewTextWriter(out);
	if (!w) {
		xmlOutputBufferClose(out);
		return -1;
	}
	/* the distinct tags, sorted: one folder each */
	size_t ntags = 0;
	char **tags = NULL;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < feeds[i].ntags; k++) {
			tags = xrealloc(tags, (ntags + 1) * sizeof *tags);
			tags[ntags++] = feeds[i].tags[k];
		}
	}
	if (ntags)
		qsort(tags, ntags, sizeof *tags, cmp_str);
	char date[64];
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);

	int bad = xmlTextWriterSetIndent(w, 1) < 0 ||
	          xmlTextWriterSetIndentString(w, X("  ")) < 0 ||
	          xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
	          xmlTextWriterStartElement(w, X("opml")) < 0 ||
	          xmlTextWriterWriteAttribute(w, X("version"), X("2.0")) < 0 ||
	          xmlTextWriterStartElement(w, X("head")) < 0 ||
	          xmlTextWriterWriteElement(w, X("title"),
	                                    X(title ? title : "warta")) < 0 ||
	          xmlTextWriterWriteElement(w, X("dateCreated"), X(date)) < 0 ||
	          xmlTextWriterWriteElement(w, X("docs"),
	                                    X("https://opml.org/spec2.opml")) < 0 ||
	          xmlTextWriterEndElement(w) < 0 ||
	          xmlTextWriterStartElement(w, X("body")) < 0;
	for (size_t i = 0; !bad && i < n; i++)
		if (!feeds[i].ntags)
			bad = write_feed(w, &feeds[i]) < 0;
	for (size_t k = 0; !bad && k < ntags; k++) {
		if (k && strcmp(tags[k], tags[k - 1]) == 0)
			continue;
		bad = xmlTextWriterStartElement(w, X("outline")) < 0 ||
		      xmlTextWriterWriteAttribute(w, X("text"), X(tags[k])) < 0 ||
		      xmlTextWriterWriteAttribute(w, X("title"), X(tags[k])) < 0;
		for (size_t i = 0; !bad && i < n; i++)
			for (size_t j = 0; !bad && j < feeds[i].ntags; j++)
				if (strcmp(feeds[i].tags[j], tags[k]) == 0)
					bad = write_feed(w, &feeds[i]) < 0;
		if (!bad)
			bad = xmlTextWriterEndElement(w) < 0;
	}
	if (!bad)
		bad = xmlTextWriterEndDocument(w) < 0;
	/* frees the output buffer, flushing it into fp */
	xmlFreeTextWriter(w);
	free(tags);
	if (bad || fflush(fp) != 0 || ferror(fp)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}
