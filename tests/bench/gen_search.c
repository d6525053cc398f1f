/*
 * gen_search.c — Indonesian-looking news for the search benchmark.
 *
 *   gen_search entries DB N SEED   fill table gen(...) of DB with N
 *                                  entries (one transaction)
 *   gen_search load ARCHIVE DB      copy DB's gen table into a warta
 *                                  archive (made by warta, schema in
 *                                  place): 30 feeds, one story per entry,
 *                                  then the FTS index rebuilt in one pass
 *                                  (warta's ingest indexes each entry it
 *                                  writes; a bulk copy does it at once)
 *   gen_search plain PLAIN DB       the same text into a plain unicode61
 *                                  FTS5 table p of PLAIN, for the sqlite3
 *                                  shell to be compared with
 *   gen_search queries DB N SEED   print N queries, one a line: a quarter
 *                                  each of one word, two words, a
 *                                  "phrase" and a prefix*, drawn from the
 *                                  generated text; each line is the query
 *                                  as a user types it, a tab, and the
 *                                  same query in plain FTS5 syntax
 *
 * The text is made of real Indonesian roots put through the affix rules
 * (meN-, peN-…-an, di-…-kan, ber-, ke-…-an, -nya), with agency and place
 * names, acronyms in capitals, times like 09.30 and sums like Rp1.500.000,
 * the words drawn with a Zipf law so that posting lists look like a real
 * archive's: a few words everywhere, most words rare. Deterministic for a
 * given seed. Built by bench_search.sh; not part of warta.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "tokenizer.h"

static const char *const roots[] = {
	"bangun", "kelola", "kembang", "layan", "bina", "daya", "kerja",
	"laksana", "resmi", "tanam", "tulis", "kirim", "kata", "sampai",
	"ajak", "ikut", "hadir", "serah", "buka", "tutup", "bantu", "dukung",
	"bahas", "rencana", "siap", "jaga", "awas", "periksa", "tingkat",
	"turun", "naik", "bayar", "jual", "beli", "pasar", "harga", "tani",
	"ikan", "ternak", "didik", "ajar", "latih", "sehat", "rawat", "obat",
	"gizi", "tolong", "pimpin", "pilih", "atur", "tata", "tertib",
	"aman", "damai", "satu", "kumpul", "temu", "sambut", "kunjung",
	"tinjau", "pantau", "ukur", "hitung", "catat", "lapor", "terima",
	"beri", "minta", "tanya", "jawab", "jelas", "umum", "putus", "tetap",
	"ubah", "tambah", "kurang", "capai", "hasil", "guna", "manfaat",
	"pakai", "isi", "salur", "sebar", "tampil", "lomba", "menang",
	"juara", "main", "gerak", "jalan", "lintas", "angkut", "bersih",
	"sampah", "hijau", "tanah", "air", "hutan", "banjir", "hujan",
	"cegah", "tangan", "tanggap", "selamat", "doa", "ibadah", "zakat",
	"didik", "sekolah", "guru", "murid", "kampus", "baca", "pustaka",
	"budaya", "seni", "adat", "tari", "musik", "wisata", "kenal",
	"promosi", "usaha", "modal", "pinjam", "simpan", "koperasi", "dagang",
	"industri", "produksi", "olah", "kemas", "kirim", "ekspor", "impor",
	"anggar", "belanja", "pajak", "retribusi", "aset", "rumah", "tinggal",
	"huni", "bangun", "gedung", "kantor", "taman", "lampu", "listrik",
	"jaring", "sinyal", "data", "sistem", "aplikasi", "digital", "layar",
	"siar", "warta", "kabar", "informasi", "komunikasi", "publik",
	"lindung", "anak", "ibu", "perempuan", "keluarga", "pemuda",
	"olahraga", "sepak", "bola", "renang", "lari", "sepeda", "senam",
	"vaksin", "imunisasi", "posyandu", "puskesmas", "rumah", "sakit",
	"dokter", "perawat", "bidan", "stunting", "gizi", "pangan", "beras",
	"cabai", "bawang", "telur", "daging", "minyak", "gula", "sembako",
	"subsidi", "bantu", "sosial", "miskin", "sejahtera", "kerja",
	"tenaga", "upah", "gaji", "pegawai", "aparatur", "disiplin", "apel",
	"upacara", "rapat", "sidang", "paripurna", "raperda", "perda",
	"aturan", "hukum", "adil", "jaksa", "polisi", "tahan", "jaga",
	"patroli", "razia", "operasi", "pasar", "murah", "harga", "stabil",
};
#define NROOTS (sizeof roots / sizeof roots[0])

/* Words that are never affixed: function words, names, acronyms. */
static const char *const plain[] = {
	"yang", "dan", "di", "ke", "dari", "untuk", "dengan", "pada", "ini",
	"itu", "dalam", "akan", "oleh", "juga", "tersebut", "bahwa", "ada",
	"tidak", "sudah", "telah", "sebagai", "agar", "para", "kita", "kami",
	"mereka", "saat", "hari", "tahun", "bulan", "minggu", "kota",
	"kabupaten", "provinsi", "desa", "kelurahan", "kecamatan", "warga",
	"masyarakat", "pemerintah", "daerah", "program", "kegiatan", "wali",
	"bupati", "gubernur", "camat", "lurah", "kepala", "dinas", "badan",
	"sekretaris", "wakil", "ketua", "anggota", "Banjarbaru",
	"Banjarmasin", "Kalimantan", "Selatan", "Martapura", "Kotabaru",
	"Tarakan", "Madiun", "Kendari", "Indramayu", "Karawang", "Kuningan",
	"Lebak", "Gorontalo", "Bekasi", "Diskominfo", "Bappeda", "Pemkot",
	"Pemprov", "Pemkab", "Humas", "Prokopim", "Setda", "Dinkes", "DPRD",
	"UMKM", "BPBD", "ASN", "TNI", "Polri", "KORPRI", "APBD", "Senin",
	"Selasa", "Rabu", "Kamis", "Jum'at", "Sabtu", "Minggu", "Januari",
	"Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember", "pukul", "WITA",
	"WIB", "sekitar", "lebih", "hingga", "bersama", "seluruh", "setiap",
};
#define NPLAIN (sizeof plain / sizeof plain[0])

