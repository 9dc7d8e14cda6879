#include "coinone_annotate/app/time_order.h"

#include <sys/stat.h>

#include <algorithm>
#include <memory>
#include <string_view>
#include <utility>

#include "coinone_annotate/input/decompress.h"
#include "coinone_annotate/input/source.h"
#include "coinone_annotate/report/timestamp.h"

namespace coinone {

namespace {

// Up to kProbeBytes of what the run would read from `path` (decompressed); empty on failure.
std::string read_head(const std::string& path) {
  OpenResult opened = open_source(path);
  if (!opened.source) return {};
  // Decoded on this thread: a decoder thread per probed file would only cost.
  const auto source = open_decompressing(std::move(opened.source), DecodeThread::kNever);
  std::string head(kProbeBytes, '\0');
  size_t filled = 0;
  while (filled < head.size()) {
    const ReadResult got =
        source->read(std::span<char>(head.data() + filled, head.size() - filled));
    if (got.size == 0) break;  // end, or an error that the run itself will report
    filled += got.size;
  }
  head.resize(filled);
  return head;
}

// The leading timestamp of the first line of `head` that has one.
std::optional<int64_t> first_timestamp(std::string_view head, const TimeZone& zone) {
  while (!head.empty()) {
    const size_t end = std::min(head.find('\n'), head.size());
    if (const auto time = leading_timestamp(head.substr(0, end), zone)) return time;
    head.remove_prefix(std::min(end + 1, head.size()));
  }
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> input_start_time(const std::string& path, const TimeZone& zone) {
  struct stat st {};
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  if (const auto time = first_timestamp(read_head(path), zone)) return time;
  return static_cast<int64_t>(st.st_mtim.tv_sec);
}

std::vector<std::string> sort_inputs_by_time(const std::vector<std::string>& inputs,
                                             const TimeZone& zone) {
  std::vector<std::pair<std::optional<int64_t>, std::string>> keyed;
  for (const std::string& path : inputs) keyed.emplace_back(input_start_time(path, zone), path);
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return a.first && (!b.first || *a.first < *b.first);
  });
  std::vector<std::string> sorted;
  for (auto& [time, path] : keyed) sorted.push_back(std::move(path));
  return sorted;
}

}  // namespace coinone
