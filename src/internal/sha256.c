/*
 * SHA-256 after FIPS 180-4 (NIST, August 2015): the constants K of section 4.2.2 (first 32 bits
 * of the fractional parts of the cube roots of the first 64 primes), the initial hash value of
 * section 5.3.3, padding of section 5.1.1 and the computation of section 6.2.2.
 */
#include "internal/sha256.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backstep/status.h"

static const uint32_t K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u,
    0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu,
    0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu,
    0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
    0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
    0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u,
    0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u,
    0xc67178f2u};

static uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32u - n));
}

/* Section 6.2.2: message schedule and the 64 rounds for one 512-bit block. */
static void compress(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64], a, b, c, d, e, f, g, hh;
    int t;
    for (t = 0; t < 16; t++)
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
               (uint32_t)p[4 * t + 2] << 8 | (uint32_t)p[4 * t + 3];
    for (t = 16; t < 64; t++) {
        const uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        const uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    a = h[0];
    b = h[1];
    c = h[2];
    d = h[3];
    e = h[4];
    f = h[5];
    g = h[6];
    hh = h[7];
    for (t = 0; t < 64; t++) {
        const uint32_t S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        const uint32_t ch = (e & f) ^ (~e & g);
        const uint32_t t1 = hh + S1 + ch + K[t] + w[t];
        const uint32_t S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        const uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        const uint32_t t2 = S0 + maj;
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

void bstep__sha256_init(bstep__sha256 *c)
{
    static const uint32_t h0[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                                   0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};
    memcpy(c->h, h0, sizeof(h0));
    c->length_bytes = 0;
    c->fill = 0;
}

void bstep__sha256_update(bstep__sha256 *c, const void *data, size_t n)
{
    const unsigned char *p = data;
    c->length_bytes += n;
    if (c->fill > 0) {
        size_t take = 64 - c->fill < n ? 64 - c->fill : n;
        memcpy(c->block + c->fill, p, take);
        c->fill += take;
        p += take;
        n -= take;
        if (c->fill < 64)
            return;
        compress(c->h, c->block);
        c->fill = 0;
    }
    while (n >= 64) {
        compress(c->h, p);
        p += 64;
        n -= 64;
    }
    memcpy(c->block, p, n);
    c->fill = n;
}

void bstep__sha256_final(bstep__sha256 *c, unsigned char digest[BSTEP__SHA256_BYTES])
{
    /* Section 5.1.1: a 1 bit, zeros to 448 mod 512 bits, the 64-bit big-endian bit length. */
    const uint64_t bits = c->length_bytes * 8u;
    int i;
    c->block[c->fill++] = 0x80;
    if (c->fill > 56) {
        memset(c->block + c->fill, 0, 64 - c->fill);
        compress(c->h, c->block);
        c->fill = 0;
    }
    memset(c->block + c->fill, 0, 56 - c->fill);
    for (i = 0; i < 8; i++)
        c->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
    compress(c->h, c->block);
    for (i = 0; i < 8; i++) {
        digest[4 * i] = (unsigned char)(c->h[i] >> 24);
        digest[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        digest[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        digest[4 * i + 3] = (unsigned char)c->h[i];
    }
    memset(c, 0, sizeof(*c));
}

void bstep__sha256_hex(const unsigned char digest[BSTEP__SHA256_BYTES], char hex[65])
{
    static const char d[] = "0123456789abcdef";
    int i;
    for (i = 0; i < BSTEP__SHA256_BYTES; i++) {
        hex[2 * i] = d[digest[i] >> 4];
        hex[2 * i + 1] = d[digest[i] & 15];
    }
    hex[64] = '\0';
}

static int hash_file(bstep__sha256 *c, const char *path, char *err, size_t err_len)
{
    unsigned char buf[65536];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, err_len, "%s: cannot open: %s", path, strerror(errno));
        return BSTEP_EIO;
    }
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        bstep__sha256_update(c, buf, n);
    if (ferror(f)) {
        snprintf(err, err_len, "%s: read error: %s", path, strerror(errno));
        fclose(f);
        return BSTEP_EIO;
    }
    fclose(f);
    return BSTEP_OK;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int hash_folder(bstep__sha256 *c, const char *path, char *err, size_t err_len)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = BSTEP_OK;
    if (d == NULL) {
        snprintf(err, err_len, "%s: cannot open folder: %s", path, strerror(errno));
        return BSTEP_EIO;
    }
    while ((e = readdir(d)) != NULL) {
        char **q;
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            q = realloc(names, cap * sizeof(*names));
            if (q == NULL) {
                rc = BSTEP_ENOMEM;
                break;
            }
            names = q;
        }
        names[n] = malloc(strlen(e->d_name) + 1);
        if (names[n] == NULL) {
            rc = BSTEP_ENOMEM;
            break;
        }
        memcpy(names[n], e->d_name, strlen(e->d_name) + 1);
        n++;
    }
    closedir(d);
    if (rc == BSTEP_OK)
        qsort(names, n, sizeof(*names), cmp_names);
    for (i = 0; i < n && rc == BSTEP_OK; i++) {
        char full[4096];
        struct stat sb;
        unsigned char size_be[8];
        int k;
        if ((size_t)snprintf(full, sizeof(full), "%s/%s", path, names[i]) >= sizeof(full)) {
            snprintf(err, err_len, "%s: path too long", path);
            rc = BSTEP_ERANGE;
            break;
        }
        if (stat(full, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        for (k = 0; k < 8; k++)
            size_be[k] = (unsigned char)((uint64_t)sb.st_size >> (56 - 8 * k));
        bstep__sha256_update(c, names[i], strlen(names[i]) + 1);
        bstep__sha256_update(c, size_be, 8);
        rc = hash_file(c, full, err, err_len);
    }
    if (rc == BSTEP_ENOMEM)
        snprintf(err, err_len, "%s: out of memory", path);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int bstep__sha256_path(const char *path, char hex[65], char *err, size_t err_len)
{
    bstep__sha256 c;
    unsigned char dg[BSTEP__SHA256_BYTES];
    struct stat sb;
    int rc;
    char dummy[1];
    if (err == NULL || err_len == 0) {
        err = dummy;
        err_len = sizeof(dummy);
    }
    hex[0] = '\0';
    if (stat(path, &sb) != 0) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return BSTEP_EIO;
    }
    bstep__sha256_init(&c);
    rc = S_ISDIR(sb.st_mode) ? hash_folder(&c, path, err, err_len)
                             : hash_file(&c, path, err, err_len);
    if (rc != BSTEP_OK)
        return rc;
    bstep__sha256_final(&c, dg);
    bstep__sha256_hex(dg, hex);
    return BSTEP_OK;
}