/* Pseudo-words of the long tail, and the most frequent ranks that count
 * as stop words (never a query on their own). */
#define TAIL 200000
#define STOP_RANKS 150

static const char *const authors[] = {
	"Humas", "Admin", "Redaksi", "Tim Media Center", "Diskominfo",
	"Prokopim", "Rina", "Budi Santoso", "Siti Aminah", "Ahmad Fauzi",
};
static const char *const cats[] = {
	"Berita", "Pemerintahan", "Kesehatan", "Pendidikan", "Ekonomi",
	"Sosial", "Olahraga", "Budaya", "Infrastruktur", "Pengumuman",
};

/* ---- a small, fast, deterministic generator ---- */

static uint64_t rng;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}
static unsigned below(unsigned n) { return (unsigned)(next() % n); }

/* ---- the vocabulary: every form of every root, then the plain words ---- */

static char **vocab;
static size_t nvocab, capvocab;
static double *cdf;

/* word → rank, open addressing */
#define HBITS 20
static int32_t htab[1 << HBITS];

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static long rank_of(const char *w)
{
	for (uint32_t i = hash(w) & ((1 << HBITS) - 1);; i = (i + 1) &
	     ((1 << HBITS) - 1)) {
		if (htab[i] == 0)
			return -1;
		if (strcmp(vocab[htab[i] - 1], w) == 0)
			return htab[i] - 1;
	}
}

static void add_fast(const char *w);
static void add(const char *w)
{
	add_fast(w);
}

static void add_fast(const char *w)
{
	uint32_t i = hash(w) & ((1 << HBITS) - 1);
	for (; htab[i]; i = (i + 1) & ((1 << HBITS) - 1))
		if (strcmp(vocab[htab[i] - 1], w) == 0)
			return;
	if (nvocab == capvocab) {
		capvocab = capvocab ? capvocab * 2 : 1024;
		vocab = realloc(vocab, capvocab * sizeof *vocab);
		if (!vocab)
			abort();
	}
	vocab[nvocab++] = strdup(w);
	htab[i] = (int32_t)nvocab;
}

