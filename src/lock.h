/*
 * lock.h — the fetch lock: an flock(2) on PATH.lock beside the archive,
 * so that two `warta fetch` runs never work one archive at once; and,
 * on one byte of the same file, the writers' turns (below). The
 * holder's pid is written in the file for the message the second one
 * gives. The kernel drops the lock when its holder exits, however it
 * exits: a crashed run never leaves a stale lock. Readers (search, show,
 * export, feeds) take no lock.
 */
#ifndef WARTA_LOCK_H
#define WARTA_LOCK_H

/* Take the lock of the archive at db_path (the lock file and its folders
 * are made when missing, 0600/0700). wait: block until it is free
 * (calling waiting(pid) once first, if given, when it is not).
 * Returns a descriptor (>= 0) that holds the lock until lock_release()
 * or exit; -2 when another process holds it and !wait, with *holder its
 * pid (0 when unknown); -1 on error (message printed). */
int lock_take(const char *db_path, int wait, long *holder,
              void (*waiting)(long pid));
void lock_release(int fd);

/* Turns at SQLite's write lock. Its busy handler polls (every 100 ms at
 * last), and a fetch writing group after group leaves the lock free for
 * microseconds at a time: a short writer (add, remove, import) missed
 * every gap and failed after its busy timeout. So a writer holds a
 * shared lock on one byte of PATH.lock from before its BEGIN to its
 * COMMIT or ROLLBACK (lock_turn_hold), and the fetch, between two of
 * its transactions, waits while anyone holds one, max_ms at most
 * (lock_turn_give: -1 when it gave up, and the caller stops giving
 * turns: a writer stopped with ^Z must not cost every group max_ms). These are open-file-description fcntl locks, apart
 * from the fetch lock's flock on the same file on a local disk (on NFS
 * Linux makes flock a byte-range lock too; turns may then wait out a
 * whole fetch); the kernel drops them with their holder. lock_turn_open
 * opens the file a fetch made, and never makes it: -1 when there is
 * none (no fetch, no turns) or it cannot be opened (SQLite's busy
 * handler alone). */
int lock_turn_open(const char *db_path);
void lock_turn_hold(int fd, int on);
int lock_turn_give(int fd, int max_ms);

#endif
