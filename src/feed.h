/*
 * feed.h — the normalised feed and entry: the one type every arrow carries.
 *
 * parse.c fills these; archive.c, search.c and the writers only read them.
 * Every string is NUL-terminated UTF-8 owned by the struct that holds it,
 * or NULL when the document gave nothing. Strings are already cleaned:
 *   - titles and names are plain text (entities decoded, tags stripped);
 *   - summary and content are sanitised HTML (see html.h) unless
 *     content_is_text says the feed declared plain text;
 *   - URLs are absolute where a base was known (xml:base, document URL).
 * A date is "ok" only when it was read; the raw string is kept either way.
 */
#ifndef WARTA_FEED_H
#define WARTA_FEED_H

#include <stddef.h>
#include <stdint.h>

struct wdate {
	int64_t t;   /* seconds since the epoch, UTC; meaningful when ok */
	int ok;      /* 1 when raw was read as a date */
	char *raw;   /* as the document gave it, trimmed; NULL when absent */
};

struct person {
	char *name;
	char *email;
	char *url;
};

struct enclosure {
	char *url;
	char *type;     /* MIME type, or NULL */
	int64_t length; /* bytes; -1 when unknown */
};

/* Where an entry came from when the feed republishes it (atom:source,
 * RSS <source url="…">title</source>). All NULL when absent. */
struct source {
	char *id;
	char *title;
	char *url;      /* the source feed's own URL (RSS url=, Atom rel=self) */
	char *link;     /* the source's home page (Atom rel=alternate) */
	struct wdate updated;
	char *json;     /* the whole source as feedparser shapes it (a JSON
	                 * object, for `warta parse`); NULL when absent */
};

struct entry {
	char *id;             /* guid / atom:id as given; NULL when none */
	char *link;           /* the alternate link, absolute */
	char *title;          /* plain text */
	char *summary;        /* sanitised HTML (description, atom:summary) */
	char *content;        /* sanitised HTML (content:encoded, atom:content) */
	int content_is_text;  /* content is plain text, not HTML */
	char *comments;       /* URL of the comments page */
	char *language;       /* xml:lang in force, if any */
	struct wdate published;
	struct wdate updated;
	struct person *authors;
	size_t nauthors;
	char **tags;          /* category terms */
	size_t ntags;
	struct enclosure *enclosures;
	size_t nenclosures;
	struct source source;
};

struct feed {
	char *version;        /* feedparser's names: rss20, atom10, … or "" */
	int bozo;             /* 1: not well-formed (or wrong encoding), recovered */
	char *bozo_msg;       /* why, one line; NULL when !bozo */
	char *encoding;       /* the encoding the bytes were read in, lower case */
	char *title;          /* plain text */
	char *link;           /* home page */
	char *self;           /* rel=self / atom:link in RSS */
	char *next;           /* rel=next (paging), if any */
	char *subtitle;       /* sanitised HTML */
	char *language;
	char *icon;           /* small image (Atom icon) */
	char *logo;           /* large image (Atom logo, RSS image/url) */
	char *id;
	char *rights;
	char *generator;
	struct wdate updated;
	struct wdate published;   /* the channel's own pubDate, if any */
	struct person *authors;
	size_t nauthors;
	long ttl;             /* seconds from <ttl> or sy:*, 0 when not given */
	size_t nentries;      /* entries handed out so far */
};

/* Free everything an entry or feed owns and zero it; the struct itself is
 * the caller's (they usually live on the stack or inside a parser). */
void entry_clear(struct entry *e);
void feed_clear(struct feed *f);

void wdate_clear(struct wdate *d);
void person_clear(struct person *p);

/* Append helpers: copy the strings given (NULL allowed). */
struct person *entry_add_author(struct entry *e);
struct person *feed_add_author(struct feed *f);
void entry_add_tag(struct entry *e, const char *term);
struct enclosure *entry_add_enclosure(struct entry *e);

#endif
