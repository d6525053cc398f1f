/* runner.c — runs every registered TEST, each in its own process. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"

struct test {
	const char *name, *file;
	void (*fn)(void);
};

static struct test *tests;
static size_t ntests, cap;
static int failed_here;
static char fixture_dir[4096];
static char tmp_dir[4096];

void t_register(const char *name, void (*fn)(void), const char *file)
{
	if (ntests == cap) {
		cap = cap ? cap * 2 : 64;
		tests = realloc(tests, cap * sizeof *tests);
		if (!tests)
			abort();
	}
	tests[ntests++] = (struct test){name, file, fn};
}

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stdout, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	failed_here = 1;
}

const char *t_fixture(const char *name)
{
	static char path[8192];
	snprintf(path, sizeof path, "%s/%s", fixture_dir, name);
	return path;
}

const char *t_tmpdir(void)
{
	if (!tmp_dir[0]) {
		const char *base = getenv("TMPDIR");
		snprintf(tmp_dir, sizeof tmp_dir, "%s/warta-unit-XXXXXX",
		         base && *base ? base : "/tmp");
		if (!mkdtemp(tmp_dir))
			abort();
	}
	return tmp_dir;
}

static void rm_rf(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char sub[8192];
			snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
			rm_rf(sub);
		}
		closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static int cmp(const void *a, const void *b)
{
	const struct test *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	return c ? c : strcmp(x->name, y->name);
}

static int selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strstr(name, argv[i]))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *fx = getenv("WARTA_FIXTURES");
	snprintf(fixture_dir, sizeof fixture_dir, "%s",
	         fx && *fx ? fx : "tests/fixtures");
	qsort(tests, ntests, sizeof *tests, cmp);
	int passed = 0, failed = 0;
	for (size_t i = 0; i < ntests; i++) {
		if (!selected(tests[i].name, argc, argv))
			continue;
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			tests[i].fn();
			if (tmp_dir[0])
				rm_rf(tmp_dir);
			fflush(stdout);
			_exit(failed_here ? 1 : 0);
		}
		int st = 0;
		waitpid(pid, &st, 0);
		int ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
		if (ok) {
			passed++;
		} else {
			failed++;
			if (WIFSIGNALED(st))
				printf("  killed by signal %d\n", WTERMSIG(st));
			printf("FAIL %s (%s)\n", tests[i].name, tests[i].file);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
