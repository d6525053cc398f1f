/*
 * checkpoint.c — WAL checkpoints in a thread (see checkpoint.h for why).
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "checkpoint.h"

/* The WAL's size, in thresholds, past which the writer starts it over
 * (checkpoint_between); and how long that RESTART may wait for a reader
 * still in the WAL (a long export), since the writer waits with it: past
 * that it gives up, and the WAL grows until a later try. */
#define RESTART_AT 4
#define RESTART_WAIT_MS 100

struct checkpointer {
	sqlite3 *writer;
	sqlite3 *db;           /* the thread's own connection */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_cond_t idle;    /* busy went to 0 */
	int pages;
	int mark;              /* the WAL's size at the last request (writer) */
	int writer_wait_ms;    /* the writer's own busy timeout */
	int frames;            /* the WAL's size at the last commit (writer) */
	int next_try;          /* a RESTART that failed: again at this size */
	long catch_up;         /* the RESTART waits for done to reach it
	                        * (writer) */
	int want, busy, stop;  /* under mu */
	long done;             /* under mu */
};

/* The WAL (frames at the writer's last commit) is for the writer to
 * start over: past RESTART_AT thresholds, unless that failed and it has
 * not grown a threshold since. */
static int restart_due(const struct checkpointer *c)
{
	return c->frames >= RESTART_AT * c->pages && c->frames >= c->next_try;
}

/* The writer's commit hook (SQLite's own autocheckpoint is one too):
 * wake the thread each time the WAL has grown by `pages` more, unless it
 * is at work already. */
static int on_commit(void *v, sqlite3 *db, const char *schema, int frames)
{
	struct checkpointer *c = v;
	(void)db;
	(void)schema;
	c->frames = frames;
	if (frames < c->mark)  /* the WAL was started over */
		c->mark = 0;
	/* (past RESTART_AT, the writer's RESTART is next: a checkpoint
	 * started now would only make it wait) */
	if (frames - c->mark >= c->pages && !restart_due(c)) {
		pthread_mutex_lock(&c->mu);
		if (!c->busy && !c->want) {
			c->want = 1;
			c->mark = frames;
			pthread_cond_signal(&c->cv);
		}
		pthread_mutex_unlock(&c->mu);
	}
	return SQLITE_OK;
}

static void *run(void *v)
{
	struct checkpointer *c = v;
	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (!c->want && !c->stop)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->stop)
			break;
		c->want = 0;
		c->busy = 1;
		pthread_mutex_unlock(&c->mu);
		/* A busy or failed checkpoint is retried at a later commit;
		 * the archive is whole either way. The writer always has
		 * a frame or two past what a PASSIVE one copied, so it never
		 * finds the WAL wholly copied and never starts it over: past
		 * RESTART_AT times the threshold, the writer does (a RESTART
		 * from here would need the write lock, which a busy fetch
		 * holds but for a moment between transactions). */
		sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
		                          NULL, NULL);
		pthread_mutex_lock(&c->mu);
		c->busy = 0;
		c->done++;
		pthread_cond_signal(&c->idle);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

struct checkpointer *checkpoint_start(sqlite3 *writer, const char *path,
                                      int pages, int writer_wait_ms)
{
	struct checkpointer *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->writer = writer;
	c->writer_wait_ms = writer_wait_ms;
	c->pages = pages > 0 ? pages : 1;
	/* a connection sees the WAL only once it has read something: before
	 * that, a checkpoint on it is a no-op for a file "not in WAL mode" */
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK || sqlite3_exec(c->db, "PRAGMA schema_version", NULL,
	                              NULL, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(c->db, RESTART_WAIT_MS) != SQLITE_OK) {
		sqlite3_close(c->db);
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	pthread_cond_init(&c->idle, NULL);
	if (pthread_create(&c->thread, NULL, run, c) != 0) {
		pthread_cond_destroy(&c->cv);
		pthread_cond_destroy(&c->idle);
		pthread_mutex_destroy(&c->mu);
		sqlite3_close(c->db);
		free(c);
		return NULL;
	}
	sqlite3_wal_hook(writer, on_commit, c);
	return c;
}

void checkpoint_between(struct checkpointer *c)
{
	if (!c)
		return;
	if (!restart_due(c)) {
		c->catch_up = 0;   /* (another connection started it over) */
		return;
	}
	/* First the thread copies what the WAL holds, while the writer goes
	 * on: the RESTART then has only the transactions since to copy.
	 * Done by the writer, the copying was 70-230 ms a RESTART, seven
	 * in a cold fetch of 2,000 feeds from files: 1.3 s of the writer's
	 * time here, 0.6-0.9 s now; the WAL peaks at about 100 MB instead
	 * of 75. Not past twice the size, though: the WAL must not grow
	 * while the thread lags. */
	pthread_mutex_lock(&c->mu);
	if (c->frames < 2 * RESTART_AT * c->pages) {
		if (!c->catch_up) {
			c->catch_up = c->done + (c->busy ? 2 : 1);
			c->want = 1;
			c->mark = c->frames;
			pthread_cond_signal(&c->cv);
		}
		if (c->done < c->catch_up) {
			pthread_mutex_unlock(&c->mu);
			return;   /* at a later transaction */
		}
	}
	c->catch_up = 0;
	/* The frames since the thread's last checkpoint, then the WAL is
	 * wholly copied and this connection's next write starts it over.
	 * A checkpoint of the thread's own makes a RESTART fail at once:
	 * wait for it to end (100 ms at most), and have it skip the one
	 * asked for meanwhile (the RESTART copies those frames too). */
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += RESTART_WAIT_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	while (c->busy && pthread_cond_timedwait(&c->idle, &c->mu, &until) == 0)
		;
	int mine = !c->busy;
	if (mine) {
		c->want = 0;
		c->busy = 1;
	}
	pthread_mutex_unlock(&c->mu);
	if (!mine)
		return;   /* next time */
	sqlite3_busy_timeout(c->writer, RESTART_WAIT_MS);
	if (sqlite3_wal_checkpoint_v2(c->writer, NULL,
	                              SQLITE_CHECKPOINT_RESTART, NULL, NULL) ==
	    SQLITE_OK) {
		c->frames = 0;
		c->next_try = 0;
	} else {
		/* a reader in the WAL: not at every transaction while it
		 * stays (each try waits for it 100 ms), once the WAL has
		 * grown again */
		c->next_try = c->frames + c->pages;
	}
	sqlite3_busy_timeout(c->writer, c->writer_wait_ms);
	pthread_mutex_lock(&c->mu);
	c->busy = 0;
	pthread_mutex_unlock(&c->mu);
}

void checkpoint_stop(struct checkpointer *c, int restore)
{
	if (!c)
		return;
	sqlite3_wal_hook(c->writer, NULL, NULL);
	pthread_mutex_lock(&c->mu);
	c->stop = 1;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	sqlite3_close(c->db);
	if (restore > 0)
		sqlite3_wal_autocheckpoint(c->writer, restore);
	pthread_cond_destroy(&c->cv);
	pthread_cond_destroy(&c->idle);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

long checkpoint_count(struct checkpointer *c)
{
	pthread_mutex_lock(&c->mu);
	long n = c->done;
	pthread_mutex_unlock(&c->mu);
	return n;
}
