/*
 * html.h — HTML from feeds made safe to store and show, its plain text,
 * and URL resolution. Built on libxml2's HTML parser (SAX, no tree) and
 * xmlBuildURI.
 *
 * html_sanitize reproduces Python feedparser's sanitiser (its element,
 * attribute, CSS, SVG and MathML whitelists, its serialisation: lower-case
 * names, sorted name="value" attributes, <br />, entity and character
 * references written back as they came, comments kept) and goes further:
 * javascript:, vbscript:, data: and every other unlisted scheme is refused
 * in every URL attribute even when entity-encoded or split by blanks,
 * forms are dropped, SVG animation cannot retarget href, comments that a
 * browser could end early are dropped. Relative URLs in href/src/… are
 * resolved against base (NULL: left as they are). End tags are written
 * where the source had them (feedparser does not balance tags), except
 * that a textarea or noscript is always closed. Hostile input is cut:
 * past 256 levels of nesting the rest is dropped, past 256 attributes in
 * a tag the others are. Tidy markup is read by a fast tokeniser that
 * gives libxml2's events; anything else by libxml2 itself.
 * The result is always a malloc'd, valid UTF-8 string (possibly ""),
 * never NULL, whatever the input bytes (invalid UTF-8 becomes U+FFFD,
 * NUL bytes are dropped).
 *
 * html_sanitize_xhtml is the same for markup that came as XHTML (Atom
 * type="xhtml", xhtml:body): <x a="1"/> then closes x, as in feedparser's
 * application/xhtml+xml mode.
 *
 * html_to_text gives the words a reader sees: tags removed, script and
 * style dropped, entities decoded, block boundaries (p, br, div, li,
 * h1–h6, tr, …) as "\n", runs of blanks collapsed to one space, lines
 * trimmed, no empty lines. Malloc'd UTF-8, never NULL.
 *
 * url_resolve resolves ref against base by RFC 3986 and returns a malloc'd
 * string; ref NULL gives NULL; with no base, or when ref is already
 * absolute, a copy of ref (trimmed). Spaces and non-ASCII bytes that
 * xmlBuildURI refuses are percent-encoded (UTF-8) first; what still cannot
 * be resolved comes back as ref.
 *
 * Each thread keeps its own libxml2 parser context, reused between
 * calls; the calls are safe from several threads. A thread other than
 * the main one calls html_thread_end before it ends (the main thread's
 * is freed at exit).
 */
#ifndef WARTA_HTML_H
#define WARTA_HTML_H

#include <stddef.h>

#include "util.h"

char *html_sanitize(const char *html, size_t len, const char *base);
char *html_sanitize_xhtml(const char *html, size_t len, const char *base);
char *html_to_text(const char *html, size_t len);
char *url_resolve(const char *base, const char *ref);
void html_thread_end(void);

/* Is this URL safe to put in an href/src (scheme absent or on
 * feedparser's list, after entity decoding and blank removal)? */
int url_is_safe(const char *url, size_t n);

/* For tests: 1 makes every call use libxml2's parser, -1 only the fast
 * tokeniser for tidy markup (html.c explains), 0 (default) both. */
extern int html_force_path;

/* Append s escaped for HTML text and attribute values (&, <, >, "). */
void html_escape(struct buf *out, const char *s, size_t n);

#endif
