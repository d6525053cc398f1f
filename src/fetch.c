/* fetch.c — transfers over one libcurl multi handle; see fetch.h. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "digest.h"
#include "fetch.h"

/* What feed servers may answer with, best first; servers that negotiate
 * on Accept otherwise send their HTML page. */
#define ACCEPT "Accept: application/rss+xml, application/atom+xml, " \
	"application/feed+json, application/rdf+xml, application/xml;q=0.9, " \
	"text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"

static int inits;

int fetch_init(void)
{
	if (inits++ > 0)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		inits = 0;
		warnmsg("cannot start libcurl");
		return -1;
	}
	return 0;
}

void fetch_cleanup(void)
{
	if (inits > 0 && --inits == 0)
		curl_global_cleanup();
}

/* ---- limits -------------------------------------------------------------- */

static int parse_size(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end && *end != ',')
		return -1;
	*out = (size_t)v;
	return 0;
}

void fetch_limits_default(struct fetch_limits *l)
{
	l->connect_s = 30;
	l->total_s = 300;
	l->slow_bytes = 100;
	l->slow_s = 30;
	l->max_body = FETCH_MAX_BODY;
	const char *env = getenv("WARTA_FETCH_LIMITS");
	if (str_empty(env))
		return;
	char *copy = xstrdup(env), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		size_t v;
		if (!eq || parse_size(eq + 1, &v) < 0 || v == 0) {
			warnmsg("WARTA_FETCH_LIMITS: cannot read '%s' (want "
			        "connect=S,total=S,slow=S,slow-bytes=N,body=SIZE)",
			        tok);
			continue;
		}
		*eq = 0;
		long n = v > LONG_MAX ? LONG_MAX : (long)v;
		if (strcmp(tok, "connect") == 0)
			l->connect_s = n;
		else if (strcmp(tok, "total") == 0)
			l->total_s = n;
		else if (strcmp(tok, "slow") == 0)
			l->slow_s = n;
		else if (strcmp(tok, "slow-bytes") == 0)
			l->slow_bytes = n;
		else if (strcmp(tok, "body") == 0)
			l->max_body = v;
		else
			warnmsg("WARTA_FETCH_LIMITS: no limit '%s'", tok);
	}
	free(copy);
}

/* ---- results --------------------------------------------------------------- */

static void res_reset_answer(struct fetch_res *r)
{
	free(r->etag);
	free(r->last_modified);
	free(r->content_type);
	free(r->cache_control);
	free(r->retry_after);
	r->etag = r->last_modified = r->content_type = NULL;
	r->cache_control = r->retry_after = NULL;
	buf_reset(&r->mem);
	if (r->spill)
		fclose(r->spill);
	r->spill = NULL;
	r->bytes = 0;
	r->kept = 0;
	r->status = 0;
}

void fetch_res_clear(struct fetch_res *r)
{
	res_reset_answer(r);
	free(r->url);
	free(r->effective_url);
	free(r->error);
	for (int i = 0; i < r->nhops; i++)
		free(r->hops[i].to);
	buf_free(&r->mem);
	memset(r, 0, sizeof *r);
}

int fetch_body_each(struct fetch_res *r,
                    int (*cb)(void *ctx, const char *p, size_t n), void *ctx)
{
	if (!r->spill) {
		if (r->mem.len)
			return cb(ctx, r->mem.p, r->mem.len);
		return 0;
	}
	if (fflush(r->spill) != 0 || fseek(r->spill, 0, SEEK_SET) != 0)
		return -1;
	char chunk[64 * 1024];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, r->spill)) > 0) {
		int rc = cb(ctx, chunk, n);
		if (rc)
			return rc;
	}
	return ferror(r->spill) ? -1 : 0;
}

FILE *fetch_body_open(struct fetch_res *r)
{
	if (r->spill) {
		int fd = dup(fileno(r->spill));
		if (fd < 0 || fflush(r->spill) != 0)
			return NULL;
		FILE *fp = fdopen(fd, "rb");
		if (!fp) {
			close(fd);
			return NULL;
		}
		rewind(fp);
		return fp;
	}
	if (!r->mem.len)
		return fopen("/dev/null", "rb");
	return fmemopen(r->mem.p, r->mem.len, "rb");
}

int fetch_no_answer(const struct fetch_res *r)
{
	return r->fail == FETCH_E_RESOLVE || r->fail == FETCH_E_CONNECT;
}

