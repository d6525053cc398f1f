/*
 * fuzz_http.c — HTTP answers as the fetcher sees them, then what warta
 * does with one: the schedule's readers of Cache-Control, Retry-After and
 * redirect hops, and the body through the parser with the answer's
 * Content-Type and URL.
 *
 * Input: byte 0 picks the mode. Even: the rest is split at newlines into
 * header values handed straight to sched_max_age, sched_retry_after and
 * sched_decide (fast: no socket). Odd: the rest is the whole answer,
 * status line, headers and body, sent by a server thread on 127.0.0.1 to
 * fetch_one() over a real libcurl transfer, closing the connection after
 * it; then the result is judged as cmd_fetch does.
 *
 * Only 127.0.0.1 is ever reached: in the answer's headers (after the
 * status line) every "http" becomes "htxp" and every "//" and backslash
 * is broken up, so a Location can only be relative (to this server) or
 * a scheme the fetcher refuses, and http_proxy points at this server
 * too, in case.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"

#include "fetch.h"
#include "parse.h"
#include "schedule.h"

static int lfd = -1;
static int port;
static struct fetch_limits lim;

/* What the server thread sends next (the main thread sets it before each
 * transfer; one transfer at a time). */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char *answer;
static size_t answer_len;

static void *serve(void *arg)
{
	(void)arg;
	for (;;) {
		int c = accept(lfd, NULL, NULL);
		if (c < 0)
			continue;
		char req[4096];
		/* read the request's head (or what comes), then answer */
		ssize_t r = recv(c, req, sizeof req, 0);
		(void)r;
		pthread_mutex_lock(&mu);
		size_t off = 0;
		while (off < answer_len) {
			ssize_t w = send(c, answer + off, answer_len - off,
			                 MSG_NOSIGNAL);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		pthread_mutex_unlock(&mu);
		shutdown(c, SHUT_WR);
		close(c);
	}
	return NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {0};
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t sl = sizeof sa;
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    listen(lfd, 64) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &sl) < 0)
		abort();
	port = ntohs(sa.sin_port);
	char proxy[64];
	snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", port);
	setenv("http_proxy", proxy, 1);
	setenv("HTTPS_PROXY", proxy, 1);
	setenv("https_proxy", proxy, 1);
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
	pthread_t t;
	if (pthread_create(&t, NULL, serve, NULL) != 0)
		abort();
	pthread_detach(t);
	if (fetch_init() < 0)
		abort();
	fetch_limits_default(&lim);
	lim.connect_s = 2;
	lim.total_s = 3;
	lim.slow_s = 2;
	lim.max_body = (size_t)1 << 20;
	return 0;
}

/* The head of the answer made unable to send the fetcher elsewhere. */
static void defang(char *s, size_t n)
{
	size_t head = n;
	for (size_t i = 0; i + 3 < n; i++) {
		if (!memcmp(s + i, "\r\n\r\n", 4) ||
		    !memcmp(s + i, "\n\n", 2)) {
			head = i;
			break;
		}
	}
	/* from the second line: the status line's "HTTP/1.1" must stay */
	size_t from = 0;
	while (from < head && s[from] != '\n')
		from++;
	for (size_t i = from; i < head; i++) {
		if (i + 4 <= head && strncasecmp(s + i, "http", 4) == 0)
			s[i + 2] = 'x';
		if (s[i] == '/' && i + 1 < head && s[i + 1] == '/')
			s[i + 1] = '_';
		if (s[i] == '\\')
			s[i] = '_';
	}
}

static int no_entry(void *ctx, const struct feed *f, struct entry *e)
{
	(void)f, (void)e;
	(*(long *)ctx)++;
	return 0;
}

struct body {
	struct parser *p;
	size_t n;
};

static int body_chunk(void *ctx, const char *p, size_t n)
{
	struct body *b = ctx;
	b->n += n;
	parser_push(b->p, p, n);
	return 0;
}