/* meN- / peN- with its sound changes: b→mem, p→mem(-p), t→men(-t),
 * s→meny(-s), k→meng(-k), vowel/g/h→meng, d/c/j→men, l/m/n/r/w/y→me. */
static void nasal(char *out, size_t sz, const char *pre, const char *r)
{
	char c = r[0];
	const char *rest = r;
	const char *n;
	int cluster = r[1] && !strchr("aiueo", r[1]);  /* produksi, stabil */
	if (cluster && strchr("pstk", c)) {
		snprintf(out, sz, "%s%s%s", pre, c == 'p' ? "m" : c == 'k' ?
		         "ng" : "n", r);
		return;
	}
	if (c == 'b' || c == 'f' || c == 'v') {
		n = "m";
	} else if (c == 'p') {
		n = "m";
		rest = r + 1;
	} else if (c == 't') {
		n = "n";
		rest = r + 1;
	} else if (c == 's') {
		n = "ny";
		rest = r + 1;
	} else if (c == 'k') {
		n = "ng";
		rest = r + 1;
	} else if (strchr("aiueogh", c)) {
		n = "ng";
	} else if (c == 'd' || c == 'c' || c == 'j' || c == 'z') {
		n = "n";
	} else {
		n = "";
	}
	snprintf(out, sz, "%s%s%s", pre, n, rest);
}

/* The long tail a real archive has (names of people, villages, streets,
 * loan words): pseudo-words of Indonesian syllables, some affixed. */
static void add_tail(size_t n)
{
	static const char *const on[] = {
		"b", "c", "d", "g", "h", "j", "k", "l", "m", "n", "p", "r",
		"s", "t", "w", "y", "ng", "ny", "",
	};
	static const char *const vo[] = {"a", "i", "u", "e", "o", "a", "i"};
	static const char *const co[] = {"", "", "", "n", "ng", "r", "s",
	                                  "t", "k", "l", "h", "m"};
	while (n--) {
		char w[64];
		size_t len = 0;
		int syl = 2 + (int)below(3);
		for (int k = 0; k < syl; k++) {
			const char *a = on[below(19)], *b = vo[below(7)];
			const char *c = k == syl - 1 ? co[below(12)] : "";
			len += (size_t)snprintf(w + len, sizeof w - len, "%s%s%s",
			                        a, b, c);
		}
		unsigned r = below(10);
		char f[80];
		if (r == 0)
			snprintf(f, sizeof f, "di%skan", w);
		else if (r == 1)
			snprintf(f, sizeof f, "ber%s", w);
		else if (r == 2)
			snprintf(f, sizeof f, "%snya", w);
		else
			snprintf(f, sizeof f, "%s", w);
		if (below(4) == 0)
			f[0] = (char)(f[0] - 'a' + 'A');  /* a name */
		add_fast(f);
	}
}

static void build_vocab(void)
{
	char w[96], b[64];
	/* the plain words first: they are the most frequent */
	for (size_t i = 0; i < 40; i++)
		add(plain[i]);
	for (size_t i = 0; i < NROOTS; i++) {
		const char *r = roots[i];
		add(r);
		nasal(b, sizeof b, "me", r);
		add(b);
		snprintf(w, sizeof w, "%skan", b);
		add(w);
		snprintf(w, sizeof w, "di%skan", r);
		add(w);
		snprintf(w, sizeof w, "di%s", r);
		add(w);
		nasal(b, sizeof b, "pe", r);
		snprintf(w, sizeof w, "%san", b);
		add(w);
		snprintf(w, sizeof w, "ke%san", r);
		add(w);
		snprintf(w, sizeof w, "ber%s", r);
		add(w);
		snprintf(w, sizeof w, "%snya", r);
		add(w);
	}
	for (size_t i = 40; i < NPLAIN; i++)
		add(plain[i]);
	/* shuffle the real words after the first 40, so that frequency is
	 * not alphabetic; the tail comes after them, rarer */
	for (size_t i = nvocab - 1; i > 40; i--) {
		size_t j = 40 + below((unsigned)(i - 40 + 1));
		char *t = vocab[i];
		vocab[i] = vocab[j];
		vocab[j] = t;
	}
	add_tail(TAIL);
	memset(htab, 0, sizeof htab);
	for (size_t i = 0; i < nvocab; i++) {
		uint32_t h = hash(vocab[i]) & ((1 << HBITS) - 1);
		while (htab[h])
			h = (h + 1) & ((1 << HBITS) - 1);
		htab[h] = (int32_t)(i + 1);
	}
	cdf = malloc(nvocab * sizeof *cdf);
	/* Zipf–Mandelbrot, (rank + 8)^-1.2: the commonest word (yang) is
	 * near 3 % of the text, the 150 commonest half of it, the 2,500
	 * commonest four fifths, as in real Indonesian news */
	double sum = 0;
	for (size_t i = 0; i < nvocab; i++)
		cdf[i] = (sum += pow((double)(i + 8), -1.2));
	for (size_t i = 0; i < nvocab; i++)
		cdf[i] /= sum;
}