/* ---- the words for a failure ------------------------------------------------- */

static const char *tls_words(long verify)
{
	/* OpenSSL's X509_V_ERR_* numbers (stable across versions) */
	switch (verify) {
	case 9: return "TLS certificate is not valid yet";
	case 10: return "TLS certificate has expired";
	case 18: return "TLS certificate is self-signed";
	case 19: return "TLS certificate chain ends in an untrusted root";
	case 2: case 20: case 21:
		return "TLS certificate chain is incomplete or from an "
		       "unknown authority";
	case 23: return "TLS certificate has been revoked";
	case 26: return "TLS certificate is not meant for a web server";
	case 62: return "TLS certificate is for another host name";
	default: return NULL;
	}
}

char *fetch_curl_words(int code, long os_errno, long verify,
                       const char *detail, const struct fetch_limits *l,
                       enum fetch_fail *kind)
{
	CURLcode rc = (CURLcode)code;
	const char *d = detail ? detail : "";
	*kind = FETCH_E_OTHER;
	switch (rc) {
	case CURLE_OK:
		*kind = FETCH_OK;
		return NULL;
	case CURLE_COULDNT_RESOLVE_HOST:
		*kind = FETCH_E_RESOLVE;
		return xstrdup("host not found (no DNS answer for its name)");
	case CURLE_COULDNT_RESOLVE_PROXY:
		*kind = FETCH_E_RESOLVE;
		return xstrdup("proxy host not found");
	case CURLE_COULDNT_CONNECT:
		*kind = FETCH_E_CONNECT;
		switch (os_errno) {
		case ECONNREFUSED: return xstrdup("connection refused");
		case ENETUNREACH: return xstrdup("network unreachable");
		case EHOSTUNREACH: return xstrdup("host unreachable");
		case ETIMEDOUT:
			return xasprintf("no connection after %ld s",
			                 l->connect_s);
		default: return xstrdup("could not connect");
		}
	case CURLE_OPERATION_TIMEDOUT:
		if (str_has_prefix(d, "Operation too slow")) {
			*kind = FETCH_E_SLOW;
			return xasprintf("too slow: under %ld bytes/s for %ld s",
			                 l->slow_bytes, l->slow_s);
		}
		if (str_has_prefix(d, "Resolving timed out")) {
			*kind = FETCH_E_RESOLVE;
			return xasprintf("host not found (no DNS answer in "
			                 "%ld s)", l->connect_s);
		}
		if (str_has_prefix(d, "Connection timed out") ||
		    str_has_prefix(d, "Failed to connect")) {
			*kind = FETCH_E_CONNECT;
			return xasprintf("no connection after %ld s",
			                 l->connect_s);
		}
		*kind = FETCH_E_TIMEOUT;
		return xasprintf("timed out after %ld s", l->total_s);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH: {
		*kind = FETCH_E_TLS;
		const char *w = tls_words(verify);
		if (!w && (strstr(d, "subject name") ||
		           strstr(d, "does not match target host")))
			w = "TLS certificate is for another host name";
		if (!w && strstr(d, "expired"))
			w = "TLS certificate has expired";
		if (!w && strstr(d, "self-signed"))
			w = "TLS certificate is self-signed";
		if (!w && strstr(d, "local issuer"))
			w = "TLS certificate chain is incomplete or from an "
			    "unknown authority";
		if (w)
			return xstrdup(w);
		return *d ? xasprintf("TLS certificate problem: %s", d)
		          : xstrdup("TLS certificate problem");
	}
	case CURLE_SSL_CONNECT_ERROR:
		*kind = FETCH_E_TLS;
		if (tls_words(verify))
			return xstrdup(tls_words(verify));
		return xstrdup("TLS handshake failed");
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		if (os_errno == ECONNRESET || os_errno == EPIPE ||
		    strstr(d, "reset by peer")) {
			*kind = FETCH_E_RESET;
			return xstrdup("connection reset");
		}
		return xstrdup(rc == CURLE_RECV_ERROR
		               ? "connection failed while receiving"
		               : "connection failed while sending");
	case CURLE_PARTIAL_FILE:
		*kind = FETCH_E_CUT;
		return xstrdup("body cut short (the connection closed before "
		               "its end)");
	case CURLE_GOT_NOTHING:
		*kind = FETCH_E_RESET;
		return xstrdup("the server closed the connection without "
		               "answering");
	case CURLE_FILESIZE_EXCEEDED:
		*kind = FETCH_E_TOO_BIG;
		return xasprintf("body larger than %zu MiB", l->max_body >> 20);
	case CURLE_BAD_CONTENT_ENCODING:
		return xstrdup("compressed body is damaged (Content-Encoding)");
	case CURLE_WEIRD_SERVER_REPLY:
		return xstrdup("not an HTTP answer");
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return xstrdup("HTTP/2 error");
	case CURLE_TOO_MANY_REDIRECTS:
		*kind = FETCH_E_REDIRECT;
		return xasprintf("too many redirects (more than %d)",
		                 FETCH_MAX_REDIRS);
	case CURLE_UNSUPPORTED_PROTOCOL:
		return xstrdup("unsupported URL scheme");
	case CURLE_URL_MALFORMAT:
		return xstrdup("not a valid URL");
	case CURLE_FILE_COULDNT_READ_FILE:
		return xstrdup("cannot read the file");
	case CURLE_READ_ERROR:
		return xstrdup("cannot read the file");
	default:
		break;
	}
	const char *base = curl_easy_strerror(rc);
	if (*d)
		return xasprintf("%s (%s)", base, d);
	return xstrdup(base);
}

