/*
 * export.h — archived entries out as Atom 1.0 (RFC 4287), RSS 2.0 or
 * JSON Feed 1.1, streaming; and the atomic file replacement behind -o.
 *
 * A writer is begin, any number of entries, end:
 *
 *	struct exporter *x = export_begin(EXPORT_ATOM, stdout, &head);
 *	while (next row)
 *		if (export_entry(x, &entry, &sources) < 0)
 *			break;                  // a write failed; stop early
 *	if (export_end(x) < 0)
 *		fail("write: %s", strerror(errno));
 *
 * Each entry is written as it comes and nothing of it is kept, so memory
 * stays flat however many entries go through (the caller can clear its
 * entry right after export_entry). The writer only reads what it is given;
 * the caller keeps ownership of every struct and string, which need only
 * live for the duration of the call.
 *
 * Atom and RSS: the tags are written by export.c into a 256 KiB buffer,
 * the text and attribute values escaped by libxml2's own escapers (those
 * xmlTextWriter calls), giving the bytes xmlTextWriter gave (a unit test
 * pins them); the writer's per-call overhead was over half an Atom
 * export's CPU. JSON Feed goes through json.h. Every string is repaired on the way out: invalid
 * UTF-8 becomes U+FFFD, and so do characters XML 1.0 cannot carry (C0
 * controls other than tab, LF and CR; U+FFFE, U+FFFF), in all three
 * formats, so the three agree.
 *
 * What goes where (an absent field is left out, never written empty,
 * except where the format requires the element):
 *   id       Atom <id>, RSS <guid isPermaLink=…>, JSON "id". The entry's
 *            own id (e->id), never replaced by its link; only when the
 *            entry has none: its link, else urn:uuid: of a hash of title,
 *            date and content. Atom ids must be IRIs (RFC 4287 4.2.6): an
 *            id that is not an absolute IRI (an RSS guid such as "12345")
 *            is written as "urn:warta:guid:" + the id percent-encoded;
 *            RSS and JSON Feed take it verbatim.
 *   title    required in Atom and written (possibly empty) there; RSS and
 *            JSON Feed leave it out when the entry has none, except that
 *            an RSS item with neither title nor description gets an empty
 *            <title> (RSS 2.0 wants one of the two).
 *   dates    Atom <updated> = updated, else published, else the first
 *            seen date, else the head's; <published> when read. RSS
 *            <pubDate> (RFC 822, +0000) = published, else updated, else
 *            first seen. JSON date_published / date_modified when read;
 *            an entry with no readable date gets date_published = first
 *            seen and "_warta": {"undated": true}.
 *   content  Atom <content type="html"> (type="text" when content_is_text)
 *            and <summary type="html">; an entry with neither link nor
 *            content gets its summary (or nothing) as <content>, RFC 4287
 *            4.1.2 wanting one of the two; RSS <description> = summary, else
 *            content, and <content:encoded> = content (HTML-escaped when
 *            content_is_text: RSS has no plain-text type); JSON
 *            content_html (or content_text), summary as plain text, and
 *            content_html = summary when there is no content (JSON Feed
 *            needs one of the two).
 *   authors  Atom <author> name/email/uri (a person with no name is named
 *            by its email or URL); RSS <author>email (name)</author> when
 *            there is an email, else <dc:creator>; JSON "authors" and
 *            "_warta": {"author_email"}. The Atom feed always carries a
 *            feed-level <author> (head->author, default "warta"), so an
 *            entry without one is still valid.
 *   links    Atom rel=alternate, rel=enclosure (href, type, length),
 *            rel=replies (comments); RSS <link>, <enclosure url length
 *            type> (length 0 and application/octet-stream when unknown,
 *            both attributes being required), <comments>; JSON "url",
 *            "attachments", "_warta": {"comments"}.
 *   tags     Atom <category term>, RSS <category>, JSON "tags".
 *   language Atom xml:lang on the entry, JSON item "language".
 *   source   the first of src->v (the feed the archive got the entry
 *            from), else the entry's own e->source: Atom <source> with id,
 *            title, updated, link rel=alternate (home) and rel=self (feed
 *            URL); RSS <source url="feed URL">title</source> (written only
 *            when the URL is known: it is required there); JSON
 *            "_warta": {"source": {id, title, url, link, updated}}, plus
 *            "sources": [...] with all of them when there are several.
 *
 * Errors: export_begin never fails (it allocates or exits). export_entry
 * returns 0, or -1 once a write to the stream failed (errno kept, and
 * every later call is a no-op returning -1). export_end finishes the
 * document, flushes the FILE, frees the writer and returns 0, or -1 if any
 * write failed. The FILE stays open and the caller's.
 */
