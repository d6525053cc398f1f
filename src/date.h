/*
 * date.h — every date form feeds use, read into UTC seconds.
 *
 * date_parse reads RFC 822/1123 and their common mistakes, RFC 3339,
 * ISO 8601 / W3CDTF, and the Indonesian forms ("Selasa, 02 Desember 2025
 * 10:30 WITA", old spellings such as Pebruari and Nopember, "pukul 10.30",
 * WIB +07:00, WITA +08:00, WIT +09:00). A zone-less date is read as UTC.
 * It returns 1 and sets *t on success, 0 when the string is not a date it
 * can read (then *t is untouched). It allocates nothing and never fails
 * in any other way; any byte string is a valid input.
 */
#ifndef WARTA_DATE_H
#define WARTA_DATE_H

#include <stdint.h>

int date_parse(const char *s, int64_t *t);

/* "YYYY-MM-DDTHH:MM:SSZ" into out; returns out. Years outside 0–9999 are
 * clamped so the output is always RFC 3339. */
char *date_rfc3339(int64_t t, char out[32]);

/* Dates on the command line (--since, --until): YYYY-MM-DD (00:00 UTC),
 * RFC 3339, or relative to now: 30m, 12h, 7d, 2w. Returns 1 on success. */
int date_parse_cli(const char *s, int64_t now, int64_t *t);

/* Days since 1970-01-01 of a proleptic Gregorian date (no libc time zone
 * state involved); exposed because the archive and tests need it too. */
int64_t date_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
