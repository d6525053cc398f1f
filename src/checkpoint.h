/*
 * checkpoint.h — a connection's WAL checkpoints, in a thread of their own.
 *
 * A checkpoint copies the WAL back into the database and fsyncs both:
 * 40 to 60 ms here, during which a single-threaded fetch neither starts
 * transfers nor archives (eight of them were a quarter of the wall time
 * of a 500-feed fetch from local files). checkpoint_start() takes the
 * checkpoints off the writer: it opens a second connection to the same
 * file, replaces the writer's automatic checkpoint with a hook that, when
 * a commit leaves the WAL at `pages` pages or more, wakes a thread that
 * runs a PASSIVE checkpoint on that connection. PASSIVE never waits for
 * or blocks the writer or readers. A writer that always has a frame past
 * the last checkpoint would never start the WAL over (a cold fetch grew
 * it to 650 MB for a 320 MB archive), so once it holds four times
 * `pages`, the thread starts no more checkpoints and the writer runs a
 * RESTART itself, between two transactions (checkpoint_between): it
 * waits for the thread's checkpoint in progress (100 ms at most), copies
 * the frames since, and fsyncs (tens of ms, at most 100 more when a
 * reader is still in the WAL; readers never wait), and its next
 * transaction starts the WAL over. A cold fetch of 2,000 feeds keeps
 * the WAL under 80 MB so.
 *
 * Durability is SQLite's own: every commit is in the WAL before it
 * returns, and the checkpoints are the same ones, run elsewhere.
 *
 * writer_wait_ms is the writer's busy timeout, put back after its
 * RESTART (which waits for readers 100 ms at most).
 *
 * checkpoint_stop() joins the thread, closes its connection, and gives
 * the writer back an automatic checkpoint every `restore` pages (NULL is
 * fine). The writer's connection must be used by one thread at a time
 * and outlive the checkpointer. checkpoint_start() returns NULL (the
 * writer unchanged) when the second connection or the thread cannot be
 * had.
 */
#ifndef WARTA_CHECKPOINT_H
#define WARTA_CHECKPOINT_H

#include <sqlite3.h>

struct checkpointer;

struct checkpointer *checkpoint_start(sqlite3 *writer, const char *path,
                                      int pages, int writer_wait_ms);
/* The writer, holding no transaction: the RESTART, when it is due. */
void checkpoint_between(struct checkpointer *c);
void checkpoint_stop(struct checkpointer *c, int restore);

/* How many checkpoints the thread has run (for tests). */
long checkpoint_count(struct checkpointer *c);

#endif
