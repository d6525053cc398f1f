/*
 * parse_int.h — what the parts of the parser share; private to parse*.c.
 *
 * The bytes go through three stages, all streaming:
 *   parse_input.c  prelude (BOM, charset, junk before "<?xml", JSON?),
 *                  decoding to clean UTF-8 (invalid bytes read as
 *                  Windows-1252, control characters dropped), and an XML
 *                  repair pass that hands libxml2 a well-formed stream:
 *                  entities fixed, bare '&' and '<' escaped, tags
 *                  balanced, DOCTYPE, comments and PIs removed;
 *   parse.c        libxml2's SAX2 push parser and feedparser's rules,
 *                  turning elements into the model (entries go to the
 *                  callback as they close);
 *   parse_json.c   JSON Feed documents, read with SQLite's JSON functions.
 * Every repair marks the feed bozo; the first reason is kept.
 */
#ifndef WARTA_PARSE_INT_H
#define WARTA_PARSE_INT_H

#include <iconv.h>
#include <stddef.h>

#include <libxml/parser.h>

#include "parse.h"
#include "util.h"

enum enc {
	ENC_UTF8, ENC_UTF16LE, ENC_UTF16BE, ENC_UTF32LE,
	ENC_UTF32BE, ENC_ICONV
};

/* Where the repair pass is between two calls. */
enum rstate {
	RS_TEXT, RS_CDATA, RS_COMMENT, RS_PI, RS_DOCTYPE, RS_BANG
};

/* Limits that keep a hostile document bounded. */
#define PRELUDE_MAX   65536      /* bytes searched for "<?xml" */
#define TAG_MAX       (1 << 20)  /* a start tag longer than this is text */
#define DOCTYPE_MAX   65536      /* DOCTYPE bytes kept for entities */
#define ENTITY_MAX    256        /* internal entities remembered */
#define EXPAND_MAX    (1u << 20) /* bytes of entity text substituted */
#define DEPTH_MAX     200        /* deeper start tags are dropped */
#define JSON_MAX      (64u << 20) /* a JSON Feed document, whole */
#define FIELD_MAX     (16u << 20) /* one text value */

struct entdef {
	char *name;
	char *value;   /* already escaped for XML text */
};

struct input {
	int started;         /* the prelude is decided */
	int json;            /* the document is JSON, kept whole in pre */
	int multibyte;       /* valid multi-byte UTF-8 was seen */
	const char *latin;   /* the Latin-1 label it declared, if so */
	int saw_bytes;       /* a non-blank byte came in */
	struct buf pre;      /* raw bytes held until the prelude is decided */
	enum enc enc;
	iconv_t cd;
	unsigned char carry[16]; /* raw bytes of a character cut by a chunk */
	size_t ncarry;
	struct buf dec;      /* decoded UTF-8 the repair pass has not used */
	size_t decpos;
	/* repair */
	enum rstate rs;
	int root_seen;       /* a root element was emitted */
	int root_closed;     /* and closed: the rest is ignored */
	char **stack;        /* names of the open elements */
	size_t depth, cap;
	size_t junk;         /* depth inside skipped markup before the root */
	size_t flat;         /* start tags dropped past DEPTH_MAX, still open */
	struct buf doctype;
	int dt_quote, dt_bracket, dt_comment;
	size_t dt_len;
	struct entdef ents[ENTITY_MAX];
	size_t nents;
	size_t expanded;     /* bytes substituted for entities so far */
	int netscape;        /* the DOCTYPE names Netscape's RSS 0.91 */
	int html_doctype;    /* <!DOCTYPE html …> */
	struct buf out;      /* repaired XML for libxml2 */
	/* CDATA contents waiting for their <?w?> marker (see cdata_out) */
	struct buf cdq;
	size_t *cdqlen, ncdq, capcdq, cdqhead, cdqoff;
};

struct pstate;

struct parser {
	struct input in;
	struct pstate *st;     /* the SAX side's state, private to parse.c */
};

/* parse_input.c */
void input_init(struct input *in);
void input_free(struct input *in);
/* Run bytes through the input stages; repaired XML is appended to
 * p->in.out, JSON is kept in p->in.pre. final: no more bytes follow. */
void input_push(struct parser *p, const char *data, size_t len, int final);
/* The next queued CDATA content, for the <?w?> marker libxml2 reached;
 * 0 when none is queued. The text stays valid until input_cdata_trim,
 * which the parser calls between two chunks. */
int input_cdata_next(struct input *in, const char **s, size_t *n);
void input_cdata_trim(struct input *in);
/* The Windows-1252 reading of byte c (0x80–0xFF); 0 if undefined. */
unsigned cp1252_char(unsigned char c);
void utf8_put(struct buf *b, unsigned cp);

/* parse.c: mark the feed bozo; the first reason is kept (printf-style). */
void parser_bozo(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* parse.c: the encoding the document is read in, for feed->encoding. */
void parser_set_encoding(struct parser *p, const char *name);
/* parse.c: the input stage found a netscape DOCTYPE (rss091n). */
void parser_set_netscape(struct parser *p);

/* parse_json.c: the whole JSON document into the model. Returns 0 for a
 * JSON Feed, -1 (with *why set, static text) otherwise. */
int parse_json_feed(struct parser *p, const char *data, size_t len,
                    const char **why);

/* parse.c, for parse_json.c: hand one finished entry to the callback
 * (the parser takes the entry's contents). */
void parser_emit(struct parser *p, struct entry *e);
struct feed *parser_feed_mut(struct parser *p);
const char *parser_url(const struct parser *p);
const char *parser_content_type(const struct parser *p);

#endif
