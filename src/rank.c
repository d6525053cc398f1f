/*
 * rank.c — bm25 with a sampled IDF (see rank.h for why).
 *
 * The scoring is FTS5's fts5Bm25Function (ext/fts5/fts5_aux.c, SQLite
 * 3.40); only the count behind the IDF differs.
 */
#include <math.h>
#include <string.h>

#include <sqlite3.h>

#include "rank.h"
#include "tokenizer.h"

struct rank_data {
	int nphrase;
	double avgdl;  /* mean tokens a row, over the whole table */
	double *idf;   /* a phrase's IDF */
	double *freq;  /* a phrase's weighted frequency in the current row */
	double *weight;
	int nweight;
	double *best;  /* the best keep scores so far, a heap (keep_best) */
	int keep, nbest;
	sqlite3_int64 prev;  /* the last row's rowid */
	sqlite3_int64 *seen; /* rows scored, for the caller; or NULL */
	/* The row's length read straight from the docsize table: FTS5's
	 * xColumnSize runs an SQL statement per row, four fifths of the
	 * function's cost. used: 0 not tried yet, 1 in use, -1 given up. */
	sqlite3 *db;
	const char *docsize;
	sqlite3_blob *sizes;
	int used;
};

static void rank_data_free(void *v)
{
	struct rank_data *p = v;
	if (p->sizes)
		sqlite3_blob_close(p->sizes);
	sqlite3_free(p);
}

/* The sum of a docsize record: one SQLite varint a column, a column's
 * length in tokens. -1 when the record does not read so. */
static long sum_sizes(const unsigned char *b, int n, int ncol)
{
	long sum = 0;
	int i = 0;
	for (int c = 0; c < ncol; c++) {
		unsigned long v = 0;
		int k = 0;
		do {
			if (i >= n || ++k > 5)
				return -1;
			v = v << 7 | (b[i] & 0x7f);
		} while (b[i++] & 0x80);
		sum += (long)v;
	}
	return i == n ? sum : -1;
}

static int blob_tokens(struct rank_data *p, sqlite3_int64 rowid, int ncol)
{
	int rc = p->sizes ? sqlite3_blob_reopen(p->sizes, rowid) :
	         sqlite3_blob_open(p->db, "main", p->docsize, "sz", rowid, 0,
	                           &p->sizes);
	unsigned char b[64];
	int n = rc == SQLITE_OK ? sqlite3_blob_bytes(p->sizes) : 0;
	if (rc != SQLITE_OK || n <= 0 || n > (int)sizeof b ||
	    sqlite3_blob_read(p->sizes, b, n, 0) != SQLITE_OK)
		return -1;
	long sum = sum_sizes(b, n, ncol);
	return sum >= 0 && sum <= 0x7fffffff ? (int)sum : -1;
}

/* The row's length in tokens, as xColumnSize(-1) gives it. The first
 * row checks the shortcut against xColumnSize, so a table that is not
 * the one rank_register() named is ranked the slow way. */
static int row_tokens(const Fts5ExtensionApi *api, Fts5Context *fts,
                      struct rank_data *p, int *ntok)
{
	if (p->used >= 0 && p->docsize) {
		int n = blob_tokens(p, api->xRowid(fts), api->xColumnCount(fts));
		if (n >= 0 && p->used == 1) {
			*ntok = n;
			return SQLITE_OK;
		}
		int rc = api->xColumnSize(fts, -1, ntok);
		p->used = rc == SQLITE_OK && n == *ntok ? 1 : -1;
		return rc;
	}
	return api->xColumnSize(fts, -1, ntok);
}

struct count {
	sqlite3_int64 n, last;
	const sqlite3_int64 *range;  /* NULL: count them all */
	double span;                 /* hi - lo + 1 */
	int stopped;                 /* before the last match */
};

