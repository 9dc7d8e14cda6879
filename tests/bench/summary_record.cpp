// summary_record: the cost of Summary::record() per annotated line (the --summary hot path), and
// the heap allocations it makes once warm (there must be none).
//
//     build/summary_record            # zoneless Python lines, zone Asia/Seoul, two codes a line
//     build/summary_record UTC
//
// Prints "N allocations, X ns/line" over 2 million lines (1,000 distinct seconds, 2,000 rounds).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "coinone_annotate/report/summary.h"

namespace {
uint64_t g_allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

int main(int argc, char** argv) {
  using namespace coinone;
  auto table = std::make_shared<CodeTable>(builtin_code_table());
  Summary summary(table);
  std::string error;
  const auto zone = TimeZone::locate(argc > 1 ? argv[1] : "Asia/Seoul", error);
  if (!zone) {
    std::fprintf(stderr, "summary_record: %s\n", error.c_str());
    return 2;
  }
  summary.set_time_zone(*zone);
  Verdict verdict;
  verdict.shown.push_back({"103", table->find("103")});
  verdict.shown.push_back({"131", table->find("131")});
  std::vector<std::string> lines;
  for (int i = 0; i < 1000; ++i) {
    char line[200];
    std::snprintf(line, sizeof line,
                  "2026-11-20 09:%02d:%02d,114 ERROR place_order {\"error_code\":\"103\"}",
                  i / 60 % 60, i % 60);
    lines.emplace_back(line);
  }
  uint64_t number = 0;
  for (const auto& line : lines) summary.record(++number, line, verdict);  // first sightings
  const uint64_t allocations = g_allocations;
  const auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < 2000; ++round)
    for (const auto& line : lines) summary.record(++number, line, verdict);
  const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
  std::printf("%llu allocations, %.1f ns/line\n",
              static_cast<unsigned long long>(g_allocations - allocations),
              took.count() / 2'000'000);
}
