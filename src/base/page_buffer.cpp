#include "coinone_annotate/base/page_buffer.h"

#include <sys/mman.h>

#include <cstdint>
#include <new>
#include <utility>

namespace coinone {

namespace {

size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

}  // namespace

// Maps one huge page more than needed so that an aligned start can be chosen inside, and
// marks the aligned part for huge pages (a no-op error where the kernel has none). Buffers much
// smaller than a huge page (tests run the searcher with buffers of 1 to 4096 bytes) keep small
// pages: a huge one would be 2 MiB to zero for a few bytes.
PageBuffer::PageBuffer(size_t size) : size_(size) {
  if (size == 0) return;
  const bool huge = size >= kHugePage / 8;
  mapped_ = huge ? round_up(size, kHugePage) + kHugePage : size;
  mapping_ = ::mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapping_ == MAP_FAILED) {
    mapping_ = nullptr;
    throw std::bad_alloc();
  }
  data_ = static_cast<char*>(mapping_);
  if (!huge) return;
  data_ = reinterpret_cast<char*>(round_up(reinterpret_cast<uintptr_t>(mapping_), kHugePage));
  ::madvise(data_, round_up(size, kHugePage), MADV_HUGEPAGE);
}

PageBuffer::~PageBuffer() { release(); }

PageBuffer::PageBuffer(PageBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      mapping_(std::exchange(other.mapping_, nullptr)),
      mapped_(std::exchange(other.mapped_, 0)) {}

PageBuffer& PageBuffer::operator=(PageBuffer&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapping_ = std::exchange(other.mapping_, nullptr);
    mapped_ = std::exchange(other.mapped_, 0);
  }
  return *this;
}

void PageBuffer::release() {
  if (mapping_ != nullptr) ::munmap(mapping_, mapped_);
  mapping_ = nullptr;
  data_ = nullptr;
  size_ = mapped_ = 0;
}

}  // namespace coinone
