/* Internal: the pictures of an apply run (--png-dir): which sections are drawn, their names and titles. */
#ifndef FACIES_APPLY_PICTURES_H
#define FACIES_APPLY_PICTURES_H

#include "apply_run.h"

/* Refuse --png-lines that no chosen section would give (and any on a 2-D line). */
fc_status fc_apply_pictures_check(const apply_run *r, fc_error *err);

/* Into r->png_lines: the lines asked for, or by default the first, middle and last of the chosen sections. */
void fc_apply_pictures_choose(apply_run *r);

/* Make the pictures' folder; a new run (not resuming) on rank 0 first removes the last run's pictures. */
fc_status fc_apply_pictures_folder(const apply_run *r, int resuming, fc_error *err);

/* Draw section `line` (width traces of ns samples, in r's buffers) when it is one of those chosen. */
fc_status fc_apply_pictures_draw(apply_run *r, fc_orientation o, int line, int width, int ns, fc_error *err);

#endif
