/* parse_ahead.c — the parse thread (parse_ahead.h says what for). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "parse.h"
#include "parse_ahead.h"
#include "tokenizer.h"
#include "util.h"

/* Jobs are held in a ring, oldest at head: the first ndone of them are
 * done, the next one (if any) is the thread's. Only the writer changes
 * head and n, and only the thread ndone's increments, all under mu. */
struct ahead {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;        /* a job came, a job is done, or stop */
	struct ahead_job *ring[AHEAD_JOBS];
	int head, n, ndone;
	size_t bytes;             /* of the bodies held */
	size_t done_bytes;        /* of those parsed */
	struct ahead_job *spent;  /* ahead_release's, for the thread to free */
	int stop;
	void (*wake)(void *);
	void *wake_ctx;
};

struct collect {
	struct ahead_job *j;
	size_t cap;
	struct tokenizer_pre *tp;  /* the thread's, or NULL */
};

static int keep_entry(void *ctx, const struct feed *feed, struct entry *e)
{
	struct collect *c = ctx;
	struct ahead_job *j = c->j;
	(void)feed;  /* the whole feed is in the job once parsed */
	if (j->nentries == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		j->entries = xrealloc(j->entries, c->cap * sizeof *j->entries);
	}
	struct ahead_entry *ae = &j->entries[j->nentries++];
	ae->e = *e;                 /* every field moves (parse.h) */
	memset(e, 0, sizeof *e);
	ae->prep = archive_entry_prepare(&ae->e, c->tp);
	return 0;
}

static int push(void *ctx, const char *p, size_t n)
{
	return parser_push(ctx, p, n) != 0;
}

static void parse_job(struct ahead_job *j, struct tokenizer_pre *tp)
{
	struct parse_opts po = {.url = j->res.effective_url,
	                        .content_type = j->res.content_type};
	struct collect c = {j, 0, tp};
	struct parser *p = parser_new(&po, keep_entry, &c);
	int rb = fetch_body_each(&j->res, push, p);
	j->rc = rb < 0 ? -1 : parser_finish(p);
	if (j->rc < 0) {
		const char *why = rb < 0 ? "cannot read the body back"
		                         : parser_error(p);
		j->error = xstrdup(why ? why : "not a feed");
	} else {
		struct feed *f = (struct feed *)parser_feed(p);
		j->feed = *f;               /* moved out, as parse.h allows */
		memset(f, 0, sizeof *f);
	}
	parser_free(p);
}

/* What the thread allocated, freed by the thread: glibc gives each
 * thread an arena of its own, and a free from another thread takes that
 * arena's lock. The writer freeing the parsed entries made the two
 * threads wait for each other (three quarters of the writer's sleeps
 * in a cold fetch: perf's sched_switch events). The body is the
 * writer's, freed by it already. */
static void free_parsed(struct ahead_job *job)
{
	for (size_t i = 0; i < job->nentries; i++) {
		entry_clear(&job->entries[i].e);
		archive_prep_free(job->entries[i].prep);
	}
	free(job->entries);
	feed_clear(&job->feed);
	free(job->error);
}

static void free_spent(struct ahead_job *list)
{
	while (list) {
		struct ahead_job *next = list->next_spent;
		ahead_job_free(list);
		list = next;
	}
}

static void *run(void *arg)
{
	struct ahead *ah = arg;
	/* (without it, the writer tokenizes: only slower) */
	struct tokenizer_pre *tp = tokenizer_pre_new();
	pthread_mutex_lock(&ah->mu);
	for (;;) {
		while (!ah->stop && !ah->spent &&
		       (ah->ndone == ah->n ||
		        (ah->ndone > 0 &&
		         ah->done_bytes >= AHEAD_PARSED_BYTES)))
			pthread_cond_wait(&ah->cv, &ah->mu);
		if (ah->spent) {
			struct ahead_job *spent = ah->spent;
			ah->spent = NULL;
			pthread_mutex_unlock(&ah->mu);
			free_spent(spent);
			pthread_mutex_lock(&ah->mu);
			continue;
		}
		if (ah->stop)
			break;
		struct ahead_job *j =
			ah->ring[(ah->head + ah->ndone) % AHEAD_JOBS];
		pthread_mutex_unlock(&ah->mu);
		parse_job(j, tp);
		pthread_mutex_lock(&ah->mu);
		ah->ndone++;
		ah->done_bytes += j->res.mem.len;
		pthread_cond_broadcast(&ah->cv);
		pthread_mutex_unlock(&ah->mu);
		ah->wake(ah->wake_ctx);
		pthread_mutex_lock(&ah->mu);
	}
	pthread_mutex_unlock(&ah->mu);
	tokenizer_pre_free(tp);
	html_thread_end();
	return NULL;
}

