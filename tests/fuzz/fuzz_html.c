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
#include "fuzz.h"

#include "html.h"
#include "xss_oracle.h"

static const char *const bases[] = {
	NULL, "https://diskominfo.example.go.id/2025/12/berita/",
	"http://example.com/", "javascript:alert(1)//", "data:text/html,x",
};

static void check_safe(const char *s)
{
	char why[256];
	FUZZ_ASSERT(!xss_find(s, why, sizeof why), "%s in %s", why, s);
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
