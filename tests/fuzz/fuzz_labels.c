/* libFuzzer target: any bytes as a picks CSV, a horizon interval table, a horizon file or a classes.csv, read
 * against a small survey made once. */
#include <stdlib.h>
#include <string.h>

#include "facies/facies.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    fc_error err;
    fc_classes classes;
    fc_classes_load(&classes, path, &err);
    fc_label_filter f = fc_label_filter_default();
    f.per_class = 50;
    fc_label_collector *c = NULL;
    if (fc_label_collector_create(&c, &f, &err) == FC_OK) {
        /* Told apart by content: picks, interval table or SEG-Y. */
        fc_labels_load(c, fuzz_survey(0.0), path, NULL, &err);
        int64_t n;
        fc_label_collector_points(c, &n);
        fc_label_collector_destroy(c);
    }
    close(fd);
    return 0;
}
