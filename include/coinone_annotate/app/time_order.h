// --sort=time: the input files in the order of the times they cover, oldest first.
//
//     coinone-annotate --sort=time --summary logs/*
//
// The shell lists logrotate's files by name (bot.log, bot.log.1, bot.log.2.gz): newest first,
// and bot.log.10 before bot.log.2. Each file is placed by its start time: the leading timestamp
// (timestamp.h) of its first line that has one, read through the decompressor for gzip and zstd
// files, among its first kProbeBytes bytes; else its modification time.
//
// Only regular files are looked into: reading a pipe, a FIFO or standard input ahead would
// consume what the run must read. Those, and paths that do not exist (the run reports them when
// it reaches them), keep their order after the placed files.
//
// Cost: one open and one read of up to 64 KiB per file, before the run. Not thread-safe (the
// zone's cache); call from one thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coinone_annotate/report/time_zone.h"

namespace coinone {

// Decompressed bytes searched for the first timestamp: enough for hundreds of lines.
inline constexpr size_t kProbeBytes = 64 * 1024;

// The time `path` starts at (seconds since the epoch, UTC), zoneless timestamps read in `zone`;
// nullopt when it is not a regular file (or does not exist).
std::optional<int64_t> input_start_time(const std::string& path, const TimeZone& zone);

// `inputs` ordered by input_start_time, ties and unplaced paths in the order given.
std::vector<std::string> sort_inputs_by_time(const std::vector<std::string>& inputs,
                                             const TimeZone& zone);

}  // namespace coinone
