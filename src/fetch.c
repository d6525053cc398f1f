/* fetch.c — one transfer at a time over libcurl's easy interface. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <curl/curl.h>

#include "fetch.h"

int fetch_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		warnmsg("cannot start libcurl");
		return -1;
	}
	return 0;
}

void fetch_cleanup(void)
{
	curl_global_cleanup();
}

void fetch_res_clear(struct fetch_res *res)
{
	free(res->etag);
	free(res->last_modified);
	free(res->content_type);
	free(res->effective_url);
	free(res->error);
	buf_free(&res->body);
	memset(res, 0, sizeof *res);
}

struct sink {
	struct buf *b;
	size_t max;
	int over;
};

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t len = size * n;
	if (s->b->len + len > s->max) {
		s->over = 1;
		return 0;     /* CURLE_WRITE_ERROR: the cap, not the disk */
	}
	buf_add(s->b, p, len);
	return len;
}

static char *header(CURL *h, const char *name)
{
	struct curl_header *hd;
	if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) != CURLHE_OK)
		return NULL;
	return str_trim_dup(hd->value, strlen(hd->value));
}

static char *why(CURLcode rc, const char *detail, const struct sink *s)
{
	if (s->over)
		return xasprintf("body larger than %zu MiB", s->max >> 20);
	const char *base = curl_easy_strerror(rc);
	switch (rc) {
	case CURLE_PEER_FAILED_VERIFICATION:
		base = "TLS certificate problem";
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		base = "host not found";
		break;
	case CURLE_OPERATION_TIMEDOUT:
		base = "timed out";
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		return xstrdup("too many redirects (more than 5)");
	default:
		break;
	}
	if (detail && *detail)
		return xasprintf("%s: %s", base, detail);
	return xstrdup(base);
}

int fetch_url(const struct fetch_req *req, struct fetch_res *res)
{
	memset(res, 0, sizeof *res);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CURL *h = curl_easy_init();
	if (!h) {
		res->error = xstrdup("cannot start a transfer");
		return -1;
	}
	char errbuf[CURL_ERROR_SIZE] = "";
	struct sink s = {&res->body, req->max_body ? req->max_body
	                                            : FETCH_MAX_BODY, 0};
	int http = str_ihas_prefix(req->url, "http://") ||
	           str_ihas_prefix(req->url, "https://");
	struct curl_slist *hdrs = NULL;
	char *line;
	if (http && !str_empty(req->etag)) {
		line = xasprintf("If-None-Match: %s", req->etag);
		hdrs = curl_slist_append(hdrs, line);
		free(line);
	}
	if (http && !str_empty(req->last_modified)) {
		line = xasprintf("If-Modified-Since: %s", req->last_modified);
		hdrs = curl_slist_append(hdrs, line);
		free(line);
	}
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, WARTA_USER_AGENT);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 300L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 64L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 30L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	if (hdrs)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	if (req->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	CURLcode rc = curl_easy_perform(h);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->duration_ms = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000 +
	                   (t1.tv_nsec - t0.tv_nsec) / 1000000;
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	res->status = http ? status : 0;
	char *eff = NULL;
	curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff);
	res->effective_url = xstrdup(eff ? eff : req->url);
	int ret = 0;
	if (rc != CURLE_OK) {
		res->error = why(rc, errbuf, &s);
		ret = -1;
	} else if (http) {
		char *ct = NULL;
		curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
		res->content_type = xstrdup(ct);
		res->etag = header(h, "ETag");
		res->last_modified = header(h, "Last-Modified");
		curl_off_t ra = 0;
		if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK &&
		    ra > 0)
			res->retry_after = ra > LONG_MAX ? LONG_MAX : (long)ra;
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	return ret;
}

int fetch_is_url(const char *s)
{
	const char *p = s;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	return p[0] == ':' && p[1] == '/' && p[2] == '/';
}

char *fetch_local_url(const char *path)
{
	char *abs = realpath(path, NULL);
	if (!abs)
		return NULL;
	struct stat sb;
	if (stat(abs, &sb) != 0 || S_ISDIR(sb.st_mode)) {
		free(abs);
		errno = EISDIR;
		return NULL;
	}
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = {0};
	buf_puts(&b, "file://");
	for (const unsigned char *p = (const unsigned char *)abs; *p; p++) {
		unsigned c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("/-._~!$&'()*+,;=:@", (int)c)) {
			buf_putc(&b, (int)c);
		} else {
			buf_putc(&b, '%');
			buf_putc(&b, hex[c >> 4]);
			buf_putc(&b, hex[c & 15]);
		}
	}
	free(abs);
	return buf_steal(&b);
}
