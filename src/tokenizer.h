/*
 * tokenizer.h — "warta", the Indonesian FTS5 tokenizer.
 *
 * It wraps FTS5's unicode61 (case folded, diacritics removed with
 * remove_diacritics 2) and Snowball's Indonesian stemmer (libstemmer).
 * Words joined by an apostrophe (Jum'at, Jum’at) and numbers joined by
 * '.', ',' or ':' (09.30, 1.500.000, 2,5) stay one token. Stop words stay.
 *
 * Documents: each word is indexed as itself and, at the same position
 * (FTS5_TOKEN_COLOCATED), as its stem tagged with TOKENIZER_STEM_MARK —
 * every word, its stem being itself when it has no affix — so a stem
 * never equals a word: a quoted word matches only itself. Words of the
 * protected list (agencies, acronyms, place names Snowball would mangle)
 * and words in ALL CAPS standing in ordinary text are their own stem.
 * Numbers (a token with a digit) are indexed as themselves only.
 *
 * Queries: a bare word stands for every word with its stem, and every
 * word whose stem is the query word (colocated query tokens: FTS5 ORs
 * them), so berdaya finds pemberdayaan and memberdayakan, and after
 * meN-/peN- the root's lost k or t is tried too (mengatakan → kata). A
 * string that starts with TOKENIZER_EXACT_MARK (search.c puts it inside
 * quoted strings), a prefix string (word*) and auxiliary-function text
 * give the words as written.
 *
 * tokenizer_register() adds the tokenizer to one connection; call it once
 * per sqlite3 handle, before any statement that touches the FTS table.
 * It returns an SQLite result code (SQLITE_ERROR when this SQLite lacks
 * FTS5, SQLITE_NOMEM when libstemmer cannot start). Nothing is allocated
 * that the connection does not free when it closes.
 */
#ifndef WARTA_TOKENIZER_H
#define WARTA_TOKENIZER_H

#include <stddef.h>
#include <sqlite3.h>

#define TOKENIZER_NAME "warta"
#define TOKENIZER_STEM_MARK '\x01'
#define TOKENIZER_EXACT_MARK '\x1a'

int tokenizer_register(sqlite3 *db);

/* The connection's FTS5 API (NULL without FTS5), for code that drives a
 * tokenizer by hand. */
fts5_api *tokenizer_fts5_api(sqlite3 *db);

/* The stem the tokenizer would index for one folded word (lower case, no
 * diacritics), written into out (NUL-terminated, at most outsz bytes).
 * Returns its length. Protected words come back as themselves. For tests
 * and for `warta search --explain`-style debugging. */
size_t tokenizer_stem(const char *word, size_t n, char *out, size_t outsz);

/* 1 when the folded word is on the protected list. */
int tokenizer_protected(const char *word, size_t n);

/* Tokenizing ahead (cmd_fetch's parse thread): a tokenizer of a thread's
 * own, with no archive, writes a document's tokens as the index would
 * take them onto a tape (0, or -1: then free it, it is not one). Indexing
 * that same text later, on the writer's thread, plays the tape instead
 * of tokenizing again: the writer sets a tokenizer_replay for the row it
 * is about to index, and each column whose length is that of a tape's
 * text (not yet played) takes it. Only lengths are compared: the caller
 * knows the row holds the texts taped (archive.c's pretok list says
 * how). */
struct tokenizer_tape {
	unsigned char *p;
	size_t len, cap;
	int text_len;            /* of the text taped; 0: none (yet) */
	int start, end, ntok;    /* the last token's place; tokens */
};
void tokenizer_tape_free(struct tokenizer_tape *t);

struct tokenizer_pre;
struct tokenizer_pre *tokenizer_pre_new(void);  /* NULL if it cannot */
int tokenizer_pre_run(struct tokenizer_pre *tp, const char *text, int n,
                      struct tokenizer_tape *tape);
void tokenizer_pre_free(struct tokenizer_pre *tp);

struct tokenizer_replay {
	const struct tokenizer_tape *tape[2];   /* (NULL: none) */
	int used;                    /* bit k: tape k was played */
};
/* For this thread's tokenizing from now on (NULL: none). */
void tokenizer_replay(struct tokenizer_replay *r);

#endif
