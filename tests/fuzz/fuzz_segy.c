/* libFuzzer target: any bytes as a SEG-Y file. Opening, geometry, statistics and reading every section must
 * either work or fail with a message; never crash, hang or allocate from an unchecked header value. */
#include <stdlib.h>

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
    fc_survey *s = NULL;
    if (fc_survey_open(&s, path, NULL, &err) == FC_OK) {
        const fc_survey_info *in = fc_survey_get_info(s);
        fc_amplitude_stats a;
        fc_survey_amplitude_stats(s, 16, &a, &err);
        fc_orientation o = in->kind == FC_SURVEY_KIND_2D ? FC_ORIENTATION_LINE : FC_ORIENTATION_INLINE;
        int w = fc_survey_section_width(s, o);
        float *buf = malloc(sizeof(float) * (size_t)w * (size_t)in->sample_count);
        unsigned char *present = malloc((size_t)w);
        for (int line = 0; buf && present && line < fc_survey_section_count(s, o) && line < 8; line++)
            fc_survey_read_section(s, o, line, 0, in->sample_count, buf, present, &err);
        free(buf);
        free(present);
        fc_survey_close(s);
    }
    close(fd);
    return 0;
}
