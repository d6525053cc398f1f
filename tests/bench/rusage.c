/*
 * rusage.c — run a command and write its rusage, for measure.py.
 *
 *   rusage OUTFILE CMD ARG…
 *
 * Writes "utime_s stime_s maxrss_kib wait_status" to OUTFILE once CMD has
 * ended; its own exit status is 0 unless it could not start CMD (127).
 * Why not Python's own wait4: Linux keeps a process's peak RSS across
 * exec, so a command forked from Python inherits the interpreter's
 * ~10 MiB as a floor (xmllint --stream reads as 11 MiB instead of 5).
 * Forked from this small program, the floor is about 1 MiB.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: rusage OUTFILE CMD ARG...\n", stderr);
		return 2;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("rusage: fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("rusage: wait4");
		return 127;
	}
	FILE *f = fopen(argv[1], "w");
	if (!f) {
		perror(argv[1]);
		return 127;
	}
	fprintf(f, "%ld.%06ld %ld.%06ld %ld %d\n",
	        (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
	        (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec,
	        ru.ru_maxrss, status);
	return fclose(f) == 0 ? 0 : 127;
}
