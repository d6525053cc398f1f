/*
 * digest.h — SHA-256, for the archive's fingerprints: an entry's identity
 * when it has neither id nor link, the version of an entry (to tell an
 * unchanged entry without reading it back), the text of a story, and the
 * bytes of a whole document. A cryptographic hash, so a publisher cannot
 * make an edit look unchanged. Pure computation: no allocation, no errors.
 */
#ifndef WARTA_DIGEST_H
#define WARTA_DIGEST_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;          /* bytes hashed so far */
	unsigned char blk[64];
	size_t used;           /* bytes waiting in blk */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_final(struct sha256 *s, unsigned char out[32]);
void sha256(const void *data, size_t n, unsigned char out[32]);

/* For tests: 1 forces the portable code even where the CPU has the SHA
 * extensions, 0 lets the CPU decide again. */
void sha256_portable(int on);

/* Lower-case hex of the first n bytes of d into out (2n + 1 bytes). */
char *digest_hex(const unsigned char *d, size_t n, char *out);

#endif
