/* test_tokenizer.c — the Indonesian tokenizer inside a real FTS5 table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "t.h"
#include "tokenizer.h"
#include "util.h"

/* An in-memory FTS5 table of (title, body) rows, rowids from 1. */
static sqlite3 *fts(const char *const *rows)
{
	sqlite3 *db = NULL;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    tokenizer_register(db) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, body,"
	                 " tokenize='warta');"
	                 "CREATE VIRTUAL TABLE v USING fts5vocab(t, "
	                 "'instance');", NULL, NULL, NULL) != SQLITE_OK)
		abort();
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "INSERT INTO t(title, body) VALUES(?1, ?2)", -1,
	                   &st, NULL);
	for (int i = 0; rows[i]; i += 2) {
		sqlite3_bind_text(st, 1, rows[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, rows[i + 1], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			abort();
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	/* FTS5 re-tokenizes every row and compares: the tokenizer must give
	 * the same tokens each time, or deletes would corrupt the index */
	if (sqlite3_exec(db, "INSERT INTO t(t) VALUES('integrity-check')",
	                 NULL, NULL, NULL) != SQLITE_OK)
		abort();
	return db;
}

/* The rowids a raw FTS5 expression matches, as "1 3", or "ERR: …". */
static char *hits(sqlite3 *db, const char *match)
{
	static char out[512];
	sqlite3_stmt *st;
	out[0] = 0;
	sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1 "
	                   "ORDER BY rowid", -1, &st, NULL);
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	int rc;
	size_t n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%d",
		                      n ? " " : "", sqlite3_column_int(st, 0));
	if (rc != SQLITE_DONE)
		snprintf(out, sizeof out, "ERR: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return out;
}

/* The terms indexed for one row, in order, "term@offset" each, stems
 * shown with '~' for the mark. */
static char *terms(sqlite3 *db, int row)
{
	static char out[2048];
	sqlite3_stmt *st;
	out[0] = 0;
	sqlite3_prepare_v2(db, "SELECT term, offset FROM v WHERE doc = ?1 "
	                   "ORDER BY col DESC, offset, term", -1, &st, NULL);
	sqlite3_bind_int(st, 1, row);
	size_t n = 0;
	while (sqlite3_step(st) == SQLITE_ROW && n < sizeof out - 100) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s%s@%d",
		                      n ? " " : "",
		                      t[0] == TOKENIZER_STEM_MARK ? "~" : "",
		                      t + (t[0] == TOKENIZER_STEM_MARK),
		                      sqlite3_column_int(st, 1));
	}
	sqlite3_finalize(st);
	return out;
}

static const char *const news[] = {
	/* 1 */ "Program Pemberdayaan Masyarakat",
	        "Pemkot memberdayakan UMKM di Banjarbaru.",
	/* 2 */ "Warga berdaya", "Kelompok tani makin berdaya.",
	/* 3 */ "Rapat KORPRI", "Rapat membahas PEMBERDAYAAN dan KORPRI.",
	/* 4 */ "PEMKOT GELAR PELATIHAN KADER", "Pelatihan berlangsung lancar.",
	/* 5 */ "Wali kota menulis surat",
	        "Surat dikirimkan; Diskominfo mengatakan sudah dikatakan.",
	/* 6 */ "Daya listrik", "Daya tahan tubuh",
	NULL,
};

TEST(tokenizer_stems_match_affixed_forms)
{
	sqlite3 *db = fts(news);
	CHECK_STR(hits(db, "berdaya"), "1 2 6");
	CHECK_STR(hits(db, "memberdayakan"), "1 2 6");
	/* row 3 holds PEMBERDAYAAN in capitals: only the word itself */
	CHECK_STR(hits(db, "pemberdayaan"), "1 2 3 6");
	/* a word and its stem share one position */
	CHECK_CONTAINS(terms(db, 1), "~daya@1 memberdayakan@1");
	CHECK_CONTAINS(terms(db, 1), "~daya@1 pemberdayaan@1");
	/* every word carries its stem, itself when it has no affix: a
	 * query word then needs only stems */
	CHECK_CONTAINS(terms(db, 6), "~daya@0 daya@0 ~listrik@1 listrik@1");
	sqlite3_close(db);
}