/* ---- the fetcher ------------------------------------------------------------ */

/* A slot belongs to the caller while free, being started and once
 * handed out by fetcher_next(); to the transfer thread from the start
 * queue until the done queue. Both queues are under the mutex, so each
 * side sees what the other wrote. */
struct slot {
	struct fetcher *owner;
	CURL *h;
	int active;           /* caller's: a transfer is in flight or unread */
	uint64_t host;
	char *url;            /* this hop's URL */
	char *etag, *last_modified;
	int insecure;
	struct curl_slist *hdrs;
	char errbuf[CURL_ERROR_SIZE];
	struct sha256 sha;
	int over;             /* stopped at max_body */
	int spill_failed;     /* errno of the failed write, or 0 */
	int checked_status;   /* the write callback knows keep or drop */
	struct timespec t0;
	struct fetch_res res;
};

/* A ring of slots, first in first out: at most `nslots` are ever in one. */
struct ring {
	struct slot **s;
	int head, n;
};

struct fetcher {
	CURLM *multi;
	struct fetch_limits lim;
	int jobs;             /* transfers at once */
	int nslots;           /* as many again wait their turn (fetch.h) */
	int busy;             /* the caller's: slots started and not done */
	int running;          /* the thread's: transfers in the multi handle */
	struct slot *slots;
	atomic_llong bytes;
	const char *cainfo;
	/* The transfer thread drives the multi handle alone: reading the
	 * sockets, libcurl's work and the bodies' copies and hashes stay off
	 * the caller's thread (the archive writer, in a fetch run). */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;    /* a transfer is done, a wakeup, or stop */
	struct ring start, done;
	int woken;            /* fetcher_wakeup since the last fetcher_next */
	int stop;
};

static void ring_put(struct ring *q, int cap, struct slot *s)
{
	q->s[(q->head + q->n++) % cap] = s;
}

static struct slot *ring_take(struct ring *q, int cap)
{
	if (q->n == 0)
		return NULL;
	struct slot *s = q->s[q->head];
	q->head = (q->head + 1) % cap;
	q->n--;
	return s;
}

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
	struct slot *s = ctx;
	struct fetch_res *r = &s->res;
	size_t len = size * n;
	if (!s->checked_status) {
		long st = 0;
		curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &st);
		int is_file = str_ihas_prefix(s->url, "file:");
		r->kept = is_file || (st >= 200 && st < 300);
		s->checked_status = 1;
	}
	if ((uint64_t)r->bytes + len > s->owner->lim.max_body) {
		/* count up to the cap, so the log says where it stopped */
		size_t room = s->owner->lim.max_body - (size_t)r->bytes;
		r->bytes += (int64_t)room;
		atomic_fetch_add_explicit(&s->owner->bytes, (long long)room,
		                          memory_order_relaxed);
		s->over = 1;
		return 0;     /* CURLE_WRITE_ERROR: the cap, not the disk */
	}
	r->bytes += (int64_t)len;
	atomic_fetch_add_explicit(&s->owner->bytes, (long long)len,
	                          memory_order_relaxed);
	if (!r->kept)
		return len;
	sha256_update(&s->sha, p, len);
	if (!r->spill && r->mem.len + len > FETCH_MEM_BODY) {
		/* Past the memory share: the whole body goes to a file. */
		r->spill = tmpfile();
		if (!r->spill || (r->mem.len &&
		    fwrite(r->mem.p, 1, r->mem.len, r->spill) != r->mem.len)) {
			s->spill_failed = errno ? errno : EIO;
			return 0;
		}
		buf_free(&r->mem);
	}
	if (r->spill) {
		if (fwrite(p, 1, len, r->spill) != len) {
			s->spill_failed = errno ? errno : EIO;
			return 0;
		}
	} else {
		buf_add(&r->mem, p, len);
	}
	return len;
}

