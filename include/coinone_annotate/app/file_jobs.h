// File jobs: -j N, several input files searched at once, their output in argument order.
//
// Each file is one job: its path and index in, its output bytes and its counts out. A job opens
// the file, decodes it (gzip, zstd) and searches it with a Searcher, a Printer and an FdWriter
// of its own; the matcher is the worker thread's own, over a clone of the extractor (RE2 objects
// and the value memo belong to one thread each, as for the searcher's ScanHelper). Up to N
// workers take the jobs in argument order. What a job writes goes through an OutputLane:
// straight to standard output during the file's turn, into a spool before it (ordered_output.h).
// Everything that must come in order waits for the file's turn too: the annotated lines for
// --summary and the metrics (kept as records until then, so the report and the per-code
// counters come out as one file after the other makes them), the error messages, the notices.
// The same goes for the newline -j1's printer adds where a file ended without one and another
// file is opened after it: whether the output so far ended so is carried from turn to turn, and
// the next opened file writes "\n" first, itself when its turn has come, else its lane before
// its spool (OutputLane::set_lead).
// So stdout, the summary, the metrics' counters and the exit status are those of -j1; only the
// order in which stderr lines and stdout bytes interleave on one terminal may differ.
//
// Inner threads: with N workers on fewer than 2 N CPUs, a job decodes on its own thread
// (DecodeThread::kNever) and scans without the scan-ahead helper, since the other jobs keep the
// CPUs busy; one file alone keeps both, as without -j.
//
// A failed standard output (EPIPE included) stops the run as it does without -j: the jobs under
// way stop at their next read, and nothing is reported for the files after the failure.
//
// Threads: run_file_jobs() returns when every job has ended; the calling thread is one of the
// workers. The summary and the logger are only touched in turns, one at a time.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "coinone_annotate/app/config.h"
#include "coinone_annotate/match/code_table.h"
#include "coinone_annotate/match/matcher.h"
#include "coinone_annotate/output/annotator.h"
#include "coinone_annotate/report/metrics.h"
#include "coinone_annotate/report/summary.h"

namespace coinone {

struct FileJobsSetup {
  const Config& config;
  const Annotator& annotator;
  Matcher& matcher;  // searches on the calling thread; other workers search with its rebound()
  Summary* summary = nullptr;  // with --summary
  Metrics* metrics = nullptr;  // with --metrics
};

// Whether the files are searched as jobs: more than one thread and more than one file, and
// standard input named at most once (a second "-" reads what the first left: nothing).
bool use_file_jobs(const Config& config);

// Searches config.inputs as jobs. Reports every failure itself ("PATH: reason", "standard
// output: reason") and returns whether there was any; a reader of stdout that went away is no
// failure (the run just ends), as without -j.
bool run_file_jobs(const FileJobsSetup& setup);

}  // namespace coinone