static void judge(struct fetch_res *r, int64_t now)
{
	int64_t v, max_age = -1, retry = -1;
	if (r->cache_control && sched_max_age(r->cache_control, &v)) {
		FUZZ_ASSERT(v >= 0, "negative max-age %lld", (long long)v);
		max_age = v;
	}
	if (r->retry_after && sched_retry_after(r->retry_after, now, &v)) {
		FUZZ_ASSERT(v >= 0, "negative Retry-After %lld", (long long)v);
		retry = v;
	}
	FUZZ_ASSERT(r->nhops >= 0 && r->nhops <= FETCH_MAX_REDIRS,
	            "%d hops", r->nhops);
	const char *moved = sched_moved_to(r->hops, r->nhops);
	struct sched_feed sf = {0, 3, 0, moved, 2};
	struct sched_in si = {now, r->status == 429 ? SCHED_THROTTLED
	                           : r->status == 410 ? SCHED_GONE
	                           : r->fail ? SCHED_FAILED : SCHED_FEED,
	                      3600, max_age, retry, moved};
	struct sched_out so;
	sched_decide(&sf, &si, &so);
	FUZZ_ASSERT(so.gone || (so.next_due >= now + SCHED_MIN &&
	                        so.next_due <= now + SCHED_MAX),
	            "next due in %lld s", (long long)(so.next_due - now));
	if (r->fail != FETCH_OK) {
		FUZZ_ASSERT(r->error && *r->error && !strchr(r->error, '\n'),
		            "a failure without one line of words: %s",
		            r->error ? r->error : "(null)");
		return;
	}
	if (!r->kept)
		return;
	long n = 0;
	struct parse_opts po = {r->effective_url, r->content_type};
	struct body b = {parser_new(&po, no_entry, &n), 0};
	FUZZ_ASSERT(fetch_body_each(r, body_chunk, &b) == 0, "body unread");
	FUZZ_ASSERT((int64_t)b.n == r->bytes, "%zu body bytes of %lld",
	            b.n, (long long)r->bytes);
	FUZZ_ASSERT(b.n <= lim.max_body, "body past the cap: %zu", b.n);
	parser_finish(b.p);
	parser_free(b.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 256 * 1024)
		return 0;
	int64_t now = 1764642600;
	if (!(data[0] & 1)) {
		/* header values alone: Cache-Control, Retry-After */
		char *s = fuzz_cstr(data + 1, size - 1);
		char *nl = strchr(s, '\n');
		char *second = nl ? (*nl = 0, nl + 1) : s;
		int64_t v;
		if (sched_max_age(s, &v))
			FUZZ_ASSERT(v >= 0, "negative max-age");
		/* schedule.h promises seconds >= 0, however far off;
		 * sched_decide is what must keep the due time in range */
		if (sched_retry_after(second, now, &v)) {
			FUZZ_ASSERT(v >= 0, "Retry-After %lld", (long long)v);
			struct sched_feed sf = {0, 3, 0, NULL, 0};
			struct sched_in si = {now, SCHED_THROTTLED, 3600, -1,
			                      v, NULL};
			struct sched_out so;
			sched_decide(&sf, &si, &so);
			FUZZ_ASSERT(so.next_due >= now + SCHED_MIN &&
			            so.next_due <= now + SCHED_MAX,
			            "Retry-After %lld: next due in %lld s",
			            (long long)v, (long long)(so.next_due - now));
		}
		struct fetch_hop hops[2] = {{301, s}, {308, second}};
		(void)sched_moved_to(hops, 2);
		free(s);
		return 0;
	}
	char *a = malloc(size);
	if (!a)
		abort();
	memcpy(a, data + 1, size - 1);
	defang(a, size - 1);
	pthread_mutex_lock(&mu);
	free(answer);
	answer = a;
	answer_len = size - 1;
	pthread_mutex_unlock(&mu);

	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/feed/", port);
	struct fetch_req req = {url, (data[0] & 2) ? "\"v1\"" : NULL,
	                        (data[0] & 4) ? "Tue, 02 Dec 2025 03:30:00 GMT"
	                                      : NULL, 0, NULL};
	struct fetch_res res;
	fetch_one(&lim, &req, &res);
	judge(&res, now);
	fetch_res_clear(&res);
	return 0;
}
