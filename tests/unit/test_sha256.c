/*
 * SHA-256 against the examples of FIPS 180-4 (NIST "Examples with Intermediate Values", SHA-256:
 * "abc", the 448-bit and 896-bit messages, one million 'a') and the empty message, split-input
 * equality, and the checksum of files and folders against coreutils' sha256sum.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "internal/sha256.h"

static void hex_of(const void *msg, size_t n, char hex[65])
{
    bstep__sha256 c;
    unsigned char d[32];
    bstep__sha256_init(&c);
    bstep__sha256_update(&c, msg, n);
    bstep__sha256_final(&c, d);
    bstep__sha256_hex(d, hex);
}

BSTEP_TEST(fips_examples)
{
    static const char m448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    static const char m896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                               "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    char hex[65];
    hex_of("abc", 3, hex);
    BSTEP_ASSERT(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") ==
                 0);
    hex_of("", 0, hex);
    BSTEP_ASSERT(strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") ==
                 0);
    hex_of(m448, strlen(m448), hex);
    BSTEP_ASSERT(strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") ==
                 0);
    hex_of(m896, strlen(m896), hex);
    BSTEP_ASSERT(strcmp(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1") ==
                 0);
}

BSTEP_TEST(one_million_a_in_odd_pieces)
{
    static char a[1000000];
    bstep__sha256 c;
    unsigned char d[32];
    char hex[65];
    size_t off = 0, piece = 1;
    memset(a, 'a', sizeof(a));
    bstep__sha256_init(&c);
    while (off < sizeof(a)) { /* 1, 2, 3, ... byte pieces: every alignment of the 64-byte block */
        size_t n = piece < sizeof(a) - off ? piece : sizeof(a) - off;
        bstep__sha256_update(&c, a + off, n);
        off += n;
        piece = piece % 131 + 1;
    }
    bstep__sha256_final(&c, d);
    bstep__sha256_hex(d, hex);
    BSTEP_ASSERT(strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") ==
                 0);
}

BSTEP_TEST(whole_equals_bytewise_at_every_length)
{
    unsigned char msg[300];
    size_t n, i;
    for (i = 0; i < sizeof(msg); i++)
        msg[i] = (unsigned char)(i * 37 + 11);
    for (n = 0; n <= sizeof(msg); n++) { /* across the 55/56/64-byte padding boundaries */
        bstep__sha256 c;
        unsigned char d[32];
        char a[65], b[65];
        hex_of(msg, n, a);
        bstep__sha256_init(&c);
        for (i = 0; i < n; i++)
            bstep__sha256_update(&c, msg + i, 1);
        bstep__sha256_final(&c, d);
        bstep__sha256_hex(d, b);
        BSTEP_ASSERT(strcmp(a, b) == 0);
    }
}

/* Compare with coreutils' sha256sum for files of lengths around the padding boundaries. */
BSTEP_TEST(file_checksum_matches_sha256sum)
{
    const char *tmp = getenv("BSTEP_TEST_TMP");
    char path[512], cmd[700], want[128], got[65], err[256];
    size_t lens[] = {0, 1, 55, 56, 63, 64, 65, 119, 120, 65535, 65536, 200001}, k, i;
    for (k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
        FILE *f, *p;
        snprintf(path, sizeof(path), "%s/sha_%zu.bin", tmp ? tmp : "/tmp", lens[k]);
        f = fopen(path, "wb");
        BSTEP_ASSERT(f != NULL);
        for (i = 0; i < lens[k]; i++)
            fputc((int)((i * 131 + lens[k]) & 255), f);
        fclose(f);
        snprintf(cmd, sizeof(cmd), "sha256sum '%s'", path);
        p = popen(cmd, "r");
        BSTEP_ASSERT(p != NULL);
        BSTEP_ASSERT(fgets(want, sizeof(want), p) != NULL);
        pclose(p);
        want[64] = '\0';
        BSTEP_ASSERT_OK(bstep__sha256_path(path, got, err, sizeof(err)));
        BSTEP_ASSERT(strcmp(got, want) == 0);
        remove(path);
    }
    BSTEP_ASSERT_EQ(bstep__sha256_path("/nonexistent/file", got, err, sizeof(err)), -3);
    BSTEP_ASSERT_STR_CONTAINS(err, "/nonexistent/file");
}

/* A folder (Sensor Logger export): the checksum covers names and contents of its files. */
BSTEP_TEST(folder_checksum)
{
    const char *tmp = getenv("BSTEP_TEST_TMP");
    char dir[400], p1[512], a[65], b[65], c[65], err[256];
    FILE *f;
    snprintf(dir, sizeof(dir), "%s/sha_dir_%ld", tmp ? tmp : "/tmp", (long)getpid());
    mkdir(dir, 0700);
    snprintf(p1, sizeof(p1), "%s/Accelerometer.csv", dir);
    f = fopen(p1, "wb");
    BSTEP_ASSERT(f != NULL);
    fputs("time,x,y,z\n1,0,0,9.8\n", f);
    fclose(f);
    BSTEP_ASSERT_OK(bstep__sha256_path(dir, a, err, sizeof(err)));
    BSTEP_ASSERT_OK(bstep__sha256_path(dir, b, err, sizeof(err)));
    BSTEP_ASSERT(strcmp(a, b) == 0);
    f = fopen(p1, "ab");
    fputs("2,0,0,9.8\n", f);
    fclose(f);
    BSTEP_ASSERT_OK(bstep__sha256_path(dir, c, err, sizeof(err)));
    BSTEP_ASSERT(strcmp(a, c) != 0);
    remove(p1);
    rmdir(dir);
}

BSTEP_TEST_LIST(BSTEP_TEST_ENTRY(fips_examples), BSTEP_TEST_ENTRY(one_million_a_in_odd_pieces),
                BSTEP_TEST_ENTRY(whole_equals_bytewise_at_every_length),
                BSTEP_TEST_ENTRY(file_checksum_matches_sha256sum),
                BSTEP_TEST_ENTRY(folder_checksum))
