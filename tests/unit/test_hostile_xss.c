/* test_hostile_xss.c — the sanitiser against attacks: the kinds the
 * sanitize section of feedparser's corpus covers (script in its forms,
 * applet, embed, object, frames, meta, link, style, blink, on* handlers,
 * comments hiding script), written anew here, and a list of our own
 * (javascript: in every URL attribute, data: URLs, SVG with script and
 * animation, CSS expression(), entity-encoded and split schemes). Each
 * vector goes through both of html.c's paths (libxml2's parser and the
 * fast tokeniser) and through html_sanitize_xhtml, and the output is
 * judged by xss_oracle.h, the same judge the fuzzer uses; a vector may
 * also name text that must survive (a sanitiser that drops everything
 * would pass otherwise). */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "t.h"
#include "../fuzz/xss_oracle.h"

struct vec {
	const char *html;
	const char *keep;     /* must still be in the output, or NULL */
};

static const struct vec vectors[] = {
	/* script, in every way it comes */
	{"aman<script>alert(1)</script> isi", "isi"},
	{"aman<SCRIPT SRC=//evil.example/x.js></SCRIPT> isi", "isi"},
	{"<script><![CDATA[alert(1)]]></script>isi", "isi"},
	{"<scr<script>ipt>alert(1)</script>isi", NULL},
	{"<script\n>alert(1)</script\n>isi", NULL},
	{"<!-- <script>alert(1)</script> -->isi", "isi"},
	{"<!--[if gte IE 4]><script>alert(1)</script><![endif]-->isi", "isi"},
	{"<p>a</p><!-- --><script>x</script><!-- -->", "a"},
	/* things that load or embed */
	{"<applet code=Evil.class></applet>isi", "isi"},
	{"<embed src=\"http://evil.example/x.swf\">isi", "isi"},
	{"<object data=\"http://evil.example/x\"><param name=a>"
	 "</object>isi", "isi"},
	{"<iframe src=\"http://evil.example/\"></iframe>isi", "isi"},
	{"<frameset><frame src=\"http://evil.example/\"></frameset>isi", NULL},
	{"<meta http-equiv=\"refresh\" content=\"0;url=javascript:x\">isi",
	 "isi"},
	{"<link rel=stylesheet href=\"http://evil.example/x.css\">isi", "isi"},
	{"<base href=\"javascript:alert(1)//\"><a href=\"x\">isi</a>", "isi"},
	{"<style>body{background:url(javascript:x)}</style>isi", "isi"},
	{"<blink>isi</blink>", "isi"},
	{"<form action=\"http://evil.example/\"><input name=q>"
	 "<button formaction=\"javascript:x\">b</button></form>isi", "isi"},
	/* handlers */
	{"<img src=\"a.png\" onerror=\"alert(1)\">", "a.png"},
	{"<p onclick=alert(1) ONMOUSEOVER='x' title=t>isi</p>", "isi"},
	{"<body onload=alert(1)>isi</body>", "isi"},
	{"<a href=\"/x\" onfocus=\"x\" autofocus>isi</a>", "isi"},
	{"<svg onload=alert(1)><circle r=1 /></svg>", NULL},
	{"<img src=x \"onerror=alert(1)\">", NULL},
	{"<img/src=x/onerror=alert(1)>", NULL},
	/* javascript: in every URL attribute */
	{"<a href=\"javascript:alert(1)\">isi</a>", "isi"},
	{"<img src=\"javascript:alert(1)\">isi", "isi"},
	{"<img lowsrc=\"javascript:x\" dynsrc=\"javascript:x\">isi", "isi"},
	{"<table background=\"javascript:x\"><tr><td background=\"javascript:"
	 "x\">isi</td></tr></table>", "isi"},
	{"<blockquote cite=\"javascript:x\">isi</blockquote>", "isi"},
	{"<q cite=\"javascript:x\">isi</q><del cite=\"javascript:x\">d</del>",
	 "isi"},
	{"<img src=a.png longdesc=\"javascript:x\" usemap=\"javascript:x\">",
	 "a.png"},
	{"<video poster=\"javascript:x\" src=\"javascript:x\"></video>isi",
	 "isi"},
	{"<area href=\"javascript:x\"><input src=\"javascript:x\">isi", "isi"},
	{"<a href=\"vbscript:msgbox(1)\">isi</a>", "isi"},
	{"<a href=\"livescript:x\">isi</a><a href=\"mocha:x\">m</a>", "isi"},
	/* disguised schemes */
	{"<a href=\"JaVaScRiPt:alert(1)\">isi</a>", "isi"},
	{"<a href=\" \tjavascript:alert(1)\">isi</a>", "isi"},
	{"<a href=\"java\tscript:alert(1)\">isi</a>", "isi"},
	{"<a href=\"java\nscript:alert(1)\">isi</a>", "isi"},
	{"<a href=\"java&#x09;script:alert(1)\">isi</a>", "isi"},
	{"<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;"
	 "&#58;alert(1)\">isi</a>", "isi"},
	{"<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;"
	 "&#x74;&#x3A;alert(1)\">isi</a>", "isi"},
	{"<a href=\"&#0000106&#0000097vascript:alert(1)\">isi</a>", "isi"},
	{"<a href=\"javascript&colon;alert(1)\">isi</a>", "isi"},
	{"<a href=\"jav&Tab;ascript:alert(1)\">isi</a>", "isi"},
	{"<a href=\"javascript&#58alert(1)\">isi</a>", "isi"},
	{"<a href=\"\x01javascript:alert(1)\">isi</a>", "isi"},
	/* data: URLs */
	{"<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
	 "\">isi</a>", "isi"},
	{"<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">isi", "isi"},
	{"<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>"
	 "isi", "isi"},
	{"<object data=\"data:text/html,x\"></object>isi", "isi"},
	/* SVG and MathML */
	{"<svg><script>alert(1)</script><text>isi</text></svg>", NULL},
	{"<svg><script xlink:href=\"data:,alert(1)\"></script></svg>isi",
	 "isi"},
	{"<svg><a xlink:href=\"javascript:alert(1)\"><text>isi</text></a>"
	 "</svg>", NULL},
	{"<svg><animate attributeName=\"href\" values=\"javascript:alert(1)\""
	 "/><a><text>isi</text></a></svg>", NULL},
	{"<svg><set attributeName=\"xlink:href\" to=\"javascript:x\"/></svg>"
	 "isi", "isi"},
	{"<svg><use href=\"data:image/svg+xml,<svg id=x onload=alert(1)>\"/>"
	 "</svg>isi", "isi"},
	{"<svg><foreignObject><iframe src=\"javascript:x\"></iframe>"
	 "</foreignObject></svg>isi", "isi"},
	{"<math><maction actiontype=\"statusline\" xlink:href=\"javascript:x\">"
	 "isi</maction></math>", "isi"},
	{"<math href=\"javascript:x\"><mi>isi</mi></math>", "isi"},
	/* CSS */
	{"<p style=\"width: expression(alert(1))\">isi</p>", "isi"},
	{"<p style=\"width: EXPRESSION(alert(1))\">isi</p>", "isi"},
	{"<p style=\"width: exp/**/ression(alert(1))\">isi</p>", "isi"},
	{"<p style=\"width: e\\78pression(alert(1))\">isi</p>", "isi"},
	{"<p style=\"width: &#101;xpression(alert(1))\">isi</p>", "isi"},
	{"<p style=\"background: url(javascript:alert(1))\">isi</p>", "isi"},
	{"<p style=\"background-image: url('http://evil.example/t.gif')\">"
	 "isi</p>", "isi"},
	{"<p style=\"behavior: url(x.htc)\">isi</p>", "isi"},
	{"<p style=\"-moz-binding: url(http://evil.example/x.xml#x)\">isi</p>",
	 "isi"},
	{"<p style=\"color: red; @import 'http://evil.example/x.css';\">isi</p>",
	 "isi"},
	{"<p style=\"color: red; background: url(&#x6a;avascript:x)\">isi</p>",
	 "isi"},
	/* safe content stays */
	{"<p style=\"color: red; text-align: center\">isi</p>", "color: red"},
	{"<a href=\"https://kota.example.go.id/berita/?p=1&amp;q=2\">isi</a>",
	 "href=\"https://kota.example.go.id/berita/?p=1&amp;q=2\""},
	{"<img src=\"/wp-content/uploads/foto.jpg\" alt=\"Foto\">", "foto.jpg"},
};

static void check_one(const char *html, const char *keep, int xhtml)
{
	char why[256];
	char *out = xhtml ? html_sanitize_xhtml(html, strlen(html), NULL)
	                  : html_sanitize(html, strlen(html),
	                                  "https://kota.example.go.id/");
	const char *bad = xss_find(out, why, sizeof why);
	if (bad)
		t_fail(__FILE__, __LINE__, "%s (path %d%s): %s in %s", html,
		       html_force_path, xhtml ? ", xhtml" : "", bad, out);
	/* the fast tokeniser alone (-1) declines untidy markup: empty */
	if (keep && !strstr(out, keep) && !(html_force_path == -1 && !*out))
		t_fail(__FILE__, __LINE__, "%s (path %d): \"%s\" lost: %s",
		       html, html_force_path, keep, out);
	/* what is stored is sanitised again on the way out: still safe */
	char *again = html_sanitize(out, strlen(out), NULL);
	if (xss_find(again, why, sizeof why))
		t_fail(__FILE__, __LINE__, "%s: unsafe after a second pass: "
		       "%s in %s", html, why, again);
	free(again);
	free(out);
}

TEST(hostile_xss_vectors)
{
	static const int paths[] = {0, 1, -1};
	for (size_t p = 0; p < sizeof paths / sizeof paths[0]; p++) {
		html_force_path = paths[p];
		for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++)
			check_one(vectors[i].html, vectors[i].keep, 0);
	}
	html_force_path = 0;
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++)
		check_one(vectors[i].html, NULL, 1);
}

