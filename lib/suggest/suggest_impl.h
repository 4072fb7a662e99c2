/* Internal: the suggest handle, shared by the measuring and the picture code. */
#ifndef FACIES_SUGGEST_IMPL_H
#define FACIES_SUGGEST_IMPL_H

#include "facies/suggest.h"
#include "probs_store.h"

struct fc_suggest {
    char *path;
    fc_probs_reader *reader;
    fc_suggest_info info;
    int chunk_crossline;     /* the volume is stored a crossline a chunk */
    unsigned char *labelled; /* [n_il][n_xl]: the trace holds a label */
    float *trace;            /* one trace's probabilities [ns][classes] */
    float *other;            /* one trace of the disagreement volume [ns] */
    fc_suggest_line *lines;
    int nlines;
};

/* Index of v in numbers[0..n), or -1. */
int fc_suggest_find(const int32_t *numbers, int n, int32_t v);

/* The disagreement volume must hold the probabilities' samples and every line number they do. */
fc_status fc_suggest_check_other(fc_suggest *s, fc_survey *other, fc_error *err);

/* The disagreement trace at the probabilities' grid cell (i, j) into out [ns]; *has = 0 when it has no trace. */
fc_status fc_suggest_read_other(fc_suggest *s, fc_survey *other, int i, int j, float *out, int *has, fc_error *err);

#endif
