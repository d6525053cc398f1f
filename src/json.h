/*
 * json.h — a streaming JSON writer: every document warta prints as JSON
 * goes through it, so every document is valid JSON in valid UTF-8.
 *
 * Strings are checked as UTF-8 on the way out: an invalid byte becomes
 * U+FFFD, control characters are escaped, NULL becomes null. Keys and
 * values are written as they come; the writer only tracks commas and
 * nesting (at most JSON_MAX_DEPTH levels), so memory stays flat however
 * long the document. Output goes to a FILE (stdio-buffered) or a buf.
 */
#ifndef WARTA_JSON_H
#define WARTA_JSON_H

#include <stdint.h>
#include <stdio.h>

#include "util.h"

#define JSON_MAX_DEPTH 32

struct jw {
	FILE *fp;
	struct buf *b;
	int pretty;           /* indent two spaces per level */
	int depth;
	int after_key;        /* a key was written; the value comes next */
	unsigned char count[JSON_MAX_DEPTH]; /* 0: nothing yet at this level */
	char close[JSON_MAX_DEPTH];          /* '}' or ']' */
};

void jw_init_file(struct jw *w, FILE *fp, int pretty);
void jw_init_buf(struct jw *w, struct buf *b, int pretty);

void jw_obj(struct jw *w);   /* { */
void jw_end(struct jw *w);   /* } or ], whichever is open */
void jw_arr(struct jw *w);   /* [ */
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);              /* NULL: null */
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
void jw_date(struct jw *w, int64_t t);                 /* RFC 3339 UTC */
void jw_raw(struct jw *w, const char *json);           /* trusted JSON text */

/* Key and value in one call; the *_opt forms write nothing for NULL / "". */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kstr_opt(struct jw *w, const char *key, const char *s);
void jw_kint(struct jw *w, const char *key, int64_t v);
void jw_kbool(struct jw *w, const char *key, int v);
void jw_kdate(struct jw *w, const char *key, int64_t t);

/* Finish the document with a newline (FILE output). */
void jw_done(struct jw *w);

/* Append s to b as the body of a JSON string (no quotes), with the same
 * UTF-8 repair; for callers that build JSON by other means. */
void json_escape(struct buf *b, const char *s, size_t n);

/* Length of the valid UTF-8 sequence at s (1–4), or 0 if the bytes there
 * are not valid UTF-8 (overlong, surrogate, truncated, > U+10FFFF). */
int utf8_seq_len(const unsigned char *s, size_t avail);

#endif
