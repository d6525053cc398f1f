/*
 * curlload.c — the libcurl functions warta calls, forwarded to libcurl
 * once it is loaded (see curlload.h for why).
 *
 * Each wrapper has libcurl's own prototype from <curl/curl.h>, so the
 * compiler checks every one against the header in use (written against
 * 7.88, Debian 12's; a header whose prototype differs fails to compile
 * here, which is where to follow it). The three variadic setters read
 * their argument by the type libcurl itself reads it as: an option's
 * number says it (CURLOPTTYPE_* ranges of 10,000).
 */
#define CURL_DISABLE_TYPECHECK  /* the setters are functions here */
#include <curl/curl.h>
#include <stdarg.h>
#include <stdlib.h>

#include "curlload.h"
#include "util.h"

#define CURL_FUNCS(X)                                                     \
	X(curl_global_init) X(curl_global_cleanup) X(curl_free)           \
	X(curl_easy_strerror) X(curl_url) X(curl_url_cleanup)             \
	X(curl_url_get) X(curl_url_set) X(curl_slist_append)              \
	X(curl_slist_free_all) X(curl_easy_init) X(curl_easy_cleanup)     \
	X(curl_easy_reset) X(curl_easy_setopt) X(curl_easy_getinfo)       \
	X(curl_easy_header) X(curl_multi_init) X(curl_multi_cleanup)      \
	X(curl_multi_add_handle) X(curl_multi_remove_handle)              \
	X(curl_multi_setopt) X(curl_multi_perform) X(curl_multi_poll)     \
	X(curl_multi_info_read) X(curl_multi_wakeup)

static struct {
#define MEMBER(name) __typeof__(&name) name;
	CURL_FUNCS(MEMBER)
#undef MEMBER
} fn;
static void *lib;

static void load(void)
{
	if (lib)
		return;
	void *h = dl_open_or_exit(CURLLOAD_SONAME, "libcurl", "libcurl4");
#define LOOKUP(name)                                                      \
	fn.name = (__typeof__(&name))dl_sym_or_exit(h, CURLLOAD_SONAME,   \
	                                            #name,                \
	                                            "libcurl 7.84 or later");
	CURL_FUNCS(LOOKUP)
#undef LOOKUP
	lib = h;
}

CURLcode curl_global_init(long flags)
{
	load();
	return fn.curl_global_init(flags);
}

void curl_global_cleanup(void)
{
	if (lib)  /* nothing to clean up in a libcurl never loaded */
		fn.curl_global_cleanup();
}

void curl_free(void *p)
{
	if (p) {  /* only libcurl's own strings, so it is loaded */
		load();
		fn.curl_free(p);
	}
}

const char *curl_easy_strerror(CURLcode code)
{
	load();
	return fn.curl_easy_strerror(code);
}

CURLU *curl_url(void)
{
	load();
	return fn.curl_url();
}

void curl_url_cleanup(CURLU *u)
{
	if (u) {
		load();
		fn.curl_url_cleanup(u);
	}
}

CURLUcode curl_url_get(CURLU *u, CURLUPart what, char **part,
                       unsigned int flags)
{
	load();
	return fn.curl_url_get(u, what, part, flags);
}

CURLUcode curl_url_set(CURLU *u, CURLUPart what, const char *part,
                       unsigned int flags)
{
	load();
	return fn.curl_url_set(u, what, part, flags);
}

struct curl_slist *curl_slist_append(struct curl_slist *list,
                                     const char *s)
{
	load();
	return fn.curl_slist_append(list, s);
}

void curl_slist_free_all(struct curl_slist *list)
{
	if (list) {
		load();
		fn.curl_slist_free_all(list);
	}
}

CURL *curl_easy_init(void)
{
	load();
	return fn.curl_easy_init();
}

void curl_easy_cleanup(CURL *h)
{
	if (h) {
		load();
		fn.curl_easy_cleanup(h);
	}
}

void curl_easy_reset(CURL *h)
{
	load();
	fn.curl_easy_reset(h);
}

/* An option's argument as libcurl's curl_vsetopt reads it. */
#define FORWARD_OPTION(call, opt, ap)                                     \
	((opt) < CURLOPTTYPE_OBJECTPOINT ? call(va_arg(ap, long)) :       \
	 (opt) < CURLOPTTYPE_FUNCTIONPOINT ? call(va_arg(ap, void *)) :   \
	 (opt) < CURLOPTTYPE_OFF_T ? call(va_arg(ap, void (*)(void))) :   \
	 (opt) < CURLOPTTYPE_BLOB ? call(va_arg(ap, curl_off_t)) :        \
	 call(va_arg(ap, void *)))

CURLcode curl_easy_setopt(CURL *h, CURLoption opt, ...)
{
	load();
	va_list ap;
	va_start(ap, opt);
#define CALL(arg) fn.curl_easy_setopt(h, opt, arg)
	CURLcode rc = FORWARD_OPTION(CALL, opt, ap);
#undef CALL
	va_end(ap);
	return rc;
}

CURLMcode curl_multi_setopt(CURLM *m, CURLMoption opt, ...)
{
	load();
	va_list ap;
	va_start(ap, opt);
#define CALL(arg) fn.curl_multi_setopt(m, opt, arg)
	CURLMcode rc = FORWARD_OPTION(CALL, opt, ap);
#undef CALL
	va_end(ap);
	return rc;
}

/* Every CURLINFO_* takes a pointer to where the answer goes. */
CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
	load();
	va_list ap;
	va_start(ap, info);
	void *out = va_arg(ap, void *);
	va_end(ap);
	return fn.curl_easy_getinfo(h, info, out);
}

CURLHcode curl_easy_header(CURL *h, const char *name, size_t index,
                           unsigned int origin, int request,
                           struct curl_header **hout)
{
	load();
	return fn.curl_easy_header(h, name, index, origin, request, hout);
}

CURLM *curl_multi_init(void)
{
	load();
	return fn.curl_multi_init();
}

CURLMcode curl_multi_cleanup(CURLM *m)
{
	load();
	return fn.curl_multi_cleanup(m);
}

CURLMcode curl_multi_add_handle(CURLM *m, CURL *h)
{
	load();
	return fn.curl_multi_add_handle(m, h);
}

CURLMcode curl_multi_remove_handle(CURLM *m, CURL *h)
{
	load();
	return fn.curl_multi_remove_handle(m, h);
}

CURLMcode curl_multi_perform(CURLM *m, int *running)
{
	load();
	return fn.curl_multi_perform(m, running);
}

CURLMcode curl_multi_poll(CURLM *m, struct curl_waitfd extra[],
                          unsigned int nextra, int timeout_ms, int *ret)
{
	load();
	return fn.curl_multi_poll(m, extra, nextra, timeout_ms, ret);
}

CURLMcode curl_multi_wakeup(CURLM *m)
{
	load();
	return fn.curl_multi_wakeup(m);
}

CURLMsg *curl_multi_info_read(CURLM *m, int *left)
{
	load();
	return fn.curl_multi_info_read(m, left);
}
