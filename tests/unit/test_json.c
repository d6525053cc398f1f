/* test_json.c — the JSON writer keeps every document valid. */
#include "t.h"
#include "json.h"

TEST(json_nesting_and_commas)
{
	struct buf b = {0};
	struct jw w;
	jw_init_buf(&w, &b, 0);
	jw_obj(&w);
	jw_kstr(&w, "a", "x");
	jw_key(&w, "list");
	jw_arr(&w);
	jw_int(&w, 1);
	jw_bool(&w, 0);
	jw_null(&w);
	jw_end(&w);
	jw_kstr_opt(&w, "skipped", "");
	jw_key(&w, "o");
	jw_obj(&w);
	jw_end(&w);
	jw_end(&w);
	CHECK_STR(b.p, "{\"a\":\"x\",\"list\":[1,false,null],\"o\":{}}");
	buf_free(&b);
}

TEST(json_repairs_utf8_and_escapes_controls)
{
	struct buf b = {0};
	json_escape(&b, "a\"\\\n\x01\xff\xc3\xa9\xed\xa0\x80z", 12);
	CHECK_STR(b.p, "a\\\"\\\\\\n\\u0001\xEF\xBF\xBD\xc3\xa9\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz");
	buf_free(&b);
}

TEST(json_dates_are_rfc3339_utc)
{
	struct buf b = {0};
	struct jw w;
	jw_init_buf(&w, &b, 0);
	jw_date(&w, 1764642600);
	CHECK_STR(b.p, "\"2025-12-02T02:30:00Z\"");
	buf_free(&b);
}

/* Long strings take the eight-bytes-at-a-time path: every special byte
 * must still be caught wherever it falls. */
TEST(json_escape_long_strings)
{
	static const char specials[] = "\"\\\n\x01\xff";
	for (size_t at = 0; at < 24; at++) {
		for (size_t k = 0; k < sizeof specials - 1; k++) {
			char s[40];
			memset(s, 'a', sizeof s);
			s[at] = specials[k];
			struct buf b = {0};
			json_escape(&b, s, sizeof s);
			size_t plain = 0;
			for (size_t i = 0; i < b.len; i++)
				plain += b.p[i] == 'a';
			CHECK_INT(plain, sizeof s - 1);
			CHECK(b.len > sizeof s - 1 + 1);
			buf_free(&b);
		}
	}
}
