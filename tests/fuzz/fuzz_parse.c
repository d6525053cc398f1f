/*
 * fuzz_parse.c — the feed parser, as the fetcher drives it: bytes pushed
 * in chunks of any size, then parser_finish.
 *
 * Input: byte 0 picks the Content-Type and the document URL, byte 1
 * seeds the chunk sizes, the rest is the document. It is parsed twice,
 * in one push and in random chunks (1 byte to 4 KiB): parse.h promises
 * any chunk sizes, so both runs must give the same entries, field by
 * field, and the same verdict. Each entry's archive key is computed too
 * (archive_entry_key canonicalises links through libcurl's URL API).
 */
#include "fuzz.h"

#include "archive.h"
#include "parse.h"

static const char *const types[] = {
	NULL, "application/rss+xml", "application/atom+xml; charset=utf-8",
	"text/xml; charset=iso-8859-1", "text/html", "application/json",
	"application/feed+json", "text/plain; charset=utf-16",
};
static const char *const urls[] = {
	NULL, "https://diskominfo.example.go.id/feed/",
	"http://example.com/a/b/feed.xml?x=1&y=2", "file:///tmp/feed.xml",
};

static uint64_t hash_date(uint64_t h, const struct wdate *d)
{
	h = fuzz_hash(h, &d->ok, sizeof d->ok);
	if (d->ok)
		h = fuzz_hash(h, &d->t, sizeof d->t);
	return fuzz_hash_str(h, d->raw);
}

static uint64_t hash_entry(uint64_t h, const struct entry *e)
{
	h = fuzz_hash_str(h, e->id);
	h = fuzz_hash_str(h, e->link);
	h = fuzz_hash_str(h, e->title);
	h = fuzz_hash_str(h, e->summary);
	h = fuzz_hash_str(h, e->content);
	h = fuzz_hash(h, &e->content_is_text, sizeof e->content_is_text);
	h = fuzz_hash_str(h, e->comments);
	h = fuzz_hash_str(h, e->language);
	h = hash_date(h, &e->published);
	h = hash_date(h, &e->updated);
	for (size_t i = 0; i < e->nauthors; i++) {
		h = fuzz_hash_str(h, e->authors[i].name);
		h = fuzz_hash_str(h, e->authors[i].email);
		h = fuzz_hash_str(h, e->authors[i].url);
	}
	for (size_t i = 0; i < e->ntags; i++)
		h = fuzz_hash_str(h, e->tags[i]);
	for (size_t i = 0; i < e->nenclosures; i++) {
		h = fuzz_hash_str(h, e->enclosures[i].url);
		h = fuzz_hash_str(h, e->enclosures[i].type);
		h = fuzz_hash(h, &e->enclosures[i].length, sizeof(int64_t));
	}
	h = fuzz_hash_str(h, e->source.id);
	h = fuzz_hash_str(h, e->source.title);
	h = fuzz_hash_str(h, e->source.url);
	return fuzz_hash_str(h, e->source.link);
}

struct run {
	uint64_t h;
	size_t n;
	int keys;
};

static int on_entry(void *ctx, const struct feed *feed, struct entry *e)
{
	struct run *r = ctx;
	(void)feed;
	r->h = hash_entry(r->h, e);
	r->n++;
	if (r->keys) {
		const char *kind = NULL;
		char *key = archive_entry_key(e, &kind);
		FUZZ_ASSERT(key && kind, "no archive key");
		free(key);
	}
	return 0;
}

static uint64_t hash_feed(uint64_t h, const struct feed *f)
{
	h = fuzz_hash_str(h, f->version);
	h = fuzz_hash(h, &f->bozo, sizeof f->bozo);
	h = fuzz_hash_str(h, f->encoding);
	h = fuzz_hash_str(h, f->title);
	h = fuzz_hash_str(h, f->link);
	h = fuzz_hash_str(h, f->self);
	h = fuzz_hash_str(h, f->subtitle);
	h = fuzz_hash_str(h, f->id);
	h = hash_date(h, &f->updated);
	h = fuzz_hash(h, &f->ttl, sizeof f->ttl);
	return fuzz_hash(h, &f->nentries, sizeof f->nentries);
}

/* One parse; chunks 0: all at once, else split by a PRNG seeded so. */
static int parse(const char *doc, size_t len, const struct parse_opts *o,
                 unsigned seed, struct run *r)
{
	struct parser *p = parser_new(o, on_entry, r);
	size_t off = 0;
	int rc = 0;
	uint32_t x = seed * 2654435761u + 1;
	while (off < len && rc == 0) {
		size_t n = len - off;
		if (seed) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			/* one chunk in eight tiny (boundaries inside names,
			 * entities and UTF-8 sequences are the hard part),
			 * the rest up to 4 KiB (a byte at a time would make
			 * each run too slow to explore much) */
			size_t cap = (x & 0x700) ? (x & 4095) + 1 : (x & 7) + 1;
			if (n > cap)
				n = cap;
		}
		rc = parser_push(p, doc + off, n);
		off += n;
	}
	/* as every caller does: finish even after a push said stop, which
	 * is when parser_error gets the reason */
	int rf = parser_finish(p);
	if (rc == 0)
		rc = rf;
	FUZZ_ASSERT(rc == 0 || parser_error(p), "failed without a reason");
	const char *err = parser_error(p);
	if (rc < 0 && err)
		FUZZ_ASSERT(!strchr(err, '\n'), "error on two lines: %s", err);
	/* a document that is not a feed has no fields worth comparing
	 * (its bozo flag may depend on where libxml2 gave up) */
	if (rc == 0)
		r->h = hash_feed(r->h, parser_feed(p));
	parser_free(p);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	struct parse_opts o = {
		urls[(data[0] >> 3) % (sizeof urls / sizeof urls[0])],
		types[data[0] % (sizeof types / sizeof types[0])],
	};
	unsigned seed = data[1] | 1u;
	const char *doc = (const char *)data + 2;
	size_t len = size - 2;

	struct run whole = {1469598103934665603u, 0, 1};
	struct run split = {1469598103934665603u, 0, 0};
	int rc1 = parse(doc, len, &o, 0, &whole);
	int rc2 = parse(doc, len, &o, seed, &split);
	FUZZ_ASSERT(rc1 == rc2, "verdict depends on chunking: %d vs %d",
	            rc1, rc2);
	FUZZ_ASSERT(whole.n == split.n, "entries depend on chunking: %zu "
	            "vs %zu", whole.n, split.n);
	FUZZ_ASSERT(whole.h == split.h, "fields depend on chunking");
	return 0;
}
