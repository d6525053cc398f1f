/* test_util.c — util.c's loading of a library at its first use: what a
 * missing library or function says, and that it exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "util.h"

/* Run fn in a child with stderr in a pipe: its exit status, and what it
 * said (one read, cut to fit). */
static int in_child(void (*fn)(void), char *said, size_t n)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 2);
		fn();
		_exit(0);
	}
	close(p[1]);
	ssize_t k = read(p[0], said, n - 1);
	said[k > 0 ? k : 0] = '\0';
	close(p[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void open_missing(void)
{
	dl_open_or_exit("libwarta-none.so.9", "libnone", "libnone9");
}

static void sym_missing(void)
{
	void *h = dl_open_or_exit("libc.so.6", "libc", "libc6");
	if (dl_sym_or_exit(h, "libc.so.6", "strlen", "libc 2"))
		dl_sym_or_exit(h, "libc.so.6", "warta_no_such", "libc 99");
}

TEST(util_dl_says_what_is_missing_and_exits_1)
{
	char said[512];
	CHECK_INT(in_child(open_missing, said, sizeof said), 1);
	CHECK_CONTAINS(said, "warta: cannot load libnone: ");
	CHECK_CONTAINS(said, "libwarta-none.so.9");
	CHECK_CONTAINS(said, "(install the libnone9 package)\n");
	CHECK_INT(in_child(sym_missing, said, sizeof said), 1);
	CHECK_STR(said, "warta: libc.so.6 has no warta_no_such: warta needs "
	          "libc 99\n");
}