TEST(tokenizer_exact_string_matches_only_the_word)
{
	sqlite3 *db = fts(news);
	char q[64];
	snprintf(q, sizeof q, "\"%cberdaya\"", TOKENIZER_EXACT_MARK);
	CHECK_STR(hits(db, q), "2");
	snprintf(q, sizeof q, "\"%cdaya\"", TOKENIZER_EXACT_MARK);
	CHECK_STR(hits(db, q), "6");
	snprintf(q, sizeof q, "\"%cpemberdayaan\"", TOKENIZER_EXACT_MARK);
	CHECK_STR(hits(db, q), "1 3");
	sqlite3_close(db);
}

TEST(tokenizer_meN_prefix_finds_the_root_back)
{
	sqlite3 *db = fts(news);
	/* Snowball: mengatakan → ata, menulis → ulis, dikirimkan → kirim */
	CHECK_STR(hits(db, "kata"), "5");
	CHECK_STR(hits(db, "mengatakan"), "5");
	CHECK_STR(hits(db, "tulis"), "5");
	CHECK_STR(hits(db, "kirim"), "5");
	CHECK_STR(hits(db, "mengirim"), "5");
	sqlite3_close(db);
}

TEST(tokenizer_protected_words_are_not_stemmed)
{
	static const char *const words[] = {
		"diskominfo", "bappeda", "dprd", "pemkot", "pemprov",
		"pemkab", "humas", "prokopim", "setda", "dinkes", "kominfo",
		"banjarbaru", "banjarmasin", "kotabaru", "tarakan", "madiun",
		"kendari", "indramayu", "karawang", "kuningan", "lebak",
		"gorontalo", "bekasi", "kalimantan", "berita", "kepala", NULL,
	};
	char out[80];
	for (int i = 0; words[i]; i++) {
		size_t n = strlen(words[i]);
		if (!tokenizer_protected(words[i], n))
			t_fail(__FILE__, __LINE__, "%s is not protected",
			       words[i]);
		tokenizer_stem(words[i], n, out, sizeof out);
		CHECK_STR(out, words[i]);
	}
	/* what the list is for: Snowball alone would cut these */
	tokenizer_stem("diskominfox", 11, out, sizeof out);
	CHECK(!tokenizer_protected("diskominfox", 11));
	tokenizer_stem("pemberdayaan", 12, out, sizeof out);
	CHECK_STR(out, "daya");

	static const char *const rows[] = {
		"Diskominfo Tarakan", "Kuningan dan Kendari, Kalimantan",
		"Warna kuning", "Tara dan ndari", NULL,
	};
	sqlite3 *db = fts(rows);
	CHECK_STR(terms(db, 1), "~diskominfo@0 diskominfo@0 ~tarakan@1 tarakan@1 "
	          "~kuningan@0 kuningan@0 ~dan@1 dan@1 ~kendari@2 kendari@2 "
	          "~kalimantan@3 kalimantan@3");
	CHECK_STR(hits(db, "kuningan"), "1");
	CHECK_STR(hits(db, "kuning"), "2");
	CHECK_STR(hits(db, "tarakan"), "1");
	CHECK_STR(hits(db, "tara"), "2");
	sqlite3_close(db);
}

