/* feed.c — constructors and destructors of the normalised model. */
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "util.h"

void wdate_clear(struct wdate *d)
{
	free(d->raw);
	memset(d, 0, sizeof *d);
}

void person_clear(struct person *p)
{
	free(p->name);
	free(p->email);
	free(p->url);
	memset(p, 0, sizeof *p);
}

static void people_free(struct person *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		person_clear(&v[i]);
	free(v);
}

void entry_clear(struct entry *e)
{
	free(e->id);
	free(e->link);
	free(e->title);
	free(e->summary);
	free(e->content);
	free(e->comments);
	free(e->language);
	wdate_clear(&e->published);
	wdate_clear(&e->updated);
	people_free(e->authors, e->nauthors);
	for (size_t i = 0; i < e->ntags; i++)
		free(e->tags[i]);
	free(e->tags);
	for (size_t i = 0; i < e->nenclosures; i++) {
		free(e->enclosures[i].url);
		free(e->enclosures[i].type);
	}
	free(e->enclosures);
	free(e->source.id);
	free(e->source.title);
	free(e->source.url);
	free(e->source.link);
	wdate_clear(&e->source.updated);
	free(e->source.json);
	memset(e, 0, sizeof *e);
}

void feed_clear(struct feed *f)
{
	free(f->version);
	free(f->bozo_msg);
	free(f->encoding);
	free(f->title);
	free(f->link);
	free(f->self);
	free(f->next);
	free(f->subtitle);
	free(f->language);
	free(f->icon);
	free(f->logo);
	free(f->id);
	free(f->rights);
	free(f->generator);
	wdate_clear(&f->updated);
	wdate_clear(&f->published);
	people_free(f->authors, f->nauthors);
	memset(f, 0, sizeof *f);
}

static struct person *add_person(struct person **v, size_t *n)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	memset(&(*v)[*n], 0, sizeof **v);
	return &(*v)[(*n)++];
}

struct person *entry_add_author(struct entry *e)
{
	return add_person(&e->authors, &e->nauthors);
}

struct person *feed_add_author(struct feed *f)
{
	return add_person(&f->authors, &f->nauthors);
}

void entry_add_tag(struct entry *e, const char *term)
{
	e->tags = xrealloc(e->tags, (e->ntags + 1) * sizeof *e->tags);
	e->tags[e->ntags++] = xstrdup(term);
}

struct enclosure *entry_add_enclosure(struct entry *e)
{
	e->enclosures = xrealloc(e->enclosures,
	                         (e->nenclosures + 1) * sizeof *e->enclosures);
	struct enclosure *enc = &e->enclosures[e->nenclosures++];
	memset(enc, 0, sizeof *enc);
	enc->length = -1;
	return enc;
}
