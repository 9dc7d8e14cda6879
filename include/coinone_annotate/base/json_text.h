// JSON text: the one routine that turns bytes into the inside of a JSON string, shared by the
// annotator (--format json) and the summary (--summary=json).
//
// Input is bytes, not text: log lines, file names and --codes files may hold anything. Quotes
// and backslashes are escaped, control bytes become \u00XX, and every byte that does not start
// a valid UTF-8 sequence becomes U+FFFD, so the output is valid JSON for every consumer.
//
// Free functions, no state; thread-safe.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace coinone {

// Length of the valid UTF-8 sequence at text[at] (1 to 4), or 0 when the bytes there are none
// (stray continuation, overlong form, surrogate, beyond U+10FFFF, or cut short). Requires
// at < text.size().
size_t utf8_sequence_length(std::string_view text, size_t at);

// True when the whole of text is valid UTF-8.
bool is_valid_utf8(std::string_view text);

// Appends text as the inside of a JSON string (no quotes).
void append_json_escaped(std::string_view text, std::string& out);

// Appends text as a JSON string, quotes included.
void append_json_string(std::string_view text, std::string& out);

}  // namespace coinone