static void set_request(struct fetcher *f, struct slot *s)
{
	CURL *h = s->h;
	curl_easy_reset(h);
	s->errbuf[0] = 0;
	s->over = s->spill_failed = s->checked_status = 0;
	sha256_init(&s->sha);
	int file = str_ihas_prefix(s->url, "file:");
	curl_easy_setopt(h, CURLOPT_URL, s->url);
	curl_easy_setopt(h, CURLOPT_PRIVATE, s);
	/* an http feed never becomes a file read, nor anything else */
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, file ? "file"
	                                                : "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, WARTA_USER_AGENT);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION,
	                 (long)CURL_HTTP_VERSION_2TLS);
	/* Over TLS the handshake (ALPN) tells soon whether a connection can
	 * carry several transfers (HTTP/2): wait for that rather than open a
	 * second one. Plain http is HTTP/1.1 here, where waiting would only
	 * queue the second transfer behind the first. */
	if (str_ihas_prefix(s->url, "https:"))
		curl_easy_setopt(h, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, f->lim.connect_s);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, f->lim.total_s);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, f->lim.slow_bytes);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, f->lim.slow_s);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
	                 (curl_off_t)f->lim.max_body);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
	if (s->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	} else if (f->cainfo) {
		curl_easy_setopt(h, CURLOPT_CAINFO, f->cainfo);
	}
	curl_slist_free_all(s->hdrs);
	s->hdrs = NULL;
	if (!file) {
		char *line;
		s->hdrs = curl_slist_append(s->hdrs, ACCEPT);
		if (!str_empty(s->etag)) {
			line = xasprintf("If-None-Match: %s", s->etag);
			s->hdrs = curl_slist_append(s->hdrs, line);
			free(line);
		}
		if (!str_empty(s->last_modified)) {
			line = xasprintf("If-Modified-Since: %s",
			                 s->last_modified);
			s->hdrs = curl_slist_append(s->hdrs, line);
			free(line);
		}
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, s->hdrs);
	}
}

static void *run(void *arg);

struct fetcher *fetcher_new(int jobs, const struct fetch_limits *l)
{
	if (jobs < 1)
		jobs = 1;
	struct fetcher *f = xcalloc(1, sizeof *f);
	if (l)
		f->lim = *l;
	else
		fetch_limits_default(&f->lim);
	f->jobs = jobs;
	f->nslots = 2 * jobs;
	f->slots = xcalloc((size_t)f->nslots, sizeof *f->slots);
	f->start.s = xcalloc((size_t)f->nslots, sizeof *f->start.s);
	f->done.s = xcalloc((size_t)f->nslots, sizeof *f->done.s);
	f->cainfo = getenv("CURL_CA_BUNDLE");
	if (str_empty(f->cainfo))
		f->cainfo = NULL;
	f->multi = curl_multi_init();
	pthread_condattr_t ca;
	int cv = 0, mu = 0, th = 0;
	if (f->multi && pthread_condattr_init(&ca) == 0) {
		/* fetcher_next's timeout on the clock ms_since() reads */
		cv = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
		     pthread_cond_init(&f->cv, &ca) == 0;
		pthread_condattr_destroy(&ca);
	}
	mu = cv && pthread_mutex_init(&f->mu, NULL) == 0;
	if (mu) {
		curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
		                  (long)FETCH_PER_HOST);
		curl_multi_setopt(f->multi, CURLMOPT_PIPELINING,
		                  (long)CURLPIPE_MULTIPLEX);
		th = pthread_create(&f->thread, NULL, run, f) == 0;
	}
	if (!th) {
		if (mu)
			pthread_mutex_destroy(&f->mu);
		if (cv)
			pthread_cond_destroy(&f->cv);
		if (f->multi)
			curl_multi_cleanup(f->multi);
		free(f->start.s);
		free(f->done.s);
		free(f->slots);
		free(f);
		warnmsg("cannot start libcurl");
		return NULL;
	}
	return f;
}

