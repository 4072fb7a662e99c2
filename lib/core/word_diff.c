#include "word_diff.h"

#include <stdio.h>
#include <string.h>

void fc_word_differences(const char *had, const char *now, char *buf, size_t n)
{
    buf[0] = '\0';
    size_t used = 0;
    while (*had || *now) {
        size_t a = strcspn(had, " "), b = strcspn(now, " ");
        if ((a != b || strncmp(had, now, a) != 0) && used + 1 < n) {
            /* The key from either side (a word only one run has: "(none)" on the other); words with other keys
             * (one run has a word the other lacks) are shown whole. */
            const char *name = a ? had : now;
            size_t len = a ? a : b, key = strcspn(name, "=");
            key = key < len ? key : len;
            int same_key = a > key && b > key && had[key] == '=' && now[key] == '=' && !strncmp(had, now, key);
            int w;
            if (a && b && !same_key)
                w = snprintf(buf + used, n - used, "%s%.*s (now %.*s)", used ? ", " : "", (int)a, had, (int)b, now);
            else
                w = snprintf(buf + used, n - used, "%s%.*s %.*s (now %.*s)", used ? ", " : "", (int)key, name,
                             a > key ? (int)(a - key - 1) : 6, a > key ? had + key + 1 : "(none)",
                             b > key ? (int)(b - key - 1) : 6, b > key ? now + key + 1 : "(none)");
            used = w < 0 ? n : used + (size_t)w < n ? used + (size_t)w : n - 1;
        }
        had += a + (had[a] == ' ');
        now += b + (now[b] == ' ');
    }
}