static const char *word(void)
{
	double u = (double)(next() >> 11) / 9007199254740992.0;
	size_t lo = 0, hi = nvocab - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return vocab[lo];
}

struct sbuf {
	char *p;
	size_t len, cap;
};

static void put(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}
static void puts_(struct sbuf *b, const char *s) { put(b, s, strlen(s)); }

static void sentence(struct sbuf *b, int words, int title)
{
	for (int i = 0; i < words; i++) {
		char w[96];
		unsigned r = below(1000);
		if (r < 6)
			snprintf(w, sizeof w, "%02u.%02u", 7 + below(12),
			         below(4) * 15);
		else if (r < 9)
			snprintf(w, sizeof w, "Rp%u.%03u.000", 1 + below(900),
			         below(1000));
		else
			snprintf(w, sizeof w, "%s", word());
		if ((i == 0 || title) && w[0] >= 'a' && w[0] <= 'z')
			w[0] = (char)(w[0] - 'a' + 'A');
		if (i)
			puts_(b, !title && below(12) == 0 ? ", " : " ");
		puts_(b, w);
	}
	if (!title)
		puts_(b, ". ");
}

static int gen_entries(const char *path, long n)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return 1;
	char *err = NULL;
	if (sqlite3_exec(db,
	    "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	    "DROP TABLE IF EXISTS gen;"
	    "CREATE TABLE gen(id INTEGER PRIMARY KEY, feed INTEGER, "
	    "date INTEGER, title TEXT, body TEXT, author TEXT, "
	    "category TEXT, link TEXT, guid TEXT); BEGIN;",
	    NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "gen_search: %s\n", err);
		return 1;
	}
	sqlite3_prepare_v2(db, "INSERT INTO gen VALUES(?1, ?2, ?3, ?4, ?5, "
	                   "?6, ?7, ?8, ?9)", -1, &st, NULL);
	struct sbuf t = {0}, body = {0};
	int64_t start = 1577836800;  /* 2020-01-01 */
	for (long i = 1; i <= n; i++) {
		t.len = body.len = 0;
		sentence(&t, 5 + (int)below(6), 1);
		int sentences = 3 + (int)below(8);
		for (int s = 0; s < sentences; s++)
			sentence(&body, 8 + (int)below(14), 0);
		int feed = 1 + (int)below(30);
		char link[128], guid[64];
		snprintf(link, sizeof link,
		         "https://mediacenter.kota%d.go.id/berita/%ld/", feed, i);
		snprintf(guid, sizeof guid, "https://mediacenter.kota%d.go.id/"
		         "?p=%ld", feed, i);
		sqlite3_bind_int64(st, 1, i);
		sqlite3_bind_int(st, 2, feed);
		/* about six years of news, in order */
		sqlite3_bind_int64(st, 3, start + i * 189 + below(3600));
		sqlite3_bind_text(st, 4, t.p, (int)t.len, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, body.p, (int)body.len, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, authors[below(10)], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, cats[below(10)], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, link, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 9, guid, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE) {
			fprintf(stderr, "gen_search: %s\n", sqlite3_errmsg(db));
			return 1;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	free(t.p);
	free(body.p);
	return 0;
}

/* Not one of the commonest words (yang, dan, di…), whatever its case. */
static int content_word(const char *w)
{
	char cap[96];
	snprintf(cap, sizeof cap, "%s", w);
	long r = rank_of(cap);
	if (r < 0 && cap[0] >= 'a' && cap[0] <= 'z') {
		cap[0] = (char)(cap[0] - 'a' + 'A');
		r = rank_of(cap);
	}
	return r < 0 || r >= STOP_RANKS;
}

/* The i-th whitespace-separated word of s, lower-cased, without the
 * punctuation that ends it. */
static int nth_word(const char *s, int i, char *out, size_t sz)
{
	int k = 0;
	while (*s) {
		while (*s == ' ')
			s++;
		const char *b = s;
		while (*s && *s != ' ')
			s++;
		if (s == b)
			break;
		if (k++ == i) {
			size_t n = (size_t)(s - b);
			while (n && (b[n - 1] == '.' || b[n - 1] == ','))
				n--;
			if (n == 0 || n >= sz)
				return 0;
			for (size_t j = 0; j < n; j++)
				out[j] = (char)((b[j] >= 'A' && b[j] <= 'Z') ?
				                b[j] - 'A' + 'a' : b[j]);
			out[n] = 0;
			return 1;
		}
	}
	return 0;
}

static int gen_queries(const char *path, long n)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		return 1;
	sqlite3_prepare_v2(db, "SELECT body FROM gen WHERE id = ?1", -1, &st,
	                   NULL);
	long max = 0;
	sqlite3_stmt *m;
	sqlite3_prepare_v2(db, "SELECT max(id) FROM gen", -1, &m, NULL);
	if (sqlite3_step(m) == SQLITE_ROW)
		max = sqlite3_column_int64(m, 0);
	sqlite3_finalize(m);
	if (max == 0)
		return 1;
	for (long q = 0; q < n;) {
		sqlite3_bind_int64(st, 1, 1 + (long)(next() % (uint64_t)max));
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			continue;
		}
		const char *body = (const char *)sqlite3_column_text(st, 0);
		char a[96], b[96];
		int i = (int)below(40);
		int ok = nth_word(body, i, a, sizeof a) &&
		         nth_word(body, i + 1, b, sizeof b);
		/* what a user types: words, not numbers, and a word that
		 * means something (not yang, dan, di…) first */
		ok = ok && !strchr(a, '.') && !strchr(b, '.') &&
		     !strchr(a, '\'') && !strchr(b, '\'') && strlen(a) > 2;
		ok = ok && content_word(a);
		/* two words: the second another word of the same entry */
		char w2[96] = "";
		for (int k = 0; ok && k < 20 && !w2[0]; k++) {
			int j = (int)below(40);
			if (j != i && nth_word(body, j, w2, sizeof w2) &&
			    (strchr(w2, '.') || strchr(w2, '\'') ||
			     !content_word(w2) || strcmp(w2, a) == 0))
				w2[0] = 0;
		}
		sqlite3_reset(st);
		if (!ok || (q % 4 == 1 && !w2[0]))
			continue;
		int len = 4 + (int)below(3);
		switch (q % 4) {
		case 0: printf("%s\t\"%s\"\n", a, a); break;
		case 1: printf("%s %s\t\"%s\" \"%s\"\n", a, w2, a, w2); break;
		case 2: printf("\"%s %s\"\t\"%s %s\"\n", a, b, a, b); break;
		case 3:
			if ((int)strlen(a) <= len)
				continue;
			printf("%.*s*\t\"%.*s\"*\n", len, a, len, a);
			break;
		}
		q++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}

