/*
 * opml.h — subscriptions in and out as OPML (1.0 and 2.0).
 *
 * opml_read parses a whole document with libxml2 (no network, no DTD, no
 * external entities) and returns every feed outline: an outline with an
 * xmlUrl attribute (any case; type is not required, since exporters
 * disagree on it). Outlines without xmlUrl are folders: their text (else
 * title) becomes a tag of every feed inside them, at any depth, and a
 * feed's OPML 2.0 category attribute ("a,b" or "/a/b") adds tags too.
 * That covers what newsboat -e, sfeed_opml_export, Miniflux and FreshRSS
 * write. A feed that appears twice (under two folders) comes out once,
 * with the tags of both. A document that is not well-formed, is not
 * OPML, or holds no feed outline is refused: -1 and *err = "line N: why"
 * (malloc'd); nothing is returned in part.
 *
 * opml_write writes OPML 2.0 with xmlTextWriter (escaping and encoding
 * are libxml2's): feeds without tags at the top, and every tagged feed
 * inside a folder outline per tag, so each reader's import finds its tags
 * and opml_read gives the same subscriptions back.
 */
#ifndef WARTA_OPML_H
#define WARTA_OPML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct opml_feed {
	char *title;       /* text, else title attribute; NULL if neither */
	char *xml_url;
	char *html_url;    /* NULL if absent */
	char **tags;
	size_t ntags;
};

struct opml_doc {
	char *title;       /* head/title, or NULL */
	struct opml_feed *feeds;
	size_t nfeeds;
};

int opml_read(const char *data, size_t len, struct opml_doc *doc,
              char **err);
void opml_doc_clear(struct opml_doc *doc);

/* Write to fp; title is head/title; now is dateCreated. 0, or -1 when
 * the writer failed (a full disk: errno is set). */
int opml_write(FILE *fp, const char *title, const struct opml_feed *feeds,
               size_t n, int64_t now);

#endif