struct ahead *ahead_start(void (*wake)(void *), void *wake_ctx)
{
	struct ahead *ah = xcalloc(1, sizeof *ah);
	ah->wake = wake;
	ah->wake_ctx = wake_ctx;
	pthread_mutex_init(&ah->mu, NULL);
	pthread_cond_init(&ah->cv, NULL);
	if (pthread_create(&ah->thread, NULL, run, ah) != 0) {
		pthread_cond_destroy(&ah->cv);
		pthread_mutex_destroy(&ah->mu);
		free(ah);
		return NULL;
	}
	return ah;
}

int ahead_room(const struct ahead *ah, const struct fetch_res *res)
{
	return ah && ah->n < AHEAD_JOBS && !res->spill &&
	       (ah->n == 0 || ah->bytes + res->mem.len <= AHEAD_BYTES);
}

void ahead_submit(struct ahead *ah, struct ahead_job *job)
{
	pthread_mutex_lock(&ah->mu);
	ah->ring[(ah->head + ah->n) % AHEAD_JOBS] = job;
	ah->n++;
	ah->bytes += job->res.mem.len;
	pthread_cond_broadcast(&ah->cv);
	pthread_mutex_unlock(&ah->mu);
}

struct ahead_job *ahead_done(struct ahead *ah, int wait)
{
	struct ahead_job *j = NULL;
	if (!ah)
		return NULL;
	pthread_mutex_lock(&ah->mu);
	while (wait && ah->n > 0 && ah->ndone == 0)
		pthread_cond_wait(&ah->cv, &ah->mu);
	if (ah->ndone > 0) {
		j = ah->ring[ah->head];
		ah->head = (ah->head + 1) % AHEAD_JOBS;
		ah->n--;
		ah->ndone--;
		ah->bytes -= j->res.mem.len;
		ah->done_bytes -= j->res.mem.len;
		pthread_cond_broadcast(&ah->cv);  /* room to parse one more */
	}
	pthread_mutex_unlock(&ah->mu);
	return j;
}

void ahead_release(struct ahead *ah, struct ahead_job *job)
{
	fetch_res_clear(&job->res);   /* (the writer's memory) */
	pthread_mutex_lock(&ah->mu);
	job->next_spent = ah->spent;
	ah->spent = job;
	pthread_cond_broadcast(&ah->cv);
	pthread_mutex_unlock(&ah->mu);
}

int ahead_full(const struct ahead *ah)
{
	return ah && (ah->n == AHEAD_JOBS || ah->bytes >= AHEAD_BYTES);
}

int ahead_parsed(struct ahead *ah)
{
	pthread_mutex_lock(&ah->mu);
	int n = ah->ndone;
	pthread_mutex_unlock(&ah->mu);
	return n;
}

int ahead_held(const struct ahead *ah)
{
	return ah ? ah->n : 0;
}

void ahead_stop(struct ahead *ah)
{
	if (!ah)
		return;
	pthread_mutex_lock(&ah->mu);
	ah->stop = 1;
	pthread_cond_broadcast(&ah->cv);
	pthread_mutex_unlock(&ah->mu);
	pthread_join(ah->thread, NULL);
	free_spent(ah->spent);
	for (int i = 0; i < ah->n; i++)
		ahead_job_free(ah->ring[(ah->head + i) % AHEAD_JOBS]);
	pthread_cond_destroy(&ah->cv);
	pthread_mutex_destroy(&ah->mu);
	free(ah);
}

struct ahead_job *ahead_job_new(void)
{
	return xcalloc(1, sizeof(struct ahead_job));
}

void ahead_job_free(struct ahead_job *job)
{
	if (!job)
		return;
	free_parsed(job);
	fetch_res_clear(&job->res);
	free(job);
}
