/*
 * date.h — every date form feeds use, read into UTC seconds.
 *
 * date_parse reads, case-insensitively:
 *  - RFC 822/1123/2822 and their common mistakes: day name missing,
 *    misspelt ("Tues", "Thurs") or without its comma; 1-digit days;
 *    2- and 3-digit years (RFC 2822 §4.3: 00–49 → 20xx, 50–99 → 19xx,
 *    3 digits → 1900 + y); missing seconds or time; full month names;
 *    day and month swapped; the time before the year (asctime); extra
 *    dots and commas; RFC 850's "06-Nov-94"; "(comments)";
 *  - zones: numeric (+0700, +07:00, +07, -0000 = UTC), GMT+7 / UTC-05:00,
 *    Etc/GMT (tz database signs), RFC 822 names and military letters, the
 *    usual abbreviations (EST … PDT, CET, JST, AEST …) and Indonesia's
 *    WIB +07:00, WITA +08:00, WIT +09:00;
 *  - RFC 3339 / ISO 8601 / W3CDTF: YYYY, YYYY-MM, YYYY-MM-DD, with a time
 *    after T or a space, with or without seconds, fractions dropped,
 *    basic format (20031231T101455Z, 20031231101455), ordinal (2003-335)
 *    and week dates (2004-W53-6); perforce's 2006/09/15; Java's
 *    "[Asia/Jakarta]" (and Asia/Makassar, Asia/Jayapura, Asia/Pontianak);
 *  - Indonesian day and month names (Senin … Minggu/Ahad, Januari …
 *    Desember, Pebruari, Nopember, Agu/Agt/Ags, Okt, Des …), "pukul 10.30",
 *    day-first numeric dates (02/12/2025, 2.12.2025, read month-first
 *    only when day-first cannot be right: 12/31/2025; with dots, a.b.c
 *    is a date only when an end has 4 digits, so 10.30.15 is a time);
 *  - "December 2, 2025 at 10:30 am" (WordPress's default), am/pm, and
 *    Indonesian 12-hour times: "7.30 pagi/siang/sore/malam".
 * A date without a zone is read as UTC; without a time, as 00:00:00; an
 * unknown short name where the zone goes, as UTC (feedparser does too).
 * A leap second (:60) is read as :59. The result must lie within
 * 1000-01-01T00:00:00Z … 9999-12-31T23:59:59Z (year 1 and 0000-00-00 are
 * "no date" sentinels, not news). Not read: ISO 8601's obsolete 2-digit
 * year forms (031231, -0312), Unix timestamps, non-ASCII month names
 * other than the above. Anything not understood fails the whole date.
 *
 * It returns 1 and sets *t on success, 0 when the string is not a date it
 * can read (then *t is untouched). It allocates nothing, keeps no state,
 * touches no locale or TZ, and reads no byte past the string's NUL; any
 * byte string is a valid input.
 */
#ifndef WARTA_DATE_H
#define WARTA_DATE_H

#include <stdint.h>

int date_parse(const char *s, int64_t *t);

/* How a date was read, for whoever wants to mark approximate dates. */
enum {
	DATE_NO_TIME = 1,      /* no time of day: 00:00:00 assumed */
	DATE_NO_ZONE = 2,      /* no zone: read as UTC */
	DATE_ZONE_GUESSED = 4, /* an unknown zone name: read as UTC */
	DATE_PARTIAL = 8,      /* YYYY or YYYY-MM: the 1st (of January) */
};

/* date_parse, and on success *how (if not NULL) gets DATE_* flags. */
int date_parse_how(const char *s, int64_t *t, unsigned *how);

/* "YYYY-MM-DDTHH:MM:SSZ" into out; returns out. Years outside 0–9999 are
 * clamped so the output is always RFC 3339. */
char *date_rfc3339(int64_t t, char out[32]);

/* Dates on the command line (--since, --until): relative to now, a count
 * and a unit, s m h d w (30m, 12h, 7d, 2w: that long before now); or an
 * absolute date that starts as RFC 3339 does, YYYY-MM-…, read by
 * date_parse (so YYYY-MM-DD is 00:00 UTC). Returns 1 on success, 0 on
 * anything else (a usage error for the caller). */
int date_parse_cli(const char *s, int64_t now, int64_t *t);

/* Days since 1970-01-01 of a proleptic Gregorian date (no libc time zone
 * state involved); exposed because the archive and tests need it too. */
int64_t date_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
