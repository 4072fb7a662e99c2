#include "plot_util.h"

#include <math.h>
#include <stdio.h>

#include "fail.h"

double fc_plot_tick_step(double range, int target)
{
    double raw = range / target, mag = pow(10.0, floor(log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

void fc_plot_text(cairo_t *cr, double x, double y, const char *s, double ax, double ay)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x - e.width * ax - e.x_bearing, y + e.height * ay);
    cairo_show_text(cr, s);
}

fc_status fc_plot_save_png(cairo_surface_t *s, const char *path, fc_error *err)
{
    char part[4300];
    snprintf(part, sizeof part, "%s.partial", path);
    cairo_status_t cs = cairo_surface_write_to_png(s, part);
    cairo_surface_destroy(s);
    if (cs != CAIRO_STATUS_SUCCESS || rename(part, path) != 0) {
        remove(part);
        return fc_fail(err, FC_ERR_IO, "%s: cannot write the picture (%s)", path, cairo_status_to_string(cs));
    }
    return FC_OK;
}
