/* parse.c — RSS, Atom and JSON Feed into the model. TODO(parse helper). */
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "util.h"

struct parser {
	struct feed feed;
	char *error;
};

struct parser *parser_new(const struct parse_opts *opts, parse_entry_fn cb,
                          void *ctx)
{
	(void)opts;
	(void)cb;
	(void)ctx;
	return xcalloc(1, sizeof(struct parser));
}

int parser_push(struct parser *p, const char *data, size_t len)
{
	(void)p;
	(void)data;
	(void)len;
	return 0;
}

int parser_finish(struct parser *p)
{
	p->error = xstrdup("not a feed: the parser is not written yet");
	return -1;
}

const struct feed *parser_feed(const struct parser *p) { return &p->feed; }
const char *parser_error(const struct parser *p) { return p->error; }

void parser_free(struct parser *p)
{
	if (!p)
		return;
	feed_clear(&p->feed);
	free(p->error);
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
		*feed_out = p->feed;
		memset(&p->feed, 0, sizeof p->feed);
	}
	parser_free(p);
	return rc;
}
