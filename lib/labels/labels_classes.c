/* The legend file (classes.csv). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fail.h"
#include "input_file.h"
#include "labels_impl.h"
#include "text_file.h"

int fc_classes_find(const fc_classes *c, int32_t code)
{
    for (int i = 0; i < c->count; i++)
        if (c->c[i].code == code)
            return i;
    return -1;
}

fc_status fc_classes_write_begin(const fc_classes *c, const char *path, fc_text_file *t, fc_error *err)
{
    fc_status st = fc_text_file_open(t, path, err);
    if (st)
        return st;
    fprintf(t->f, "code,name,colour\n");
    for (int i = 0; i < c->count; i++)
        fprintf(t->f, "%d,%s,%s\n", (int)c->c[i].code, c->c[i].name, c->c[i].colour);
    return FC_OK;
}

fc_status fc_classes_write(const fc_classes *c, const char *path, fc_error *err)
{
    fc_text_file t;
    fc_status st = fc_classes_write_begin(c, path, &t, err);
    return st ? st : fc_text_file_commit(&t, err);
}

int fc_classes_list_empty(const fc_classes *c, const int64_t *counts, char *text, size_t n)
{
    int empty = 0;
    size_t used = 0;
    if (n)
        text[0] = '\0';
    for (int i = 0; i < c->count; i++) {
        if (counts[i] > 0)
            continue;
        if (used < n) {
            int w = snprintf(text + used, n - used, "%s%d (%s)", empty ? ", " : "", (int)c->c[i].code, c->c[i].name);
            used += w > 0 ? (size_t)w : 0;
        }
        empty++;
    }
    return empty;
}

static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

fc_status fc_classes_add_default(fc_classes *c, int32_t code, int *index, fc_error *err)
{
    int at = fc_classes_find(c, code);
    if (at < 0) {
        if (c->count == FC_MAX_CLASSES)
            return fc_fail(err, FC_ERR_RANGE, "facies code %d: the legend holds %d classes already", (int)code,
                           FC_MAX_CLASSES);
        fc_class_info *ci = &c->c[c->count];
        ci->code = code;
        snprintf(ci->name, sizeof ci->name, "facies_%d", (int)code);
        snprintf(ci->colour, sizeof ci->colour, "%s", palette[c->count % 10]);
        at = c->count++;
    }
    if (index)
        *index = at;
    return FC_OK;
}

static int valid_colour(const char *s)
{
    if (strlen(s) != 7 || s[0] != '#')
        return 0;
    for (int i = 1; i < 7; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

fc_status fc_classes_load(fc_classes *out, const char *path, fc_error *err)
{
    FILE *f;
    fc_status opened = fc_input_open(path, &f, err);
    if (opened)
        return opened;
    fc_classes c;
    memset(&c, 0, sizeof c);
    char line[1024];
    char *fld[4];
    fc_status st = FC_OK;
    long row = 0;
    char sep = ',';
    while (!st && fgets(line, sizeof line, f)) {
        row++;
        if (!strchr(line, '\n') && !feof(f)) {
            st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld is longer than %zu characters", path, row, sizeof line - 2);
            break;
        }
        if (row == 1)
            sep = fc_csv_separator(line);
        int n = fc_csv_split(line, sep, fld, 4);
        if (row == 1) {
            if (n < 3 || strcasecmp(fld[0], "code") || strcasecmp(fld[1], "name") ||
                (strcasecmp(fld[2], "colour") && strcasecmp(fld[2], "color")))
                st = fc_fail(err, FC_ERR_FORMAT, "%s: row 1 must be the header 'code,name,colour'", path);
            continue;
        }
        if (n == 1 && fld[0][0] == '\0')
            continue; /* blank line */
        int32_t code;
        if (n != 3 || fc_parse_i32(fld[0], &code))
            st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: expected 'code,name,colour' with a whole-number code", path,
                         row);
        else if (!fld[1][0] || strlen(fld[1]) >= FC_CLASS_NAME_SIZE)
            st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: the name must be 1 to %d characters", path, row,
                         FC_CLASS_NAME_SIZE - 1);
        else if (!valid_colour(fld[2]))
            st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: colour '%s' is not #rrggbb", path, row, fld[2]);
        else if (fc_classes_find(&c, code) >= 0)
            st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: code %d is listed twice", path, row, (int)code);
        else if (c.count == FC_MAX_CLASSES)
            st = fc_fail(err, FC_ERR_FORMAT, "%s: row %ld: more than %d classes", path, row, FC_MAX_CLASSES);
        else {
            fc_class_info *ci = &c.c[c.count++];
            ci->code = code;
            snprintf(ci->name, sizeof ci->name, "%s", fld[1]);
            snprintf(ci->colour, sizeof ci->colour, "%s", fld[2]);
        }
    }
    fclose(f);
    if (!st && c.count == 0)
        st = fc_fail(err, FC_ERR_FORMAT, "%s: no classes listed", path);
    if (!st)
        *out = c;
    return st;
}
