/*
 * util.h — the few helpers two or more modules need: memory that never
 * returns NULL (out of memory is fatal: exit 1 with one line), a growable
 * byte buffer, small string tools, and the one way to print a message.
 */
#ifndef WARTA_UTIL_H
#define WARTA_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define WARTA_VERSION "0.1.0"
#define WARTA_URL "https://github.com/warta-archive/warta"
#define WARTA_USER_AGENT "warta/" WARTA_VERSION " (+" WARTA_URL ")"

/* Exit statuses of SPEC.md. */
enum { EXIT_DONE = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_LOCKED = 75 };

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);             /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable buffer; p is always NUL-terminated once anything was added. */
struct buf {
	char *p;
	size_t len, cap;
};
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, int c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *buf_steal(struct buf *b);           /* hand over p ("" if empty) */
void buf_reset(struct buf *b);            /* len = 0, keep memory */
void buf_free(struct buf *b);

/* Strings. */
int str_eq(const char *a, const char *b);            /* NULL-safe */
int str_ieq(const char *a, const char *b);           /* ASCII case */
int str_empty(const char *s);                        /* NULL or "" */
char *str_trim(char *s);            /* trims ASCII space in place */
char *str_trim_dup(const char *s, size_t n);         /* copy trimmed, NULL if empty */
int str_has_prefix(const char *s, const char *prefix);
int str_ihas_prefix(const char *s, const char *prefix);

/* A URL as it may be shown (lists, logs, errors): the user and password
 * of scheme://user:pass@host/… become three stars before the @.
 * Anything else comes back as is. Malloc'd; NULL in, NULL out. */
char *url_redact(const char *url);
/* The same into a caller's buffer (cut to fit): for printf arguments. */
const char *url_redact_buf(const char *url, char *out, size_t n);

/* A library loaded at its first use (curlload.c, xmlload.c): dlopen or
 * exit 1 with "cannot load WHAT: why (install the PKG package)"; dlsym
 * or exit 1 with "SONAME has no NAME: warta needs NEED". */
void *dl_open_or_exit(const char *soname, const char *what,
                      const char *pkg);
void *dl_sym_or_exit(void *lib, const char *soname, const char *name,
                     const char *need);

/* Milliseconds since t0, a CLOCK_MONOTONIC time. */
struct timespec;
int64_t ms_since(const struct timespec *t0);

/* Messages: "warta: ..." on stderr, one line. */
void warnmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same into f (a buffer to print later). */
void warnmsg_to(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
extern const char *progname;

/* Time, for everything that needs "now" (tests may pin it through the
 * WARTA_NOW environment variable, in seconds since the epoch). */
int64_t now_utc(void);

/* Files. */
int mkdir_parents(const char *path, int mode);  /* of path's directory */
int read_file(const char *path, struct buf *out, size_t max);  /* -1 errno */

#endif
