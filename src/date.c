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

/*
 * The reader.
 *
 * One left-to-right pass over the bytes, no copy of the input. Each run of
 * digits is read together with the separators that follow it, which says
 * what it is: "2025-12-02" a date, "10:30" or "10.30" a time, "02/12/2025"
 * a day-first date, a lone "2025" a year, a lone "2" a day. Words are day
 * names (ignored: the numbers win over a day name that contradicts them),
 * month names (English, Indonesian, first three letters), zone names, or
 * fillers such as "pukul". The pieces may come in any order, which covers
 * RFC 822, asctime ("Sun Jan  4 16:29:06 PST 2004"), JavaScript's
 * toString and the Indonesian forms with one set of rules. Anything not
 * understood fails the whole date: a wrong date is worse than none, since
 * the archive marks an unread date and keeps the raw string.
 */

#define UNSET (-1)

struct dt {
	int y, mo, d;    /* calendar date */
	int yd;          /* ordinal day (2003-335) */
	int wk, wd;      /* ISO week date (2004-W53-6) */
	int h, mi, s;    /* time of day */
	int mer;         /* am/pm or an Indonesian part of the day, or 0 */
	int off;         /* minutes east of UTC */
	int zone;        /* Z_NONE, Z_NAMED, Z_NUMERIC, Z_GUESSED */
	int partial;     /* YYYY-MM: day 1 */
	int tokens;      /* pieces read: a lone "2003" is a year only alone */
	int lone_year;   /* the year came as a lone 4-digit number */
	int tsep;        /* the previous piece was the T of ISO 8601 */
	int etc;         /* "Etc/" came before GMT: POSIX signs, inverted */
};

enum { Z_NONE, Z_NAMED, Z_NUMERIC, Z_GUESSED };

static int isdig(unsigned c)
{
	return c - '0' < 10;
}

static int isalph(unsigned c)
{
	return (c | 32) - 'a' < 26;
}

/* Bytes of the white space at p: ASCII, and the UTF-8 spaces that pasted
 * or generated dates carry (no-break U+00A0, U+2000–U+200A, narrow
 * no-break U+202F that recent ICU puts before "PM", U+205F, U+3000),
 * and a BOM. Reads at most up to the first NUL. */