/* One more match. The count may stop after RANK_SAMPLE matches once
 * they reach an eighth of the way through the entry numbers, or after
 * RANK_SAMPLE_MAX in any case: a word whose matches bunch together (a
 * flood in one season) is then counted whole, or nearly, instead of
 * being taken for one spread over the whole archive. */
static int count_one(const Fts5ExtensionApi *api, Fts5Context *fts, void *u)
{
	struct count *c = u;
	c->last = api->xRowid(fts);
	if (++c->n < RANK_SAMPLE || !c->range)
		return SQLITE_OK;
	double covered = (double)c->last - (double)c->range[0] + 1.0;
	c->stopped = covered * 8.0 >= c->span || c->n >= RANK_SAMPLE_MAX;
	return c->stopped ? SQLITE_DONE : SQLITE_OK;
}

/* How many rows match phrase i: counted (count_one), then scaled by the
 * share of [lo, hi] the count covered (xQueryPhrase walks rowids
 * upwards). */
static int phrase_rows(const Fts5ExtensionApi *api, Fts5Context *fts, int i,
                       const sqlite3_int64 *range, sqlite3_int64 nrow,
                       double *rows)
{
	struct count c = {0, 0, range, 0, 0};
	if (range)
		c.span = (double)range[1] - (double)range[0] + 1.0;
	int rc = api->xQueryPhrase(fts, i, &c, count_one);
	*rows = (double)c.n;
	if (rc == SQLITE_OK && c.stopped && c.last >= range[0] &&
	    c.last < range[1]) {
		double est = (double)c.n * c.span /
		             ((double)c.last - (double)range[0] + 1.0);
		*rows = est < (double)nrow ? est : (double)nrow;
	}
	return rc;
}

/* What every row of this query shares, made at its first row. */
static sqlite3_int64 int_arg(int nval, sqlite3_value **val, int i)
{
	return i < nval && sqlite3_value_type(val[i]) == SQLITE_INTEGER ?
	       sqlite3_value_int64(val[i]) : -1;
}

static int rank_data(const Fts5ExtensionApi *api, Fts5Context *fts,
                     sqlite3_context *ctx, int nval, sqlite3_value **val,
                     struct rank_data **out)
{
	struct rank_data *p = api->xGetAuxdata(fts, 0);
	if (p) {
		*out = p;
		return SQLITE_OK;
	}
	sqlite3_int64 range[2] = {int_arg(nval, val, 0), int_arg(nval, val, 1)};
	int sampled = range[0] >= 0 && range[0] <= range[1];
	sqlite3_int64 keep = int_arg(nval, val, 2);
	if (keep < 0 || keep > RANK_KEEP_MAX)
		keep = 0;
	int nphrase = api->xPhraseCount(fts);
	int nweight = nval > 4 ? nval - 4 : 0;
	size_t n = (size_t)(2 * nphrase + nweight + keep);
	p = sqlite3_malloc64(sizeof *p + n * sizeof(double));
	if (!p)
		return SQLITE_NOMEM;
	memset(p, 0, sizeof *p + n * sizeof(double));
	p->nphrase = nphrase;
	p->idf = (double *)&p[1];
	p->freq = p->idf + nphrase;
	p->weight = p->freq + nphrase;
	p->nweight = nweight;
	for (int i = 0; i < nweight; i++) {
		p->weight[i] = sqlite3_value_double(val[4 + i]);
		if (p->weight[i] < 0)  /* then no score is bounded at length 0 */
			keep = 0;
	}
	p->best = p->weight + nweight;
	p->seen = nval > 3 ? sqlite3_value_pointer(val[3], RANK_SEEN) : NULL;
	p->keep = (int)keep;
	p->db = sqlite3_context_db_handle(ctx);
	p->docsize = api->xUserData(fts);
	sqlite3_int64 nrow = 0, ntok = 0;
	int rc = api->xRowCount(fts, &nrow);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &ntok);
	if (rc == SQLITE_OK)
		p->avgdl = nrow > 0 ? (double)ntok / (double)nrow : 1.0;
	/* one phrase: its IDF scales every row alike, so it is not counted */
	if (nphrase == 1)
		p->idf[0] = 1.0;
	for (int i = 0; rc == SQLITE_OK && nphrase > 1 && i < nphrase; i++) {
		double hits = 0;
		rc = phrase_rows(api, fts, i, sampled ? range : NULL, nrow,
		                 &hits);
		/* bm25's floor: a phrase in over half the rows still counts */
		double idf = log(((double)nrow - hits + 0.5) / (hits + 0.5));
		p->idf[i] = idf > 0.0 ? idf : 1e-6;
	}
	if (rc == SQLITE_OK)
		rc = api->xSetAuxdata(fts, p, rank_data_free);
	else
		sqlite3_free(p);
	*out = rc == SQLITE_OK ? p : NULL;
	return rc;
}

