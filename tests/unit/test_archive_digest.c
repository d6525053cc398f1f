/* test_archive_digest.c — SHA-256 against FIPS 180-4's vectors, and the
 * CPU's SHA instructions against the portable code. */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "digest.h"

static const char *hex_of(const void *p, size_t n)
{
	static char out[65];
	unsigned char d[32];
	sha256(p, n, d);
	return digest_hex(d, 32, out);
}

TEST(digest_sha256_vectors)
{
	for (int portable = 1; portable >= 0; portable--) {
		sha256_portable(portable);
		CHECK_STR(hex_of("", 0), "e3b0c44298fc1c149afbf4c8996fb924"
		                         "27ae41e4649b934ca495991b7852b855");
		CHECK_STR(hex_of("abc", 3), "ba7816bf8f01cfea414140de5dae2223"
		                            "b00361a396177a9cb410ff61f20015ad");
		const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmno"
		                "mnopnopq";
		CHECK_STR(hex_of(m, strlen(m)),
		          "248d6a61d20638b8e5c026930c3e6039"
		          "a33ce45964ff2167f6ecedd419db06c1");
		char *mil = malloc(1000000);
		memset(mil, 'a', 1000000);
		CHECK_STR(hex_of(mil, 1000000),
		          "cdc76e5c9914fb9281a1c7e284d73e67"
		          "f1809a48a497200e046d39ccc7112cd0");
		free(mil);
	}
	sha256_portable(0);
}

TEST(digest_cpu_and_portable_agree_at_every_length)
{
	unsigned char buf[700];
	unsigned x = 12345;
	for (size_t i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	for (size_t n = 0; n <= sizeof buf; n += 7) {
		unsigned char a[32], b[32];
		sha256_portable(1);
		/* in uneven pieces, through the incremental interface */
		struct sha256 s;
		sha256_init(&s);
		for (size_t i = 0; i < n; i += 13)
			sha256_update(&s, buf + i, n - i < 13 ? n - i : 13);
		sha256_final(&s, a);
		sha256_portable(0);
		sha256(buf, n, b);
		CHECK(memcmp(a, b, 32) == 0);
	}
}
