/* test_fetch.c — the fetcher over real HTTP on 127.0.0.1 (a small server
 * in a thread of this test), over file://, the words it gives for each
 * failure, per-host keys, and the fetch lock. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "t.h"
#include "digest.h"
#include "fetch.h"
#include "lock.h"
#include "util.h"

/* ---- a small HTTP/1.1 server: one thread per connection, one answer
 * per connection ----------------------------------------------------- */

struct srv {
	int fd, port;
	pthread_t th;
	volatile int stop;
	pthread_mutex_t mu;
	char last[4096];      /* the last request's head */
	int requests;
};

static void send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void answer(int fd, const char *status, const char *headers,
                   const char *body, size_t blen)
{
	char head[512];
	int n = snprintf(head, sizeof head, "HTTP/1.1 %s\r\nContent-Length: "
	                 "%zu\r\nConnection: close\r\n%s\r\n", status, blen,
	                 headers);
	send_all(fd, head, (size_t)n);
	send_all(fd, body, blen);
}

struct conn {
	struct srv *s;
	int fd;
};

static void *serve_one(void *arg)
{
	struct conn *c = arg;
	char req[4096] = "";
	size_t got = 0;
	while (got < sizeof req - 1 && !strstr(req, "\r\n\r\n")) {
		ssize_t r = recv(c->fd, req + got, sizeof req - 1 - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
		req[got] = 0;
	}
	req[got] = 0;
	pthread_mutex_lock(&c->s->mu);
	snprintf(c->s->last, sizeof c->s->last, "%s", req);
	c->s->requests++;
	pthread_mutex_unlock(&c->s->mu);
	char path[256] = "";
	sscanf(req, "GET %255s", path);
	if (strcmp(path, "/feed") == 0) {
		if (strstr(req, "If-None-Match: \"e1\""))
			answer(c->fd, "304 Not Modified", "ETag: \"e1\"\r\n", "",
			       0);
		else
			answer(c->fd, "200 OK", "ETag: \"e1\"\r\nContent-Type: "
			       "application/rss+xml\r\nCache-Control: max-age=60"
			       "\r\n", "hello", 5);
	} else if (strcmp(path, "/p1") == 0) {
		answer(c->fd, "301 Moved Permanently", "Location: /p2\r\n", "",
		       0);
	} else if (strcmp(path, "/p2") == 0) {
		answer(c->fd, "308 Permanent Redirect", "Location: p3\r\n",
		       "moved", 5);
	} else if (strcmp(path, "/p3") == 0) {
		answer(c->fd, "302 Found", "Location: /feed\r\n", "", 0);
	} else if (strcmp(path, "/loop") == 0) {
		answer(c->fd, "302 Found", "Location: /loop\r\n", "", 0);
	} else if (strcmp(path, "/big") == 0) {
		size_t n = (size_t)3 << 20;
		char *b = xmalloc(n);
		memset(b, 'x', n);
		answer(c->fd, "200 OK", "", b, n);
		free(b);
	} else if (strncmp(path, "/slow", 5) == 0) {
		usleep(300 * 1000);
		answer(c->fd, "200 OK", "", "slow", 4);
	} else if (strcmp(path, "/err") == 0) {
		answer(c->fd, "500 Internal Server Error", "", "oops", 4);
	} else {
		answer(c->fd, "404 Not Found", "", "no", 2);
	}
	close(c->fd);
	free(c);
	return NULL;
}

static void *serve(void *arg)
{
	struct srv *s = arg;
	while (!s->stop) {
		struct pollfd p = {s->fd, POLLIN, 0};
		if (poll(&p, 1, 50) <= 0)
			continue;
		int fd = accept(s->fd, NULL, NULL);
		if (fd < 0)
			continue;
		struct conn *c = xmalloc(sizeof *c);
		c->s = s;
		c->fd = fd;
		pthread_t t;
		if (pthread_create(&t, NULL, serve_one, c) == 0)
			pthread_detach(t);
		else {
			close(fd);
			free(c);
		}
	}
	return NULL;
}

static int srv_start(struct srv *s)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->mu, NULL);
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    listen(s->fd, 64) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&a, &len) < 0)
		return -1;
	s->port = ntohs(a.sin_port);
	return pthread_create(&s->th, NULL, serve, s) == 0 ? 0 : -1;
}

