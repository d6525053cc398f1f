/* date.c — reading dates of every form into UTC seconds. */
#include <stdio.h>
#include <string.h>

#include "date.h"

/* Howard Hinnant's days_from_civil: exact for every proleptic Gregorian
 * date, free of the process's TZ (timegm is not C11 and mktime is local). */
int64_t date_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

char *date_rfc3339(int64_t t, char out[32])
{
	const int64_t lo = -62167219200LL; /* 0000-01-01T00:00:00Z */
	const int64_t hi = 253402300799LL; /* 9999-12-31T23:59:59Z */
	if (t < lo)
		t = lo;
	if (t > hi)
		t = hi;
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	unsigned secs = (unsigned)(t - days * 86400); /* 0 … 86399 */
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02uZ",
	         (unsigned)y % 10000u, m % 100u, d % 100u, secs / 3600 % 100u,
	         secs / 60 % 60, secs % 60);
	return out;
}

/* TODO(date helper): the real readers. */
int date_parse(const char *s, int64_t *t)
{
	(void)s;
	(void)t;
	return 0;
}

int date_parse_cli(const char *s, int64_t now, int64_t *t)
{
	(void)s;
	(void)now;
	(void)t;
	return 0;
}
