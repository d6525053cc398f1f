/* util.c — memory, buffers, strings, messages. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

const char *progname = "warta";

static void oom(void)
{
	fputs("warta: out of memory\n", stderr);
	exit(EXIT_FAIL);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	buf_grow(&b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b.p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return b.p;
}

void buf_grow(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void buf_add(struct buf *b, const void *data, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_putc(struct buf *b, int c)
{
	buf_grow(b, 1);
	b->p[b->len++] = (char)c;
	b->p[b->len] = '\0';
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *buf_steal(struct buf *b)
{
	char *p = b->p ? b->p : xstrdup("");
	memset(b, 0, sizeof *b);
	return p;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

int str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int str_ieq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
		a++, b++;
	return *a == *b;
}

int str_empty(const char *s)
{
	return !s || !*s;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

char *str_trim(char *s)
{
	if (!s)
		return s;
	char *p = s;
	while (is_space((unsigned char)*p))
		p++;
	size_t n = strlen(p);
	while (n && is_space((unsigned char)p[n - 1]))
		n--;
	memmove(s, p, n);
	s[n] = '\0';
	return s;
}

char *str_trim_dup(const char *s, size_t n)
{
	if (!s)
		return NULL;
	while (n && is_space((unsigned char)*s))
		s++, n--;
	while (n && is_space((unsigned char)s[n - 1]))
		n--;
	return n ? xstrndup(s, n) : NULL;
}

int str_has_prefix(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

int str_ihas_prefix(const char *s, const char *prefix)
{
	if (!s)
		return 0;
	for (; *prefix; s++, prefix++)
		if (lower((unsigned char)*s) != lower((unsigned char)*prefix))
			return 0;
	return 1;
}

static void vwarnmsg_to(FILE *f, const char *fmt, va_list ap)
{
	struct buf b = {0};
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0) {
		va_end(again);
		return;
	}
	buf_grow(&b, (size_t)n);
	vsnprintf(b.p, (size_t)n + 1, fmt, again);
	va_end(again);
	/* One line each: a message built from feed data must not break the
	 * line-per-message promise. */
	for (char *p = b.p; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(f, "%s: %s\n", progname, b.p);
	free(b.p);
}

void warnmsg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarnmsg_to(stderr, fmt, ap);
	va_end(ap);
}

void warnmsg_to(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarnmsg_to(f, fmt, ap);
	va_end(ap);
}

void *dl_open_or_exit(const char *soname, const char *what,
                      const char *pkg)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		warnmsg("cannot load %s: %s (install the %s package)", what,
		        dlerror(), pkg);
		exit(1);
	}
	return h;
}

void *dl_sym_or_exit(void *lib, const char *soname, const char *name,
                     const char *need)
{
	void *f = dlsym(lib, name);
	if (!f) {
		warnmsg("%s has no %s: warta needs %s", soname, name, need);
		exit(1);
	}
	return f;
}

int64_t ms_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - t0->tv_sec) * 1000 +
	       (now.tv_nsec - t0->tv_nsec) / 1000000;
}

int64_t now_utc(void)
{
	const char *pin = getenv("WARTA_NOW");
	if (pin && *pin)
		return strtoll(pin, NULL, 10);
	return (int64_t)time(NULL);
}

int mkdir_parents(const char *path, int mode)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = 0;
	if (!slash || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	for (char *p = dir + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdir(dir, (mode_t)mode) < 0 && errno != EEXIST) {
				rc = -1;
				break;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	free(dir);
	return rc;
}

int read_file(const char *path, struct buf *out, size_t max)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0)
		return -1;
	for (;;) {
		buf_grow(out, 65536);
		ssize_t n = read(fd, out->p + out->len, 65536);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			if (fd)
				close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->p[out->len] = '\0';
		if (max && out->len > max) {
			if (fd)
				close(fd);
			errno = EFBIG;
			return -1;
		}
	}
	if (fd)
		close(fd);
	if (!out->p)
		buf_grow(out, 0), out->p[0] = '\0';
	return 0;
}

/* Where the userinfo of a URL ends: the '@' of its authority, or NULL. */
static const char *userinfo_end(const char *url, const char **start)
{
	const char *p = strstr(url, "://");
	if (!p)
		return NULL;
	p += 3;
	size_t n = strcspn(p, "/?#");
	const char *at = NULL;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '@')
			at = p + i;
	*start = p;
	return at;
}

char *url_redact(const char *url)
{
	if (!url)
		return NULL;
	const char *start, *at = userinfo_end(url, &start);
	if (!at)
		return xstrdup(url);
	return xasprintf("%.*s***%s", (int)(start - url), url, at);
}

const char *url_redact_buf(const char *url, char *out, size_t n)
{
	if (!url)
		return NULL;
	const char *start, *at = userinfo_end(url, &start);
	if (!at)
		return url;
	snprintf(out, n, "%.*s***%s", (int)(start - url), url, at);
	return out;
}