static void srv_stop(struct srv *s)
{
	s->stop = 1;
	pthread_join(s->th, NULL);
	close(s->fd);
	usleep(20 * 1000);    /* let the detached answers finish */
}

static char *url(const struct srv *s, const char *path)
{
	return xasprintf("http://127.0.0.1:%d%s", s->port, path);
}

/* ---- transfers ------------------------------------------------------- */

TEST(fetch_follows_redirects_and_records_each_hop)
{
	struct srv s;
	CHECK(srv_start(&s) == 0);
	CHECK(fetch_init() == 0);
	char *u = url(&s, "/p1"), *end = url(&s, "/feed");
	struct fetch_req req = {.url = u};
	struct fetch_res r;
	int rc = fetch_one(NULL, &req, &r);
	srv_stop(&s);
	CHECK_INT(rc, 0);
	CHECK_INT(r.status, 200);
	CHECK_INT(r.nhops, 3);
	CHECK_INT(r.hops[0].status, 301);
	CHECK_INT(r.hops[1].status, 308);
	CHECK_INT(r.hops[2].status, 302);
	CHECK_CONTAINS(r.hops[1].to, "/p3");
	CHECK_STR(r.hops[2].to, end);
	CHECK_STR(r.effective_url, end);
	CHECK_STR(r.url, u);
	CHECK_STR(r.etag, "\"e1\"");
	CHECK_STR(r.cache_control, "max-age=60");
	CHECK_STR(r.content_type, "application/rss+xml");
	CHECK(r.kept && r.spill == NULL);
	CHECK_INT(r.bytes, 5);
	CHECK_INT(r.mem.len, 5);
	CHECK(memcmp(r.mem.p, "hello", 5) == 0);
	unsigned char h[32];
	sha256("hello", 5, h);
	CHECK(memcmp(h, r.sha256, 32) == 0);
	fetch_res_clear(&r);
	fetch_cleanup();
	free(u);
	free(end);
}

TEST(fetch_sends_validators_and_reads_304)
{
	struct srv s;
	CHECK(srv_start(&s) == 0);
	CHECK(fetch_init() == 0);
	char *u = url(&s, "/feed");
	struct fetch_req req = {.url = u, .etag = "\"e1\"",
	                        .last_modified = "Tue, 02 Dec 2025 02:00:00 GMT"};
	struct fetch_res r;
	CHECK_INT(fetch_one(NULL, &req, &r), 0);
	char last[4096];
	pthread_mutex_lock(&s.mu);
	memcpy(last, s.last, sizeof last);
	pthread_mutex_unlock(&s.mu);
	srv_stop(&s);
	CHECK_INT(r.status, 304);
	CHECK(!r.kept);
	CHECK_INT(r.bytes, 0);
	CHECK_CONTAINS(last, "If-None-Match: \"e1\"\r\n");
	CHECK_CONTAINS(last, "If-Modified-Since: Tue, 02 Dec 2025 02:00:00 "
	                     "GMT\r\n");
	CHECK_CONTAINS(last, "User-Agent: " WARTA_USER_AGENT "\r\n");
	CHECK_CONTAINS(last, "Accept-Encoding: ");
	CHECK_CONTAINS(last, "gzip");
	fetch_res_clear(&r);
	free(u);
	fetch_cleanup();
}

TEST(fetch_error_answers_are_answers_with_their_body_dropped)
{
	struct srv s;
	CHECK(srv_start(&s) == 0);
	CHECK(fetch_init() == 0);
	char *u = url(&s, "/err");
	struct fetch_req req = {.url = u};
	struct fetch_res r;
	CHECK_INT(fetch_one(NULL, &req, &r), 0);
	CHECK_INT(r.fail, FETCH_OK);
	CHECK_INT(r.status, 500);
	CHECK(!r.kept);
	CHECK_INT(r.bytes, 4);
	CHECK_INT(r.mem.len, 0);
	fetch_res_clear(&r);
	free(u);
	u = url(&s, "/loop");
	req.url = u;
	CHECK_INT(fetch_one(NULL, &req, &r), -1);
	srv_stop(&s);
	CHECK_INT(r.fail, FETCH_E_REDIRECT);
	CHECK_CONTAINS(r.error, "redirect loop");
	fetch_res_clear(&r);
	free(u);
	fetch_cleanup();
}

