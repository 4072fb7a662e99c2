#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "facies/segy_writer.h"

/* EBCDIC code page 037 for printable ASCII 0x20..0x7e. */
static const unsigned char ascii_to_037[95] = {
    0x40, 0x5a, 0x7f, 0x7b, 0x5b, 0x6c, 0x50, 0x7d, 0x4d, 0x5d, 0x5c, 0x4e, 0x6b, 0x60, 0x4b,
    0x61, /*  !"#$%&'()*+,-./ */
    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0x7a, 0x5e, 0x4c, 0x7e, 0x6e,
    0x6f, /* 0-9:;<=>? */
    0x7c, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5,
    0xd6, /* @A-O */
    0xd7, 0xd8, 0xd9, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xba, 0xe0, 0xbb, 0xb0,
    0x6d, /* P-Z[\]^_ */
    0x79, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x91, 0x92, 0x93, 0x94, 0x95,
    0x96,                                                                                     /* `a-o */
    0x97, 0x98, 0x99, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xc0, 0x4f, 0xd0, 0xa1, /* p-z{|}~ */
};

void fc_ascii_to_ebcdic(unsigned char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = buf[i] >= 0x20 && buf[i] <= 0x7e ? ascii_to_037[buf[i] - 0x20] : 0x40;
}

void fc_ebcdic_to_ascii(unsigned char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char a = ' ';
        for (int c = 0; c < 95; c++) {
            if (ascii_to_037[c] == buf[i]) {
                a = (unsigned char)(c + 0x20);
                break;
            }
        }
        buf[i] = a;
    }
}

void fc_header_set_i32(unsigned char *h, int pos, int32_t v)
{
    uint32_t u = (uint32_t)v;
    unsigned char *p = h + pos - 1;
    p[0] = (unsigned char)(u >> 24);
    p[1] = (unsigned char)(u >> 16);
    p[2] = (unsigned char)(u >> 8);
    p[3] = (unsigned char)u;
}

void fc_header_set_i16(unsigned char *h, int pos, int32_t v)
{
    uint16_t u = (uint16_t)v;
    h[pos - 1] = (unsigned char)(u >> 8);
    h[pos] = (unsigned char)u;
}

static void put16(unsigned char *h, int pos, int v, fc_byte_order o)
{
    uint16_t u = (uint16_t)v;
    unsigned char hi = (unsigned char)(u >> 8), lo = (unsigned char)u;
    h[pos - 1] = o == FC_BYTE_ORDER_BIG ? hi : lo;
    h[pos] = o == FC_BYTE_ORDER_BIG ? lo : hi;
}

void fc_segy_head_init(unsigned char head[FC_SEGY_HEAD_BYTES], const char *text, int sample_count, int interval_us,
                       fc_sample_format format, fc_byte_order order)
{
    memset(head, ' ', 3200);
    if (text) {
        size_t n = strlen(text);
        memcpy(head, text, n < 3200 ? n : 3200);
    }
    fc_ascii_to_ebcdic(head, 3200);
    unsigned char *b = head + 3200;
    memset(b, 0, 400);
    put16(head, 3213, 1, order);           /* data traces per ensemble */
    put16(head, 3217, interval_us, order); /* sample interval, us */
    put16(head, 3219, interval_us, order);
    put16(head, 3221, sample_count, order); /* samples per trace */
    put16(head, 3223, sample_count, order);
    put16(head, 3225, (int)format, order);
    put16(head, 3227, 1, order);      /* ensemble fold */
    put16(head, 3229, 4, order);      /* trace sorting: horizontally stacked */
    put16(head, 3255, 1, order);      /* measurement system: metres */
    put16(head, 3501, 0x0100, order); /* SEG-Y rev 1 */
    put16(head, 3503, 1, order);      /* fixed-length traces */
}

void fc_segy_text_lines(const char *const *lines, int n, char *text)
{
    for (int l = 0; l < 40; l++) {
        char line[81];
        if (l < n && l < 39)
            snprintf(line, sizeof line, "%s", lines[l]);
        else if (l < 39)
            snprintf(line, sizeof line, "C%2d", l + 1);
        else
            snprintf(line, sizeof line, "C40 END TEXTUAL HEADER");
        size_t k = strlen(line);
        memset(line + k, ' ', 80 - k);
        memcpy(text + 80 * l, line, 80);
    }
    text[3200] = '\0';
}