static int space_len(const unsigned char *p)
{
	switch (p[0]) {
	case ' ': case '\t': case '\n': case '\r': case '\f': case '\v':
		return 1;
	case 0xC2:
		return p[1] == 0xA0 ? 2 : 0;
	case 0xE2:
		if (p[1] == 0x80)
			return (p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xAF
			       ? 3 : 0;
		return p[1] == 0x81 && p[2] == 0x9F ? 3 : 0;
	case 0xE3:
		return p[1] == 0x80 && p[2] == 0x80 ? 3 : 0;
	case 0xEF:
		return p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
	}
	return 0;
}

/* A run of digits: its value (saturated past 9 digits, where every caller
 * fails anyway) and its length. */
static int num(const unsigned char **pp, int *len)
{
	const unsigned char *p = *pp;
	int v = 0, n = 0;
	while (isdig(*p)) {
		if (n < 9)
			v = v * 10 + (*p - '0');
		n++;
		p++;
	}
	*pp = p;
	*len = n;
	return v;
}

/* The value of n digits known to be there. */
static int digits(const unsigned char *p, int n)
{
	int v = 0;
	while (n--)
		v = v * 10 + (*p++ - '0');
	return v;
}

/* RFC 2822 §4.3: a 2-digit year 00–49 is 20xx, 50–99 is 19xx; a 3-digit
 * year is 1900 + it (the getYear() bug: 104 for 2004). */
static int full_year(int v, int len)
{
	if (len <= 2)
		return v < 50 ? 2000 + v : 1900 + v;
	if (len == 3)
		return 1900 + v;
	return v;
}

static int set_date(struct dt *d, int y, int mo, int day)
{
	if (d->y != UNSET || d->mo != UNSET || d->d != UNSET || d->yd != UNSET)
		return 0;
	d->y = y;
	d->mo = mo;
	d->d = day;
	return 1;
}

static int set_time(struct dt *d, int h, int mi, int s)
{
	if (d->h != UNSET)
		return 0;
	d->h = h;
	d->mi = mi;
	d->s = s;
	return 1;
}

/* Fractional seconds are read and dropped: the model keeps whole
 * seconds. ISO 8601 allows a comma too. */
static const unsigned char *skip_fraction(const unsigned char *p)
{
	if ((*p == '.' || *p == ',') && isdig(p[1])) {
		p++;
		while (isdig(*p))
			p++;
	}
	return p;
}

/* +HHMM, +HH:MM, +HH, +H, +HMM after a sign at *pp. Offsets beyond ±18 h
 * (the widest any standard admits) fail: "-9999" is garbage, not a zone.
 * "-0000" is UTC (RFC 2822's "local time unknown" has no better reading).
 * A numeric offset wins over a zone name given with it ("+0700 (WIB)"),
 * but two offsets fail. */
static int offset(const unsigned char **pp, struct dt *d, int invert)
{
	const unsigned char *p = *pp;
	int sign = *p == '-' ? -1 : 1, n, hh, mm = 0;
	p++;
	int v = num(&p, &n);
	if (n == 3 || n == 4) {
		hh = v / 100;
		mm = v % 100;
	} else if (n == 1 || n == 2) {
		hh = v;
		if (*p == ':') {
			const unsigned char *q = p + 1;
			int m;
			mm = num(&q, &m);
			if (m != 2)
				return 0;
			p = q;
		}
	} else {
		return 0;
	}
	if (hh > 18 || mm > 59 || d->zone == Z_NUMERIC)
		return 0;
	d->off = sign * (hh * 60 + mm) * (invert ? -1 : 1);
	d->zone = Z_NUMERIC;
	*pp = p;
	return 1;
}

/* Letters packed into one integer, so that a lookup is a switch. */
#define K2(a, b) ((uint32_t)(a) | (uint32_t)(b) << 8)
#define K3(a, b, c) (K2(a, b) | (uint32_t)(c) << 16)
#define K4(a, b, c, d) (K3(a, b, c) | (uint32_t)(d) << 24)

static uint32_t key(const char *w, int n)
{
	uint32_t k = 0;
	for (int i = n < 4 ? n - 1 : 3; i >= 0; i--)
		k = k << 8 | (unsigned char)w[i];
	return k;
}

/*
 * Zone names, in minutes east of UTC. RFC 822's own (UT, GMT, Z, the
 * North American ones and the military letters, below), the 2-letter
 * American ones feedparser reads (Disney's feeds), Indonesia's three —
 * WIB +07:00, WITA +08:00, WIT +09:00, not UTC as feedparser and sfeed
 * read WIB — and the common ones of Europe, Asia and Australia. Where an
 * abbreviation has two meanings the one RFC 822 or this project's users
 * most likely mean is kept: CST is US Central (RFC 822), not China; IST is
 * India. Unknown names in the zone's place are read as UTC (feedparser
 * does the same) and flagged DATE_ZONE_GUESSED.
 */
static int zone_lookup(const char *w, int n, int *min)
{
	if (n < 2 || n > 4)
		return 0;
	switch (key(w, n)) {
	case K3('h', 's', 't'):
		*min = -600;
		return 1;
	case K4('a', 'k', 's', 't'):
		*min = -540;
		return 1;
	case K3('p', 's', 't'):
	case K2('p', 't'):
	case K4('a', 'k', 'd', 't'):
		*min = -480;
		return 1;
	case K3('m', 's', 't'):
	case K3('p', 'd', 't'):
	case K2('m', 't'):
		*min = -420;
		return 1;
	case K3('c', 's', 't'):
	case K3('m', 'd', 't'):
	case K2('c', 't'):
		*min = -360;
		return 1;
	case K3('e', 's', 't'):
	case K3('c', 'd', 't'):
	case K2('e', 't'):
		*min = -300;
		return 1;
	case K3('e', 'd', 't'):
	case K3('a', 's', 't'):
	case K2('a', 't'):
		*min = -240;
		return 1;
	case K3('n', 's', 't'):
		*min = -210;
		return 1;
	case K3('a', 'd', 't'):
		*min = -180;
		return 1;
	case K3('n', 'd', 't'):
		*min = -150;
		return 1;
	case K2('u', 't'):
	case K3('u', 't', 'c'):
	case K3('g', 'm', 't'):
	case K3('u', 'c', 't'):
	case K3('w', 'e', 't'):
		*min = 0;
		return 1;
	case K3('m', 'e', 't'):
	case K3('c', 'e', 't'):
	case K4('w', 'e', 's', 't'):
	case K3('b', 's', 't'):
		*min = 60;
		return 1;
	case K4('m', 'e', 's', 't'):
	case K4('c', 'e', 's', 't'):
	case K3('e', 'e', 't'):
	case K4('s', 'a', 's', 't'):
		*min = 120;
		return 1;
	case K4('e', 'e', 's', 't'):
	case K3('m', 's', 'k'):
		*min = 180;
		return 1;
	case K3('p', 'k', 't'):
		*min = 300;
		return 1;
	case K3('i', 's', 't'):
		*min = 330;
		return 1;
	case K3('w', 'i', 'b'):
	case K3('i', 'c', 't'):
		*min = 420;
		return 1;
	case K4('w', 'i', 't', 'a'):
	case K3('m', 'y', 't'):
	case K3('s', 'g', 't'):
	case K3('h', 'k', 't'):
	case K3('p', 'h', 't'):
	case K4('a', 'w', 's', 't'):
		*min = 480;
		return 1;
	case K3('w', 'i', 't'):
	case K3('j', 's', 't'):
	case K3('k', 's', 't'):
		*min = 540;
		return 1;
	case K4('a', 'c', 's', 't'):
		*min = 570;
		return 1;
	case K4('a', 'e', 's', 't'):
		*min = 600;
		return 1;
	case K4('a', 'c', 'd', 't'):
		*min = 630;
		return 1;
	case K4('a', 'e', 'd', 't'):
		*min = 660;
		return 1;
	case K4('n', 'z', 's', 't'):
		*min = 720;
		return 1;
	case K4('n', 'z', 'd', 't'):
		*min = 780;
		return 1;
	}
	return 0;
}

/* RFC 822's military letters as RFC 822 defines them (A = -1 … M = -12,
 * N = +1 … Y = +12, Z = 0; J unused). RFC 1123 notes the signs were
 * meant the other way round; feedparser keeps RFC 822's, and so do we. */
static int military(int c, int *min)
{
	if (c == 'z')
		*min = 0;
	else if (c >= 'a' && c <= 'i')
		*min = -60 * (c - 'a' + 1);
	else if (c >= 'k' && c <= 'm')
		*min = -60 * (c - 'k' + 10);
	else if (c >= 'n' && c <= 'y')
		*min = 60 * (c - 'n' + 1);
	else
		return 0;
	return 1;
}

/* Months by their first three letters, as feedparser reads them, so
 * "January", "Sept", "Juni", "Desember", "Pebruari" and "Nopember" all
 * match; then the Indonesian abbreviations that differ from English
 * (Mei, Agu/Agt/Ags, Okt, Des, Peb, Nop) and German's Dez. */
static int month3(const char *w)
{
	switch (key(w, 3)) {
	case K3('j', 'a', 'n'): return 1;
	case K3('f', 'e', 'b'): case K3('p', 'e', 'b'): return 2;
	case K3('m', 'a', 'r'): return 3;
	case K3('a', 'p', 'r'): return 4;
	case K3('m', 'a', 'y'): case K3('m', 'e', 'i'): return 5;
	case K3('j', 'u', 'n'): return 6;
	case K3('j', 'u', 'l'): return 7;
	case K3('a', 'u', 'g'): case K3('a', 'g', 'u'):
	case K3('a', 'g', 't'): case K3('a', 'g', 's'): return 8;
	case K3('s', 'e', 'p'): return 9;
	case K3('o', 'c', 't'): case K3('o', 'k', 't'): return 10;
	case K3('n', 'o', 'v'): case K3('n', 'o', 'p'): return 11;
	case K3('d', 'e', 'c'): case K3('d', 'e', 's'):
	case K3('d', 'e', 'z'): return 12;
	}
	return 0;
}

/* Day names by their first three letters: English (so "Tues", "Thurs"
 * match) and Indonesian (Senin, Selasa, Rabu, Kamis, Jumat/Jum'at, Sabtu,
 * Minggu, Ahad). */
static int day3(const char *w)
{
	switch (key(w, 3)) {
	case K3('m', 'o', 'n'): case K3('t', 'u', 'e'): case K3('w', 'e', 'd'):
	case K3('t', 'h', 'u'): case K3('f', 'r', 'i'): case K3('s', 'a', 't'):
	case K3('s', 'u', 'n'):
	case K3('s', 'e', 'n'): case K3('s', 'e', 'l'): case K3('r', 'a', 'b'):
	case K3('k', 'a', 'm'): case K3('j', 'u', 'm'): case K3('s', 'a', 'b'):
	case K3('m', 'i', 'n'): case K3('a', 'h', 'a'):
		return 1;
	}
	return 0;
}

/* Words that carry no date: "2 Des 2025 pukul 10.30", "December 2, 2025
 * at 10:30 am" (WordPress's default), ordinal suffixes ("5th"). */
static int filler(const char *w, int n)
{
	switch (n) {
	case 2:
		switch (key(w, 2)) {
		case K2('s', 't'): case K2('n', 'd'): case K2('r', 'd'):
		case K2('t', 'h'):
			return 1;
		}
		return 0;
	case 3:
		return key(w, 3) == K3('p', 'k', 'l') ||
		       key(w, 3) == K3('j', 'a', 'm') ||
		       key(w, 3) == K3('t', 'g', 'l');
	case 5:
		return !memcmp(w, "pukul", 5);
	case 7:
		return !memcmp(w, "tanggal", 7);
	}
	return 0;
}

/* A word: ASCII letters, lowered, with the apostrophes of "Jum'at" and
 * "Jum’at" dropped. Returns its length, or -1 when it holds other bytes
 * or is too long to be anything we know. */
static int read_word(const unsigned char **pp, char w[16])
{
	const unsigned char *p = *pp;
	int n = 0, bad = 0;
	for (;;) {
		unsigned c = *p;
		if (isalph(c)) {
			if (n < 16)
				w[n] = (char)(c | 32);
			n++;
			p++;
		} else if (c == '\'' && n && isalph(p[1])) {
			p++;
		} else if (c == 0xE2 && p[1] == 0x80 && p[2] == 0x99 && n &&
		           isalph(p[3])) {
			p += 3;
		} else if (c >= 0x80 && !space_len(p)) {
			bad = 1;
			p++;
		} else {
			break;
		}
	}
	*pp = p;
	return bad || n > 15 ? -1 : n;
}

/* The tz database's names of Indonesia's zones, after "Asia" at the '/'
 * at *pp: Java and PHP print them ("…+07:00[Asia/Jakarta]"). */
static int iana(const unsigned char **pp, int *min)
{
	const unsigned char *p = *pp + 1;
	char w[16];
	int n = read_word(&p, w);
	if ((n == 7 && !memcmp(w, "jakarta", 7)) ||
	    (n == 9 && !memcmp(w, "pontianak", 9)))
		*min = 420;
	else if (n == 8 && !memcmp(w, "makassar", 8))
		*min = 480;
	else if (n == 8 && !memcmp(w, "jayapura", 8))
		*min = 540;
	else
		return 0;
	*pp = p;
	return 1;
}

/* Indonesian parts of the day, which 12-hour times carry ("7.30 malam"
 * is 19:30): pagi (morning), siang (midday), sore (afternoon), malam
 * (night). Returns the code finish() reads, or 0. */
static int daypart(const char *w, int n)
{
	if (n == 4 && !memcmp(w, "pagi", 4))
		return 'g';
	if (n == 5 && !memcmp(w, "siang", 5))
		return 'i';
	if (n == 4 && !memcmp(w, "sore", 4))
		return 'o';
	if (n == 5 && !memcmp(w, "malam", 5))
		return 'l';
	return 0;
}

static void set_zone_name(struct dt *d, int min)
{
	if (d->zone == Z_NONE || d->zone == Z_GUESSED) {
		d->off = min;
		d->zone = Z_NAMED;
	}
}

static int word(const unsigned char **pp, struct dt *d)
{
	const unsigned char *p = *pp;
	char w[16];
	int n = read_word(&p, w), min;
	*pp = p;
	if (n <= 0)
		return 0;
	int have_time = d->h != UNSET;
	int have_date = d->y != UNSET || d->yd != UNSET || d->wk != UNSET;

	/* ISO 8601's T between date and time. */
	if (n == 1 && w[0] == 't' && have_date && !have_time && isdig(*p)) {
		d->tsep = 1;
		return 1;
	}
	/* a.m. / p.m. */
	if (n == 1 && (w[0] == 'a' || w[0] == 'p') && p[0] == '.' &&
	    (p[1] | 32) == 'm' && !isalph(p[2])) {
		p += 2;
		if (*p == '.')
			p++;
		*pp = p;
		n = 2;
		w[1] = 'm';
	}
	int mer = n == 2 && (w[0] == 'a' || w[0] == 'p') && w[1] == 'm' ? w[0]
	          : daypart(w, n);
	if (mer) {
		if (d->mer || !have_time)
			return 0;
		d->mer = mer;
		return 1;
	}
	if (n == 1) {
		if (!have_time || !military(w[0], &min))
			return 0;
		set_zone_name(d, min);
		return 1;
	}
	/* "Etc/GMT+7" is the tz database's name for UTC-7. */
	if (n == 3 && !memcmp(w, "etc", 3) && *p == '/' && isalph(p[1])) {
		*pp = p + 1;
		d->etc = 1;
		return 1;
	}
	if (n == 4 && !memcmp(w, "asia", 4) && *p == '/') {
		if (!iana(pp, &min))
			return 0;
		d->tokens++;
		set_zone_name(d, min);
		return 1;
	}
	if (zone_lookup(w, n, &min)) {
		/* "at" is a zone only where a zone can be. */
		if (n == 2 && !memcmp(w, "at", 2) && !have_time)
			return 1;
		d->tokens++;
		if (min == 0 && (*p == '+' || *p == '-') && isdig(p[1])) {
			/* GMT+7, UTC-05:00: the offset is the zone. */
			if (!offset(pp, d, d->etc))
				return 0;
			return 1;
		}
		set_zone_name(d, min);
		return 1;
	}
	if (filler(w, n))
		return 1;
	if (n >= 3) {
		int m = month3(w);
		if (m) {
			if (d->mo != UNSET || d->yd != UNSET || d->wk != UNSET)
				return 0;
			d->mo = m;
			d->tokens++;
			return 1;
		}
		if (day3(w)) {
			d->tokens++;
			return 1;
		}
	}
	/* An unknown short name where the zone goes: feedparser reads it as
	 * UTC; we do too, and say so in the flags. */
	if (have_time && d->zone == Z_NONE && n <= 5) {
		d->zone = Z_GUESSED;
		d->off = 0;
		return 1;
	}
	return 0;
}

/* A run of digits and what follows it. */
static int number(const unsigned char **pp, struct dt *d)
{
	const unsigned char *p = *pp, *q, *r;
	int la, lb, lc, b, c;
	int a = num(&p, &la);
	int tsep = d->tsep;
	unsigned sep = *p;
	d->tsep = 0;
	d->tokens++;

	/* ISO 8601 basic time after T: 101455, 1014. */
	if (tsep && (la == 4 || la == 6) && sep != ':') {
		int ok = la == 6 ? set_time(d, a / 10000, a / 100 % 100, a % 100)
		                 : set_time(d, a / 100, a % 100, 0);
		*pp = skip_fraction(p);
		return ok;
	}
	/* ISO 8601 basic date and time in one run: 20031231101455,
	 * 200312311014. */
	if (la == 14 || la == 12) {
		const unsigned char *z = *pp;
		*pp = p;
		if (!set_date(d, digits(z, 4), digits(z + 4, 2),
		              digits(z + 6, 2)))
			return 0;
		return set_time(d, digits(z + 8, 2), digits(z + 10, 2),
		                la == 14 ? digits(z + 12, 2) : UNSET);
	}
	/* ISO 8601 basic date: 20031231, ordinal 2003335. */
	if (la == 8) {
		*pp = p;
		return set_date(d, a / 10000, a / 100 % 100, a % 100);
	}
	if (la == 7) {
		*pp = p;
		if (!set_date(d, a / 1000, UNSET, UNSET))
			return 0;
		d->yd = a % 1000;
		return 1;
	}
	if (la == 4 && (sep == '-' || sep == '/' || sep == '.')) {
		/* ISO week date: 2004-W53-6, 2004-W53 (Monday). */
		if (sep == '-' && (p[1] | 32) == 'w' && isdig(p[2])) {
			q = p + 2;
			b = num(&q, &lb);
			c = 1;
			if (lb != 2)
				return 0;
			if (*q == '-' && isdig(q[1])) {
				r = q + 1;
				c = num(&r, &lc);
				if (lc != 1)
					return 0;
				q = r;
			}
			*pp = q;
			if (!set_date(d, a, UNSET, UNSET))
				return 0;
			d->wk = b;
			d->wd = c;
			return 1;
		}
		if (isdig(p[1])) {
			q = p + 1;
			b = num(&q, &lb);
			if (sep == '-' && lb == 3 && !(*q == '-' && isdig(q[1]))) {
				/* Ordinal date: 2003-335. */
				*pp = q;
				if (!set_date(d, a, UNSET, UNSET))
					return 0;
				d->yd = b;
				return 1;
			}
			/* Google once wrote 2003-012-31: a 3-digit month
			 * with a leading zero is read. */
			if (lb > 2 && !(lb == 3 && b < 100))
				return 0;
			if (*q == sep && isdig(q[1])) {
				r = q + 1;
				c = num(&r, &lc);
				if (lc > 2)
					return 0;
				*pp = r;
				return set_date(d, a, b, c);
			}
			if (sep != '-')
				return 0;
			/* W3CDTF's YYYY-MM. */
			*pp = q;
			if (!set_date(d, a, b, UNSET))
				return 0;
			d->partial = 1;
			return 1;
		}
	}
	if (la <= 2 && (sep == '/' || sep == '-' || sep == '.') && isdig(p[1])) {
		q = p + 1;
		b = num(&q, &lb);
		if (lb > 2)
			return 0;
		if (*q == sep && isdig(q[1])) {
			r = q + 1;
			c = num(&r, &lc);
			/* With dots, 2.12.2025 is a date, 10.30.15 a time. */
			if (sep != '.' || lc == 4) {
				if (lc != 2 && lc != 4)
					return 0;
				/* Day first, as Indonesia (and most of the
				 * world) writes it, unless only month first
				 * can be right: 12/31/2025. */
				if (b > 12 && a <= 12) {
					int t = a;
					a = b;
					b = t;
				}
				*pp = r;
				return set_date(d, full_year(c, lc), b, a);
			}
			if (lb != 2 || lc != 2)
				return 0;
			*pp = skip_fraction(r);
			return set_time(d, a, b, c);
		}
		if (sep != '.' || lb != 2)
			return 0;
		/* "pukul 10.30". */
		*pp = q;
		return set_time(d, a, b, UNSET);
	}
	if (la <= 2 && sep == ':' && isdig(p[1])) {
		q = p + 1;
		b = num(&q, &lb);
		c = UNSET;
		if (lb > 2)
			return 0;
		if (*q == ':' && isdig(q[1])) {
			r = q + 1;
			c = num(&r, &lc);
			if (lc > 2)
				return 0;
			q = skip_fraction(r);
		}
		if (*q == ':')
			return 0;
		*pp = q;
		return set_time(d, a, b, c);
	}
	*pp = p;
	/* A lone number. */
	if (la == 4 || la == 3) {
		if (d->y != UNSET || d->yd != UNSET)
			return 0;
		d->y = full_year(a, la);
		d->lone_year = la == 4;
		return 1;
	}
	if (la <= 2) {
		if (d->d == UNSET && d->yd == UNSET && d->wk == UNSET) {
			d->d = a;
			return 1;
		}
		if (d->y == UNSET) {
			d->y = full_year(a, la);
			return 1;
		}
	}
	return 0;
}

/* "(WIB)", "(Central European Summer Time)", "[Asia/Jakarta]": an RFC 822
 * comment, or Java's zone id. A lone zone name inside is used when no zone
 * came before; other comments are skipped. Brackets around digits
 * ("Senin (1/12/2025)") are just punctuation. */
static const unsigned char *comment(const unsigned char *p, struct dt *d)
{
	unsigned close = *p == '(' ? ')' : ']';
	const unsigned char *q = p + 1, *end;
	while (*q && *q != close) {
		if (isdig(*q))
			return p + 1;
		q++;
	}
	end = *q ? q + 1 : q;
	q = p + 1;
	while (space_len(q))
		q += space_len(q);
	char w[16];
	int n = read_word(&q, w), min, ok;
	if (n == 4 && !memcmp(w, "asia", 4) && *q == '/')
		ok = iana(&q, &min);
	else
		ok = zone_lookup(w, n, &min);
	while (space_len(q))
		q += space_len(q);
	if (ok && *q == close)
		set_zone_name(d, min);
	else if (!ok && *q == '/' && d->zone == Z_NONE)
		d->zone = Z_GUESSED; /* [Europe/London]: a zone we lack */
	return end;
}

static int scan(const unsigned char *p, struct dt *d)
{
	while (*p) {
		int n = space_len(p);
		if (n) {
			p += n;
			continue;
		}
		unsigned c = *p;
		if (isdig(c)) {
			if (!number(&p, d))
				return 0;
			continue;
		}
		if (isalph(c) || c >= 0x80) {
			if (!word(&p, d))
				return 0;
			continue;
		}
		d->tsep = 0;
		switch (c) {
		case '+':
		case '-':
			if (isdig(p[1]) && d->h != UNSET) {
				if (!offset(&p, d, 0))
					return 0;
				continue;
			}
			if (c == '+')
				return 0;
			p++;
			continue;
		case '(':
		case '[':
			p = comment(p, d);
			continue;
		case ',': case ';': case '.': case '/': case '|': case '@':
		case ')': case ']': case '\'': case '"':
			p++;
			continue;
		default:
			return 0;
		}
	}
	return 1;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(int64_t y, int m)
{
	static const unsigned char n[] = {31, 28, 31, 30, 31, 30,
	                                  31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : n[m - 1];
}

/* Monday = 0 … Sunday = 6; 1970-01-01 was a Thursday. */
static int weekday(int64_t days)
{
	int64_t w = (days + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

static int finish(struct dt *d, int64_t *t, unsigned *how)
{
	unsigned fl = 0;
	int64_t days;
	/* Years before 1000 are sentinels or bugs (0001-01-01 is .NET's and
	 * Go's "no date"), not news; after 9999 RFC 3339 cannot say them. */
	if (d->y < 1000 || d->y > 9999)
		return 0;
	if (d->wk != UNSET) {
		if (d->wk < 1 || d->wk > 53 || d->wd < 1 || d->wd > 7)
			return 0;
		int64_t jan4 = date_days_from_civil(d->y, 1, 4);
		int64_t jan1 = jan4 - 3;
		int long_year = weekday(jan1) == 3 ||
		                (is_leap(d->y) && weekday(jan1) == 2);
		if (d->wk == 53 && !long_year)
			return 0;
		days = jan4 - weekday(jan4) + (d->wk - 1) * 7 + (d->wd - 1);
	} else if (d->yd != UNSET) {
		if (d->yd < 1 || d->yd > (is_leap(d->y) ? 366 : 365))
			return 0;
		days = date_days_from_civil(d->y, 1, 1) + d->yd - 1;
	} else {
		if (d->mo == UNSET && d->d == UNSET && d->lone_year &&
		    d->tokens == 1) {
			/* W3CDTF's YYYY alone. */
			d->mo = 1;
			d->d = 1;
			fl |= DATE_PARTIAL;
		} else if (d->d == UNSET && d->partial) {
			d->d = 1;
			fl |= DATE_PARTIAL;
		}
		if (d->mo < 1 || d->mo > 12 || d->d < 1 ||
		    d->d > mdays(d->y, d->mo))
			return 0;
		days = date_days_from_civil(d->y, (unsigned)d->mo,
		                            (unsigned)d->d);
	}
	int h = d->h, mi = d->mi, s = d->s;
	if (h == UNSET) {
		if (d->mer)
			return 0;
		h = mi = s = 0;
		fl |= DATE_NO_TIME;
	}
	if (s == UNSET)
		s = 0;
	switch (d->mer) {
	case 'a': case 'p':
		if (h < 1 || h > 12)
			return 0;
		h = h % 12 + (d->mer == 'p' ? 12 : 0);
		break;
	/* Indonesian writers mix the two clocks ("19.00 malam"): an hour
	 * past 12 stands as written. */
	case 'g': /* pagi: 12 pagi is midnight */
		if (h == 12)
			h = 0;
		break;
	case 'i': /* siang, 11:00–15:00: "siang 1.00" is 13:00 */
		if (h < 11)
			h += 12;
		break;
	case 'o': /* sore, 15:00–18:00 */
		if (h < 12)
			h += 12;
		break;
	case 'l': /* malam, 18:00 into the small hours */
		if (h >= 6 && h < 12)
			h += 12;
		else if (h == 12)
			h = 0;
		break;
	}
	/* 24:00:00 is the end of the day, i.e. the next midnight. */
	if (h > 24 || mi > 59 || s > 60 || (h == 24 && (mi || s)))
		return 0;
	/* A leap second is read as :59, keeping the day, hour and minute
	 * the source wrote; POSIX time has no :60 to give it. */
	if (s == 60)
		s = 59;
	if (d->zone == Z_NONE)
		fl |= DATE_NO_ZONE;
	else if (d->zone == Z_GUESSED)
		fl |= DATE_ZONE_GUESSED;
	int64_t v = days * 86400 + h * 3600 + mi * 60 + s - d->off * 60;
	/* In [1000-01-01T00:00:00Z, 9999-12-31T23:59:59Z], so that what
	 * date_rfc3339 writes reads back the same. */
	if (v < -30610224000LL || v > 253402300799LL)
		return 0;
	*t = v;
	if (how)
		*how = fl;
	return 1;
}

int date_parse_how(const char *s, int64_t *t, unsigned *how)
{
	struct dt d = {
		.y = UNSET, .mo = UNSET, .d = UNSET, .yd = UNSET,
		.wk = UNSET, .wd = UNSET,
		.h = UNSET, .mi = UNSET, .s = UNSET,
	};
	if (!s || !scan((const unsigned char *)s, &d))
		return 0;
	return finish(&d, t, how);
}

int date_parse(const char *s, int64_t *t)
{
	return date_parse_how(s, t, NULL);
}

int date_parse_cli(const char *s, int64_t now, int64_t *t)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!p)
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	const unsigned char *q = p;
	int n, v = num(&q, &n);
	if (n >= 1 && n <= 6 && *q) {
		static const char units[] = "smhdw";
		static const int64_t secs[] = {1, 60, 3600, 86400, 604800};
		const char *u = strchr(units, *q);
		if (u) {
			q++;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q)
				return 0;
			*t = now - (int64_t)v * secs[u - units];
			return 1;
		}
	}
	/* Absolute dates must start as RFC 3339 does, so a typo such as
	 * "7x" or "yesterday" is a usage error, not some guessed date. */
	if (n != 4 || *q != '-' || !isdig(q[1]))
		return 0;
	return date_parse((const char *)p, t);
}
