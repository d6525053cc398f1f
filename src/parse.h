/*
 * parse.h — the bytes of one feed document into the normalised model,
 * streaming.
 *
 * Push the bytes in as they arrive (any chunk sizes); each entry is handed
 * to the callback as soon as its element closes, then cleared, so memory
 * stays flat however long the document is (a single value is capped at
 * 16 MB). The entry belongs to the parser: the callback may take fields
 * out of it (set them to NULL after taking them) and must not keep the
 * pointer. A nonzero return stops the parse. The feed passed along holds
 * the channel-level data seen so far (for RSS and Atom that is normally
 * all of it, since feeds put it before their first entry); the complete
 * feed is parser_feed() after parser_finish().
 *
 * Reads RSS 0.90–2.0, RSS 1.0 (RDF), Atom 0.3 and 1.0, and JSON Feed 1.x
 * (a document whose first non-blank byte is '{'), following feedparser's
 * rules and version names (feed->version).
 * Encoding: BOM, then the HTTP charset, then the XML declaration (RFC
 * 7303); bytes invalid in that encoding are read as Windows-1252 and the
 * feed is marked bozo. Text before the first '<' is skipped, and so are
 * PHP warnings printed before "<?xml". Ill-formed XML is repaired
 * (entities, bare '&' and '<', unclosed or stray tags, a cut-off end)
 * and marked bozo, with the first reason in feed->bozo_msg.
 *
 * Errors: parser_finish returns -1 only for a document that is not a
 * feed at all (an HTML or firewall page, an empty body, plain text, XML
 * of another kind, JSON that is not a JSON Feed); the callback has then
 * never been called, so such a response can never look like "the feed is
 * now empty". Anything with a feed root is a feed, however broken.
 *
 * Never reads a file or the network from inside a document: no DTD is
 * loaded, no external entity resolved, internal entities are substituted
 * only when plain and within a budget, and nesting is bounded.
 */
#ifndef WARTA_PARSE_H
#define WARTA_PARSE_H

#include <stddef.h>

#include "feed.h"

struct parser;

typedef int (*parse_entry_fn)(void *ctx, const struct feed *feed,
                              struct entry *entry);

struct parse_opts {
	const char *url;          /* where the bytes came from, or NULL:
	                           * relative URLs resolve against it, else
	                           * against the feed's self/home link */
	const char *content_type; /* HTTP Content-Type, or NULL */
};

/* opts (and its strings) may go away after the call; cb may be NULL. */
struct parser *parser_new(const struct parse_opts *opts, parse_entry_fn cb,
                          void *ctx);

/* 0 while the parse goes on; -1 once it has stopped (the callback asked,
 * or the root showed it is not a feed): call parser_finish for why. */
int parser_push(struct parser *p, const char *data, size_t len);

/* End of input. 0: the document was a feed (possibly empty, possibly
 * bozo). -1: it was not one; parser_error says why in one line, e.g.
 * "not a feed: HTML page". Calling it twice returns the same. */
int parser_finish(struct parser *p);

/* Owned by the parser until parser_free; a caller may move fields out
 * of it (set them to NULL) once the parse is finished. */
const struct feed *parser_feed(const struct parser *p);
const char *parser_error(const struct parser *p);   /* NULL if none */
void parser_free(struct parser *p);

/* The whole document in one call: new, push, finish. Returns what
 * parser_finish returns; *feed_out (if given) takes the feed (the caller
 * then feed_clear()s it); *err (if given) gets a malloc'd reason or
 * NULL. */
int parse_memory(const char *data, size_t len, const struct parse_opts *opts,
                 parse_entry_fn cb, void *ctx, struct feed *feed_out,
                 char **err);

#endif
