/*
 * discover.h — where the feed of a web page is: the addresses to try, in
 * order, for `warta add` given a page instead of a feed. Pure functions
 * of the page's bytes and URL: nothing is fetched here (cmd_fetch.c tries
 * each address until one parses as a feed).
 *
 * discover_links reads the page with libxml2's HTML parser (no network,
 * no DTD, errors recovered) and returns the href of every
 * <link rel="alternate"> whose type is RSS, Atom, RDF or JSON Feed
 * (application/rss+xml, application/atom+xml, application/rdf+xml,
 * application/feed+json), resolved against <base href> and then the
 * page's URL, http(s) only, in document order, without duplicates.
 *
 * discover_guesses gives the places feeds usually live, from the site's
 * root first: /feed/ and /?feed=rss2 (WordPress), /rss.xml (Drupal and
 * others), /feeds/posts/default (Blogger), /?format=feed&type=rss
 * (Joomla); then the same relative to the page itself when it is not the
 * root. The page's own URL is never among them.
 *
 * Both return how many; *out is a malloc'd array of malloc'd strings
 * (NULL when none), freed with discover_free.
 */
#ifndef WARTA_DISCOVER_H
#define WARTA_DISCOVER_H

#include <stddef.h>

size_t discover_links(const char *html, size_t len, const char *page_url,
                      char ***out);
size_t discover_guesses(const char *page_url, char ***out);
void discover_free(char **v, size_t n);

#endif
