/* Internal: what differs between two runs described as key=value words (apply's and train's resume checks). */
#ifndef FACIES_WORD_DIFF_H
#define FACIES_WORD_DIFF_H

#include <stddef.h>

/* "lines 1000:1019 (now 1010:1029), method direct (now fast)": the words of had and now that differ, compared word by
 * word (so both should list the same keys in the same order), into buf (size n); "" when none. */
void fc_word_differences(const char *had, const char *now, char *buf, size_t n);

#endif
