/* libFuzzer target: any bytes as a picks CSV, a horizon interval table, a horizon file or a classes.csv, read
 * against a small survey made once. */
#include <stdlib.h>
#include <string.h>

#include "facies/facies.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fc_survey *survey(void)
{
    static fc_survey *s; /* made once per fuzzing process */
    if (!s) {
        char dir[] = "/tmp/facies-fuzz-XXXXXX";
        if (!mkdtemp(dir))
            abort();
        fc_synth_options o = fc_synth_options_default();
        o.inlines = 4;
        o.crosslines = 6;
        o.samples = 40;
        fc_error err;
        char path[64];
        if (fc_synth_write(dir, &o, NULL, &err))
            abort();
        snprintf(path, sizeof path, "%s/survey.sgy", dir);
        if (fc_survey_open(&s, path, NULL, &err))
            abort();
    }
    return s;
}

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
        fc_labels_load(c, survey(), path, NULL, &err);
        int64_t n;
        fc_label_collector_points(c, &n);
        fc_label_collector_destroy(c);
    }
    close(fd);
    return 0;
}
