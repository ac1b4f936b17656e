/*
 * SHA-256 (FIPS 180-4, "Secure Hash Standard", NIST 2015, sections 4.1.2, 4.2.2, 5.1.1, 6.2).
 * Streaming: init, update any number of times with any split, final. Used for the checksum that
 * recognises a recording analysed twice (docs/store.md).
 */
#ifndef BSTEP_INTERNAL_SHA256_H
#define BSTEP_INTERNAL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define BSTEP__SHA256_BYTES 32

typedef struct {
    uint32_t h[8];
    uint64_t length_bytes;
    unsigned char block[64];
    size_t fill;
} bstep__sha256;

void bstep__sha256_init(bstep__sha256 *c);
void bstep__sha256_update(bstep__sha256 *c, const void *data, size_t n);
void bstep__sha256_final(bstep__sha256 *c, unsigned char digest[BSTEP__SHA256_BYTES]);
/** Lower-case hex of a digest: 64 characters and a NUL. */
void bstep__sha256_hex(const unsigned char digest[BSTEP__SHA256_BYTES], char hex[65]);

/**
 * Checksum of a recording: a regular file's bytes, or for a folder (a Sensor Logger export) the
 * regular files directly in it in byte order of their names, each as name, NUL, 8-byte big-endian
 * size, content. Returns a bstep_status; err names the path on failure.
 */
int bstep__sha256_path(const char *path, char hex[65], char *err, size_t err_len);

#endif
