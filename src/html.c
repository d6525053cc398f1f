/* html.c — sanitising, plain text, URL resolution. */
#include <string.h>

#include <libxml/uri.h>

#include "html.h"

/* TODO(html helper): the real sanitiser; this placeholder escapes all. */
char *html_sanitize(const char *html, size_t len, const char *base)
{
	struct buf b = {0};
	(void)base;
	html_escape(&b, html, len);
	return buf_steal(&b);
}

char *html_to_text(const char *html, size_t len)
{
	return xstrndup(html, len);
}

char *url_resolve(const char *base, const char *ref)
{
	if (!ref)
		return NULL;
	if (!base)
		return xstrdup(ref);
	xmlChar *r = xmlBuildURI((const xmlChar *)ref, (const xmlChar *)base);
	if (!r)
		return xstrdup(ref);
	char *out = xstrdup((const char *)r);
	xmlFree(r);
	return out;
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