static int count_bytes(void *ctx, const char *p, size_t n)
{
	size_t *sum = ctx;
	for (size_t i = 0; i < n; i++)
		if (p[i] != 'x')
			return 1;
	*sum += n;
	return 0;
}

TEST(fetch_big_body_goes_to_a_file_and_the_cap_holds)
{
	struct srv s;
	CHECK(srv_start(&s) == 0);
	CHECK(fetch_init() == 0);
	char *u = url(&s, "/big");
	struct fetch_req req = {.url = u};
	struct fetch_res r;
	CHECK_INT(fetch_one(NULL, &req, &r), 0);
	CHECK(r.spill != NULL);
	CHECK_INT(r.mem.len, 0);
	CHECK_INT(r.bytes, 3 << 20);
	size_t sum = 0;
	CHECK_INT(fetch_body_each(&r, count_bytes, &sum), 0);
	CHECK_INT(sum, 3 << 20);
	sum = 0;     /* and again: the file is read from its start */
	CHECK_INT(fetch_body_each(&r, count_bytes, &sum), 0);
	CHECK_INT(sum, 3 << 20);
	FILE *fp = fetch_body_open(&r);
	CHECK(fp != NULL);
	fseek(fp, 0, SEEK_END);
	CHECK_INT(ftell(fp), 3 << 20);
	fclose(fp);
	fetch_res_clear(&r);
	struct fetch_limits l;
	fetch_limits_default(&l);
	l.max_body = 1 << 20;
	CHECK_INT(fetch_one(&l, &req, &r), -1);
	srv_stop(&s);
	CHECK_INT(r.fail, FETCH_E_TOO_BIG);
	CHECK_STR(r.error, "body larger than 1 MiB");
	CHECK(r.bytes <= 1 << 20);
	fetch_res_clear(&r);
	free(u);
	fetch_cleanup();
}

TEST(fetcher_runs_jobs_at_once_and_reuses_its_slots)
{
	struct srv s;
	CHECK(srv_start(&s) == 0);
	CHECK(fetch_init() == 0);
	struct fetcher *f = fetcher_new(3, NULL);
	CHECK(f != NULL);
	CHECK_INT(fetcher_slots(f), 6);  /* 3 at once, 3 waiting their turn */
	char *urls[9];
	int seen[9] = {0};
	int started = 0, done = 0;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 9; i++)
		urls[i] = xasprintf("http://127.0.0.1:%d/slow%d", s.port, i);
	while (done < 9) {
		while (started < 9 && fetcher_busy(f) < fetcher_slots(f)) {
			struct fetch_req req = {.url = urls[started],
			                        .user = &seen[started]};
			CHECK_INT(fetcher_start(f, &req), 0);
			started++;
		}
		if (started < 9) {
			/* full: a seventh is refused */
			struct fetch_req extra = {.url = urls[0]};
			CHECK_INT(fetcher_start(f, &extra), -1);
		}
		CHECK_INT(fetcher_host_busy(f, fetch_host_key(urls[0])),
		          fetcher_busy(f));
		struct fetch_res *r = fetcher_next(f, -1);
		if (!r)
			continue;
		CHECK_INT(r->status, 200);
		(*(int *)r->user)++;
		fetcher_done(f, r);
		done++;
	}
	int64_t ms = ms_since(&t0);
	CHECK(fetcher_next(f, 0) == NULL);
	CHECK_INT(fetcher_busy(f), 0);
	CHECK_INT(fetcher_bytes(f), 9 * 4);
	fetcher_free(f);
	srv_stop(&s);
	for (int i = 0; i < 9; i++) {
		CHECK_INT(seen[i], 1);
		free(urls[i]);
	}
	/* three rounds of 300 ms: concurrent, and never more than 3 */
	CHECK(ms >= 850);
	if (ms >= 2700) t_fail(__FILE__, __LINE__, "took %lld ms", (long long)ms);
	fetch_cleanup();
}