void fetcher_free(struct fetcher *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->mu);
	f->stop = 1;
	pthread_mutex_unlock(&f->mu);
	curl_multi_wakeup(f->multi);
	pthread_join(f->thread, NULL);
	for (int i = 0; i < f->nslots; i++) {
		struct slot *s = &f->slots[i];
		if (s->h) {
			/* (a handle not in the multi handle: a no-op) */
			if (s->active)
				curl_multi_remove_handle(f->multi, s->h);
			curl_easy_cleanup(s->h);
		}
		curl_slist_free_all(s->hdrs);
		free(s->url);
		free(s->etag);
		free(s->last_modified);
		fetch_res_clear(&s->res);
	}
	curl_multi_cleanup(f->multi);
	pthread_cond_destroy(&f->cv);
	pthread_mutex_destroy(&f->mu);
	free(f->start.s);
	free(f->done.s);
	free(f->slots);
	free(f);
}

int fetcher_busy(const struct fetcher *f)
{
	return f->busy;
}

int fetcher_slots(const struct fetcher *f)
{
	return f->nslots;
}

int fetcher_host_busy(const struct fetcher *f, uint64_t host)
{
	int n = 0;
	for (int i = 0; i < f->nslots; i++)
		if (f->slots[i].active && f->slots[i].host == host)
			n++;
	return n;
}

int64_t fetcher_bytes(const struct fetcher *f)
{
	return atomic_load_explicit(&((struct fetcher *)f)->bytes,
	                            memory_order_relaxed);
}

static int add_handle(struct fetcher *f, struct slot *s)
{
	set_request(f, s);
	if (curl_multi_add_handle(f->multi, s->h) != CURLM_OK)
		return -1;
	return 0;
}

int fetcher_start(struct fetcher *f, const struct fetch_req *req)
{
	struct slot *s = NULL;
	for (int i = 0; i < f->nslots && !s; i++)
		if (!f->slots[i].active)
			s = &f->slots[i];
	if (!s)
		return -1;
	if (!s->h && !(s->h = curl_easy_init()))
		return -1;
	fetch_res_clear(&s->res);
	free(s->url);
	free(s->etag);
	free(s->last_modified);
	s->owner = f;
	s->url = xstrdup(req->url);
	s->etag = xstrdup(req->etag);
	s->last_modified = xstrdup(req->last_modified);
	s->insecure = req->insecure;
	s->host = fetch_host_key(req->url);
	s->res.user = req->user;
	s->res.url = xstrdup(req->url);
	s->active = 1;
	f->busy++;
	pthread_mutex_lock(&f->mu);
	ring_put(&f->start, f->nslots, s);
	pthread_mutex_unlock(&f->mu);
	curl_multi_wakeup(f->multi);
	return 0;
}

static char *header(CURL *h, const char *name)
{
	struct curl_header *hd;
	if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) != CURLHE_OK)
		return NULL;
	return str_trim_dup(hd->value, strlen(hd->value));
}

static void fail_with(struct fetch_res *r, enum fetch_fail kind, char *words)
{
	r->fail = kind;
	free(r->error);
	r->error = words;
}

/* Follow a redirect ourselves; 1 when the next hop was started, 0 when
 * the transfer is over (a final answer, or a redirect refused). */
static int follow(struct fetcher *f, struct slot *s)
{
	struct fetch_res *r = &s->res;
	long st = r->status;
	if (st != 301 && st != 302 && st != 303 && st != 307 && st != 308)
		return 0;
	char *to = NULL;
	curl_easy_getinfo(s->h, CURLINFO_REDIRECT_URL, &to);
	if (str_empty(to))
		return 0;     /* a 3xx without Location: the caller's HTTP error */
	if (!str_ihas_prefix(to, "http://") && !str_ihas_prefix(to, "https://")) {
		fail_with(r, FETCH_E_REDIRECT,
		          xasprintf("redirect to a URL warta does not follow "
		                    "(only http and https): %.200s", to));
		return 0;
	}
	int loop = str_eq(to, r->url);
	for (int i = 0; i < r->nhops && !loop; i++)
		loop = str_eq(to, r->hops[i].to);
	if (loop) {
		fail_with(r, FETCH_E_REDIRECT,
		          xasprintf("redirect loop (back to %.200s)", to));
		return 0;
	}
	if (r->nhops == FETCH_MAX_REDIRS) {
		fail_with(r, FETCH_E_REDIRECT,
		          xasprintf("too many redirects (more than %d)",
		                    FETCH_MAX_REDIRS));
		return 0;
	}
	r->hops[r->nhops].status = (int)st;
	r->hops[r->nhops].to = xstrdup(to);
	r->nhops++;
	free(s->url);
	s->url = xstrdup(to);
	curl_multi_remove_handle(f->multi, s->h);
	res_reset_answer(r);
	if (add_handle(f, s) < 0) {
		fail_with(r, FETCH_E_OTHER, xstrdup("cannot start a transfer"));
		return 0;
	}
	return 1;
}

