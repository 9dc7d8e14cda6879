#include "coinone_annotate/match/exchange_evidence.h"

#include <string.h>
#include <strings.h>

#include <array>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "coinone_annotate/match/literal_search.h"
#include "coinone_annotate/match/prefilter.h"

namespace coinone {

namespace {

constexpr size_t kNpos = std::string_view::npos;

// Top-level domains of exchange API hosts (one label, or two for country domains). A dotted
// word whose next labels are not one of these (`bot.gate.orders`) is not a host.
constexpr std::array<std::string_view, 28> kTopLevelDomains{
    "com",   "io",    "net",   "org",    "pro",    "xyz",    "ws",     "exchange", "co.kr", "co.jp",
    "co.id", "co.uk", "co.za", "com.br", "com.au", "com.tr", "com.mx", "jp",       "kr",    "id",
    "ph",    "de",    "eu",    "us",     "global", "trade",  "app",    "markets"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_alnum(char c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }
bool is_name_byte(char c) { return is_alnum(c) || c == '_' || c == '-'; }

// The id written in text[start, end), looked up in lower case; null when it is none.
const ExchangeId* find_id(std::string_view text, size_t start, size_t end, const ExchangeIds& ids) {
  if (end - start < 2 || end - start > ExchangeIds::kMaxLength) return nullptr;
  if (!ids.may_hold(static_cast<char>(text[start] | 0x20), static_cast<char>(text[end - 1] | 0x20),
                    end - start))
    return nullptr;
  char lower[ExchangeIds::kMaxLength];
  for (size_t i = start; i < end; ++i) lower[i - start] = static_cast<char>(text[i] | 0x20);
  return ids.find({lower, end - start});
}

// Start of the run of [a-z0-9] that ends at `end` (end itself when there is none).
size_t lower_word_start(std::string_view text, size_t end) {
  size_t start = end;
  while (start > 0 && (is_lower(text[start - 1]) || is_digit(text[start - 1]))) --start;
  return start;
}

// ccxt's `ID {` or `ID [` with its space at `at`.
bool ccxt_form_at(std::string_view text, size_t at, const ExchangeIds& ids) {
  if (at < 2 || at + 1 >= text.size() || text[at] != ' ') return false;
  if (text[at + 1] != '{' && text[at + 1] != '[') return false;
  const size_t end = at;
  const size_t start = lower_word_start(text, end);
  if (start == end) return false;
  const char before = start == 0 ? ' ' : text[start - 1];
  if (is_name_byte(before) || before == '.' || before == '/' || before == '@') return false;
  const ExchangeId* id = find_id(text, start, end, ids);
  if (id == nullptr) return false;
  if (!id->word) return true;
  return start == 0 || before == '"' || before == '\'' || before == '=' ||
         (before == ' ' && start >= 2 && text[start - 2] == ':');
}

// Length of the top-level domain at `at` (just after a dot), or 0.
size_t top_level_domain_at(std::string_view text, size_t at) {
  for (const std::string_view tld : kTopLevelDomains) {
    if (text.size() - at < tld.size() || text.compare(at, tld.size(), tld) != 0) continue;
    const size_t end = at + tld.size();
    if (end == text.size()) return tld.size();
    if (is_name_byte(text[end])) continue;
    if (text[end] == '.' && end + 1 < text.size() && is_alnum(text[end + 1])) continue;
    return tld.size();
  }
  return 0;
}

// A host `...ID.TLD` at the '.' at `at`.
bool host_at(std::string_view text, size_t at, const ExchangeIds& ids) {
  if (at == 0 || !is_lower(text[at - 1])) return false;
  const size_t start = lower_word_start(text, at);
  if (start > 0 && is_name_byte(text[start - 1])) return false;
  return find_id(text, start, at, ids) != nullptr && top_level_domain_at(text, at + 1) != 0;
}

// An exchange field (`exchange`, `exchange_id`, `exchangeId`, `exchange_name`) at `at`.
bool exchange_field_at(std::string_view text, size_t at, const ExchangeIds& ids) {
  if (at > 0 && is_name_byte(text[at - 1])) return false;
  size_t end = at + 8;
  if (end < text.size() && (text[end] == '_' || text[end] == '-')) ++end;
  for (const std::string_view suffix : {"id", "name"}) {
    if (text.size() - end >= suffix.size() &&
        strncasecmp(text.data() + end, suffix.data(), suffix.size()) == 0) {
      end += suffix.size();
      break;
    }
  }
  if (text[end - 1] == '_' || text[end - 1] == '-') --end;         // `exchange_` + something else
  if (end < text.size() && is_name_byte(text[end])) return false;  // exchange_rate, exchanges
  const size_t start = value_token_start(text, end);
  if (start == kNpos) return false;
  size_t stop = start;
  while (stop < text.size() && is_alnum(text[stop])) ++stop;
  if (stop < text.size() && is_name_byte(text[stop])) return false;
  return find_id(text, start, stop, ids) != nullptr;
}

// The offsets where evidence can start: a ' ' before '{' or '[' (ccxt's form), a lower-case
// letter before '.' (the end of a host's label) and an 'e' before "xc" (a field "exchange"), in
// any case. One vector pass over the line finds all three. On a 16 MiB slice of the 1% corpus
// (callgrind, every annotated line checked), three passes (for_each_either for " {" and
// "exchange", memchr for '.') cost 2.9% more instructions than no check at all, this one 2.1%.
// Dots after digits (prices, times) are not even looked at.
bool is_trigger(std::string_view text, size_t at) {
  const auto lower = [&](size_t i) { return i < text.size() ? text[i] | 0x20 : 0; };
  const char c = text[at];
  const char next = at + 1 < text.size() ? text[at + 1] : '\0';
  return (is_lower(c) && next == '.') || (c == ' ' && (next | 0x20) == '{') ||
         ((c | 0x20) == 'e' && lower(at + 1) == 'x' && lower(at + 2) == 'c');
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) inline uint32_t trigger_mask_avx2(const char* p) {
  const __m256i case_bit = _mm256_set1_epi8(0x20);
  const __m256i here = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i next =
      _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 1)), case_bit);
  const __m256i after =
      _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 2)), case_bit);
  const __m256i dot =
      _mm256_and_si256(_mm256_and_si256(_mm256_cmpgt_epi8(here, _mm256_set1_epi8('a' - 1)),
                                        _mm256_cmpgt_epi8(_mm256_set1_epi8('z' + 1), here)),
                       _mm256_cmpeq_epi8(_mm256_or_si256(next, case_bit), _mm256_set1_epi8('.')));
  const __m256i brace = _mm256_and_si256(_mm256_cmpeq_epi8(here, _mm256_set1_epi8(' ')),
                                         _mm256_cmpeq_epi8(next, _mm256_set1_epi8('{')));
  const __m256i exc =
      _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_or_si256(here, case_bit), _mm256_set1_epi8('e')),
                       _mm256_and_si256(_mm256_cmpeq_epi8(next, _mm256_set1_epi8('x')),
                                        _mm256_cmpeq_epi8(after, _mm256_set1_epi8('c'))));
  return static_cast<uint32_t>(
      _mm256_movemask_epi8(_mm256_or_si256(dot, _mm256_or_si256(brace, exc))));
}

