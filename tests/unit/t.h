/*
 * t.h — the unit-test framework: TEST(name) { … } registers a test;
 * CHECK* fail it with the file, line and what was expected. Every test
 * runs in a child process, so a crash fails one test, not the runner.
 * The runner (runner.c) prints one line per failure and ends with
 * "N passed, N failed". `build/unit-tests NAME…` runs tests whose name
 * contains one of the NAMEs.
 */
#ifndef WARTA_T_H
#define WARTA_T_H

#include <stdint.h>
#include <string.h>

void t_register(const char *name, void (*fn)(void), const char *file);
void t_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Path of tests/fixtures/NAME (the runner finds the folder). */
const char *t_fixture(const char *name);
/* A fresh empty folder for this test; removed when the test ends. */
const char *t_tmpdir(void);

#define TEST(name)                                                       \
	static void name(void);                                          \
	__attribute__((constructor)) static void reg_##name(void)        \
	{                                                                \
		t_register(#name, name, __FILE__);                       \
	}                                                                \
	static void name(void)

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			t_fail(__FILE__, __LINE__, "%s", #cond);         \
			return;                                          \
		}                                                        \
	} while (0)

#define CHECK_STR(got, want)                                             \
	do {                                                             \
		const char *g_ = (got), *w_ = (want);                    \
		if (!((g_ == NULL && w_ == NULL) ||                      \
		      (g_ && w_ && strcmp(g_, w_) == 0))) {              \
			t_fail(__FILE__, __LINE__, "%s: got \"%s\", want \"%s\"", \
			       #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
			return;                                          \
		}                                                        \
	} while (0)

#define CHECK_INT(got, want)                                             \
	do {                                                             \
		long long g_ = (long long)(got), w_ = (long long)(want); \
		if (g_ != w_) {                                          \
			t_fail(__FILE__, __LINE__, "%s: got %lld, want %lld", \
			       #got, g_, w_);                            \
			return;                                          \
		}                                                        \
	} while (0)

#define CHECK_CONTAINS(hay, needle)                                      \
	do {                                                             \
		const char *h_ = (hay), *n_ = (needle);                  \
		if (!h_ || !strstr(h_, n_)) {                            \
			t_fail(__FILE__, __LINE__, "%s: \"%s\" lacks \"%s\"", \
			       #hay, h_ ? h_ : "(null)", n_);            \
			return;                                          \
		}                                                        \
	} while (0)

#define CHECK_LACKS(hay, needle)                                         \
	do {                                                             \
		const char *h_ = (hay), *n_ = (needle);                  \
		if (h_ && strstr(h_, n_)) {                              \
			t_fail(__FILE__, __LINE__, "%s: \"%s\" has \"%s\"", \
			       #hay, h_, n_);                            \
			return;                                          \
		}                                                        \
	} while (0)

#endif