TEST(tokenizer_all_caps_words_in_text_are_names)
{
	sqlite3 *db = fts(news);
	/* KORPRI and PEMBERDAYAAN stand in ordinary text: kept whole */
	CHECK_CONTAINS(terms(db, 3), "~pemberdayaan@2 pemberdayaan@2 ~dan@3 "
	               "dan@3 ~korpri@4 korpri@4");
	CHECK_LACKS(terms(db, 3), "~daya");
	/* a headline all in capitals is shouting: its words are stemmed */
	CHECK_CONTAINS(terms(db, 4), "~latih@2 pelatihan@2");
	CHECK_STR(hits(db, "latih"), "4");
	/* one word alone in capitals is a name */
	static const char *const rows[] = {"PELATIHAN", "x", NULL};
	sqlite3 *db2 = fts(rows);
	CHECK_STR(terms(db2, 1), "~pelatihan@0 pelatihan@0 ~x@0 x@0");
	sqlite3_close(db2);
	sqlite3_close(db);
}

TEST(tokenizer_phrases_keep_word_order)
{
	sqlite3 *db = fts(news);
	CHECK_STR(hits(db, "\"wali kota\""), "5");
	CHECK_STR(hits(db, "\"kota wali\""), "");
	CHECK_STR(hits(db, "wali + kota"), "5");
	/* stems take part in phrases: "berdaya masyarakat"-style forms */
	CHECK_STR(hits(db, "\"program berdaya\""), "1");
	char q[64];
	snprintf(q, sizeof q, "\"%cprogram berdaya\"", TOKENIZER_EXACT_MARK);
	CHECK_STR(hits(db, q), "");
	sqlite3_close(db);
}

TEST(tokenizer_prefix_works_on_the_surface_form)
{
	sqlite3 *db = fts(news);
	CHECK_STR(hits(db, "pember*"), "1 3");
	CHECK_STR(hits(db, "memberdaya*"), "1");
	/* stems are not words: a prefix of a stem finds only words */
	CHECK_STR(hits(db, "day*"), "6");
	CHECK_STR(hits(db, "\"wali ko\"*"), "5");
	sqlite3_close(db);
}

TEST(tokenizer_apostrophes_join_a_word)
{
	static const char *const rows[] = {
		/* 1 */ "Salat Jum'at", "Khutbah Jum’at di masjid",
		/* 2 */ "Hari Jumat", "Jadwal 'kegiatan' warga",
		/* 3 */ "Al-Qur'an", "Rock 'n' roll",
		NULL,
	};
	sqlite3 *db = fts(rows);
	CHECK_CONTAINS(terms(db, 1), "~salat@0 salat@0 ~jumat@1 jum'at@1");
	/* the typographic apostrophe is the same word */
	CHECK_CONTAINS(terms(db, 1), "khutbah@0 ~jumat@1 jum'at@1 ~di@2 di@2");
	/* quotes around a word are not apostrophes inside it */
	CHECK_CONTAINS(terms(db, 2), "jadwal@0 ~giat@1 kegiatan@1 ~warga@2");
	CHECK_CONTAINS(terms(db, 3), "al@0 ~quran@1 qur'an@1");
	/* Jumat finds both spellings, "Jum'at" only itself */
	CHECK_STR(hits(db, "jumat"), "1 2");
	CHECK_STR(hits(db, "\"jum'at\""), "1 2");
	char q[64];
	snprintf(q, sizeof q, "\"%cjum'at\"", TOKENIZER_EXACT_MARK);
	CHECK_STR(hits(db, q), "1");
	snprintf(q, sizeof q, "\"%cjumat\"", TOKENIZER_EXACT_MARK);
	CHECK_STR(hits(db, q), "2");
	sqlite3_close(db);
}

TEST(tokenizer_numbers_stay_whole)
{
	static const char *const rows[] = {
		/* 1 */ "Pukul 09.30 WITA", "Dana Rp1.500.000 naik 2,5 persen",
		/* 2 */ "Tahun 2024. Pada", "Jam 10:30, rapat 09 30",
		NULL,
	};
	sqlite3 *db = fts(rows);
	/* numbers are only themselves: no stem */
	CHECK_CONTAINS(terms(db, 1), "pukul@0 09.30@1 ~wita@2");
	CHECK_CONTAINS(terms(db, 1), "dana@0 rp1.500.000@1 ~naik@2 naik@2 2,5@3");
	CHECK_CONTAINS(terms(db, 2), "tahun@0 2024@1 ~pada@2");
	CHECK_CONTAINS(terms(db, 2), "10:30@1");
	CHECK_STR(hits(db, "\"09.30\""), "1");
	CHECK_STR(hits(db, "09 + 30"), "2");
	sqlite3_close(db);
}