static int run(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "gen_search: %s\n", err ? err : "?");
		return 1;
	}
	return 0;
}

/* The feeds of the generated archive: the places of the bundled feeds
 * and their neighbours. */
#define FEED_NAMES \
	"p(i, name) AS (VALUES (1, 'Banjarbaru'), " \
	"(2, 'Banjarmasin'), (3, 'Kotabaru'), (4, 'Tarakan'), (5, 'Madiun'), " \
	"(6, 'Kendari'), (7, 'Indramayu'), (8, 'Karawang'), (9, 'Kuningan'), " \
	"(10, 'Lebak'), (11, 'Gorontalo'), (12, 'Bekasi'), (13, 'Martapura'), " \
	"(14, 'Tanah Bumbu'), (15, 'Murung Raya'), (16, 'Malang'), " \
	"(17, 'Kulon Progo'), (18, 'Balikpapan'), (19, 'Samarinda'), " \
	"(20, 'Pontianak'), (21, 'Palangka Raya'), (22, 'Tabalong'), " \
	"(23, 'Barito Kuala'), (24, 'Hulu Sungai'), (25, 'Tapin'), " \
	"(26, 'Balangan'), (27, 'Tanah Laut'), (28, 'Bontang'), " \
	"(29, 'Nunukan'), (30, 'Berau')) "