/* A transfer (one hop) ended with rc: fill in the result. 1 when it goes
 * on (a redirect followed), 0 when it is finished. */
static int finish(struct fetcher *f, struct slot *s, CURLcode rc)
{
	struct fetch_res *r = &s->res;
	CURL *h = s->h;
	long st = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &st);
	int http = !str_ihas_prefix(s->url, "file:");
	r->status = http ? st : 0;
	if (rc == CURLE_OK && http) {
		r->etag = header(h, "ETag");
		r->last_modified = header(h, "Last-Modified");
		r->cache_control = header(h, "Cache-Control");
		r->retry_after = header(h, "Retry-After");
		char *ct = NULL;
		curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
		r->content_type = xstrdup(ct);
		if (follow(f, s))
			return 1;
	}
	r->duration_ms = ms_since(&s->t0);
	free(r->effective_url);
	r->effective_url = xstrdup(s->url);
	if (r->fail != FETCH_OK)
		return 0;     /* follow() said why */
	if (rc == CURLE_OK && !r->kept && (!http || (st >= 200 && st < 300)))
		r->kept = 1;  /* an empty 2xx body is a kept empty body */
	if (rc != CURLE_OK) {
		if (s->over) {
			fail_with(r, FETCH_E_TOO_BIG,
			          xasprintf("body larger than %zu MiB",
			                    f->lim.max_body >> 20));
		} else if (s->spill_failed) {
			fail_with(r, FETCH_E_OTHER,
			          xasprintf("cannot keep the body in a "
			                    "temporary file: %s",
			                    strerror(s->spill_failed)));
		} else {
			long os = 0, verify = 0;
			curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os);
			curl_easy_getinfo(h, CURLINFO_SSL_VERIFYRESULT, &verify);
			enum fetch_fail kind;
			char *w = fetch_curl_words(rc, os, verify, s->errbuf,
			                           &f->lim, &kind);
			fail_with(r, kind, w);
		}
		return 0;
	}
	sha256_final(&s->sha, r->sha256);
	return 0;
}

/* The transfer thread: adds what the caller started, moves every
 * transfer on, follows redirects and queues what finished, until told
 * to stop. It sleeps in curl_multi_poll, which curl_multi_wakeup ends
 * when a transfer is started or the fetcher freed. */
static void *run(void *arg)
{
	struct fetcher *f = arg;
	pthread_mutex_lock(&f->mu);
	while (!f->stop) {
		struct slot *s;
		while (f->running < f->jobs &&
		       (s = ring_take(&f->start, f->nslots))) {
			pthread_mutex_unlock(&f->mu);
			/* (its time and duration from here, not from its
			 * wait for a turn) */
			s->res.started = now_utc();
			clock_gettime(CLOCK_MONOTONIC, &s->t0);
			int added = add_handle(f, s) == 0;
			pthread_mutex_lock(&f->mu);
			if (added) {
				f->running++;
			} else {
				fail_with(&s->res, FETCH_E_OTHER,
				          xstrdup("cannot start a transfer"));
				ring_put(&f->done, f->nslots, s);
				pthread_cond_broadcast(&f->cv);
			}
		}
		pthread_mutex_unlock(&f->mu);
		int running = 0, left, ended = 0;
		curl_multi_perform(f->multi, &running);
		CURLMsg *m;
		while ((m = curl_multi_info_read(f->multi, &left))) {
			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
			                  (char **)&s);
			CURLcode rc = m->data.result;
			if (finish(f, s, rc))
				continue;     /* the next hop is on its way */
			curl_multi_remove_handle(f->multi, s->h);
			pthread_mutex_lock(&f->mu);
			f->running--;
			ring_put(&f->done, f->nslots, s);
			pthread_cond_broadcast(&f->cv);
			pthread_mutex_unlock(&f->mu);
			ended = 1;
		}
		/* (a transfer that ended makes room for one waiting) */
		if (!ended)
			curl_multi_poll(f->multi, NULL, 0, 1000, NULL);
		pthread_mutex_lock(&f->mu);
	}
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

