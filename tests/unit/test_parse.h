/* test_parse.h — helpers the parser's tests share: run a document
 * through the parser in chunks of a given size and keep what it gave. */
#ifndef WARTA_TEST_PARSE_H
#define WARTA_TEST_PARSE_H

#include <stddef.h>

#include "feed.h"
#include "parse.h"
#include "util.h"

struct parsed {
	int rc;               /* parser_finish */
	char *err;            /* parser_error, copied */
	struct feed feed;     /* the final feed, owned */
	struct entry *e;      /* the entries, owned */
	size_t n;
	struct buf doc;       /* the fixture's bytes (parse_fixture) */
};

/* chunk 0: all in one push. Returns parser_finish's result. */
int parse_bytes(const char *data, size_t len, size_t chunk,
                const struct parse_opts *opts, struct parsed *r);
int parse_fixture(const char *name, size_t chunk, struct parsed *r);
void parsed_free(struct parsed *r);
void parsed_dump(const struct parsed *r, struct buf *out);
/* 1 when every string of the feed and its entries is valid UTF-8. */
int parsed_all_utf8(const struct parsed *r);

#endif