static const char feeds_sql[] =
	"WITH " FEED_NAMES
	"INSERT INTO main.feeds(id, url, url_key, feed_title, site_url, added) "
	"SELECT i, 'https://mediacenter.kota' || i || '.go.id/feed/', "
	"'mediacenter.kota' || i || '.go.id/feed', 'Media Center ' || name, "
	"'https://mediacenter.kota' || i || '.go.id', 1577836800 "
	"FROM p";

static int load(const char *archive, const char *gen)
{
	sqlite3 *db;
	if (sqlite3_open(archive, &db) != SQLITE_OK ||
	    tokenizer_register(db) != SQLITE_OK)
		return 1;
	char *attach = sqlite3_mprintf("ATTACH %Q AS g", gen);
	/* a bulk load into a file made for the benchmark: no journal */
	int rc = run(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	                 "PRAGMA cache_size=-262144") ||
	         run(db, attach) || run(db, "BEGIN") || run(db, feeds_sql) ||
	         run(db, "INSERT INTO main.stories(id, first_seen) "
	                 "SELECT id, date FROM g.gen") ||
	         run(db, "INSERT INTO main.entries(id, feed_id, key, key_kind, "
	                 "vhash, guid, link, title, content, published, "
	                 "published_raw, date, authors, categories, text, "
	                 "first_seen, changed, story_id) SELECT id, feed, "
	                 "substr(guid, 9), 'id', randomblob(32), guid, link, "
	                 "title, '<p>' || body || '</p>', date, date, date, "
	                 "'[{\"name\":\"' || author || '\"}]', "
	                 "'[\"' || category || '\"]', body, date, date, id "
	                 "FROM g.gen ORDER BY id") ||
	         run(db, "INSERT INTO main.search(search) VALUES ('rebuild')") ||
	         run(db, "COMMIT") || run(db, "PRAGMA journal_mode=WAL");
	sqlite3_free(attach);
	sqlite3_close(db);
	return rc;
}

static int plain_fts(const char *path, const char *gen)
{
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return 1;
	char *attach = sqlite3_mprintf("ATTACH %Q AS g", gen);
	int rc = run(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	                 "PRAGMA cache_size=-262144") ||
	         run(db, attach) ||
	         run(db, "DROP TABLE IF EXISTS p; CREATE VIRTUAL TABLE p "
	                 "USING fts5(title, body, author, category, feed, "
	                 "tokenize='unicode61 remove_diacritics 2')") ||
	         run(db, "BEGIN") ||
	         run(db, "WITH " FEED_NAMES "INSERT INTO p(rowid, title, body, "
	                 "author, category, feed) SELECT id, title, body, "
	                 "author, category, 'Media Center ' || p.name FROM "
	                 "g.gen JOIN p ON p.i = gen.feed ORDER BY id") ||
	         run(db, "COMMIT");
	sqlite3_free(attach);
	sqlite3_close(db);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "load") == 0)
		return load(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "plain") == 0)
		return plain_fts(argv[2], argv[3]);
	if (argc != 5) {
		fprintf(stderr, "usage: gen_search entries|queries DB N SEED, "
		        "gen_search load|plain TARGET DB\n");
		return 2;
	}
	rng = strtoull(argv[4], NULL, 10) * 2654435761u + 88172645463325252u;
	build_vocab();
	long n = atol(argv[3]);
	if (strcmp(argv[1], "entries") == 0)
		return gen_entries(argv[2], n);
	if (strcmp(argv[1], "queries") == 0)
		return gen_queries(argv[2], n);
	fprintf(stderr, "gen_search: no mode '%s'\n", argv[1]);
	return 2;
}
