/*
 * Access tokens. A token is "bst_" followed by 256 random bits in base64url (libsodium's
 * randombytes_buf: the kernel's CSPRNG); only its BLAKE2b-256 hash (crypto_generichash) is stored.
 * A fast hash is right here: the token is random and long, so there is nothing to guess, and a
 * slow password hash (crypto_pwhash) would only make every request slow. Comparisons of hashes
 * use sodium_memcmp (constant time).
 */
#include <string.h>

#include <sodium.h>

#include "server/server_internal.h"

int bstep__token_new(char *token, size_t cap, unsigned char hash[BSTEP__TOKEN_HASH_BYTES])
{
    unsigned char raw[32];
    char b64[64];
    if (sodium_init() < 0 || cap < 4 + sizeof(b64))
        return -1;
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    memcpy(token, "bst_", 4);
    memcpy(token + 4, b64, strlen(b64) + 1);
    sodium_memzero(b64, sizeof(b64));
    bstep__token_hash(token, hash);
    return 0;
}

void bstep__token_hash(const char *token, unsigned char hash[BSTEP__TOKEN_HASH_BYTES])
{
    crypto_generichash(hash, BSTEP__TOKEN_HASH_BYTES, (const unsigned char *)token, strlen(token),
                       NULL, 0);
}
