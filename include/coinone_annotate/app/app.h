// run(): builds the pieces a Config asks for, runs every input through them, and returns the
// exit status. Per-file problems are reported as "coinone-annotate: PATH: reason" and the run
// goes on with the next file; the status is kExitTrouble if anything failed.
#pragma once
#include "coinone_annotate/app/config.h"

namespace coinone {

int run(const Config& config);

}  // namespace coinone
