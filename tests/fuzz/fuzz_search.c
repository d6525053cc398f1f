/*
 * fuzz_search.c — the search-query path: search_compile on any string,
 * then the whole search (search_iter_new, every hit, snippets marked)
 * against a small real archive made once in a temporary folder.
 *
 * The promise checked: a query either comes back as a usage error (-2,
 * one line, no newline) or runs; never an archive failure (-1), which
 * would mean a query reached SQLite in a form it refuses as SQL rather
 * than as FTS5, or broke the connection for the next query.
 */
#include <unistd.h>

#include "fuzz.h"

#include "archive.h"
#include "search.h"
#include "util.h"

static struct archive *arc;
static char dir[64];

static void cleanup(void)
{
	char p[128];
	archive_close(arc);
	static const char *const files[] = {"a.db", "a.db-wal", "a.db-shm"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void add_entry(struct arc_ingest *in, const char *id,
                      const char *title, const char *body,
                      const char *author, const char *tag, int64_t t)
{
	struct entry e = {0};
	e.id = (char *)id;
	e.title = (char *)title;
	e.content = (char *)body;
	e.published.ok = 1;
	e.published.t = t;
	struct person p = {(char *)author, NULL, NULL};
	e.authors = &p;
	e.nauthors = 1;
	char *tags[1] = {(char *)tag};
	e.tags = tags;
	e.ntags = 1;
	if (archive_ingest_entry(in, &e) < 0)
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	snprintf(dir, sizeof dir, "/tmp/warta-fuzz-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	char path[128];
	snprintf(path, sizeof path, "%s/a.db", dir);
	arc = archive_open(path);
	if (!arc)
		abort();
	atexit(cleanup);
	int64_t id;
	struct arc_new_feed nf = {"https://bpbd.example.go.id/feed/",
	                          "Diskominfo Banjarbaru", NULL, 0, 0};
	if (archive_feed_add(arc, &nf, 0, &id) < 0)
		abort();
	struct arc_ingest *in = archive_ingest_begin(arc, id, 1764642600);
	if (!in)
		abort();
	add_entry(in, "1", "Pemberdayaan UMKM di Banjarbaru",
	          "<p>Pemerintah kota memberdayakan usaha kecil; Jum'at "
	          "pukul 09.30 WITA, covid-19 &amp; e-KTP.</p>", "Humas",
	          "ekonomi", 1764600000);
	add_entry(in, "2", "Banjir di \"Kalimantan\" Selatan",
	          "<p>BPBD mencatat banjir setinggi 1,5 meter. Warga "
	          "diungsikan ke masjid.</p>", "Diskominfo", "bencana",
	          1764500000);
	add_entry(in, "3", "NEAR OR AND NOT title: * ^ \"",
	          "<p>Kata-kata operator: OR AND NOT NEAR ( ) { } * ^ : - + "
	          "'; DROP TABLE entries; --</p>", "x' OR '1'='1", "a:b",
	          1764400000);
	struct arc_fetch fx = {.time = 1764642600, .url = nf.url,
	                       .status = 200, .next_due = 1764646200};
	if (archive_ingest_end(in, &fx, NULL) < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > SEARCH_MAX_QUERY + 64)
		return 0;
	/* byte 0: the options; the rest: the query as typed */
	char *q = fuzz_cstr(data + 1, size - 1);
	struct search_opts o = {0};
	o.query = q;
	o.by_date = data[0] & 1;
	o.snippets = (data[0] >> 1) & 1;
	o.f.limit = (data[0] >> 2) & 3;
	if (data[0] & 0x10)
		o.f.tag = "ekonomi";
	if (data[0] & 0x20)
		o.f.since = 1764450000;

	char err[256] = "";
	struct search_iter *it = NULL;
	int rc = search_iter_new(arc, &o, &it, err, sizeof err);
	FUZZ_ASSERT(rc == 0 || rc == -2, "the archive failed on query "
	            "\"%s\"", q);
	if (rc == -2) {
		FUZZ_ASSERT(err[0] && !strchr(err, '\n'), "usage error "
		            "without one line: \"%s\"", err);
	} else {
		struct search_hit *h;
		int n;
		struct buf b = {0};
		while ((n = search_iter_next(it, &h)) == 1) {
			if (h->snippet)
				search_mark(&b, h->snippet, MARK_BOLD);
			if (h->title)
				search_mark(&b, h->title, MARK_BRACKETS);
			buf_reset(&b);
		}
		buf_free(&b);
		FUZZ_ASSERT(n == 0, "search_iter_next failed on \"%s\"", q);
		search_iter_free(it);
	}
	free(q);
	return 0;
}
