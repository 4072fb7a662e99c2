/* Internal: the models of an apply run and the passes that classify a section with them.
 *
 * One model, or an ensemble (fc_apply_options.member_paths): every member must take the first's classes, patch
 * size, channels, normalisation and sample interval, or the run is refused naming the first difference. A section
 * gets the members' mean probabilities; with flip each member's are themselves the mean of a pass on the section
 * and a pass on its left-right mirror (mirrored back). Each member's logits are divided by its own temperature
 * (calibration) unless the options say no. */
#ifndef FACIES_APPLY_MEMBERS_H
#define FACIES_APPLY_MEMBERS_H

#include "facies/apply.h"
#include "facies/sweep.h"
#include "facies/model.h"

typedef struct fc_apply_members {
    int n, classes, channels, ph, pw; /* models; their classes, input planes and patch size */
    int nch;                          /* channels per scale (channels = nch at each of the scales) */
    fc_scales scales;
    int sr, sc;                   /* the dense span (the same for every member) */
    int step, flip, disagreement; /* --step, --tta flip, --uncertainty disagreement */
    int exact;                    /* every member's dense form is exact */
    fc_net *net[FC_APPLY_MAX_MODELS];
    fc_sweep *dense[FC_APPLY_MAX_MODELS];
    double temperature[FC_APPLY_MAX_MODELS]; /* dividing the logits (1: none) */
    double fitted[FC_APPLY_MAX_MODELS];      /* stored in the model (0: none) */
    float *din, *batch, *grid, *one, *member;
} fc_apply_members;

/* Load the models of o (model_path, then member_paths) with their dense forms; meta gets the first model's
 * metadata. A member that does not match is FC_ERR_MISMATCH naming both files and the difference. Free with
 * fc_apply_members_free (also after a failure). */
fc_status fc_apply_members_open(fc_apply_members *m, const fc_apply_options *o, fc_model_meta *meta, fc_error *err);

/* Log each model's calibration and dense kernels (after every check of the run: a refusal stays one line). */
void fc_apply_members_say(const fc_apply_members *m, const fc_apply_options *o);

/* Room for sections of up to maxw traces and nsm samples. */
fc_status fc_apply_members_reserve(fc_apply_members *m, int maxw, int nsm, fc_error *err);

/* Planes per section out (classes, plus one for the members' mean entropy when disagreement is measured). */
int fc_apply_members_planes(const fc_apply_members *m);

/* The probabilities of one section: planes [channels][width][ns] (the sectioner's, with the scales' low-passed
 * planes) (normalised, mirrored and restored in place with
 * flip) -> out [classes][ns][width], the mean over members (and flips); with disagreement plane `classes` of out
 * holds the mean of the members' entropies (nats), so that entropy(mean) minus it is their mutual information. */
fc_status fc_apply_members_run(fc_apply_members *m, float *planes, int width, int ns, float *out, fc_error *err);

void fc_apply_members_free(fc_apply_members *m);

#endif
