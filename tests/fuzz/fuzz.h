/*
 * fuzz.h — what the libFuzzer targets of tests/fuzz/ share: a NUL-ended
 * copy of the input, a hash to compare two runs by, and the one way a
 * target reports a broken promise (abort, so libFuzzer keeps the input).
 */
#ifndef WARTA_FUZZ_H
#define WARTA_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a C string: exact-size allocation, so ASan sees a read
 * past the NUL. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = 0;
	return s;
}

/* A module broke its contract: say which, and crash so the input is
 * kept as a reproducer. */
#define FUZZ_ASSERT(cond, ...)                                           \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__,   \
			        __LINE__, #cond);                        \
			fprintf(stderr, __VA_ARGS__);                    \
			fputc('\n', stderr);                             \
			abort();                                         \
		}                                                        \
	} while (0)

static inline uint64_t fuzz_hash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211u;
	return h;
}

static inline uint64_t fuzz_hash_str(uint64_t h, const char *s)
{
	if (!s)
		return fuzz_hash(h, "\xff", 1);
	return fuzz_hash(h, s, strlen(s) + 1);
}

/* 1 when s[0..n) is valid UTF-8 (no overlongs, no surrogates). */
static inline int fuzz_utf8_ok(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		unsigned min, cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1, min = 0x80, cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2, min = 0x800, cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3, min = 0x10000, cp = c & 0x07;
		} else {
			return 0;
		}
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

#endif