TEST(tokenizer_folds_case_and_diacritics)
{
	static const char *const rows[] = {
		"Café Résumé", "ÉLITE naïve", "BANJIR Rob", "kota", NULL,
	};
	sqlite3 *db = fts(rows);
	CHECK_STR(hits(db, "cafe"), "1");
	CHECK_STR(hits(db, "CAFÉ"), "1");
	CHECK_STR(hits(db, "resume"), "1");
	CHECK_STR(hits(db, "naive"), "1");
	CHECK_STR(hits(db, "Elite"), "1");
	CHECK_STR(hits(db, "banjir"), "2");
	CHECK_STR(hits(db, "KOTA"), "2");
	sqlite3_close(db);
}

TEST(tokenizer_keeps_stop_words)
{
	static const char *const rows[] = {
		"yang dan di ke dari", "ini itu untuk", NULL,
	};
	sqlite3 *db = fts(rows);
	CHECK_STR(terms(db, 1), "~yang@0 yang@0 ~dan@1 dan@1 ~di@2 di@2 ~ke@3 "
	          "ke@3 ~dari@4 dari@4 ~ini@0 ini@0 ~itu@1 itu@1 ~untuk@2 "
	          "untuk@2");
	CHECK_STR(hits(db, "yang"), "1");
	CHECK_STR(hits(db, "\"dari\""), "1");
	sqlite3_close(db);
}

TEST(tokenizer_highlight_marks_whole_words_once)
{
	sqlite3 *db = fts(news);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT highlight(t, 1, '[', ']') FROM t "
	                   "WHERE t MATCH 'berdaya' AND rowid = 1", -1, &st,
	                   NULL);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0),
	          "Pemkot [memberdayakan] UMKM di Banjarbaru.");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

TEST(tokenizer_survives_odd_text)
{
	struct buf big = {0};
	for (int i = 0; i < 400; i++)
		buf_puts(&big, "a'");
	buf_puts(&big, " x ");
	for (int i = 0; i < 300; i++)
		buf_puts(&big, "9.");
	buf_puts(&big, " https://example.go.id/a'b?x=1&y=09.30 ");
	buf_add(&big, "\xff\xfe\x00z", 4);  /* bytes that are not UTF-8 */
	const char *rows[] = {big.p, "", "'", "''", "’", ".,:", NULL};
	sqlite3 *db = fts(rows);
	CHECK_STR(hits(db, "x"), "1");
	CHECK_STR(hits(db, "example"), "1");
	CHECK_INT(sqlite3_exec(db, "DELETE FROM t WHERE rowid = 1", NULL, NULL,
	                       NULL), SQLITE_OK);
	CHECK_STR(hits(db, "x"), "");
	CHECK_INT(sqlite3_exec(db, "INSERT INTO t(t) VALUES('integrity-check')",
	                       NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	buf_free(&big);
}

/* The stem cache (a slot per hash, overwritten) must never change a stem:
 * more distinct words than it has slots, twice over, each indexed with
 * the stem Snowball gives it alone. */
TEST(tokenizer_stem_cache_gives_snowball_s_stems)
{
	enum { WORDS = 6000 };
	struct buf text = {0};
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < WORDS; i++) {
			char w[32];
			int k = pass ? WORDS - 1 - i : i;
			snprintf(w, sizeof w, "memper%c%c%ckan ",
			         'a' + k % 26, 'a' + k / 26 % 26,
			         'a' + k / 676 % 26);
			buf_puts(&text, w);
		}
	const char *rows[] = {"x", text.p, NULL};
	sqlite3 *db = fts(rows);
	/* each position holds the word and its marked stem (one scan of
	 * the vocabulary, in position order: a self-join would be
	 * quadratic) */
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT term, offset FROM v WHERE doc = 1 AND "
	                   "col = 'body' ORDER BY offset", -1, &st, NULL);
	char word[80] = "", stem[80] = "";
	int at = -1, n = 0, wrong = 0;
	for (int rc = sqlite3_step(st);; rc = sqlite3_step(st)) {
		int off = rc == SQLITE_ROW ? sqlite3_column_int(st, 1) : -2;
		if (off != at && at >= 0) {  /* a position complete */
			char want[80];
			tokenizer_stem(word, strlen(word), want, sizeof want);
			if (strcmp(stem, want) != 0 && wrong++ < 3)
				t_fail(__FILE__, __LINE__, "%s: indexed stem "
				       "%s, Snowball's %s", word, stem, want);
			n++;
			word[0] = stem[0] = 0;
		}
		if (rc != SQLITE_ROW)
			break;
		at = off;
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (t[0] == TOKENIZER_STEM_MARK)
			snprintf(stem, sizeof stem, "%s", t + 1);
		else
			snprintf(word, sizeof word, "%s", t);
	}
	sqlite3_finalize(st);
	CHECK_INT(n, 2 * WORDS);
	CHECK_INT(wrong, 0);
	sqlite3_close(db);
	buf_free(&text);
}

