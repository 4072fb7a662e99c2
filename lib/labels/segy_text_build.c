/* Textual headers that read well: values wrapped at separators, the input's own lines kept, the legend in a form
 * that can be read back. */
#include "segy_text_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facies/segy_writer.h"

int fc_text_room(const fc_text_lines *t)
{
    return FC_TEXT_LINES - 1 - t->n;
}

/* Where to break a value that does not fit in `width`: after the last separator within it, or at width when a
 * single word is longer than a line. */
static size_t break_at(const char *s, size_t width)
{
    size_t len = strlen(s);
    if (len <= width)
        return len;
    for (size_t k = width; k > width / 3; k--)
        if (strchr("-/_, ", s[k - 1])) /* not '.': "dropout0.5" is one word */
            return k;
    return width;
}

static int lines_needed(const char *value, size_t width)
{
    int n = 0;
    do {
        value += break_at(value, width);
        n++;
    } while (*value);
    return n;
}

int fc_text_add(fc_text_lines *t, const char *label, const char *value)
{
    size_t indent = strlen(label) + 1;
    if (indent > FC_TEXT_WIDTH / 2)
        return -1;
    size_t width = FC_TEXT_WIDTH - indent;
    if (lines_needed(value, width) > fc_text_room(t))
        return -1;
    int first = 1;
    do {
        size_t k = break_at(value, width);
        snprintf(t->line[t->n++], FC_TEXT_WIDTH + 1, "%-*s%.*s", (int)indent, first ? label : "", (int)k, value);
        value += k;
        while (*value == ' ')
            value++;
        first = 0;
    } while (*value);
    return 0;
}

void fc_text_add_legend(fc_text_lines *t, const fc_classes *c, int reserve, const char *more_in)
{
    for (int i = 0; i < c->count; i++) {
        int left = fc_text_room(t) - reserve;
        if (left <= 0)
            return;
        if (left == 1 && i + 1 < c->count) {
            snprintf(t->line[t->n++], FC_TEXT_WIDTH + 1, "%d MORE CLASSES IN %s", c->count - i, more_in);
            return;
        }
        snprintf(t->line[t->n++], FC_TEXT_WIDTH + 1, "CLASS %d %s %s", (int)c->c[i].code, c->c[i].colour, c->c[i].name);
    }
}

void fc_text_to_ascii(const unsigned char *raw, char out[3201])
{
    /* Headers are mostly blanks: the EBCDIC blank (0x40) is ASCII '@', rare in ASCII text. */
    int ascii_blanks = 0, ebcdic_blanks = 0;
    for (int i = 0; i < 3200; i++) {
        ascii_blanks += raw[i] == 0x20;
        ebcdic_blanks += raw[i] == 0x40;
    }
    memcpy(out, raw, 3200);
    if (ebcdic_blanks > ascii_blanks)
        fc_ebcdic_to_ascii((unsigned char *)out, 3200);
    for (int i = 0; i < 3200; i++)
        if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] >= 0x7f)
            out[i] = ' ';
    out[3200] = '\0';
}

/* A line's content without its "C 1", "C01" or "C40" number and surrounding blanks, into out (size n). */
static void content_of(const char *line80, char *out, size_t n)
{
    char l[81];
    memcpy(l, line80, 80);
    l[80] = '\0';
    const char *p = l;
    if (p[0] == 'C' && (p[1] == ' ' || (p[1] >= '0' && p[1] <= '9')) && (p[2] == ' ' || (p[2] >= '0' && p[2] <= '9')))
        p += 3;
    while (*p == ' ')
        p++;
    size_t k = strlen(p);
    while (k > 0 && p[k - 1] == ' ')
        k--;
    snprintf(out, n, "%.*s", (int)k, p);
}

static int closing_line(const char *s)
{
    return !strncmp(s, "END TEXTUAL HEADER", 18) || !strncmp(s, "END EBCDIC", 10) || !strncmp(s, "SEG Y REV", 9) ||
           !strncmp(s, "SEG-Y REV", 9);
}

void fc_text_add_header(fc_text_lines *t, const unsigned char *raw)
{
    char text[3201], kept[FC_TEXT_LINES][81];
    fc_text_to_ascii(raw, text);
    int n = 0;
    for (int l = 0; l < 40; l++) {
        content_of(text + 80 * l, kept[n], sizeof kept[n]);
        n += kept[n][0] && !closing_line(kept[n]);
    }
    if (n == 0 || fc_text_room(t) < 2)
        return;
    snprintf(t->line[t->n++], FC_TEXT_WIDTH + 1, "INPUT SURVEY TEXTUAL HEADER:");
    int fit = n <= fc_text_room(t) ? n : fc_text_room(t) - 1;
    for (int l = 0; l < fit; l++)
        snprintf(t->line[t->n++], FC_TEXT_WIDTH + 1, "%.76s", kept[l]);
    if (fit < n)
        snprintf(t->line[t->n++], FC_TEXT_WIDTH + 1, "(%d MORE LINES OF THE INPUT HEADER LEFT OUT)", n - fit);
}

void fc_text_finish(const fc_text_lines *t, char text[3201])
{
    for (int l = 0; l < FC_TEXT_LINES; l++) {
        char line[128];
        const char *content = l == FC_TEXT_LINES - 1 ? "END TEXTUAL HEADER" : l < t->n ? t->line[l] : "";
        snprintf(line, sizeof line, "C%02d %-76.76s", l + 1, content);
        memcpy(text + 80 * l, line, 80);
    }
    text[3200] = '\0';
}

int fc_text_legend(const unsigned char *raw, fc_classes *out)
{
    char text[3201];
    fc_text_to_ascii(raw, text);
    memset(out, 0, sizeof *out);
    for (int l = 0; l < 40 && out->count < FC_MAX_CLASSES; l++) {
        char s[81];
        content_of(text + 80 * l, s, sizeof s);
        int code, used = 0;
        char colour[8];
        if (sscanf(s, "CLASS %d %7s %n", &code, colour, &used) != 2 || used == 0 || colour[0] != '#' ||
            fc_classes_find(out, code) >= 0)
            continue;
        fc_class_info *c = &out->c[out->count++];
        c->code = code;
        snprintf(c->colour, sizeof c->colour, "%s", colour);
        snprintf(c->name, sizeof c->name, "%s", s + used);
    }
    return out->count;
}
