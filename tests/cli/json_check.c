/*
 * Test helper: json_check FILE [has KEY.PATH...] [get KEY.PATH] [len KEY.PATH]
 * Parses FILE ("-" = stdin) as JSON (exit 1 if invalid), checks that each dotted path exists
 * (null allowed), prints the value of a path, or the length of an array. Paths index arrays
 * with numbers: "steps.0.ic_s".
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 1 << 16, n = 0, r;
    char *buf = malloc(cap);
    if (f == NULL || buf == NULL) {
        free(buf);
        return NULL;
    }
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            char *q = realloc(buf, cap * 2);
            if (q == NULL) {
                free(buf);
                return NULL;
            }
            buf = q;
            cap *= 2;
        }
    }
    buf[n] = '\0';
    if (f != stdin)
        fclose(f);
    return buf;
}

static const cJSON *lookup(const cJSON *root, const char *path)
{
    char part[128];
    const cJSON *cur = root;
    while (*path && cur != NULL) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof(part))
            return NULL;
        memcpy(part, path, n);
        part[n] = '\0';
        if (cJSON_IsArray(cur)) {
            char *end;
            long i = strtol(part, &end, 10);
            cur = *end == '\0' ? cJSON_GetArrayItem(cur, (int)i) : NULL;
        } else {
            cur = cJSON_GetObjectItemCaseSensitive(cur, part);
        }
        path += n;
        if (*path == '.')
            path++;
    }
    return cur;
}

int main(int argc, char **argv)
{
    char *text;
    cJSON *root;
    int i, rc = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: json_check FILE [has PATH...] [get PATH] [len PATH]\n");
        return 2;
    }
    text = slurp(argv[1]);
    root = text ? cJSON_Parse(text) : NULL;
    if (root == NULL) {
        fprintf(stderr, "json_check: invalid JSON\n");
        free(text);
        return 1;
    }
    for (i = 2; i + 1 < argc; i += 2) {
        const cJSON *v = lookup(root, argv[i + 1]);
        if (strcmp(argv[i], "has") == 0) {
            if (v == NULL) {
                fprintf(stderr, "json_check: missing %s\n", argv[i + 1]);
                rc = 1;
            }
        } else if (strcmp(argv[i], "get") == 0) {
            char *s = v ? cJSON_PrintUnformatted(v) : NULL;
            if (s == NULL) {
                fprintf(stderr, "json_check: missing %s\n", argv[i + 1]);
                rc = 1;
            } else {
                printf("%s\n", s);
                free(s);
            }
        } else if (strcmp(argv[i], "len") == 0) {
            if (!cJSON_IsArray(v)) {
                fprintf(stderr, "json_check: %s is not an array\n", argv[i + 1]);
                rc = 1;
            } else {
                printf("%d\n", cJSON_GetArraySize(v));
            }
        } else {
            fprintf(stderr, "json_check: unknown verb %s\n", argv[i]);
            rc = 2;
        }
    }
    cJSON_Delete(root);
    free(text);
    return rc;
}
