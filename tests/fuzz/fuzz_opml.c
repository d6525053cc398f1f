/*
 * fuzz_opml.c — the OPML importer, and the round trip opml.h promises:
 * whatever opml_read accepts, opml_write writes back so that opml_read
 * gives the same subscriptions (URLs, titles, tags) again.
 */
#include "fuzz.h"

#include "opml.h"

static int has_tag(const struct opml_feed *f, const char *t)
{
	for (size_t i = 0; i < f->ntags; i++)
		if (strcmp(f->tags[i], t) == 0)
			return 1;
	return 0;
}

static const struct opml_feed *find(const struct opml_doc *d,
                                    const char *url)
{
	for (size_t i = 0; i < d->nfeeds; i++)
		if (strcmp(d->feeds[i].xml_url, url) == 0)
			return &d->feeds[i];
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 512 * 1024)
		return 0;
	struct opml_doc doc = {0};
	char *err = NULL;
	int rc = opml_read((const char *)data, size, &doc, &err);
	if (rc < 0) {
		FUZZ_ASSERT(err && !strchr(err, '\n'), "refused without one "
		            "line: %s", err ? err : "(null)");
		FUZZ_ASSERT(doc.nfeeds == 0, "refused but returned feeds");
		free(err);
		opml_doc_clear(&doc);
		return 0;
	}
	FUZZ_ASSERT(rc == 0 && doc.nfeeds > 0, "accepted with no feed");
	for (size_t i = 0; i < doc.nfeeds; i++)
		FUZZ_ASSERT(doc.feeds[i].xml_url, "a feed without xmlUrl");

	char *out = NULL;
	size_t outlen = 0;
	FILE *fp = open_memstream(&out, &outlen);
	FUZZ_ASSERT(fp, "open_memstream");
	FUZZ_ASSERT(opml_write(fp, doc.title, doc.feeds, doc.nfeeds, 0) == 0,
	            "opml_write failed");
	fclose(fp);

	struct opml_doc back = {0};
	char *err2 = NULL;
	rc = opml_read(out, outlen, &back, &err2);
	FUZZ_ASSERT(rc == 0, "our own export does not read back: %s\n%s",
	            err2 ? err2 : "?", out);
	FUZZ_ASSERT(back.nfeeds == doc.nfeeds, "%zu feeds became %zu",
	            doc.nfeeds, back.nfeeds);
	for (size_t i = 0; i < doc.nfeeds; i++) {
		const struct opml_feed *a = &doc.feeds[i];
		const struct opml_feed *b = find(&back, a->xml_url);
		FUZZ_ASSERT(b, "feed %s lost", a->xml_url);
		/* OPML wants a text attribute: an untitled feed is
		 * written under its URL, on purpose */
		const char *want = a->title && *a->title ? a->title
		                                         : a->xml_url;
		FUZZ_ASSERT(b->title && strcmp(want, b->title) == 0,
		            "title of %s changed", a->xml_url);
		for (size_t t = 0; t < a->ntags; t++)
			FUZZ_ASSERT(has_tag(b, a->tags[t]), "tag %s of %s "
			            "lost", a->tags[t], a->xml_url);
	}
	opml_doc_clear(&back);
	free(err2);
	free(out);
	opml_doc_clear(&doc);
	return 0;
}