/* Two 300 ms transfers (slowA, slowB) for a fetcher of one at a time. */
struct one_by_one {
	struct srv s;
	struct fetcher *f;
	char *a, *b;
	struct fetch_req ra, rb;
};

static int one_by_one_start(struct one_by_one *t)
{
	if (srv_start(&t->s) != 0 || fetch_init() != 0 ||
	    !(t->f = fetcher_new(1, NULL)))
		return -1;
	t->a = xasprintf("http://127.0.0.1:%d/slowA", t->s.port);
	t->b = xasprintf("http://127.0.0.1:%d/slowB", t->s.port);
	t->ra = (struct fetch_req){.url = t->a};
	t->rb = (struct fetch_req){.url = t->b};
	return 0;
}

static void one_by_one_end(struct one_by_one *t)
{
	fetcher_free(t->f);
	srv_stop(&t->s);
	free(t->a);
	free(t->b);
	fetch_cleanup();
}

/* A transfer that waits for its turn (past `jobs`) is timed from when
 * it is sent: its duration and start are its own, not the queue's. */
TEST(fetcher_times_a_transfer_from_its_turn)
{
	struct one_by_one t;
	CHECK(one_by_one_start(&t) == 0);
	int64_t before = now_utc();
	CHECK_INT(fetcher_start(t.f, &t.ra), 0);
	CHECK_INT(fetcher_start(t.f, &t.rb), 0);   /* waits: one at a time */
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int64_t ms[2] = {0, 0};
	for (int n = 0; n < 2;) {
		struct fetch_res *r = fetcher_next(t.f, -1);
		if (!r)
			continue;
		n++;
		CHECK_INT(r->status, 200);
		CHECK(r->started >= before && r->started <= now_utc());
		ms[str_eq(r->url, t.b)] = r->duration_ms;
		fetcher_done(t.f, r);
	}
	CHECK(ms_since(&t0) >= 550);       /* one after the other */
	/* the server takes 300 ms each: B alone, not B after A (as slow
	 * a machine as it may be, the two alike) */
	CHECK(ms[0] >= 250 && ms[1] >= 250);
	if (ms[1] > ms[0] + 150)
		t_fail(__FILE__, __LINE__, "B took %lld ms, A %lld",
		       (long long)ms[1], (long long)ms[0]);
	one_by_one_end(&t);
}

/* What fetch does while it archives a feed: the result is taken out of
 * its slot (the slot is free at once), and the fetcher's thread keeps
 * the other transfers going with no call from the caller at all. */
TEST(fetcher_take_frees_the_slot_and_transfers_move_on_meanwhile)
{
	struct one_by_one t;
	CHECK(one_by_one_start(&t) == 0);
	CHECK_INT(fetcher_start(t.f, &t.ra), 0);
	struct fetch_res *r = fetcher_next(t.f, -1);
	CHECK(r != NULL);
	struct fetch_res mine;
	fetcher_take(t.f, r, &mine);
	CHECK_INT(fetcher_busy(t.f), 0);
	/* the slot takes the next transfer while the first is kept */
	CHECK_INT(fetcher_start(t.f, &t.rb), 0);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (ms_since(&t0) < 1500) {   /* "archiving" (the server: 300 ms) */
		struct timespec nap = {0, 10 * 1000 * 1000};
		nanosleep(&nap, NULL);
	}
	/* done already: handed out without waiting */
	r = fetcher_next(t.f, 0);
	CHECK(r != NULL);
	if (r) {
		CHECK_STR(r->url, t.b);
		CHECK_INT(r->status, 200);
		fetcher_done(t.f, r);
	}
	CHECK_STR(mine.url, t.a);
	CHECK_INT(mine.status, 200);
	CHECK_INT((long)mine.mem.len, 4);
	CHECK(memcmp(mine.mem.p, "slow", 4) == 0);
	fetch_res_clear(&mine);
	one_by_one_end(&t);
}

