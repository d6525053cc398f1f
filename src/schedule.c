/* schedule.c — due times, back-off, Retry-After and moves; see
 * schedule.h. */
#include <string.h>
#include <strings.h>

#include "date.h"
#include "schedule.h"

static int64_t clamp(int64_t v)
{
	return v < SCHED_MIN ? SCHED_MIN : v > SCHED_MAX ? SCHED_MAX : v;
}

int64_t sched_interval(int64_t ttl, int64_t max_age)
{
	if (ttl <= 0 && max_age < 0)
		return SCHED_DEFAULT;
	return clamp(ttl > max_age ? ttl : max_age);
}

int64_t sched_backoff(int n)
{
	int64_t d = SCHED_MIN;
	for (int i = 1; i < n && d < SCHED_MAX; i++)
		d *= 2;
	return clamp(d);
}

static int digits(const char *p, const char *end, int64_t *out)
{
	int64_t v = 0;
	if (p == end)
		return 0;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		if (v < (int64_t)1 << 40)
			v = v * 10 + (*p - '0');
	}
	*out = v;
	return 1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

int sched_max_age(const char *cc, int64_t *secs)
{
	if (!cc)
		return 0;
	const char *p = cc;
	while (*p) {
		while (is_space(*p) || *p == ',')
			p++;
		const char *name = p;
		while (*p && *p != '=' && *p != ',' && !is_space(*p))
			p++;
		size_t nlen = (size_t)(p - name);
		while (is_space(*p))
			p++;
		const char *val = NULL, *vend = NULL;
		if (*p == '=') {
			p++;
			while (is_space(*p))
				p++;
			if (*p == '"') {
				val = ++p;
				while (*p && *p != '"')
					p++;
				vend = p;
				if (*p)
					p++;
			} else {
				val = p;
				while (*p && *p != ',' && !is_space(*p))
					p++;
				vend = p;
			}
		}
		while (*p && *p != ',')
			p++;
		if (nlen == 7 && strncasecmp(name, "max-age", 7) == 0 && val &&
		    digits(val, vend, secs))
			return 1;
	}
	return 0;
}

int sched_retry_after(const char *value, int64_t now, int64_t *secs)
{
	if (!value)
		return 0;
	const char *p = value, *end = value + strlen(value);
	while (is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;
	if (digits(p, end, secs))
		return 1;
	int64_t t;
	if (!date_parse(value, &t))
		return 0;
	*secs = t > now ? t - now : 0;
	return 1;
}

const char *sched_moved_to(const struct fetch_hop *hops, int nhops)
{
	const char *to = NULL;
	for (int i = 0; i < nhops; i++) {
		if (hops[i].status != 301 && hops[i].status != 308)
			break;
		to = hops[i].to;
	}
	return to;
}

static int same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

void sched_decide(const struct sched_feed *f, const struct sched_in *in,
                  struct sched_out *out)
{
	memset(out, 0, sizeof *out);
	out->gone = f->gone;
	switch (in->result) {
	case SCHED_FEED:
		out->failures = 0;
		out->gone = 0;
		out->next_due = in->now + sched_interval(
			in->ttl > 0 ? in->ttl : f->ttl, in->max_age);
		if (in->moved_to) {
			int seen = same(in->moved_to, f->redirect_to)
			           ? f->redirect_seen + 1 : 1;
			if (seen >= SCHED_MOVED_AFTER) {
				out->new_url = in->moved_to;
			} else {
				out->redirect_to = in->moved_to;
				out->redirect_seen = seen;
			}
		}
		return;
	case SCHED_GONE:
		out->failures = f->failures + 1;
		out->gone = 1;
		out->next_due = in->now + SCHED_MAX;
		return;
	case SCHED_THROTTLED:
	case SCHED_FAILED:
		out->failures = f->failures + 1;
		out->next_due = in->now + sched_backoff(out->failures);
		if (in->result == SCHED_THROTTLED && in->retry_after >= 0) {
			int64_t ra = in->retry_after > SCHED_MAX ? SCHED_MAX
			                                         : in->retry_after;
			if (in->now + ra > out->next_due)
				out->next_due = in->now + ra;
		}
		return;
	}
}