/* The judge itself must see what it is there to see, or the test above
 * proves nothing. */
TEST(hostile_xss_oracle_sees_attacks)
{
	char why[256];
	CHECK(xss_find("<script>x</script>", why, sizeof why));
	CHECK(xss_find("<a href=\"&#106;avascript:x\">", why, sizeof why));
	CHECK(xss_find("<img src=x onerror=y>", why, sizeof why));
	CHECK(xss_find("<p style=\"width:&#101;xpression(1)\">", why,
	               sizeof why));
	CHECK(xss_find("<svg><a xlink:href=\"data:text/html,x\">", why,
	               sizeof why));
	CHECK(!xss_find("<p>&lt;script&gt; <a href=\"http://a/\">x</a></p>",
	                why, sizeof why));
	CHECK(!xss_find("<!-- <script> -->", why, sizeof why));
	/* CSS: what acts, not the words anywhere (fuzz_html found
	 * "color: #00binding8" flagged; tests/fuzz/regress/html/) */
	CHECK(xss_find("<p style=\"-moz-binding:url(x)\">", why, sizeof why));
	CHECK(xss_find("<p style=\"COLOR:red;Behavior : x\">", why,
	               sizeof why));
	CHECK(xss_find("<p style=\"-ms-behavior:x\">", why, sizeof why));
	CHECK(xss_find("<p style=\"width:exp/**/ression (1)\">", why,
	               sizeof why));
	CHECK(xss_find("<p style=\"x:javascript&#58;y\">", why, sizeof why));
	/* "/ *" opens no comment, so the behavior after it counts */
	CHECK(xss_find("<p style=\"a: / * ; behavior: x */\">", why,
	               sizeof why));
	CHECK(xss_find("<p style=\"background: red url(x.png)\">", why,
	               sizeof why));
	CHECK(xss_find("<p style=\"width: 1px expression(1)\">", why,
	               sizeof why));
	CHECK(!xss_find("<span style=\"color: #00binding8;\">", why,
	                sizeof why));
	CHECK(!xss_find("<p style=\"width: exprwiurl( )expresslert(1);\">",
	                why, sizeof why));
	CHECK(!xss_find("<p style=\"font-family: behavior, expression; "
	                "content-binding: 1\">", why, sizeof why));
}
