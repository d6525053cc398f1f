/*
 * lock.h — the fetch lock: an flock(2) on PATH.lock beside the archive,
 * so that two `warta fetch` runs never work one archive at once. The
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

#endif