TEST(fetch_reads_local_files)
{
	CHECK(fetch_init() == 0);
	char *path = xasprintf("%s/feed.xml", t_tmpdir());
	FILE *fp = fopen(path, "w");
	CHECK(fp != NULL);
	fputs("<rss/>", fp);
	fclose(fp);
	char *u = fetch_local_url(path);
	CHECK(u && str_has_prefix(u, "file:///"));
	struct fetch_req req = {.url = u, .etag = "\"never sent\""};
	struct fetch_res r;
	CHECK_INT(fetch_one(NULL, &req, &r), 0);
	CHECK_INT(r.status, 0);
	CHECK(r.kept);
	CHECK_INT(r.mem.len, 6);
	fetch_res_clear(&r);
	char *missing = xasprintf("file://%s/none.xml", t_tmpdir());
	req.url = missing;
	CHECK_INT(fetch_one(NULL, &req, &r), -1);
	CHECK_STR(r.error, "cannot read the file");
	CHECK(!fetch_no_answer(&r));
	fetch_res_clear(&r);
	CHECK(fetch_local_url("/no/such/file.xml") == NULL);
	free(missing);
	free(u);
	free(path);
	fetch_cleanup();
}

TEST(fetch_refused_connection_is_no_answer)
{
	CHECK(fetch_init() == 0);
	/* a port that was just free: nobody listens there */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	CHECK(bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
	CHECK(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
	close(fd);
	char *u = xasprintf("http://127.0.0.1:%d/feed", ntohs(a.sin_port));
	struct fetch_req req = {.url = u};
	struct fetch_res r;
	CHECK_INT(fetch_one(NULL, &req, &r), -1);
	CHECK_INT(r.fail, FETCH_E_CONNECT);
	CHECK_STR(r.error, "connection refused");
	CHECK(fetch_no_answer(&r));
	fetch_res_clear(&r);
	free(u);
	fetch_cleanup();
}

/* ---- words ------------------------------------------------------------ */

static char *w(int rc, long os, long verify, const char *detail,
               enum fetch_fail *k)
{
	struct fetch_limits l;
	fetch_limits_default(&l);
	return fetch_curl_words(rc, os, verify, detail, &l, k);
}

#define CHECK_WORDS(rc, os, verify, detail, want, kind)                  \
	do {                                                             \
		enum fetch_fail k_;                                      \
		char *s_ = w(rc, os, verify, detail, &k_);               \
		int same_ = s_ && strcmp(s_, want) == 0;                 \
		if (!same_)                                              \
			t_fail(__FILE__, __LINE__, "got \"%s\", want \"%s\"", \
			       s_ ? s_ : "(null)", want);                \
		free(s_);                                                \
		if (!same_)                                              \
			return;                                          \
		CHECK_INT(k_, kind);                                     \
	} while (0)

TEST(fetch_words_for_curl_failures)
{
	unsetenv("WARTA_FETCH_LIMITS");
	CHECK_WORDS(CURLE_COULDNT_RESOLVE_HOST, 0, 0, NULL,
	            "host not found (no DNS answer for its name)",
	            FETCH_E_RESOLVE);
	CHECK_WORDS(CURLE_COULDNT_CONNECT, ECONNREFUSED, 0, NULL,
	            "connection refused", FETCH_E_CONNECT);
	CHECK_WORDS(CURLE_COULDNT_CONNECT, ENETUNREACH, 0, NULL,
	            "network unreachable", FETCH_E_CONNECT);
	CHECK_WORDS(CURLE_OPERATION_TIMEDOUT, 0, 0,
	            "Operation too slow. Less than 100 bytes/sec transferred "
	            "the last 30 seconds", "too slow: under 100 bytes/s for "
	            "30 s", FETCH_E_SLOW);
	CHECK_WORDS(CURLE_OPERATION_TIMEDOUT, 0, 0,
	            "Operation timed out after 300000 milliseconds with 0 "
	            "bytes received", "timed out after 300 s",
	            FETCH_E_TIMEOUT);
	CHECK_WORDS(CURLE_OPERATION_TIMEDOUT, 0, 0,
	            "Connection timed out after 30001 milliseconds",
	            "no connection after 30 s", FETCH_E_CONNECT);
	CHECK_WORDS(CURLE_PEER_FAILED_VERIFICATION, 0, 10, "",
	            "TLS certificate has expired", FETCH_E_TLS);
	CHECK_WORDS(CURLE_PEER_FAILED_VERIFICATION, 0, 18, "",
	            "TLS certificate is self-signed", FETCH_E_TLS);
	CHECK_WORDS(CURLE_PEER_FAILED_VERIFICATION, 0, 20, "",
	            "TLS certificate chain is incomplete or from an unknown "
	            "authority", FETCH_E_TLS);
	CHECK_WORDS(CURLE_PEER_FAILED_VERIFICATION, 0, 0,
	            "SSL: no alternative certificate subject name matches "
	            "target host name '127.0.0.1'",
	            "TLS certificate is for another host name", FETCH_E_TLS);
	CHECK_WORDS(CURLE_SSL_CONNECT_ERROR, 0, 0, "",
	            "TLS handshake failed", FETCH_E_TLS);
	CHECK_WORDS(CURLE_RECV_ERROR, ECONNRESET, 0, "",
	            "connection reset", FETCH_E_RESET);
	CHECK_WORDS(CURLE_PARTIAL_FILE, 0, 0, "",
	            "body cut short (the connection closed before its end)",
	            FETCH_E_CUT);
	CHECK_WORDS(CURLE_FILESIZE_EXCEEDED, 0, 0, "",
	            "body larger than 32 MiB", FETCH_E_TOO_BIG);
	CHECK_WORDS(CURLE_GOT_NOTHING, 0, 0, "",
	            "the server closed the connection without answering",
	            FETCH_E_RESET);
	/* anything else: libcurl's own words, with its detail */
	CHECK_WORDS(CURLE_SEND_FAIL_REWIND, 0, 0, "why",
	            "Send failed since rewinding of the data stream failed "
	            "(why)", FETCH_E_OTHER);
	enum fetch_fail k;
	CHECK(w(CURLE_OK, 0, 0, NULL, &k) == NULL && k == FETCH_OK);
}

TEST(fetch_limits_from_the_environment)
{
	struct fetch_limits l;
	setenv("WARTA_FETCH_LIMITS", "connect=5,slow=2,slow-bytes=10,body=2M,"
	       "total=9", 1);
	fetch_limits_default(&l);
	CHECK_INT(l.connect_s, 5);
	CHECK_INT(l.total_s, 9);
	CHECK_INT(l.slow_s, 2);
	CHECK_INT(l.slow_bytes, 10);
	CHECK_INT(l.max_body, 2 << 20);
	unsetenv("WARTA_FETCH_LIMITS");
	fetch_limits_default(&l);
	CHECK_INT(l.connect_s, 30);
	CHECK_INT(l.total_s, 300);
	CHECK_INT(l.max_body, FETCH_MAX_BODY);
}

TEST(fetch_host_keys)
{
	uint64_t a = fetch_host_key("http://MC.Banjarbarukota.go.id/feed/");
	CHECK(a != 0);
	CHECK(a == fetch_host_key("http://mc.banjarbarukota.go.id:80/x?y"));
	CHECK(a != fetch_host_key("https://mc.banjarbarukota.go.id/feed/"));
	CHECK(a != fetch_host_key("http://mc.banjarbarukota.go.id:8080/"));
	CHECK(a != fetch_host_key("http://diskominfo.banjarbarukota.go.id/"));
	CHECK(fetch_host_key("file:///tmp/x.xml") == 0);
	CHECK(fetch_host_key("not a url") == 0);
}

/* ---- the lock --------------------------------------------------------- */

TEST(fetch_lock_is_exclusive_and_names_its_holder)
{
	char *db = xasprintf("%s/sub/warta.db", t_tmpdir());
	long holder = -1;
	int fd = lock_take(db, 0, &holder, NULL);
	CHECK(fd >= 0);
	/* flock locks belong to an open file: a second open, even in this
	 * process, is refused */
	CHECK_INT(lock_take(db, 0, &holder, NULL), -2);
	CHECK_INT(holder, getpid());
	lock_release(fd);
	fd = lock_take(db, 0, &holder, NULL);
	CHECK(fd >= 0);
	lock_release(fd);
	char *lockpath = xasprintf("%s.lock", db);
	CHECK(access(lockpath, F_OK) == 0);
	free(lockpath);
	free(db);
}
