#include "coinone_annotate/app/explain.h"

#include <fmt/format.h>

#include "coinone_annotate/app/version.h"
#include "coinone_annotate/base/json_text.h"

namespace coinone {

namespace {

// What each advice class asks of the reader (README, "Output format").
std::string_view advice_description(Advice advice) {
  switch (advice) {
    case Advice::kRetryLater:
      return "trouble on Coinone's side or a waiting period: wait and retry";
    case Advice::kFixRequest:
      return "the request is wrong (parameters, order state, address)";
    case Advice::kCheckFunds:
      return "balance, minimum or limit";
    case Advice::kFixKeys:
      return "authentication, keys, permissions, allowed IP";
    case Advice::kFixNonce:
      return "nonce generation";
    case Advice::kContactCoinone:
      return "only Coinone can lift it (blocks, KYC, monitoring)";
  }
  return "";
}

void append_text(const CodeEntry& entry, std::string& out) {
  const std::string_view korean_name = korean_category(entry.category);
  out += fmt::format("{}  {}", entry.code, entry.category);
  if (korean_name != entry.category) out += fmt::format(" ({})", korean_name);
  out += fmt::format("\n  meaning (en)  {}\n", entry.english);
  out += fmt::format("  meaning (ko)  {}\n",
                     entry.korean.empty() ? "(none on Coinone's page)" : entry.korean);
  out += fmt::format("  advice        {} ({}): {}\n", advice_name(entry.advice),
                     korean_advice_name(entry.advice), advice_description(entry.advice));
  out += fmt::format("  retry         {}\n", entry.retryable ? "yes" : "no");
}

void append_member(std::string_view name, std::string_view value, std::string& out) {
  out += fmt::format(",\"{}\":\"", name);
  append_json_escaped(value, out);
  out += '"';
}

void append_json(const CodeEntry& entry, std::string& out) {
  out += fmt::format("{{\"code\":\"{}\"", entry.code);
  append_member("category", entry.category, out);
  append_member("category_ko", korean_category(entry.category), out);
  append_member("meaning_en", entry.english, out);
  if (!entry.korean.empty()) append_member("meaning_ko", entry.korean, out);
  append_member("advice", advice_name(entry.advice), out);
  append_member("advice_ko", korean_advice_name(entry.advice), out);
  out += fmt::format(",\"retry\":{}}}", entry.retryable);
}

// The code as typed, without leading zeros ("0103" is 103); empty when it is no number.
std::string normalised(const std::string& typed) {
  if (typed.empty() || typed.find_first_not_of("0123456789") != std::string::npos) return {};
  const size_t first = typed.find_first_not_of('0');
  return first == std::string::npos ? std::string() : typed.substr(first);
}

}  // namespace

std::string explain_codes(const CodeTable& table, const std::vector<std::string>& codes, bool json,
                          bool& all_known) {
  all_known = true;
  std::string out = json ? "{\"codes\":[" : "";
  for (size_t i = 0; i < codes.size(); ++i) {
    const CodeEntry* entry = table.find(normalised(codes[i]));
    all_known = all_known && entry != nullptr;
    if (json && i != 0) out += ',';
    if (entry != nullptr) {
      json ? append_json(*entry, out) : append_text(*entry, out);
    } else if (json) {
      out += "{\"code\":\"";
      append_json_escaped(codes[i], out);
      out += "\",\"category\":\"unknown\",\"meaning_en\":\"not in the code table\"}";
    } else {
      out += fmt::format("{}  unknown: not in the code table\n", codes[i]);
    }
  }
  if (json) out += "]}\n";
  return out;
}

std::string list_codes(const CodeTable& table, bool json) {
  std::string out = json ? "{\"codes\":[" : "";
  bool first = true;
  for (const CodeEntry& entry : table.entries()) {
    if (json) {
      if (!first) out += ',';
      append_json(entry, out);
    } else {
      append_text(entry, out);
    }
    first = false;
  }
  if (json) out += "]}\n";
  return out;
}

std::string version_text(const CodeTable& table, const std::string& codes_file) {
  std::string out = fmt::format("coinone-annotate {}\ncode table: {} codes, built in from {}",
                                version(), table.entries().size(), code_table_source());
  if (!codes_file.empty()) out += fmt::format(", with {} merged over it", codes_file);
  return out + '\n';
}

}  // namespace coinone
