#include "coinone_annotate/search/scan_helper.h"

#include <system_error>

namespace coinone {

std::unique_ptr<ScanHelper> ScanHelper::create(const Matcher& matcher) {
  std::unique_ptr<FieldExtractor> extractor = matcher.extractor().clone();
  if (!extractor) return nullptr;
  try {
    return std::unique_ptr<ScanHelper>(new ScanHelper(std::move(extractor), matcher));
  } catch (const std::system_error&) {
    return nullptr;  // no thread to be had (a process limit): the searcher scans on its own
  }
}

ScanHelper::ScanHelper(std::unique_ptr<FieldExtractor> extractor, const Matcher& matcher)
    : extractor_(std::move(extractor)),
      matcher_(matcher.rebound(*extractor_)),
      thread_([this] { loop(); }) {}

ScanHelper::~ScanHelper() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ScanHelper::start(std::string_view block) {
  {
    std::lock_guard lock(mutex_);
    block_ = block;
    busy_ = true;
  }
  wake_.notify_all();
}

bool ScanHelper::wait() {
  std::unique_lock lock(mutex_);
  const bool waited = busy_;
  done_.wait(lock, [this] { return !busy_; });
  return waited;
}

void ScanHelper::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return quit_ || busy_; });
    if (quit_) return;
    const std::string_view block = block_;
    lock.unlock();  // the searcher may look at busy_ meanwhile
    scan(block);
    lock.lock();
    busy_ = false;
    done_.notify_all();
  }
}

void ScanHelper::scan(std::string_view block) {
  lines_.lines.clear();
  lines_.codes.clear();
  lines_.digits.clear();
  matcher_.for_each_annotated_line(
      block, findings_,
      [&](size_t start, size_t end, std::string_view content, std::string_view terminator,
          const Verdict& verdict) {
        lines_.lines.push_back({start, end, content.size(), terminator, lines_.codes.size(),
                                verdict.shown.size(), verdict.more});
        for (const ShownCode& shown : verdict.shown) {  // copied: the findings are reused
          lines_.codes.push_back({lines_.digits.size(), shown.digits.size(), shown.entry});
          lines_.digits += shown.digits;
        }
      });
}

}  // namespace coinone
