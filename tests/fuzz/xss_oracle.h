/*
 * xss_oracle.h — is this sanitised HTML safe to show? Shared by the
 * sanitiser's fuzz target and the XSS unit test (test_hostile_xss.c).
 *
 * xss_find walks the markup as a browser's tokenizer starts to (text,
 * comments, tags with quoted attribute values) and returns NULL when it
 * holds nothing that runs code or loads a frame, else a reason in why:
 * an element of bad_elements, an on* handler, a URL attribute that
 * url_is_safe refuses, CSS that runs or fetches (expression(), url(),
 * a behavior or -moz-binding property, javascript:, @import, backslash
 * escapes), after the character references a browser decodes in an
 * attribute.
 */
#ifndef WARTA_XSS_ORACLE_H
#define WARTA_XSS_ORACLE_H

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "html.h"

/* Form controls without a form are harmless, and feedparser keeps them
 * (and noscript); the form itself must go. */
static const char *const xss_bad_elements[] = {
	"script", "iframe", "frame", "frameset", "object", "embed", "applet",
	"form", "style", "meta", "link", "base", "template", NULL,
};

/* Attributes whose value is a URL a browser follows or loads. */
static const char *const xss_url_attrs[] = {
	"href", "src", "action", "formaction", "background", "cite",
	"codebase", "data", "dynsrc", "lowsrc", "longdesc", "poster",
	"usemap", "profile", "xlink:href", "srcset", "manifest", "icon",
	"xml:base", NULL,
};

static int xss_in(const char *const *l, const char *s, size_t n)
{
	for (; *l; l++)
		if (strlen(*l) == n && strncasecmp(*l, s, n) == 0)
			return 1;
	return 0;
}

static size_t xss_name(const char *s, const char *end)
{
	size_t n = 0;
	while (s + n < end && !isspace((unsigned char)s[n]) && s[n] != '>' &&
	       s[n] != '/' && s[n] != '=')
		n++;
	return n;
}

/* Word w in d as a whole CSS name (not the tail of a longer one:
 * "#00binding8", "exprwiurl(" are harmless; a vendor prefix before it
 * still counts, "-ms-behavior"), then, past any spaces, next: ':' after
 * a property or a scheme, '(' after a function. */
static int xss_css_has(const char *d, const char *w, char next)
{
	size_t n = strlen(w);
	for (const char *h = d; (h = strstr(h, w)); h++) {
		unsigned b = h > d ? (unsigned char)h[-1] : ' ';
		if (isalnum(b) || b == '_')
			continue;
		const char *a = h + n;
		while (*a == ' ')
			a++;
		if (*a == next)
			return 1;
	}
	return 0;
}

/* What in a style attribute runs code or fetches: a behavior or
 * -moz-binding property, expression(…), a javascript: URL, url(…),
 * @import, and any backslash escape (which could spell the others).
 * Read after the character references a browser decodes, without case
 * or comments ("exp/ ** /ression(" worked in IE). A value that merely
 * contains one of the words ("color: #00binding8", "exprwiurl( )") is
 * harmless. */
