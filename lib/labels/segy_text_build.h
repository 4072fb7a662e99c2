/* Internal: textual headers assembled from labelled values, wrapped at separators, and the legend read back. */
#ifndef FACIES_SEGY_TEXT_BUILD_H
#define FACIES_SEGY_TEXT_BUILD_H

#include <stddef.h>

#include "facies/labels.h"

#define FC_TEXT_LINES 40
#define FC_TEXT_WIDTH 76 /* 80 columns less the "Cnn " prefix */

/* Lines of a textual header being assembled: content only, numbered "C01".."C40" by fc_text_finish. The
 * last line is kept for "END TEXTUAL HEADER". */
typedef struct fc_text_lines {
    char line[FC_TEXT_LINES][FC_TEXT_WIDTH + 1];
    int n;
} fc_text_lines;

/* Free lines left before the closing one. */
int fc_text_room(const fc_text_lines *t);

/* "LABEL value": a value too long for one line continues on the next lines, indented under the value, broken
 * after a separator (- / _ , space) so that no word is cut. Returns 0, or -1 (nothing added) when it does not
 * fit in the room left. */
int fc_text_add(fc_text_lines *t, const char *label, const char *value);

/* The legend in the form fc_text_legend reads back: one "CLASS code #rrggbb name" line per class (names cut to
 * fit), as many as fit after `reserve` lines; a last line says how many more are in `more_in` when some do not. */
void fc_text_add_legend(fc_text_lines *t, const fc_classes *c, int reserve, const char *more_in);

/* Another file's textual header (3200 bytes, EBCDIC or ASCII) below: its non-blank lines without their own
 * "Cnn" numbers or end line, as many as fit; a last line tells how many were left out. */
void fc_text_add_header(fc_text_lines *t, const unsigned char *raw);

/* The 3200 characters (plus NUL) of the header, each line "Cnn " and its content, the last "C40 END TEXTUAL
 * HEADER". */
void fc_text_finish(const fc_text_lines *t, char text[3201]);

/* A raw textual header as ASCII: EBCDIC is told from its bytes and translated. out holds 3201. */
void fc_text_to_ascii(const unsigned char *raw, char out[3201]);

/* The legend written by fc_text_add_legend, from a raw textual header; returns the classes found (0: none). */
int fc_text_legend(const unsigned char *raw, fc_classes *out);

#endif
