/* libFuzzer target: any bytes as a label SEG-Y, matched to a small survey by line numbers (its own header bytes
 * 189/193, or 9/17 when the textual header's second byte is odd, so both the standard and another dialect are
 * exercised), then
 * the collected points and what could not be placed. Either labels or one message; never a crash, a hang or an
 * allocation sized from an unchecked header value. */
#include <stdlib.h>
#include <string.h>

#include "facies/facies.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3600)
        return 0; /* not a SEG-Y: the labels target covers text */
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    fc_survey_options so = fc_survey_options_default();
    if (data[1] & 1) {
        so.iline_byte = 9;
        so.xline_byte = 17;
    }
    fc_label_filter f = fc_label_filter_default();
    f.per_class = 50;
    fc_label_collector *c = NULL;
    fc_error err;
    if (fc_label_collector_create(&c, &f, &err) == FC_OK) {
        fc_labels_load(c, fuzz_survey(0.15), path, &so, &err);
        int64_t n;
        fc_label_collector_points(c, &n);
        fc_label_outside out;
        char text[256];
        fc_label_collector_outside(c, &out, 8, text, sizeof text);
        fc_label_collector_destroy(c);
    }
    close(fd);
    return 0;
}
