#pragma once
// The user's workflow on one project file: encode (fill the embedding cache), train a run
// (with a checkpoint and metrics committed per epoch), resume, evaluate, export; trainSeeds
// strings encode, runs and evaluation together for every front end. The CLI
// and the studio's worker thread call these; each call uses its Project and ClipEngine from
// the calling thread only, reports through callbacks on that thread and polls the stop token.

#include "aape/workflow/Compare.h"
#include "aape/workflow/DescriptionFlags.h"
#include "aape/workflow/Encode.h"
#include "aape/workflow/Evaluate.h"
#include "aape/workflow/Export.h"
#include "aape/workflow/RunSets.h"
#include "aape/workflow/Train.h"
#include "aape/workflow/TrainSeeds.h"
