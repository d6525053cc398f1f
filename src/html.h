/*
 * html.h — HTML from feeds made safe to store and show, its plain text,
 * and URL resolution. Built on libxml2's HTML parser and xmlBuildURI.
 *
 * html_sanitize keeps a whitelist of elements and attributes (feedparser's
 * lists), drops script, style, frames, forms, objects and every event
 * handler, drops URLs whose scheme is not http(s), mailto, ftp, tel or
 * relative (javascript:, vbscript:, data: …), and resolves relative URLs
 * in href/src/… against base (NULL: leave them relative). It always
 * returns a malloc'd UTF-8 string (possibly ""), never NULL.
 *
 * html_to_text gives the words a reader sees: tags removed, entities
 * decoded, block boundaries as line breaks, runs of blanks collapsed.
 *
 * url_resolve resolves ref against base by RFC 3986 and returns a malloc'd
 * string; with no base, or when ref is already absolute, a copy of ref.
 * Input that is not valid UTF-8 is repaired (U+FFFD), never rejected.
 */
#ifndef WARTA_HTML_H
#define WARTA_HTML_H

#include <stddef.h>

#include "util.h"

char *html_sanitize(const char *html, size_t len, const char *base);
char *html_to_text(const char *html, size_t len);
char *url_resolve(const char *base, const char *ref);

/* Append s escaped for HTML text and attribute values (&, <, >, "). */
void html_escape(struct buf *out, const char *s, size_t n);

#endif
