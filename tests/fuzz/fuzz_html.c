/*
 * fuzz_html.c — the HTML sanitiser, html_to_text and url_resolve.
 *
 * Input: byte 0 picks the base URL and the mode (HTML or XHTML), the
 * rest is markup; its first line is also tried as a URL reference.
 * (Form controls without a form are harmless and feedparser keeps them;
 * the form itself must go.)
 * Beyond "no crash, valid UTF-8 out" (html.h), the sanitised output is
 * read back tag by tag as a browser would start to, and must hold no
 * element that runs code or loads a frame, no on* handler, and no URL
 * attribute that url_is_safe refuses: a fuzzer-found XSS aborts.
 */
#include <ctype.h>
#include <strings.h>

#include "fuzz.h"

#include "html.h"

static const char *const bases[] = {
	NULL, "https://diskominfo.example.go.id/2025/12/berita/",
	"http://example.com/", "javascript:alert(1)//", "data:text/html,x",
};

static const char *const bad_elements[] = {
	"script", "iframe", "frame", "frameset", "object", "embed", "applet",
	"form", "style", "meta", "link", "base", "template", NULL,
};

/* Attributes whose value is a URL a browser follows or loads. */
static const char *const url_attrs[] = {
	"href", "src", "action", "formaction", "background", "cite",
	"codebase", "data", "dynsrc", "lowsrc", "longdesc", "poster",
	"usemap", "profile", "xlink:href", "srcset", "manifest", "icon",
	"xml:base", NULL,
};

static int in_list(const char *const *l, const char *s, size_t n)
{
	for (; *l; l++)
		if (strlen(*l) == n && strncasecmp(*l, s, n) == 0)
			return 1;
	return 0;
}

static size_t name_len(const char *s, const char *end)
{
	size_t n = 0;
	while (s + n < end && !isspace((unsigned char)s[n]) && s[n] != '>' &&
	       s[n] != '/' && s[n] != '=')
		n++;
	return n;
}

/* CSS that runs code or fetches: expression(), url(), behavior,
 * -moz-binding, @import, and backslash escapes that would hide them,
 * after the character references a browser decodes in the attribute. */
static void check_style(const char *v, size_t n, const char *all)
{
	char d[4096];
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < sizeof d; i++) {
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
		if (c == 0 || isspace(c))
			continue;
		d[k++] = (char)tolower(c);
	}
	d[k] = 0;
	static const char *const bad[] = {
		"expression", "url(", "behavior", "binding", "@import",
		"javascript", "\\", NULL,
	};
	for (const char *const *b = bad; *b; b++)
		FUZZ_ASSERT(!strstr(d, *b), "style with %s in %s", *b, all);
}

static void check_tag(const char *p, const char *end, const char *all)
{
	size_t n = name_len(p, end);
	FUZZ_ASSERT(!in_list(bad_elements, p, n), "<%.*s> in %s", (int)n, p,
	            all);
	p += n;
	while (p < end) {
		while (p < end && (isspace((unsigned char)*p) || *p == '/'))
			p++;
		if (p >= end)
			break;
		const char *an = p;
		size_t al = name_len(p, end);
		if (!al) {
			p++;
			continue;
		}
		p += al;
		FUZZ_ASSERT(!(al > 2 && strncasecmp(an, "on", 2) == 0),
		            "handler %.*s in %s", (int)al, an, all);
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
		if (al == 5 && strncasecmp(an, "style", 5) == 0)
			check_style(v, vl, all);
		if (in_list(url_attrs, an, al))
			FUZZ_ASSERT(url_is_safe(v, vl), "%.*s=\"%.*s\" in %s",
			            (int)al, an, (int)vl, v, all);
	}
}

/* Walk the output as a browser's tokenizer would: text, comments, tags
 * with quoted attribute values. */
static void check_safe(const char *s)
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
		check_tag(p, q, s);
		p = q;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 256 * 1024)
		return 0;
	const char *base = bases[(data[0] & 0x7f) %
	                         (sizeof bases / sizeof bases[0])];
	int xhtml = data[0] >> 7;
	/* exact-size copy: a read past the end is ASan's to see */
	size_t len = size - 1;
	char *html = malloc(len ? len : 1);
	if (!html)
		abort();
	memcpy(html, data + 1, len);

	char *out = xhtml ? html_sanitize_xhtml(html, len, base)
	                  : html_sanitize(html, len, base);
	FUZZ_ASSERT(out, "sanitize gave NULL");
	size_t ol = strlen(out);
	FUZZ_ASSERT(fuzz_utf8_ok(out, ol), "sanitized output is not UTF-8");
	check_safe(out);
	/* what is stored is sanitised again on export: it must stay safe */
	char *again = html_sanitize(out, ol, NULL);
	check_safe(again);
	free(again);
	free(out);

	char *text = html_to_text(html, len);
	FUZZ_ASSERT(text, "html_to_text gave NULL");
	FUZZ_ASSERT(fuzz_utf8_ok(text, strlen(text)), "text is not UTF-8");
	free(text);

	size_t nl = 0;
	while (nl < len && html[nl] != '\n' && nl < 2048)
		nl++;
	char *ref = fuzz_cstr((const uint8_t *)html, nl);
	char *u = url_resolve(base, ref);
	FUZZ_ASSERT(u, "url_resolve gave NULL for a string");
	free(u);
	free(url_resolve(ref, "../x?a=1&b=2#f"));
	(void)url_is_safe(ref, nl);
	free(ref);
	free(html);
	return 0;
}