static int xss_style(const char *v, size_t n, char *why, size_t whysz)
{
	char r[4096], d[4096];
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < sizeof r; i++) {
		unsigned c = (unsigned char)v[i];
		if (c == '&' && i + 2 < n && v[i + 1] == '#') {
			size_t j = i + 2;
			int hex = j < n && (v[j] == 'x' || v[j] == 'X');
			unsigned long cp = 0;
			j += (size_t)hex;
			while (j < n && (hex ? isxdigit((unsigned char)v[j])
			                     : isdigit((unsigned char)v[j]))) {
				int dg = isdigit((unsigned char)v[j])
				         ? v[j] - '0'
				         : (tolower((unsigned char)v[j]) - 'a' + 10);
				if (cp < 0x110000)
					cp = cp * (hex ? 16 : 10) + (unsigned)dg;
				j++;
			}
			if (j < n && v[j] == ';')
				j++;
			c = cp < 0x80 ? (unsigned)cp : '?';
			i = j - 1;
		}
		if (c)
			r[k++] = (char)tolower(c);
	}
	r[k] = 0;
	/* then comments go (after decoding: "&#47;*" opens one too), as
	 * IE dropped them, and white space becomes one space, which still
	 * ends a word ("red url(" is a url) */
	size_t m = 0;
	for (size_t i = 0; i < k; i++) {
		if (r[i] == '/' && r[i + 1] == '*') {
			const char *e = strstr(r + i + 2, "*/");
			if (!e)
				break;
			i = (size_t)(e - r) + 1;
			continue;
		}
		if (isspace((unsigned char)r[i])) {
			if (m && d[m - 1] != ' ')
				d[m++] = ' ';
		} else {
			d[m++] = r[i];
		}
	}
	k = m;
	d[k] = 0;
	static const struct {
		const char *word;
		char next;       /* what must follow; 0: anywhere */
	} bad[] = {
		{"behavior", ':'}, {"-moz-binding", ':'},
		{"expression", '('}, {"javascript", ':'}, {"url", '('},
		{"@import", 0}, {"\\", 0},
	};
	for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
		if (bad[b].next ? xss_css_has(d, bad[b].word, bad[b].next)
		                : strstr(d, bad[b].word) != NULL) {
			snprintf(why, whysz, "style with %s%.1s", bad[b].word,
			         &bad[b].next);
			return 1;
		}
	}
	return 0;
}

static int xss_tag(const char *p, const char *end, char *why, size_t whysz)
{
	size_t n = xss_name(p, end);
	if (xss_in(xss_bad_elements, p, n)) {
		snprintf(why, whysz, "element <%.*s>", (int)n, p);
		return 1;
	}
	p += n;
	while (p < end) {
		while (p < end && (isspace((unsigned char)*p) || *p == '/'))
			p++;
		if (p >= end)
			break;
		const char *an = p;
		size_t al = xss_name(p, end);
		if (!al) {
			p++;
			continue;
		}
		p += al;
		if (al > 2 && strncasecmp(an, "on", 2) == 0) {
			snprintf(why, whysz, "handler %.*s", (int)al, an);
			return 1;
		}
		const char *v = "";
		size_t vl = 0;
		if (p < end && *p == '=') {
			p++;
			char q = (p < end && (*p == '"' || *p == '\'')) ? *p++ : 0;
			v = p;
			while (p < end && (q ? *p != q :
			                   !isspace((unsigned char)*p)))
				p++;
			vl = (size_t)(p - v);
			if (q && p < end)
				p++;
		}
		if (al == 5 && strncasecmp(an, "style", 5) == 0 &&
		    xss_style(v, vl, why, whysz))
			return 1;
		if (xss_in(xss_url_attrs, an, al) && !url_is_safe(v, vl)) {
			snprintf(why, whysz, "%.*s=\"%.*s\"", (int)al, an,
			         (int)(vl > 60 ? 60 : vl), v);
			return 1;
		}
	}
	return 0;
}

static const char *xss_find(const char *s, char *why, size_t whysz)
{
	const char *p = s;
	while ((p = strchr(p, '<'))) {
		if (strncmp(p, "<!--", 4) == 0) {
			const char *e = strstr(p + 4, "-->");
			if (!e)
				break;
			p = e + 3;
			continue;
		}
		p++;
		if (*p == '/')
			p++;
		if (!isalpha((unsigned char)*p))
			continue;
		const char *q = p;
		char quote = 0;
		while (*q && (quote || *q != '>')) {
			if (quote && *q == quote)
				quote = 0;
			else if (!quote && (*q == '"' || *q == '\'') &&
			         q > p && q[-1] == '=')
				quote = *q;
			q++;
		}
		if (xss_tag(p, q, why, whysz))
			return why;
		p = q;
	}
	return NULL;
}

#endif
