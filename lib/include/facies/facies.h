/* facies — seismic facies classification toolkit. Umbrella header. */
#ifndef FACIES_FACIES_H
#define FACIES_FACIES_H

#include "facies/apply.h"
#include "facies/calibration.h"
#include "facies/comm.h"
#include "facies/coords.h"
#include "facies/sweep.h"
#include "facies/error.h"
#include "facies/eval.h"
#include "facies/file_kind.h"
#include "facies/files.h"
#include "facies/ingest.h"
#include "facies/labels.h"
#include "facies/map.h"
#include "facies/model.h"
#include "facies/net.h"
#include "facies/patch.h"
#include "facies/patches.h"
#include "facies/plot.h"
#include "facies/report.h"
#include "facies/rng.h"
#include "facies/segy_writer.h"
#include "facies/signal.h"
#include "facies/suggest.h"
#include "facies/survey.h"
#include "facies/synth.h"
#include "facies/train.h"
#include "facies/version.h"
#include "facies/volumes.h"

#endif
