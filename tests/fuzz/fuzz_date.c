/*
 * fuzz_date.c — the date reader on any byte string. date.h promises no
 * read past the NUL, no state, and a result inside 1000-01-01 …
 * 9999-12-31 that date_rfc3339 writes back as a date it reads again to
 * the same second.
 */
#include "fuzz.h"

#include "date.h"

#define T_MIN (-30610224000LL)   /* 1000-01-01T00:00:00Z */
#define T_MAX (253402300799LL)   /* 9999-12-31T23:59:59Z */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 512)
		return 0;
	char *s = fuzz_cstr(data, size);
	int64_t t = 42, t2 = 43;
	unsigned how = 0;
	int ok = date_parse_how(s, &t, &how);
	FUZZ_ASSERT(ok == 0 || ok == 1, "date_parse_how gave %d", ok);
	if (!ok) {
		FUZZ_ASSERT(t == 42, "a failed parse changed *t");
	} else {
		FUZZ_ASSERT(t >= T_MIN && t <= T_MAX, "out of range: %lld",
		            (long long)t);
		FUZZ_ASSERT(date_parse(s, &t2) == 1 && t2 == t,
		            "two reads differ");
		char out[32];
		date_rfc3339(t, out);
		FUZZ_ASSERT(strlen(out) == 20, "not RFC 3339: %s", out);
		int64_t back = 0;
		FUZZ_ASSERT(date_parse(out, &back) == 1 && back == t,
		            "%s does not read back", out);
	}
	int64_t c = 0;
	(void)date_parse_cli(s, 1764642600, &c);
	free(s);
	return 0;
}