// Calls check(at) at each trigger, 32 offsets a step; true as soon as one check is. The last
// step is moved back to end 2 bytes before the text's end (the offsets seen already are masked
// off), so only those 2 bytes are left to the caller, in `at`: a scalar tail of up to 33 bytes
// was a third of the check's cost. Texts shorter than 34 bytes are left whole.
template <typename Check>
__attribute__((target("avx2"))) bool scan_triggers_avx2(std::string_view text, size_t& at,
                                                        Check& check) {
  if (text.size() < 34) return false;
  const size_t final_at = text.size() - 34;
  for (size_t step = 0;; step += 32) {
    const size_t start = step < final_at ? step : final_at;
    uint32_t mask = trigger_mask_avx2(text.data() + start);
    if (start < step) mask &= ~0u << (step - start);
    for (; mask != 0; mask &= mask - 1)
      if (check(start + static_cast<size_t>(__builtin_ctz(mask)))) return true;
    if (start == final_at) break;
  }
  at = final_at + 32;
  return false;
}
#endif

// Calls check(at) at every trigger, in order; true as soon as one check is.
template <typename Check>
bool any_trigger(std::string_view text, Check&& check) {
  size_t at = 0;
#if defined(__x86_64__)
  if (best_scan_kind() == ScanKind::kAvx2 && scan_triggers_avx2(text, at, check)) return true;
#endif
  for (; at < text.size(); ++at)
    if (is_trigger(text, at) && check(at)) return true;
  return false;
}

}  // namespace

bool mentions_coinone(std::string_view text) {
  for (size_t at = find_word(text, 0, "coinone"); at != kNpos;
       at = find_word(text, at + 1, "coinone")) {
    if (at > 0 && is_alnum(text[at - 1])) continue;  // mycoinone
    const size_t end = at + 7;
    if (end < text.size() && (is_lower(text[end]) || is_digit(text[end]))) continue;  // coinones
    return true;
  }
  return false;
}

bool names_other_exchange(std::string_view text, const ExchangeIds& ids) {
  return any_trigger(text, [&](size_t at) {
    if (text[at + 1] == '.') return host_at(text, at + 1, ids);
    if (text[at] == ' ') return ccxt_form_at(text, at, ids);
    return word_at(text, at, "exchange") && exchange_field_at(text, at, ids);
  });
}

}  // namespace coinone