#ifndef WARTA_EXPORT_H
#define WARTA_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "feed.h"

enum export_format { EXPORT_ATOM, EXPORT_RSS, EXPORT_JSONFEED };

/* "atom", "rss", "jsonfeed" (also "json"); 0 on success, -1 unknown. */
int export_format_parse(const char *name, enum export_format *out);
const char *export_format_name(enum export_format f);
/* application/atom+xml, application/rss+xml, application/feed+json. */
const char *export_media_type(enum export_format f);

/* The document's own metadata. Everything may be NULL / 0. */
struct export_head {
	const char *title;    /* plain text; NULL: "warta" */
	const char *subtitle; /* plain text (Atom subtitle, RSS description) */
	const char *id;       /* Atom feed id, an IRI that stays the same from
	                       * one run to the next; NULL: self, else
	                       * "urn:warta:export" */
	const char *self;     /* URL the document will be served at */
	const char *link;     /* a home page; RSS needs one: NULL there means
	                       * self, else warta's project URL */
	const char *language; /* RSS <language>, JSON "language" */
	const char *author;   /* Atom feed-level author name; NULL: "warta" */
	int64_t updated;      /* newest entry's date (entries come newest
	                       * first, so the caller knows it from the first
	                       * row); 0: now_utc() */
};

/* One feed of the archive an entry was archived from. */
struct export_source {
	const char *id;       /* the feed's own id (atom:id), or NULL */
	const char *title;
	const char *url;      /* the feed document's URL, what warta fetches */
	const char *link;     /* the feed's home page */
	int64_t updated;      /* 0: unknown */
};

/* What the archive knows about an entry beyond the entry itself. The
 * argument may be NULL (no sources, first_seen unknown). */
struct export_sources {
	const struct export_source *v; /* the feeds carrying it, primary first */
	size_t n;
	int64_t first_seen;   /* when the archive first saw it; 0: unknown */
};

struct exporter;

struct exporter *export_begin(enum export_format fmt, FILE *out,
                              const struct export_head *head);
int export_entry(struct exporter *x, const struct entry *e,
                 const struct export_sources *src);
int export_end(struct exporter *x);

/*
 * Atomic replacement of a file, for `-o FILE`: the document is written to
 * a temporary file beside FILE (same folder, so rename is atomic), which
 * commit flushes, fsyncs, gives FILE's present permission bits (else
 * 0666 & ~umask: a web server must be able to read it), renames over FILE
 * and then fsyncs the folder. Until commit succeeds FILE is untouched;
 * abort (or a failed commit) removes the temporary file. "-" means stdout
 * and makes commit a flush. All return 0, or -1 with errno set; a failed
 * open holds nothing (abort is not needed, and harmless); after commit,
 * failed or not, af holds nothing either.
 */
struct atomic_file {
	char *path;   /* FILE as given */
	char *tmp;    /* the temporary file, NULL once renamed or removed */
	FILE *fp;     /* write here */
};

int atomic_open(struct atomic_file *af, const char *path);
int atomic_commit(struct atomic_file *af);
void atomic_abort(struct atomic_file *af);

#endif
