// Tests of zstd_steps.h: cutting a zstd frame into steps.
// Fixtures and helpers: compressed_inputs.h.
#include "compressed_inputs.h"

namespace coinone {
namespace {
using namespace compressed_test;
using namespace std::chrono_literals;
}  // namespace

TEST_SUITE("zstd_steps") {
  TEST_CASE("ZstdSteps cuts a frame at its headers and blocks") {
    // truncated.log.zst: a 7-byte frame header, then blocks whose headers sit at 7, 2067 and
    // 4123 (content 2057 and 2053 bytes), as listed by the frame format (RFC 8878).
    const std::string zst = slurp("truncated.log.zst");
    ZstdSteps steps;
    std::vector<uint64_t> starts{steps.start()};
    std::vector<size_t> sizes{steps.left()};
    for (size_t offset = 0; offset < zst.size(); ++offset) {
      steps.consume({zst.data() + offset, 1}, offset + 1);
      if (steps.start() != starts.back()) {
        starts.push_back(steps.start());
        sizes.push_back(steps.left());
      }
    }
    CHECK(starts == std::vector<uint64_t>{0, 4, 5, 7, 10, 2067, 2070, 4123, 4126});
    CHECK(sizes == std::vector<size_t>{4, 1, 2, 3, 2057, 3, 2053, 3, 2049});
  }
}

}  // namespace coinone