/* Keep the row's score among the best p->keep seen so far (a heap whose
 * root is the worst of them). */
static void keep_best(struct rank_data *p, double score)
{
	double *h = p->best;
	int i = 0;
	if (p->nbest < p->keep) {
		for (i = p->nbest++; i > 0 && h[(i - 1) / 2] > score;
		     i = (i - 1) / 2)
			h[i] = h[(i - 1) / 2];
		h[i] = score;
		return;
	}
	if (score <= h[0])
		return;
	for (;;) {
		int c = 2 * i + 1;
		if (c >= p->nbest)
			break;
		if (c + 1 < p->nbest && h[c + 1] < h[c])
			c++;
		if (h[c] >= score)
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = score;
}

#define K1 1.2
#define B 0.75

/* bm25's sum over the phrases for a row of d tokens; d = 0 gives the
 * bound no longer row can exceed. */
static double bm25_at(const struct rank_data *p, double d)
{
	double score = 0.0;
	for (int i = 0; i < p->nphrase; i++)
		score += p->idf[i] * (p->freq[i] * (K1 + 1.0)) /
		         (p->freq[i] + K1 * (1 - B + B * d / p->avgdl));
	return score;
}

static void warta_rank(const Fts5ExtensionApi *api, Fts5Context *fts,
                       sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	struct rank_data *p;
	int rc = rank_data(api, fts, ctx, nval, val, &p), ninst = 0;
	if (rc == SQLITE_OK) {
		if (p->seen)
			++*p->seen;
		memset(p->freq, 0, sizeof(double) * (size_t)p->nphrase);
		rc = api->xInstCount(fts, &ninst);
	}
	for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
		int ip, ic, io;
		rc = api->xInst(fts, i, &ip, &ic, &io);
		if (rc == SQLITE_OK)
			p->freq[ip] += ic < p->nweight ? p->weight[ic] : 1.0;
	}
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	/* The score a row of no length would have bounds the row's own.
	 * Below the worst of the best `keep`, the row cannot be among them
	 * and that bound serves as its score: its length is not read. That
	 * holds only for rows that come newest first, as the LIMIT of the
	 * window takes them: rows in any other order (a plan that sorts
	 * them) are all scored in full. */
	sqlite3_int64 rowid = api->xRowid(fts);
	if (p->nbest && rowid >= p->prev)
		p->keep = 0;
	p->prev = rowid;
	if (p->keep && p->nbest == p->keep) {
		double bound = bm25_at(p, 0.0);
		if (bound < p->best[0]) {
			sqlite3_result_double(ctx, -1.0 * bound);
			return;
		}
	}
	int ntok = 0;
	rc = row_tokens(api, fts, p, &ntok);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	double score = bm25_at(p, (double)ntok);
	if (p->keep)
		keep_best(p, score);
	sqlite3_result_double(ctx, -1.0 * score);
}

int rank_register(sqlite3 *db)
{
	fts5_api *api = tokenizer_fts5_api(db);
	if (!api)
		return SQLITE_ERROR;
	return api->xCreateFunction(api, RANK_NAME, (void *)RANK_DOCSIZE,
	                            warta_rank, NULL);
}
