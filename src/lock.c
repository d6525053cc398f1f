/* lock.c — the fetch lock; see lock.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "lock.h"
#include "util.h"

static long read_pid(int fd)
{
	char b[32];
	ssize_t n = pread(fd, b, sizeof b - 1, 0);
	if (n <= 0)
		return 0;
	b[n] = 0;
	return strtol(b, NULL, 10);
}

int lock_take(const char *db_path, int wait, long *holder,
              void (*waiting)(long pid))
{
	char *path = xasprintf("%s.lock", db_path);
	*holder = 0;
	if (mkdir_parents(path, 0700) < 0) {
		warnmsg("%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS)) {
		/* someone else's lock file: flock works read-only too (the
		 * pid just cannot be written) */
		int err = errno;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			errno = err;
	}
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM || errno == EROFS)
			warnmsg("archive %s cannot be written: its lock %s "
			        "cannot be made: %s", db_path, path,
			        strerror(errno));
		else
			warnmsg("cannot make the fetch lock %s: %s", path,
			        strerror(errno));
		free(path);
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			warnmsg("cannot lock %s: %s", path, strerror(errno));
			close(fd);
			free(path);
			return -1;
		}
		*holder = read_pid(fd);
		if (!*holder) {
			/* it may be writing its pid this very moment */
			usleep(50 * 1000);
			*holder = read_pid(fd);
		}
		if (!wait) {
			close(fd);
			free(path);
			return -2;
		}
		if (waiting)
			waiting(*holder);
		while (flock(fd, LOCK_EX) < 0) {
			if (errno != EINTR) {
				warnmsg("cannot lock %s: %s", path,
				        strerror(errno));
				close(fd);
				free(path);
				return -1;
			}
		}
		break;
	}
	char pid[32];
	int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		/* the lock holds without the pid; the message will lack it */
	}
	free(path);
	return fd;
}

void lock_release(int fd)
{
	if (fd < 0)
		return;
	/* Empty the pid first: a waiting run must not name a finished one. */
	if (ftruncate(fd, 0) < 0) {
		/* nothing to do about it: the lock still goes */
	}
	flock(fd, LOCK_UN);
	close(fd);
}

/* the byte: past the pid, though any byte would do */
#define TURN_AT 4096

int lock_turn_open(const char *db_path)
{
	/* Never made here: only a fetch makes the file (lock_take), and
	 * without one there is no fetch to take turns with. Made by another
	 * user (sudo warta add), it would lock that user's fetch out. */
	char *path = xasprintf("%s.lock", db_path);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS))
		fd = open(path, O_RDONLY | O_CLOEXEC);   /* F_RDLCK needs no more */
	free(path);
	return fd;
}

static int turn_lock(int fd, int cmd, short type)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET,
	                   .l_start = TURN_AT, .l_len = 1};
	int rc;
	while ((rc = fcntl(fd, cmd, &fl)) < 0 && errno == EINTR)
		;
	return rc;
}

void lock_turn_hold(int fd, int on)
{
	if (fd >= 0)
		turn_lock(fd, F_OFD_SETLKW, on ? F_RDLCK : F_UNLCK);
}

int lock_turn_give(int fd, int max_ms)
{
	if (fd < 0)
		return 0;
	/* Someone's turn: wait for its end, which is short, but not past
	 * max_ms (a writer stopped with ^Z, or blocked on a full pipe,
	 * must not hang a cron fetch; SQLite's busy timeout takes over). */
	for (int ms = 0; turn_lock(fd, F_OFD_SETLK, F_WRLCK) < 0; ms += 5) {
		if (errno != EAGAIN && errno != EACCES)
			return 0;
		if (ms >= max_ms)
			return -1;
		usleep(5 * 1000);
	}
	turn_lock(fd, F_OFD_SETLK, F_UNLCK);
	return 0;
}