/* A tape made on a tokenizer of its own (the parse thread's) indexes
 * what tokenizing the same text does; a column of another length is
 * tokenized as usual. */
TEST(tokenizer_tape_indexes_what_tokenizing_does)
{
	const char *title = "DPRD Kalsel: Jum'at 09.30, Rp1.500.000";
	const char *body = "Pemberdayaan warga PESISIR, caf\xc3\xa9 r\xc3\xa9sum\xc3"
	                   "\xa9; mengatakan dan menulis berita";
	const char *const rows[] = {title, body, NULL};
	sqlite3 *db = fts(rows);
	struct tokenizer_pre *tp = tokenizer_pre_new();
	CHECK(tp != NULL);
	struct tokenizer_tape tape[2] = {{0}};
	CHECK_INT(tokenizer_pre_run(tp, title, (int)strlen(title), &tape[0]), 0);
	CHECK_INT(tokenizer_pre_run(tp, body, (int)strlen(body), &tape[1]), 0);
	CHECK(tape[0].len > 0 && tape[1].len > 0);
	struct tokenizer_replay r = {{&tape[0], &tape[1]}, 0};
	sqlite3_stmt *st;
	CHECK(sqlite3_prepare_v2(db, "INSERT INTO t(title, body) VALUES(?1, ?2)",
	                         -1, &st, NULL) == SQLITE_OK);
	sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
	tokenizer_replay(&r);
	CHECK_INT(sqlite3_step(st), SQLITE_DONE);
	tokenizer_replay(NULL);
	CHECK_INT(r.used, 3);           /* both tapes played */
	char one[2048];
	snprintf(one, sizeof one, "%s", terms(db, 1));
	CHECK(strstr(one, "~daya@0") && strstr(one, "dprd@0"));
	CHECK_STR(terms(db, 2), one);
	/* other lengths: tokenized */
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, "Banjir", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, "rob", -1, SQLITE_STATIC);
	r.used = 0;
	tokenizer_replay(&r);
	CHECK_INT(sqlite3_step(st), SQLITE_DONE);
	tokenizer_replay(NULL);
	sqlite3_finalize(st);
	CHECK_INT(r.used, 0);
	CHECK_STR(terms(db, 3), "~banjir@0 banjir@0 ~rob@0 rob@0");
	CHECK(sqlite3_exec(db, "INSERT INTO t(t) VALUES('integrity-check')",
	                   NULL, NULL, NULL) == SQLITE_OK);
	tokenizer_tape_free(&tape[0]);
	tokenizer_tape_free(&tape[1]);
	tokenizer_pre_free(tp);
	sqlite3_close(db);
}
