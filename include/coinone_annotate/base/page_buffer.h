// PageBuffer: a fixed-size byte buffer taken straight from the kernel, in huge pages when it
// offers them.
//
// The line buffer and the output buffer are a few MiB touched from the first block on. In 4 KiB
// pages that is one page fault per 4 KiB, and on the virtual machines this project is measured
// on a fault costs about 10 us: zero-filling the buffers of std::vector took 700 of the 1,100
// page faults of a run over an empty file and most of its 36 ms. A region aligned to 2 MiB and
// marked MADV_HUGEPAGE faults once per 2 MiB (0.2 ms for 2 MiB against 2.3 to 3.2 ms for 1 MiB
// of 4 KiB pages, measured here). Where the kernel gives no huge pages the buffer works the
// same with small ones. The bytes are not initialised (they read as zero until written).
//
// Not copyable; movable. An empty PageBuffer (size 0) owns nothing.
#pragma once
#include <cstddef>

namespace coinone {

class PageBuffer {
 public:
  // Huge page size on x86-64 and the alignment asked for.
  static constexpr size_t kHugePage = 2 * 1024 * 1024;

  PageBuffer() = default;
  // Throws std::bad_alloc when the kernel refuses the memory.
  explicit PageBuffer(size_t size);
  ~PageBuffer();
  PageBuffer(PageBuffer&& other) noexcept;
  PageBuffer& operator=(PageBuffer&& other) noexcept;
  PageBuffer(const PageBuffer&) = delete;
  PageBuffer& operator=(const PageBuffer&) = delete;

  char* data() { return data_; }
  const char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  void release();

  char* data_ = nullptr;
  size_t size_ = 0;
  void* mapping_ = nullptr;  // what munmap() gets back
  size_t mapped_ = 0;
};

}  // namespace coinone
