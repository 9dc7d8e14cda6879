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
  size_t used = 0;
  matcher_.for_each_annotated_line(block, findings_,
                                   [&](size_t start, size_t end, std::string_view content,
                                       std::string_view terminator, const Verdict& verdict) {
                                     if (used == lines_.size()) lines_.emplace_back();
                                     DeferredLine& line = lines_[used++];
                                     line.start = start;
                                     line.end = end;
                                     line.content_size = content.size();
                                     line.terminator = terminator;
                                     line.codes.resize(verdict.shown.size());
                                     for (size_t i = 0; i < verdict.shown.size();
                                          ++i) {  // into the strings kept from before
                                       line.codes[i].first.assign(verdict.shown[i].digits);
                                       line.codes[i].second = verdict.shown[i].entry;
                                     }
                                     line.more = verdict.more;
                                   });
  lines_.resize(used);
}

}  // namespace coinone