struct fetch_res *fetcher_next(struct fetcher *f, int timeout_ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	if (timeout_ms > 0) {
		until.tv_sec += timeout_ms / 1000;
		until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
	}
	struct fetch_res *r = NULL;
	pthread_mutex_lock(&f->mu);
	for (;;) {
		struct slot *s = ring_take(&f->done, f->nslots);
		if (s) {
			r = &s->res;
			break;
		}
		if (f->busy == 0)
			break;
		if (f->woken) {
			f->woken = 0;
			break;
		}
		if (timeout_ms == 0)
			break;
		if (timeout_ms < 0)
			pthread_cond_wait(&f->cv, &f->mu);
		else if (pthread_cond_timedwait(&f->cv, &f->mu, &until) != 0)
			break;
	}
	pthread_mutex_unlock(&f->mu);
	return r;
}

void fetcher_wakeup(struct fetcher *f)
{
	pthread_mutex_lock(&f->mu);
	f->woken = 1;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

void fetcher_take(struct fetcher *f, struct fetch_res *r,
                  struct fetch_res *out)
{
	*out = *r;
	memset(r, 0, sizeof *r);  /* the strings, buffer and file move */
	fetcher_done(f, r);
}

void fetcher_done(struct fetcher *f, struct fetch_res *r)
{
	for (int i = 0; i < f->nslots; i++) {
		struct slot *s = &f->slots[i];
		if (&s->res == r && s->active) {
			s->active = 0;
			f->busy--;
			/* keep the handle (and its connection); drop the body
			 * now rather than when the slot is next used */
			fetch_res_clear(r);
			return;
		}
	}
}

int fetch_one(const struct fetch_limits *l, const struct fetch_req *req,
              struct fetch_res *out)
{
	memset(out, 0, sizeof *out);
	struct fetcher *f = fetcher_new(1, l);
	if (!f || fetcher_start(f, req) < 0) {
		fetcher_free(f);
		out->url = xstrdup(req->url);
		out->fail = FETCH_E_OTHER;
		out->error = xstrdup("cannot start a transfer");
		return -1;
	}
	struct fetch_res *r;
	while (!(r = fetcher_next(f, -1)) && fetcher_busy(f))
		;
	if (r) {
		*out = *r;    /* hand over everything the result owns */
		memset(r, 0, sizeof *r);
	} else {
		out->url = xstrdup(req->url);
		out->fail = FETCH_E_OTHER;
		out->error = xstrdup("the transfer did not finish");
	}
	fetcher_free(f);
	return out->fail == FETCH_OK ? 0 : -1;
}

FILE *fetch_open_url(const char *url, struct fetch_res *res)
{
	struct fetch_req req = {.url = url};
	FILE *fp = NULL;
	if (fetch_init() < 0) {
		memset(res, 0, sizeof *res);
		return NULL;
	}
	if (fetch_one(NULL, &req, res) < 0)
		warnmsg("%s: %s", url, res->error);
	else if (res->status && (res->status < 200 || res->status >= 300))
		warnmsg("%s: HTTP %ld", url, res->status);
	else if (!(fp = fetch_body_open(res)))
		warnmsg("%s: cannot read the body back: %s", url,
		        strerror(errno));
	fetch_cleanup();
	return fp;
}

/* ---- URLs -------------------------------------------------------------------- */

uint64_t fetch_host_key(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL;
	uint64_t h = 0;
	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME)
	         == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host) {
		curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
		/* FNV-1a over "host:port", host in lower case */
		h = 1469598103934665603ULL;
		for (const char *p = host; *p; p++) {
			unsigned char c = (unsigned char)*p;
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
			h = (h ^ c) * 1099511628211ULL;
		}
		h = (h ^ ':') * 1099511628211ULL;
		for (const char *p = port ? port : ""; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		if (!h)
			h = 1;
	}
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return h;
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
