/*
 * parse.h — the bytes of one feed document into the normalised model,
 * streaming.
 *
 * Push the bytes in as they arrive (any chunk sizes); each entry is handed
 * to the callback as soon as its element closes, then cleared, so memory
 * stays flat however long the document is. The callback may take fields
 * out of the entry (set them to NULL); a nonzero return stops the parse.
 * The feed passed along holds the channel-level data seen so far; the
 * complete feed is parser_feed() after parser_finish().
 *
 * Reads RSS 0.90–2.0, RSS 1.0 (RDF), Atom 0.3 and 1.0, and JSON Feed 1.x.
 * Encoding: BOM, then the HTTP charset, then the XML declaration (RFC
 * 7303); bytes invalid in that encoding are read as Windows-1252 and the
 * feed is marked bozo. Text before the first '<' is skipped. Ill-formed
 * XML is recovered where libxml2 can, and marked bozo.
 *
 * Never reads a file or the network from inside a document: no DTD is
 * loaded, no external entity resolved, and entity expansion is bounded.
 */
#ifndef WARTA_PARSE_H
#define WARTA_PARSE_H

#include <stddef.h>

#include "feed.h"

struct parser;

typedef int (*parse_entry_fn)(void *ctx, const struct feed *feed,
                              struct entry *entry);

struct parse_opts {
	const char *url;          /* where the bytes came from, or NULL */
	const char *content_type; /* HTTP Content-Type, or NULL */
};

struct parser *parser_new(const struct parse_opts *opts, parse_entry_fn cb,
                          void *ctx);

/* 0 while the parse goes on; -1 once it has stopped (the callback asked,
 * or the document is beyond recovery: see parser_error). */
int parser_push(struct parser *p, const char *data, size_t len);

/* End of input. 0: the document was a feed (possibly empty, possibly
 * bozo). -1: it was not one (an HTML page, an empty body, not XML…);
 * parser_error says why in one line, e.g. "not a feed: HTML page". */
int parser_finish(struct parser *p);

const struct feed *parser_feed(const struct parser *p);
const char *parser_error(const struct parser *p);
void parser_free(struct parser *p);

/* The whole document in one call: new, push, finish. Returns what
 * parser_finish returns; *err (if given) gets a malloc'd reason. */
int parse_memory(const char *data, size_t len, const struct parse_opts *opts,
                 parse_entry_fn cb, void *ctx, struct feed *feed_out,
                 char **err);

#endif
